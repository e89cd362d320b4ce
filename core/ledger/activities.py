"""政府开放活动: planning activities, recording what happened, and when the report is due.

An activity is planned with a 开展时间 that must name the month and may name a day or
上旬/中旬/下旬. Once held, the unit records the date and the figures; the report to the county
is due 5 working days after the activity (counted by core.calendar.workdays).
"""

import calendar as _calendar
import hashlib
import json
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

from core import records, settings
from core.calendar import workdays
from core.calendar.dates import parse_user_date
from core.errors import UserError

REPORT_WORKDAYS = 5
PARTS = ("上旬", "中旬", "下旬")
PLAN_FIELDS = ("theme", "time_text", "place", "content", "audience", "signup", "contact", "phone")
REQUIRED = {
    "theme": "活动主题",
    "time_text": "开展时间",
    "place": "开展地点",
    "content": "活动内容",
    "audience": "活动对象",
    "contact": "联系人",
    "phone": "联系方式",
}
FIELD_TITLES = {**REQUIRED, "signup": "活动报名方式"}
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")

_TIME_RE = re.compile(
    r"^(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号]|(?P<part>上旬|中旬|下旬))?$"
)
_ISO_RE = re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?$")
_PHONE_RE = re.compile(r"^[0-9+＋()（）\- 、,，/转]{5,40}$")


class PlannedTime(dict):
    """A parsed 开展时间: year (or None), month, day (or None), part (or None), text."""


def parse_time(text: str, default_year: int | None = None) -> PlannedTime:
    """Validate and normalise a 开展时间 like "7月", "7月中旬", "7月15日", "2024年7月".

    Returns a PlannedTime whose `text` is the normalised form without the year
    ("7月中旬"); raises UserError when the month is missing or a date does not exist.
    """
    raw = unicodedata.normalize("NFKC", text or "")
    compact = re.sub(r"\s+", "", raw)
    match = _TIME_RE.match(compact) or _ISO_RE.match(compact)
    if not match:
        raise UserError(
            f"开展时间“{(text or '').strip()}”无法识别：必须写明月份，可具体到日或写上旬、中旬、下旬，"
            "例如“7月”“7月中旬”“7月15日”“2024年7月”。"
        )
    parts = match.groupdict()
    year = int(parts["year"]) if parts.get("year") else default_year
    month = int(parts["month"])
    day = int(parts["day"]) if parts.get("day") else None
    part = parts.get("part")
    if not 1 <= month <= 12:
        raise UserError(f"开展时间“{text.strip()}”中的月份 {month} 不存在，请填写 1～12 月。")
    if day is not None:
        last = _calendar.monthrange(year or 2024, month)[1]  # 2024 is a leap year: allows 2月29日
        if not 1 <= day <= last:
            raise UserError(f"开展时间“{text.strip()}”中的日期不存在：{month}月没有{day}日，请改正。")
    label = f"{month}月" + (f"{day}日" if day else part or "")
    return PlannedTime(year=year, month=month, day=day, part=part, text=label)


def planned_end(planned: PlannedTime, year: int) -> date:
    """The last day the planned time allows: the day, the end of the 旬, or the month's end."""
    if planned["day"]:
        return date(year, planned["month"], planned["day"])
    last = _calendar.monthrange(year, planned["month"])[1]
    ends = {"上旬": 10, "中旬": 20, "下旬": last, None: last}
    return date(year, planned["month"], ends[planned["part"]])


def _clean_plan(values: dict, default_year: int) -> dict:
    """The plan fields stripped and validated, with the year taken from the time if given."""
    clean = {key: str(values.get(key) or "").strip() for key in PLAN_FIELDS}
    missing = [title for key, title in REQUIRED.items() if not clean[key]]
    if missing:
        raise UserError(f"请填写{'、'.join(missing)}：报送表中这些栏目不能为空。")
    planned = parse_time(clean["time_text"])  # the year only when the text gives one
    clean["time_text"] = planned["text"]
    year = planned["year"] or values.get("year") or default_year
    clean["year"] = _check_year(year)
    if not _PHONE_RE.match(unicodedata.normalize("NFKC", clean["phone"])):
        raise UserError(f"联系方式“{clean['phone']}”不像电话号码，请填写手机号或带区号的座机号，例如 0533-4181234。")
    return clean


def _check_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise UserError(f"年度“{value}”无效，请填写四位数字年份，例如 2024。") from None
    if not 2000 <= year <= 2100:
        raise UserError(f"年度 {year} 超出范围，请填写 2000～2100 之间的年份。")
    return year


def _unit(db) -> str:
    profile = settings.profile(db) or {}
    name = profile.get("name", "")
    if not name:
        raise UserError("尚未设置本单位信息：请先在“设置 → 本单位”或用 profile set 填写单位名称。")
    return name


def add(db, values: dict, today: date | None = None) -> dict:
    """Record a planned activity for this unit; returns the new record."""
    today = today or date.today()
    clean = _clean_plan(values, today.year)
    with db.atomic():
        return records.insert(db, "activities", {"unit": _unit(db), **clean})


def update_plan(db, activity_id: str, values: dict) -> dict:
    """Change a planned activity's fields; returns {field: (old, new)}."""
    current = get(db, activity_id)
    merged = {**{k: current[k] for k in PLAN_FIELDS}, "year": current["year"], **values}
    clean = _clean_plan(merged, current["year"])
    with db.atomic():
        return records.update(db, "activities", activity_id, clean)


def _count(value, title: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(f"{title}“{value}”不是整数，请填写人数或条数，例如 20。") from None
    if number < 0:
        raise UserError(f"{title}不能为负数，请改正。")
    return number


def _parse_day(text, title: str, year=None) -> str:
    return parse_user_date(text, year, field=title)


def record_report(db, activity_id: str, held_on, participants, opinions, adopted, answered=None, note: str = "", links=None) -> dict:
    """Record what happened at an activity: date, participants, opinions and what was done with them."""
    current = get(db, activity_id)
    changes = {
        "held_on": _parse_day(held_on, "开展日期", current.get("year")),
        "participants": _count(participants, "参加人数"),
        "opinions": _count(opinions, "征集意见数"),
        "answered": _count(answered, "答复意见数"),
        "adopted": _count(adopted, "采纳意见数"),
        "report_note": (note or "").strip(),
    }
    if changes["participants"] is None:
        raise UserError("请填写参加人数。")
    if changes["opinions"] is None or changes["adopted"] is None:
        raise UserError("请填写征集意见数和采纳意见数（没有则填 0）。")
    for key, title in (("answered", "答复"), ("adopted", "采纳")):
        if changes[key] is not None and changes[key] > changes["opinions"]:
            raise UserError(f"{title}意见数（{changes[key]}）不能多于征集意见数（{changes['opinions']}），请核对。")
    if links is not None:
        changes["links"] = [link.strip() for link in links if link and link.strip()]
    if int(changes["held_on"][:4]) != current["year"]:
        raise UserError(f"开展日期 {changes['held_on']} 不在活动所属的 {current['year']} 年度，请核对日期。")
    with db.atomic():
        return records.update(db, "activities", activity_id, changes)


def mark_reported(db, activity_id: str, on) -> dict:
    """Note the day the 开展情况 report was sent to the county (None to undo)."""
    get(db, activity_id)
    value = _parse_day(on, "报送日期") if on else None
    with db.atomic():
        return records.update(db, "activities", activity_id, {"reported_on": value})


def delete(db, activity_id: str) -> None:
    """Delete an activity (a tombstone, so the deletion travels)."""
    get(db, activity_id)
    with db.atomic():
        records.delete(db, "activities", activity_id)


def get(db, activity_id: str) -> dict:
    """One activity by id (a unique id prefix of 6+ characters is accepted), or UserError."""
    key = (activity_id or "").strip()
    rows = [] if len(key) < 6 else list(
        db.query("SELECT * FROM activities WHERE deleted = 0 AND id LIKE ? LIMIT 2", [key.replace("%", "") + "%"])
    )
    if len(rows) != 1:
        raise UserError(f"找不到编号为“{activity_id}”的开放活动。运行 activity list 查看编号。")
    return _decode(rows[0])


def list_activities(db, year=None, unit=None) -> list[dict]:
    """Activities in time order; a 填报单位 sees its own, a 汇总单位 every unit's."""
    where, params = ["deleted = 0"], []
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("unit = ?")
        params.append(shown)
    if year:
        where.append("year = ?")
        params.append(int(year))
    rows = db.query(f"SELECT * FROM activities WHERE {' AND '.join(where)} ORDER BY year, unit, updated_at", params)
    items = [_decode(row) for row in rows]
    items.sort(key=lambda a: (a["year"], a["unit"], _sort_key(a)))
    return items


def _sort_key(activity: dict):
    try:
        planned = parse_time(activity["time_text"], activity["year"])
        return (planned["month"], planned["day"] or {"上旬": 5, "中旬": 15, "下旬": 25}.get(planned["part"], 31))
    except UserError:
        return (13, 0)


def _decode(row) -> dict:
    item = dict(row)
    item["links"] = json.loads(item.get("links") or "[]")
    item.setdefault("reported_on", None)
    return item


def report_due(activity: dict, db=None) -> date | None:
    """The day the 开展情况 report is due: 5 working days after held_on (None if not held)."""
    if not activity.get("held_on"):
        return None
    return workdays.add_workdays(date.fromisoformat(activity["held_on"]), REPORT_WORKDAYS, _workday_calendar(db))


def _workday_calendar(db):
    return workdays.load_calendar(db) if db is not None else workdays.default_calendar()


def state(activity: dict, today: date, db=None) -> dict:
    """Where an activity stands, the one rule for every view: {"state", "label", "due", "overdue"}.

    state: "reported" (开展情况 sent), "held" (held, report due REPORT_WORKDAYS working days
    after), "to_record" (the planned time has passed without a record; the report counts from
    its end) or "planned". due: the report's due date (None while planned).
    """
    if activity.get("reported_on"):
        return {"state": "reported", "label": f"已报送（{activity['reported_on']}）", "due": report_due(activity, db), "overdue": False}
    if activity.get("held_on"):
        due = report_due(activity, db)
        late = today > due
        return {"state": "held", "label": "逾期未报送" if late else "已开展，待报送", "due": due, "overdue": late}
    try:
        end = planned_end(parse_time(activity["time_text"], activity["year"]), activity["year"])
    except UserError:
        end = None
    if end is not None and end < today:
        due = workdays.add_workdays(end, REPORT_WORKDAYS, _workday_calendar(db))
        return {"state": "to_record", "label": "待填报开展情况", "due": due, "overdue": today > due}
    return {"state": "planned", "label": "计划中", "due": None, "overdue": False}


def pending_reports(db, today: date) -> list[dict]:
    """Activities whose report is still to be sent, soonest due first.

    Each item: id, unit, theme, time_text, held_on, year, state ("待报送" once held, "待填报开展情况"
    when the planned time has passed without a record), due (date), overdue (bool).
    """
    items = []
    for activity in list_activities(db):
        where = state(activity, today, db)
        if where["state"] in ("held", "to_record"):
            item = {k: activity[k] for k in ("id", "unit", "theme", "time_text", "held_on", "year")}
            label = "待报送" if where["state"] == "held" else where["label"]
            items.append({**item, "state": label, "due": where["due"], "overdue": where["overdue"]})
    items.sort(key=lambda i: (i["due"], i["theme"]))
    return items


def check_photo(file) -> Path:
    """`file` as a Path if it is an existing picture, else UserError."""
    source = Path(file)
    if not source.is_file():
        raise UserError(f"找不到照片文件“{file}”，请检查路径。")
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise UserError(f"“{source.name}”不是常见图片格式，请选择 {'、'.join(PHOTO_SUFFIXES)} 文件。")
    return source


def add_photo(db, db_path, activity_id: str, file) -> dict:
    """Copy a photo into the attachment folder beside the database and link it to the activity."""
    from core.storage.atomic import atomic_path
    from core.paths import beside_db

    source = check_photo(file)
    get(db, activity_id)
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    stored = f"{digest[:16]}{source.suffix.lower()}"
    folder = beside_db(db_path, "attachments")
    target = folder / stored
    if not target.exists():
        with atomic_path(target, expect_size=len(data)) as tmp:
            shutil.copyfile(source, tmp)
    with db.atomic():
        return records.insert(
            db,
            "attachments",
            {"activity_id": activity_id, "kind": "file", "name": source.name, "stored_name": stored, "sha256": digest, "size": len(data)},
        )


def photos(db, activity_id: str) -> list[dict]:
    """The photos attached to an activity."""
    return [
        dict(row)
        for row in db.query(
            "SELECT id, name, stored_name, size FROM attachments WHERE activity_id = ? AND deleted = 0 ORDER BY updated_at", [activity_id]
        )
    ]
