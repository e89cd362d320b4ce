"""Storing plans: one transaction, idempotent re-import, revised plans."""

import json

from core.plan.plan_import import import_plan
from core.plan.reader import read_plan

L, U = "<", "^"
HEADER = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]


def _plan(build, path, rows):
    return build.docx(path, build.notice + [[HEADER] + rows])


def _live_tasks(db):
    return list(db["tasks"].rows_where("deleted = 0", order_by="position"))


def test_import_and_reimport_changes_nothing(db, samples):
    first = import_plan(db, samples / "boshan-2024-plan.docx")
    assert first["created"] and first["added"] == 67 and first["entries"]["skipped"]
    plan = db["plans"].get(first["plan_id"])
    assert plan["doc_no"] == "博政办字〔2024〕14号" and plan["issued"] == "2024-06-24"
    assert len(plan["source_sha256"]) == 64
    assert json.loads(plan["report_dates"])[0]["date"] == "2024-07-08"
    history = db["history"].count
    revs = [t["rev"] for t in _live_tasks(db)]
    second = import_plan(db, samples / "boshan-2024-plan.docx")
    assert not second["created"] and (second["added"], second["changed"], second["removed"]) == (0, 0, 0)
    assert second["unchanged"] == 67 and second["plan_changed"] == []
    assert db["history"].count == history and [t["rev"] for t in _live_tasks(db)] == revs
    assert db["plans"].count == 1


def test_revised_plan_reports_added_changed_removed(db, build, tmp_path):
    rows1 = [["1", "公开", "甲任务", "各镇", "长期坚持"], ["2", U, "乙任务", "各部门", ""], ["3", U, "丙任务", "县财政局", ""]]
    rows2 = [["1", "公开", "甲任务", "各镇、各部门", "长期坚持"], ["2", U, "乙任务", "各部门", ""], ["3", U, "丁任务", "县民政局", ""],
             ["4", U, "戊任务", "县教育局", ""]]
    import_plan(db, _plan(build, tmp_path / "v1.docx", rows1))
    report = import_plan(db, _plan(build, tmp_path / "v2.docx", rows2))
    assert not report["created"]
    assert report["details"] == {"added": ["4"], "changed": ["1", "3"], "removed": []}
    rows3 = [["1", "公开", "甲任务", "各镇、各部门", "长期坚持"]]
    report = import_plan(db, _plan(build, tmp_path / "v3.docx", rows3))
    assert report["details"]["removed"] == ["2", "3", "4"]
    assert [t["seq"] for t in _live_tasks(db)] == ["1"]
    assert db["tasks"].count_where("deleted = 1") == 3
    assert db["plans"].count == 1


def test_assignment_hook_runs_in_the_transaction(town_db, build, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("core.plan.plan_import.assign_entries", lambda database, plan_id: calls.append(plan_id) or {"created": 1})
    db = town_db
    report = import_plan(db, read_plan(_plan(build, tmp_path / "a.docx", [["1", "公开", "甲", "各镇", ""]])))
    assert calls == [report["plan_id"]] and report["entries"] == {"created": 1}


def test_failure_in_hook_rolls_back_everything(town_db, build, tmp_path, monkeypatch):
    from core.errors import UserError

    def boom(database, plan_id):
        raise UserError("测试失败。")

    monkeypatch.setattr("core.plan.plan_import.assign_entries", boom)
    db = town_db
    path = _plan(build, tmp_path / "a.docx", [["1", "公开", "甲", "各镇", ""]])
    try:
        import_plan(db, path)
    except UserError:
        pass
    assert db["plans"].count == 0 and db["tasks"].count == 0


def test_the_xlsx_of_an_imported_docx_plan_is_the_same_plan(town_db, samples):
    from core.plan.plan_import import import_plan

    first = import_plan(town_db, samples / "boshan-2024-plan.docx")
    second = import_plan(town_db, samples / "boshan-2024-tasks.xlsx")
    assert second["plan_id"] == first["plan_id"] and not second["created"]
    assert second["added"] == second["removed"] == 0
    plan = town_db["plans"].get(first["plan_id"])
    assert plan["doc_no"] == "博政办字〔2024〕14号"  # the .xlsx has none; the known one stays
    assert town_db.execute("SELECT count(*) FROM plans").fetchone()[0] == 1


def test_an_import_into_a_ledger_with_data_is_backed_up_first(town_db, samples):
    from core.storage.snapshots import list_backups
    from core.plan.plan_import import import_plan

    import_plan(town_db, samples / "boshan-2024-plan.docx")
    import_plan(town_db, samples / "boshan-2024-tasks.xlsx")
    path = town_db.execute("PRAGMA database_list").fetchone()[2]
    assert [b["reason"] for b in list_backups(path)].count("import") >= 1
