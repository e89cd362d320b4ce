import json

import pytest

from core import ledger, records, settings
from core.errors import UserError
from core.exchange import merge
from core.exchange.packs import pack, unpack
from core.county.roster import report_status as unit_states
from core.exchange import package_format as fmt
from core.exchange import signing
from tests.core.exchange.conftest import OTHER, UNIT, counts, rewrite_zip


def issue(county, unit, tmp_path, name=UNIT):
    """County packs a 任务包 for `name`; the unit imports it."""
    path = tmp_path / f"task-{name}.zwgk"
    pack(county, county.path, "task", path, unit=name)
    report = unpack(unit, unit.path, [path])
    assert report["refused"] == 0, report
    return report


def report_from(unit, tmp_path, name="report.zwgk"):
    path = tmp_path / name
    pack(unit, unit.path, "report", path)
    return path


def test_task_package_installs_plan_tasks_key_and_entries(county, unit, tmp_path):
    report = issue(county, unit, tmp_path)
    assert report["new"] == 4  # one plan, three tasks
    assert unit.execute("SELECT count(*) FROM tasks").fetchone()[0] == 3
    assert signing.pinned_county(unit)["public_key"] == signing.own_public_key(county)
    entries = ledger.list_entries(unit)
    assert sorted(e["seq"] for e in entries) == ["1", "2"]  # tasks naming 各镇（街道）
    assert report["details"][0]["assignment"]["created"] == 2
    assert settings.get(unit, "exchange.county") == county.execute("SELECT json_extract(value,'$.name') FROM settings WHERE key='profile'").fetchone()[0]


def test_report_round_trip_updates_the_county_and_a_second_import_changes_nothing(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    with unit.atomic():
        records.update(unit, "entries", entry["id"], {"status": "推进中", "leader": "张三"})
    ledger.add_progress(unit, entry["id"], "2024-07-01", "召开专题会议")
    ledger.set_measures(unit, entry["id"], ["制定方案", "组织解读"])
    path = report_from(unit, tmp_path)
    first = unpack(county, county.path, [path])
    assert first["new"] == 2 + 1 + 2 and first["rejected"] == 0 and first["conflicts"] == 0
    stored = county["entries"].get(entry["id"])
    assert stored["status"] == "推进中" and stored["leader"] == "张三" and stored["unit"] == UNIT
    before = counts(county)
    again = unpack(county, county.path, [path])
    assert again["new"] == again["updated"] == again["conflicts"] == 0 and again["unchanged"] == 5
    assert counts(county) == before
    state = {s["unit"]: s for s in unit_states(county)}[UNIT]
    assert state["entries"] == 2 and state["reports"] == 1 and state["last_report"] and state["has_key"]


def test_later_report_updates_without_conflict(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    unpack(county, county.path, [report_from(unit, tmp_path, "r1.zwgk")])
    with unit.atomic():
        records.update(unit, "entries", entry["id"], {"status": "已完成", "completed_on": "2024-08-01"})
    second = unpack(county, county.path, [report_from(unit, tmp_path, "r2.zwgk")])
    assert second["updated"] == 1 and second["conflicts"] == 0
    assert {s["unit"]: s for s in unit_states(county)}[UNIT]["done"] == 1


def test_county_edit_and_unit_edit_make_a_conflict_that_can_be_restored(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    unpack(county, county.path, [report_from(unit, tmp_path, "r1.zwgk")])
    with county.atomic():
        records.update(county, "entries", entry["id"], {"note": "县里备注"})
    with unit.atomic():
        records.update(unit, "entries", entry["id"], {"note": "单位备注", "office": "党政办"})
        records.update(unit, "entries", entry["id"], {"handler": "李四"})
    result = unpack(county, county.path, [report_from(unit, tmp_path, "r2.zwgk")])
    assert result["conflicts"] == 1
    assert county["entries"].get(entry["id"])["note"] == "单位备注"  # rev 3 beats rev 2
    [conflict] = merge.list_conflicts(county)
    assert conflict["lost"]["note"] == "县里备注" and conflict["kept"]["note"] == "单位备注"
    assert "note" in conflict["fields"]
    merge.restore_conflict(county, conflict["seq"])
    restored = county["entries"].get(entry["id"])
    assert restored["note"] == "县里备注" and restored["rev"] == 4
    assert merge.list_conflicts(county) == []
    with pytest.raises(UserError, match="已处理过"):
        merge.restore_conflict(county, conflict["seq"])


def test_report_signed_with_another_units_key_is_refused(county, unit, other_unit, tmp_path):
    issue(county, unit, tmp_path)
    issue(county, other_unit, tmp_path, OTHER)
    path = report_from(unit, tmp_path)

    def claim_other(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["sender"] = OTHER
            data = json.dumps(manifest, ensure_ascii=False).encode()
        return [(name, data)]

    forged = rewrite_zip(path, tmp_path / "forged.zwgk", claim_other)
    before = counts(county)
    result = unpack(county, county.path, [forged])
    assert result["refused"] == 1 and "签名核验失败" in result["details"][0]["error"]
    assert counts(county) == before


def test_altered_and_unsigned_reports_are_refused(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    path = report_from(unit, tmp_path)

    def resign(change_manifest):
        def change(name, data):
            if name == "manifest.json":
                manifest = json.loads(data)
                change_manifest(manifest)
                data = json.dumps(manifest, ensure_ascii=False).encode()
            return [(name, data)]
        return change

    unsigned = rewrite_zip(path, tmp_path / "unsigned.zwgk", resign(lambda m: m.update(signature=None)))
    altered = rewrite_zip(path, tmp_path / "altered.zwgk", resign(lambda m: m.update(created_at="2030-01-01")))
    before = counts(county)
    result = unpack(county, county.path, [unsigned, altered])
    assert [("没有签名" in d["error"], "签名核验失败" in d["error"]) for d in result["details"]] == [(True, False), (False, True)]
    assert counts(county) == before


def test_report_from_a_unit_without_a_key_is_refused(county, unit, tmp_path):
    settings.put(unit, "exchange.county", "博山区政府办公室")  # as if it had a 任务包 from another county
    path = report_from(unit, tmp_path)
    result = unpack(county, county.path, [path])
    assert "没有向“城东街道”发放过任务包" in result["details"][0]["error"]


def test_a_report_may_not_change_what_its_sender_does_not_own(county, unit, other_unit, tmp_path):
    issue(county, unit, tmp_path)
    issue(county, other_unit, tmp_path, OTHER)
    unpack(county, county.path, [report_from(other_unit, tmp_path, "other.zwgk")])
    other_entry = ledger.list_entries(other_unit)[0]
    path = report_from(unit, tmp_path)
    pkg = fmt.read_package(path)
    task = dict(county["tasks"].get(county.plan["tasks"][0]))
    task.update(requirement="被改掉的要求", rev=9)
    stolen = dict(county["entries"].get(other_entry["id"]))
    stolen.update(status="已完成", rev=9)
    progress = {"id": "p-x", "entry_id": other_entry["id"], "date": "2024-07-01", "text": "冒名", "duty": "",
                "rev": 1, "updated_at": "2024-07-01T00:00:00+00:00", "updated_by": UNIT, "device": "x", "deleted": 0}
    tables = dict(pkg.tables, tasks=[task], progress=pkg.tables["progress"] + [progress])
    tables["entries"] = pkg.tables["entries"] + [stolen]
    forged = tmp_path / "forged.zwgk"
    fmt.write_package(forged, "report", UNIT, pkg.recipient, "2024-07-02T00:00:00+00:00", {"tables": tables}, None, {},
                      signing.signer(unit))
    result = unpack(county, county.path, [forged])
    assert result["rejected"] == 3
    reasons = " ".join(i["reason"] for i in result["details"][0]["items"])
    assert "报送包不能修改方案和任务" in reasons and "山头街道" in reasons
    assert county["tasks"].get(task["id"])["requirement"] != "被改掉的要求"
    assert county["entries"].get(other_entry["id"])["status"] != "已完成"
    assert county.execute("SELECT count(*) FROM progress WHERE id = 'p-x'").fetchone()[0] == 0


def test_deletion_travels_and_a_later_edit_wins(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "第一次")
    unpack(county, county.path, [report_from(unit, tmp_path, "r1.zwgk")])
    with unit.atomic():
        records.delete(unit, "progress", progress["id"])
    unpack(county, county.path, [report_from(unit, tmp_path, "r2.zwgk")])
    assert county["progress"].get(progress["id"])["deleted"] == 1
    with unit.atomic():
        records.update(unit, "progress", progress["id"], {"deleted": 0, "text": "恢复后修改"})
    unpack(county, county.path, [report_from(unit, tmp_path, "r3.zwgk")])
    row = county["progress"].get(progress["id"])
    assert row["deleted"] == 0 and row["text"] == "恢复后修改"
    # the older tombstone arriving late changes nothing
    again = unpack(county, county.path, [tmp_path / "r2.zwgk"])
    assert again["updated"] == 0 and county["progress"].get(progress["id"])["deleted"] == 0


def test_dry_run_reports_but_changes_nothing(county, unit, tmp_path):
    task_path = tmp_path / "t.zwgk"
    pack(county, county.path, "task", task_path, unit=UNIT)
    before = counts(unit)
    result = unpack(unit, unit.path, [task_path], dry_run=True)
    assert result["new"] == 4 and result["dry_run"]
    assert counts(unit) == before


def test_attachments_travel_with_the_report(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "发布解读")
    folder = unit.path.parent / "ledger-attachments"
    folder.mkdir()
    (folder / "abcd1234-解读.png").write_bytes(b"\x89PNG data")
    import hashlib
    with unit.atomic():
        records.insert(unit, "attachments", {"progress_id": progress["id"], "kind": "file", "name": "解读.png",
                                             "stored_name": "abcd1234-解读.png", "sha256": hashlib.sha256(b"\x89PNG data").hexdigest(), "size": 9})
    result = unpack(county, county.path, [report_from(unit, tmp_path)])
    assert result["refused"] == 0
    assert (county.path.parent / "ledger-attachments" / "abcd1234-解读.png").read_bytes() == b"\x89PNG data"


def test_wrong_roles_and_recipients_are_refused(county, unit, other_unit, tmp_path):
    path = tmp_path / "t.zwgk"
    pack(county, county.path, "task", path, unit=UNIT)
    assert "发给“城东街道”的" in unpack(other_unit, other_unit.path, [path])["details"][0]["error"]
    assert "自己导出" in unpack(county, county.path, [path])["details"][0]["error"]
    with pytest.raises(UserError, match="只有汇总单位"):
        pack(unit, unit.path, "task", tmp_path / "x.zwgk", unit=OTHER)
    with pytest.raises(UserError, match="先导入任务包"):
        pack(unit, unit.path, "report", tmp_path / "x.zwgk")
    with pytest.raises(UserError, match="--unit"):
        pack(county, county.path, "task", tmp_path / "x.zwgk")
    with pytest.raises(UserError, match="没有找到要导入的数据包"):
        (tmp_path / "empty").mkdir()
        unpack(county, county.path, [tmp_path / "empty"])
    assert "找不到数据包" in unpack(county, county.path, [tmp_path / "missing.zwgk"])["details"][0]["error"]
