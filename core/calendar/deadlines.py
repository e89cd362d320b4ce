"""时限要求: reading a deadline cell into clauses, and computing due dates.

A cell may hold several clauses ("信息形成或变更之日起20个工作日内公开，行政处罚信息于处罚结果
作出后7个工作日内公开"). Each clause has a kind:

- fixed     a date (the plan's year when none is written): 6月底前, 2023年年底前, 7月8日前
- yearly    the same date every year: 每年3月31日前, 每年年底前
- plan      N (working) days from the plan's issue date: 本方案发布之日起20个工作日内
- event     N (working) days after an event the user records: 处罚结果作出后7个工作日内
- standing  a duty without a date: 长期坚持, 及时公开, 动态调整, 定期公开
- period    a duty for the length of a period: 疫情防控期间
- unparsed  anything else, kept verbatim with the reason
"""

import calendar as _stdcal
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from core.errors import UserError
from core.calendar import workdays as wd

KINDS = ("fixed", "yearly", "plan", "event", "standing", "period", "unparsed")


@dataclass(frozen=True)
class Clause:
    """One deadline clause as read from a 时限要求 cell."""

    kind: str
    text: str                  # the clause as written (spaces from PDF damage removed)
    year: int | None = None    # fixed: the year (written, or the plan's)
    month: int | None = None   # fixed / yearly
    day: int | None = None     # fixed / yearly; None means the end of the month
    count: int | None = None   # plan / event: N
    unit: str = ""             # plan / event: workday | day | week | month | hour
    event: str = ""            # event: what the count starts from (处罚结果作出)
    subject: str = ""          # what the clause is about, when written (行政处罚信息)
    start: date | None = None  # plan: the plan's issue date
    year_written: bool = False  # fixed: whether the cell wrote the year
    note: str = ""             # Chinese: why unparsed, or a remark

    def to_dict(self) -> dict:
        """A JSON-friendly dict of this clause."""
        d = asdict(self)
        d["start"] = self.start.isoformat() if self.start else None
        return d

    def describe(self) -> str:
        """A short Chinese description of the rule."""
        unit = {"workday": "个工作日", "day": "日（自然日）", "week": "周", "month": "个月", "hour": "小时"}.get(self.unit, "")
        if self.kind == "fixed":
            year = f"{self.year}年" if self.year else ""
            return f"{year}{self.month}月{_day_words(self.day)}前"
        if self.kind == "yearly":
            return f"每年{self.month}月{_day_words(self.day)}前"
        if self.kind == "plan":
            return f"方案发布之日起{self.count}{unit}内"
        if self.kind == "event":
            return f"{self.event or '事项发生'}后{self.count}{unit}内（按登记的事项日期计算）"
        if self.kind == "standing":
            return "经常性工作，无固定截止日期"
        if self.kind == "period":
            return f"{self.text}，无固定截止日期"
        return self.note or "无法识别的时限"


def _day_words(day):
    return f"{day}日" if day else "底"


# ---------------------------------------------------------------- normalising

_CN_NUM = "零〇一二两三四五六七八九十百"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_BEFORE_UNIT = re.compile(rf"(?<![{_CN_NUM}])([{_CN_NUM}]+)(?=个?(?:工作日|自然日|日历日|日|天|月|周|星期|年|季度))")


def cn_number(text: str) -> int:
    """The value of a Chinese numeral: 二十 → 20, 十 → 10, 十五 → 15, 二〇二三 → 2023."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGIT:
            current = _CN_DIGIT[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def normalise(text: str) -> str:
    """Cell text with ASCII digits, no spaces and no weekday notes like （星期二）."""
    text = (text or "").translate(str.maketrans("０１２３４５６７８９（）：", "0123456789()："))
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\((?:星期|周|礼拜)[一二三四五六日天]\)", "", text)
    text = _CN_BEFORE_UNIT.sub(lambda m: str(cn_number(m.group(1))) if m.group(1) not in ("〇",) else m.group(1), text)
    return text


# ---------------------------------------------------------------- patterns

_UNIT = r"(个工作日|工作日|个自然日|自然日|个日历日|日历日|日|天|个月|个星期|星期|周|个小时|小时)"
_WITHIN = r"(?:内|之内|以内|前)"
_YEAR = r"(?:(\d{4})年)?"

PLAN_RE = re.compile(
    r"(?:本(?:工作)?(?:方案|通知|要点|文件|计划|意见|办法)|(?<!决策)(?<!政策)(?:工作方案|工作要点|方案|通知|要点))"
    r"(?:正式)?(?:印发|发布|下发|出台|公布|实施)(?:之日)?(?:起|后)?的?(\d+)" + _UNIT + _WITHIN + "?"
)
EVENT_RE = re.compile(r"(之日起|之日后|之日|之后|起|后的|后)(\d+)" + _UNIT + _WITHIN + "?")
BARE_RE = re.compile(r"(?<![\d月年])(\d+)" + _UNIT + r"(?:内|之内|以内)")
YEARLY_RE = [
    (re.compile(r"每年(?:的)?(\d{1,2})月(\d{1,2})日"), "md"),
    (re.compile(r"每年(?:的)?(\d{1,2})月份?(底|末|上旬|中旬|下旬)?"), "m"),
    (re.compile(r"每年(?:的)?(?:年底|年末|底|末)"), "end"),
    (re.compile(r"每年(?:的)?上半年"), "h1"),
    (re.compile(r"每年(?:的)?(?:第)?([1-4])季度"), "q"),
]
FIXED_RE = [
    (re.compile(_YEAR + r"(\d{1,2})月(\d{1,2})日(?:[至到—~\-－](?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日)?"), "md"),
    (re.compile(_YEAR + r"(\d{1,2})月份?(底|末|上旬|中旬|下旬|初|前)?(?:[至到—~\-－](?:(\d{4})年)?(\d{1,2})月份?(?:底|末)?)?"), "m"),
    (re.compile(r"(\d{4})年(?:年底|年末|底|末|内|全年|度内)"), "yend"),
    (re.compile(r"(?<![每\d])(?:今年|本年度?)?(?:年底|年末|年内|年度内)"), "end"),
    (re.compile(_YEAR + r"上半年"), "h1"),
    (re.compile(_YEAR + r"下半年"), "h2"),
    (re.compile(_YEAR + r"(?:第)?([1-4])季度"), "q"),
]
PERIOD_RE = re.compile(r"([^，,；;。]{1,12}?)期间")
STANDING_WORDS = (
    "长期", "持续", "常态", "及时", "动态", "定期", "随时", "适时", "实时", "经常", "日常", "第一时间",
    "每季度", "每月", "每周", "每半年", "按季度", "按月", "按年", "逐月", "逐季", "同步", "常年", "每年",
    "一次性", "立即", "按要求", "按照要求", "即时", "全年", "不定期", "按需", "滚动", "每次", "全程", "随到随",
)
TIME_SIGNAL = re.compile(r"\d|[年月日天周]|季度|期限|时限|前|底")
SEPARATORS = re.compile(r"[，,；;。]")
UNPARSED_NOTE = "未能识别的时限，请手工设置截止日期"


def parse_deadline(text: str, plan_year: int | None = None, plan_issued: date | None = None,
                   strict: bool = False) -> list:
    """The clauses of a 时限要求 cell.

    A date without a year takes `plan_year` (else the year of `plan_issued`). With `strict`
    (text typed by a user) an impossible date raises UserError; otherwise the clause is
    kept as unparsed with the reason.
    """
    plan_year = plan_year or (plan_issued.year if plan_issued else None)
    norm = normalise(text)
    if not norm:
        return []
    clauses, prefix = [], []
    for part in (p for p in SEPARATORS.split(norm) if p):
        found = _read_part(part, plan_year, plan_issued, strict)
        if found:
            if prefix:
                found[0] = replace(found[0], text="，".join(prefix + [found[0].text]))
                prefix = []
            clauses.extend(found)
        elif clauses and (clauses[-1].kind == "unparsed" or not TIME_SIGNAL.search(part)):
            clauses[-1] = replace(clauses[-1], text=clauses[-1].text + "，" + part)
        elif TIME_SIGNAL.search(part):
            clauses.append(Clause("unparsed", "，".join(prefix + [part]), note=UNPARSED_NOTE))
            prefix = []
        else:
            prefix.append(part)
    if prefix:
        clauses.append(Clause("unparsed", "，".join(prefix), note=UNPARSED_NOTE))
    if len(clauses) == 1 and clauses[0].kind == "unparsed" and clauses[0].text.replace("，", "") == \
            SEPARATORS.sub("", norm):
        clauses[0] = replace(clauses[0], text=text.strip())  # nothing understood: keep the cell verbatim
    return clauses


def _read_part(part: str, plan_year, plan_issued, strict) -> list:
    """The clauses found in one comma-separated part, in order of position."""
    found = []  # (start, end, clause)
    taken = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def add(m, clause, span=None):
        a, b = span or m.span()
        found.append((a, clause))
        taken.append((a, b))

    for m in PLAN_RE.finditer(part):
        add(m, Clause("plan", part, count=int(m.group(1)), unit=_unit(m.group(2)), start=plan_issued,
                      note="" if plan_issued else "需要方案发布日期才能计算"))
    for m in EVENT_RE.finditer(part):
        if free(*m.span()) and not _plan_anchor(part, m):
            event, subject = _event_words(part[: m.start()], m.group(1))
            add(m, Clause("event", part, count=int(m.group(2)), unit=_unit(m.group(3)),
                          event=event, subject=subject), (m.start() - len(event), m.end()))
    for pattern, how in YEARLY_RE:
        for m in pattern.finditer(part):
            if free(*m.span()):
                add(m, _yearly(m, how, part, strict))
    for pattern, how in FIXED_RE:
        for m in pattern.finditer(part):
            if free(*m.span()) and not _is_duration(part, m):
                add(m, _fixed(m, how, part, plan_year, strict))
    for m in BARE_RE.finditer(part):
        if free(*m.span()):
            add(m, Clause("event", part, count=int(m.group(1)), unit=_unit(m.group(2)),
                          note="未写明从何时起算，请登记起算日期"))
    if not found:
        m = PERIOD_RE.search(part)
        if m:
            return [Clause("period", part, event=m.group(1), note="期间内持续进行，无固定截止日期")]
        if any(w in part for w in STANDING_WORDS):
            return [Clause("standing", part)]
        return []
    found.sort(key=lambda item: item[0])
    return [c for _, c in found]


def _plan_anchor(part: str, m) -> bool:
    return any(m.start() >= s and m.end() <= e for s, e in (p.span() for p in PLAN_RE.finditer(part)))


def _event_words(before: str, anchor: str) -> tuple:
    """(event, subject) from the text before an anchor: '行政处罚信息于处罚结果作出' → ('处罚结果作出', '行政处罚信息')."""
    before = re.sub(r"(之日|的)$", "", before)
    cut = max((before.rfind(w) + len(w) for w in ("于", "自", "在", "从", "应", "须", "要", "并", "均") if w in before),
              default=0)
    event, subject = before[cut:], before[:cut].rstrip("于自在从应须要并均")
    if len(event) > 20:
        event = event[-20:]
    return event, subject


def _is_duration(part: str, m) -> bool:
    """Whether a matched 'N月' is really a count ('3个月' is handled elsewhere; '不少于30日' is no date)."""
    return bool(re.search(r"(?:不少于|不超过|不得超过|不低于|最长|至少)$", part[: m.start()]))


def _unit(word: str) -> str:
    if "工作日" in word:
        return "workday"
    if "小时" in word:
        return "hour"
    if "月" in word:
        return "month"
    if "周" in word or "星期" in word:
        return "week"
    return "day"


def _yearly(m, how: str, part: str, strict: bool) -> Clause:
    if how == "md":
        month, day = int(m.group(1)), int(m.group(2))
        problem = _check_day(2000, month, day)  # a leap year: 每年2月29日 is possible in some years
        if problem:
            return _bad(part, problem, strict)
        return Clause("yearly", part, month=month, day=day)
    if how == "m":
        month = int(m.group(1))
        if not 1 <= month <= 12:
            return _bad(part, f"月份“{month}”不存在", strict)
        return Clause("yearly", part, month=month, day=_part_of_month(m.group(2)))
    if how == "h1":
        return Clause("yearly", part, month=6, day=30)
    if how == "q":
        return Clause("yearly", part, month=int(m.group(1)) * 3, day=None)
    return Clause("yearly", part, month=12, day=31)


def _fixed(m, how: str, part: str, plan_year, strict: bool) -> Clause:
    written = bool(m.group(1)) if how not in ("end",) else False
    year = int(m.group(1)) if written else plan_year
    if how == "md":
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(6):  # a range: the deadline is its end
            year = int(m.group(4)) if m.group(4) else year
            month = int(m.group(5)) if m.group(5) else month
            day = int(m.group(6))
    elif how == "m":
        month, day = int(m.group(2)), _part_of_month(m.group(3))
        if m.group(5):
            year = int(m.group(4)) if m.group(4) else year
            month, day = int(m.group(5)), None
        elif m.group(3) == "前":  # 6月前: before June begins
            month -= 1
            if month == 0:
                month, year = 12, (year - 1 if year else None)
    elif how == "h1":
        month, day = 6, 30
    elif how == "q":
        month, day = int(m.group(2)) * 3, None
    else:
        month, day = 12, 31
    if year is not None and not wd.MIN_YEAR <= year <= wd.MAX_YEAR:
        return _bad(part, f"年份“{year}”超出范围（{wd.MIN_YEAR}—{wd.MAX_YEAR}）", strict)
    problem = _check_day(year or 2000, month, day or 1)
    if problem:
        return _bad(part, problem, strict)
    return Clause("fixed", part, year=year, month=month, day=day, year_written=written)


def _part_of_month(word) -> int | None:
    return {"上旬": 10, "初": 10, "中旬": 20}.get(word or "")


def _check_day(year: int, month: int, day: int) -> str:
    """'' if year-month-day exists, else a Chinese description of the problem."""
    if not 1 <= month <= 12:
        return f"月份“{month}”不存在"
    if not 1 <= day <= _stdcal.monthrange(year, month)[1]:
        return f"日期“{month}月{day}日”不存在"
    return ""


def _bad(part: str, problem: str, strict: bool) -> Clause:
    if strict:
        raise UserError(f"时限“{part}”有误：{problem}。请改成一个存在的日期，例如“6月30日前”。")
    return Clause("unparsed", part, note=f"{problem}，请手工设置截止日期")


# ---------------------------------------------------------------- due dates

def clause_due(clause: Clause, event_date: date | None = None, year: int | None = None,
               calendar=None) -> date | None:
    """The due date of one clause: fixed and yearly in `year` (fixed: when none is written),
    plan from its issue date, event from `event_date`. None where there is no date.
    Working-day results are core.calendar.workdays.DueDate (with .estimated)."""
    if clause.kind == "fixed":
        y = clause.year or year
        return _month_day(y, clause.month, clause.day) if y else None
    if clause.kind == "yearly":
        return _month_day(year, clause.month, clause.day) if year else None
    if clause.kind == "plan":
        start = clause.start or event_date
        return count_from(start, clause.count, clause.unit, calendar) if start else None
    if clause.kind == "event":
        return count_from(event_date, clause.count, clause.unit, calendar) if event_date else None
    return None


def count_from(start: date, n: int, unit: str, calendar=None) -> date:
    """`start` plus n units: working days (day 1 is the first working day after), days, weeks, months."""
    if unit == "workday":
        return (calendar or wd.default_calendar()).add_workdays(start, n)
    if unit == "hour":  # within N hours: due on the day the hours run out
        return wd.check_date(start + timedelta(days=-(-n // 24)))
    if unit == "week":
        return wd.check_date(start + timedelta(weeks=n))
    if unit == "month":
        month = start.month - 1 + n
        y, m = start.year + month // 12, month % 12 + 1
        return wd.check_date(date(y, m, min(start.day, _stdcal.monthrange(y, m)[1])))
    return wd.check_date(start + timedelta(days=n))


def next_due(clauses, today: date, events=(), year: int | None = None, calendar=None) -> date | None:
    """The earliest due date among `clauses`.

    Fixed dates without a year use `year` (else today's year); yearly clauses fall in `year`,
    or else on their next occurrence from `today`; event clauses count from every event not yet
    done (`events`: dates, or dicts/objects with date and done_on).
    """
    event_dates = [d for d in (_event_date(e) for e in events) if d]
    found = []
    for c in clauses:
        if c.kind == "fixed":
            found.append(clause_due(c, year=year or today.year))
        elif c.kind == "yearly":
            if year:
                found.append(clause_due(c, year=year))
            else:
                due = clause_due(c, year=today.year)
                found.append(due if due >= today else clause_due(c, year=today.year + 1))
        elif c.kind == "plan":
            found.append(clause_due(c, calendar=calendar))
        elif c.kind == "event":
            found.extend(clause_due(c, event_date=d, calendar=calendar) for d in event_dates)
    found = [d for d in found if d]
    return min(found) if found else None


def _event_date(event) -> date | None:
    if isinstance(event, date):
        return event
    get = event.get if isinstance(event, dict) else (lambda k: getattr(event, k, None))
    if get("done_on") or get("deleted"):
        return None
    value = get("date")
    return date.fromisoformat(value) if isinstance(value, str) else value


def _month_day(year: int, month: int, day: int | None) -> date:
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day, last) if day else last)
