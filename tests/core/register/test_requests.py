"""依申请公开: due dates across holidays and 调休 for every step, checked against a hand-listed
calendar walked here independently of core.calendar.workdays; validation refusals; 编号 per year."""

from datetime import date, timedelta

import pytest

from core.register import requests
from core.errors import UserError

# The State Council's schedules for 2024 and 2025, typed from the notices.
HOLIDAYS = {
    "2024-01-01",
    *(f"2024-02-{d:02d}" for d in range(10, 18)),
    "2024-04-04", "2024-04-05", "2024-04-06",
    *(f"2024-05-0{d}" for d in range(1, 6)),
    "2024-06-10",
    "2024-09-15", "2024-09-16", "2024-09-17",
    *(f"2024-10-0{d}" for d in range(1, 8)),
    "2025-01-01",
    "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
    "2025-04-04", "2025-04-05", "2025-04-06",
    *(f"2025-05-0{d}" for d in range(1, 6)),
    "2025-05-31", "2025-06-01", "2025-06-02",
    *(f"2025-10-0{d}" for d in range(1, 9)),
}
MAKEUP_WORKDAYS = {
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
}


def is_workday(day: date) -> bool:
    iso = day.isoformat()
    if iso in MAKEUP_WORKDAYS:
        return True
    return day.weekday() < 5 and iso not in HOLIDAYS


def walk(start: str, n: int) -> str:
    """The n-th working day after `start`, by walking day by day."""
    day = date.fromisoformat(start)
    while n:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day.isoformat()


def span(first: str, last: str) -> int:
    """Working days from `first` to `last`, both included."""
    day, end, n = date.fromisoformat(first), date.fromisoformat(last), 0
    while day <= end:
        n += is_workday(day)
        day += timedelta(days=1)
    return n


TODAY = date(2026, 6, 1)


def add(db, received, applicant="自然人", **extra):
    values = {"received": received, "channel": "网络", "applicant": applicant, "content": "某村拆迁补偿方案", **extra}
    item, _ = requests.add(db, values, today=TODAY)
    return item


def step(db, item, **values):
    result, _ = requests.update(db, item["id"], values, today=TODAY)
    return result


@pytest.mark.parametrize("received", ["2024-09-27", "2024-02-05", "2024-04-25", "2025-01-20", "2025-09-22", "2024-12-20"])
def test_plain_due_date_counts_20_working_days_after_receipt(town_db, received):
    item = add(town_db, received)
    assert item["due"] == walk(received, 20)
    assert item["status"] == "办理中"


def test_plain_due_date_examples_by_hand(town_db):
    # 2024-09-27 (Fri): 9-29 (Sun, 调休) and 9-30, then 国庆 1–7, 10-12 (Sat) works → 10-30.
    assert add(town_db, "2024-09-27")["due"] == "2024-10-30"
    # 2025-01-20: 1-26 (Sun) works, 春节 1-28..2-4, 2-8 (Sat) works.
    assert add(town_db, "2025-01-20")["due"] == walk("2025-01-20", 20) == "2025-02-21"


def test_correction_stops_the_clock_then_counts_from_its_receipt(town_db):
    item = add(town_db, "2024-04-01")
    waiting = step(town_db, item, correction_asked="2024-04-03")
    assert waiting["status"] == "待补正" and waiting["due"] is None and waiting["overdue"] is False
    resumed = step(town_db, item, correction_received="2024-04-30")
    assert resumed["due"] == walk("2024-04-30", 20) == "2024-05-30"  # 劳动节 1–5, 5-11 (Sat) works
    assert resumed["status"] == "办理中"


def test_consultation_days_both_included_move_the_due_date(town_db):
    item = add(town_db, "2024-09-10")
    consulted = step(town_db, item, consult_start="2024-09-13", consult_end="2024-09-20")
    days = span("2024-09-13", "2024-09-20")  # 中秋 15–17 off, 9-14 (Sat) works
    assert days == 5
    assert consulted["due"] == walk(walk("2024-09-10", 20), days)


def test_extension_on_the_due_date_adds_20_working_days(town_db):
    item = add(town_db, "2025-09-15")
    due = walk("2025-09-15", 20)
    extended = step(town_db, item, extended=due)
    assert extended["due"] == walk(due, 20)  # across 国庆中秋 10-1..8 and 10-11 (Sat)


def test_every_step_together(town_db):
    item = add(town_db, "2024-09-20", applicant="商业企业")
    step(town_db, item, correction_asked="2024-09-24", correction_received="2024-09-30")
    step(town_db, item, consult_start="2024-10-08", consult_end="2024-10-14")
    base = walk(walk("2024-09-30", 20), span("2024-10-08", "2024-10-14"))
    final = step(town_db, item, extended=base)
    assert final["due"] == walk(base, 20)
    replied = step(town_db, item, replied=final["due"], result="1")
    assert replied["overdue"] is False and replied["status"] == "已答复"


def test_reply_on_due_date_is_on_time_and_the_day_after_is_late(town_db):
    on_time = add(town_db, "2024-05-06")
    due = on_time["due"]
    assert step(town_db, on_time, replied=due, result="1")["overdue"] is False
    late = add(town_db, "2024-05-06")
    assert step(town_db, late, replied=walk(due, 1), result="2")["overdue"] is True


def test_unanswered_is_overdue_only_after_the_due_date(town_db):
    values = {"received": "2024-05-06", "channel": "当面", "applicant": "自然人", "content": "x"}
    item, _ = requests.add(town_db, values, today=date(2024, 5, 6))
    due = date.fromisoformat(item["due"])
    assert requests.list_requests(town_db, today=due)[0]["overdue"] is False
    assert requests.list_requests(town_db, today=due + timedelta(days=1))[0]["overdue"] is True
    assert requests.list_requests(town_db, overdue=True, today=due + timedelta(days=1))[0]["id"] == item["id"]


def test_waiting_for_correction_is_never_overdue_and_closes_only_with_6_1(town_db):
    item = add(town_db, "2024-01-08")
    step(town_db, item, correction_asked="2024-01-10")
    with pytest.raises(UserError, match="补正"):
        step(town_db, item, extended="2024-01-12")
    with pytest.raises(UserError, match="6.1"):
        step(town_db, item, replied="2024-03-01", result="1")
    closed = step(town_db, item, replied="2024-03-01", result="6.1")
    assert closed["status"] == "已答复" and closed["overdue"] is False


def test_extension_after_the_due_date_is_refused(town_db):
    item = add(town_db, "2024-03-01")
    with pytest.raises(UserError, match="延期须在答复期限"):
        step(town_db, item, extended=walk(item["due"], 1))
    assert requests.get(town_db, item["id"])["extended"] is None


@pytest.mark.parametrize("values, message", [
    ({"replied": "2024-02-29", "result": "1"}, "早于收到日期"),
    ({"replied": "2024-03-05", "result": "9"}, "办理结果"),
    ({"replied": "2024-03-05"}, "同时填写"),
    ({"correction_asked": "2024-02-28"}, "早于收到日期"),
    ({"correction_received": "2024-03-05"}, "补正告知"),
    ({"consult_start": "2024-03-05"}, "开始和结束"),
    ({"consult_start": "2024-03-08", "consult_end": "2024-03-05"}, "早于开始日期"),
    ({"fee": "-5"}, "负数"),
    ({"replied": "2024-13-01", "result": "1"}, "不存在"),
])
def test_contradictions_are_refused_in_chinese_and_nothing_changes(town_db, values, message):
    item = add(town_db, "2024-03-01")
    before = requests.get(town_db, item["id"])
    with pytest.raises(UserError, match=message):
        step(town_db, item, **values)
    assert requests.get(town_db, item["id"]) == before


def test_unknown_channel_or_applicant_refused(town_db):
    with pytest.raises(UserError, match="收到方式"):
        requests.add(town_db, {"received": "2024-03-01", "channel": "微信", "applicant": "自然人", "content": "x"})
    with pytest.raises(UserError, match="申请人类别"):
        requests.add(town_db, {"received": "2024-03-01", "channel": "当面", "applicant": "公司", "content": "x"})
    assert requests.list_requests(town_db) == []


def test_correction_asked_late_warns(town_db):
    item = add(town_db, "2024-09-27")
    _, warnings = requests.update(town_db, item["id"], {"correction_asked": walk("2024-09-27", 8)}, today=TODAY)
    assert warnings and "7 个工作日" in warnings[0]
    _, none = requests.update(town_db, item["id"], {"correction_asked": walk("2024-09-27", 7)}, today=TODAY)
    assert none == []


def test_numbers_run_per_year(town_db):
    numbers = [add(town_db, d)["no"] for d in ("2024-03-01", "2024-12-30", "2025-01-02")]
    assert numbers == ["2024-001", "2024-002", "2025-001"]
    assert requests.get(town_db, "2024-002")["received"] == "2024-12-30"
    assert [i["no"] for i in requests.list_requests(town_db, year=2024)] == ["2024-001", "2024-002"]


def test_changes_go_through_records_with_history(town_db):
    item = add(town_db, "2024-03-01")
    step(town_db, item, replied="2024-03-05", result="1")
    row = requests.get(town_db, item["id"])
    assert row["rev"] == 2
    fields = {r["field"] for r in town_db.query("SELECT field FROM history WHERE record_id = ?", [item["id"]])}
    assert {"replied", "result"} <= fields


def test_appeal_needs_a_reply_and_counts_in_the_reply_year(town_db):
    item = add(town_db, "2024-12-02")
    with pytest.raises(UserError, match="还没有答复"):
        requests.add_appeal(town_db, item["id"], "复议", "维持")
    step(town_db, item, replied="2025-01-03", result="3.4")
    assert requests.add_appeal(town_db, item["id"], "复议", "维持")["year"] == 2025
    assert requests.add_appeal(town_db, item["id"], "诉讼", "纠正", "2026-02-01")["year"] == 2026
    with pytest.raises(UserError, match="救济类型"):
        requests.add_appeal(town_db, item["id"], "申诉", "维持")


def test_counts_for_the_overview(town_db):
    add(town_db, "2024-03-01")
    done = add(town_db, "2024-03-01")
    step(town_db, done, replied="2024-03-04", result="1")
    fresh = add(town_db, "2026-05-29")
    assert requests.counts(town_db, today=TODAY) == {"open": 2, "overdue": 1}
    assert fresh["overdue"] is False


def test_colours_blue_yellow_red(town_db):
    item = add(town_db, "2024-03-01")
    from core.calendar import workdays

    cal = workdays.load_calendar(town_db)
    row = requests.get(town_db, item["id"])
    due = requests.due_date(row, cal)
    assert requests.urgency(row, due, date(2024, 3, 4), cal) == ""
    assert requests.urgency(row, due, date.fromisoformat(walk("2024-03-01", 11)), cal) == "yellow"
    assert requests.urgency(row, due, date.fromisoformat(walk("2024-03-01", 16)), cal) == "blue"
    assert requests.urgency(row, due, date.fromisoformat(walk("2024-03-01", 21)), cal) == "red"
