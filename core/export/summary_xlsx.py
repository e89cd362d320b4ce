"""汇总表 for a 汇总单位: per unit, tasks, done, in progress, overdue and the last report date."""

from datetime import date

from core.errors import UserError
from core.export.common import cn_date, unit_and_year

HEADERS = ("序号", "单位", "任务数", "已完成", "推进中", "未开始", "长期坚持", "逾期", "完成率", "开放活动（计划/已开展）", "最近报送日期")
WIDTHS = (6, 24, 9, 9, 9, 9, 10, 8, 9, 16, 14)


def summary_rows(db, year=None, today: date | None = None) -> tuple[str, int, list[dict]]:
    """(this office, year, one dict per unit with entries): the figures of core.county.roster.report_status,
    so the workbook says what the 数据交换 page and `units list` say."""
    from core.county.roster import report_status

    office, year = unit_and_year(db, year)
    from core import settings

    county = settings.is_county(db)
    units = []
    for s in report_status(db, year=year, today=today, with_tasks=False):
        if not s["entries"]:
            continue
        units.append({"unit": s["unit"], "tasks": s["entries"], "已完成": s["done"], "推进中": s["推进中"],
                      "未开始": s["未开始"], "长期坚持": s["长期坚持"], "overdue": s["overdue"],
                      "last_report": ((s["last_report"] or "")[:10] or None) if county else s["last_recorded"],
                      "planned": s["activities"], "held": s["activities_held"]})
    if not units:
        raise UserError(f"{year}年度没有台账数据可汇总：请先导入各单位报送的台账，或用 --year 指定年度。")
    return office, year, units


def write_xlsx(db, target, year=None, today: date | None = None) -> dict:
    """Write the summary workbook."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from core.export.common import BODY_FONT, TITLE_FONT
    from core.export.layout import excel_header
    from core.export.xlsx_form import new_book, page_setup, save, set_text

    today = today or date.today()
    office, year, rows = summary_rows(db, year, today)
    wb = new_book()
    ws = wb.active
    ws.title = "汇总"
    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last = "ABCDEFGHIJK"[len(HEADERS) - 1]
    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], f"{year}年政务公开工作台账汇总表")
    ws["A1"].font, ws["A1"].alignment = Font(name=TITLE_FONT, size=20), center
    ws.row_dimensions[1].height = 40
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], f"汇总单位：{office}\n汇总日期：{cn_date(today)}")
    ws["A2"].font = Font(name=BODY_FONT, size=12)
    ws["A2"].alignment = Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 36
    header_lines = 1
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = ws.cell(row=3, column=col)
        text, lines = excel_header(title, width)
        header_lines = max(header_lines, lines)
        set_text(cell, text)
        cell.font, cell.alignment, cell.border = Font(name="黑体", size=11), center, border
        ws.column_dimensions["ABCDEFGHIJK"[col - 1]].width = width
    ws.row_dimensions[3].height = header_lines * 14 + 6
    totals = [0] * 6
    for index, row in enumerate(rows, start=1):
        counted = [row["tasks"], row["已完成"], row["推进中"], row["未开始"], row["长期坚持"], row["overdue"]]
        totals = [a + b for a, b in zip(totals, counted)]
        rate = f"{row['已完成'] / row['tasks']:.0%}" if row["tasks"] else ""
        values = [index, row["unit"], *counted, rate, f"{row['planned']}/{row['held']}", row["last_report"] or "未报送"]
        _write_row(ws, 3 + index, values, border, center, set_text)
    rate = f"{totals[1] / totals[0]:.0%}" if totals[0] else ""
    _write_row(ws, 4 + len(rows), ["", "合计", *totals, rate, "", ""], border, center, set_text)
    page_setup(ws, landscape=True, title_rows="3:3")
    ws.freeze_panes = "C4"
    save(wb, target)
    return {"form": "summary", "rows": len(rows), "unit": office, "year": year}


def _write_row(ws, row_no, values, border, center, set_text) -> None:
    from openpyxl.styles import Font

    font = Font(name="仿宋_GB2312", size=11)
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row_no, column=col)
        set_text(cell, value)
        cell.font, cell.alignment, cell.border = font, center, border
