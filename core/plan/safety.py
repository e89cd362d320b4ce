"""Guards against damaged and hostile files: sniffing, zip bombs, XML entity tricks."""

import zipfile
from contextlib import contextmanager
from pathlib import Path

from core.storage import zips
from core.errors import UserError

MAX_FILE = 200 * 1024 * 1024  # bytes on disk
MAX_MEMBER = 50 * 1024 * 1024  # any one part, uncompressed
MAX_TOTAL = 300 * 1024 * 1024  # all parts, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 20000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def sniff(path) -> str:
    """What a file really is, from its first bytes: zip, ole, ole-encrypted, pdf, html, rtf, text, empty."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
            if head.startswith(OLE_MAGIC):
                fh.seek(0)
                blob = head + fh.read(2 * 1024 * 1024)
                tail_pos = max(0, size - 1024 * 1024)
                fh.seek(tail_pos)
                blob += fh.read()
                return "ole-encrypted" if any(m in blob for m in _ENCRYPTED_MARKS) else "ole"
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path}”，请检查路径是否正确。") from None
    except IsADirectoryError:
        raise UserError(f"“{path}”是一个文件夹，请选择方案文件（.docx 或 .xlsx）。") from None
    except OSError as exc:
        raise UserError(f"无法读取文件“{path.name}”：{exc.strerror or exc}。请确认文件没有被其他程序占用。") from None
    if size == 0:
        return "empty"
    if size > MAX_FILE:
        return "too-big"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if b"<html" in lowered[:4096] or lowered.startswith((b"<!doctype html", b"<table")) or b"<table" in lowered:
        return "html"
    if lowered.startswith(b"mime-version") or b"multipart/related" in lowered[:2048]:
        return "mht"
    return "unknown"


@contextmanager
def open_zip(path, kind: str = "docx"):
    """Open an Office zip after checking its declared sizes; UserError when damaged or a bomb."""
    name = Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UserError(f"文件“{name}”已损坏或不完整（无法按 Office 文档打开）。请重新下载或在 WPS/Word 中打开后另存为 .{kind} 再导入。") from None
    except OSError as exc:
        raise UserError(f"无法读取文件“{name}”：{exc.strerror or exc}。请确认文件可以正常打开。") from None
    try:
        check_zip(archive, name)
        yield archive
    finally:
        archive.close()


def check_zip(archive, name: str) -> None:
    """Refuse archives whose declared contents are too large or compress suspiciously well."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UserError(f"文件“{name}”包含的部件过多，疑似异常文件，已拒绝导入。请在 WPS/Word 中重新另存后再试。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER or total > MAX_TOTAL:
            raise UserError(f"文件“{name}”解压后过大（超过 {MAX_MEMBER // 1024 // 1024} MB），疑似异常文件，已拒绝导入。请确认文件来源，或另存为较小的文件后再试。")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UserError(f"文件“{name}”的压缩比异常（疑似“压缩炸弹”），已拒绝导入。请确认文件来源，或在 WPS/Word 中重新另存后再试。")


def read_member(archive, member: str) -> bytes:
    """One part of an Office zip, read no further than its declared size."""
    name = Path(archive.filename or "").name
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise UserError(f"文件“{name}”缺少正文部分（{member}），不是有效的 Word/Excel 文档。请在 WPS/Word 中打开后另存为 .docx/.xlsx 再导入。") from None
    try:
        with archive.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except zips.READ_ERRORS as exc:
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise UserError(f"文件“{name}”有密码保护，请在 WPS/Word 中取消密码后另存为 .docx 再导入。") from None
        raise UserError(f"文件“{name}”已损坏或不完整（{member} 无法解压）。请重新下载或另存后再导入。") from None
    except Exception as exc:  # zlib.error and similar
        raise UserError(f"文件“{name}”已损坏或不完整（{type(exc).__name__}）。请重新下载或另存后再导入。") from None
    if len(data) > info.file_size:
        raise UserError(f"文件“{name}”的内容与声明的大小不符，疑似异常文件，已拒绝导入。")
    return data


def check_xml_bytes(data: bytes, name: str = "") -> None:
    """Refuse XML that declares a DTD or entities (Office files never do)."""
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head or b"<!doctype" in head:
        raise UserError(f"文件{('“' + name + '”') if name else ''}含有不安全的 XML 定义（DTD/实体），已拒绝导入。请在 WPS/Word 中打开后另存为新文件再试。")


def parse_xml(data: bytes, name: str = ""):
    """Parse Office XML safely: no entities, no network, no huge trees."""
    from lxml import etree

    check_xml_bytes(data, name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"文件{('“' + name + '”') if name else ''}内容已损坏（XML 格式错误：第 {exc.lineno} 行）。请在 WPS/Word 中打开后另存为新文件再导入。") from None
