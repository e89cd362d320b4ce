"""core.ledger.due: the due date stored on each entry follows every input it depends on."""

from datetime import date

import pytest

from core import ledger
from core.calendar import workdays
from core.ledger.due import DueCalculator, fresh_due, open_events, refresh_due
from core.plan.model import ParsedPlan, ParsedTask
from core.plan.plan_import import import_plan
from tests.ledger_fixtures import make_ledger

JULY = date(2024, 7, 10)


@pytest.fixture
def ids(town_db):
    return make_ledger(town_db)


def stored(db, entry_id):
    return db.execute("SELECT due, due_kind, due_on FROM entries WHERE id = ?", [entry_id]).fetchone()


def expected(db, entry_id, today):
    """DueCalculator's answer for one entry, from its inputs as stored now."""
    row = db.execute(
        """SELECT t.deadline, coalesce(pl.year, e.year), pl.issued, e.status, e.due_override
           FROM entries e JOIN tasks t ON t.id = e.task_id LEFT JOIN plans pl ON pl.id = t.plan_id WHERE e.id = ?""",
        [entry_id]).fetchone()
    due = DueCalculator(today, db).due(*row, events=open_events(db).get(entry_id, ()))
    return due.isoformat() if due else None


def assert_follows(db, entry_id, today):
    due, _, due_on = stored(db, entry_id)
    assert due_on == today.isoformat()
    assert due == expected(db, entry_id, today)


def test_a_due_based_query_fills_every_stamp_and_kinds_say_why(town_db, ids):
    assert all(stored(town_db, i)[2] is None for i in ids.values())  # created without a stamp
    ledger.query_ids(town_db, {}, sort="due", today=JULY)
    for entry_id in ids.values():
        assert_follows(town_db, entry_id, JULY)
    assert {s: stored(town_db, i)[1] for s, i in ids.items()} == {
        "1": "none", "2": "deadline", "3": "none", "4": "deadline", "5": "deadline"}  # 3: 时限 长期坚持
    assert stored(town_db, ids["5"])[0] == "2024-06-30"
    assert refresh_due(town_db, today=JULY) == 0  # nothing stale: nothing written


def test_event_added_and_closed(town_db, ids):
    ledger.query_ids(town_db, {}, sort="due", today=JULY)
    event = ledger.add_event(town_db, ids["1"], "2024-07-01")
    today = date.today()
    assert_follows(town_db, ids["1"], today)
    assert ledger.get_entry(town_db, ids["1"], today=JULY)["due"] == "2024-07-04"
    assert stored(town_db, ids["1"])[0] == "2024-07-04"
    ledger.close_event(town_db, event["id"], "2024-07-03")
    assert_follows(town_db, ids["1"], today)
    assert stored(town_db, ids["1"])[0] is None
    ledger.restore_record(town_db, "events", event["id"])  # not deleted: the event stays closed
    ledger.remove_event(town_db, event["id"])
    assert_follows(town_db, ids["1"], today)


def test_status_standing_and_override(town_db, ids):
    ledger.update_entry(town_db, ids["5"], {"status": "长期坚持"}, today=JULY)
    assert_follows(town_db, ids["5"], JULY)
    assert stored(town_db, ids["5"])[:2] == (None, "standing")
    ledger.update_entry(town_db, ids["5"], {"due_override": "2024-08-01"}, today=JULY)
    assert_follows(town_db, ids["5"], JULY)
    assert stored(town_db, ids["5"])[:2] == ("2024-08-01", "override")
    ledger.update_entry(town_db, ids["5"], {"due_override": "", "status": "推进中"}, today=JULY)
    assert stored(town_db, ids["5"])[:2] == ("2024-06-30", "deadline")
    assert ledger.query_ids(town_db, {"status": "逾期"}, today=JULY) == [ids["5"]]


def test_calendar_day_added_marks_everything_stale(town_db, ids):
    ledger.add_event(town_db, ids["1"], "2024-07-01")
    ledger.query_ids(town_db, {}, sort="due", today=JULY)
    assert stored(town_db, ids["1"])[0] == "2024-07-04"
    workdays.set_day(town_db, date(2024, 7, 3), "holiday", "测试假日")
    assert all(stored(town_db, i)[2] is None for i in ids.values())
    ledger.query_ids(town_db, {"due": "overdue"}, today=JULY)
    assert_follows(town_db, ids["1"], JULY)
    assert stored(town_db, ids["1"])[0] == "2024-07-05"


def test_a_day_passing_rolls_a_yearly_clause(town_db):
    ids = make_ledger(town_db, year=2025)  # 4: 每年1月31日前
    before, after = date(2025, 1, 20), date(2025, 2, 5)
    ledger.query_ids(town_db, {}, sort="due", today=before)
    assert stored(town_db, ids["4"])[0] == "2025-01-31"
    assert ledger.query_ids(town_db, {"due": "overdue"}, today=after) == []
    assert_follows(town_db, ids["4"], after)
    assert stored(town_db, ids["4"])[0] == "2026-01-31"


def _plan(deadline):
    return ParsedPlan(title="2099年政务公开工作要点", year=2099, doc_no="测政办字〔2099〕1号", issued="2099-03-01",
                      tasks=[ParsedTask("1", ["推进政策解读"], "开展政策评价", units="各镇（街道）", deadline=deadline)])


def test_deadline_changed_by_plan_reimport(town_db):
    import_plan(town_db, _plan("2099年12月底前"))
    (entry_id,) = [r[0] for r in town_db.execute("SELECT id FROM entries")]
    today = date.today()
    assert_follows(town_db, entry_id, today)
    assert stored(town_db, entry_id)[0] == "2099-12-31"
    import_plan(town_db, _plan("2099年6月底前"))
    assert_follows(town_db, entry_id, today)
    assert stored(town_db, entry_id)[0] == "2099-06-30"


def test_storing_due_dates_writes_no_history_and_queues_no_search(town_db, ids):
    town_db.execute("DELETE FROM search_dirty")
    revs = dict(town_db.execute("SELECT id, rev FROM entries").fetchall())
    history = town_db.execute("SELECT count(*) FROM history").fetchone()[0]
    ledger.query_ids(town_db, {}, sort="due", today=JULY)
    assert dict(town_db.execute("SELECT id, rev FROM entries").fetchall()) == revs
    assert town_db.execute("SELECT count(*) FROM history").fetchone()[0] == history
    assert town_db.execute("SELECT count(*) FROM search_dirty").fetchone()[0] == 0


def test_a_read_only_database_computes_stale_dates_without_storing(town_db, ids, tmp_path):
    from db.connection import _READ_ONLY, mark_read_only, open_db

    path = tmp_path / "ledger.sqlite3"
    ledger.query_ids(town_db, {}, sort="due", today=JULY)
    mark_read_only(path)
    try:
        ro = open_db(path)
        later = date(2025, 2, 5)
        assert "temp.entry_due" in fresh_due(ro, later)
        assert ledger.query_ids(ro, {}, sort="due", today=later) == ledger.query_ids(town_db, {}, sort="due", today=later)
        ro.conn.close()
    finally:
        _READ_ONLY.pop(str(path.resolve()), None)
