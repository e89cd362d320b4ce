"""The working-day calendar: shipped years, counting rule, user days, estimated years."""

from datetime import date

import pytest

from core.calendar import workdays
from core.errors import UserError

D = date.fromisoformat


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # the known answers
        ("2026-09-25", 20, "2026-10-29"),
        ("2026-02-06", 20, "2026-03-12"),
        # 2019: Spring Festival 2-4..2-10 with 2-2 (Sat) and 2-3 (Sun) worked; National Day 10-1..10-7
        ("2019-02-01", 1, "2019-02-02"),
        ("2019-02-01", 2, "2019-02-03"),
        ("2019-02-03", 1, "2019-02-11"),
        ("2019-09-27", 1, "2019-09-29"),
        ("2019-09-30", 1, "2019-10-08"),
        ("2019-10-11", 1, "2019-10-12"),
        ("2018-12-28", 1, "2018-12-29"),  # 2019 New Year: 2018-12-29 (Sat) worked
        ("2018-12-29", 1, "2019-01-02"),
        # 2020: the Spring Festival extended to 2-2 (2-1 no longer worked)
        ("2020-01-18", 1, "2020-01-19"),
        ("2020-01-23", 1, "2020-02-03"),
        ("2020-09-30", 1, "2020-10-09"),
        # 2024: 2-10..2-17, 2-4 (Sun) and 2-18 (Sun) worked; National Day 9-29 (Sun), 10-12 (Sat) worked
        ("2024-02-03", 1, "2024-02-04"),
        ("2024-02-09", 1, "2024-02-18"),
        ("2024-09-28", 1, "2024-09-29"),
        ("2024-09-30", 1, "2024-10-08"),
        ("2024-10-11", 1, "2024-10-12"),
        # 2025: 1-28..2-4, 1-26 (Sun) and 2-8 (Sat) worked; 10-1..10-8, 9-28 (Sun) and 10-11 (Sat) worked
        ("2025-01-25", 1, "2025-01-26"),
        ("2025-01-27", 1, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-10-10", 1, "2025-10-11"),
        # 2026: 2-15..2-23 with 2-14 and 2-28 (Sat) worked; 9-25..9-27 and 10-1..10-7, 9-20 and 10-10 worked
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-09-19", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        ("2026-09-30", 1, "2026-10-08"),
        # counting from a weekend or holiday: day 1 is the first working day after it
        ("2026-10-03", 1, "2026-10-08"),
        ("2026-03-07", 5, "2026-03-13"),
    ],
)
def test_add_workdays(start, n, expected):
    result = workdays.default_calendar().add_workdays(D(start), n)
    assert result == D(expected)
    assert result.estimated is False


@pytest.mark.parametrize(
    "day, workday",
    [("2026-02-14", True), ("2026-02-16", False), ("2026-10-10", True), ("2026-10-05", False),
     ("2020-02-01", False), ("2020-01-19", True), ("2024-02-09", True), ("2026-03-09", True), ("2026-03-08", False)],
)
def test_is_workday(day, workday):
    assert workdays.default_calendar().is_workday(D(day)) is workday


def test_shipped_years_and_json():
    data = workdays.shipped_data()
    assert (data["first_year"], data["last_year"]) == (2004, 2026)
    assert data["holidays"]["2026-10-01"] == "国庆节"
    assert data["workdays"]["2026-02-14"] == "春节"
    assert list(workdays.shipped_years()) == list(range(2004, 2027))


def test_no_chinesecalendar_at_runtime():
    import subprocess
    import sys

    code = ("import sys; from core.calendar import workdays, deadlines; from datetime import date;"
            "workdays.default_calendar().add_workdays(date(2026,1,5), 3);"
            "print('chinese_calendar' in sys.modules)")
    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_unknown_year_is_estimated_weekdays_only():
    cal = workdays.default_calendar()
    result = cal.add_workdays(D("2027-03-01"), 4)  # Mon + 4 working days, weekdays only
    assert result == D("2027-03-05")
    assert result.estimated is True
    assert result.unknown_years == (2027,)
    assert "2027年节假日未知" in result.note()
    crossing = cal.add_workdays(D("2026-12-25"), 10)
    assert crossing.estimated is True


def test_count_and_next_workday():
    cal = workdays.default_calendar()
    assert cal.count_workdays(D("2026-09-25"), D("2026-10-29")) == 20
    assert cal.count_workdays(D("2026-10-29"), D("2026-09-25")) == -20
    assert cal.next_workday(D("2026-10-01")) == D("2026-10-08")
    assert cal.next_workday(D("2026-10-08")) == D("2026-10-08")


def test_day_info_and_month():
    cal = workdays.default_calendar()
    assert cal.day_info(D("2026-10-10"))["kind"] == "adjusted"
    assert cal.day_info(D("2026-10-01")) == {"date": "2026-10-01", "kind": "holiday", "name": "国庆节",
                                            "workday": False, "estimated": False}
    assert cal.day_info(D("2026-10-11"))["kind"] == "weekend"
    assert cal.day_info(D("2027-10-11"))["estimated"] is True
    days = cal.month(2026, 2)
    assert len(days) == 28 and days[13]["kind"] == "adjusted"


def test_set_day_and_load_calendar(db):
    workdays.set_day(db, D("2026-03-09"), "holiday", "本地放假")
    cal = workdays.load_calendar(db)
    assert not cal.is_workday(D("2026-03-09"))
    assert cal.add_workdays(D("2026-03-06"), 1) == D("2026-03-10")
    workdays.set_day(db, D("2026-03-09"), None)
    assert workdays.load_calendar(db).is_workday(D("2026-03-09"))
    workdays.set_day(db, D("2026-10-01"), "workday")
    assert workdays.load_calendar(db).is_workday(D("2026-10-01"))
    # single days do not make a year known
    workdays.set_day(db, D("2027-01-01"), "holiday", "元旦")
    assert not workdays.load_calendar(db).is_known(2027)


def test_store_year_makes_year_known(db):
    workdays.store_year(db, 2027, [(D("2027-01-01"), "元旦")], [(D("2027-02-20"), "春节")])
    cal = workdays.load_calendar(db)
    assert cal.is_known(2027)
    assert cal.is_workday(D("2027-02-20"))
    result = cal.add_workdays(D("2026-12-31"), 1)
    assert result == D("2027-01-04") and result.estimated is False
    # storing the same year again replaces the earlier notice
    workdays.store_year(db, 2027, [(D("2027-01-04"), "元旦")], [])
    cal = workdays.load_calendar(db)
    assert cal.is_workday(D("2027-01-01")) is True  # the earlier notice's holiday is gone
    assert cal.is_workday(D("2027-01-04")) is False
    assert cal.is_workday(D("2027-02-20")) is False


@pytest.mark.parametrize("bad", ["2026-02-30", "abc", "1800-01-01", "3000-01-01"])
def test_parse_date_rejects(bad):
    with pytest.raises(UserError):
        workdays.parse_date(bad)


def test_parse_date_takes_a_date_typed_any_common_way():
    assert workdays.parse_date("2026/01/05") == workdays.parse_date("2026年1月5日") == D("2026-01-05")


@pytest.mark.parametrize("kind", ["off", "HOLIDAY", ""])
def test_set_day_rejects_kind(db, kind):
    with pytest.raises(UserError):
        workdays.set_day(db, D("2026-01-05"), kind)
    assert db.execute("SELECT count(*) FROM calendar_days").fetchone()[0] == 0
