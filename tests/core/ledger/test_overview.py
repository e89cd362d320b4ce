"""core.ledger.overview: figures for the 概览 page."""

from core.ledger import overview


def test_plan_label_puts_the_year_in_front_only_when_the_title_lacks_it():
    assert overview.plan_label({"year": 2024, "title": "2024年博山区政务公开工作方案"}) == "2024年博山区政务公开工作方案"
    assert overview.plan_label({"year": 2024, "title": "政务公开重点工作分解表"}) == "2024年 政务公开重点工作分解表"
    assert overview.plan_label({"year": None, "title": ""}) == "（无标题方案）"


def test_figures_without_a_year_use_the_newest_ledger_year(town_db):
    from datetime import date

    from tests.ledger_fixtures import make_ledger

    make_ledger(town_db, year=2024)
    facts = overview.figures(town_db, today=date(2024, 7, 10))
    assert sum(v for k, v in facts["counts"].items() if k != "逾期") == 5
    assert {"attention", "reports", "duties", "categories", "notice"} <= set(facts)


def test_status_counts_partition_the_tasks_and_overdue_stands_apart(town_db):
    from datetime import date

    from core import ledger
    from tests.ledger_fixtures import make_ledger

    ids = make_ledger(town_db, year=2024)
    ledger.update_entry(town_db, ids["3"], {"status": "已完成"})
    for seq in ("1", "2", "4"):
        ledger.update_entry(town_db, ids[seq], {"due_override": "2024-01-31"})
    facts = overview.figures(town_db, today=date(2024, 7, 10))
    counts = facts["counts"]
    assert set(counts) == set(ledger.STATUSES)  # 逾期 is not a status
    assert sum(counts.values()) == facts["total"] == len(ledger.list_entries(town_db, year=2024)) == 5
    assert counts["已完成"] == 1
    overdue = [e for e in ledger.list_entries(town_db, year=2024, today=date(2024, 7, 10)) if e["overdue"]]
    assert facts["overdue"] == len(overdue) == 4  # 1, 2, 4 overridden, 5 past its date; 3 is done
    assert facts["overdue"] <= facts["total"] - counts["已完成"]
    first, second = overview.count_lines(counts, facts["overdue"])
    assert first.startswith("共 5 项：") and "已完成 1" in first and "逾期" not in first
    assert second.startswith("其中逾期 4 项")
    assert sum(int(part.rsplit(" ", 1)[1]) for part in first.split("：", 1)[1].split("，")) == 5
    assert all(i["remaining"].startswith("逾期 ") for i in facts["attention"]["overdue"])


def test_calendar_warning_for_a_year_without_holidays(town_db):
    from datetime import date

    from core.calendar import workdays

    last = max(workdays.shipped_years())
    assert overview.calendar_warning(town_db, date(last, 6, 1)) is None
    warning = overview.calendar_warning(town_db, date(last, 11, 15))
    assert warning["year"] == last + 1 and "导入放假通知" in warning["text"]
    assert overview.calendar_warning(town_db, date(last + 1, 3, 1))["year"] == last + 1


def test_overview_counts_open_and_overdue_applications(town_db):
    from datetime import date

    from core.ledger import overview
    from core.register import requests

    today = date(2024, 6, 3)
    requests.add(town_db, {"received": "2024-03-01", "channel": "网络", "applicant": "自然人", "content": "x"}, today=today)
    requests.add(town_db, {"received": "2024-05-31", "channel": "网络", "applicant": "自然人", "content": "y"}, today=today)
    facts = overview.figures(town_db, year=2024, today=today)
    assert facts["requests"] == {"open": 2, "overdue": 1}
    assert "1 件政府信息公开申请已超过答复期限" in facts["notice"]
