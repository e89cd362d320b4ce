"""Automatic copies of the ledger: daily and before-event snapshots, pruned, listed.

Automatic copies live in core.paths.beside_db(db_path, "backups"):
    daily-YYYYMMDD-HHMMSS.sqlite3                (the first start of each day; last 14 kept)
    event-YYYYMMDD-HHMMSS-ffffff-REASON.sqlite3  (before an import, merge, migration…; last 10 kept)
    replaced-YYYYMMDD-HHMMSS.sqlite3             (the state a restore replaced; never pruned)
Every copy is made with SQLite's backup API from its own connection (so it holds committed data
only), switched to a single self-contained file (journal_mode=DELETE), checked, then renamed
into place.
"""

import logging
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from core.errors import UserError, storage_error
from core.paths import beside_db
from core.storage.atomic import atomic_path
from core.storage.health import quick_check
from db.connection import db_file

log = logging.getLogger(__name__)


KEEP_DAILY = 14


KEEP_EVENT = 10


REASONS = {
    "daily": "每日自动备份",
    "import": "导入方案前",
    "merge": "合并数据包前",
    "unpack": "合并数据包前",
    "roundtrip": "导入 Excel 台账前",
    "migration": "升级数据库前",
    "restore": "恢复备份前",
    "manual": "手动备份",
    "replaced": "被恢复操作替换的台账",
}


_NAME = re.compile(r"^(daily|event|replaced)-(\d{8})-(\d{6})(?:-(\d{6}))?(?:-([A-Za-z0-9_]+))?\.sqlite3$")


def backup_dir(db_path) -> Path:
    """The folder holding the automatic copies of the database at `db_path`."""
    return beside_db(db_path, "backups")


def attachments_dir(db_path) -> Path:
    """The attachment folder of the database at `db_path`."""
    return beside_db(db_path, "attachments")


def _slug(reason: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_]+", "_", str(reason or "")).strip("_")[:24]
    return text or "event"


def now():
    """The clock the copies' names are stamped with."""
    return datetime.now()


def snapshot(source, target) -> Path:
    """Copy the database file `source` to `target` (atomically) with the SQLite backup API.

    The copy is a single file in rollback-journal mode and passes quick_check before it is
    renamed into place. Storage faults raise a Chinese UserError and leave no partial file.
    """
    target = Path(target)
    try:
        src = sqlite3.connect(str(source), timeout=30)
        try:
            with atomic_path(target) as tmp:
                dest = sqlite3.connect(str(tmp))
                try:
                    src.backup(dest)
                    dest.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dest.close()
                problems = quick_check(tmp)
                if problems:
                    raise UserError(f"备份副本未通过完整性检查（{problems[0]}），未保存备份。请先检查台账文件。")
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        err = storage_error(exc)
        if err is not None:
            raise err from exc
        raise UserError(f"无法备份台账：{exc}。请检查磁盘空间和文件夹权限后重试。") from exc
    return target


def daily_backup(db_path) -> Path | None:
    """Today's automatic copy, made if none exists yet; returns its path (None if not needed)."""
    db_path = Path(db_path)
    if not has_ledger(db_path):
        return None
    folder = backup_dir(db_path)
    today = now().strftime("%Y%m%d")
    if any(folder.glob(f"daily-{today}-*.sqlite3")):
        return None
    target = folder / f"daily-{now().strftime('%Y%m%d-%H%M%S')}.sqlite3"
    snapshot(db_path, target)
    prune(db_path)
    log.info("daily backup %s", target)
    return target


def backup_before(db_path_or_db, reason: str) -> Path | None:
    """An event copy before a risky change (reason: import, merge, migration, restore, …).

    Accepts a path or an open Database; an in-memory database has nothing to copy (None).
    """
    path = db_file(db_path_or_db)
    if path is None or not has_ledger(path):
        return None
    stamp = now()
    target = backup_dir(path) / f"event-{stamp.strftime('%Y%m%d-%H%M%S-%f')}-{_slug(reason)}.sqlite3"
    snapshot(path, target)
    prune(path)
    log.info("backup before %s: %s", reason, target)
    return target


def has_ledger(path: Path) -> bool:
    """Whether `path` is a non-empty file (a ledger worth copying)."""
    return path.is_file() and path.stat().st_size > 0


def prune(db_path) -> list[Path]:
    """Delete the oldest automatic copies beyond the last 14 daily and 10 event ones."""
    removed = []
    for kind, keep in (("daily", KEEP_DAILY), ("event", KEEP_EVENT)):
        copies = sorted(backup_dir(db_path).glob(f"{kind}-*.sqlite3"), key=lambda p: p.name, reverse=True)
        for old in copies[keep:]:
            try:
                old.unlink()
                removed.append(old)
            except OSError as exc:
                log.info("could not prune %s: %s", old, exc)
    return removed


def list_backups(db_path) -> list[dict]:
    """The automatic copies of the database, newest first.

    Each: {"path", "name", "kind" (daily|event|replaced), "reason", "label", "created", "size"}.
    """
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if not m or not p.is_file():
            continue
        kind, day, clock, micro, reason = m.groups()
        reason = reason or kind
        created = datetime.strptime(day + clock + (micro or "000000"), "%Y%m%d%H%M%S%f")
        found.append(
            {
                "path": str(p),
                "name": p.name,
                "kind": kind,
                "reason": reason,
                "label": REASONS.get(reason, reason),
                "created": created.strftime("%Y-%m-%d %H:%M:%S"),
                "size": p.stat().st_size,
                "_sort": created,
            }
        )
    found.sort(key=lambda b: b["_sort"], reverse=True)
    for b in found:
        del b["_sort"]
    return found
