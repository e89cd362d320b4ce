"""One plan per office, whichever way it arrives: a plan's identity, and folding a double into one.

A plan is identified by its year and 文号, or its title (and issuer), or the texts of its tasks
(see `same_plan`). The county's 任务包 carries all of these, so a unit that imported the plan's
.docx itself and then receives the 任务包 recognises the plan: the received plan (the county's
ids) is kept and the local copy is folded into it (`fold_into`): each local entry moves to the
county's task, keeping its id, edits, progress lines and attachments (a new revision, with
history). Where the unit already holds an entry on the county's task too, the two entries are
merged: children moved, empty fields filled, and fields set differently on both sides kept as a
conflict (table conflicts) for the user to resolve. The local plan and its tasks become tombstones.

`heal(db)` does this for every double already in a ledger (the one-time migration);
`adopt_received(db, plan_ids)` right after a 任务包 was merged.
"""

import json

from core import records, settings
from core.plan.text import fold

SAME_PLAN_SHARE = 0.8
# Entry fields compared when two entries of one task are merged; the value meaning "not set".
ENTRY_FIELDS = {
    "leader": "", "office": "", "handler": "", "status": "未开始", "completed_on": None,
    "due_override": None, "note": "", "duties": "[]", "carried_from": None,
}


def identity(db, plan: dict) -> dict:
    """What identifies a stored plan: year, 文号, title, issuer, sha256 and its task texts."""
    texts = {fold(r[0]) for r in db.execute(
        "SELECT requirement FROM tasks WHERE plan_id = ? AND deleted = 0", [plan["id"]]) if r[0]}
    return {"year": plan.get("year"), "doc_no": (plan.get("doc_no") or "").strip(),
            "title": fold(plan.get("title")), "issuer": fold(plan.get("issuer")),
            "sha256": plan.get("source_sha256") or "", "texts": texts}


def same_plan(a: dict, b: dict) -> bool:
    """Whether two identities (see `identity`) name the same plan."""
    if a["year"] and b["year"] and a["year"] != b["year"]:
        return False
    if a["sha256"] and a["sha256"] == b["sha256"]:
        return True
    if a["doc_no"] and b["doc_no"]:
        return a["doc_no"] == b["doc_no"]
    if a["title"] and a["title"] == b["title"] and (not a["issuer"] or not b["issuer"] or a["issuer"] == b["issuer"]):
        return True
    smaller, larger = sorted((a["texts"], b["texts"]), key=len)
    return bool(smaller) and len(smaller & larger) / len(smaller) >= SAME_PLAN_SHARE


def is_local(db, plan: dict) -> bool:
    """Whether this office imported the plan from a file rather than received it in a 任务包.

    A unit remembers every record a package brought (sync_base); a county sends plans, never
    receives them, so all of its plans are its own.
    """
    if settings.is_county(db):
        return True
    return db.execute("SELECT 1 FROM sync_base WHERE table_name = 'plans' AND record_id = ?", [plan["id"]]).fetchone() is None


def adopt_received(db, plan_ids) -> list[dict]:
    """Fold each local plan that is the same as one of the received `plan_ids` into it."""
    received = [p for p in _live_plans(db) if p["id"] in set(plan_ids)]
    return _fold_pairs(db, received, [p for p in _live_plans(db) if is_local(db, p)])


def heal(db) -> list[dict]:
    """Fold every local plan into the received plan it doubles; return what was folded."""
    plans = _live_plans(db)
    return _fold_pairs(db, [p for p in plans if not is_local(db, p)], [p for p in plans if is_local(db, p)])


def _fold_pairs(db, received: list, local: list) -> list[dict]:
    done = []
    with db.atomic():
        for theirs in received:
            mine_id = identity(db, theirs)
            for mine in list(local):
                if mine["id"] != theirs["id"] and same_plan(mine_id, identity(db, mine)):
                    done.append(fold_into(db, mine, theirs))
                    local.remove(mine)
    return done


def fold_into(db, local: dict, received: dict) -> dict:
    """Move the local plan's entries onto the received plan's tasks, then tombstone the local plan.

    Returns {"plan", "into", "moved", "merged", "conflicts", "tasks_moved"}.
    """
    from core.plan.plan_import import match_tasks

    report = {"plan": local["id"], "into": received["id"], "moved": 0, "merged": 0, "conflicts": 0, "tasks_moved": 0}
    mine = list(db["tasks"].rows_where("plan_id = ? AND deleted = 0", [local["id"]], order_by="position"))
    theirs = list(db["tasks"].rows_where("plan_id = ? AND deleted = 0", [received["id"]], order_by="position"))
    pairs, unmatched = match_tasks(mine, [_Task(t) for t in theirs])
    for old, index in pairs:
        if old is not None:
            _move_entries(db, old["id"], theirs[index]["id"], report)
            records.delete(db, "tasks", old["id"])
    for old in unmatched:
        if db.execute("SELECT 1 FROM entries WHERE task_id = ? AND deleted = 0", [old["id"]]).fetchone():
            records.update(db, "tasks", old["id"], {"plan_id": received["id"]})  # a task only this office has
            report["tasks_moved"] += 1
        else:
            records.delete(db, "tasks", old["id"])
    records.delete(db, "plans", local["id"])
    return report


class _Task:
    """A stored task seen as match_tasks expects a parsed one."""

    def __init__(self, row):
        self.seq, self.requirement = row["seq"], row["requirement"]


def _move_entries(db, old_task: str, new_task: str, report: dict) -> None:
    """Each entry of `old_task` onto `new_task`, merged with the same unit's entry there if any."""
    for entry in list(db["entries"].rows_where("task_id = ?", [old_task])):
        there = list(db["entries"].rows_where("task_id = ? AND unit = ?", [new_task, entry["unit"]]))
        if not there:
            records.update(db, "entries", entry["id"], {"task_id": new_task})
            report["moved"] += 1
        elif not entry["deleted"]:  # a tombstone stays on the old, tombstoned task
            report["conflicts"] += _merge_entry(db, entry, there[0])
            report["merged"] += 1


def _merge_entry(db, source: dict, target: dict) -> int:
    """Merge entry `source` into `target` (same task and unit); return the conflicts kept (0 or 1).

    Children move to `target`; a field set on one side only is taken; a field set differently on
    both sides takes the newer entry's value and the other is kept in table conflicts.
    """
    changes, clashes = {}, []
    for field, unset in ENTRY_FIELDS.items():
        mine, theirs = source.get(field), target.get(field)
        if _same(mine, theirs) or _same(mine, unset):
            continue
        if _same(theirs, unset) or target["deleted"]:
            changes[field] = mine
        else:
            clashes.append(field)
    if target["deleted"]:
        changes["deleted"] = 0
    source_newer = (source["updated_at"], source["rev"]) > (target["updated_at"], target["rev"])
    winner, loser = (source, target) if source_newer else (target, source)
    changes.update({f: winner[f] for f in clashes})
    for table in ("measures", "progress", "events"):
        for (child,) in db.execute(f"SELECT id FROM [{table}] WHERE entry_id = ?", [source["id"]]).fetchall():
            records.update(db, table, child, {"entry_id": target["id"]})
    records.update(db, "entries", target["id"], changes)
    records.delete(db, "entries", source["id"])
    if not clashes:
        return 0
    kept = dict(db["entries"].get(target["id"]))
    lost = {**kept, **{f: loser[f] for f in clashes}}
    db.execute(
        "INSERT INTO conflicts(table_name, record_id, kept, lost, source, at) VALUES (?, ?, ?, ?, ?, ?)",
        ["entries", target["id"], _dump(kept), _dump(lost), "同一方案的两份副本合并", records.utc_now()],
    )
    return 1


def _same(a, b) -> bool:
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


def _live_plans(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM plans WHERE deleted = 0 ORDER BY updated_at, id")]


def _dump(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
