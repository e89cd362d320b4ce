"""政府开放活动开展情况报送表: what happened at each activity held (.docx from a template, .xlsx)."""

from datetime import date

from core.errors import UserError
from core.export.common import cn_date, unit_and_year

FORM_TITLE = "政府开放活动开展情况报送表"


def report_items(db, year=None, unit=None, activity_ids=None) -> tuple[str, int, list[dict]]:
    """(unit, year, held activities as printed); UserError when none has been recorded."""
    from core.ledger.activities import list_activities, report_due

    unit_name, year = unit_and_year(db, year, unit, "activities")
    held = [a for a in list_activities(db, year=year, unit=unit) if a.get("held_on")]
    if activity_ids:
        wanted = set(activity_ids)
        held = [a for a in held if a["id"] in wanted]
    if not held:
        raise UserError(f"{year}年度还没有记录开展情况的开放活动：请先用“记录开展情况”或 activity report 填写后再导出。")
    units = {a["unit"] for a in held}
    if len(units) == 1:
        unit_name = units.pop()
    return unit_name, year, [report_item(a, report_due(a, db)) for a in held]


def _number(value) -> str:
    return "" if value is None else str(value)


def report_item(activity: dict, due) -> dict:
    """One held activity's cells on the report."""
    return {
        "theme": activity["theme"],
        "held_on": cn_date(date.fromisoformat(activity["held_on"])),
        "place": activity["place"],
        "content": activity["content"],
        "audience": activity["audience"],
        "participants": _number(activity.get("participants")),
        "opinions": _number(activity.get("opinions")),
        "answered": _number(activity.get("answered")),
        "adopted": _number(activity.get("adopted")),
        "due": cn_date(due) if due else "",
        "note": activity.get("report_note") or "",
        "links": "\n".join(activity.get("links") or []),
        "contact": activity["contact"],
        "phone": activity["phone"],
        "unit": activity["unit"],
    }


def form_rows(item: dict) -> list[tuple]:
    """The report's rows for one activity (see activity_plan.form_rows for their shape)."""
    return [
        (30, "活动主题", item["theme"]),
        (36, "开展日期", item["held_on"], "开展地点", item["place"]),
        (70, "活动内容", item["content"]),
        (36, "活动对象", item["audience"], "参加人数", item["participants"]),
        (28, "征集意见", item["opinions"], "答复意见", item["answered"]),
        (28, "采纳意见", item["adopted"], "报送时限", item["due"]),
        (70, "开展情况", item["note"]),
        (30, "相关链接", item["links"]),
        (28, "联系人", item["contact"], "联系方式", item["phone"]),
    ]


def write_docx(db, target, year=None, unit=None, db_path=None, today: date | None = None, activity_ids=None) -> dict:
    """Write the 开展情况 report .docx from the template in use."""
    from core.export.templates import render, template_path

    unit_name, year, items = report_items(db, year, unit, activity_ids)
    context = {"unit": unit_name, "year": year, "date": cn_date(today or date.today()), "activities": items}
    render(template_path(db_path, "activity_report"), context, target)
    return {"form": "open-activity-report", "rows": len(items), "unit": unit_name, "year": year}


def write_xlsx(db, target, year=None, unit=None, today: date | None = None, activity_ids=None) -> dict:
    """Write the 开展情况 report as an Excel sheet laid out like the Word form."""
    from core.export.xlsx_form import write_form_book

    unit_name, year, items = report_items(db, year, unit, activity_ids)
    write_form_book(target, "开放活动开展情况", FORM_TITLE, unit_name, [form_rows(i) for i in items])
    return {"form": "open-activity-report", "rows": len(items), "unit": unit_name, "year": year}
