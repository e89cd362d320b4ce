import json
import zipfile

import pytest

from core.errors import UserError
from core.exchange import package_format as fmt
from tests.core.exchange.conftest import rewrite_zip


def write(path, tables=None, attachments=None, sign=lambda m: "sig"):
    tables = tables or {"entries": [{"id": "e1", "rev": 1, "updated_at": "2024-01-01T00:00:00+00:00",
                                     "updated_by": "城东街道", "device": "d1", "deleted": 0, "unit": "城东街道"}]}
    return fmt.write_package(path, "report", "城东街道", "博山区", "2024-07-01T00:00:00+00:00",
                             {"tables": tables}, b"xlsx-bytes", attachments or {}, sign)


def test_written_package_reads_back_with_hashes_and_counts(tmp_path):
    path = tmp_path / "a.zwgk"
    manifest = write(path, attachments={"a1-照片.jpg": b"\xff\xd8photo"})
    pkg = fmt.read_package(path)
    assert pkg.kind == "report" and pkg.sender == "城东街道" and pkg.recipient == "博山区"
    assert pkg.manifest == manifest
    assert manifest["format_version"] == fmt.FORMAT_VERSION and manifest["counts"] == {"entries": 1}
    assert set(manifest["members"]) == {"data.json", "ledger.xlsx", "attachments/a1-照片.jpg"}
    assert manifest["members"]["ledger.xlsx"] == fmt.sha256(b"xlsx-bytes")
    assert pkg.attachments == {"a1-照片.jpg": b"\xff\xd8photo"}
    assert pkg.tables["entries"][0]["unit"] == "城东街道"


def test_altered_member_is_refused(tmp_path):
    src = tmp_path / "a.zwgk"
    write(src)

    def change(name, data):
        if name == "data.json":
            data = data.replace("城东街道".encode(), "山头街道".encode())
        return [(name, data)]

    with pytest.raises(UserError, match="校验不符"):
        fmt.read_package(rewrite_zip(src, tmp_path / "b.zwgk", change))


def test_extra_unlisted_member_is_refused(tmp_path):
    src = tmp_path / "a.zwgk"
    write(src)
    bad = rewrite_zip(src, tmp_path / "b.zwgk", lambda n, d: [(n, d)] + ([("attachments/x.txt", b"x")] if n == "data.json" else []))
    with pytest.raises(UserError, match="与其清单不符"):
        fmt.read_package(bad)


def test_truncated_file_is_refused(tmp_path):
    src = tmp_path / "a.zwgk"
    write(src)
    data = src.read_bytes()
    cut = tmp_path / "cut.zwgk"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="不是有效的数据包"):
        fmt.read_package(cut)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "C:/Windows/evil.dll", "attachments\\..\\evil", "attachments/../../x", "attachments/sub/x.jpg", "readme.txt"])
def test_unsafe_member_names_are_refused(tmp_path, name):
    path = tmp_path / "bad.zwgk"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr(name, b"x")
    with pytest.raises(UserError) as exc:
        fmt.read_package(path)
    assert name in str(exc.value)


def test_duplicate_member_names_are_refused(tmp_path):
    path = tmp_path / "dup.zwgk"
    with pytest.warns(UserWarning):
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("data.json", "{}")
            zf.writestr("data.json", "{}")
    with pytest.raises(UserError, match="重复"):
        fmt.read_package(path)


def test_too_many_members_refused_before_inflating(tmp_path, monkeypatch):
    src = tmp_path / "a.zwgk"
    write(src, attachments={f"f{i}.txt": b"x" for i in range(5)})
    monkeypatch.setattr(fmt, "MAX_MEMBERS", 4)
    monkeypatch.setattr(fmt, "_inflate", lambda zf, info: pytest.fail("inflated before the check"))
    with pytest.raises(UserError, match="超过上限"):
        fmt.read_package(src)


def test_oversized_total_refused_before_inflating(tmp_path, monkeypatch):
    src = tmp_path / "a.zwgk"
    write(src, attachments={"big.bin": b"0" * 5000})
    monkeypatch.setattr(fmt, "MAX_TOTAL_BYTES", 4000)
    monkeypatch.setattr(fmt, "_inflate", lambda zf, info: pytest.fail("inflated before the check"))
    with pytest.raises(UserError, match="解压后超过"):
        fmt.read_package(src)


def test_zip_bomb_ratio_refused(tmp_path):
    path = tmp_path / "bomb.zwgk"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("attachments/zeros.bin", b"\0" * (fmt.RATIO_MIN_BYTES * 4))
    with pytest.raises(UserError, match="压缩比异常"):
        fmt.read_package(path)


def test_newer_format_version_asks_to_upgrade(tmp_path):
    src = tmp_path / "a.zwgk"
    write(src)

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["format_version"] = fmt.FORMAT_VERSION + 1
            data = json.dumps(manifest).encode()
        return [(name, data)]

    with pytest.raises(UserError, match="此数据包由更新版本的程序生成，请升级程序"):
        fmt.read_package(rewrite_zip(src, tmp_path / "new.zwgk", change))


def test_not_a_package_and_missing_file(tmp_path):
    other = tmp_path / "x.zwgk"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else"}))
    with pytest.raises(UserError, match="不是政务公开工作台账的数据包"):
        fmt.read_package(other)
    with pytest.raises(UserError, match="找不到数据包"):
        fmt.read_package(tmp_path / "missing.zwgk")


def test_record_without_revision_is_refused(tmp_path):
    path = tmp_path / "a.zwgk"
    write(path, tables={"entries": [{"id": "e1", "updated_at": "x", "updated_by": "", "device": "d", "deleted": 0}]})
    with pytest.raises(UserError, match="缺少编号或版本"):
        fmt.read_package(path)


def test_attachment_name_with_path_is_refused_on_write(tmp_path):
    with pytest.raises(UserError, match="附件文件名"):
        write(tmp_path / "a.zwgk", attachments={"../x.jpg": b"x"})
    assert not (tmp_path / "a.zwgk").exists()


# ---- bounds before work ---------------------------------------------------------------------


def _peak(fn) -> int:
    """Peak bytes allocated by Python while fn() runs (its UserError swallowed)."""
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
    except UserError as exc:
        _peak.error = exc.message
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _thousand_megabytes(path, listed: bool):
    """1,000 one-MB members; the manifest lists them honestly (listed) or not at all."""
    import hashlib

    mb = b"\0" * (1 << 20)
    names = [f"attachments/f{i:04d}.bin" for i in range(1000)]
    data = json.dumps({"tables": {}}).encode()
    digest = hashlib.sha256(mb).hexdigest()
    members = {"data.json": fmt.sha256(data), **({n: digest for n in names} if listed else {})}
    sizes = {"data.json": len(data), **({n: len(mb) for n in names} if listed else {})}
    manifest = {"format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION, "kind": "report", "sender": "城东街道",
                "recipient": "博山区", "created_at": "2024-07-01", "members": members, "sizes": sizes,
                "total_bytes": sum(sizes.values()), "signature": None}
    import zlib
    from unittest import mock

    deflated = zlib.compressobj(1, zlib.DEFLATED, -15)
    deflated = deflated.compress(mb) + deflated.flush()

    class Precompressed:  # the same megabyte deflated once, not 1,000 times (a real deflate stream)
        def compress(self, data):
            return deflated

        def flush(self):
            return b""

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("data.json", data)
        with mock.patch.object(zipfile, "_get_compressor", lambda *a, **k: Precompressed()):
            for name in names:
                zf.writestr(name, mb)
    with zipfile.ZipFile(path) as zf:
        assert len(zf.infolist()) == 1002 and zf.read(names[-1]) == mb
    return path


@pytest.mark.parametrize("listed", [True, False])
def test_a_thousand_one_megabyte_members_are_refused_without_inflating(tmp_path, monkeypatch, listed):
    path = _thousand_megabytes(tmp_path / "many.zwgk", listed)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    peak = _peak(lambda: fmt.read_package(path))
    assert "压缩比异常" in _peak.error
    assert opened == []  # not even the manifest was inflated
    assert peak < 16 * 1024 * 1024, peak  # reading the directory of 1,000 members, not 1 GB


def test_declared_sizes_that_lie_are_refused_before_any_member_but_the_manifest(tmp_path, monkeypatch):
    src = tmp_path / "a.zwgk"
    write(src, attachments={"a1-照片.jpg": b"photo" * 100})

    def lie(field, value):
        def change(name, data):
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest[field] = value(manifest[field])
                data = json.dumps(manifest, ensure_ascii=False).encode()
            return [(name, data)]
        return change

    inflated = []
    real = fmt._inflate
    monkeypatch.setattr(fmt, "_inflate", lambda zf, info, cap: inflated.append(info.filename) or real(zf, info, cap))
    monkeypatch.setattr(fmt, "_digest", lambda *a, **k: pytest.fail("a member was inflated before the sizes were checked"))
    cases = {
        "sizes": lambda s: {**s, "attachments/a1-照片.jpg": 5},
        "total_bytes": lambda t: t - 1,
    }
    for field, value in cases.items():
        bad = rewrite_zip(src, tmp_path / f"lie-{field}.zwgk", lie(field, value))
        with pytest.raises(UserError, match="与清单声明不符|总大小不符"):
            fmt.read_package(bad)
    assert set(inflated) == {"manifest.json"}


def test_a_central_directory_that_understates_a_member_never_inflates_more(tmp_path):
    """data.json claims 2 KB in the zip directory (and the manifest) but its stream holds 64 MB."""
    import struct

    real = b'{"tables": {}, "pad": "' + b"x" * (64 << 20) + b'"}'
    claimed = 2048
    manifest = {"format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION, "kind": "report", "sender": "城东街道",
                "recipient": "博山区", "created_at": "2024-07-01", "members": {"data.json": fmt.sha256(real[:claimed])},
                "sizes": {"data.json": claimed}, "total_bytes": claimed, "signature": None}
    path = tmp_path / "under.zwgk"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("data.json", real)
    blob = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := blob.find(signature, start)) >= 0:
            name_len = struct.unpack_from("<H", blob, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name = bytes(blob[at + (30 if signature == b"PK\x03\x04" else 46):][:name_len])
            if name == b"data.json":
                struct.pack_into("<I", blob, at + offset, claimed)
            start = at + 4
    path.write_bytes(bytes(blob))
    peak = _peak(lambda: fmt.read_package(path))
    assert "不是有效的数据包" in _peak.error or "不符" in _peak.error
    assert peak < 16 * 1024 * 1024, peak


@pytest.mark.parametrize("name", ["CON", "aux.txt", "a.txt:stream", "trailing.", "space ", "com1.jpg", "x\x01y.jpg"])
def test_windows_reserved_and_stream_names_are_refused_in_packages_and_on_write(tmp_path, name):
    path = tmp_path / "bad.zwgk"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("attachments/" + name, b"x")
    with pytest.raises(UserError, match="附件文件名"):
        fmt.read_package(path)
    with pytest.raises(UserError, match="附件文件名"):
        write(tmp_path / "w.zwgk", attachments={name: b"x"})
    with pytest.raises(UserError, match="附件文件名"):
        fmt.check_stored_name(name)
    assert fmt.is_plain_file_name("a1b2c3d4-解读 材料.v2.pdf")


def test_reading_a_package_at_the_data_cap_stays_far_under_100_mb(tmp_path):
    import os

    row = {"id": "", "rev": 1, "updated_at": "2024-01-01T00:00:00+00:00", "updated_by": "城东街道", "device": "d1",
           "deleted": 0, "unit": "城东街道", "note": "备注" * 40}
    rows, size = [], 0
    while size < fmt.MAX_DATA_BYTES - 4096:
        rows.append({**row, "id": f"e{len(rows):07d}"})
        size += len(json.dumps(rows[-1], ensure_ascii=False).encode()) + 1
    path = tmp_path / "full.zwgk"
    write(path, tables={"entries": rows[:-2]}, attachments={"a-录像.mp4": os.urandom(40 << 20)})
    assert path.stat().st_size > 40 << 20
    peak = _peak(lambda: _peak.__setattr__("pkg", fmt.read_package(path)))
    assert len(_peak.pkg.tables["entries"]) == len(rows) - 2
    assert peak < 100 << 20, peak
