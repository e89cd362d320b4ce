"""The one check every incoming record passes before it is stored.

Used by `unpack` (core.exchange.merge), the Excel round trip (core.exchange.roundtrip) and
`restore` (core.storage.backup). Each synced table (db.schema.SYNCED_TABLES) has a schema: every known
field has a type, required fields must be present, enumerations (statuses, roles, kinds) hold
one of their values, dates are ISO dates within a sane range, years are years, texts have a
length limit and no control characters other than newline and tab, attachment file names are
plain file names and links are http(s). A field the schema does not know (a column a newer
version added) must still be a plain value: a short clean text, a number or null.

`check_record(table, row)` returns None for a valid record, else one Chinese sentence saying
which field is wrong and why; `screen(table, rows)` splits rows into valid ones and rejections.
"""

import json
import re
from datetime import date

from core import text as core_text
from core.county.inspections import KINDS as inspection_kinds
from core.register.requests import APPEAL_KINDS as appeal_kinds, APPEAL_OUTCOMES as appeal_outcomes
from core.register.requests import APPLICANTS as applicants, CHANNELS as channels, RESULTS
from core.vocab import STATUSES, TASK_ROLES
from db.schema import DERIVED_COLUMNS, SYNCED_TABLES, TABLE_NAMES

MAX_REV = 2 ** 63 - 1
MIN_YEAR, MAX_YEAR = 1990, 2100
SHORT, NAME, EDIT, LONG, HUGE = 64, 200, 4000, 20_000, 200_000  # EDIT: core.ledger.MAX_TEXT

_ID = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]{1,64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP_TAIL = re.compile(r"([T ][0-9:.]{1,20}(Z|[+-][0-9:]{2,6})?)?")

# Field kinds: ("id"), ("ref"), ("text", max), ("enum", values), ("date"), ("stamp"),
# ("year"), ("int", low, high), ("num", low, high), ("json_list"), ("flag"), ("rev"), ("stored_name"), ("url").
_SYNC = {
    "id": ("id",), "rev": ("rev",), "updated_at": ("stamp",), "updated_by": ("text", NAME),
    "device": ("text", SHORT), "deleted": ("flag",),
}
_SYNC_REQUIRED = ("id", "rev", "updated_at", "device", "updated_by", "deleted")


def _entry_enums():
    return STATUSES, ("", *TASK_ROLES)


def _schemas() -> dict:
    """{table: ({field: kind}, required fields, nullable fields)}."""
    statuses, roles = _entry_enums()
    results = tuple(RESULTS)
    return {
        "plans": ({
            "year": ("year",), "title": ("text", 1000), "doc_no": ("text", NAME), "issuer": ("text", NAME),
            "issued": ("date",), "source_name": ("text", 1000), "source_sha256": ("text", SHORT),
            "report_dates": ("json_list",),
        }, (), ("year", "issued")),
        "tasks": ({
            "plan_id": ("ref",), "position": ("int", 0, 1_000_000), "seq": ("text", SHORT),
            "category": ("json_list",), "requirement": ("text", LONG), "units": ("text", LONG),
            "deadline": ("text", 2000), "filled": ("json_list",),
        }, (), ("plan_id",)),
        "entries": ({
            "task_id": ("ref",), "unit": ("text", NAME), "year": ("year",), "role": ("enum", roles),
            "reason": ("text", 2000), "selection": ("enum", ("auto", "added", "dropped")),
            "leader": ("text", EDIT), "office": ("text", EDIT), "handler": ("text", EDIT),
            "status": ("enum", statuses), "completed_on": ("date",), "due_override": ("date",),
            "duties": ("json_list",), "note": ("text", LONG), "carried_from": ("ref",),
        }, ("task_id", "unit", "year"), ("completed_on", "due_override", "carried_from")),
        "measures": ({
            "entry_id": ("ref",), "position": ("int", 0, 1_000_000), "text": ("text", LONG),
        }, ("entry_id",), ()),
        "progress": ({
            "entry_id": ("ref",), "date": ("date",), "text": ("text", LONG), "duty": ("text", NAME),
        }, ("entry_id", "date"), ()),
        "attachments": ({
            "progress_id": ("ref",), "activity_id": ("ref",), "kind": ("enum", ("link", "file")),
            "name": ("text", 1000), "url": ("text", 4000), "stored_name": ("text", core_text.MAX_STORED_NAME),
            "sha256": ("text", SHORT), "size": ("int", 0, 2 ** 40),
        }, ("kind",), ("progress_id", "activity_id")),
        "events": ({
            "entry_id": ("ref",), "date": ("date",), "note": ("text", LONG), "done_on": ("date",),
        }, ("entry_id", "date"), ("done_on",)),
        "activities": ({
            "unit": ("text", NAME), "year": ("year",), "theme": ("text", 2000), "time_text": ("text", 2000),
            "place": ("text", 2000), "content": ("text", LONG), "audience": ("text", 2000),
            "signup": ("text", 2000), "contact": ("text", 2000), "phone": ("text", 2000),
            "held_on": ("date",), "participants": ("int", 0, 10 ** 8), "opinions": ("int", 0, 10 ** 8),
            "answered": ("int", 0, 10 ** 8), "adopted": ("int", 0, 10 ** 8), "report_note": ("text", LONG),
            "links": ("json_list",), "reported_on": ("date",),
        }, ("unit", "year"), ("held_on", "participants", "opinions", "answered", "adopted", "reported_on")),
        "requests": ({
            "unit": ("text", NAME), "year": ("year",), "seq": ("int", 1, 10 ** 6), "no": ("text", SHORT),
            "received": ("date",), "channel": ("enum", channels), "applicant": ("enum", applicants),
            "name": ("text", NAME), "contact": ("text", NAME), "content": ("text", LONG), "form": ("text", NAME),
            "correction_asked": ("date",), "correction_received": ("date",), "consult_start": ("date",),
            "consult_end": ("date",), "extended": ("date",), "replied": ("date",),
            "result": ("enum", results), "delivered": ("date",), "delivery": ("text", NAME),
            "fee": ("num", 0, 10 ** 9), "archive_no": ("text", NAME), "note": ("text", LONG),
        }, ("unit", "year", "seq", "received", "channel", "applicant"),
            ("correction_asked", "correction_received", "consult_start", "consult_end", "extended", "replied",
             "result", "delivered")),
        "request_appeals": ({
            "request_id": ("ref",), "unit": ("text", NAME), "kind": ("enum", appeal_kinds),
            "outcome": ("enum", appeal_outcomes), "date": ("date",), "year": ("year",),
        }, ("request_id", "unit", "kind", "outcome", "year"), ("date",)),
        "report_values": ({
            "unit": ("text", NAME), "year": ("year",), "key": ("text", SHORT), "value": ("text", HUGE),
        }, ("unit", "year", "key"), ()),
        "inspections": ({
            "unit": ("text", NAME), "date": ("date",), "kind": ("enum", inspection_kinds),
            "indicator": ("text", NAME), "finding": ("text", LONG), "deduct": ("num", 0, 1000),
            "fix_by": ("date",), "rechecked_on": ("date",), "recheck_note": ("text", LONG),
        }, ("unit", "date", "kind"), ("fix_by", "rechecked_on")),
        "corrections": ({
            "inspection_id": ("ref",), "unit": ("text", NAME), "date": ("date",), "note": ("text", LONG),
            "evidence": ("text", LONG),
        }, ("inspection_id", "unit", "date"), ()),
    }


_CACHE: dict = {}


def schema(table: str):
    """({field: kind}, required, nullable) of a synced table, or None for another table."""
    if not _CACHE:
        _CACHE.update(_schemas())
    return _CACHE.get(table)


FIELD_NAMES = {
    "id": "编号", "rev": "版本号", "updated_at": "修改时间", "updated_by": "修改单位", "device": "设备编号",
    "deleted": "删除标记", "year": "年度", "title": "标题", "doc_no": "文号", "issuer": "发文单位",
    "issued": "发文日期", "status": "状态", "role": "角色", "selection": "选取方式", "completed_on": "完成日期",
    "due_override": "手工时限", "date": "日期", "done_on": "完成日期", "held_on": "开展日期",
    "reported_on": "报送日期", "kind": "类型", "stored_name": "附件文件名", "url": "链接", "unit": "单位",
    "task_id": "所属任务", "entry_id": "所属台账", "plan_id": "所属方案", "progress_id": "所属进展",
    "activity_id": "所属活动", "text": "内容", "note": "备注", "requirement": "工作要求",
    "seq": "序号", "no": "编号", "received": "收到日期", "channel": "收到方式", "applicant": "申请人类别",
    "content": "所需信息", "correction_asked": "补正告知日", "correction_received": "补正收到日",
    "consult_start": "征求意见起始日", "consult_end": "征求意见截止日", "extended": "延期审批日",
    "replied": "答复日期", "result": "办理结果", "delivered": "送达日期", "fee": "收费金额",
    "request_id": "所属申请", "outcome": "结果", "key": "项目", "value": "内容", "finding": "问题",
    "indicator": "指标", "deduct": "扣分", "fix_by": "整改期限", "rechecked_on": "复查日期",
    "inspection_id": "所属检查问题", "evidence": "佐证",
}


def check_record(table: str, row) -> str | None:
    """None when `row` may be stored in `table`; else why not (one Chinese phrase)."""
    if not isinstance(row, dict):
        return "记录不是一组字段（格式错误）"
    spec = schema(table)
    if spec is None:
        return f"数据表“{table}”不在交换范围内"
    fields, required, nullable = spec
    for name in _SYNC_REQUIRED + tuple(required):
        if name not in row:
            return f"缺少{_label(name)}"
    quick = _quick_checks(table)
    for name, value in row.items():
        test = quick.get(name)
        if test is not None and test(value):
            continue  # the common case, decided without building a reason
        if not isinstance(name, str):
            return "字段名格式错误"
        kind = _SYNC.get(name) or fields.get(name)
        if _empty(value, kind) and (name in nullable or kind is None):
            continue
        problem = _check_value(kind, value) if kind else _check_plain(value)
        if problem:
            return f"{_label(name)}{problem}"
    if table == "attachments":
        return _check_attachment(row)
    return None


def screen(table: str, rows) -> tuple[list, list]:
    """([valid rows], [(row, reason)]) for the incoming `rows` of `table`."""
    good, bad = [], []
    for row in rows if isinstance(rows, list) else []:
        reason = check_record(table, row)
        if reason is None:
            good.append(row)
        else:
            bad.append((row, reason))
    return good, bad


def check_field(table: str, field: str, value) -> str | None:
    """None when `value` may be stored in `table`.`field`; else why not (for single-field edits)."""
    spec = schema(table)
    if spec is None:
        return None
    fields, _required, nullable = spec
    kind = _SYNC.get(field) or fields.get(field)
    if _empty(value, kind) and (field in nullable or kind is None):
        return None
    problem = _check_value(kind, value) if kind else _check_plain(value)
    return f"{_label(field)}{problem}" if problem else None


# ---- one value -----------------------------------------------------------------------------

_QUICK: dict = {}
_GOOD_DATES: set = set()


def _quick_checks(table: str) -> dict:
    """{field: predicate} answering True only for a value `_check_value` would accept (fast path)."""
    if table not in _QUICK:
        fields, _required, nullable = schema(table)
        _QUICK[table] = {name: _quick(kind, name in nullable) for name, kind in {**fields, **_SYNC}.items()}
    return _QUICK[table]


def _quick(kind: tuple, nullable: bool):
    test = _quick_kind(kind)
    if nullable:
        return lambda v: v is None or test(v)
    return test


def _quick_kind(kind: tuple):
    name = kind[0]
    if name in ("id", "ref"):
        match = _ID.fullmatch
        return lambda v: type(v) is str and match(v) is not None
    if name == "rev":
        return lambda v: type(v) is int and 1 <= v <= MAX_REV
    if name == "flag":
        return lambda v: type(v) is int and (v == 0 or v == 1)
    if name == "int":
        low, high = kind[1], kind[2]
        return lambda v: type(v) is int and low <= v <= high
    if name == "num":
        low, high = kind[1], kind[2]
        return lambda v: type(v) in (int, float) and low <= v <= high
    if name == "year":
        return lambda v: type(v) is int and MIN_YEAR <= v <= MAX_YEAR
    if name == "date":
        return lambda v: v in _GOOD_DATES if type(v) is str else False
    if name == "stamp":
        match = _STAMP_TAIL.fullmatch
        return lambda v: type(v) is str and len(v) <= 40 and v[:10] in _GOOD_DATES and match(v, 10) is not None
    if name == "text":
        limit, bad = kind[1], core_text._FORBIDDEN_OR_BREAK.search
        return lambda v: type(v) is str and len(v) <= limit and bad(v) is None
    if name == "enum":
        values = frozenset(kind[1])
        return lambda v: type(v) is str and v in values
    if name == "json_list":
        return lambda v: v == "[]"
    return lambda v: False


def _check_value(kind: tuple, value) -> str | None:
    name = kind[0]
    if name in ("id", "ref"):
        return None if isinstance(value, str) and _ID.fullmatch(value) else "不是有效的编号"
    if name == "rev":
        return None if _is_int(value) and 1 <= value <= MAX_REV else f"应为 1 到 {MAX_REV} 之间的整数"
    if name == "flag":
        return None if _is_int(value) and value in (0, 1) else "只能是 0 或 1"
    if name == "int":
        return None if _is_int(value) and kind[1] <= value <= kind[2] else f"应为 {kind[1]} 到 {kind[2]} 之间的整数"
    if name == "num":
        ok = (_is_int(value) or isinstance(value, float)) and kind[1] <= value <= kind[2]
        return None if ok else f"应为 {kind[1]} 到 {kind[2]} 之间的数"
    if name == "year":
        return None if _is_int(value) and MIN_YEAR <= value <= MAX_YEAR else f"应为 {MIN_YEAR} 到 {MAX_YEAR} 之间的年份"
    if name == "date":
        return None if _is_date(value) else f"应为 {MIN_YEAR}—{MAX_YEAR} 年间的日期（如 2024-05-31）"
    if name == "stamp":
        return None if _is_stamp(value) else "不是有效的时间"
    if name == "text":
        return _check_text(value, kind[1])
    if name == "enum":
        return None if isinstance(value, str) and value in kind[1] else f"“{_short(value)}”无效，只能是：{'、'.join(v or '（空）' for v in kind[1])}"
    if name == "json_list":
        return _check_json_list(value)
    return "类型未知"


def _check_text(value, limit: int) -> str | None:
    if not isinstance(value, str):
        return "应为文字"
    if len(value) > limit:
        return f"超过 {limit} 个字符"
    if core_text.has_forbidden(value.replace("\r\n", "\n")):
        return "含有控制字符"
    return None


def _check_plain(value) -> str | None:
    """A field the schema does not name: a clean text, a number or null."""
    if value is None or isinstance(value, float) and value == value and abs(value) < 1e15:
        return None
    if _is_int(value):
        return None if -MAX_REV - 1 <= value <= MAX_REV else "数值超出范围"
    if isinstance(value, str):
        return _check_text(value, HUGE)
    return "格式错误"


def _check_json_list(value) -> str | None:
    if not isinstance(value, str) or len(value) > LONG:
        return "格式错误（应为列表文字）"
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return "格式错误（不是有效的列表）"
    if not isinstance(parsed, list):
        return "格式错误（应为列表）"
    if core_text.has_forbidden(value):
        return "含有控制字符"
    return None


def _check_attachment(row: dict) -> str | None:
    kind = row.get("kind")
    if kind == "file":
        problem = core_text.stored_name_problem(row.get("stored_name"))
        if problem:
            return f"附件文件名“{_short(row.get('stored_name'))}”不合法：{problem}"
        if row.get("url"):
            return "文件附件不能带链接"
    if kind == "link":
        problem = core_text.url_problem(row.get("url"))
        if problem:
            return f"链接“{_short(row.get('url'))}”不合法：{problem}"
        if row.get("stored_name"):
            return "链接附件不能带附件文件名"
    return None


def _empty(value, kind) -> bool:
    """None, or an empty text where a nullable date or reference belongs (both mean "not set")."""
    return value is None or (value == "" and kind is not None and kind[0] in ("date", "ref"))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    if MIN_YEAR <= day.year <= MAX_YEAR:
        if len(_GOOD_DATES) < 100_000:
            _GOOD_DATES.add(value)  # remembered for the fast path
        return True
    return False


def _is_stamp(value) -> bool:
    """An ISO time as records carry it: a sane date, then time digits and separators only."""
    return isinstance(value, str) and len(value) <= 40 and _is_date(value[:10]) \
        and _STAMP_TAIL.fullmatch(value[10:]) is not None


def _label(field: str) -> str:
    return FIELD_NAMES.get(field, f"字段“{field}”")


def _short(value, width: int = 40) -> str:
    text = core_text.printable(value if isinstance(value, str) else repr(value))
    return text if len(text) <= width else text[:width] + "…"


def screen_changes(changes: list) -> list:
    """Mark the Excel round trip's changes whose new value may not be stored as "invalid" (in place).

    A change is {"table", "field", "new", "status", "reason", …} (core.exchange.roundtrip);
    returns `changes`.
    """
    for change in changes:
        if change.get("status") not in ("change", "uncertain"):
            continue
        problem = _change_problem(change)
        if problem:
            change["status"], change["reason"] = "invalid", problem
    return changes


def _change_problem(change: dict) -> str | None:
    table, new = change.get("table"), change.get("new")
    if table == "entries":
        return check_field("entries", change.get("field"), new)
    if table == "progress" and isinstance(new, dict):
        return check_field("progress", "date", new.get("date")) or check_field("progress", "text", new.get("text"))
    if table == "measures":
        return check_field("measures", "text", new or "")
    if table == "measure_list":
        items = new if isinstance(new, list) else [new]
        return next((p for p in (check_field("measures", "text", t) for t in items) if p), None)
    return None


def check_database(conn, limit: int = 3) -> list[str]:
    """Why the synced records of an open sqlite3 database may not be used ([] when all are valid)."""
    problems = []
    for table in SYNCED_TABLES:
        cursor = conn.execute(f"SELECT * FROM [{table}]")
        columns = [c[0] for c in cursor.description]
        for values in cursor:
            record = {k: v for k, v in zip(columns, values) if k not in DERIVED_COLUMNS.get(table, ())}
            reason = check_record(table, record)
            if reason:
                problems.append(f"{TABLE_NAMES.get(table, table)}记录 {_short(values[columns.index('id')], 12)} 的{reason}")
                if len(problems) >= limit:
                    return problems
    return problems

