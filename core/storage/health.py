"""Is the ledger file healthy? quick_check and foreign keys on a read-only connection, damaged
files set aside (`<name>.damaged-YYYYMMDD-HHMMSS` with its -wal/-shm), foreign files refused."""

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from core.errors import UserError
from db.connection import read_only_connection

log = logging.getLogger(__name__)


SQLITE_HEADER = b"SQLite format 3\x00"


SIDE_FILES = ("-wal", "-shm", "-journal")


REQUIRED_TABLES = ("settings", "plans", "tasks", "entries", "history", "_sqlite_migrations")


def quick_check(path) -> list[str]:
    """Problems found by PRAGMA quick_check; [] for a healthy file.

    Only corruption counts: a locked or unreadable file raises sqlite3.OperationalError/OSError.
    """
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(16)
    if path.stat().st_size == 0:
        return []  # SQLite treats an empty file as an empty database
    if head != SQLITE_HEADER:
        return ["文件不是有效的数据库"]
    try:
        conn = read_only_connection(path)
    except sqlite3.DatabaseError as exc:
        return _corruption_or_raise(exc)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        return [] if rows == ["ok"] else [one_line(f"quick_check: {r}") for r in rows[:20]]
    except sqlite3.DatabaseError as exc:
        return _corruption_or_raise(exc)
    except ValueError as exc:  # SQLite's own message about damaged text may not even decode
        return [f"数据已损坏（{type(exc).__name__}）"]
    finally:
        conn.close()


def one_line(text: str, limit: int = 160) -> str:
    """`text` on one line, cut to `limit` characters (SQLite reports may span many lines)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def foreign_key_problems(path) -> list[str]:
    """Rows whose reference points nowhere (PRAGMA foreign_key_check); [] when consistent.

    Not damage in itself: reported in diagnostics and by the crash tests, never set aside.
    """
    conn = read_only_connection(path)
    try:
        bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return [f"外键不一致：表 {r[0]} 第 {r[1]} 行引用 {r[2]}" for r in bad[:20]]


def _corruption_or_raise(exc: sqlite3.DatabaseError) -> list[str]:
    text = str(exc)
    if any(word in text for word in ("malformed", "not a database", "corrupt", "file is encrypted")):
        return [one_line(text)]
    raise exc


def missing_tables(path) -> list[str]:
    """The ledger tables absent from the (healthy) database file at `path`."""
    conn = read_only_connection(path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return [t for t in REQUIRED_TABLES if t not in names]


def set_aside(path, label="damaged") -> Path:
    """Rename the database file (and its -wal/-shm) to `<name>.<label>-TIMESTAMP`; return the new name."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(target) + suffix))
    log.info("database %s set aside as %s", path, target)
    return target


def damaged_copies(path) -> list[Path]:
    """Files set aside as damaged from the database at `path`, newest first."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    found = [p for p in path.parent.glob(f"{path.name}.damaged-*") if not p.name.endswith(SIDE_FILES)]
    return sorted(found, key=lambda p: p.name, reverse=True)


LEDGER_SUFFIXES = {".sqlite3", ".sqlite", ".db", ""}


def refuse_foreign_file(path: Path) -> None:
    """Refuse, untouched, a file that is not a database and not named like one (a .docx given as --db).

    Only a file named like a ledger is treated as a damaged ledger and set aside.
    """
    if path.suffix.lower() in LEDGER_SUFFIXES or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        if f.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
            return
    raise UserError(f"“{path.name}”不是台账数据库文件，程序没有改动它。请检查 --db 或 ZWGK_DB 指定的路径。")
