"""The annual report .docx/.xlsx: six sections in order, table 三's 25 figure rows with the
register's numbers, tables 二 and 四, fonts named for East Asian text; checked in the XML."""

from datetime import date

from core.register import annual_report as ar
from core.register import requests
from core.export import export
from tests.core.export.xmlcheck import NS, W, part, runs_without_east_asian_font, text_of

TODAY = date(2026, 6, 1)


def fill(db):
    rows = [("2024-03-01", "自然人", "2024-03-05", "1"), ("2024-04-01", "自然人", "2024-04-10", "1"),
            ("2024-05-06", "商业企业", "2024-05-20", "3.4"), ("2024-06-03", "法律服务机构", "2024-06-20", "6.2"),
            ("2024-12-30", "科研机构", None, None)]
    ids = []
    for received, applicant, replied, result in rows:
        item, _ = requests.add(db, {"received": received, "channel": "网络", "applicant": applicant, "content": "x"}, today=TODAY)
        if replied:
            requests.update(db, item["id"], {"replied": replied, "result": result}, today=TODAY)
        ids.append(item["id"])
    requests.add_appeal(db, ids[2], "复议后诉讼", "纠正")
    ar.set_value(db, 2024, "t2.规章.制发", "2")
    ar.set_value(db, 2024, "t2.规范性文件.现行有效", "17")
    ar.set_value(db, 2024, "t2.收费", "1.25")
    ar.set_value(db, 2024, "section1", "第一部分正文甲。\n第一部分正文乙。")
    ar.set_value(db, 2024, "section5", "问题与改进<&>。")
    ar.set_value(db, 2024, "section6", "无。")


def figure_rows(table):
    """The rows of a table whose last seven cells are figures: [(label text, [7 ints])]."""
    out = []
    for tr in table.findall("w:tr", NS):
        cells = [text_of(tc) for tc in tr.findall("w:tc", NS)]
        tail = cells[-7:]
        if len(cells) >= 8 and all(c.isdigit() for c in tail):
            out.append((" ".join(c for c in cells[:-7] if c), [int(c) for c in tail]))
    return out


def test_docx_sections_in_order_and_table3_figures(town_db, tmp_path):
    fill(town_db)
    out = tmp_path / "年报.docx"
    info = export(town_db, "annual-report", "docx", out, year=2024)
    assert info["form"] == "annual-report"
    doc = part(out, "word/document.xml")
    body = doc.find("w:body", NS)
    paragraphs = [text_of(p) for p in body.findall("w:p", NS)]
    headings = [p for p in paragraphs if p[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == list(ar.SECTIONS.values())
    assert paragraphs[0] == "城东街道2024年政府信息公开工作年度报告"
    one = paragraphs.index("一、总体情况")
    assert paragraphs[one + 1:one + 3] == ["第一部分正文甲。", "第一部分正文乙。"]
    assert "问题与改进<&>。" in paragraphs
    full = text_of(doc)
    assert "〔ZWGK" not in full and "{{" not in full
    tables = body.findall("w:tbl", NS)
    assert len(tables) == 3
    # every table sits after its own heading
    order = [("p", text_of(el)) if el.tag == f"{{{W}}}p" else ("tbl", "") for el in body]
    heads = [i for i, (kind, text) in enumerate(order) if text in ar.SECTIONS.values()]
    tbls = [i for i, (kind, _) in enumerate(order) if kind == "tbl"]
    assert heads[1] < tbls[0] < heads[2] < tbls[1] < heads[3] < tbls[2] < heads[4]

    rows = figure_rows(tables[1])
    assert len(rows) == 25
    expected = {r["code"]: r["values"] for r in ar.report_data(town_db, 2024)["table3"]["rows"]}
    assert [values for _, values in rows] == [expected[c] for c in ar.ROW_CODES]
    assert rows[0] == ("一、本年新收政府信息公开申请数量", [2, 1, 1, 0, 1, 0, 5])
    assert rows[2][1] == [2, 0, 0, 0, 0, 0, 2]
    assert rows[-2][0].endswith("（七）总计") and rows[-2][1] == [2, 1, 0, 0, 1, 0, 4]
    assert rows[-1] == ("四、结转下年度继续办理", [0, 0, 1, 0, 0, 0, 1])
    header = tables[1].findall("w:tr", NS)[0]
    assert header.find("w:trPr/w:tblHeader", NS) is not None

    t2 = [[text_of(tc) for tc in tr.findall("w:tc", NS)] for tr in tables[0].findall("w:tr", NS)]
    assert ["规章", "2", "", ""] in t2 and ["行政规范性文件", "", "", "17"] in t2
    assert ["行政事业性收费", "1.25"] in t2
    t4 = [[text_of(tc) for tc in tr.findall("w:tc", NS)] for tr in tables[2].findall("w:tr", NS)]
    assert t4[-1] == ["0"] * 10 + ["0", "1", "0", "0", "1"]
    assert runs_without_east_asian_font(doc) == []
    # A4 portrait with the GB/T 9704 margins
    sect = body.find("w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert int(size.get(f"{{{W}}}w")) < int(size.get(f"{{{W}}}h"))
    assert abs(int(sect.find("w:pgMar", NS).get(f"{{{W}}}top")) - 2098) <= 2


def test_export_keeps_the_published_figures(town_db, tmp_path):
    fill(town_db)
    export(town_db, "annual-report", "docx", tmp_path / "a.docx", year=2024)
    snap = town_db.execute("SELECT value FROM report_values WHERE key = 'snapshot' AND year = 2024").fetchone()
    assert snap and '"carry_next"' in snap[0]


def test_xlsx_holds_the_same_figures(town_db, tmp_path):
    from openpyxl import load_workbook

    fill(town_db)
    out = tmp_path / "年报.xlsx"
    export(town_db, "annual-report", "xlsx", out, year=2024)
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    labels = [row[0] for row in values]
    assert labels[0] == "城东街道2024年政府信息公开工作年度报告"
    assert [l for l in labels if l in ar.SECTIONS.values()] == list(ar.SECTIONS.values())
    new = next(row for row in values if row[0] == "一、本年新收政府信息公开申请数量")
    assert new[3:10] == [2, 1, 1, 0, 1, 0, 5]
    carry = next(row for row in values if row[0] == "四、结转下年度继续办理")
    assert carry[3:10] == [0, 0, 1, 0, 0, 0, 1]
    assert any(row[:15] == [0] * 10 + [0, 1, 0, 0, 1] for row in values)
    assert ws.merged_cells.ranges
