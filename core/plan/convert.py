"""Converting legacy formats (.doc/.wps/.et/.xls/.rtf) with LibreOffice, when it is installed."""

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from core.errors import UserError

TIMEOUT = 120


def soffice_path() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
                      "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


@contextmanager
def converted(path, target: str):
    """Yield the path of `path` converted to `target` ("docx" or "xlsx") in a temporary folder."""
    path = Path(path)
    program = soffice_path()
    if not program:
        kind = "WPS/Excel" if target == "xlsx" else "WPS/Word"
        raise UserError(f"“{path.name}”是旧版格式，本机未安装 LibreOffice 无法转换。请在 {kind} 中打开后“另存为” .{target} 再导入。")
    with tempfile.TemporaryDirectory(prefix="zwgk-convert-") as tmp:
        tmp = Path(tmp)
        source = tmp / ("source" + path.suffix.lower())
        shutil.copyfile(path, source)
        profile = (tmp / "profile").as_uri()
        cmd = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(tmp / "out"), str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise UserError(f"转换“{path.name}”超时（{TIMEOUT} 秒）。请在 WPS/Word 中打开后另存为 .{target} 再导入。") from None
        except OSError as exc:
            raise UserError(f"无法启动 LibreOffice 转换“{path.name}”：{exc}。请在 WPS/Word 中另存为 .{target} 再导入。") from None
        result = tmp / "out" / f"source.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise UserError(f"无法转换“{path.name}”（文件可能已损坏或有密码）。请在 WPS/Word 中打开后另存为 .{target} 再导入。")
        yield result
