"""Evidence (佐证材料) for progress lines: files copied into the attachment folder, and web links.

Files are copied into core.paths.beside_db(db_path, "attachments") under a name Windows
accepts ("<8 hex>-<safe name>"); the original name is kept as the display name. Size and
readability are checked before copying; nothing is recorded when the copy fails.
"""

import hashlib
import os
import re
from pathlib import Path

from core import records
from core.storage.atomic import atomic_path
from core.errors import UserError
from core.paths import beside_db
from core.text import RESERVED_NAMES, stored_name_problem, url_problem

MAX_BYTES = 200 * 1024 * 1024
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_DOTS = re.compile(r"\.{2,}")
MAX_NAME = 80


def folder(db_path) -> Path:
    """The attachment folder of the database at `db_path`."""
    return beside_db(db_path, "attachments")


def safe_name(name: str) -> str:
    """A file name Windows accepts: forbidden characters → _, no trailing dot/space, no CON/NUL…"""
    name = _DOTS.sub(".", _FORBIDDEN.sub("_", name or "")).strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in RESERVED_NAMES:
        stem = "_" + stem
    ext = ext[:16]
    stem = stem[: MAX_NAME - len(ext) - 1] or "附件"
    return f"{stem}.{ext}" if ext else stem


def check_file(path, max_bytes: int = MAX_BYTES) -> Path:
    """The file at `path` if it can be attached; UserError saying why not otherwise."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"找不到文件“{p}”，它可能已被移动或删除。请重新选择文件。")
    if not p.is_file():
        raise UserError(f"“{p.name}”不是文件（可能是文件夹）。请选择一个文件作为佐证材料。")
    size = p.stat().st_size
    if size > max_bytes:
        raise UserError(
            f"文件“{p.name}”有 {size / 1024 / 1024:.0f} MB，超过 {max_bytes // 1024 // 1024} MB 的上限。"
            "请压缩后再添加，或把文件放在共享位置并添加链接。"
        )
    try:
        with open(p, "rb") as f:
            f.read(1)
    except OSError as exc:
        raise UserError(f"无法读取文件“{p.name}”：文件被其他程序占用或没有读取权限。请关闭该文件后重试。") from exc
    return p


def add_file(db, db_path, progress_id: str, path, max_bytes: int = MAX_BYTES) -> dict:
    """Copy a file into the attachment folder and record it as evidence of a progress line."""
    _require_progress(db, progress_id)
    src = check_file(path, max_bytes)
    record_id = records.new_id()
    stored = f"{record_id[:8]}-{safe_name(src.name)}"
    target = folder(db_path) / stored
    try:
        digest, size = _copy(src, target)
    except OSError as exc:
        raise UserError(f"复制文件“{src.name}”失败：{exc.strerror or exc}。请检查磁盘空间和文件夹权限。") from exc
    try:
        with db.atomic():
            return records.insert(
                db,
                "attachments",
                {"id": record_id, "progress_id": progress_id, "kind": "file", "name": src.name,
                 "stored_name": stored, "sha256": digest, "size": size},
            )
    except Exception:
        target.unlink(missing_ok=True)
        raise


def _copy(src: Path, target: Path) -> tuple[str, int]:
    """Copy src to target through a temporary file; return (sha256, size)."""
    digest, size = hashlib.sha256(), 0
    with atomic_path(target, expect_size=src.stat().st_size) as tmp, open(src, "rb") as fin, open(tmp, "wb") as fout:
        for block in iter(lambda: fin.read(1024 * 1024), b""):
            digest.update(block)
            size += len(block)
            fout.write(block)
    return digest.hexdigest(), size


def add_link(db, progress_id: str, url: str, name: str = "") -> dict:
    """Record a web link (the page where the work was published) as evidence."""
    _require_progress(db, progress_id)
    url = (url or "").strip()
    if url and "://" not in url and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", url, re.I):
        url = "http://" + url
    if url_problem(url):
        raise UserError(f"链接“{url}”无效，请填写以 http:// 或 https:// 开头的网址。")
    with db.atomic():
        return records.insert(db, "attachments", {"progress_id": progress_id, "kind": "link", "name": (name or "").strip() or url, "url": url})


def remove(db, attachment_id: str) -> None:
    """Delete one piece of evidence (a tombstone; the copied file stays for undo and merges)."""
    with db.atomic():
        records.delete(db, "attachments", attachment_id)


def of_progress(db, progress_id: str) -> list[dict]:
    """The evidence recorded for one progress line."""
    return [dict(r) for r in db.query("SELECT * FROM attachments WHERE progress_id = ? AND deleted = 0 ORDER BY updated_at", [progress_id])]


def location(db_path, attachment: dict) -> str:
    """What to open for a piece of evidence: the link's URL or the copied file's path.

    UserError when the copied file is missing (e.g. a database moved without its folder).
    """
    if attachment["kind"] == "link":
        problem = url_problem(attachment.get("url"))
        if problem:
            raise UserError(f"链接“{attachment.get('url')}”{problem}，为安全起见不予打开。请核对后重新添加正确的网址。")
        return attachment["url"]
    name = attachment.get("stored_name") or ""
    base = folder(db_path).resolve()
    path = (base / name).resolve()
    if stored_name_problem(name) or path.parent != base:
        raise UserError(f"佐证文件“{attachment.get('name')}”的存放位置不在附件文件夹内，为安全起见不予打开。"
                        "请删除这条佐证材料后重新添加文件。")
    if not path.is_file():
        raise UserError(
            f"佐证文件“{attachment['name']}”不在附件文件夹中（{path.parent}）。"
            "如果移动过数据库，请把同名的 -attachments 文件夹一起移动。"
        )
    return str(path)


def is_link(text: str) -> bool:
    """Whether `text` looks like a web address rather than a file path."""
    t = (text or "").strip().lower()
    return t.startswith(("http://", "https://", "www.")) and not os.path.exists(text)


def _require_progress(db, progress_id: str) -> None:
    row = db.execute("SELECT deleted FROM progress WHERE id = ?", [progress_id]).fetchone()
    if row is None or row[0]:
        raise UserError("找不到这条进展记录，它可能已被删除。请先记录进展，再添加佐证材料。")
