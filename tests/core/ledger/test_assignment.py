"""Building this office's ledger entries from a plan, and adding/dropping tasks by hand."""

import pytest

from core import records, settings
from core.ledger.assignment import assign_entries, set_selection
from core.errors import UserError

UNITS = {
    "1": "各镇（街道），区政府有关部门单位",
    "2": "区发展和改革委员会",
    "3": "区司法局牵头，各行政执法主体和各镇（街道）具体落实",
    "4": "区政府各部门单位",
    "5": "重大政策起草单位",
    "6": "城东街道办事处牵头，区财政局配合",
}


def make_plan(db, units=UNITS, year=2024):
    plan = records.insert(db, "plans", {"year": year, "title": f"{year}年政务公开工作方案", "issued": f"{year}-06-24"})
    tasks = {}
    for i, (seq, text) in enumerate(units.items()):
        tasks[seq] = records.insert(db, "tasks", {"plan_id": plan["id"], "position": i, "seq": seq, "units": text,
                                                  "requirement": f"任务{seq}", "deadline": "长期坚持"})["id"]
    return plan["id"], tasks


def entries(db, deleted=0):
    rows = db.execute(
        "SELECT t.seq, e.role, e.selection, e.reason, e.year, e.unit FROM entries e JOIN tasks t ON t.id = e.task_id "
        "WHERE e.deleted = ? ORDER BY t.position", [deleted]).fetchall()
    return {r[0]: {"role": r[1], "selection": r[2], "reason": r[3], "year": r[4], "unit": r[5]} for r in rows}


def test_assign_for_a_street(town_db):
    db = town_db
    plan_id, _ = make_plan(db)
    with db.atomic():
        report = assign_entries(db, plan_id)
    got = entries(db)
    assert set(got) == {"1", "3", "6"}
    assert got["3"]["role"] == "落实" and got["6"]["role"] == "牵头" and got["1"]["role"] == "责任"
    assert got["1"]["selection"] == "auto" and got["1"]["year"] == 2024 and got["1"]["unit"] == "城东街道"
    assert "街道" in got["1"]["reason"]
    assert report["created"] == ["1", "3", "6"]
    assert [m["seq"] for m in report["maybe"]] == ["5"]
    assert report["message"]


def test_reimport_is_stable_and_respects_hand_choices(town_db):
    db = town_db
    plan_id, tasks = make_plan(db)
    assign_entries(db, plan_id)
    set_selection(db, tasks["1"], False)        # dropped by hand
    set_selection(db, tasks["5"], True)         # a may-apply task added by hand
    report = assign_entries(db, plan_id)
    assert report["created"] == [] and report["removed"] == []
    got = entries(db)
    assert got["1"]["selection"] == "dropped"
    assert got["5"]["selection"] == "added"
    assert set(report["manual"]) == {"1", "5"}


def test_task_no_longer_applies(town_db):
    db = town_db
    plan_id, tasks = make_plan(db)
    assign_entries(db, plan_id)
    # task 3 changes its units; task 6 keeps the office but gets progress and then changes too
    entry6 = db.execute("SELECT id FROM entries WHERE task_id = ?", [tasks["6"]]).fetchone()[0]
    records.insert(db, "progress", {"entry_id": entry6, "date": "2024-07-01", "text": "已公开"})
    records.update(db, "tasks", tasks["3"], {"units": "区司法局"})
    records.update(db, "tasks", tasks["6"], {"units": "区财政局"})
    report = assign_entries(db, plan_id)
    assert report["removed"] == ["3"]
    assert [k["seq"] for k in report["kept"]] == ["6"]
    assert set(entries(db)) == {"1", "6"}
    assert set(entries(db, deleted=1)) == {"3"}
    # and back again: the tombstoned entry is revived, not duplicated
    records.update(db, "tasks", tasks["3"], {"units": "各镇（街道）"})
    report = assign_entries(db, plan_id)
    assert report["updated"] == ["3"]
    assert entries(db)["3"]["selection"] == "auto"


def test_deleted_task_entry_is_tombstoned(town_db):
    db = town_db
    plan_id, tasks = make_plan(db)
    assign_entries(db, plan_id)
    records.delete(db, "tasks", tasks["1"])
    report = assign_entries(db, plan_id)
    assert report["removed"] == ["1"]


def test_department_profile(db):
    settings.set_profile(db, "博山区司法局", "部门", "填报单位", county="博山区")
    plan_id, _ = make_plan(db)
    assign_entries(db, plan_id)
    got = entries(db)
    assert set(got) == {"1", "3", "4"}
    assert got["3"]["role"] == "牵头"


def test_collecting_office_creates_nothing(db):
    settings.set_profile(db, "博山区人民政府办公室", "县政府办公室", "汇总单位", county="博山区")
    plan_id, _ = make_plan(db)
    report = assign_entries(db, plan_id)
    assert report["skipped"] is True and "汇总单位" in report["message"]
    assert entries(db) == {}


def test_no_profile(db):
    plan_id, _ = make_plan(db)
    with pytest.raises(UserError):
        assign_entries(db, plan_id)


def test_inside_callers_transaction_rolls_back(town_db):
    db = town_db
    plan_id, _ = make_plan(db)
    with pytest.raises(RuntimeError):
        with db.atomic():
            assign_entries(db, plan_id)
            raise RuntimeError("import failed later")
    assert entries(db) == {}


def test_set_selection(town_db):
    db = town_db
    plan_id, tasks = make_plan(db)
    entry = set_selection(db, tasks["2"], True)
    assert entry["selection"] == "added" and entry["role"] == "责任" and entry["year"] == 2024
    entry = set_selection(db, tasks["2"], False)
    assert entry["selection"] == "dropped"
    entry = set_selection(db, tasks["2"], True)
    assert entry["selection"] == "added"
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    with pytest.raises(UserError):
        set_selection(db, "no-such-task", True)


def test_plan_choices_show_verdicts_and_follow_hand_choices(town_db):
    from core.ledger.assignment import plan_choices

    plan_id, tasks = make_plan(town_db)
    assign_entries(town_db, plan_id)
    choices = {c["seq"]: c for c in plan_choices(town_db, plan_id)}
    assert choices["1"]["applies"] and choices["1"]["in_ledger"] and choices["1"]["selection"] == "auto"
    assert not choices["2"]["applies"] and not choices["2"]["in_ledger"]
    assert choices["5"]["maybe"] and not choices["5"]["in_ledger"]
    set_selection(town_db, tasks["5"], True)
    set_selection(town_db, tasks["1"], False)
    choices = {c["seq"]: c for c in plan_choices(town_db, plan_id)}
    assert choices["5"]["in_ledger"] and choices["5"]["selection"] == "added"
    assert not choices["1"]["in_ledger"] and choices["1"]["selection"] == "dropped"


def test_find_task_by_seq_refuses_unknown_and_ambiguous(town_db):
    from core.ledger.assignment import find_task

    plan_id, tasks = make_plan(town_db)
    assert find_task(town_db, "3")["id"] == tasks["3"]
    with pytest.raises(UserError, match="找不到序号为 99"):
        find_task(town_db, "99")
    records.insert(town_db, "tasks", {"plan_id": plan_id, "position": 9, "seq": "3", "requirement": "重号任务"})
    with pytest.raises(UserError, match="序号都是 3"):
        find_task(town_db, "3")
