"""The county's roster: validation, import from .xlsx, task counts through core.units, 任务包 for all."""

import json
from datetime import date

import pytest
from openpyxl import Workbook

from core import records, settings
from core.county import roster
from core.errors import UserError
from core.exchange import packs
from core.units import match_units
from db.connection import open_db

COUNTY = "博山区人民政府办公室"
GROUP_TASKS = [
    ("1", "各镇人民政府"),
    ("2", "各镇（街道）"),
    ("3", "各镇办"),
    ("4", "各部门单位"),
    ("5", "县政府各部门"),
    ("6", "区司法局牵头，各行政执法主体和各镇（街道）具体落实"),
    ("7", "区教育和体育局、区卫生健康局"),
    ("8", "重大政策起草单位"),
]
ROSTER = [("城东街道", "街道", ["城东街道办事处"]), ("山头街道", "街道", []), ("池上镇", "镇", ["池上镇人民政府"]),
          ("域城镇", "镇", []), ("区司法局", "部门", ["博山区司法局"]), ("区教育和体育局", "部门", []), ("区财政局", "部门", [])]


def make_sheet(path, rows, header=("单位名称", "类型", "别名", "联系人", "联系电话")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def add_plan(db, tasks=GROUP_TASKS, year=2024, report_dates=()):
    with db.atomic():
        plan = records.insert(db, "plans", {"year": year, "title": f"{year}年政务公开工作要点", "issued": f"{year}-03-01",
                                            "report_dates": json.dumps(list(report_dates), ensure_ascii=False)})
        for position, (seq, units) in enumerate(tasks):
            records.insert(db, "tasks", {"plan_id": plan["id"], "position": position, "seq": seq, "category": '["任务"]',
                                         "requirement": f"第{seq}项", "units": units, "deadline": "2024年12月底前"})
    return plan


@pytest.fixture
def county(tmp_path):
    path = tmp_path / "county" / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, COUNTY, "县政府办公室", "汇总单位", county="博山区")
    db.path = path
    yield db
    db.conn.close()


def fill_roster(db):
    for name, kind, aliases in ROSTER:
        roster.add_unit(db, name, kind, aliases)


def test_add_validates_and_updates_in_place(county):
    roster.add_unit(county, "城东街道", "街道", ["城东街道办事处"], "王敏", "0533-4180001")
    roster.add_unit(county, "城东街道", "街道", ["城东办"])
    units = roster.list_units(county)
    assert [(u["name"], u["aliases"], u["contact"]) for u in units] == [("城东街道", ["城东办"], "")]
    with pytest.raises(UserError, match="类型“乡”无效"):
        roster.add_unit(county, "某某乡", "乡")
    with pytest.raises(UserError, match="单位名称为空"):
        roster.add_unit(county, "  ", "镇")
    with pytest.raises(UserError, match="本单位"):
        roster.add_unit(county, COUNTY, "部门")


def test_a_unit_cannot_keep_a_roster(town_db):
    with pytest.raises(UserError, match="只有汇总单位"):
        roster.add_unit(town_db, "山头街道", "街道")


def test_import_refuses_a_bad_row_with_its_number_and_changes_nothing(county, tmp_path):
    good = make_sheet(tmp_path / "good.xlsx", [("城东街道", "街道", "城东街道办事处、城东办", "王敏", "0533-1234567"),
                                               ("池上镇", "镇", None, None, None), (None, None, None, None, None),
                                               ("区司法局", "部门", "", "", "")])
    assert roster.import_units(county, good) == {"added": 3, "updated": 0, "unchanged": 0, "rows": 3}
    assert roster.list_units(county)[1]["aliases"] == ["城东街道办事处", "城东办"]
    bad = make_sheet(tmp_path / "bad.xlsx", [("山头街道", "街道"), ("域城镇", "乡镇"), ("区财政局", "部门")])
    with pytest.raises(UserError, match="第3行：单位“域城镇”的类型“乡镇”无效"):
        roster.import_units(county, bad)
    dup = make_sheet(tmp_path / "dup.xlsx", [("山头街道", "街道"), ("山头街道", "街道")])
    with pytest.raises(UserError, match="第3行.*与第2行重复"):
        roster.import_units(county, dup)
    phone = make_sheet(tmp_path / "phone.xlsx", [("山头街道", "街道", "", "", "请问王主任")])
    with pytest.raises(UserError, match="第2行.*联系电话"):
        roster.import_units(county, phone)
    assert [u["name"] for u in roster.list_units(county)] == ["区司法局", "城东街道", "池上镇"]


def test_import_refuses_files_that_are_not_rosters(county, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UserError, match="已损坏"):
        roster.import_units(county, tmp_path / "x.xlsx")
    with pytest.raises(UserError, match="标题行"):
        roster.import_units(county, make_sheet(tmp_path / "h.xlsx", [("a", "b")], header=("姓名", "年龄")))
    with pytest.raises(UserError, match=r"不是 \.xlsx"):
        roster.import_units(county, tmp_path / "x.csv") if (tmp_path / "x.csv").write_text("a") else None


def test_groups_expand_to_the_roster_by_the_same_matching_as_a_unit_uses(county):
    add_plan(county)
    fill_roster(county)
    counts = roster.task_counts(county)
    for unit in roster.list_units(county):
        profile = roster.unit_profile(unit, "博山区")
        expected = sum(match_units(text, profile).applies for _, text in GROUP_TASKS)
        maybe = sum((not m.applies) and m.maybe for m in (match_units(t, profile) for _, t in GROUP_TASKS))
        assert counts[unit["name"]] == {"tasks": expected, "maybe": maybe}
    # Towns: 各镇人民政府, 各镇（街道）, 各镇办, the 执法主体 clause; streets lack 各镇人民政府.
    assert counts["池上镇"]["tasks"] == 4 and counts["城东街道"]["tasks"] == 3
    # Departments: 各部门单位, 县政府各部门; 区司法局 also leads task 6; 区教育和体育局 named in 7.
    assert counts["区财政局"]["tasks"] == 2 and counts["区司法局"]["tasks"] == 3 and counts["区教育和体育局"]["tasks"] == 3
    assert counts["区财政局"]["maybe"] >= 1  # 重大政策起草单位 may be it


def test_named_departments_are_offered_from_the_plan(county):
    add_plan(county)
    roster.add_unit(county, "区教育和体育局", "部门")
    offered = {u["name"]: u for u in roster.suggest_units(county)}
    assert "区卫生健康局" in offered and offered["区卫生健康局"]["kind"] == "部门"
    assert "区司法局" in offered and "区教育和体育局" not in offered
    assert not any(n.startswith("各") for n in offered)


def test_pack_all_writes_one_named_package_per_unit_with_tasks(county, tmp_path):
    add_plan(county, tasks=[("1", "各镇（街道）"), ("2", "区司法局")])
    for name, kind in (("城东街道", "街道"), ("池上镇", "镇"), ("区财政局", "部门"), ("CON", "部门"), ("区司法局", "部门")):
        roster.add_unit(county, name, kind)
    roster.add_unit(county, "区/县:审批*局", "部门")
    out = tmp_path / "packs"
    results = packs.pack_all(county, county.path, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["城东街道-任务包.zwgk", "池上镇-任务包.zwgk", "区司法局-任务包.zwgk"])
    assert {r["unit"] for r in results} == {"城东街道", "池上镇", "区司法局"}
    assert packs.pack_file_name("CON") == "CON-任务包.zwgk" and packs.pack_file_name("CON.") != "CON.zwgk"
    assert packs.pack_file_name("区/县:审批*局") == "区_县_审批_局-任务包.zwgk"
    rows = {r["name"]: r for r in roster.unit_rows(county)}
    assert rows["城东街道"]["task_pack"] == date.today().isoformat() and rows["区财政局"]["task_pack"] is None


def test_late_is_against_the_plan_report_date(county, tmp_path):
    add_plan(county, tasks=[("1", "各镇（街道）")], report_dates=[{"what": "工作台账", "date": "2024-05-31"},
                                                                   {"what": "政府开放活动计划", "date": "2024-07-08"}])
    roster.add_unit(county, "城东街道", "街道")
    roster.add_unit(county, "区财政局", "部门")
    before = {r["name"]: r for r in roster.unit_rows(county, today=date(2024, 5, 31))}
    after = {r["name"]: r for r in roster.unit_rows(county, today=date(2024, 6, 1))}
    assert before["城东街道"]["late"] is False and after["城东街道"]["late"] is True
    assert after["城东街道"]["report_due"] == "2024-05-31"
    assert after["区财政局"]["late"] is False  # no task for it: nothing expected


def test_report_status_overdue_matches_the_ledger(county, tmp_path):
    """The SQL aggregate's overdue count is the ledger's (due dates per task, events, overrides)."""
    from core import ledger
    from tests.ledger_fixtures import TASKS, make_entry, make_plan, make_task

    plan = make_plan(county)
    for unit in ("城东街道", "池上镇"):
        for position, (seq, cat, req, deadline) in enumerate(TASKS):
            task = county.execute("SELECT id FROM tasks WHERE seq = ?", [seq]).fetchone()
            task_id = task[0] if task else make_task(county, plan["id"], seq, cat, req, deadline, position)["id"]
            fields = {"status": "已完成"} if (unit, seq) == ("池上镇", "5") else {}
            if (unit, seq) == ("城东街道", "3"):
                fields = {"due_override": "2024-02-01"}
            entry = make_entry(county, task_id, unit=unit, **fields)
            if seq == "1" and unit == "城东街道":
                records.insert(county, "events", {"entry_id": entry["id"], "date": "2024-08-01"})
    for today in (date(2024, 3, 1), date(2024, 8, 20), date(2025, 3, 1)):
        expected = {}
        for e in ledger.list_entries(county, today=today):
            expected[e["unit"]] = expected.get(e["unit"], 0) + e["overdue"]
        got = {s["unit"]: s["overdue"] for s in roster.report_status(county, today=today) if s["entries"]}
        assert got == expected, today
