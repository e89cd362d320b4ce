"""The once-per-process start-up work for a ledger, shared by the window and the command line."""

import logging
import sqlite3
from pathlib import Path

from core.errors import DamagedDatabase, UserError
from core.storage import heals
from core.storage.backup import newest_good_backup
from core.storage.health import damaged_copies, quick_check, refuse_foreign_file, set_aside
from core.storage.housekeeping import cleanup_temp_files
from core.storage.snapshots import backup_before, daily_backup, has_ledger
from db.connection import is_read_only, open_db, pending_migrations

log = logging.getLogger(__name__)

# Ledgers whose start-up work already ran in this process.
_PREPARED: set[str] = set()


def prepare(db_path) -> None:
    """Make the ledger at `db_path` ready to open; the first call per path and process does the work.

    In order: the health check (a damaged file is set aside and DamagedDatabase raised), leftover
    temporary files removed, a snapshot before a schema upgrade, the upgrade and data repairs
    (core.storage.heals), today's automatic copy. A ledger open read-only is only checked.
    """
    path = Path(db_path)
    key = str(path.resolve())
    if key in _PREPARED:
        return
    try:
        start_check(path)
    except (sqlite3.OperationalError, OSError):
        pass  # locked or unreadable, not damaged: opening reports it in Chinese
    cleanup_temp_files(path, min_age=60)
    _PREPARED.add(key)
    existed = has_ledger(path)
    if is_read_only(path):
        return
    if existed and pending_migrations(path):
        _keep_going(backup_before, path, "migration")
    db = open_db(path)
    try:
        if not is_read_only(path):  # opening may find the storage write-protected
            heals.apply(db)
    finally:
        db.conn.close()
    if existed and not is_read_only(path):
        _keep_going(daily_backup, path)


def _keep_going(copy, path: Path, *args) -> None:
    """Make an automatic copy; one that fails (a full disk) is logged and must not stop the work."""
    try:
        copy(path, *args)
    except (UserError, sqlite3.Error, OSError) as exc:
        log.info("automatic copy of %s failed: %s", path, exc)


def start_check(db_path) -> None:
    """Check the database at `db_path` before opening it; raise DamagedDatabase if it is not usable.

    A damaged file is set aside first. A missing file with a damaged copy beside it and a good
    backup available is also refused, so that an empty ledger never silently replaces a real one.
    """
    path = Path(db_path)
    if path.exists():
        refuse_foreign_file(path)
        problems = quick_check(path)
        if not problems:
            return
        aside = set_aside(path)
        good = newest_good_backup(path)
        raise DamagedDatabase(_damaged_message(path, aside, good, problems[0]), aside, good)
    copies = damaged_copies(path)
    if copies:
        good = newest_good_backup(path)
        if good is not None:
            raise DamagedDatabase(_damaged_message(path, copies[0], good, None), copies[0], good)


def _damaged_message(path: Path, aside: Path, good, detail) -> str:
    what = f"台账文件已损坏（{detail}），已原样保留为“{aside.name}”。" if detail else f"台账文件此前已损坏，保留为“{aside.name}”。"
    if good is None:
        return what + "没有找到可用的备份。再次运行将新建空台账；请把损坏的文件交给技术人员尝试修复。"
    return (
        what + f"最新的完好备份是 {good['created']} 的“{good['name']}”。"
        f"请运行 python main.py restore \"{good['path']}\" --db \"{path}\" 从该备份恢复"
        f"（如确需新建空台账，请先移走“{aside.name}”）。"
    )
