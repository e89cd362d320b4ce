"""依申请公开台账: applications for disclosure, their legal due dates and their appeals.

Due dates (《政府信息公开条例》第三十~三十三条, ../shared/CLI.md):
- `due` = the receipt day + 20 working days (the receipt day is not counted, as `due` does).
- A 补正 request stops the clock: status 待补正 and no due date until the corrected
  application is received on D; then `due` = D + 20 working days.
- Consulting a third party from S to E (both included) does not count: `due` moves later by
  the number of working days in S..E.
- An approved extension (on or before the due date) adds 20 working days.
- Overdue: the reply (or today, while unanswered) is after `due`; a reply on `due` is on time.
  A request 待补正 is never overdue; it can be closed with result 6.1, not extended.

Every change is validated on the whole record before it is stored (one Chinese refusal).
"""

from datetime import date, timedelta

from core import records, settings
from core.calendar import workdays
from core.calendar.dates import parse_user_date
from core.errors import UserError
from core.text import normalise

TABLE = "requests"
APPEALS = "request_appeals"
REPLY_WORKDAYS = 20
EXTENSION_WORKDAYS = 20
CORRECTION_WORKDAYS = 7  # 补正 must be asked within 7 working days of receipt
SOON_WORKDAYS = 5  # 即将到期: due within 5 working days (blue)
BEHIND_WORKDAYS = 10  # 进度滞后: 10 or more working days used without a reply (yellow)

CHANNELS = ("当面", "邮寄", "网络", "传真", "其他")
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
FORMS = ("纸质", "电子邮件", "光盘", "其他")
STATUSES = ("办理中", "待补正", "已答复")
APPEAL_KINDS = ("复议", "诉讼", "复议后诉讼")
APPEAL_OUTCOMES = ("维持", "纠正", "其他", "未审结")

# Result codes = the rows of table 三 (三、本年度办理结果).
RESULTS = {
    "1": "予以公开",
    "2": "部分公开",
    "3.1": "不予公开：属于国家秘密",
    "3.2": "不予公开：其他法律行政法规禁止公开",
    "3.3": "不予公开：危及“三安全一稳定”",
    "3.4": "不予公开：保护第三方合法权益",
    "3.5": "不予公开：属于三类内部事务信息",
    "3.6": "不予公开：属于四类过程性信息",
    "3.7": "不予公开：属于行政执法案卷",
    "3.8": "不予公开：属于行政查询事项",
    "4.1": "无法提供：本机关不掌握相关政府信息",
    "4.2": "无法提供：没有现成信息需要另行制作",
    "4.3": "无法提供：补正后申请内容仍不明确",
    "5.1": "不予处理：信访举报投诉类申请",
    "5.2": "不予处理：重复申请",
    "5.3": "不予处理：要求提供公开出版物",
    "5.4": "不予处理：无正当理由大量反复申请",
    "5.5": "不予处理：要求行政机关确认或重新出具已获取信息",
    "6.1": "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "6.2": "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "6.3": "其他处理：其他",
}
GIVEN_UP = "6.1"

DATE_FIELDS = {
    "received": "收到日期",
    "correction_asked": "补正告知日期",
    "correction_received": "补正收到日期",
    "consult_start": "征求意见开始日期",
    "consult_end": "征求意见结束日期",
    "extended": "延期审批日期",
    "replied": "答复日期",
    "delivered": "送达日期",
}
TEXT_FIELDS = ("name", "content", "form", "contact", "delivery", "archive_no", "note")
STEP_FIELDS = (*DATE_FIELDS, "result", "fee", *TEXT_FIELDS, "channel", "applicant")


# ---- values typed by a user ------------------------------------------------------------


def parse_day(value, title: str) -> str | None:
    """A date typed any common way as YYYY-MM-DD (None for empty), checked against the calendar's range."""
    if value is None or str(value).strip() == "":
        return None
    day = parse_user_date(value, field=title)
    workdays.check_date(date.fromisoformat(day))
    return day


def parse_fee(value) -> float:
    """A fee in 元 (0 for empty); negative or non-numbers refused."""
    if value is None or str(value).strip() == "":
        return 0.0
    try:
        fee = float(str(value).strip())
    except ValueError:
        raise UserError(f"收费金额“{value}”不是数字，请填写元数，例如 100；未收费填 0。") from None
    if fee < 0 or fee != fee or fee > 1e9:
        raise UserError(f"收费金额“{value}”无效：不能为负数，请填写实际收取的元数。")
    return round(fee, 2)


def check_choice(value, choices, title: str) -> str:
    """`value` if it is one of `choices`, else a refusal listing them."""
    value = normalise(value)
    if value not in choices:
        raise UserError(f"{title}“{value}”无效，请选择：{'、'.join(choices)}。")
    return value


def check_result(value) -> str | None:
    """A result code of table 三 (None for empty)."""
    if value is None or str(value).strip() == "":
        return None
    code = str(value).strip()
    if code not in RESULTS:
        raise UserError(f"办理结果“{code}”无效：请填写年度报告表三的结果代码，如 1（予以公开）、2（部分公开）、3.1～3.8、4.1～4.3、5.1～5.5、6.1～6.3。")
    return code


# ---- due dates ---------------------------------------------------------------------------


def _d(value) -> date | None:
    return date.fromisoformat(value) if value else None


def clock_start(req: dict) -> date | None:
    """The day the 20 working days count from: receipt, or receipt of the correction; None while 待补正."""
    if req.get("correction_asked"):
        return _d(req.get("correction_received"))
    return _d(req["received"])


def consult_days(req: dict, cal) -> int:
    """Working days in the consultation period S..E, both included (0 without one)."""
    start, end = _d(req.get("consult_start")), _d(req.get("consult_end"))
    if not start or not end:
        return 0
    return cal.count_workdays(start - timedelta(days=1), end)


def base_due(req: dict, cal) -> date | None:
    """The due date before any extension: start + 20 working days, moved by the consultation."""
    start = clock_start(req)
    if start is None:
        return None
    due = cal.add_workdays(start, REPLY_WORKDAYS)
    extra = consult_days(req, cal)
    return cal.add_workdays(due, extra) if extra else due


def due_date(req: dict, cal) -> date | None:
    """The legal due date (None while waiting for the correction)."""
    due = base_due(req, cal)
    if due is not None and req.get("extended"):
        due = cal.add_workdays(due, EXTENSION_WORKDAYS)
    return due


def status(req: dict) -> str:
    """已答复 once replied; 待补正 while the correction is awaited; else 办理中."""
    if req.get("replied"):
        return "已答复"
    if req.get("correction_asked") and not req.get("correction_received"):
        return "待补正"
    return "办理中"


def is_overdue(req: dict, due: date | None, today: date) -> bool:
    """The reply (or today, while unanswered) after the due date; never while 待补正."""
    if due is None:
        return False
    end = _d(req.get("replied")) or today
    return end > due


def urgency(req: dict, due: date | None, today: date, cal) -> str:
    """The county's colour code: red (overdue), blue (due within 5 working days),
    yellow (behind: 10+ working days used, not yet due soon), '' otherwise or once replied."""
    if req.get("replied") or due is None:
        return "red" if is_overdue(req, due, today) else ""
    if today > due:
        return "red"
    if cal.count_workdays(today, due) <= SOON_WORKDAYS:
        return "blue"
    start = clock_start(req)
    if start and cal.count_workdays(start, today) >= BEHIND_WORKDAYS:
        return "yellow"
    return ""


# ---- validation of a whole record ------------------------------------------------------


def validate(req: dict, cal) -> list[str]:
    """Refuse a record whose steps contradict each other; return warnings (补正 asked late)."""
    received = _d(req["received"])
    asked, got = _d(req.get("correction_asked")), _d(req.get("correction_received"))
    c_start, c_end = _d(req.get("consult_start")), _d(req.get("consult_end"))
    extended, replied = _d(req.get("extended")), _d(req.get("replied"))
    delivered = _d(req.get("delivered"))
    warnings = []
    if not req.get("content"):
        raise UserError("请填写申请内容（所需信息），不能为空。")
    if asked:
        if asked < received:
            raise UserError(f"补正告知日期 {asked} 早于收到日期 {received}，请核对。")
        used = cal.count_workdays(received, asked)
        if used > CORRECTION_WORKDAYS:
            warnings.append(f"补正告知在收到申请后第 {used} 个工作日发出，超过条例规定的 {CORRECTION_WORKDAYS} 个工作日。")
    if got:
        if not asked:
            raise UserError("还没有记录补正告知，不能记录补正收到日期：请先填写补正告知日期。")
        if got < asked:
            raise UserError(f"补正收到日期 {got} 早于补正告知日期 {asked}，请核对。")
    if bool(c_start) != bool(c_end):
        raise UserError("征求意见须同时填写开始和结束日期（--consult-start 与 --consult-end）。")
    if c_start:
        if c_end < c_start:
            raise UserError(f"征求意见结束日期 {c_end} 早于开始日期 {c_start}，请核对。")
        if c_start < received:
            raise UserError(f"征求意见开始日期 {c_start} 早于收到日期 {received}，请核对。")
        if asked and not got:
            raise UserError("申请正等待补正，补正材料收到前不能征求意见。")
    if extended:
        if asked and not got:
            raise UserError("申请正等待补正（不计时），不能延期；收到补正材料后才开始计算答复期限。")
        if extended < (clock_start(req) or received):
            raise UserError(f"延期审批日期 {extended} 早于开始计时的日期，请核对。")
        limit = base_due(req, cal)
        if extended > limit:
            raise UserError(f"延期须在答复期限 {limit} 前（含当日）批准，{extended} 已超过期限，不能再延期。")
    if bool(replied) != bool(req.get("result")):
        raise UserError("答复须同时填写答复日期和办理结果（--replied 与 --result）。")
    if replied:
        if replied < received:
            raise UserError(f"答复日期 {replied} 早于收到日期 {received}，请核对。")
        if asked and not got and req["result"] != GIVEN_UP:
            raise UserError("申请正等待补正：补正材料未收到时只能以 6.1（申请人无正当理由逾期不补正）办结。")
        if asked and replied < asked:
            raise UserError(f"答复日期 {replied} 早于补正告知日期 {asked}，请核对。")
        if got and replied < got:
            raise UserError(f"答复日期 {replied} 早于补正收到日期 {got}，请核对。")
        if c_end and replied < c_start:
            raise UserError(f"答复日期 {replied} 早于征求意见开始日期 {c_start}，请核对。")
        if extended and replied < extended:
            raise UserError(f"答复日期 {replied} 早于延期审批日期 {extended}，请核对。")
    if delivered:
        if not replied:
            raise UserError("还没有答复，不能记录送达日期：请先填写答复日期和办理结果。")
        if delivered < replied:
            raise UserError(f"送达日期 {delivered} 早于答复日期 {replied}，请核对。")
    if (req.get("fee") or 0) < 0:
        raise UserError("收费金额不能为负数，请改正。")
    return warnings


# ---- reading ----------------------------------------------------------------------------


def _unit(db) -> str:
    name = (settings.profile(db) or {}).get("name", "")
    if not name:
        raise UserError("尚未设置本单位信息：请先在“设置 → 本单位”或用 profile set 填写单位名称。")
    return name


def get(db, request_id: str) -> dict:
    """One application by id (a unique id prefix of 6+ characters) or by its 编号, or UserError."""
    key = normalise(request_id)
    rows = []
    if key:
        rows = list(db.query(f"SELECT * FROM {TABLE} WHERE deleted = 0 AND no = ? LIMIT 2", [key]))
        if not rows and len(key) >= 6:
            rows = list(db.query(f"SELECT * FROM {TABLE} WHERE deleted = 0 AND id LIKE ? LIMIT 2",
                                 [key.replace("%", "").replace("_", "") + "%"]))
    if len(rows) != 1:
        raise UserError(f"找不到编号为“{request_id}”的政府信息公开申请。运行 request list 查看编号。")
    return dict(rows[0])


def describe(req: dict, cal, today: date) -> dict:
    """The record with its computed due date, status, overdue flag and colour."""
    due = due_date(req, cal)
    return {**req, "due": due.isoformat() if due else None, "status": status(req),
            "overdue": is_overdue(req, due, today), "urgency": urgency(req, due, today, cal),
            "estimated": bool(getattr(due, "estimated", False))}


def public(item: dict) -> dict:
    """An item of `request list --json`."""
    return {k: item.get(k) for k in ("id", "no", "received", "applicant", "due", "status", "replied", "result", "overdue")}


def list_requests(db, year=None, status_filter=None, overdue=None, unit=None, today=None) -> list[dict]:
    """Applications (described), by receipt; `year` selects by the year of receipt."""
    today = today or date.today()
    if status_filter and status_filter not in STATUSES:
        raise UserError(f"状态“{status_filter}”无效，请选择：{'、'.join(STATUSES)}。")
    where, params = ["deleted = 0"], []
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("unit = ?")
        params.append(shown)
    if year:
        where.append("year = ?")
        params.append(int(year))
    cal = workdays.load_calendar(db)
    rows = db.query(f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY year, unit, seq", params)
    items = [describe(dict(r), cal, today) for r in rows]
    if status_filter:
        items = [i for i in items if i["status"] == status_filter]
    if overdue:
        items = [i for i in items if i["overdue"]]
    return items


def counts(db, today=None, unit=None) -> dict:
    """{"open": applications not yet replied, "overdue": of them past due} (for the overview)."""
    today = today or date.today()
    cal = workdays.load_calendar(db)
    where, params = ["deleted = 0", "replied IS NULL"], []
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("unit = ?")
        params.append(shown)
    open_rows = [dict(r) for r in db.query(f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)}", params)]
    late = sum(1 for r in open_rows if is_overdue(r, due_date(r, cal), today))
    return {"open": len(open_rows), "overdue": late}


# ---- writing ----------------------------------------------------------------------------


def _clean_texts(values: dict) -> dict:
    return {k: normalise(values[k]) for k in TEXT_FIELDS if k in values and values[k] is not None}


def add(db, values: dict, today=None) -> tuple[dict, list[str]]:
    """Register an application; returns (described record, warnings). 编号 is per unit and year."""
    today = today or date.today()
    received = parse_day(values.get("received"), "收到日期")
    if not received:
        raise UserError("请填写收到日期（--received YYYY-MM-DD）。")
    record = {
        "received": received,
        "channel": check_choice(values.get("channel"), CHANNELS, "收到方式"),
        "applicant": check_choice(values.get("applicant"), APPLICANTS, "申请人类别"),
        "name": "", "content": "", "form": "", "contact": "", "delivery": "", "archive_no": "", "note": "",
        **_clean_texts(values),
        "fee": parse_fee(values.get("fee")),
    }
    for key in DATE_FIELDS:
        if key != "received":
            record[key] = parse_day(values.get(key), DATE_FIELDS[key])
    record["result"] = check_result(values.get("result"))
    cal = workdays.load_calendar(db)
    warnings = validate(record, cal)
    unit = _unit(db)
    year = int(received[:4])
    with db.atomic():
        seq = (db.execute(f"SELECT max(seq) FROM {TABLE} WHERE unit = ? AND year = ?", [unit, year]).fetchone()[0] or 0) + 1
        row = records.insert(db, TABLE, {"unit": unit, "year": year, "seq": seq, "no": f"{year}-{seq:03d}", **record})
    return describe(row, cal, today), warnings


def update(db, request_id: str, values: dict, today=None) -> tuple[dict, list[str]]:
    """Record one or more steps (only keys present in `values` change; '' clears a date)."""
    today = today or date.today()
    current = get(db, request_id)
    changes = {}
    for key, value in values.items():
        if key in DATE_FIELDS:
            changes[key] = parse_day(value, DATE_FIELDS[key])
        elif key == "result":
            changes[key] = check_result(value)
        elif key == "fee":
            changes[key] = parse_fee(value)
        elif key == "channel":
            changes[key] = check_choice(value, CHANNELS, "收到方式")
        elif key == "applicant":
            changes[key] = check_choice(value, APPLICANTS, "申请人类别")
        elif key in TEXT_FIELDS:
            changes[key] = normalise(value)
        else:
            raise ValueError(f"unknown request field {key}")
    if changes.get("received") is None and "received" in changes:
        raise UserError("收到日期不能为空。")
    merged = {**current, **changes}
    if "received" in changes and changes["received"][:4] != current["received"][:4]:
        raise UserError("收到日期不能改到另一年度（编号按年度编排）：请删除后在正确年度重新登记。")
    cal = workdays.load_calendar(db)
    warnings = validate(merged, cal)
    with db.atomic():
        records.update(db, TABLE, current["id"], changes)
    return describe(get(db, current["id"]), cal, today), warnings


def delete(db, request_id: str) -> None:
    """Delete an application and its appeals (tombstones, so the deletion travels)."""
    current = get(db, request_id)
    with db.atomic():
        for appeal in appeals(db, current["id"]):
            records.delete(db, APPEALS, appeal["id"])
        records.delete(db, TABLE, current["id"])


def add_appeal(db, request_id: str, kind: str, outcome: str, on=None) -> dict:
    """Record a 复议/诉讼 against the reply. Without a date it counts in the year of the reply."""
    current = get(db, request_id)
    kind = check_choice(kind, APPEAL_KINDS, "救济类型")
    outcome = check_choice(outcome, APPEAL_OUTCOMES, "结果")
    day = parse_day(on, "复议/诉讼日期")
    if not current.get("replied"):
        raise UserError("该申请还没有答复：复议、诉讼针对答复提出，请先记录答复日期和办理结果。")
    if day and day < current["received"]:
        raise UserError(f"复议/诉讼日期 {day} 早于申请收到日期 {current['received']}，请核对。")
    year = int((day or current["replied"])[:4])
    with db.atomic():
        return records.insert(db, APPEALS, {"request_id": current["id"], "unit": current["unit"], "kind": kind,
                                            "outcome": outcome, "date": day, "year": year})


def appeals(db, request_id: str) -> list[dict]:
    """The live appeals of one application."""
    return [dict(r) for r in db.query(f"SELECT * FROM {APPEALS} WHERE deleted = 0 AND request_id = ? ORDER BY updated_at", [request_id])]


def validate_incoming(table: str, row: dict, cal) -> str | None:
    """Why a record arriving in a package is unacceptable, or None (used by the exchange merge)."""
    try:
        if table == TABLE:
            clean = {"received": parse_day(row.get("received"), "收到日期")}
            if not clean["received"]:
                return "申请缺少收到日期"
            if (check_choice(row.get("channel"), CHANNELS, "收到方式") != row.get("channel")
                    or check_choice(row.get("applicant"), APPLICANTS, "申请人类别") != row.get("applicant")):
                return "收到方式或申请人类别格式不对"
            for key in DATE_FIELDS:
                clean[key] = parse_day(row.get(key), DATE_FIELDS[key])
                if clean[key] != (row.get(key) or None):
                    return f"{DATE_FIELDS[key]}“{row.get(key)}”不是 YYYY-MM-DD 格式"
            clean["result"] = check_result(row.get("result"))
            if clean["result"] != (row.get("result") or None) or not isinstance(row.get("fee", 0), (int, float)):
                return "办理结果或收费金额格式不对"
            clean["fee"] = parse_fee(row.get("fee"))
            clean["content"] = normalise(row.get("content"))
            if int(row.get("year") or 0) != int(clean["received"][:4]) or not isinstance(row.get("seq"), int):
                return "申请的年度或序号与收到日期不符"
            if not row.get("deleted"):
                validate(clean, cal)
        elif table == APPEALS:
            if (check_choice(row.get("kind"), APPEAL_KINDS, "救济类型") != row.get("kind")
                    or check_choice(row.get("outcome"), APPEAL_OUTCOMES, "结果") != row.get("outcome")):
                return "复议/诉讼的类型或结果格式不对"
            if parse_day(row.get("date"), "复议/诉讼日期") != (row.get("date") or None):
                return "复议/诉讼日期不是 YYYY-MM-DD 格式"
            if not isinstance(row.get("year"), int) or not row.get("request_id"):
                return "复议/诉讼记录缺少年度或所属申请"
    except UserError as exc:
        return exc.message
    except (TypeError, ValueError, AttributeError):
        return "字段格式不对"
    return None


def preview(db, values: dict, current: dict | None = None, today=None) -> dict:
    """What a record would look like with `values` (nothing stored), for the window's live due date.

    {"due", "status", "overdue", "urgency", "error" (a refusal or ""), "warnings"}.
    """
    today = today or date.today()
    cal = workdays.load_calendar(db)
    merged = dict(current or {"channel": "当面", "applicant": "自然人", "fee": 0.0, "content": ""})
    try:
        for key, value in values.items():
            if key in DATE_FIELDS:
                merged[key] = parse_day(value, DATE_FIELDS[key])
            elif key == "result":
                merged[key] = check_result(value)
            elif key == "fee":
                merged[key] = parse_fee(value)
            else:
                merged[key] = normalise(value)
        if not merged.get("received"):
            raise UserError("请填写收到日期。")
        warnings = validate({**merged, "content": merged.get("content") or "…"}, cal)
        item = describe(merged, cal, today)
        return {"due": item["due"], "status": item["status"], "overdue": item["overdue"], "urgency": item["urgency"],
                "error": "", "warnings": warnings}
    except UserError as exc:
        return {"due": None, "status": "", "overdue": False, "urgency": "", "error": exc.message, "warnings": []}
