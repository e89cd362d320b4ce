"""core.overview: figures for the 概览 page."""

from core import overview


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


def test_overview_counts_open_and_overdue_applications(town_db):
    from datetime import date

    from core import overview, requests

    today = date(2024, 6, 3)
    requests.add(town_db, {"received": "2024-03-01", "channel": "网络", "applicant": "自然人", "content": "x"}, today=today)
    requests.add(town_db, {"received": "2024-05-31", "channel": "网络", "applicant": "自然人", "content": "y"}, today=today)
    facts = overview.figures(town_db, year=2024, today=today)
    assert facts["requests"] == {"open": 2, "overdue": 1}
    assert "1 件政府信息公开申请已超过答复期限" in facts["notice"]
