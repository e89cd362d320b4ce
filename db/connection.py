"""Opening the ledger database: pragmas, migrations, and a copy aside before migrating."""

import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from core.errors import UserError
from db.schema import migrations


def open_db(path) -> sqlite_utils.Database:
    """Open (creating if missing) the database at `path`, migrated to the current schema."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA synchronous=NORMAL")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        raise UserError(
            f"无法打开数据库“{path}”：{_describe(exc)}。请检查文件是否损坏或被占用，必要时从备份恢复。"
        ) from exc
    except OSError as exc:
        raise UserError(f"无法创建或打开数据库“{path}”：{exc.strerror or exc}。请检查目录权限和磁盘空间。") from exc
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
    return text
