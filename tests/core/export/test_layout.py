from core.export import export
from core.export.layout import header_lines, lines_in, plan_widths, text_width
from core.export.pdf import repair_text_layer
from tests.core.export.sample_data import fill_ledger
from tests.core.export.xmlcheck import NS, W, part, text_of

HEADERS = {"seq": "序号", "category": "工作任务", "requirement": "工作要求", "status": "完成状态", "leader": "单位分管领导"}
WEIGHTS = {"seq": 5, "category": 14, "requirement": 30, "status": 8, "leader": 9}


def _blocks(n=20):
    return [{"values": {"seq": str(i), "category": "以公开助推高水平开放、高质量招商引资",
                        "requirement": "集成式公开招商引资、招才引智、动能转换、重点产业、支持企业发展等方面政策文件并做好宣传解读" * (1 + i % 2),
                        "status": "长期坚持" if i % 3 else "未开始", "leader": "王副主任"}, "rows": [{}]} for i in range(n)]


def test_short_columns_hold_their_longest_word_and_long_texts_share_the_rest():
    columns = list(HEADERS)
    widths = plan_widths(columns, HEADERS, _blocks(), 60, WEIGHTS)
    assert abs(sum(widths.values()) - 60) < 1e-6
    assert widths["status"] >= text_width("长期坚持") and widths["leader"] >= text_width("王副主任")
    assert widths["seq"] >= text_width("19")
    assert widths["requirement"] > widths["category"] > widths["status"]
    # the plan saves lines: no worse than the old fixed shares
    total = sum(WEIGHTS.values())
    fixed = {k: 60 * w / total for k, w in WEIGHTS.items()}

    def lines(ws):
        return sum(max(lines_in(b["values"][k], ws[k]) for k in columns) for b in _blocks())

    assert lines(widths) < lines(fixed)


def test_headers_break_only_between_words():
    assert header_lines("单位分管领导", 3) == ["单位", "分管", "领导"]
    assert header_lines("单位分管领导", 5) == ["单位分管", "领导"]
    assert header_lines("完成状态", 8) == ["完成状态"]
    assert header_lines("序号", 1) == ["序号"]


def test_too_many_columns_shrink_alike():
    widths = plan_widths(list(HEADERS), HEADERS, _blocks(3), 10, WEIGHTS)
    assert abs(sum(widths.values()) - 10) < 1e-6


def test_ledger_docx_rows_never_split_and_short_cells_fit(town_db, tmp_path):
    tasks = [{"seq": str(i), "category": ["以政务公开助推监管效能提升"], "requirement": "加强行政机关权力配置信息公开，结合政府机构改革和职能优化" * 2,
              "deadline": "长期坚持", "measures": ["制定工作计划", "按月更新栏目"], "status": "长期坚持" if i % 2 else "未开始", "progress": []}
             for i in range(1, 13)]
    fill_ledger(town_db, tasks=tasks)
    out = tmp_path / "台账.docx"
    export(town_db, "ledger", "docx", out)
    doc = part(out, "word/document.xml")
    rows = doc.findall(".//w:tbl/w:tr", NS)
    assert len(rows) == 1 + 12 * 2
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    grid = [int(g.get(f"{{{W}}}w")) for g in doc.findall(".//w:tbl/w:tblGrid/w:gridCol", NS)]
    headers = [tc for tc in rows[0].findall("w:tc", NS)]
    status_col = [text_of(h) for h in headers].index("完成状态")
    # 长期坚持 (4 characters of 9 pt = 180 twips) fits inside the cell's padding
    assert grid[status_col] - 114 >= 4 * 180
    # each header line is whole words: 单位分管领导 breaks as 单位 | 分管 | 领导 at most
    leader = headers[[text_of(h) for h in headers].index("单位分管领导")]
    parts = ["".join(t.text for t in leader.iter(f"{{{W}}}t"))]
    lines = [t.text for t in leader.iter(f"{{{W}}}t")]
    assert parts == ["单位分管领导"] and all(line in ("单位", "分管", "领导", "单位分管", "分管领导", "单位分管领导") for line in lines)
    # 填报单位 and 填报日期 on lines of their own
    paragraphs = [text_of(p) for p in doc.iter(f"{{{W}}}p")]
    assert "填报单位：城东街道" in paragraphs and any(p.startswith("填报日期：") for p in paragraphs)


def test_repair_text_layer_puts_back_the_written_characters():
    cmap = (b"1 0 obj\n<< >>\nendobj\n"
            b"7 0 obj\n<< /Length 99 >>\nstream\n2 beginbfrange\n<0001> <0003> [<2F2F> <4F5C> <2EA0>]\n<0004> <0004> <2F47>\n"
            b"<0005> <0006> <2F00>\nendbfrange\n1 beginbfchar\n<0007> <2F54>\nendbfchar\nendstream\nendobj\n"
            b"9 0 obj\n<< /Type /Font /ToUnicode 7 0 R >>\nendobj\n")
    fixed = repair_text_layer(cmap, "工作人民日报⽔")
    assert len(fixed) == len(cmap)
    assert b"[<5DE5> <4F5C> <6C11>]" in fixed  # 工 作 民
    assert b"<0004> <0004> <65E5>" in fixed  # 日
    assert b"<0005> <0006> <2F00>" in fixed  # a counting range is left alone
    assert b"<0007> <2F54>" in fixed  # ⽔ was written as such


def test_excel_headers_fit_or_break_between_words(ledger_db, tmp_path):
    from openpyxl import load_workbook

    from core.export.layout import excel_header

    assert excel_header("开放活动（计划/已开展）", 16) == ("开放活动\n（计划/\n已开展）", 3)
    assert excel_header("最近报送日期", 14) == ("最近报送日期", 1)
    out = tmp_path / "l.xlsx"
    export(ledger_db, "ledger", "xlsx", out)
    ws = load_workbook(out)["工作任务台账"]
    header = {c.value: c.column_letter for c in ws[3]}
    # 单位分管领导 on one line: 6 characters of two units each, plus the cell's margins
    assert ws.column_dimensions[header["单位分管领导"]].width >= 13
    assert ws.column_dimensions[header["完成状态"]].width >= 9
