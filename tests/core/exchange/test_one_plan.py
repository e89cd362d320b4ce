"""One plan per office, whichever way it arrives: the .docx and the 任务包 of the same plan."""

import json

import pytest

from core import ledger, settings
from core.plan import plans
from core.errors import UserError
from core.exchange import merge
from core.exchange.packs import pack, unpack
from core.plan import doubles
from core.plan.plan_import import import_plan
from db.connection import open_db
from tests.core.exchange.plan_docs import plan_docx

COUNTY = "测试县人民政府办公室"
UNIT = "城东街道"


@pytest.fixture
def offices(tmp_path):
    """(county, unit, plan .docx): the county has imported the plan; the unit has nothing yet."""
    doc = plan_docx(tmp_path / "要点.docx")
    county = open_db(tmp_path / "county" / "ledger.sqlite3")
    settings.set_profile(county, COUNTY, "县政府办公室", "汇总单位", county="测试县")
    import_plan(county, doc)
    unit = open_db(tmp_path / "unit" / "ledger.sqlite3")
    settings.set_profile(unit, UNIT, "街道", "填报单位", county="测试县")
    county.path, unit.path = tmp_path / "county" / "ledger.sqlite3", tmp_path / "unit" / "ledger.sqlite3"
    yield county, unit, doc
    county.conn.close()
    unit.conn.close()


def task_package(county, tmp_path, name="task.zwgk"):
    path = tmp_path / name
    pack(county, county.path, "task", path, unit=UNIT)
    return path


def live(db, table):
    return [dict(r) for r in db.query(f"SELECT * FROM [{table}] WHERE deleted = 0 ORDER BY id")]


def one_entry_per_task(db) -> bool:
    keys = [(e["task_id"], e["unit"]) for e in live(db, "entries")]
    return len(keys) == len(set(keys))


def work_on_first_entry(unit, tmp_path):
    """The town's own work: edits, a measure, a progress line with a link and a file."""
    entry = ledger.list_entries(unit)[0]
    ledger.update_entry(unit, entry["id"], {"status": "推进中", "leader": "张三", "note": "已部署"})
    ledger.set_measures(unit, entry["id"], ["制定方案"])
    progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "召开专题会议")
    from core.ledger import attachments

    attachments.add_link(unit, progress["id"], "https://www.example.gov.cn/zcjd/1.html", "解读页面")
    source = tmp_path / "会议纪要.pdf"
    source.write_bytes(b"%PDF-1.4 minutes")
    attachments.add_file(unit, unit.path, progress["id"], source)
    return entry


def test_docx_then_task_package_keeps_one_plan_and_the_county_receives_the_edits(offices, tmp_path):
    county, unit, doc = offices
    import_plan(unit, doc)
    before = ledger.list_entries(unit)
    entry = work_on_first_entry(unit, tmp_path)
    local_plan = live(unit, "plans")[0]["id"]

    result = unpack(unit, unit.path, [task_package(county, tmp_path)])
    detail = result["details"][0]
    assert detail["error"] is None and detail["result"] == "已导入"
    assert detail["adopted"] and detail["adopted"][0]["moved"] == len(before)
    assert [p["id"] for p in live(unit, "plans")] == [p["id"] for p in live(county, "plans")]
    assert {t["id"] for t in live(unit, "tasks")} == {t["id"] for t in live(county, "tasks")}
    after = ledger.list_entries(unit)
    assert len(after) == len(before) and one_entry_per_task(unit)
    mine = next(e for e in after if e["id"] == entry["id"])  # the same record, on the county's task
    assert (mine["status"], mine["leader"], mine["note"], mine["measures"]) == ("推进中", "张三", "已部署", ["制定方案"])
    assert mine["task_id"] in {t["id"] for t in live(county, "tasks")}
    assert [p["text"] for p in ledger.get_entry(unit, entry["id"])["progress"]] == ["召开专题会议"]
    assert unit.execute("SELECT count(*) FROM attachments WHERE deleted = 0").fetchone()[0] == 2
    assert unit.execute("SELECT count(*) FROM history WHERE table_name = 'entries' AND record_id = ? AND field = 'task_id'",
                        [entry["id"]]).fetchone()[0] == 1
    assert unit["plans"].get(local_plan)["deleted"] == 1
    assert [p["source"] for p in plans.list_plans(unit)] == ["任务包"]

    report = unpack(county, county.path, [_report(unit, tmp_path)])["details"][0]
    assert report["error"] is None and report["rejected"] == 0 and report["result"] == "已导入"
    stored = county["entries"].get(entry["id"])
    assert (stored["status"], stored["leader"], stored["unit"]) == ("推进中", "张三", UNIT)
    assert county.execute("SELECT count(*) FROM entries").fetchone()[0] == len(before)
    assert county.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2


def _report(unit, tmp_path, name="report.zwgk"):
    path = tmp_path / name
    pack(unit, unit.path, "report", path)
    return path


def test_task_package_then_docx_and_repeats_keep_one_plan(offices, tmp_path):
    county, unit, doc = offices
    package = task_package(county, tmp_path)
    unpack(unit, unit.path, [package])
    entries = ledger.list_entries(unit)
    again = import_plan(unit, doc)
    assert not again["created"] and (again["added"], again["changed"], again["removed"]) == (0, 0, 0)
    unpack(unit, unit.path, [package])
    assert len(live(unit, "plans")) == 1 and ledger.list_entries(unit) == entries and one_entry_per_task(unit)


def _doubled_ledger(offices, tmp_path, monkeypatch):
    """A unit ledger as the old program left it: the plan twice, the town's work spread over both."""
    county, unit, doc = offices
    import_plan(unit, doc)
    local_first = ledger.list_entries(unit)[0]
    ledger.update_entry(unit, local_first["id"], {"leader": "张三", "office": "办公室", "status": "推进中"})
    ledger.add_progress(unit, local_first["id"], "2024-06-01", "本地副本上的进展")
    with monkeypatch.context() as m:
        m.setattr(doubles, "adopt_received", lambda db, ids: [])
        unpack(unit, unit.path, [task_package(county, tmp_path)])
    assert len(live(unit, "plans")) == 2
    received = next(e for e in ledger.list_entries(unit) if e["seq"] == local_first["seq"] and e["id"] != local_first["id"])
    ledger.update_entry(unit, received["id"], {"leader": "李四", "handler": "王五"})
    ledger.add_progress(unit, received["id"], "2024-07-01", "任务包副本上的进展")
    return unit, local_first, received


def test_the_migration_heals_a_doubled_ledger_and_keeps_differences_as_a_conflict(offices, tmp_path, monkeypatch):
    unit, local_first, received = _doubled_ledger(offices, tmp_path, monkeypatch)
    entries_before = len(ledger.list_entries(unit))
    from core.storage.heals import m011_heal_double_plans

    with unit.atomic():
        m011_heal_double_plans(unit)
    assert len(live(unit, "plans")) == 1 and one_entry_per_task(unit)
    assert len(ledger.list_entries(unit)) == entries_before // 2
    merged = ledger.get_entry(unit, received["id"])
    assert sorted(p["text"] for p in merged["progress"]) == ["任务包副本上的进展", "本地副本上的进展"]
    assert (merged["office"], merged["handler"], merged["status"]) == ("办公室", "王五", "推进中")  # filled from each side
    assert merged["leader"] == "李四"  # the newer edit wins …
    conflicts = merge.list_conflicts(unit)
    assert len(conflicts) == 1 and conflicts[0]["fields"] == ["leader"] and conflicts[0]["lost"]["leader"] == "张三"
    merge.restore_conflict(unit, conflicts[0]["seq"])  # … and the user can choose the other
    assert ledger.get_entry(unit, received["id"])["leader"] == "张三"
    assert unit["entries"].get(local_first["id"])["deleted"] == 1
    with unit.atomic():
        assert doubles.heal(unit) == []  # healing twice changes nothing


def test_plans_drop_refuses_while_work_is_recorded_unless_forced(offices, tmp_path):
    county, unit, doc = offices
    import_plan(unit, doc)
    entry = ledger.list_entries(unit)[0]
    ledger.add_progress(unit, entry["id"], "2024-07-01", "进展")
    [plan] = plans.list_plans(unit)
    assert (plan["tasks"], plan["entries"], plan["source"]) == (4, 3, "file")
    with pytest.raises(UserError, match="--force"):
        plans.drop_plan(unit, plan["id"])
    assert plans.list_plans(unit) == [plan]
    renamed = plans.rename_plan(unit, plan["id"], "  2024年要点（城东）\x0b ")
    assert renamed["title"] == "2024年要点（城东）"
    result = plans.drop_plan(unit, plan["id"], force=True)
    assert result["entries"] == 3 and result["backup"] and json.dumps(result)
    assert plans.list_plans(unit) == [] and ledger.list_entries(unit) == []
    with pytest.raises(UserError, match="找不到"):
        plans.drop_plan(unit, plan["id"])
