"""The forms as HTML for Qt's printing (QTextDocument → QPdfWriter / QPrinter).

Pure Python: it builds the HTML and says how to lay it out; gui.print_preview renders it,
so a PDF and a printout need neither Word nor WPS.
"""

import re
from datetime import date
from html import escape

from core.errors import UserError
from core.text import printable
from core.export.common import LEDGER_COLUMNS, ROW_COLUMNS, check_columns, cn_date, ledger_blocks, ledger_columns, load_ledger
from core.export.ledger_docx import CENTERED

BODY = "'仿宋_GB2312','仿宋','FangSong','Noto Serif CJK SC',serif"
TITLE = "'方正小标宋简体','Noto Serif CJK SC',serif"
HEI = "'黑体','SimHei','Noto Sans CJK SC',sans-serif"
STYLE = (
    f"body {{ font-family: {BODY}; font-size: 10.5pt; }}"
    f"h1 {{ font-family: {TITLE}; font-size: 22pt; font-weight: normal; text-align: center; }}"
    "p.unit { font-size: 12pt; }"
    f"th {{ font-family: {HEI}; font-weight: normal; }}"
    "td.label { font-size: 14pt; text-align: center; }"
    "td.value { font-size: 12pt; }"
)


def _text(value) -> str:
    return escape(printable(value)).replace("\n", "<br/>")


def _page(title: str, unit_line: str, body: str, style: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'/><style>{STYLE}{style}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class='unit'>{_text(unit_line)}</p>{body}</body></html>"
    )


TABLE_PT = 9  # the ledger table in 小5, as in the .docx
TABLE_OPEN = "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse;'>"
KEEP = "<!--zwgk-keep-->"  # starts a run of rows printed on one page (a task and its measures)
CELL_ROOM = 0.8  # characters of a column taken by its padding and border


def kept_table(head: str, groups: list[str], open_tag: str = TABLE_OPEN) -> str:
    """A table whose row groups must not be split across pages (see split_kept, paged_html)."""
    return f"{open_tag}<thead>{head}</thead><tbody>" + "".join(KEEP + g for g in groups) + f"{KEEP}</tbody></table>"


def split_kept(html: str):
    """(before, table open tag, header rows, [row groups], after) of the first kept table, or None."""
    first = html.find(KEEP)
    if first < 0:
        return None
    last = html.rfind(KEEP)
    head_start = html.rfind("<thead>", 0, first)
    open_start = html.rfind("<table", 0, head_start)
    head = html[head_start + len("<thead>"):html.index("</thead>", head_start)]
    groups = html[first + len(KEEP):last].split(KEEP) if last > first else []
    close = html.index("</table>", last) + len("</table>")
    return html[:open_start], html[open_start:head_start], head, groups, html[close:]


def paged_html(parts, pages: list[list[int]]) -> str:
    """The kept table of `parts` (split_kept) as one table per page, each with its header rows."""
    before, open_tag, head, groups, after = parts
    tables = []
    for n, page in enumerate(pages):
        tag = open_tag if n == 0 else open_tag.replace("style='", "style='page-break-before: always; ", 1)
        tables.append(f"{tag}<thead>{head}</thead><tbody>{''.join(groups[i] for i in page)}</tbody></table>")
    return before + "".join(tables) + after


def _table_chars(columns) -> float:
    """Characters of the table font across the landscape page, less each column's padding."""
    from core.export.common import A4_MM, MARGINS_MM

    width_mm = A4_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]
    return width_mm / (TABLE_PT * 25.4 / 72) - CELL_ROOM * len(columns)


def ledger_html(db, year=None, unit=None, columns=None, today: date | None = None) -> str:
    """The ledger as an HTML table: widths planned for its rows, the header repeated on every
    page and a task's rows kept on one page (gui.print_preview lays the pages out)."""
    from core.export.layout import header_lines, ledger_widths

    unit_name, year, groups = load_ledger(db, year, unit)
    columns = check_columns(columns) if columns else ledger_columns(db)
    multi = len(groups) > 1
    blocks = []
    for group_unit, entries in groups.items():
        for block in ledger_blocks(db, entries):
            if multi:
                block["values"]["seq"] = f"{group_unit} {block['values']['seq']}".strip()
            blocks.append(block)
    widths = ledger_widths(columns, blocks, _table_chars(columns))
    total = sum(widths.values())
    head = "<tr>" + "".join(
        f"<th width='{widths[k] * 100 / total:.2f}%'>{'<br/>'.join(escape(t) for t in header_lines(LEDGER_COLUMNS[k][0], widths[k]))}</th>"
        for k in columns
    ) + "</tr>"
    rows = []
    for block in blocks:
        measures, values = block["measures"], block["values"]
        span = len(measures)
        lines = []
        for index, measure in enumerate(measures):
            cells = []
            for key in columns:
                align = " align='center'" if key in CENTERED else ""
                if key in ROW_COLUMNS:
                    cells.append(f"<td>{_text(measure['text'])}</td>")
                elif index == 0:
                    cells.append(f"<td rowspan='{span}'{align}>{_text(values[key])}</td>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        rows.append("".join(lines))
    table = kept_table(head, rows)
    lines = f"填报单位：{unit_name}\n填报日期：{cn_date(today or date.today())}"
    return _page(f"{year}年政务公开工作任务台账", lines, table, f"td, th {{ font-size: {TABLE_PT}pt; }}")


def _form_table(rows: list[tuple]) -> str:
    """A 4-column form table from a form's rows (their height hints are for Excel only)."""
    out = []
    for _height, *row in rows:
        if len(row) == 2:
            out.append(f"<tr><td class='label' width='25%'>{_text(row[0])}</td><td class='value' colspan='3'>{_text(row[1])}</td></tr>")
        else:
            out.append(
                f"<tr><td class='label' width='25%'>{_text(row[0])}</td><td class='value' width='25%'>{_text(row[1])}</td>"
                f"<td class='label' width='25%'>{_text(row[2])}</td><td class='value' width='25%'>{_text(row[3])}</td></tr>"
            )
    return "<table border='1' cellspacing='0' cellpadding='6' width='100%' style='border-collapse: collapse;'>" + "".join(out) + "</table><p></p>"


def activity_plan_html(db, year=None, unit=None) -> str:
    """The 报送表 as HTML, one table per activity."""
    from core.export.activity_plan import FORM_TITLE, form_rows, plan_items

    unit_name, year, items = plan_items(db, year, unit)
    tables = "".join(_form_table(form_rows(i)) for i in items)
    return _page(FORM_TITLE, f"单位名称：{unit_name}", tables)


def activity_report_html(db, year=None, unit=None) -> str:
    """The 开展情况 report as HTML."""
    from core.export.activity_report import FORM_TITLE, form_rows, report_items

    unit_name, year, items = report_items(db, year, unit)
    tables = "".join(_form_table(form_rows(i)) for i in items)
    return _page(FORM_TITLE, f"单位名称：{unit_name}", tables)


def summary_html(db, year=None, today: date | None = None) -> str:
    """The 汇总表 as HTML."""
    from core.export.summary_xlsx import HEADERS, summary_rows

    office, year, rows = summary_rows(db, year)
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADERS)
    body = []
    for n, r in enumerate(rows, start=1):
        rate = f"{r['已完成'] / r['tasks']:.0%}" if r["tasks"] else ""
        values = [n, r["unit"], r["tasks"], r["已完成"], r["推进中"], r["未开始"], r["长期坚持"], r["overdue"], rate,
                  f"{r['planned']}/{r['held']}", r["last_report"] or "未报送"]
        body.append("<tr>" + "".join(f"<td align='center'>{_text(v)}</td>" for v in values) + "</tr>")
    table = kept_table(f"<tr>{head}</tr>", body)
    return _page(f"{year}年政务公开工作台账汇总表", f"汇总单位：{office}　　　　汇总日期：{cn_date(today or date.today())}", table)


def form_html(db, form: str, year=None, unit=None, columns=None, today: date | None = None) -> tuple[str, bool]:
    """(HTML, landscape?) for `form`."""
    if form == "ledger":
        return ledger_html(db, year, unit, columns, today), True
    if form == "open-activity-plan":
        return activity_plan_html(db, year, unit), False
    if form == "open-activity-report":
        return activity_report_html(db, year, unit), False
    if form == "summary":
        return summary_html(db, year, today), True
    raise UserError(f"没有名为“{form}”的表单。")


# ---- the PDF's text layer ---------------------------------------------------------------------
# Qt names each glyph in a PDF's ToUnicode map by the lowest code point the font maps to it, so
# where a CJK font draws 工 and the Kangxi radical ⼯ with one glyph, copying or searching the PDF
# finds ⼯. The radicals are put back to the characters that were written.

# CJK Radicals Supplement characters and the ideograph they look like (NFKC covers the Kangxi block).
RADICAL_EQUIVALENTS = dict(zip(
    "⺁⺂⺃⺅⺆⺊⺋⺎⺏⺐⺒⺓⺔⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺶⺹⺺⺼⺽⺾⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "厂乛乚亻冂卜㔾兀尣尢巳幺彑忄㣺扌攵旡日月歺母民氵氺灬爫丬牛犭王疋罒示礻竹糸纟罓罒㓁羊耂肀月臼艹虎衤覀西见角讠贝足车辶阝钅長镸长门阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
))
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_HEX4 = re.compile(rb"<([0-9A-Fa-f]{4})>")


def written_text(html: str) -> str:
    """The characters an HTML page shows (tags dropped, entities read)."""
    from html import unescape

    body = re.sub(r"<head>.*?</head>|<!--.*?-->", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]*>", "", body))


def _radical_fix(code: int, written: set) -> int:
    """The code point that radical `code` stands for in `written`, or `code` itself."""
    ch = chr(code)
    if not 0x2E80 <= code <= 0x2FDF or ch in written:
        return code
    import unicodedata

    for candidate in (unicodedata.normalize("NFKC", ch), RADICAL_EQUIVALENTS.get(ch, "")):
        if len(candidate) == 1 and candidate != ch and candidate in written and ord(candidate) <= 0xFFFF:
            return ord(candidate)
    return code


def repair_text_layer(data: bytes, written: str) -> bytes:
    """`data` (a PDF from Qt) with ToUnicode entries naming a radical where `written` has the
    ideograph rewritten to the ideograph. Each entry keeps its length, so no offset moves.

    Only destination entries are changed: single mappings and array ranges; a `<a> <b> <u>`
    range counting up from a radical (never seen in Qt's output) is left alone.
    """
    chars = set(written)
    out = bytearray(data)
    for number in {m.group(1) for m in _TO_UNICODE.finditer(data)}:
        start = data.find(b"\n" + number + b" 0 obj")
        body_at = data.find(b"stream", start)
        if start < 0 or body_at < 0 or b"/Filter" in data[start:body_at]:
            continue
        body_at += len(b"stream")
        end = data.find(b"endstream", body_at)
        for line_start, line in _lines(data, body_at, end):
            for m in _destinations(line):
                old = int(m.group(1), 16)
                new = _radical_fix(old, chars)
                if new != old:
                    at = line_start + m.start(1)
                    out[at:at + 4] = f"{new:04X}".encode("ascii")
    return bytes(out)


def _destinations(line: bytes) -> list:
    """The 4-digit destination codes of one CMap line: `<src> <dst>`, `<a> <a> <dst>`, `<a> <b> [<dst>…]`."""
    codes = list(_HEX4.finditer(line))
    bracket = line.find(b"[")
    if bracket >= 0:
        return [c for c in codes if c.start() > bracket]
    if len(codes) == 2:
        return codes[1:]
    if len(codes) == 3 and codes[0].group(1) == codes[1].group(1):
        return codes[2:]
    return []


def _lines(data: bytes, start: int, end: int):
    """(offset, line) of each line of data[start:end]."""
    pos = start
    while pos < end:
        nl = data.find(b"\n", pos, end)
        nl = end if nl < 0 else nl
        yield pos, data[pos:nl]
        pos = nl + 1
