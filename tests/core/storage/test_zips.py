"""A damaged deflate stream inside an archive is a Chinese refusal everywhere, never an internal error."""

import zipfile

import pytest

from core.storage import zips
from core.errors import UserError


def corrupt_member(src, dst, member):
    """Copy `src` to `dst` with the compressed bytes of `member` scrambled (headers intact)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    dst.write_bytes(bytes(data))
    return dst


def test_a_zlib_error_is_one_of_the_read_errors():
    import zlib

    assert zlib.error in zips.READ_ERRORS and zipfile.BadZipFile in zips.READ_ERRORS


def test_plan_with_a_scrambled_body_is_refused(samples, tmp_path):
    from core.plan import read_plan

    bad = corrupt_member(samples / "boshan-2024-plan.docx", tmp_path / "方案.docx", "word/document.xml")
    with pytest.raises(UserError, match="方案.docx"):
        read_plan(bad)
