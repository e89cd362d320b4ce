"""`parse-plan` and `import-plan` through main.py, including bad and hostile files."""

import io
import json
import sqlite3
import zipfile

import pytest


def _count(db_path, table):
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_parse_plan_json(cli, samples):
    result = cli("parse-plan", samples / "boshan-2024-plan.docx", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["doc_no"] == "博政办字〔2024〕14号" and data["year"] == 2024 and data["issued"] == "2024-06-24"
    assert len(data["tasks"]) == 67 and data["tasks"][21]["units"].startswith("区司法局牵头")
    assert data["warnings"] == []


def test_parse_plan_text_summary(cli, samples):
    result = cli("parse-plan", samples / "boshan-2024-tasks.xlsx")
    assert result.returncode == 0, result.stderr
    assert "共 67 项" in result.stdout


def test_import_plan_twice(cli, samples):
    first = cli("import-plan", samples / "boshan-2024-plan.docx", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["added"] == 67
    second = cli("import-plan", samples / "boshan-2024-plan.docx", "--json")
    report = json.loads(second.stdout)
    assert (report["added"], report["changed"], report["removed"], report["unchanged"]) == (0, 0, 0, 67)
    assert _count(cli.db_path, "plans") == 1 and _count(cli.db_path, "tasks") == 67


def _docx_bytes(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _bomb_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
               b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
               b'<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
EMPTY_BODY = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              b'<w:body><w:p><w:r><w:t>no table here</w:t></w:r></w:p></w:body></w:document>')


def _bad_files(samples):
    sample = (samples / "boshan-2024-plan.docx").read_bytes()
    encrypted = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    encrypted += "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024
    return {
        "empty.docx": (b"", "空的"),
        "random.docx": (bytes(range(256)) * 40, "无法识别"),
        "truncated.docx": (sample[: len(sample) // 2], "损坏"),
        "locked.docx": (bytes(encrypted), "密码"),
        "notable.docx": (_docx_bytes(EMPTY_BODY), "没有找到"),
        "malformed.docx": (_docx_bytes(b"<w:document><w:body><w:p>"), "损坏"),
        "entities.docx": (_docx_bytes(ENTITY_BOMB), "不安全"),
        "bomb.docx": (_bomb_bytes(), "压缩"),
        "plan.pdf": (b"%PDF-1.4\n%...", "PDF"),
    }


@pytest.mark.parametrize("name", list(_bad_files.__code__.co_consts[0:0]) or [
    "empty.docx", "random.docx", "truncated.docx", "locked.docx", "notable.docx", "malformed.docx",
    "entities.docx", "bomb.docx", "plan.pdf"])
@pytest.mark.parametrize("command", ["import-plan", "parse-plan"])
def test_bad_input_is_one_chinese_line_and_nothing_imported(cli, samples, tmp_path, name, command):
    data, hint = _bad_files(samples)[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = cli(command, path, "--json")
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and hint in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert _count(cli.db_path, "plans") == 0 and _count(cli.db_path, "tasks") == 0


def test_missing_file(cli, tmp_path):
    result = cli("parse-plan", tmp_path / "nope.docx")
    assert result.returncode == 2 and "找不到文件" in result.stderr


def test_parse_plan_json_marks_joined_fields_and_quoted_deadlines(cli, samples, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core" / "plan"))
    from conftest import NOTICE, write_docx
    from test_page_breaks import EXPECTED, converted_parts

    path = write_docx(tmp_path / "converted.docx", converted_parts(NOTICE))
    result = cli("parse-plan", path, "--json")
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)["tasks"]
    assert [(t["seq"], t["filled"], t.get("joined", [])) for t in tasks] == [(e[0], e[5], e[6]) for e in EXPECTED]
    sample = json.loads(cli("parse-plan", samples / "boshan-2024-plan.docx", "--json").stdout)["tasks"]
    quoted = {t["seq"]: t["deadline_from_requirement"] for t in sample if "deadline_from_requirement" in t}
    assert quoted["45"] == "于7月8日前报区政府办公室政务公开科备案" and all(t["deadline"] == "" for t in sample)
