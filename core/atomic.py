"""Writing files so that a reader never sees half of one."""

import contextlib
import os
import uuid
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
    # Made with the usual permissions (0666 less the umask), not mkstemp's owner-only 0600,
    # so a form exported on a shared 信创 PC can be read by colleagues.
    tmp_path = target.parent / f".{target.stem[:40]}.{uuid.uuid4().hex[:8]}.part"
    os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
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
