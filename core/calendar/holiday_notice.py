"""Reading the State Council's yearly holiday notice (国务院办公厅关于20XX年部分节假日安排的通知).

The user pastes the notice text; we return the holidays and the make-up working days (调休上班)
for the user to confirm before they are stored (core.calendar.workdays.store_year).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.errors import UserError
from core.calendar.workdays import check_year

WEEKDAYS = "一二三四五六日天"
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_YEAR_IN_TITLE = (
    re.compile(r"关于(\d{4})年[^。\n]{0,20}?(?:节假日|放假)"),
    re.compile(r"现将(\d{4})年"),
    re.compile(r"(\d{4})年[^。\n]{0,20}?节假日安排"),
)
_ITEM = re.compile(r"(?:^|[\n。；;])\s*[一二三四五六七八九十]+\s*[、.．]\s*([^：:\n。]{1,20}?)\s*[：:]")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_PAREN = re.compile(r"[（(]([^（）()]*)[）)]")
_DAYS_TOTAL = re.compile(r"共\s*(\d+)\s*天")


@dataclass
class HolidayNotice:
    """What a notice says: the year, its holidays and make-up working days, and doubts."""

    year: int
    holidays: list = field(default_factory=list)   # [(date, name)]
    workdays: list = field(default_factory=list)   # [(date, name)]
    warnings: list = field(default_factory=list)   # Chinese sentences

    def summary_lines(self) -> list:
        """Chinese lines listing the schedule, one per festival, for confirmation."""
        lines = [f"{self.year}年节假日安排："]
        for name in _names_in_order(self.holidays, self.workdays):
            days = [d for d, n in self.holidays if n == name]
            work = [d for d, n in self.workdays if n == name]
            text = f"  {name}：放假 {_span(days)}，共{len(days)}天"
            if work:
                text += "；调休上班 " + "、".join(_day_text(d) for d in work)
            lines.append(text)
        lines.extend(f"  注意：{w}" for w in self.warnings)
        return lines


def parse_notice(text: str, year: int | None = None) -> HolidayNotice:
    """Read the holidays and make-up workdays from a notice text; UserError if it is not one."""
    text = _normalise(text)
    year = year or notice_year(text)
    check_year(year)
    items = list(_ITEM.finditer(text))
    result = HolidayNotice(year)
    for i, m in enumerate(items):
        name = _festival_name(m.group(1))
        end = items[i + 1].start() if i + 1 < len(items) else len(text)
        _read_item(text[m.end():end], name, year, result)
    if not result.holidays:
        raise UserError(
            "没有在文本中找到节假日安排：请粘贴国务院办公厅《关于××××年部分节假日安排的通知》的全文"
            "（含“一、元旦：……放假”等条目）。"
        )
    _check_overlap(result)
    return result


def notice_year(text: str) -> int:
    """The year a notice is about, from its title or first lines; UserError if none."""
    m = next((m for p in _YEAR_IN_TITLE if (m := p.search(text))), None)
    if not m:
        raise UserError(
            "无法识别这是哪一年的节假日安排：请粘贴国务院办公厅《关于××××年部分节假日安排的通知》的全文，"
            "包括标题。"
        )
    return int(m.group(1))


def _normalise(text: str) -> str:
    text = (text or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    text = text.replace("\r\n", "\n").replace("\u3000", " ")
    # PDF damage: spaces between characters; keep line breaks.
    return re.sub(r"[ \t]+", "", text)


def _festival_name(raw: str) -> str:
    return raw.strip().replace(" ", "")


def _read_item(body: str, name: str, year: int, result: HolidayNotice) -> None:
    """Read one festival's sentences: the holiday span and the make-up workdays."""
    for sentence in re.split(r"[。；;\n]", body):
        if not sentence:
            continue
        if "放假" in sentence:
            days = _holiday_span(sentence, year, result)
            result.holidays.extend((d, name) for d in days)
            total = _DAYS_TOTAL.search(sentence)
            if total and int(total.group(1)) != len(days):
                result.warnings.append(f"{name}：通知写共{total.group(1)}天，按日期算是{len(days)}天，请核对。")
        elif "上班" in sentence:
            for day, weekday in _dates(sentence, year, result):
                result.workdays.append((day, name))
                if weekday is not None and day.weekday() < 5:
                    result.warnings.append(f"{name}：{_day_text(day)}本是工作日，通知却写调休上班，请核对。")


def _holiday_span(sentence: str, year: int, result: HolidayNotice) -> list:
    """The days of a '…至…放假' sentence (one day when there is no 至)."""
    head = sentence.split("放假", 1)[0]
    found = _dates(head, year, result)
    if not found:
        raise UserError(f"节假日安排中“{sentence}”没有写明放假日期，请检查粘贴的通知全文。")
    first = found[0][0]
    last = found[-1][0] if "至" in head else first
    if last < first:
        raise UserError(f"节假日安排中“{sentence}”的日期先后颠倒，请检查粘贴的通知全文。")
    if (last - first).days > 15:
        raise UserError(f"节假日安排中“{sentence}”的放假期间超过半个月，不像节假日安排，请检查。")
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _dates(text: str, year: int, result: HolidayNotice) -> list:
    """Every date written in `text`: [(date, weekday written or None)]; a 日 without 月 reuses the last month."""
    found = []
    month = None
    for m in _DATE.finditer(text):
        y = int(m.group(1)) if m.group(1) else year
        if m.group(2):
            month = int(m.group(2))
        if month is None:
            continue
        day_no = int(m.group(3))
        try:
            day = date(y, month, day_no)
        except ValueError:
            raise UserError(f"节假日安排中的日期“{m.group(0)}”不存在（{y}年{month}月没有{day_no}日），请核对通知原文。") from None
        weekday = _weekday_after(text, m.end())
        if weekday is not None and weekday != day.weekday():
            result.warnings.append(
                f"{_day_text(day)}实际是{_weekday_name(day.weekday())}，通知写的是{_weekday_name(weekday)}，"
                "请确认年份是否正确。"
            )
        found.append((day, weekday))
    return found


def _weekday_after(text: str, pos: int) -> int | None:
    """The weekday written in a parenthesis right after a date (周三, 星期六), if any."""
    m = _PAREN.match(text, pos)
    if not m:
        return None
    w = re.search(r"(?:周|星期|礼拜)([一二三四五六日天])", m.group(1))
    if not w:
        return None
    return min("一二三四五六日".find(w.group(1)) if w.group(1) != "天" else 6, 6)


def _weekday_name(weekday: int) -> str:
    return "周" + "一二三四五六日"[weekday]


def _day_text(day: date) -> str:
    return f"{day.month}月{day.day}日（{_weekday_name(day.weekday())}）"


def _span(days: list) -> str:
    if not days:
        return ""
    if len(days) == 1:
        return _day_text(days[0])
    return f"{_day_text(days[0])}至{_day_text(days[-1])}"


def _names_in_order(holidays, workdays) -> list:
    names = []
    for _, name in list(holidays) + list(workdays):
        if name not in names:
            names.append(name)
    return names


def _check_overlap(result: HolidayNotice) -> None:
    off = {d for d, _ in result.holidays}
    both = sorted(d for d, _ in result.workdays if d in off)
    if both:
        raise UserError(f"通知中{_day_text(both[0])}既是放假又是上班，请核对粘贴的通知原文。")
