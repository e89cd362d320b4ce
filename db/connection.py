"""Opening the ledger database: pragmas, migrations, read-only opening, storage faults in Chinese.

The start-up work around the first open (health check, snapshots, data repairs) is
core.storage.startup.prepare; this module imports nothing from core/ but its errors.
"""

import os
import sqlite3
import sys
from pathlib import Path

import sqlite_utils

from core.errors import ReadOnlyStorage, UserError, storage_error
from db.schema import migrations


# Databases this process must only read, and why: "window" (a second window on the same ledger)
# or "storage" (the file or its folder cannot be written, e.g. a write-protected USB stick).
_READ_ONLY: dict[str, str] = {}
READ_ONLY_REASONS = {
    "window": "台账已在另一个窗口中打开，本窗口为只读，修改不会保存。",
    "storage": "台账所在的位置不可写（如U盘写保护或只读文件夹），已以只读方式打开，修改不会保存。",
}


class GuardedConnection(sqlite3.Connection):
    """A connection that reports a full disk, a read-only medium or an I/O error as a Chinese UserError.

    The failing statement's transaction is rolled back by the caller (db.atomic()), so nothing changes.
    """

    # The database file, so that a failed write can be told apart: full disk or failing disk.
    db_path = None

    def execute(self, sql, *args, **kwargs):
        if sql == "COMMIT":  # how sqlite-utils' db.atomic() ends its transaction
            crash_point("before-commit")
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
        if self.in_transaction:
            crash_point("before-commit")
        return _guarded(self.db_path, super().commit)


_crash_points = 0


def crash_point(name: str) -> None:
    """Test hook for tests/robustness/test_crash_safety.py; does nothing unless $ZWGK_TEST_MARKER is set.

    With $ZWGK_TEST_MARKER=path each call appends `name` as a line to that file (flushed before it
    returns), so a test learns which moments an operation passes: "before-commit" (inside a
    transaction, all its writes done), "temp-file" / "before-rename" (core.storage.atomic),
    "before-replace" (a restore, the old state kept, the backup not yet copied in).
    With $ZWGK_TEST_HOLD=N as well, the N-th call waits on stdin after writing its line: the test
    kills the process exactly there (closing stdin instead lets it go on).
    """
    marker = os.environ.get("ZWGK_TEST_MARKER")
    if not marker:
        return
    global _crash_points
    _crash_points += 1
    with open(marker, "a", encoding="utf-8") as f:
        f.write(name + "\n")
    if os.environ.get("ZWGK_TEST_HOLD") == str(_crash_points):
        sys.stdin.buffer.read(1)


def _guarded(db_path, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except sqlite3.OperationalError as exc:
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

    A path marked read-only is opened with mode=ro; every write to it then raises a Chinese
    UserError. A storage that cannot be written opens an existing ledger read-only.
    """
    path = Path(path)
    if is_read_only(path):
        return _open_read_only(path)
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
        _migrate(db)
    except UserError as exc:
        if isinstance(exc, ReadOnlyStorage) and existed:  # a write-protected stick: read it at least
            mark_read_only(path, "storage")
            return _open_read_only(path)
        raise
    except sqlite3.DatabaseError as exc:
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
        err = storage_error(exc, path)
        if err is not None:
            raise err from exc
        raise UserError(f"无法创建或打开数据库“{path}”：{exc.strerror or exc}。请检查目录权限和磁盘空间。") from exc
    return db


def _read_only_storage(path: Path) -> bool:
    """True when the database's folder or file cannot be written (a write-protected stick)."""
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def pending_migrations(path) -> list[str]:
    """The schema migrations the database file at `path` still needs ([] if none, or unreadable)."""
    try:
        conn = read_only_connection(path)
    except sqlite3.Error:
        return []
    try:
        return [m.name for m in migrations.pending(sqlite_utils.Database(conn))]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def read_only_connection(path) -> sqlite3.Connection:
    """A connection that can only read the database file at `path` (URI mode=ro)."""
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=10, check_same_thread=False)


def read_only_uri(path) -> str:
    """The URI that opens `path` for reading only.

    On storage that cannot be written (a write-protected stick) SQLite cannot create the -shm
    file a WAL database needs even for reading; when no -wal file holds unsaved pages the file
    is then opened as immutable, which needs neither.
    """
    path = Path(path).resolve()
    uri = path.as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    folder_read_only = not os.access(path.parent, os.W_OK)
    if folder_read_only and not path.with_name(path.name + "-shm").exists() and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    return uri


def db_file(db_path_or_db) -> Path | None:
    """The database file behind a path or an open sqlite-utils Database (None for :memory:)."""
    if isinstance(db_path_or_db, (str, os.PathLike)):
        return Path(db_path_or_db)
    conn = getattr(db_path_or_db, "conn", db_path_or_db)
    for _, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def _open_read_only(path: Path) -> sqlite_utils.Database:
    """The database at `path` opened for reading only (mode=ro); refused if it needs migrating."""
    if not path.is_file():
        raise UserError(f"找不到台账文件“{path}”，只读方式无法新建。请检查路径。")
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


def _migrate(db: sqlite_utils.Database) -> None:
    """Bring the database to the current schema (core.storage.startup.prepare snapshots it first)."""
    if migrations.pending(db):
        migrations.apply(db)


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
