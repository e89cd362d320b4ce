import json
import zipfile

import pytest
from openpyxl import load_workbook

from core.errors import UserError
from core.export import export
from core.export.common import set_ledger_columns


def test_ledger_xlsx_layout_and_print_setup(ledger_db, tmp_path):
    out = tmp_path / "台账.xlsx"
    info = export(ledger_db, "ledger", "xlsx", out)
    assert info["rows"] == 5 and info["year"] == 2024
    wb = load_workbook(out)
    ws = wb["工作任务台账"]
    assert ws["A1"].value == "2024年政务公开工作任务台账"
    assert ws["A2"].value == "填报单位：城东街道"
    assert [c.value for c in ws[3]] == ["序号", "工作任务", "工作要求", "工作举措", "时限要求", "单位分管领导", "责任科室", "完成状态", "完成情况", "完成时间", "备注", "记录编号（请勿修改）"]
    assert ws.column_dimensions["L"].hidden  # each row's identity, for the Excel round trip
    assert ws["A4"].value == "1" and ws["B4"].value == "加强政策解读\n丰富解读形式"
    assert [ws.cell(row=r, column=4).value for r in range(4, 9)] == ["制作图解3期", "+录制解读视频", "@开展直播一次", "-制定开放活动计划", None]
    merges = {str(m) for m in ws.merged_cells.ranges}
    assert {"A4:A6", "B4:B6", "C4:C6", "K4:K6", "A1:K1"} <= merges
    assert not any(m.startswith("D4") for m in merges)
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert round(ws.page_margins.top * 25.4) == 37 and round(ws.page_margins.left * 25.4) == 28
    assert ws["C4"].alignment.wrap_text and ws["C4"].border.left.style == "thin"
    assert ws["C4"].font.name == "仿宋_GB2312"


def test_text_that_looks_like_a_formula_stays_text(ledger_db, tmp_path):
    out = tmp_path / "l.xlsx"
    export(ledger_db, "ledger", "xlsx", out)
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    assert load_workbook(out)["工作任务台账"]["C4"].value.startswith("=SUM(A1)")


def test_hidden_id_sheet_in_the_shared_format(ledger_db, tmp_path):
    out = tmp_path / "l.xlsx"
    export(ledger_db, "ledger", "xlsx", out)
    wb = load_workbook(out)
    ids = wb["_zwgk"]
    assert ids.sheet_state == "hidden"
    assert [ids["A1"].value, ids["B1"].value, ids["C1"].value] == ["zwgk-ledger-ids", 1, "城东街道"]
    assert ids["D1"].value[:2] == "20"
    assert ids["A2"].value == "columns"
    mapping = json.loads(ids["B2"].value)
    assert mapping["A"] == "seq" and mapping["D"] == "measure" and len(mapping) == 11
    assert [c.value for c in ids[3]] == ["sheet", "row", "entry_id", "entry_rev", "measure_id", "measure_rev"]
    rows = [[c.value for c in r] for r in ids.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == [4, 5, 6, 7, 8]
    entries = {row["id"]: row for row in ledger_db.query("SELECT id, rev FROM entries")}
    measures = {row["id"]: row["text"] for row in ledger_db.query("SELECT id, text FROM measures")}
    visible = wb["工作任务台账"]
    for sheet, row, entry_id, entry_rev, measure_id, measure_rev in rows:
        assert sheet == "工作任务台账" and entries[entry_id]["rev"] == entry_rev
        if measure_id:
            assert measures[measure_id] == visible.cell(row=row, column=4).value and measure_rev == 1
    assert rows[0][2] == rows[1][2] == rows[2][2] != rows[3][2]
    assert rows[4][4] is None and rows[4][5] is None


def test_chosen_columns_and_order_are_remembered(ledger_db, tmp_path):
    set_ledger_columns(ledger_db, ["seq", "measure", "status", "due"])
    out = tmp_path / "l.xlsx"
    info = export(ledger_db, "ledger", "xlsx", out)
    assert info["columns"] == ["seq", "measure", "status", "due"]
    wb = load_workbook(out)
    assert [c.value for c in wb["工作任务台账"][3]] == ["序号", "工作举措", "完成状态", "完成期限", "记录编号（请勿修改）"]
    assert json.loads(wb["_zwgk"]["B2"].value) == {"A": "seq", "B": "measure", "C": "status", "D": "due"}
    with pytest.raises(UserError, match="未知"):
        set_ledger_columns(ledger_db, ["seq", "colour"])


def test_several_units_get_one_sheet_each(db, tmp_path):
    from core import settings
    from tests.core.export.sample_data import fill_ledger

    settings.set_profile(db, "博山区政府办公室", "县政府办公室", "汇总单位")
    fill_ledger(db, unit="城东街道")
    fill_ledger(db, unit="城西街道")
    out = tmp_path / "all.xlsx"
    export(db, "ledger", "xlsx", out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["城东街道", "城西街道", "_zwgk"]
    assert {r[0].value for r in wb["_zwgk"].iter_rows(min_row=4)} == {"城东街道", "城西街道"}


def test_empty_ledger_and_wrong_suffix_are_refused(town_db, tmp_path):
    with pytest.raises(UserError, match="没有可导出"):
        export(town_db, "ledger", "xlsx", tmp_path / "x.xlsx")
    with pytest.raises(UserError, match="扩展名"):
        export(town_db, "ledger", "xlsx", tmp_path / "x.docx")
    assert list(tmp_path.iterdir()) == [tmp_path / "ledger.sqlite3"] or not list(tmp_path.glob("*.xlsx"))


def test_target_open_elsewhere_gives_the_atomic_error(ledger_db, tmp_path, monkeypatch):
    import os

    def refuse(*_args):
        raise PermissionError("locked")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UserError, match="正被其他程序"):
        export(ledger_db, "ledger", "xlsx", tmp_path / "l.xlsx")
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob("*.part"))


def test_rows_are_tall_enough_for_their_wrapped_text(ledger_db, tmp_path):
    from core.export.ledger_xlsx import LINE_POINTS, column_width, wrapped_lines

    out = tmp_path / "台账.xlsx"
    export(ledger_db, "ledger", "xlsx", out)
    ws = load_workbook(out)["工作任务台账"]
    for row in range(4, ws.max_row + 1):
        needed = max(wrapped_lines(ws.cell(row=row, column=4).value, column_width("measure")), 1)
        assert ws.row_dimensions[row].height >= needed * LINE_POINTS, row
    # The merged 工作任务 of task 1 ("加强政策解读\n丰富解读形式": two lines) fits its three rows together.
    block = sum(ws.row_dimensions[r].height for r in range(4, 7))
    assert block >= 2 * LINE_POINTS


def test_wrapped_lines_counts_chinese_as_two_units():
    from core.export.ledger_xlsx import wrapped_lines

    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("政务公开", 10) == 1  # 8 units in 9
    assert wrapped_lines("政务公开工作", 10) == 2  # 12 units
    assert wrapped_lines("abcdefghijkl", 10) == 2
    assert wrapped_lines("第一行\n第二行", 10) == 2
