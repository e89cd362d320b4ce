"""政府开放活动计划安排报送表: .docx in the county's layout (from a docxtpl template) and .xlsx."""

from datetime import date

from core.errors import UserError
from core.export.common import cn_date, unit_and_year

FORM_TITLE = "政府开放活动计划安排报送表"


def plan_items(db, year=None, unit=None) -> tuple[str, int, list[dict]]:
    """(unit, year, activities as printed) for the 报送表; UserError when there are none."""
    from core.ledger.activities import list_activities

    unit_name, year = unit_and_year(db, year, unit, "activities")
    activities = list_activities(db, year=year, unit=unit)
    if not activities:
        raise UserError(f"{year}年度还没有开放活动计划：请先在“开放活动”页或用 activity add 添加，或用 --year 指定年度。")
    units = {a["unit"] for a in activities}
    if len(units) == 1:
        unit_name = units.pop()
    return unit_name, year, [plan_item(a) for a in activities]


def plan_item(activity: dict) -> dict:
    """One activity's cells on the 报送表."""
    return {
        "theme": activity["theme"],
        "time": f"{activity['year']}年{activity['time_text']}",
        "place": activity["place"],
        "content": activity["content"],
        "audience": activity["audience"],
        "signup": activity["signup"],
        "contact": activity["contact"],
        "phone": activity["phone"],
        "unit": activity["unit"],
    }


def form_rows(item: dict) -> list[tuple]:
    """The form's rows for one activity, as the Excel and PDF writers lay them out (the Word
    template holds the same rows): (height in points, label, value) across the form, or
    (height, label, value, label, value)."""
    return [
        (32, "活动主题", item["theme"]),
        (40, "开展时间", item["time"], "开展地点", item["place"]),
        (90, "活动内容", item["content"]),
        (40, "活动对象", item["audience"]),
        (40, "活动报名方式", item["signup"]),
        (32, "联系人", item["contact"], "联系方式", item["phone"]),
    ]


def write_docx(db, target, year=None, unit=None, db_path=None, today: date | None = None) -> dict:
    """Write the 报送表 .docx from the template in use; returns what was written."""
    from core.export.templates import render, template_path

    unit_name, year, items = plan_items(db, year, unit)
    context = {"unit": unit_name, "year": year, "date": cn_date(today or date.today()), "activities": items}
    render(template_path(db_path, "activity_plan"), context, target)
    return {"form": "open-activity-plan", "rows": len(items), "unit": unit_name, "year": year}


def write_xlsx(db, target, year=None, unit=None, today: date | None = None) -> dict:
    """Write the 报送表 as an Excel sheet laid out like the Word form."""
    from core.export.xlsx_form import write_form_book

    unit_name, year, items = plan_items(db, year, unit)
    write_form_book(target, "开放活动计划", FORM_TITLE, unit_name, [form_rows(i) for i in items])
    return {"form": "open-activity-plan", "rows": len(items), "unit": unit_name, "year": year}
