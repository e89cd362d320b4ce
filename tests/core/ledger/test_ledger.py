"""core.ledger: listing, due dates, filters, windows, edits, dates typed by users."""

from datetime import date

import pytest

from core import ledger, records, settings
from core.errors import UserError
from tests.ledger_fixtures import make_entry, make_ledger, make_plan, make_task

JULY = date(2024, 7, 10)


@pytest.fixture
def ids(town_db):
    return make_ledger(town_db)


def by_seq(entries):
    return {e["seq"]: e for e in entries}


def test_list_entries_has_cli_keys_and_due(town_db, ids):
    entries = by_seq(ledger.list_entries(town_db, year=2024, today=JULY))
    keys = {"id", "unit", "year", "seq", "category", "requirement", "measures", "leader", "office", "status", "overdue", "due", "deadline", "progress"}
    assert keys <= set(entries["1"])
    assert entries["2"]["due"] == "2024-12-31" and entries["2"]["overdue"] is False
    assert entries["5"]["due"] == "2024-06-30" and entries["5"]["overdue"] is True
    assert entries["3"]["due"] is None  # 长期坚持: standing
    assert entries["1"]["due"] is None  # event-relative without an event


def test_event_date_sets_due_and_finished_is_never_overdue(town_db, ids):
    ledger.add_event(town_db, ids["1"], "2024.7.1", "政策文件公开")
    entry = ledger.get_entry(town_db, ids["1"], today=JULY)
    assert entry["events"][0]["date"] == "2024-07-01"
    assert entry["events"][0]["due"] == "2024-07-04"  # 3 working days after Monday 1 July
    assert entry["due"] == "2024-07-04" and entry["overdue"]
    ledger.update_entry(town_db, ids["1"], {"status": "已完成"}, today=JULY)
    entry = ledger.get_entry(town_db, ids["1"], today=JULY)
    assert not entry["overdue"] and entry["completed_on"] == "2024-07-10"


def test_status_standing_has_no_due_and_override_wins(town_db, ids):
    ledger.update_entry(town_db, ids["5"], {"status": "长期坚持"})
    assert by_seq(ledger.list_entries(town_db, today=JULY))["5"]["due"] is None
    ledger.update_entry(town_db, ids["3"], {"due_override": "2024年8月1日"})
    assert by_seq(ledger.list_entries(town_db, today=JULY))["3"]["due"] == "2024-08-01"


def test_other_units_hidden_unless_county(town_db, ids):
    plan = make_plan(town_db, year=2024)
    task = make_task(town_db, plan["id"], "1", ["甲"], "别的单位的任务", "2024年底前")
    make_entry(town_db, task["id"], unit="城西街道")
    assert {e["unit"] for e in ledger.list_entries(town_db)} == {"城东街道"}
    settings.set_profile(town_db, "博山区政府办公室", "县政府办公室", "汇总单位")
    assert {e["unit"] for e in ledger.list_entries(town_db)} == {"城东街道", "城西街道"}
    assert {e["unit"] for e in ledger.list_entries(town_db, unit="城西街道")} == {"城西街道"}


def test_query_ids_filters_and_sorts(town_db, ids):
    assert ledger.query_ids(town_db, {"year": 2024}) == [ids[s] for s in "12345"]
    assert ledger.query_ids(town_db, {"category": "加强平台建设"}) == [ids["3"], ids["4"]]
    assert ledger.query_ids(town_db, {"status": "逾期"}, today=JULY) == [ids["5"]]
    assert ledger.query_ids(town_db, {"due": "none"}, today=JULY) == [ids["1"], ids["3"]]
    by_due = ledger.query_ids(town_db, {}, sort="due", today=JULY)
    assert by_due[:3] == [ids["5"], ids["2"], ids["4"]]  # 6-30, 12-31, next 1-31
    assert ledger.query_ids(town_db, {}, sort="seq", descending=True) == [ids[s] for s in "54321"]
    ledger.update_entry(town_db, ids["4"], {"leader": "A 李四"})
    ledger.update_entry(town_db, ids["2"], {"leader": "B 王五"})
    assert ledger.query_ids(town_db, {}, sort="leader", descending=True)[:2] == [ids["2"], ids["4"]]
    with pytest.raises(UserError):
        ledger.query_ids(town_db, {}, sort="nonsense")


def test_query_ids_search_and_role(town_db, ids):
    assert ledger.query_ids(town_db, {"search": "zcjd"}) == [ids["1"], ids["2"]]  # 2's category is 推进政策解读
    assert ledger.query_ids(town_db, {"search": "zcpj"}) == [ids["2"]]
    assert ledger.query_ids(town_db, {"search": "评价"}) == [ids["2"]]
    assert ledger.query_ids(town_db, {"role": "落实"}) == [ids[s] for s in "12345"]
    assert ledger.query_ids(town_db, {"role": "牵头"}) == []


def test_fetch_rows_window(town_db, ids):
    ledger.set_measures(town_db, ids["1"], ["第一条", "第二条"])
    ledger.add_progress(town_db, ids["1"], "2024-05-01", "旧进展")
    ledger.add_progress(town_db, ids["1"], "2024-06-01", "新进展")
    rows = ledger.fetch_rows(town_db, [ids["1"], ids["5"]], today=JULY)
    assert rows[ids["1"]]["measures"] == "第一条\n第二条"
    assert rows[ids["1"]]["latest"] == "2024-06-01 新进展"
    assert rows[ids["5"]]["overdue"] and not rows[ids["1"]]["overdue"]
    assert rows[ids["1"]]["category"] == "推进政策解读 / 政策解读"


def test_update_entry_writes_history_and_rejects_bad_values(town_db, ids):
    changed = ledger.update_entry(town_db, ids["2"], {"leader": "张三", "office": "办公室"})
    assert changed == {"leader": ("", "张三"), "office": ("", "办公室")}
    history = ledger.history(town_db, ids["2"])
    assert {(h["label"], h["old"], h["new"]) for h in history} >= {("分管领导", "", "张三"), ("责任科室", "", "办公室")}
    before = town_db["entries"].get(ids["2"])
    for bad in ({"status": "逾期"}, {"completed_on": "2024.2.30"}, {"task_id": "x"}):
        with pytest.raises(UserError):
            ledger.update_entry(town_db, ids["2"], bad)
    assert town_db["entries"].get(ids["2"]) == before


def test_measures_progress_and_their_history(town_db, ids):
    ledger.set_measures(town_db, ids["3"], ["每周更新", "专人审核"])
    ledger.set_measures(town_db, ids["3"], ["每日更新"])
    assert ledger.measures_of(town_db, ids["3"]) == ["每日更新"]
    ledger.add_measure(town_db, ids["3"], "每日更新")  # already there: unchanged
    ledger.add_measure(town_db, ids["3"], "季度自查")
    assert ledger.measures_of(town_db, ids["3"]) == ["每日更新", "季度自查"]
    row = ledger.add_progress(town_db, ids["3"], "7月1日", "更新栏目")
    assert row["date"] == "2024-07-01"
    with pytest.raises(UserError):
        ledger.add_progress(town_db, ids["3"], "7月1日", "  ")
    labels = {h["label"] for h in ledger.history(town_db, ids["3"])}
    assert "工作举措·内容" in labels


@pytest.mark.parametrize("text,expected", [
    ("2024-07-01", "2024-07-01"), ("2024.7.1", "2024-07-01"), ("2024/7/1", "2024-07-01"),
    ("2024年7月1日", "2024-07-01"), ("7月1日", "2023-07-01"), ("7.1", "2023-07-01"), ("20240701", "2024-07-01"),
    ("２０２４．７．１", "2024-07-01"),
])
def test_parse_user_date(text, expected):
    assert ledger.parse_user_date(text, 2023) == expected


@pytest.mark.parametrize("text", ["2024.2.30", "13月1日", "明天", "", "2024-7"])
def test_parse_user_date_rejects(text):
    with pytest.raises(UserError) as info:
        ledger.parse_user_date(text, 2024)
    assert "日期" in str(info.value)


def test_find_by_seq(town_db, ids):
    assert ledger.find_by_seq(town_db, "2") == ids["2"]
    with pytest.raises(UserError, match="没有"):
        ledger.find_by_seq(town_db, "99")
    make_ledger(town_db, year=2025)
    with pytest.raises(UserError, match="--year"):
        ledger.find_by_seq(town_db, "2")
    assert ledger.find_by_seq(town_db, "2", year=2024) == ids["2"]


def test_dropped_entries_are_hidden(town_db, ids):
    records.update(town_db, "entries", ids["4"], {"selection": "dropped"})
    assert ids["4"] not in ledger.query_ids(town_db, {})
    assert "4" not in by_seq(ledger.list_entries(town_db))


def test_real_plan_import(town_db, samples):
    from core.plan.plan_import import import_plan

    import_plan(town_db, samples / "boshan-2024-plan.docx")
    entries = ledger.list_entries(town_db, today=date(2024, 7, 10))
    if not entries:
        pytest.skip("the importer created no entries for this unit")
    assert all(e["year"] == 2024 and e["unit"] == "城东街道" for e in entries)
    # The Boshan plan has no 时限要求 column: no entry has a due date, none is overdue.
    assert all(e["due"] is None and not e["overdue"] for e in entries if not e["deadline"])
    first = next(e for e in entries if e["seq"] == "1")
    assert "招商引资" in first["requirement"]
    assert first["id"] in ledger.query_ids(town_db, {"search": "zsyz"})
    assert first["id"] in ledger.query_ids(town_db, {"search": "招商引资"})
    assert first["id"] in ledger.query_ids(town_db, {"search": "招商"})
    ledger.update_entry(town_db, first["id"], {"status": "推进中"})
    assert ledger.query_ids(town_db, {"status": "推进中"}) == [first["id"]]


def test_remaining_working_days_and_colour(town_db):
    from datetime import date

    # 2024-10-01..07 is the National Day holiday; 2024-09-29 (Sunday) and 10-12 (Saturday) are working days.
    calc = ledger.DueCalculator(date(2024, 9, 27), town_db)
    assert calc.remaining(date(2024, 10, 8), "推进中") == ("还剩 3 个工作日", "blue")  # 9-29, 9-30, 10-8
    assert calc.remaining(date(2024, 10, 8), "未开始") == ("还剩 3 个工作日", "yellow")
    assert calc.remaining(date(2024, 9, 27), "推进中") == ("今天到期", "blue")
    assert calc.remaining(date(2024, 12, 31), "推进中") == ("还剩 64 个工作日", None)
    assert calc.remaining(date(2024, 9, 20), "推进中") == ("逾期 5 个工作日", "red")
    assert calc.remaining(date(2024, 9, 20), "已完成") == ("已完成", None)
    assert calc.remaining(None, "长期坚持") == ("长期坚持", None)
    assert calc.remaining(None, "推进中") == ("无固定时限", None)
    weekend = ledger.DueCalculator(date(2024, 9, 22), town_db)  # a Sunday, due the Saturday before
    assert weekend.remaining(date(2024, 9, 21), "推进中") == ("已逾期", "red")
