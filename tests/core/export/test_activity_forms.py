from openpyxl import load_workbook

from core.export import export
from tests.core.export.xmlcheck import NS, W, part, runs_without_east_asian_font, text_of


def _cells(row):
    return [(text_of(tc), tc.find("w:tcPr/w:gridSpan", NS)) for tc in row.findall("w:tc", NS)]


def test_plan_docx_is_the_county_layout(ledger_db, tmp_path):
    out = tmp_path / "报送表.docx"
    info = export(ledger_db, "open-activity-plan", "docx", out)
    assert info["rows"] == 2
    doc = part(out, "word/document.xml")
    paragraphs = [text_of(p) for p in doc.findall("w:body/w:p", NS)]
    assert paragraphs[0] == "政府开放活动计划安排报送表" and paragraphs[1] == "单位名称：城东街道"
    title_font = doc.find("w:body/w:p/w:r/w:rPr", NS)
    assert title_font.find("w:rFonts", NS).get(f"{{{W}}}eastAsia") == "方正小标宋简体"
    assert title_font.find("w:sz", NS).get(f"{{{W}}}val") == "44"
    tables = doc.findall("w:body/w:tbl", NS)
    assert len(tables) == 2
    widths = [g.get(f"{{{W}}}w") for g in tables[0].findall("w:tblGrid/w:gridCol", NS)]
    assert widths == ["2211"] * 4
    rows = tables[0].findall("w:tr", NS)
    labels = [_cells(r)[0][0] for r in rows]
    assert labels == ["活动主题", "开展时间", "活动内容", "活动对象", "活动报名方式", "联系人"]
    spans = [[(c[1].get(f"{{{W}}}val") if c[1] is not None else "1") for c in _cells(r)] for r in rows]
    assert spans == [["1", "3"], ["1"] * 4, ["1", "3"], ["1", "3"], ["1", "3"], ["1"] * 4]
    assert [c[0] for c in _cells(rows[1])] == ["开展时间", "2024年7月中旬", "开展地点", "城东街道便民服务中心"]
    assert _cells(tables[1].findall("w:tr", NS)[0])[1][0] == "=我为营商环境建言献策"
    assert runs_without_east_asian_font(doc) == []
    label_size = rows[0].find("w:tc/w:p/w:r/w:rPr/w:sz", NS).get(f"{{{W}}}val")
    value_size = rows[0].findall("w:tc", NS)[1].find("w:p/w:r/w:rPr/w:sz", NS).get(f"{{{W}}}val")
    assert (label_size, value_size) == ("28", "24")
    sect = doc.find("w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")
    got = [round(int(margins.get(f"{{{W}}}{k}")) * 25.4 / 1440) for k in ("top", "bottom", "left", "right")]
    assert got == [37, 35, 28, 26]
    assert "— " in text_of(part(out, "word/footer1.xml"))


def test_plan_xlsx(ledger_db, tmp_path):
    out = tmp_path / "报送表.xlsx"
    export(ledger_db, "open-activity-plan", "xlsx", out)
    ws = load_workbook(out).active
    assert ws["A1"].value == "政府开放活动计划安排报送表" and ws["A2"].value == "单位名称：城东街道"
    assert [ws.cell(row=r, column=1).value for r in range(3, 9)] == ["活动主题", "开展时间", "活动内容", "活动对象", "活动报名方式", "联系人"]
    assert ws["B4"].value == "2024年7月中旬" and ws["D4"].value == "城东街道便民服务中心"
    assert {"B3:D3", "B5:D5", "B6:D6", "B7:D7"} <= {str(m) for m in ws.merged_cells.ranges}
    assert ws["B10"].value == "=我为营商环境建言献策" and ws["B10"].data_type == "s"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "portrait"


def test_report_docx_and_xlsx(ledger_db, tmp_path):
    out = tmp_path / "开展情况.docx"
    info = export(ledger_db, "open-activity-report", "docx", out)
    assert info["rows"] == 1  # only the activity held
    doc = part(out, "word/document.xml")
    table = doc.find("w:body/w:tbl", NS)
    cells = {}
    for row in table.findall("w:tr", NS):
        texts = [text_of(tc) for tc in row.findall("w:tc", NS)]
        cells.update(dict(zip(texts[::2], texts[1::2])))
    assert cells["开展日期"] == "2024年7月15日" and cells["参加人数"] == "12"
    assert (cells["征集意见"], cells["答复意见"], cells["采纳意见"]) == ("8", "8", "5")
    assert cells["报送时限"] == "2024年7月22日" and cells["开展情况"] == "现场答复问题8个"
    assert runs_without_east_asian_font(doc) == []
    xlsx = tmp_path / "开展情况.xlsx"
    export(ledger_db, "open-activity-report", "xlsx", xlsx)
    ws = load_workbook(xlsx).active
    assert ws["A1"].value == "政府开放活动开展情况报送表" and ws["B4"].value == "2024年7月15日"


def test_summary_xlsx(ledger_db, tmp_path):
    out = tmp_path / "汇总.xlsx"
    export(ledger_db, "summary", "xlsx", out)
    ws = load_workbook(out).active
    assert ws["A1"].value == "2024年政务公开工作台账汇总表"
    assert [c.value for c in ws[4]] == [1, "城东街道", 3, 1, 1, 1, 0, 0, "33%", "2/1", "2024-07-05"]
    assert ws["B5"].value == "合计" and ws["C5"].value == 3
    assert ws.print_title_rows == "$3:$3"
