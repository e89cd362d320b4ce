"""Building this office's ledger entries from a plan's tasks, and adding/dropping tasks by hand.

Selection of an entry: 'auto' (the task's 责任单位 names this office or a group including it),
'added' (added by hand) or 'dropped' (dropped by hand; the row stays so re-imports respect it).
Both functions run inside the caller's transaction (db.atomic() nests as a savepoint).
"""

from core import records, settings
from core.errors import UserError
from core.ledger.due import refresh_due
from core.units import match_units
from core.vocab import COUNTY_OFFICE


def assign_entries(db, plan_id: str) -> dict:
    """Create, revive or tombstone this office's entries for every task of the plan; return a report.

    Report: {"unit", "year", "skipped", "message", "created": [seq], "updated": [seq],
    "removed": [seq], "kept": [{"seq", "reason"}], "manual": [seq], "maybe": [{"seq", "role", "reason"}]}.
    """
    profile = _profile(db)
    report = {"unit": profile["name"], "year": None, "skipped": False, "message": "",
              "created": [], "updated": [], "removed": [], "kept": [], "manual": [], "maybe": []}
    if profile.get("role") == COUNTY_OFFICE:
        report["skipped"] = True
        report["message"] = "本单位是汇总单位，不建立本单位的任务台账；各单位台账通过数据包汇总。"
        return report
    plan = db.execute("SELECT year, issued FROM plans WHERE id = ?", [plan_id]).fetchone()
    if plan is None:
        raise UserError("找不到要分配的工作方案，请先导入方案。")
    year = plan_year(plan[0], plan[1])
    report["year"] = year
    with db.atomic():
        for task in db["tasks"].rows_where("plan_id = ?", [plan_id], order_by="position"):
            _assign_task(db, task, profile, year, report)
        refresh_due(db)  # the entries just created or revived
    report["message"] = _summary(report)
    return report


def plan_year(year, issued) -> int:
    """A plan's year: its own, else the year it was issued."""
    if year:
        return int(year)
    if issued:
        return int(str(issued)[:4])
    raise UserError("工作方案没有年份，请在方案信息中填写年份后再分配任务。")


def _assign_task(db, task: dict, profile: dict, year: int, report: dict) -> None:
    entry = _entry(db, task["id"], profile["name"])
    seq = task["seq"]
    if entry and entry["selection"] in ("added", "dropped"):
        report["manual"].append(seq)
        return
    match = match_units(task["units"], profile) if not task["deleted"] else None
    if match and match.applies:
        fields = {"role": match.role, "reason": match.reason, "year": year}
        if entry is None:
            records.insert(db, "entries", {"task_id": task["id"], "unit": profile["name"], "selection": "auto",
                                           **fields})
            report["created"].append(seq)
        elif records.update(db, "entries", entry["id"], {**fields, "deleted": 0, "selection": "auto"}):
            report["updated"].append(seq)
        return
    if match and match.maybe and (entry is None or entry["deleted"]):
        report["maybe"].append({"seq": seq, "role": match.role, "reason": match.reason})
    if entry is None or entry["deleted"]:
        return
    if has_work(db, entry["id"]):
        why = "任务已从方案中删除" if task["deleted"] else "任务已不再涉及本单位"
        report["kept"].append({"seq": seq, "reason": f"{why}，但已有工作举措或完成情况，条目保留，请核对"})
    else:
        records.delete(db, "entries", entry["id"])
        report["removed"].append(seq)


def has_work(db, entry_id: str) -> bool:
    """Whether an entry has measures, progress or events recorded."""
    for table in ("measures", "progress", "events"):
        row = db.execute(f"SELECT 1 FROM {table} WHERE entry_id = ? AND deleted = 0 LIMIT 1", [entry_id]).fetchone()
        if row:
            return True
    return False


def set_selection(db, task_id: str, selected: bool) -> dict:
    """Add (selected=True) or drop (False) one task for this office by hand; return the entry."""
    profile = _profile(db)
    task = db.execute("SELECT t.id, t.units, t.deleted, p.year, p.issued FROM tasks t "
                      "LEFT JOIN plans p ON p.id = t.plan_id WHERE t.id = ?", [task_id]).fetchone()
    if task is None or task[2]:
        raise UserError("找不到这项任务（可能已从方案中删除），请刷新后重试。")
    with db.atomic():
        entry = _select(db, task_id, selected, profile, task)
        refresh_due(db, task_ids=[task_id])
        return entry


def _select(db, task_id: str, selected: bool, profile: dict, task) -> dict:
    """Create, revive or drop the entry of one task (set_selection's work, in its transaction)."""
    entry = _entry(db, task_id, profile["name"])
    if selected:
        match = match_units(task[1], profile)
        fields = {"selection": "added", "deleted": 0,
                  "role": match.role or "责任", "reason": "手工添加" + (f"（{match.reason}）" if match.reason else "")}
        if entry is None:
            return records.insert(db, "entries", {"task_id": task_id, "unit": profile["name"],
                                                  "year": plan_year(task[3], task[4]), **fields})
        if entry["selection"] == "auto" and not entry["deleted"]:
            return entry  # already in the ledger
        records.update(db, "entries", entry["id"], fields)
    else:
        if entry is None:
            return records.insert(db, "entries", {"task_id": task_id, "unit": profile["name"],
                                                  "year": plan_year(task[3], task[4]), "selection": "dropped",
                                                  "reason": "手工移除"})
        records.update(db, "entries", entry["id"], {"selection": "dropped"})
    return db["entries"].get(entry["id"])


def _entry(db, task_id: str, unit: str):
    rows = list(db["entries"].rows_where("task_id = ? AND unit = ?", [task_id, unit]))
    return rows[0] if rows else None


def _profile(db) -> dict:
    profile = settings.profile(db)
    if not profile:
        raise UserError("尚未设置本单位信息：请先运行 profile set 或在窗口中填写本单位名称和类型。")
    return profile


def _summary(report: dict) -> str:
    parts = [f"新增 {len(report['created'])} 项", f"更新 {len(report['updated'])} 项", f"移除 {len(report['removed'])} 项"]
    if report["kept"]:
        parts.append(f"保留 {len(report['kept'])} 项已不涉及但有记录的任务")
    if report["manual"]:
        parts.append(f"{len(report['manual'])} 项按手工选择保持不变")
    if report["maybe"]:
        parts.append(f"{len(report['maybe'])} 项可能涉及本单位，请确认")
    return f"{report['unit']}的台账：" + "，".join(parts) + "。"


def plan_choices(db, plan_id: str) -> list[dict]:
    """Every live task of a plan with what the matching says and whether it is in this office's ledger.

    Each: {"task_id", "seq", "category", "requirement", "units", "applies", "maybe", "role",
    "reason", "selection" (auto|added|dropped|None), "in_ledger"}.
    """
    import json

    profile = _profile(db)
    entries = {
        row["task_id"]: row
        for row in db.query("SELECT task_id, selection, deleted FROM entries WHERE unit = ?", [profile["name"]])
    }
    choices = []
    for task in db["tasks"].rows_where("plan_id = ? AND deleted = 0", [plan_id], order_by="position"):
        match = match_units(task["units"], profile)
        entry = entries.get(task["id"])
        live = entry is not None and not entry["deleted"]
        selection = entry["selection"] if live else None
        choices.append({
            "task_id": task["id"], "seq": task["seq"], "category": json.loads(task["category"]),
            "requirement": task["requirement"], "units": task["units"],
            "applies": match.applies, "maybe": match.maybe, "role": match.role, "reason": match.reason,
            "selection": selection, "in_ledger": live and selection != "dropped",
        })
    return choices


def find_task(db, seq: str, year: int | None = None) -> dict:
    """The live task numbered `seq` in the newest plan (of `year` if given); UserError if none or ambiguous."""
    params, where = [seq], "t.seq = ? AND t.deleted = 0 AND p.deleted = 0"
    if year:
        where += " AND p.year = ?"
        params.append(int(year))
    rows = list(db.query(
        f"SELECT t.id, t.plan_id, t.seq, p.year FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE {where} "
        "ORDER BY p.year DESC, p.updated_at DESC", params))
    if not rows:
        raise UserError(f"找不到序号为 {seq} 的任务。请先导入方案，或用 --year 指定方案年度。")
    newest = [r for r in rows if r["plan_id"] == rows[0]["plan_id"]]
    if len(newest) > 1:
        raise UserError(f"方案中有 {len(newest)} 项任务的序号都是 {seq}，无法确定是哪一项。请在窗口的“选择本单位任务”中勾选。")
    return newest[0]
