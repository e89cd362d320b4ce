"""The ledger (工作台账): reading and changing a unit's entries."""

import json

from core import records, settings

STATUSES = ("未开始", "推进中", "已完成", "长期坚持")


def list_entries(db, year=None, unit=None, status=None, include_dropped=False) -> list[dict]:
    """Ledger entries joined with their task, measures and progress, in plan order.

    A 填报单位 sees its own entries; a 汇总单位 sees every unit's (narrowed by `unit`).
    Each dict has the keys of `ledger list --json` in ../shared/CLI.md (without due/overdue).
    """
    where, params = ["e.deleted = 0"], []
    if not include_dropped:
        where.append("e.selection != 'dropped'")
    profile = settings.profile(db) or {}
    if unit:
        where.append("e.unit = ?")
        params.append(unit)
    elif profile.get("role") != "汇总单位" and profile.get("name"):
        where.append("e.unit = ?")
        params.append(profile["name"])
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    if status:
        where.append("e.status = ?")
        params.append(status)
    rows = db.query(
        f"""
        SELECT e.*, t.seq, t.category, t.requirement, t.deadline, t.units AS task_units, t.plan_id, t.position
        FROM entries e JOIN tasks t ON t.id = e.task_id
        WHERE {' AND '.join(where)}
        ORDER BY e.year DESC, e.unit, t.plan_id, t.position
        """,
        params,
    )
    entries = [_entry(row) for row in rows]
    _attach_children(db, entries)
    return entries


def _entry(row) -> dict:
    return {
        "id": row["id"],
        "task_id": row["task_id"],
        "plan_id": row["plan_id"],
        "unit": row["unit"],
        "year": row["year"],
        "seq": row["seq"],
        "category": json.loads(row["category"]),
        "requirement": row["requirement"],
        "measures": [],
        "leader": row["leader"],
        "office": row["office"],
        "handler": row["handler"],
        "status": row["status"],
        "role": row["role"],
        "reason": row["reason"],
        "selection": row["selection"],
        "deadline": row["deadline"],
        "due_override": row["due_override"],
        "completed_on": row["completed_on"],
        "note": row["note"],
        "rev": row["rev"],
        "progress": [],
    }


def _attach_children(db, entries: list[dict]) -> None:
    by_id = {e["id"]: e for e in entries}
    if not by_id:
        return
    for row in db.query("SELECT entry_id, text FROM measures WHERE deleted = 0 ORDER BY entry_id, position"):
        if row["entry_id"] in by_id:
            by_id[row["entry_id"]]["measures"].append(row["text"])
    for row in db.query("SELECT id, entry_id, date, text FROM progress WHERE deleted = 0 ORDER BY entry_id, date, updated_at"):
        if row["entry_id"] in by_id:
            by_id[row["entry_id"]]["progress"].append({"id": row["id"], "date": row["date"], "text": row["text"]})


def set_measures(db, entry_id: str, texts: list[str]) -> None:
    """Make the entry's 工作举措 exactly `texts`, in order, keeping unchanged ones."""
    current = list(db.query("SELECT id, text, position FROM measures WHERE entry_id = ? AND deleted = 0 ORDER BY position", [entry_id]))
    with db.atomic():
        for position, text in enumerate(texts):
            if position < len(current):
                records.update(db, "measures", current[position]["id"], {"text": text, "position": position})
            else:
                records.insert(db, "measures", {"entry_id": entry_id, "position": position, "text": text})
        for row in current[len(texts):]:
            records.delete(db, "measures", row["id"])


def add_progress(db, entry_id: str, date: str, text: str, duty: str = "") -> dict:
    """Append one line to the entry's progress log."""
    with db.atomic():
        return records.insert(db, "progress", {"entry_id": entry_id, "date": date, "text": text, "duty": duty})
