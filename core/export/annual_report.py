"""政府信息公开工作年度报告 as .docx and .xlsx, in the national format (国办公开办函〔2021〕30号).

Sections 一 to 六 in order; tables 二, 三 (25 figure rows) and 四 laid out as the national
format merges them. The .docx is the template `annual_report` (title and headings, editable)
whose marker paragraphs are replaced by the sections' text and the tables; the tables are
built once as placed cells (row, column, row span, column span, text) and drawn by both writers.
Exporting keeps the figures as published, so next year's checks compare against them.
"""

from datetime import date
from xml.sax.saxutils import escape

from core.register import annual_report as ar
from core.errors import UserError
from core.export.common import BODY_FONT, HEADING_FONT, SIZE_3, SIZE_5, cn_date, rpr_xml
from core.text import printable

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MARKERS = {
    "section1": "〔ZWGK-AR-SECTION1〕", "table2": "〔ZWGK-AR-TABLE2〕", "table3": "〔ZWGK-AR-TABLE3〕",
    "table4": "〔ZWGK-AR-TABLE4〕", "section5": "〔ZWGK-AR-SECTION5〕", "section6": "〔ZWGK-AR-SECTION6〕",
}
TEXT_WIDTH = 8844  # A4 portrait between the GB/T 9704 margins (156 mm), in twips
SIZE_SMALL_5 = 18  # 小五 9 pt
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


class Grid:
    """A table as placed cells: (row, col, rowspan, colspan, text, head) over `widths` (twips)."""

    def __init__(self, widths, header_rows: int, size: int = SIZE_5, label_cols: int = 1):
        self.widths, self.header_rows, self.size, self.label_cols = list(widths), header_rows, size, label_cols
        self.cells = []

    def put(self, row, col, text, rowspan=1, colspan=1, head=False):
        self.cells.append((row, col, rowspan, colspan, "" if text is None else str(text), head))

    @property
    def rows(self) -> int:
        return max(r + rs for r, _, rs, _, _, _ in self.cells)


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table2_grid(data) -> Grid:
    """表二 主动公开政府信息情况: four blocks of 第二十条."""
    t2 = data["table2"]
    g = Grid([2844, 2000, 2000, 2000], 0)
    r = 0

    def block(title, head, rows):
        nonlocal r
        g.put(r, 0, title, colspan=4, head=True)
        g.put(r + 1, 0, "信息内容", head=True)
        if len(head) == 3:
            for i, h in enumerate(head):
                g.put(r + 1, 1 + i, h, head=True)
        else:
            g.put(r + 1, 1, head[0], colspan=3, head=True)
        r += 2
        for label, values in rows:
            g.put(r, 0, label)
            if len(values) == 3:
                for i, v in enumerate(values):
                    g.put(r, 1 + i, _num(v))
            else:
                g.put(r, 1, _num(values[0]), colspan=3)
            r += 1

    block("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
          [(ar.DOC_TITLES[k], [t2[k][c] for c in ar.DOC_COLUMNS]) for k in ar.DOC_KINDS])
    block("第二十条第（五）项", ("本年处理决定数量",), [("行政许可", [t2["行政许可"]])])
    block("第二十条第（六）项", ("本年处理决定数量",), [("行政处罚", [t2["行政处罚"]]), ("行政强制", [t2["行政强制"]])])
    block("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("行政事业性收费", [t2["收费"]])])
    return g


def table3_grid(data) -> Grid:
    """表三 收到和处理政府信息公开申请情况: 3 label columns, 7 figure columns, 25 figure rows."""
    g = Grid([620, 1330, 2650] + [606] * 7, 3, SIZE_SMALL_5, label_cols=3)
    g.put(0, 0, T3_NOTE, rowspan=3, colspan=3, head=True)
    g.put(0, 3, "申请人情况", colspan=7, head=True)
    g.put(1, 3, "自然人", rowspan=2, head=True)
    g.put(1, 4, "法人或其他组织", colspan=5, head=True)
    g.put(1, 9, "总计", rowspan=2, head=True)
    for i, name in enumerate(ar.COLUMNS[1:6]):
        g.put(2, 4 + i, name, head=True)
    rows = {row["code"]: row["values"] for row in data["table3"]["rows"]}

    def figures(r, code):
        for i, v in enumerate(rows[code]):
            g.put(r, 3 + i, _num(v))

    r = 3
    for code in ("new", "carried"):
        g.put(r, 0, ar.row_label(code), colspan=3)
        figures(r, code)
        r += 1
    g.put(r, 0, "三、本年度办理结果", rowspan=len(ar.RESULT_CODES) + 1)
    for code in ar.RESULT_CODES:
        group = code.split(".")[0]
        if "." not in code:
            g.put(r, 1, ar.row_label(code), colspan=2)
        else:
            if code.endswith(".1"):
                size = sum(1 for c in ar.RESULT_CODES if c.startswith(group + "."))
                g.put(r, 1, ar.GROUPS[group], rowspan=size)
            g.put(r, 2, ar.row_label(code))
        figures(r, code)
        r += 1
    g.put(r, 1, ar.row_label("total"), colspan=2)
    figures(r, "total")
    r += 1
    g.put(r, 0, ar.row_label("carry_next"), colspan=3)
    figures(r, "carry_next")
    return g


def table4_grid(data) -> Grid:
    """表四 行政复议、行政诉讼情况: one row of 15 numbers under two header levels."""
    g = Grid([589] * 14 + [TEXT_WIDTH - 589 * 14], 3, SIZE_SMALL_5, label_cols=0)
    g.put(0, 0, "行政复议", colspan=5, head=True)
    g.put(0, 5, "行政诉讼", colspan=10, head=True)
    for i, name in enumerate(ar.T4_COLUMNS):
        g.put(1, i, name, rowspan=2, head=True)
    g.put(1, 5, "未经复议直接起诉", colspan=5, head=True)
    g.put(1, 10, "复议后起诉", colspan=5, head=True)
    for block in (1, 2):
        for i, name in enumerate(ar.T4_COLUMNS):
            g.put(2, block * 5 + i, name, head=True)
    for block, kind in enumerate(ar.APPEAL_KINDS):
        for i, v in enumerate(data["table4"][kind]):
            g.put(3, block * 5 + i, _num(v))
    return g


# ---- .docx --------------------------------------------------------------------------------


def _tc(text, width, rpr, align, span, vmerge) -> str:
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    merge = {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}.get(vmerge, "")
    runs = ""
    if text and vmerge != "continue":
        inner = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(printable(line))}</w:t>' for line in text.split("\n"))
        runs = f"<w:r>{rpr}{inner}</w:r>"
    spacing = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr>{spacing}<w:jc w:val="{align}"/>{rpr}</w:pPr>{runs}</w:p></w:tc>')


def grid_xml(g: Grid) -> str:
    """The grid as a bordered w:tbl; header rows repeat on every page."""
    body = rpr_xml(BODY_FONT, g.size)
    head = rpr_xml(HEADING_FONT, g.size)
    starts = {(r, c): (rs, cs, text, is_head) for r, c, rs, cs, text, is_head in g.cells}
    covered = {}
    for r, c, rs, cs, _, _ in g.cells:
        for dr in range(1, rs):
            covered[(r + dr, c)] = cs
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(g.widths)}" w:type="dxa"/><w:jc w:val="center"/>'
             f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>',
             "".join(f'<w:gridCol w:w="{w}"/>' for w in g.widths), "</w:tblGrid>"]
    for r in range(g.rows):
        header = '<w:tblHeader/>' if r < g.header_rows else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        c = 0
        while c < len(g.widths):
            if (r, c) in starts:
                rs, cs, text, is_head = starts[(r, c)]
                width = sum(g.widths[c:c + cs])
                align = "center" if is_head or c >= g.label_cols else "left"
                parts.append(_tc(text, width, head if is_head else body, align, cs, "restart" if rs > 1 else None))
                c += cs
            elif (r, c) in covered:
                cs = covered[(r, c)]
                parts.append(_tc("", sum(g.widths[c:c + cs]), body, "center", cs, "continue"))
                c += cs
            else:
                parts.append(_tc("", g.widths[c], body, "center", 1, None))
                c += 1
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def text_xml(text: str) -> str:
    """Body paragraphs (3号 仿宋, first line indented two characters); an empty text gives one empty line."""
    rpr = rpr_xml(BODY_FONT, SIZE_3)
    paragraphs = [line.strip() for line in (text or "").split("\n") if line.strip()] or [""]
    out = []
    for line in paragraphs:
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(printable(line))}</w:t></w:r>' if line else ""
        out.append(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
                   f'<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>{rpr}</w:pPr>{run}</w:p>')
    return "".join(out)


def _replace_markers(document, parts: dict) -> None:
    """Put each part (list of XML texts) in place of its marker paragraph."""
    from lxml import etree

    body = document.element.body
    found = set()
    for paragraph in list(body.iter(f"{{{W_NS}}}p")):
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{W_NS}}}t"))
        for key, marker in MARKERS.items():
            if marker in text:
                wrapper = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{parts[key]}</w:body>')
                for element in list(wrapper):
                    paragraph.addprevious(element)
                paragraph.getparent().remove(paragraph)
                found.add(key)
                break
    missing = [MARKERS[k] for k in MARKERS if k not in found]
    if missing:
        raise UserError(f"年度报告模板中缺少标记 {'、'.join(missing)}（每个须单独占一段），请从导出的模板重新修改后载入。")


def _caption(text: str) -> str:
    rpr = rpr_xml(BODY_FONT, SIZE_3)
    return (f'<w:p xmlns:w="{W_NS}"><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>{rpr}</w:pPr>'
            f'<w:r>{rpr}<w:t>{escape(text)}</w:t></w:r></w:p>')


def document_parts(data) -> dict:
    """The XML put in place of each marker."""
    s = data["sections"]
    return {
        "section1": text_xml(s.get("section1", "")),
        "table2": grid_xml(table2_grid(data)),
        "table3": grid_xml(table3_grid(data)),
        "table4": grid_xml(table4_grid(data)),
        "section5": text_xml(s.get("section5", "")),
        "section6": text_xml(s.get("section6", "")),
    }


def load(db, year, unit=None) -> dict:
    """The report's data for an export (UserError for a bad year)."""
    if year in (None, ""):
        year = ar.today_year()
    if unit == "all":
        return ar.county_data(db, year)
    return ar.report_data(db, year, unit)


def write_docx(db, target, year=None, unit=None, db_path=None, today: date | None = None) -> dict:
    """Write the annual report .docx from the template in use."""
    from core.export.templates import render, template_path

    data = load(db, year, unit)
    parts = document_parts(data)
    title_unit = "" if data["unit"] == "all" else data["unit"]
    context = {"unit": title_unit, "year": data["year"], "date": cn_date(today or date.today())}
    render(template_path(db_path, "annual_report"), context, target, post=lambda doc: _replace_markers(doc, parts))
    _remember(db, data)
    return {"form": "annual-report", "rows": 25, "unit": data["unit"], "year": data["year"]}


def _remember(db, data) -> None:
    if data["unit"] != "all":
        ar.keep_snapshot(db, data)


# ---- .xlsx --------------------------------------------------------------------------------


def write_xlsx(db, target, year=None, unit=None, today: date | None = None) -> dict:
    """Write the report as one sheet: title, sections and the three tables with the same merges."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from core.export.common import TITLE_FONT
    from core.export.xlsx_form import new_book, page_setup, save, set_text

    data = load(db, year, unit)
    wb = new_book()
    ws = wb.active
    ws.title = f"{data['year']}年度报告"
    cols = 15
    widths = [8, 12, 30] + [9] * 12
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_col(i)].width = w
    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(horizontal="left", vertical="top", wrap_text=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = 1

    def line(text, font, height=None, align=wrap):
        nonlocal row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=cols)
        cell = ws.cell(row=row, column=1)
        set_text(cell, printable(text))
        cell.font, cell.alignment = font, align
        if height:
            ws.row_dimensions[row].height = height
        row += 1

    def grid(g: Grid, span_cols):
        nonlocal row
        # map the grid's columns onto sheet columns: label columns stay, figures one column each
        for r, c, rs, cs, text, head in g.cells:
            first, last = span_cols[c][0], span_cols[c + cs - 1][1]
            cell = ws.cell(row=row + r, column=first)
            value = int(text) if text.isdigit() and not head else text
            set_text(cell, value)
            cell.font = Font(name=HEADING_FONT if head else BODY_FONT, size=10)
            cell.alignment = center
            for rr in range(row + r, row + r + rs):
                for cc in range(first, last + 1):
                    ws.cell(row=rr, column=cc).border = border
            if rs > 1 or last > first:
                ws.merge_cells(start_row=row + r, start_column=first, end_row=row + r + rs - 1, end_column=last)
        row += g.rows + 1

    body = Font(name=BODY_FONT, size=12)
    heading = Font(name=HEADING_FONT, size=14)
    title_unit = "" if data["unit"] == "all" else data["unit"]
    line(f"{title_unit}{data['year']}年政府信息公开工作年度报告", Font(name=TITLE_FONT, size=20), 40, center)
    s = data["sections"]
    line(ar.SECTIONS["section1"], heading, 22)
    line(s.get("section1", ""), body, _height(s.get("section1", "")))
    line(ar.SECTIONS["section2"], heading, 22)
    grid(table2_grid(data), [(1, 3), (4, 7), (8, 11), (12, 15)])
    line(ar.SECTIONS["section3"], heading, 22)
    grid(table3_grid(data), [(i, i) for i in range(1, 11)])
    line(ar.SECTIONS["section4"], heading, 22)
    grid(table4_grid(data), [(i, i) for i in range(1, 16)])
    line(ar.SECTIONS["section5"], heading, 22)
    line(s.get("section5", ""), body, _height(s.get("section5", "")))
    line(ar.SECTIONS["section6"], heading, 22)
    line(s.get("section6", ""), body, _height(s.get("section6", "")))
    page_setup(ws)
    save(wb, target)
    _remember(db, data)
    return {"form": "annual-report", "rows": 25, "unit": data["unit"], "year": data["year"]}


def _height(text: str) -> float:
    lines = sum(max(1, len(part) // 60 + 1) for part in (text or "").split("\n"))
    return max(20, 16 * lines)


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)
