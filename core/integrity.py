"""Is the ledger file healthy? Damaged files set aside, storage faults told in Chinese.

Start-up checks (headless and in the window) go through `start_check(db_path)`:
PRAGMA quick_check and foreign_key_check on a read-only connection; a damaged file is
renamed to `<name>.damaged-YYYYMMDD-HHMMSS` (with its -wal/-shm) and the newest good
backup is named, with the command that restores it.
"""

import logging
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from core.errors import UserError
from core.paths import beside_db

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
# The tables every ledger database has; a file without them is not a ledger.
REQUIRED_TABLES = ("settings", "plans", "tasks", "entries", "history", "_sqlite_migrations")


class DamagedDatabase(UserError):
    """The ledger file failed its integrity check; `backup` is the newest good copy (or None)."""

    def __init__(self, message, damaged_copy=None, backup=None):
        super().__init__(message)
        self.damaged_copy = damaged_copy
        self.backup = backup


class DiskFull(UserError):
    """The disk (or the database's page limit) is full; the change was rolled back."""


class ReadOnlyStorage(UserError):
    """The database or its folder cannot be written; the change was not saved."""


class StorageFailure(UserError):
    """The disk reported an I/O error (a USB stick pulled out, a failing disk)."""


DISK_FULL_MESSAGE = "磁盘空间已满，刚才的修改没有保存（台账保持修改前的状态）。请清理磁盘空间或把台账移到空间充足的磁盘后重试。"
READ_ONLY_MESSAGE = (
    "台账当前为只读（文件或所在文件夹不可写，或已在另一个窗口中打开），刚才的修改没有保存。"
    "请关闭其他窗口，或把台账放到可写的位置（检查U盘写保护）后重试。"
)
IO_ERROR_MESSAGE = "读写磁盘出错，刚才的修改没有保存。请检查U盘或硬盘是否已拔出或损坏，然后重试。"


# Below this many free bytes a disk counts as full: SQLite then reports a failed write to its
# -wal/-shm side files as "disk I/O error" or "unable to open", not as "disk is full".
FULL_DISK_BYTES = 256 * 1024


def storage_error(exc: BaseException, path=None) -> UserError | None:
    """The Chinese UserError for an sqlite3/OS error caused by the storage, or None.

    With `path` (the database or file written), an I/O error on a disk with no free space left
    is reported as a full disk rather than as a pulled-out stick.
    """
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text or getattr(exc, "errno", None) == 28:
        return DiskFull(DISK_FULL_MESSAGE)
    if "readonly" in text or "read-only" in text or getattr(exc, "errno", None) == 30:
        return ReadOnlyStorage(READ_ONLY_MESSAGE)
    if "disk i/o error" in text or "unable to open" in text:
        if path is not None and disk_is_full(path):
            return DiskFull(DISK_FULL_MESSAGE)
        if "disk i/o error" in text:
            return StorageFailure(IO_ERROR_MESSAGE)
    return None


def disk_is_full(path) -> bool:
    """True when the disk holding `path` (or its nearest existing folder) has almost no free space."""
    import shutil

    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


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


def start_check(db_path):
    """Check the database at `db_path` before opening it; raise DamagedDatabase if it is not usable.

    A damaged file is set aside first. A missing file with a damaged copy beside it and a good
    backup available is also refused, so that an empty ledger never silently replaces a real one.
    """
    from core import backup

    path = Path(db_path)
    if path.exists():
        refuse_foreign_file(path)
        problems = quick_check(path)
        if not problems:
            return
        aside = set_aside(path)
        good = backup.newest_good_backup(path)
        raise DamagedDatabase(_damaged_message(path, aside, good, problems[0]), aside, good)
    copies = damaged_copies(path)
    if copies:
        good = backup.newest_good_backup(path)
        if good is not None:
            raise DamagedDatabase(_damaged_message(path, copies[0], good, None), copies[0], good)


SQLITE_HEADER = b"SQLite format 3\x00"
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


def _damaged_message(path: Path, aside: Path, good, detail) -> str:
    what = f"台账文件已损坏（{detail}），已原样保留为“{aside.name}”。" if detail else f"台账文件此前已损坏，保留为“{aside.name}”。"
    if good is None:
        return what + "没有找到可用的备份。再次运行将新建空台账；请把损坏的文件交给技术人员尝试修复。"
    return (
        what + f"最新的完好备份是 {good['created']} 的“{good['name']}”。"
        f"请运行 python main.py restore \"{good['path']}\" --db \"{path}\" 从该备份恢复"
        f"（如确需新建空台账，请先移走“{aside.name}”）。"
    )


def cleanup_temp_files(db_path, extra_dirs=(), min_age=0.0) -> list[Path]:
    """Delete leftover temporary dot-files (`.*.part`, `.restore-*`) of interrupted writes.

    Looks in the database's folder, its backups/attachments folders and `extra_dirs`
    (plus the output folders remembered by `remember_output_dir`); only files older than
    `min_age` seconds. Returns what was removed.
    """
    import shutil

    db_path = Path(db_path)
    folders = [db_path.parent, beside_db(db_path, "backups"), beside_db(db_path, "attachments"), *map(Path, extra_dirs)]
    folders += remembered_output_dirs(db_path)
    removed, now = [], time.time()
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if not _is_temp(item.name):
                continue
            try:
                if now - item.lstat().st_mtime < min_age:
                    continue
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item)
                else:
                    item.unlink()
                removed.append(item)
            except OSError as exc:
                log.info("could not remove %s: %s", item, exc)
    if removed:
        log.info("removed %d leftover temporary files", len(removed))
    return removed


def _is_temp(name: str) -> bool:
    return name.startswith(".") and (name.endswith(".part") or name.startswith(".restore-") or name.startswith(".archive-"))


def _output_dirs_file(db_path) -> Path:
    return beside_db(db_path, "logs") / "output-dirs.txt"


def remember_output_dir(db_path, folder) -> None:
    """Note a folder files were written to, so start-up cleans temp files left there by a crash."""
    try:
        record = _output_dirs_file(db_path)
        known = [str(p) for p in remembered_output_dirs(db_path)]
        folder = str(Path(folder).resolve())
        if folder in known:
            return
        from core.atomic import write_text

        write_text(record, "\n".join([folder, *known][:20]) + "\n")
    except OSError as exc:
        log.info("could not remember output folder %s: %s", folder, exc)


def remembered_output_dirs(db_path) -> list[Path]:
    """The output folders noted by `remember_output_dir`, newest first."""
    record = _output_dirs_file(db_path)
    try:
        return [Path(line) for line in record.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return []


def newest_change(db) -> str | None:
    """The newest updated_at of any synced record (UTC ISO text), or None."""
    from db.schema import SYNCED_TABLES

    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    parts = [f"SELECT MAX(updated_at) FROM {t}" for t in SYNCED_TABLES if t in names]
    if not parts:
        return None
    values = [db.execute(p).fetchone()[0] for p in parts]
    values = [v for v in values if v]
    return max(values) if values else None


def clock_warning(db, now=None) -> str | None:
    """A Chinese warning if this computer's clock is earlier than the newest change in the ledger."""
    newest = newest_change(db)
    if not newest:
        return None
    now = now or datetime.now(timezone.utc)
    try:
        latest = datetime.fromisoformat(newest)
    except ValueError:
        return None
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=timezone.utc)
    if now >= latest:
        return None
    return (
        f"电脑时钟（{now.astimezone().strftime('%Y-%m-%d %H:%M')}）早于台账中最新的修改时间"
        f"（{latest.astimezone().strftime('%Y-%m-%d %H:%M')}）。修改仍会保存，但请核对系统日期和时间，"
        "否则与其他单位交换数据时的先后顺序可能出错。"
    )


def missing_attachments(db, db_path) -> list[str]:
    """Stored names of file attachments whose file is absent from the attachment folder."""
    folder = beside_db(db_path, "attachments")
    rows = db.execute("SELECT stored_name FROM attachments WHERE kind = 'file' AND deleted = 0 AND stored_name != ''").fetchall()
    return [name for (name,) in rows if not (folder / name).is_file()]


def attachments_warning(db, db_path) -> str | None:
    """A Chinese warning when attachment files (or the whole folder) are missing."""
    missing = missing_attachments(db, db_path)
    if not missing:
        return None
    folder = beside_db(db_path, "attachments")
    where = "附件文件夹不存在" if not folder.is_dir() else f"附件文件夹中缺少 {len(missing)} 个文件"
    return (
        f"{where}（{folder}），{len(missing)} 个附件暂时无法打开；台账记录本身完好。"
        "请把附件文件夹放回原处，或从含附件的备份（.zip）恢复。"
    )
