"""Writing files so that a reader never sees half of one."""

import contextlib
import os
import tempfile
from pathlib import Path

from core.errors import UserError


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path beside `target`; on success rename it over `target`.

    On any error the temporary file is removed and `target` is untouched.
    A target held open by Excel/WPS on Windows raises UserError.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _fsync_file(tmp_path)
        try:
            os.replace(tmp_path, target)
        except PermissionError as exc:
            raise UserError(
                f"无法写入“{target.name}”：文件正被其他程序（如 Excel、WPS）打开或没有写入权限。"
                "请关闭该文件后重试，或换一个保存位置。"
            ) from exc
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target, data: bytes) -> None:
    """Write `data` to `target` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target, text: str) -> None:
    """Write UTF-8 `text` to `target` atomically."""
    write_bytes(target, text.encode("utf-8"))


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
