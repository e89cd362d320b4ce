"""Text pasted from Word (\\x0b) and every other control character never breaks an export or a 报送包."""

import json
import sqlite3
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.robustness.unit_ledger import EXPORTS, build_unit_db, ok

# Every C0 control except NUL (an argument cannot hold it), DEL, the C1 controls, U+2028/2029, U+FFFE/FFFF.
EVERY_CONTROL = "".join(map(chr, range(1, 32))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0))) + "\u2028\u2029\ufffe\uffff"
PASTED = "第一行\x0b第二行\r\n第三行" + EVERY_CONTROL + "完"


def _export_everything(unit, folder):
    for form, fmts in EXPORTS.items():
        for fmt in fmts:
            out = folder / f"{form}.{fmt}"
            done = run_cli("export", form, "--format", fmt, "--out", out, "--year", "2024", db_path=unit)
            assert done.returncode == 0, (form, fmt, done.stderr)
            assert out.stat().st_size > 0
    ok(run_cli("pack", "report", "--out", folder / "报送包.zwgk", db_path=unit))
    assert zipfile.is_zipfile(folder / "报送包.zwgk")


def test_bad_characters_stored_behind_the_program_s_back_still_export_quickly(tmp_path):
    """Quick tier: the same guard on one small ledger, in this process, for the ledger's Word and Excel forms."""
    from core import settings
    from core.export import export
    from db.connection import open_db
    from tests.ledger_fixtures import make_ledger

    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    make_ledger(db)
    with db.conn:
        db.conn.execute("UPDATE entries SET note = ?, leader = ?", ["备注\x00\x0b\x1f\ufffe", "领导\x08"])
        db.conn.execute("UPDATE tasks SET requirement = requirement || ?", ["\x0c\x01\x9f"])
    for fmt in ("docx", "xlsx"):
        export(db, "ledger", fmt, tmp_path / f"ledger.{fmt}", year=2024, db_path=tmp_path / "ledger.sqlite3")
    xml = zipfile.ZipFile(tmp_path / "ledger.docx").read("word/document.xml").decode("utf-8")
    assert "\x0b" not in xml and "\x00" not in xml and "\x0c" not in xml and "领导" in xml
    cells = [str(c.value) for row in load_workbook(tmp_path / "ledger.xlsx").active.iter_rows() for c in row if c.value]
    assert "领导" in "".join(cells) and not any(ch in "".join(cells) for ch in "\x00\x08\x0b\x0c\x01")
    db.conn.close()


@pytest.mark.slow
def test_every_control_character_through_the_command_line_then_every_export(tmp_path):
    unit = build_unit_db(tmp_path)
    entries = json.loads(ok(run_cli("ledger", "list", "--json", db_path=unit)).stdout)["entries"]
    seq = entries[0]["seq"]
    ok(run_cli("ledger", "update", seq, "--progress", PASTED, "--leader", "\x0b王\x07副主任 ", db_path=unit))
    entry = [e for e in json.loads(ok(run_cli("ledger", "list", "--json", db_path=unit)).stdout)["entries"] if e["seq"] == seq][0]
    text = entry["progress"][-1]["text"]
    assert text.startswith("第一行\n第二行\n第三行") and text.endswith("完")
    assert not any(ch in text for ch in EVERY_CONTROL if ch not in "\t\n")
    assert entry["leader"] == "王副主任"
    (tmp_path / "out").mkdir()
    _export_everything(unit, tmp_path / "out")
    ws = load_workbook(tmp_path / "out" / "ledger.xlsx")["工作任务台账"]
    assert any("第一行\n第二行" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


@pytest.mark.slow
def test_bad_characters_stored_behind_the_program_s_back_still_export(tmp_path):
    """Raw SQL bypasses core.records: every writer's guard (core.text.printable) still holds."""
    unit = build_unit_db(tmp_path)
    conn = sqlite3.connect(unit)
    with conn:
        conn.execute("UPDATE entries SET note = ?, leader = ?", ["备注\x00\x0b\x1f\ufffe", "领导\x08"])
        conn.execute("UPDATE tasks SET requirement = requirement || ?", ["\x0c\x01\x9f"])
        entry_id = conn.execute("SELECT id FROM entries LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO measures(id, entry_id, position, text, rev, updated_at) VALUES ('m-bad', ?, 9, ?, 1, '2024-07-01')",
                     [entry_id, "举措\x0b\x03"])
        conn.execute("UPDATE activities SET theme = theme || ?", ["\x02\x0b"])
    conn.close()
    (tmp_path / "out").mkdir()
    _export_everything(unit, tmp_path / "out")
    xml = zipfile.ZipFile(tmp_path / "out" / "ledger.docx").read("word/document.xml").decode("utf-8")
    assert "\x0b" not in xml and "\x00" not in xml and "举措" in xml
