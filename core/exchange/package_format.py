"""The .zwgk package: a zip holding manifest.json, data.json, ledger.xlsx and attachments/.

Writing builds the members in memory, hashes each one and writes the zip through
core.storage.atomic.atomic_path. Reading refuses anything unsafe from the zip's central directory
before a single byte is inflated (names, member count, sizes, compression ratio), then reads
the manifest (capped) and checks its declared members, sizes and total against the directory,
lets the caller check the signature, and only then inflates the members, each read in chunks
with a cap and checked against its sha256. Attachments are never held in memory all at once:
they are read (or copied to disk) one at a time when wanted. Memory stays well under 100 MB
for any package. Signing and verifying live in core.exchange.signing.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from core.storage import zips
from core.errors import UserError

FORMAT_NAME = "zwgk-package"
FORMAT_VERSION = 2  # 2: Ed25519 signer in the manifest, declared member sizes
MIN_FORMAT_VERSION = 2  # format 1 (HMAC keys carried in clear in 任务包) is no longer trusted
SUFFIX = ".zwgk"
KINDS = ("task", "report")
KIND_NAMES = {"task": "任务包", "report": "报送包"}

MANIFEST = "manifest.json"
DATA = "data.json"
LEDGER = "ledger.xlsx"
ATTACHMENT_DIR = "attachments/"

# Limits checked on the zip directory before anything is inflated.
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # uncompressed in all
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one attachment (streamed, never held whole by the import)
MAX_MANIFEST_BYTES = 4 * 1024 * 1024  # manifest.json (20,000 members listed fit in 4 MB)
MAX_DATA_BYTES = 8 * 1024 * 1024  # data.json, parsed in memory (~5x its size); five years of a big unit is ~3 MB
MAX_RATIO = 200  # uncompressed / compressed, for members (and the whole) over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024
CHUNK = 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Package:
    """A package read from disk, checked for safety and integrity (not yet for its signature)."""

    path: Path
    manifest: dict
    data: dict = field(default_factory=dict)
    attachments: "Attachments" = field(default_factory=dict)  # stored_name -> bytes, read when asked

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
    """The manifest for `members` ({name: bytes}), without its signature: their sha256, sizes and total."""
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
        "sizes": {name: len(data) for name, data in sorted(members.items())},
        "total_bytes": sum(len(data) for data in members.values()),
        **(extra or {}),
        "signature": None,
    }


def write_package(target, kind, sender, recipient, created_at, data: dict, ledger: bytes | None,
                  attachments: dict, sign, extra=None) -> dict:
    """Write a package to `target` atomically; return its signed manifest.

    `data` is {"tables": {...}, ...}; `attachments` maps stored_name -> bytes;
    `sign(manifest)` returns the signature (str) or the fields to add ({"signer", …, "signature"}),
    see core.exchange.signing.signer.
    """
    import zipfile

    from core.storage.atomic import atomic_path

    data = {**data, "tables": {name: [_printable_row(r) for r in rows] for name, rows in data["tables"].items()}}
    members = {DATA: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
    if ledger is not None:
        members[LEDGER] = ledger
    for name, content in attachments.items():
        check_stored_name(name)
        members[ATTACHMENT_DIR + name] = content
    manifest = build_manifest(kind, sender, recipient, created_at, data["tables"], members, extra)
    signed = sign(manifest)
    manifest.update(signed if isinstance(signed, dict) else {"signature": signed})
    with atomic_path(target) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, content in members.items():
                zf.writestr(name, content, compress_type=_method(content))
    return manifest


def _printable_row(row):
    """A table row with a stored bad character (if any) dropped from its texts (core.text.printable)."""
    from core.text import has_forbidden, printable

    if not isinstance(row, dict) or not any(isinstance(v, str) and has_forbidden(v) for v in row.values()):
        return row
    return {k: printable(v) if isinstance(v, str) else v for k, v in row.items()}


def _method(content: bytes) -> int:
    """Deflate, except for content that does not shrink (photos, videos, archives): stored as is."""
    import zipfile
    import zlib

    sample = content[:65536]
    if len(sample) >= 4096 and len(zlib.compress(sample, 1)) > 0.97 * len(sample):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED




def is_plain_file_name(name) -> bool:
    """True for a name that is one plain file name on every platform (core.text.file_name_problem)."""
    from core.text import MAX_STORED_NAME, file_name_problem

    return file_name_problem(name, MAX_STORED_NAME) is None


def check_stored_name(name: str) -> None:
    """Refuse an attachment file name that is not a plain file name (see is_plain_file_name)."""
    if not is_plain_file_name(name):
        raise UserError(f"附件文件名“{_shown(name)}”不合法（含路径、保留设备名或不允许的字符），数据包已被拒绝。请让对方重新导出数据包。")


def _shown(name) -> str:
    return "".join(c if c.isprintable() else "?" for c in str(name))[:80]


def read_package(path, verify=None) -> Package:
    """Open, check and load the package at `path`; raise UserError on anything wrong.

    verify(package) is called with the checked manifest (package.data still empty) before any
    other member is inflated: a package whose signature fails costs no more than its manifest.
    """
    import zipfile
    import zlib

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到数据包“{path}”，请检查文件路径。")
    label = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_directory(label, infos)
            by_name = {info.filename: info for info in infos}
            if MANIFEST not in by_name:
                raise UserError(f"数据包“{label}”缺少 {MANIFEST}，不完整，已拒绝。请让对方重新发送。")
            manifest = _parse_json(label, MANIFEST, _inflate(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES))
            check_manifest(label, manifest)
            check_declared(label, manifest, by_name)
            if verify is not None:
                verify(Package(path=path, manifest=manifest))
            data_bytes = check_members(label, manifest, zf, by_name)
    except zips.READ_ERRORS as exc:
        if isinstance(exc, (zipfile.BadZipFile, EOFError, zlib.error)):
            raise UserError(f"“{label}”不是有效的数据包（文件损坏或不完整）。请让对方重新发送。") from exc
        raise UserError(f"无法读取数据包“{label}”：{exc}。请让对方重新导出并发送。") from exc
    data = _parse_json(label, DATA, data_bytes)
    check_data(label, data)
    return Package(path=path, manifest=manifest, data=data, attachments=Attachments(path, manifest))


def check_directory(label: str, infos) -> None:
    """From the central directory alone: refuse unsafe names, duplicates, too many members, a
    member or a whole over its size cap, encrypted members and zip bombs (by compression ratio)."""
    if len(infos) > MAX_MEMBERS:
        raise UserError(f"数据包“{label}”含 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}，已拒绝。请确认文件来源。")
    seen, total, packed = set(), 0, 0
    for info in infos:
        name = info.filename
        check_member_name(label, name)
        if name in seen:
            raise UserError(f"数据包“{label}”中“{name}”重复出现，可能被篡改，已拒绝。请让对方重新导出。")
        seen.add(name)
        cap = {MANIFEST: MAX_MANIFEST_BYTES, DATA: MAX_DATA_BYTES}.get(name, MAX_MEMBER_BYTES)
        if info.file_size > cap:
            raise UserError(f"数据包“{label}”中的“{name}”过大（{_mb(info.file_size)} MB，上限 {_mb(cap)} MB），已拒绝。"
                            "请减少附件或把大文件改为链接后重新导出。")
        if info.flag_bits & 0x1:
            raise UserError(f"数据包“{label}”中的“{name}”被加密，不是本程序导出的数据包，已拒绝。")
        total += info.file_size
        packed += info.compress_size
        if total > MAX_TOTAL_BYTES:
            raise UserError(f"数据包“{label}”解压后超过 {_mb(MAX_TOTAL_BYTES)} MB，已拒绝。请减少附件或把大文件改为链接后重新导出。")
        if _bomb(info.file_size, info.compress_size):
            raise UserError(f"数据包“{label}”中的“{name}”压缩比异常（疑似压缩炸弹），已拒绝。请确认文件来源。")
    if _bomb(total, packed):
        raise UserError(f"数据包“{label}”整体压缩比异常（疑似压缩炸弹），已拒绝。请确认文件来源。")


def _bomb(size: int, packed: int) -> bool:
    return size >= RATIO_MIN_BYTES and size > MAX_RATIO * max(packed, 1)


def _mb(size: int) -> int:
    return -(-size // 1048576)


def check_member_name(label: str, name: str) -> None:
    """Refuse absolute paths, drive letters, backslashes, '..', names outside the layout and
    attachment names that are not plain file names (reserved device names, ':', trailing dot)."""
    bad = (
        name.startswith("/")
        or "\\" in name
        or _DRIVE.match(name)
        or "\x00" in name
        or any(part in ("..", ".", "") for part in name.split("/"))
    )
    if bad:
        raise UserError(f"数据包“{label}”含有不安全的文件路径“{_shown(name)}”，已拒绝。请勿导入来源不明的文件。")
    if name in (MANIFEST, DATA, LEDGER):
        return
    parts = PurePosixPath(name).parts
    if len(parts) == 2 and parts[0] + "/" == ATTACHMENT_DIR:
        if not is_plain_file_name(parts[1]):
            raise UserError(f"数据包“{label}”中的附件文件名“{_shown(name)}”不合法（保留设备名、含“:”或以点、空格结尾等），已拒绝。"
                            "请让对方把附件改名后重新导出。")
        return
    raise UserError(f"数据包“{label}”含有格式之外的文件“{_shown(name)}”，已拒绝。请让对方用本程序重新导出。")


def check_manifest(label: str, manifest) -> None:
    """Refuse a manifest of another format, another version or missing fields."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise UserError(f"“{label}”不是政务公开工作台账的数据包，已拒绝。")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(f"数据包“{label}”的格式版本无法识别，已拒绝。请让对方用本程序重新导出。")
    if version > FORMAT_VERSION:
        raise UserError(f"此数据包由更新版本的程序生成，请升级程序（数据包“{label}”格式版本 {version}，本程序支持 {FORMAT_VERSION}）。")
    if version < MIN_FORMAT_VERSION:
        raise UserError(f"数据包“{label}”由旧版本程序生成（格式版本 {version}），其签名方式已停用，无法确认来源，已拒绝。"
                        "请让对方升级到最新版本的本程序后重新导出。")
    if manifest.get("kind") not in KINDS:
        raise UserError(f"数据包“{label}”的类型无法识别，已拒绝。")
    for key in ("sender", "recipient", "created_at"):
        if not isinstance(manifest.get(key), str):
            raise UserError(f"数据包“{label}”的清单缺少“{key}”，可能已损坏，已拒绝。请让对方重新导出。")
    members, sizes = manifest.get("members"), manifest.get("sizes")
    if not isinstance(members, dict) or not isinstance(sizes, dict) or not all(isinstance(v, str) for v in members.values()):
        raise UserError(f"数据包“{label}”的清单缺少文件校验值，可能已损坏，已拒绝。")


def check_declared(label: str, manifest: dict, by_name: dict) -> None:
    """The manifest's declared members, sizes, total and count agree with the central directory
    (nothing but the manifest inflated yet)."""
    listed, sizes = manifest["members"], manifest["sizes"]
    present = set(by_name) - {MANIFEST}
    if DATA not in present:
        raise UserError(f"数据包“{label}”缺少 {DATA}，不完整，已拒绝。请让对方重新发送。")
    if present != set(listed) or set(sizes) != set(listed):
        extra = sorted(present - set(listed))
        missing = sorted(set(listed) - present) or sorted(set(sizes) ^ set(listed))
        what = f"多出“{_shown(extra[0])}”" if extra else f"缺少“{_shown(missing[0])}”"
        raise UserError(f"数据包“{label}”与其清单不符（{what}），可能被改动过，已拒绝。请让对方重新发送。")
    for name, size in sizes.items():
        if not isinstance(size, int) or isinstance(size, bool) or size != by_name[name].file_size:
            raise UserError(f"数据包“{label}”中“{_shown(name)}”的大小与清单声明不符，可能被改动过，已拒绝。请让对方重新发送。")
    total = manifest.get("total_bytes")
    if not isinstance(total, int) or isinstance(total, bool) or total != sum(sizes.values()) or total > MAX_TOTAL_BYTES:
        raise UserError(f"数据包“{label}”清单声明的总大小不符，可能被改动过，已拒绝。请让对方重新发送。")


def check_members(label: str, manifest: dict, zf, by_name: dict) -> bytes:
    """Inflate every member in chunks, capped at its declared size, and check its sha256.

    Returns data.json's bytes; the other members are only hashed here (not kept).
    """
    listed, sizes = manifest["members"], manifest["sizes"]
    data = b""
    for name in sorted(listed):
        if name == DATA:
            content = _inflate(zf, by_name[name], sizes[name])
            digest = sha256(content)
            data = content
        else:
            digest = _digest(zf, by_name[name], sizes[name])
        if digest != listed[name]:
            raise UserError(f"数据包“{label}”中的“{_shown(name)}”校验不符，文件被改动过或已损坏，已拒绝。请让对方重新发送。")
    return data


class Attachments(Mapping):
    """The attachment files of a read package, by stored name: each read from the zip when asked
    (capped at its declared size and checked against the manifest's sha256 again)."""

    def __init__(self, path: Path, manifest: dict):
        self.path = Path(path)
        self.manifest = manifest
        self._names = sorted(n[len(ATTACHMENT_DIR):] for n in manifest["members"] if n.startswith(ATTACHMENT_DIR))

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and ATTACHMENT_DIR + name in self.manifest["members"]

    def __getitem__(self, name) -> bytes:
        if name not in self:
            raise KeyError(name)
        member = ATTACHMENT_DIR + name
        content = self._open(member, lambda zf, info: _inflate(zf, info, self.manifest["sizes"][member]))
        self._check(name, sha256(content))
        return content

    def copy_to(self, name: str, target) -> None:
        """Write the attachment `name` to `target` atomically, in chunks, verifying its sha256."""
        from core.storage.atomic import atomic_path

        member = ATTACHMENT_DIR + name
        if name not in self:
            raise KeyError(name)
        with atomic_path(target, expect_size=self.manifest["sizes"][member]) as tmp:
            with open(tmp, "wb") as out:
                digest = self._open(member, lambda zf, info: _digest(zf, info, self.manifest["sizes"][member], out))
            self._check(name, digest)

    def _open(self, member: str, read):
        import zipfile

        try:
            with zipfile.ZipFile(self.path) as zf:
                return read(zf, zf.getinfo(member))
        except (KeyError, *zips.READ_ERRORS) as exc:
            raise UserError(f"数据包“{self.path.name}”在读取附件时已改变或损坏，已拒绝。请重新导入。") from exc

    def _check(self, name: str, digest: str) -> None:
        if digest != self.manifest["members"][ATTACHMENT_DIR + name]:
            raise UserError(f"数据包“{self.path.name}”中的附件“{_shown(name)}”校验不符（读取后被改动），已拒绝。请重新导入。")


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


def _inflate(zf, info, cap: int) -> bytes:
    """Read one member whole, never more than `cap` bytes (its declared size)."""
    with zf.open(info) as f:
        content = f.read(min(info.file_size, cap) + 1)
    if len(content) != info.file_size or len(content) > cap:
        raise OSError(f"“{_shown(info.filename)}”的实际大小与声明不符")
    return content


def _digest(zf, info, cap: int, out=None) -> str:
    """sha256 of one member read in chunks (written to `out` if given), never more than `cap` bytes."""
    digest, size = hashlib.sha256(), 0
    with zf.open(info) as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            size += len(chunk)
            if size > cap or size > info.file_size:
                raise OSError(f"“{_shown(info.filename)}”的实际大小与声明不符")
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    if size != info.file_size:
        raise OSError(f"“{_shown(info.filename)}”的实际大小与声明不符")
    return digest.hexdigest()


def file_sha256(path) -> str:
    """sha256 of a whole file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _parse_json(label: str, name: str, raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: hostile nesting
        raise UserError(f"数据包“{label}”中的 {name} 无法解析，已损坏，已拒绝。请让对方重新发送。") from exc
