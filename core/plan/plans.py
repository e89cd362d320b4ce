"""The plans held in the ledger: list them, rename one, drop one (see ../shared/CLI.md "Plans")."""

from core import records
from core.errors import UserError


def list_plans(db) -> list[dict]:
    """Every live plan: id, title, year, doc_no, issuer, source ("file" / "任务包"), tasks, entries, progress."""
    from core.plan.doubles import is_local

    out = []
    for plan in db.query("SELECT * FROM plans WHERE deleted = 0 ORDER BY year DESC, updated_at DESC, id"):
        tasks, entries, progress = db.execute(
            "SELECT count(DISTINCT t.id), count(DISTINCT e.id), count(DISTINCT p.id) FROM tasks t"
            " LEFT JOIN entries e ON e.task_id = t.id AND e.deleted = 0"
            " LEFT JOIN progress p ON p.entry_id = e.id AND p.deleted = 0"
            " WHERE t.plan_id = ? AND t.deleted = 0", [plan["id"]]).fetchone()
        out.append({"id": plan["id"], "title": plan["title"], "year": plan["year"], "doc_no": plan["doc_no"],
                    "issuer": plan["issuer"], "source": "file" if is_local(db, plan) else "任务包",
                    "tasks": tasks, "entries": entries, "progress": progress})
    return out


def get_plan(db, plan_id: str) -> dict:
    """One live plan by id; UserError when there is none."""
    plan_id = (plan_id or "").strip()
    row = db.execute("SELECT deleted FROM plans WHERE id = ?", [plan_id]).fetchone()
    if row is None or row[0]:
        raise UserError(f"找不到编号为“{plan_id}”的工作方案。请用 plans list 查看本机保存的方案及其编号。")
    return next(p for p in list_plans(db) if p["id"] == plan_id)


def rename_plan(db, plan_id: str, title: str) -> dict:
    """Give a plan a new title (a new revision, with history); return the plan as listed."""
    from core.text import normalise

    get_plan(db, plan_id)
    title = normalise(title)
    if not title:
        raise UserError("方案名称不能为空，请输入新的名称。")
    if len(title) > 200:
        raise UserError("方案名称过长（超过 200 个字符），请缩短后再保存。")
    with db.atomic():
        records.update(db, "plans", plan_id, {"title": title})
    return get_plan(db, plan_id)


def drop_plan(db, plan_id: str, force: bool = False) -> dict:
    """Remove a plan with its tasks and entries (tombstones), after a backup.

    Refused while its entries hold progress, unless `force`. Returns {"id", "tasks", "entries", "backup"}.
    """
    from core.storage.snapshots import backup_before

    plan = get_plan(db, plan_id)
    if plan["progress"] and not force:
        raise UserError(f"方案“{plan['title'] or plan_id}”的台账中已记录 {plan['progress']} 条进展，删除会一并删除这些工作记录，"
                        "已取消。确需删除请加 --force（删除前会自动备份）。")
    backup = backup_before(db, "drop-plan")
    with db.atomic():
        task_ids = [r[0] for r in db.execute("SELECT id FROM tasks WHERE plan_id = ? AND deleted = 0", [plan_id])]
        entry_ids = []
        for task_id in task_ids:
            entry_ids += [r[0] for r in db.execute("SELECT id FROM entries WHERE task_id = ? AND deleted = 0", [task_id])]
        for entry_id in entry_ids:
            for table in ("measures", "progress", "events"):
                for (child,) in db.execute(f"SELECT id FROM [{table}] WHERE entry_id = ? AND deleted = 0", [entry_id]).fetchall():
                    records.delete(db, table, child)
            records.delete(db, "entries", entry_id)
        for task_id in task_ids:
            records.delete(db, "tasks", task_id)
        records.delete(db, "plans", plan_id)
    return {"id": plan_id, "tasks": len(task_ids), "entries": len(entry_ids), "backup": str(backup) if backup else None}
