"""The forms as HTML for Qt's printing (QTextDocument → QPdfWriter / QPrinter).

Pure Python: it builds the HTML and says how to lay it out; gui.print_preview renders it,
so a PDF and a printout need neither Word nor WPS.
"""

from datetime import date
from html import escape

from core.errors import UserError
from core.text import printable
from core.export.common import LEDGER_COLUMNS, ROW_COLUMNS, check_columns, cn_date, ledger_blocks, ledger_columns, load_ledger

BODY = "'仿宋_GB2312','仿宋','FangSong','Noto Serif CJK SC',serif"
TITLE = "'方正小标宋简体','Noto Serif CJK SC',serif"
HEI = "'黑体','SimHei','Noto Sans CJK SC',sans-serif"
STYLE = (
    f"body {{ font-family: {BODY}; font-size: 10.5pt; }}"
    f"h1 {{ font-family: {TITLE}; font-size: 22pt; font-weight: normal; text-align: center; }}"
    "p.unit { font-size: 14pt; }"
    f"th {{ font-family: {HEI}; font-weight: normal; }}"
    "td.label { font-size: 14pt; text-align: center; }"
    "td.value { font-size: 12pt; }"
)


def _text(value) -> str:
    return escape(printable(value)).replace("\n", "<br/>")


def _page(title: str, unit_line: str, body: str) -> str:
    return (
        f"<html><head><meta charset='utf-8'/><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class='unit'>{_text(unit_line)}</p>{body}</body></html>"
    )


def ledger_html(db, year=None, unit=None, columns=None, today: date | None = None) -> str:
    """The ledger as an HTML table (header in <thead>, so it repeats on every page)."""
    unit_name, year, groups = load_ledger(db, year, unit)
    columns = check_columns(columns) if columns else ledger_columns(db)
    total = sum(LEDGER_COLUMNS[k][1] for k in columns)
    head = "".join(f"<th width='{LEDGER_COLUMNS[k][1] * 100 // total}%'>{escape(LEDGER_COLUMNS[k][0])}</th>" for k in columns)
    rows = []
    for group_unit, entries in groups.items():
        for block in ledger_blocks(db, entries):
            measures, values = block["measures"], block["values"]
            span = len(measures)
            for index, measure in enumerate(measures):
                cells = []
                for key in columns:
                    if key in ROW_COLUMNS:
                        cells.append(f"<td>{_text(measure['text'])}</td>")
                    elif index == 0:
                        text = values[key] if key != "seq" or len(groups) == 1 else f"{group_unit} {values[key]}"
                        cells.append(f"<td rowspan='{span}'>{_text(text)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
    table = (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse;'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    line = f"填报单位：{unit_name}　　　　填报日期：{cn_date(today or date.today())}"
    return _page(f"{year}年政务公开工作任务台账", line, table)


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
    table = (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse;'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
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
