import json
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from core import ledger, records
from core.errors import UserError
from core.exchange import roundtrip
from tests.core.exchange.conftest import UNIT, counts
from tests.core.exchange.test_packs import issue

TODAY = date(2024, 9, 1)


@pytest.fixture
def ledger_unit(county, unit, tmp_path):
    """A unit with two entries, the first with two measures."""
    issue(county, unit, tmp_path)
    first = ledger.list_entries(unit)[0]
    ledger.set_measures(unit, first["id"], ["制定解读方案", "组织图解解读"])
    return unit


def export(db, path, columns=None):
    """The ledger as the forms engineer writes it (with the hidden _zwgk id sheet)."""
    from core.export.ledger_xlsx import write_xlsx

    write_xlsx(db, path, columns=columns, today=TODAY)
    return path


def find_row(ws, seq):
    for row in ws.iter_rows(min_row=4):
        if str(row[0].value) == seq:
            return row[0].row
    raise AssertionError(seq)


def edit(path, changes):
    wb = load_workbook(path)
    ws = wb["工作任务台账"]
    for ref, value in changes.items():
        ws[ref] = value
    wb.save(path)


def test_export_has_the_agreed_hidden_sheet(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    wb = load_workbook(path)
    ids = wb["_zwgk"]
    assert ids.sheet_state == "hidden" and ids["A1"].value == "zwgk-ledger-ids" and ids["B1"].value == 1
    assert json.loads(ids["B2"].value)["A"] == "seq"


def test_changed_cells_are_found_shown_and_applied(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    entry = ledger.list_entries(ledger_unit)[0]
    ws = load_workbook(path)["工作任务台账"]
    row = find_row(ws, entry["seq"])
    # columns: A seq B category C requirement D measure E deadline F leader G office H status I progress J completed_on K note
    edit(path, {f"F{row}": "王副镇长", f"H{row}": "已完成", f"J{row}": "2024-08-30", f"I{row}": "2024-08-20 发布图解解读",
                f"D{row + 1}": "组织图解和视频解读", f"C{row}": "改了方案要求"})
    before = counts(ledger_unit)
    shown = roundtrip.roundtrip(ledger_unit, path, dry_run=True, today=TODAY)
    assert shown["mode"] == "ids" and shown["applied"] == 0 and counts(ledger_unit) == before
    by_field = {c["field"]: c for c in shown["changes"]}
    assert by_field["leader"]["new"] == "王副镇长" and by_field["leader"]["status"] == "change"
    assert by_field["completed_on"]["new"] == "2024-08-30"
    assert by_field["requirement"]["status"] == "ignored"
    assert by_field["progress"]["new"] == {"date": "2024-08-20", "text": "发布图解解读"}
    assert by_field["measure"]["old"] == "组织图解解读"

    done = roundtrip.roundtrip(ledger_unit, path, today=TODAY)
    assert done["applied"] == 5
    stored = ledger_unit["entries"].get(entry["id"])
    assert (stored["leader"], stored["status"], stored["completed_on"]) == ("王副镇长", "已完成", "2024-08-30")
    assert stored["rev"] == entry["rev"] + 1  # one new revision for the whole row
    after = ledger.list_entries(ledger_unit)[0]
    assert after["measures"] == ["制定解读方案", "组织图解和视频解读"]
    assert after["progress"][-1]["text"] == "发布图解解读"
    assert ledger_unit["tasks"].get(entry["task_id"])["requirement"] != "改了方案要求"


def test_a_cell_whose_record_moved_since_export_is_a_conflict(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    entry = ledger.list_entries(ledger_unit)[0]
    row = find_row(load_workbook(path)["工作任务台账"], entry["seq"])
    with ledger_unit.atomic():
        records.update(ledger_unit, "entries", entry["id"], {"office": "党政办"})
    edit(path, {f"G{row}": "综合办"})
    result = roundtrip.roundtrip(ledger_unit, path, today=TODAY)
    [change] = [c for c in result["changes"] if c["field"] == "office"]
    assert change["status"] == "conflict" and result["applied"] == 0
    assert ledger_unit["entries"].get(entry["id"])["office"] == "党政办"


def test_invalid_values_are_reported_not_applied(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    entry = ledger.list_entries(ledger_unit)[0]
    row = find_row(load_workbook(path)["工作任务台账"], entry["seq"])
    edit(path, {f"H{row}": "差不多了", f"J{row}": "下个月"})
    result = roundtrip.roundtrip(ledger_unit, path, today=TODAY)
    assert {c["field"]: c["status"] for c in result["changes"]} == {"status": "invalid", "completed_on": "invalid"}
    assert result["applied"] == 0


def test_unchanged_workbook_has_no_changes(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    result = roundtrip.read_changes(ledger_unit, path, today=TODAY)
    assert result["changes"] == []


def test_newer_id_sheet_and_broken_files_are_refused(ledger_unit, tmp_path):
    path = export(ledger_unit, tmp_path / "台账.xlsx")
    wb = load_workbook(path)
    wb["_zwgk"]["B1"] = 2
    wb.save(path)
    with pytest.raises(UserError, match="请升级程序"):
        roundtrip.read_changes(ledger_unit, path)
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(UserError, match="无法读取表格"):
        roundtrip.read_changes(ledger_unit, bad)
    with pytest.raises(UserError, match=r"\.xlsx"):
        roundtrip.read_changes(ledger_unit, tmp_path / "a.xls") if (tmp_path / "a.xls").write_bytes(b"x") else None


def hand_made(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["城东街道政务公开工作台账"])
    ws.append(["序号", "工作任务", "工作举措", "分管领导", "责任科室", "完成情况"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_hand_made_ledger_matches_by_seq_and_similarity(ledger_unit, tmp_path):
    entries = {e["seq"]: e for e in ledger.list_entries(ledger_unit)}
    path = hand_made(tmp_path / "手工台账.xlsx", [
        ["1", "加强政策解读：围绕重大政策开展多元化解读", "制定方案", "王五", "党政办", ""],
        [None, None, "开展直播解读", None, None, None],
        ["9", "更新基层公开目录", "", "赵六", "", "2024-08-01 已更新目录"],
        ["10", "完全无关的一行内容比如食堂管理", "", "钱七", "", ""],
    ])
    result = roundtrip.roundtrip(ledger_unit, path, today=TODAY)
    assert result["mode"] == "manual" and result["unit"] == UNIT
    statuses = {(c["seq"], c["field"]): c["status"] for c in result["changes"]}
    assert statuses[("1", "leader")] == "change" and statuses[("1", "measure")] == "change"
    assert statuses[("9", "leader")] == "uncertain"  # other 序号, similar text
    assert statuses[("10", "")] == "unmatched"
    assert ledger_unit["entries"].get(entries["1"]["id"])["leader"] == "王五"
    assert ledger.list_entries(ledger_unit)[0]["measures"] == ["制定方案", "开展直播解读"]
    assert ledger_unit["entries"].get(entries["2"]["id"])["leader"] == ""  # uncertain: not applied

    confirmed = roundtrip.roundtrip(ledger_unit, path, accept_uncertain=True, today=TODAY)
    assert confirmed["applied"] >= 1
    assert ledger_unit["entries"].get(entries["2"]["id"])["leader"] == "赵六"


def test_hand_made_ledger_without_header_is_refused(ledger_unit, tmp_path):
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(UserError, match="找不到台账的表头"):
        roundtrip.read_changes(ledger_unit, tmp_path / "x.xlsx")
