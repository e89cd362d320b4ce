"""Property tests: the same plan and packages arriving in any order, with repeats, give one ledger.

County side: N units' 报送包 (an early and a later one each) imported in any order, with repeats,
interleaved with the county importing the plan file again: the final ledger is always the same,
holds exactly one entry per (unit, task), and no attachment record points outside the folder.
Unit side: the 任务包 and the plan file imported in any order, with repeats: one plan, one entry
per task, the same tasks and entries whatever the order.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from core import ledger, settings
from core.ledger import attachments
from core.exchange.packs import pack, unpack
from core.plan.plan_import import import_plan
from db.connection import open_db
from db.schema import SYNCED_TABLES
from tests.core.exchange.plan_docs import plan_docx

COUNTY = "测试县人民政府办公室"
UNITS = ("城东街道", "城西街道", "山头镇")
# How each unit received the plan: its own .docx first, the 任务包 only, or the 任务包 then the .docx.
HOW = ("docx-first", "package-only", "package-then-docx")


def _open(path, name, kind, role):
    db = open_db(path)
    settings.set_profile(db, name, kind, role, county="测试县")
    db.path = path
    return db


def _unit_work(unit, index, folder: Path, round_: int):
    """Some work on the unit's entries: edits, progress, a file and a link."""
    entries = ledger.list_entries(unit)
    entry = entries[round_ % len(entries)]
    ledger.update_entry(unit, entry["id"], {"status": "推进中" if round_ == 0 else "已完成", "leader": f"领导{index}{round_}"})
    progress = ledger.add_progress(unit, entry["id"], f"2024-0{6 + round_}-01", f"第{round_ + 1}次进展（{UNITS[index]}）")
    source = folder / f"证据{index}{round_}.pdf"
    source.write_bytes(f"%PDF {index} {round_}".encode())
    attachments.add_file(unit, unit.path, progress["id"], source)
    attachments.add_link(unit, progress["id"], f"https://www.example.gov.cn/{index}/{round_}.html")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The county's database after issuing every 任务包, and each unit's two 报送包."""
    root = tmp_path_factory.mktemp("world")
    doc = plan_docx(root / "要点.docx")
    county = _open(root / "county" / "ledger.sqlite3", COUNTY, "县政府办公室", "汇总单位")
    import_plan(county, doc)
    reports = []
    for index, (name, how) in enumerate(zip(UNITS, HOW)):
        unit = _open(root / name / "ledger.sqlite3", name, "街道" if "街道" in name else "镇", "填报单位")
        task = root / f"task-{index}.zwgk"
        pack(county, county.path, "task", task, unit=name)
        if how == "docx-first":
            import_plan(unit, doc)
        assert unpack(unit, unit.path, [task])["refused"] == 0
        if how == "package-then-docx":
            import_plan(unit, doc)
        for round_ in (0, 1):
            _unit_work(unit, index, root, round_)
            path = root / f"report-{index}-{round_}.zwgk"
            pack(unit, unit.path, "report", path)
            reports.append(path)
        unit.conn.close()
    template = root / "county-template.sqlite3"
    target = sqlite3.connect(template)
    county.conn.backup(target)
    target.close()
    county.conn.close()
    return {"doc": doc, "template": template, "reports": reports, "root": root}


def _county_copy(world):
    folder = Path(tempfile.mkdtemp(dir=world["root"]))
    path = folder / "ledger.sqlite3"
    shutil.copyfile(world["template"], path)
    db = open_db(path)
    db.path = path
    return db


def _content(db) -> dict:
    return {t: sorted(tuple(r) for r in db.execute(f"SELECT * FROM [{t}]")) for t in (*SYNCED_TABLES, "conflicts")}


def _check_invariants(db):
    keys = db.execute("SELECT task_id, unit, count(*) FROM entries WHERE deleted = 0 GROUP BY task_id, unit HAVING count(*) > 1").fetchall()
    assert keys == []
    assert db.execute("SELECT count(*) FROM entries WHERE task_id NOT IN (SELECT id FROM tasks)").fetchone()[0] == 0
    folder = attachments.folder(db.path).resolve()
    for (name,) in db.execute("SELECT stored_name FROM attachments WHERE kind = 'file'"):
        assert (folder / name).resolve().parent == folder and (folder / name).is_file()
    for (url,) in db.execute("SELECT url FROM attachments WHERE kind = 'link'"):
        assert url.startswith("https://")


@pytest.fixture(scope="module")
def expected(world):
    db = _county_copy(world)
    result = unpack(db, db.path, world["reports"])
    assert result["refused"] == 0 and result["rejected"] == 0 and result["conflicts"] == 0, result
    _check_invariants(db)
    assert db.execute("SELECT count(DISTINCT unit) FROM entries").fetchone()[0] == len(UNITS)
    content = _content(db)
    db.conn.close()
    return content


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(6)), repeats=st.lists(st.integers(0, 5), max_size=4),
       plan_imports=st.lists(st.integers(0, 9), max_size=2), batch=st.booleans())
def test_reports_in_any_order_with_repeats_give_the_same_county_ledger(world, expected, order, repeats, plan_imports, batch):
    db = _county_copy(world)
    steps = [world["reports"][i] for i in list(order) + repeats]
    for at in sorted(plan_imports, reverse=True):
        steps.insert(min(at, len(steps)), "docx")
    if batch and "docx" not in steps:
        result = unpack(db, db.path, steps)
        assert result["refused"] == 0 and result["rejected"] == 0
    else:
        for step in steps:
            if step == "docx":
                import_plan(db, world["doc"])
            else:
                detail = unpack(db, db.path, [step])["details"][0]
                assert detail["error"] is None and detail["rejected"] == 0 and detail["conflicts"] == 0
    _check_invariants(db)
    assert _content(db) == expected
    db.conn.close()


def _unit_projection(db) -> dict:
    tasks = {r[0]: r[1] for r in db.execute("SELECT id, seq FROM tasks WHERE deleted = 0")}
    return {
        "plans": sorted(r[0] for r in db.execute("SELECT id FROM plans WHERE deleted = 0")),
        "tasks": sorted(tasks),
        "entries": sorted((tasks.get(e["task_id"]), e["task_id"], e["role"], e["selection"], e["status"], e["leader"])
                          for e in ledger.list_entries(db)),
        "progress": sorted(r[0] for r in db.execute("SELECT text FROM progress WHERE deleted = 0")),
    }


@hsettings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(["task", "docx", "work"]), min_size=1, max_size=6).filter(lambda s: "task" in s))
def test_task_package_and_plan_file_in_any_order_give_one_plan(world, steps):
    folder = Path(tempfile.mkdtemp(dir=world["root"]))
    unit = _open(folder / "ledger.sqlite3", UNITS[0], "街道", "填报单位")
    county = _county_copy(world)
    task = folder / "task.zwgk"
    pack(county, county.path, "task", task, unit=UNITS[0])
    county_tasks = sorted(r[0] for r in county.execute("SELECT id FROM tasks WHERE deleted = 0"))
    for step in steps + ["task"]:
        if step == "task":
            assert unpack(unit, unit.path, [task])["refused"] == 0
        elif step == "docx":
            import_plan(unit, world["doc"])
        elif ledger.list_entries(unit):
            entry = ledger.list_entries(unit)[0]
            ledger.update_entry(unit, entry["id"], {"leader": "张三"})
            ledger.add_progress(unit, entry["id"], "2024-07-01", f"进展{len(steps)}")
    view = _unit_projection(unit)
    assert view["tasks"] == county_tasks and len(view["plans"]) == 1
    assert len({e[1] for e in view["entries"]}) == len(view["entries"]) == 3
    worked = any(s == "work" and {"task", "docx"} & set(steps[:i]) for i, s in enumerate(steps))
    assert sum(e[5] == "张三" for e in view["entries"]) == (1 if worked else 0)
    report = folder / "report.zwgk"
    pack(unit, unit.path, "report", report)
    assert unpack(county, county.path, [report])["details"][0]["rejected"] == 0
    unit.conn.close()
    county.conn.close()
