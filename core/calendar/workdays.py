"""The working-day calendar: weekends, statutory holidays and 调休 workdays.

The years 2004–2026 ship as data (resources/calendar/cn_workdays.json). Later years come from
the State Council's notice, stored by the user in the table calendar_days (source 'notice'),
and single days the user sets by hand (source 'user'). Outside the known years only weekends
are counted, and every date computed that way is marked estimated.

Counting rule: day 1 is the first working day after the event.
"""

import json
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

from core.calendar.dates import parse_user_date
from core.errors import UserError
from core.text import normalise

MIN_YEAR = 1990
MAX_YEAR = 2100
KINDS = ("holiday", "workday")
NOTICE_SOURCE = "notice"  # stored as "notice:YEAR": the notice of YEAR makes YEAR known
USER_SOURCE = "user"

_FIRST_ORD = date(MIN_YEAR, 1, 1).toordinal()
_LAST_ORD = date(MAX_YEAR, 12, 31).toordinal()


class DueDate(date):
    """A date computed from the calendar; `estimated` is True when it crossed an unknown year."""

    estimated = False
    unknown_years: tuple = ()

    @classmethod
    def make(cls, day: date, unknown_years=()) -> "DueDate":
        """A DueDate for `day`, estimated when `unknown_years` is not empty."""
        result = cls(day.year, day.month, day.day)
        result.unknown_years = tuple(sorted(set(unknown_years)))
        result.estimated = bool(result.unknown_years)
        return result

    def note(self) -> str:
        """A Chinese note for an estimated date, or ''."""
        if not self.estimated:
            return ""
        years = "、".join(f"{y}年" for y in self.unknown_years)
        return f"估算：{years}节假日未知"


class Calendar:
    """Working days over MIN_YEAR..MAX_YEAR with fast counting (sorted ordinals + bisect)."""

    def __init__(self, holidays: dict, workdays: dict, known_years):
        self.holidays = {_as_date(d): n for d, n in holidays.items()}
        self.workdays = {_as_date(d): n for d, n in workdays.items()}
        self.known_years = frozenset(known_years)
        self._ords = self._build_ordinals()

    def _build_ordinals(self) -> list:
        off = {d.toordinal() for d in self.holidays}
        on = {d.toordinal() for d in self.workdays}
        result = []
        append = result.append
        for o in range(_FIRST_ORD, _LAST_ORD + 1):
            weekday = (o + 6) % 7  # 0 = Monday, as date.weekday()
            if o in on or (weekday < 5 and o not in off):
                append(o)
        return result

    def is_known(self, year: int) -> bool:
        """Whether the holidays of `year` are known (shipped or added from a notice)."""
        return year in self.known_years

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day."""
        check_date(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def day_info(self, day: date) -> dict:
        """What `day` is, for a calendar view: kind workday/weekend/holiday/adjusted, name, estimated."""
        check_date(day)
        if day in self.workdays:
            kind, name = "adjusted", self.workdays[day]
        elif day in self.holidays:
            kind, name = "holiday", self.holidays[day]
        elif day.weekday() >= 5:
            kind, name = "weekend", ""
        else:
            kind, name = "workday", ""
        return {"date": day.isoformat(), "kind": kind, "name": name,
                "workday": kind in ("workday", "adjusted"), "estimated": not self.is_known(day.year)}

    def month(self, year: int, month: int) -> list:
        """day_info for every day of one month."""
        check_year(year)
        day = date(year, month, 1)
        result = []
        while day.month == month:
            result.append(self.day_info(day))
            day += timedelta(days=1)
        return result

    def add_workdays(self, start: date, n: int) -> DueDate:
        """The n-th working day after `start` (day 1 is the first working day after it)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        o = start.toordinal()
        ords = self._ords
        i = bisect_right(ords, o) + n - 1
        if o < _FIRST_ORD or i >= len(ords):
            raise UserError(f"日期超出日历范围（{MIN_YEAR}—{MAX_YEAR}年），请检查输入的日期。")
        result = date.fromordinal(ords[i])
        return DueDate.make(result, self.unknown_between(start.year, result.year))

    def next_workday(self, day: date) -> DueDate:
        """The first working day on or after `day`."""
        return self.add_workdays(day - timedelta(days=1), 1)

    def count_workdays(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        a, b = start.toordinal(), end.toordinal()
        if b < a:
            return -self.count_workdays(end, start)
        return bisect_right(self._ords, b) - bisect_right(self._ords, a)

    def unknown_between(self, first_year: int, last_year: int) -> tuple:
        """The years in first_year..last_year whose holidays are not known."""
        if first_year == last_year:
            return () if first_year in self.known_years else (first_year,)
        return tuple(y for y in range(first_year, last_year + 1) if y not in self.known_years)


def check_year(year: int) -> int:
    """`year` if the calendar covers it, else UserError."""
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"年份“{year}”超出范围：只支持{MIN_YEAR}—{MAX_YEAR}年，请检查输入。")
    return year


def check_date(day: date) -> date:
    """`day` if the calendar covers it, else UserError."""
    check_year(day.year)
    return day


def parse_date(text: str) -> date:
    """A date typed by a user (core.calendar.dates.parse_user_date), within the calendar's years."""
    return check_date(date.fromisoformat(parse_user_date(text)))


@lru_cache(maxsize=1)
def shipped_data() -> dict:
    """The shipped calendar data (holidays, workdays, first_year, last_year)."""
    from core.paths import resources_dir

    path = resources_dir() / "calendar" / "cn_workdays.json"
    return json.loads(path.read_text(encoding="utf-8"))


def shipped_years() -> range:
    """The years whose holidays ship with the program."""
    data = shipped_data()
    return range(data["first_year"], data["last_year"] + 1)


@lru_cache(maxsize=8)
def _build(rows: tuple) -> Calendar:
    data = shipped_data()
    holidays = dict(data["holidays"])
    workdays = dict(data["workdays"])
    known = set(shipped_years())
    for day, kind, name, source in rows:
        holidays.pop(day, None)
        workdays.pop(day, None)
        (holidays if kind == "holiday" else workdays)[day] = name
        if source.startswith(NOTICE_SOURCE + ":"):
            known.add(int(source.split(":", 1)[1]))
    return Calendar(holidays, workdays, known)


def default_calendar() -> Calendar:
    """The shipped calendar alone (no user additions)."""
    return _build(())


def load_calendar(db=None) -> Calendar:
    """The calendar: shipped data plus the days stored in `db` (cached until they change)."""
    if db is None:
        return default_calendar()
    rows = tuple(
        tuple(r)
        for r in db.execute("SELECT date, kind, name, source FROM calendar_days ORDER BY date").fetchall()
    )
    return _build(rows)


def set_day(db, day: date, kind: str | None, name: str = "") -> None:
    """Set one day by hand: 'holiday', 'workday', or None to restore the default for that day."""
    check_date(day)
    if kind is not None and kind not in KINDS:
        raise UserError(f"日期类型“{kind}”无效，请选择 holiday（放假）或 workday（上班）。")
    with db.atomic():
        db.execute("DELETE FROM calendar_days WHERE date = ?", [day.isoformat()])
        if kind is not None:
            db.execute(
                "INSERT INTO calendar_days(date, kind, name, source) VALUES (?, ?, ?, ?)",
                [day.isoformat(), kind, normalise(name), USER_SOURCE],
            )


def store_year(db, year: int, holidays, workdays) -> int:
    """Store one year's schedule from a notice, replacing an earlier notice for that year.

    `holidays` and `workdays` are iterables of (date, name). Returns the number of days stored.
    Days set by hand (source 'user') are kept unless the notice names the same day.
    """
    check_year(year)
    rows = [(d, "holiday", n) for d, n in holidays] + [(d, "workday", n) for d, n in workdays]
    for day, _, _ in rows:
        check_date(day)
    source = f"{NOTICE_SOURCE}:{year}"
    with db.atomic():
        db.execute("DELETE FROM calendar_days WHERE source = ?", [source])
        for day, kind, name in rows:
            db.execute(
                "INSERT OR REPLACE INTO calendar_days(date, kind, name, source) VALUES (?, ?, ?, ?)",
                [day.isoformat(), kind, normalise(name), source],
            )
    return len(rows)


def add_workdays(start: date, n: int, calendar: Calendar | None = None) -> DueDate:
    """The n-th working day after `start` in `calendar` (default: the shipped one)."""
    return (calendar or default_calendar()).add_workdays(start, n)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
