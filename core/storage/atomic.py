"""Writing files so that a reader never sees half of one.

Every file the program writes goes through `atomic_path(target)`: the writer fills a temporary
file beside the target, which is checked (not empty; a .pdf ends with its %%EOF trailer; an
.xlsx/.docx/.zip/package has its zip directory) and only then renamed over the target. A full
disk, a locked target or read-only storage is told in one Chinese sentence (磁盘空间不足 /
文件被占用 / 只读) as a UserError, and neither a partial nor an empty file is left at the target.
"""

import contextlib
import errno
import os
import uuid
from pathlib import Path

from core.errors import UserError
from db.connection import crash_point

# Files that are zip archives: their end-of-central-directory record must be there.
ZIP_SUFFIXES = {".xlsx", ".docx", ".zip", ".zwgk", ".zwgkpkg"}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_LOCKED = {errno.EACCES, errno.EPERM, errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}
_WINDOWS_LOCKED = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


class WriteFailed(Exception):
    """A writer's library reported that it did not write the file (e.g. Qt's PDF painter)."""


def disk_full_message(name: str) -> str:
    return f"无法保存“{name}”：磁盘空间不足，文件没有写入（原有文件未改动）。请清理磁盘或换一个空间充足的位置后重试。"


def locked_message(name: str) -> str:
    return (
        f"无法保存“{name}”：文件被占用（正被其他程序如 Excel、WPS 打开）或没有写入权限。"
        "请关闭该文件后重试，或换一个保存位置。"
    )


def read_only_message(name: str) -> str:
    return f"无法保存“{name}”：保存位置是只读的（如U盘写保护），文件没有写入。请换一个可写的位置保存。"


@contextlib.contextmanager
def atomic_path(target, allow_empty: bool = False, expect_size: int | None = None):
    """Yield a temporary path beside `target`; on success check it and rename it over `target`.

    On any error the temporary file is removed and `target` is untouched. Storage faults
    (full disk, locked file, read-only medium) and a file the writer left empty or cut short
    raise a Chinese UserError. `allow_empty` accepts a 0-byte result (a copy of an empty file);
    with `expect_size` the file must have exactly that many bytes (its format is then not checked).
    """
    target = Path(target)
    tmp_path = target.parent / f".{target.stem[:40]}.{uuid.uuid4().hex[:8]}.part"
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Made with the usual permissions (0666 less the umask), not mkstemp's owner-only 0600,
            # so a form exported on a shared 信创 PC can be read by colleagues.
            os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            crash_point("temp-file")
            yield tmp_path
            check_written(tmp_path, target, allow_empty, expect_size)
            _fsync_file(tmp_path)
            crash_point("before-rename")
            os.replace(tmp_path, target)
        except OSError as exc:
            err = storage_error(exc, target)
            if err is None:
                raise
            raise err from exc
        except WriteFailed as exc:
            raise _unwritten(target) from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp_path.exists():
                tmp_path.unlink()


def storage_error(exc: OSError, target: Path) -> UserError | None:
    """The Chinese UserError for a storage fault while writing `target`, or None for another error."""
    code = getattr(exc, "errno", None)
    if code in _FULL:
        return UserError(disk_full_message(target.name))
    if code == errno.EROFS:
        return UserError(read_only_message(target.name))
    if isinstance(exc, PermissionError) or code in _LOCKED or getattr(exc, "winerror", None) in _WINDOWS_LOCKED:
        if _folder_read_only(target):
            return UserError(read_only_message(target.name))
        return UserError(locked_message(target.name))
    return None


def check_written(tmp: Path, target: Path, allow_empty: bool = False, expect_size: int | None = None) -> None:
    """Raise WriteFailed unless `tmp` looks like a whole file of `target`'s kind (or has `expect_size` bytes)."""
    size = tmp.stat().st_size
    if expect_size is not None:
        if size != expect_size:
            raise WriteFailed(f"{size} of {expect_size} bytes")
        return
    if size == 0:
        if allow_empty:
            return
        raise WriteFailed("empty")
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        with open(tmp, "rb") as f:
            head = f.read(5)
            f.seek(max(0, size - 1024))
            tail = f.read()
        if head != b"%PDF-" or b"%%EOF" not in tail:
            raise WriteFailed("pdf cut short")
    elif suffix in ZIP_SUFFIXES:
        import zipfile

        if not zipfile.is_zipfile(tmp):
            raise WriteFailed("zip cut short")


def _unwritten(target: Path) -> UserError:
    """The error for a file the writer left empty or incomplete without raising."""
    from core.errors import disk_is_full

    if disk_is_full(target):
        return UserError(disk_full_message(target.name))
    if _folder_read_only(target):
        return UserError(read_only_message(target.name))
    return UserError(f"无法保存“{target.name}”：文件没有完整写入（原有文件未改动）。请检查磁盘空间和保存位置后重试。")


def _folder_read_only(target: Path) -> bool:
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return os.statvfs(folder).f_flag & os.ST_RDONLY != 0
    except (AttributeError, OSError):
        return False


def write_bytes(target, data: bytes) -> None:
    """Write `data` to `target` atomically."""
    with atomic_path(target, expect_size=len(data)) as tmp:
        tmp.write_bytes(data)


def write_text(target, text: str) -> None:
    """Write UTF-8 `text` to `target` atomically."""
    write_bytes(target, text.encode("utf-8"))


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
