"""Opening the ledger database: pragmas, migrations, and a copy aside before migrating."""

import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from core.errors import UserError
from core.integrity import ReadOnlyStorage
from db.schema import migrations


# Databases this process must only read, and why: "window" (a second window on the same ledger)
# or "storage" (the file or its folder cannot be written, e.g. a write-protected USB stick).
_READ_ONLY: dict[str, str] = {}
READ_ONLY_REASONS = {
    "window": "台账已在另一个窗口中打开，本窗口为只读，修改不会保存。",
    "storage": "台账所在的位置不可写（如U盘写保护或只读文件夹），已以只读方式打开，修改不会保存。",
}
# Databases whose start-up checks (integrity, temp-file cleanup, daily backup) already ran.
_STARTED: set[str] = set()


class GuardedConnection(sqlite3.Connection):
    """A connection that reports a full disk, a read-only medium or an I/O error as a Chinese UserError.

    The failing statement's transaction is rolled back by the caller (db.atomic()), so nothing changes.
    """

    # The database file, so that a failed write can be told apart: full disk or failing disk.
    db_path = None

    def execute(self, sql, *args, **kwargs):
        if sql == "BEGIN":
            # sqlite-utils' db.atomic() begins a deferred transaction: one that reads, then
            # writes after another connection (a background worker) has written, fails at once
            # with "database is locked". Taking the write lock up front makes it wait instead.
            sql = "BEGIN IMMEDIATE"
        return _guarded(self.db_path, super().execute, sql, *args, **kwargs)

    def executemany(self, *args, **kwargs):
        return _guarded(self.db_path, super().executemany, *args, **kwargs)

    def executescript(self, *args, **kwargs):
        return _guarded(self.db_path, super().executescript, *args, **kwargs)

    def commit(self):
        return _guarded(self.db_path, super().commit)


def _guarded(db_path, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except sqlite3.OperationalError as exc:
        from core.integrity import storage_error

        err = storage_error(exc, db_path)
        if err is None:
            raise
        raise err from exc


def mark_read_only(path, reason: str = "window") -> None:
    """From now on, open_db(path) in this process opens the database read-only (`reason`: window|storage)."""
    _READ_ONLY.setdefault(str(Path(path).resolve()), reason)


def is_read_only(path) -> bool:
    """Whether open_db(path) opens the database read-only in this process."""
    return str(Path(path).resolve()) in _READ_ONLY


def read_only_reason(path) -> str | None:
    """Why the database at `path` is open read-only, as one Chinese sentence for the window; None if writable."""
    reason = _READ_ONLY.get(str(Path(path).resolve()))
    return READ_ONLY_REASONS.get(reason) if reason else None


def storage_is_read_only(path) -> bool:
    """True when the existing database at `path` sits on storage that cannot be written."""
    path = Path(path)
    return path.is_file() and _read_only_storage(path)


def open_db(path) -> sqlite_utils.Database:
    """Open (creating if missing) the database at `path`, migrated to the current schema.

    The first open of a path in a process runs the start-up checks (core.integrity.start_check,
    cleanup of stale temp files, the daily backup). A path marked read-only is opened with
    mode=ro; every write to it then raises a Chinese UserError.
    """
    path = Path(path)
    if is_read_only(path):
        return _open_read_only(path)
    first = _start(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.is_file() and path.stat().st_size > 0
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10, factory=GuardedConnection)
        conn.db_path = path
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA synchronous=NORMAL")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        _migrate(db, path)
    except UserError as exc:
        if isinstance(exc, ReadOnlyStorage) and existed:  # a write-protected stick: read it at least
            mark_read_only(path, "storage")
            return _open_read_only(path)
        raise
    except sqlite3.DatabaseError as exc:
        from core.integrity import storage_error

        err = storage_error(exc, path)
        if existed and (isinstance(err, ReadOnlyStorage) or (err is None and _read_only_storage(path))):
            mark_read_only(path, "storage")
            return _open_read_only(path)
        if err is not None:
            raise err from exc
        raise UserError(
            f"无法打开数据库“{path}”：{_describe(exc)}。请检查文件是否损坏或被占用，必要时从备份恢复。"
        ) from exc
    except OSError as exc:
        from core.integrity import storage_error

        err = storage_error(exc, path)
        if err is not None:
            raise err from exc
        raise UserError(f"无法创建或打开数据库“{path}”：{exc.strerror or exc}。请检查目录权限和磁盘空间。") from exc
    if first and existed:
        _daily_backup(path)
    return db


def _read_only_storage(path: Path) -> bool:
    """True when the database's folder or file cannot be written (a write-protected stick)."""
    import os

    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def _start(path: Path) -> bool:
    """Run the once-per-process start-up checks for `path`; True the first time."""
    key = str(path.resolve())
    if key in _STARTED:
        return False
    from core import integrity

    try:
        integrity.start_check(path)
    except (sqlite3.OperationalError, OSError):
        pass  # locked or unreadable, not damaged: opening reports it in Chinese below
    integrity.cleanup_temp_files(path, min_age=60)
    _STARTED.add(key)
    return True


def _daily_backup(path: Path) -> None:
    import logging

    from core import backup

    try:
        backup.daily_backup(path)
    except (UserError, sqlite3.Error, OSError) as exc:  # a failed backup must not stop the work
        logging.getLogger(__name__).info("daily backup of %s failed: %s", path, exc)


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """The database at `path` opened for reading only (mode=ro); refused if it needs migrating."""
    if not path.is_file():
        raise UserError(f"找不到台账文件“{path}”，只读方式无法新建。请检查路径。")
    from core.integrity import read_only_connection, read_only_uri

    try:
        conn = read_only_connection(path)
        conn.close()
        uri = read_only_uri(path)
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10, factory=GuardedConnection)
        conn.db_path = path
        conn.execute("PRAGMA busy_timeout=10000")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        pending = migrations.pending(db)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"无法以只读方式打开台账“{path}”：{_describe(exc)}。") from exc
    if pending:
        conn.close()
        raise UserError("台账需要升级数据库结构，只读方式无法升级。请关闭另一个窗口后重新打开。")
    return db


def open_memory_db() -> sqlite_utils.Database:
    """A fresh in-memory database with the current schema (for tests and dry runs)."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=ON")
    db = sqlite_utils.Database(conn, execute_plugins=False)
    migrations.apply(db)
    return db


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    pending = migrations.pending(db)
    if not pending:
        return
    has_data = bool(migrations.applied(db))
    if has_data:
        _copy_aside(db, path)
    migrations.apply(db)


def _copy_aside(db: sqlite_utils.Database, path: Path) -> None:
    """Keep a consistent copy of the database before a schema change (SQLite backup API)."""
    from core import backup

    try:
        if backup.backup_before(path, "migration"):
            return
    except UserError:
        pass  # fall back to the plain copy beside the database
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-migration-{stamp}{path.suffix}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def _describe(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "文件不是有效的数据库或已损坏"
    if "locked" in text:
        return "数据库正被其他程序使用"
    if "readonly" in text or "read-only" in text:
        return "数据库为只读"
    if "unable to open" in text:
        return "无法打开文件（所在文件夹不可写、U盘已拔出或路径无效）"
    if "disk is full" in text:
        return "磁盘空间已满"
    return text
