"""The forms the county asks for: 工作任务台账, 政府开放活动计划安排报送表, 开展情况, 汇总表.

`export(db, form, fmt, out, …)` writes one form as .docx or .xlsx; PDF needs Qt and is
rendered by gui.print_preview from the HTML that core.export.pdf builds.
"""

from core.export.common import FORMATS, FORMS, check_output
from core.errors import UserError

SUPPORTED = {
    "ledger": ("xlsx", "docx", "pdf"),
    "open-activity-plan": ("docx", "xlsx", "pdf"),
    "open-activity-report": ("docx", "xlsx", "pdf"),
    "summary": ("xlsx", "pdf"),
    "annual-report": ("docx", "xlsx"),
}


def check_request(form: str, fmt: str, out):
    """Validate form, format and output path; returns the output Path."""
    if form not in FORMS:
        raise UserError(f"没有名为“{form}”的表单，可选：{'、'.join(FORMS)}。")
    if fmt not in SUPPORTED[form]:
        raise UserError(f"{FORMS[form]}不能导出为 {fmt}，可选：{'、'.join(SUPPORTED[form])}。")
    return check_output(out, fmt)


def export(db, form: str, fmt: str, out, year=None, unit=None, columns=None, db_path=None, today=None, progress=None) -> dict:
    """Write `form` as `fmt` (docx or xlsx) to `out`; returns {"form","rows","unit","year",…, "path"}."""
    path = check_request(form, fmt, out)
    if fmt == "pdf":
        raise UserError("PDF 由窗口程序的打印模块生成，请使用命令 export … --format pdf 或窗口中的“打印预览”。")
    if form == "ledger":
        if fmt == "xlsx":
            from core.export.ledger_xlsx import write_xlsx

            info = write_xlsx(db, path, year, unit, columns, today, progress)
        else:
            from core.export.ledger_docx import write_docx

            info = write_docx(db, path, year, unit, columns, db_path, today, progress)
    elif form == "open-activity-plan":
        from core.export import activity_plan

        info = activity_plan.write_xlsx(db, path, year, unit, today) if fmt == "xlsx" else activity_plan.write_docx(db, path, year, unit, db_path, today)
    elif form == "open-activity-report":
        from core.export import activity_report

        info = activity_report.write_xlsx(db, path, year, unit, today) if fmt == "xlsx" else activity_report.write_docx(db, path, year, unit, db_path, today)
    elif form == "annual-report":
        from core.export import annual_report

        info = annual_report.write_xlsx(db, path, year, unit, today) if fmt == "xlsx" else annual_report.write_docx(db, path, year, unit, db_path, today)
    else:
        from core.export.summary_xlsx import write_xlsx

        info = write_xlsx(db, path, year, today)
    return {**info, "path": str(path), "format": fmt}


__all__ = ["FORMATS", "FORMS", "SUPPORTED", "check_request", "export"]
