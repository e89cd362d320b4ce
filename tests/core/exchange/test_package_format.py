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
