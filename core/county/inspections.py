"""Checks and corrections (日常抽测、季度检查、年度考核 and 整改).

The county records a finding per unit (table `inspections`, owned by the county; it travels to
that unit in its next 任务包). The unit records its correction with a note and evidence (table
`corrections`, owned by the unit; it travels back in its 报送包). The county records the
re-check on the finding itself. A finding is fixed once re-checked or corrected.

Colours (督办, as counties use them): blue = open and on schedule, yellow = behind schedule
(more than half of the time to 整改期限 gone, or no 整改期限 and older than 30 days), red =
overdue (整改期限 passed, not fixed).
"""

import re
from datetime import date

from core import records, settings
from core.errors import UserError
from core.text import normalise

KINDS = ("日常抽测", "季度检查", "年度考核")
MAX_TEXT = 2000
MAX_DEDUCT = 100
STATE_NAMES = {"fixed": "已整改", "open": "整改中", "behind": "整改滞后", "overdue": "逾期未整改"}
STATE_COLOURS = {"open": "#dbeafe", "behind": "#fef3c7", "overdue": "#fde2e1", "fixed": None}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(value, what: str, where: str = "") -> str | None:
    """A YYYY-MM-DD date (None for empty), or one Chinese refusal."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()[:10] if isinstance(value, str) else str(value)[:10]
    if not _DATE.match(text):
        raise UserError(f"{where}{what}“{value}”不是日期，请按 YYYY-MM-DD 填写，例如 2024-06-30。")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{where}{what}“{value}”不存在，请检查年月日。") from None
    return text


def check_deduct(value, where: str = "") -> float:
    """Points deducted: a number from 0 to 100."""
    if value is None or str(value).strip() == "":
        return 0.0
    try:
        points = float(str(value).strip())
    except ValueError:
        raise UserError(f"{where}扣分“{value}”不是数字，请填写 0 到 {MAX_DEDUCT} 之间的分值，例如 1 或 0.5。") from None
    if not (0 <= points <= MAX_DEDUCT) or points != points:
        raise UserError(f"{where}扣分“{value}”超出范围，请填写 0 到 {MAX_DEDUCT} 之间的分值。")
    return round(points, 2)


def check_text(value, what: str, where: str = "", required: bool = True, limit: int = MAX_TEXT) -> str:
    text = normalise(str(value or ""))
    if required and not text:
        raise UserError(f"{where}{what}不能为空，请填写。")
    if len(text) > limit:
        raise UserError(f"{where}{what}超过 {limit} 字，请精简后重试。")
    return text


def check_finding(row: dict, where: str = "") -> dict:
    """A finding's fields validated (also for rows arriving in a package)."""
    kind = str(row.get("kind") or "").strip()
    if kind not in KINDS:
        raise UserError(f"{where}检查类型“{kind}”无效，请选择：{'、'.join(KINDS)}。")
    day = check_date(row.get("date"), "检查日期", where)
    if day is None:
        raise UserError(f"{where}检查日期不能为空，请按 YYYY-MM-DD 填写。")
    fix_by = check_date(row.get("fix_by"), "整改期限", where)
    if fix_by and fix_by < day:
        raise UserError(f"{where}整改期限 {fix_by} 早于检查日期 {day}，请检查。")
    return {
        "unit": check_text(row.get("unit"), "被检查单位", where, limit=60),
        "date": day, "kind": kind,
        "indicator": check_text(row.get("indicator"), "指标", where, required=False, limit=60),
        "finding": check_text(row.get("finding"), "发现的问题", where),
        "deduct": check_deduct(row.get("deduct"), where),
        "fix_by": fix_by,
        "rechecked_on": check_date(row.get("rechecked_on"), "复查日期", where),
        "recheck_note": check_text(row.get("recheck_note"), "复查说明", where, required=False),
    }


def check_correction(row: dict, where: str = "") -> dict:
    day = check_date(row.get("date"), "整改日期", where)
    if day is None:
        raise UserError(f"{where}整改日期不能为空，请按 YYYY-MM-DD 填写。")
    return {"date": day, "note": check_text(row.get("note"), "整改说明", where, required=False),
            "evidence": check_text(row.get("evidence"), "佐证材料", where, required=False, limit=500)}


def roster_name(db, name: str) -> str:
    """The roster's name for `name` (its name or an alias); UserError if not on the roster."""
    from core.county.roster import list_units

    name = normalise(str(name or "")).strip()
    for unit in list_units(db):
        if name == unit["name"] or name in unit["aliases"]:
            return unit["name"]
    raise UserError(f"单位名册中没有“{name}”，请先用 units add 或在“单位名册”页添加该单位，或核对名称。")


def add_finding(db, unit, day, kind, finding, indicator="", deduct=0, fix_by=None) -> dict:
    """Record a finding for a roster unit (county only); returns the stored record."""
    if not settings.is_county(db):
        raise UserError("只有汇总单位（县政务公开科）可以登记检查发现的问题；本机是填报单位，可登记整改情况。")
    row = check_finding({"unit": unit, "date": day, "kind": kind, "finding": finding, "indicator": indicator,
                         "deduct": deduct, "fix_by": fix_by})
    row["unit"] = roster_name(db, row["unit"])
    with db.atomic():
        return records.insert(db, "inspections", row)


def _get(db, finding_id: str) -> dict:
    rows = list(db.query("SELECT * FROM inspections WHERE id = ? AND deleted = 0", [str(finding_id)]))
    if not rows:
        raise UserError(f"找不到编号为 {finding_id} 的检查问题，请用 inspection list 查看编号。")
    return rows[0]


def fix(db, finding_id, day, note="", evidence="") -> dict:
    """At a unit: record its correction; at the county: record the re-check. Returns the finding."""
    finding = _get(db, finding_id)
    day_checked = check_date(day, "日期")
    if day_checked is None:
        raise UserError("请用 --date 给出整改（或复查）日期，例如 2024-07-15。")
    if day_checked < finding["date"]:
        raise UserError(f"日期 {day_checked} 早于检查日期 {finding['date']}，请检查。")
    with db.atomic():
        if settings.is_county(db):
            records.update(db, "inspections", finding["id"], {
                "rechecked_on": day_checked, "recheck_note": check_text(note, "复查说明", required=False)})
        else:
            me = (settings.profile(db) or {}).get("name")
            if finding["unit"] != me:
                raise UserError(f"这条问题是“{finding['unit']}”的，本单位是“{me}”，不能登记它的整改。")
            values = check_correction({"date": day_checked, "note": note, "evidence": evidence})
            records.insert(db, "corrections", {"inspection_id": finding["id"], "unit": me, **values})
    return next(f for f in list_findings(db) if f["id"] == finding["id"])


def state_of(fixed: str | None, day: str, fix_by: str | None, today: date) -> str:
    """fixed / open (blue) / behind (yellow) / overdue (red)."""
    if fixed:
        return "fixed"
    now = today.isoformat()
    if fix_by and fix_by < now:
        return "overdue"
    start = date.fromisoformat(day)
    if fix_by:
        end = date.fromisoformat(fix_by)
        if (today - start).days * 2 > (end - start).days:
            return "behind"
    elif (today - start).days > 30:
        return "behind"
    return "open"


def list_findings(db, unit=None, open_only=False, year=None, start=None, end=None, today: date | None = None) -> list[dict]:
    """The findings visible here (a unit sees its own), newest first, each with its correction.

    Keys: id, unit, date, kind, indicator, finding, deduct, fix_by, corrected_on, correction_note,
    evidence, rechecked_on, recheck_note, fixed (date or None), overdue, state, state_name.
    """
    today = today or date.today()
    shown = settings.visible_unit(db, unit)
    where, params = ["i.deleted = 0"], []
    if shown:
        where.append("i.unit = ?")
        params.append(shown)
    if year:
        where.append("substr(i.date, 1, 4) = ?")
        params.append(f"{int(year):04d}")
    if start:
        where.append("i.date >= ?")
        params.append(start)
    if end:
        where.append("i.date <= ?")
        params.append(end)
    rows = db.execute(
        f"""SELECT i.id, i.unit, i.date, i.kind, i.indicator, i.finding, i.deduct, i.fix_by, i.rechecked_on, i.recheck_note,
                   c.date, c.note, c.evidence
            FROM inspections i LEFT JOIN (
                SELECT inspection_id, date, note, evidence, row_number() OVER (
                    PARTITION BY inspection_id ORDER BY date DESC, updated_at DESC) AS n
                FROM corrections WHERE deleted = 0) c ON c.inspection_id = i.id AND c.n = 1
            WHERE {' AND '.join(where)} ORDER BY i.date DESC, i.unit, i.updated_at""", params).fetchall()
    out = []
    for (fid, name, day, kind, indicator, text, deduct, fix_by, rechecked, recheck_note,
         corrected, c_note, evidence) in rows:
        fixed = rechecked or corrected
        state = state_of(fixed, day, fix_by, today)
        if open_only and fixed:
            continue
        out.append({"id": fid, "unit": name, "date": day, "kind": kind, "indicator": indicator, "finding": text,
                    "deduct": deduct, "fix_by": fix_by, "corrected_on": corrected, "correction_note": c_note or "",
                    "evidence": evidence or "", "rechecked_on": rechecked, "recheck_note": recheck_note,
                    "fixed": fixed, "overdue": state == "overdue", "state": state, "state_name": STATE_NAMES[state]})
    return out


def open_counts(db, today: date | None = None) -> dict:
    """{unit: {"open", "behind", "overdue"}} of the findings not yet fixed."""
    counts: dict = {}
    for f in list_findings(db, open_only=True, today=today):
        c = counts.setdefault(f["unit"], {"open": 0, "behind": 0, "overdue": 0})
        c[f["state"]] += 1
    return counts


def quarter_range(period: str) -> tuple[int, int, str, str]:
    """'2024Q2' → (2024, 2, '2024-04-01', '2024-06-30')."""
    m = re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", str(period or "").strip())
    if not m:
        raise UserError(f"季度“{period}”无效，请按 YYYYQn 填写，例如 2024Q2。")
    year, q = int(m.group(1)), int(m.group(2))
    ends = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
    return year, q, f"{year}-{(q - 1) * 3 + 1:02d}-01", f"{year}-{ends[q]}"
