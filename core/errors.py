"""The exceptions a user may see, and how a storage failure becomes one."""

import shutil
from pathlib import Path


class UserError(Exception):
    """Bad input or a refused action, told in one Chinese sentence: what is wrong and what to do.

    The command line prints it and exits 2; the window shows it in a dialog.
    Whoever raises it guarantees nothing was changed.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


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
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False
