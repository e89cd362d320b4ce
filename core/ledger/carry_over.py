"""回头看: carrying last year's unfinished entries into the new year.

Decision: an entry is unique per (task, unit), so a carried entry needs its own task. The
old task is copied with plan_id NULL (it belongs to no plan of the new year), keeping seq,
categories, requirement, units and 时限要求; the new entry points at last year's entry
through entries.carried_from and keeps measures, leader, office, handler, role and status
(未开始 / 推进中). Its note says where it came from. A fixed deadline of last year stays
last year's date, so the carried entry shows 逾期 until finished or given a new 时限
(due_override) — which is what a 回头看 is meant to show.

Entries already carried (some entry has carried_from = its id) are skipped, so running it
twice changes nothing. 已完成 and 长期坚持 entries are not carried (a new plan lists
standing work again); dropped entries neither.
"""

from core import records, settings
from core.errors import UserError
from core.ledger.due import refresh_due
from core.vocab import OPEN_STATUSES

CARRIED_STATUSES = OPEN_STATUSES


def candidates(db, from_year: int, unit: str | None = None) -> list[dict]:
    """Last year's unfinished entries not yet carried: [{id, unit, seq, requirement, status}]."""
    where, params = [
        "e.deleted = 0", "e.selection != 'dropped'", "e.year = ?",
        f"e.status IN ({','.join('?' * len(CARRIED_STATUSES))})",
        "NOT EXISTS (SELECT 1 FROM entries c WHERE c.carried_from = e.id AND c.deleted = 0)",
    ], [int(from_year), *CARRIED_STATUSES]
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("e.unit = ?")
        params.append(shown)
    rows = db.query(
        f"""SELECT e.id, e.unit, e.status, t.seq, t.requirement, t.position FROM entries e JOIN tasks t ON t.id = e.task_id
            WHERE {' AND '.join(where)} ORDER BY e.unit, t.plan_id, t.position""",
        params,
    )
    return [dict(r) for r in rows]


def carry_over(db, from_year: int, to_year: int, unit: str | None = None) -> dict:
    """Copy the unfinished entries of `from_year` into `to_year` (one transaction).

    Returns {"carried": n, "ids": [new entry ids]}.
    """
    from_year, to_year = int(from_year), int(to_year)
    if to_year <= from_year:
        raise UserError(f"回头看只能把 {from_year} 年未完成的任务结转到以后的年度，请选择 {from_year + 1} 年或更晚。")
    todo = candidates(db, from_year, unit)
    new_ids = []
    with db.atomic():
        for item in todo:
            new_ids.append(_carry_one(db, item["id"], from_year, to_year))
        refresh_due(db, entry_ids=new_ids)
    return {"carried": len(new_ids), "ids": new_ids}


def _carry_one(db, entry_id: str, from_year: int, to_year: int) -> str:
    """Copy one entry (with a copied task and its measures) into `to_year`; return the new id."""
    old = db["entries"].get(entry_id)
    task = db["tasks"].get(old["task_id"])
    new_task = records.insert(
        db,
        "tasks",
        {k: task[k] for k in ("position", "seq", "category", "requirement", "units", "deadline", "filled")} | {"plan_id": None},
    )
    note = f"回头看：由{from_year}年结转" + (f"；{old['note']}" if old["note"] else "")
    new = records.insert(
        db,
        "entries",
        {
            "task_id": new_task["id"], "unit": old["unit"], "year": to_year, "role": old["role"], "reason": old["reason"],
            "selection": "added", "leader": old["leader"], "office": old["office"], "handler": old["handler"],
            "status": old["status"], "due_override": None, "duties": old["duties"], "note": note, "carried_from": entry_id,
        },
    )
    for m in db.query("SELECT text, position FROM measures WHERE entry_id = ? AND deleted = 0 ORDER BY position", [entry_id]):
        records.insert(db, "measures", {"entry_id": new["id"], "position": m["position"], "text": m["text"]})
    return new["id"]
