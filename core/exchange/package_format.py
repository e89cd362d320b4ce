"""The .zwgk package: a zip holding manifest.json, data.json, ledger.xlsx and attachments/.

Writing builds the members in memory, hashes each one and writes the zip through
core.atomic.atomic_path. Reading refuses anything unsafe before a single byte is inflated
(names, member count, sizes, compression ratio), then checks every member against the
sha256 listed in the manifest. Signing and verifying live in core.exchange.signing.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from core import zips
from core.errors import UserError

FORMAT_NAME = "zwgk-package"
FORMAT_VERSION = 1
SUFFIX = ".zwgk"
KINDS = ("task", "report")
KIND_NAMES = {"task": "任务包", "report": "报送包"}

MANIFEST = "manifest.json"
DATA = "data.json"
LEDGER = "ledger.xlsx"
ATTACHMENT_DIR = "attachments/"

# Limits checked on the zip directory before anything is inflated.
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # 1 GiB uncompressed in all
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one member
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Package:
    """A package read from disk, checked for safety and integrity (not yet for its signature)."""

    path: Path
    manifest: dict
    data: dict
    attachments: dict = field(default_factory=dict)  # stored_name -> bytes

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def sender(self) -> str:
        return self.manifest["sender"]

    @property
    def recipient(self) -> str:
        return self.manifest["recipient"]

    @property
    def tables(self) -> dict:
        return self.data["tables"]


def sha256(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def canonical(value) -> bytes:
    """The canonical JSON bytes a signature is computed over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def build_manifest(kind, sender, recipient, created_at, tables, members: dict, extra=None) -> dict:
    """The manifest for `members` ({name: bytes}), without its signature."""
    from core.version import __version__

    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "program_version": __version__,
        "kind": kind,
        "sender": sender,
        "recipient": recipient,
        "created_at": created_at,
        "counts": {name: len(rows) for name, rows in tables.items()},
        "members": {name: sha256(data) for name, data in sorted(members.items())},
        **(extra or {}),
        "signature": None,
    }


def write_package(target, kind, sender, recipient, created_at, data: dict, ledger: bytes | None,
                  attachments: dict, sign, extra=None) -> dict:
    """Write a package to `target` atomically; return its signed manifest.

    `data` is {"tables": {...}, ...}; `attachments` maps stored_name -> bytes;
    `sign(manifest) -> str` returns the signature over the manifest minus signature.
    """
    import zipfile

    from core.atomic import atomic_path

    data = {**data, "tables": {name: [_printable_row(r) for r in rows] for name, rows in data["tables"].items()}}
    members = {DATA: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
    if ledger is not None:
        members[LEDGER] = ledger
    for name, content in attachments.items():
        check_stored_name(name)
        members[ATTACHMENT_DIR + name] = content
    manifest = build_manifest(kind, sender, recipient, created_at, data["tables"], members, extra)
    manifest["signature"] = sign(manifest)
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, content in members.items():
                zf.writestr(name, content)
    return manifest


def _printable_row(row):
    """A table row with a stored bad character (if any) dropped from its texts (core.text.printable)."""
    from core.text import has_forbidden, printable

    if not isinstance(row, dict) or not any(isinstance(v, str) and has_forbidden(v) for v in row.values()):
        return row
    return {k: printable(v) if isinstance(v, str) else v for k, v in row.items()}


def check_stored_name(name: str) -> None:
    """Refuse an attachment file name that is not a plain file name."""
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or "\\" in name \
            or _DRIVE.match(name) or "\x00" in name:
        raise UserError(f"附件文件名“{name}”不合法，数据包已被拒绝。请让对方重新导出数据包。")


def read_package(path) -> Package:
    """Open, check and load the package at `path`; raise UserError on anything wrong."""
    import zipfile
    import zlib

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到数据包“{path}”，请检查文件路径。")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_directory(path.name, infos)
            raw = {info.filename: _inflate(zf, info) for info in infos}
    except (zipfile.BadZipFile, zlib.error) as exc:  # zlib.error: a damaged deflate stream
        raise UserError(f"“{path.name}”不是有效的数据包（文件损坏或不完整）。请让对方重新发送。") from exc
    except zips.READ_ERRORS as exc:
        raise UserError(f"无法读取数据包“{path.name}”：{exc}。请让对方重新导出并发送。") from exc
    manifest = _load_json(path.name, raw, MANIFEST)
    check_manifest(path.name, manifest)
    check_members(path.name, manifest, raw)
    data = _load_json(path.name, raw, DATA)
    check_data(path.name, data)
    attachments = {name[len(ATTACHMENT_DIR):]: content for name, content in raw.items() if name.startswith(ATTACHMENT_DIR)}
    return Package(path=path, manifest=manifest, data=data, attachments=attachments)


def check_directory(label: str, infos) -> None:
    """Refuse unsafe names, duplicates, too many members, too much data or zip bombs."""
    if len(infos) > MAX_MEMBERS:
        raise UserError(f"数据包“{label}”含 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}，已拒绝。请确认文件来源。")
    seen, total = set(), 0
    for info in infos:
        name = info.filename
        check_member_name(label, name)
        if name in seen:
            raise UserError(f"数据包“{label}”中“{name}”重复出现，可能被篡改，已拒绝。请让对方重新导出。")
        seen.add(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise UserError(f"数据包“{label}”中的“{name}”过大（{info.file_size // 1048576} MB），已拒绝。请减少附件后重新导出。")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UserError(f"数据包“{label}”解压后超过 {MAX_TOTAL_BYTES // 1048576} MB，已拒绝。请分批导出或减少附件。")
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UserError(f"数据包“{label}”中的“{name}”压缩比异常（疑似压缩炸弹），已拒绝。请确认文件来源。")


def check_member_name(label: str, name: str) -> None:
    """Refuse absolute paths, drive letters, backslashes, '..' and names outside the layout."""
    bad = (
        name.startswith("/")
        or "\\" in name
        or _DRIVE.match(name)
        or "\x00" in name
        or any(part in ("..", ".", "") for part in name.split("/"))
    )
    if bad:
        raise UserError(f"数据包“{label}”含有不安全的文件路径“{name}”，已拒绝。请勿导入来源不明的文件。")
    if name in (MANIFEST, DATA, LEDGER):
        return
    parts = PurePosixPath(name).parts
    if len(parts) == 2 and parts[0] + "/" == ATTACHMENT_DIR:
        return
    raise UserError(f"数据包“{label}”含有格式之外的文件“{name}”，已拒绝。请让对方用本程序重新导出。")


def check_manifest(label: str, manifest) -> None:
    """Refuse a manifest of another format, a newer version or missing fields."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise UserError(f"“{label}”不是政务公开工作台账的数据包，已拒绝。")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise UserError(f"数据包“{label}”的格式版本无法识别，已拒绝。请让对方用本程序重新导出。")
    if version > FORMAT_VERSION:
        raise UserError(f"此数据包由更新版本的程序生成，请升级程序（数据包“{label}”格式版本 {version}，本程序支持 {FORMAT_VERSION}）。")
    if manifest.get("kind") not in KINDS:
        raise UserError(f"数据包“{label}”的类型无法识别，已拒绝。")
    for key in ("sender", "recipient", "created_at"):
        if not isinstance(manifest.get(key), str):
            raise UserError(f"数据包“{label}”的清单缺少“{key}”，可能已损坏，已拒绝。请让对方重新导出。")
    if not isinstance(manifest.get("members"), dict):
        raise UserError(f"数据包“{label}”的清单缺少文件校验值，可能已损坏，已拒绝。")


def check_members(label: str, manifest: dict, raw: dict) -> None:
    """Every member is listed with the right sha256, and every listed member is present."""
    listed = manifest["members"]
    present = set(raw) - {MANIFEST}
    if DATA not in present:
        raise UserError(f"数据包“{label}”缺少 {DATA}，不完整，已拒绝。请让对方重新发送。")
    if present != set(listed):
        extra = sorted(present - set(listed))
        missing = sorted(set(listed) - present)
        what = f"多出“{extra[0]}”" if extra else f"缺少“{missing[0]}”"
        raise UserError(f"数据包“{label}”与其清单不符（{what}），可能被改动过，已拒绝。请让对方重新发送。")
    for name in sorted(present):
        if sha256(raw[name]) != listed[name]:
            raise UserError(f"数据包“{label}”中的“{name}”校验不符，文件被改动过或已损坏，已拒绝。请让对方重新发送。")


def check_data(label: str, data) -> None:
    """data.json holds {"tables": {table: [record, …]}} with the sync columns on every record."""
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise UserError(f"数据包“{label}”的数据格式不对，已拒绝。请让对方用本程序重新导出。")
    for table, rows in data["tables"].items():
        if not isinstance(rows, list):
            raise UserError(f"数据包“{label}”中表“{table}”的数据格式不对，已拒绝。")
        for row in rows:
            if not _valid_record(row):
                raise UserError(f"数据包“{label}”中表“{table}”有记录缺少编号或版本信息，已拒绝。请让对方用本程序重新导出。")


def _valid_record(row) -> bool:
    return (
        isinstance(row, dict)
        and isinstance(row.get("id"), str) and row["id"] != ""
        and isinstance(row.get("rev"), int) and not isinstance(row.get("rev"), bool) and row["rev"] >= 1
        and isinstance(row.get("updated_at"), str)
        and isinstance(row.get("device"), str)
        and isinstance(row.get("updated_by"), str)
        and row.get("deleted") in (0, 1)
    )


def _inflate(zf, info) -> bytes:
    """Read one member, never more than its declared size."""
    with zf.open(info) as f:
        content = f.read(info.file_size + 1)
    if len(content) != info.file_size:
        raise OSError(f"“{info.filename}”的实际大小与声明不符")
    return content


def _load_json(label: str, raw: dict, name: str):
    if name not in raw:
        raise UserError(f"数据包“{label}”缺少 {name}，不完整，已拒绝。请让对方重新发送。")
    try:
        return json.loads(raw[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: hostile nesting
        raise UserError(f"数据包“{label}”中的 {name} 无法解析，已损坏，已拒绝。请让对方重新发送。") from exc
