"""Storing a parsed plan and its tasks in the database, in one transaction.

A plan already in the database is found by source_sha256, then by (year, doc_no), then by
(year, title), then by sharing most of its task texts. Its tasks are matched by 序号 +
requirement text, then by text alone (renumbered), then by 序号 alone (reworded); the rest are
added, and tasks no longer in the plan are tombstoned.
Importing the same file again changes nothing.
"""

import json
from pathlib import Path

from core import records, settings
from core.ledger.assignment import assign_entries
from core.ledger.due import refresh_due
from core.plan.model import ParsedPlan
from core.plan.text import fold

PLAN_FIELDS = ("year", "title", "doc_no", "issuer", "issued", "source_name", "source_sha256", "report_dates")
TASK_FIELDS = ("position", "seq", "category", "requirement", "units", "deadline", "filled", "deadline_source")


def import_plan(db, path_or_parsed, progress=None) -> dict:
    """Import a plan file (or an already parsed plan) and return a report of what changed.

    Report: {"plan_id", "created", "plan_changed": [fields], "added", "changed", "removed",
    "unchanged", "tasks", "details": {"added": [seq], "changed": [seq], "removed": [seq]},
    "warnings", "entries"} — "entries" is core.ledger.assignment's report, or {"skipped": True, "message"} when no office profile is set yet.
    """
    if isinstance(path_or_parsed, ParsedPlan):
        plan = path_or_parsed
    else:
        from core.plan.reader import read_plan

        plan = read_plan(Path(path_or_parsed), progress)
    from core.storage.snapshots import backup_before

    backup_before(db, "import")
    with db.atomic():
        existing = find_plan(db, plan)
        plan_row = _plan_row(plan)
        if existing is None:
            plan_id = records.insert(db, "plans", plan_row)["id"]
            created, plan_changed = True, []
        else:
            plan_id = existing["id"]
            created = False
            # Another copy of the same plan (say the .xlsx after the .docx) may lack the 文号 or
            # date: keep what is known rather than blanking it.
            known = {k: v for k, v in plan_row.items() if v not in ("", None, "[]")}
            plan_changed = sorted(records.update(db, "plans", plan_id, known))
        report = store_tasks(db, plan_id, plan.tasks)
        entries = _assign(db, plan_id)
    return {"plan_id": plan_id, "created": created, "plan_changed": plan_changed, **report,
            "tasks": len(plan.tasks), "warnings": list(plan.warnings), "entries": entries}


def _plan_row(plan: ParsedPlan) -> dict:
    return {
        "year": plan.year,
        "title": plan.title or "",
        "doc_no": plan.doc_no or "",
        "issuer": plan.issuer or "",
        "issued": plan.issued,
        "source_name": plan.source_name or "",
        "source_sha256": plan.source_sha256 or "",
        "report_dates": json.dumps(plan.report_dates, ensure_ascii=False),
    }


def find_plan(db, plan: ParsedPlan):
    """The stored plan this one revises or repeats, or None."""
    queries = []
    if plan.source_sha256:
        queries.append(("source_sha256 = ?", [plan.source_sha256]))
    if plan.doc_no and plan.year:
        queries.append(("year = ? AND doc_no = ?", [plan.year, plan.doc_no]))
    if plan.title and plan.year:
        queries.append(("year = ? AND title = ?", [plan.year, plan.title]))
    for where, params in queries:
        rows = list(db["plans"].rows_where(f"deleted = 0 AND {where}", params, order_by="updated_at DESC", limit=1))
        if rows:
            return rows[0]
    return _plan_with_same_tasks(db, plan)


SAME_PLAN_SHARE = 0.8


def _plan_with_same_tasks(db, plan: ParsedPlan):
    """A stored plan of the same year holding at least 80 % of this plan's task texts, or None.

    The same plan often arrives twice in different clothes (the notice as .docx, the table as
    .xlsx) with different titles and no 文号 in one of them.
    """
    texts = {fold(t.requirement) for t in plan.tasks if t.requirement}
    if not texts or not plan.year:
        return None
    best, best_share = None, SAME_PLAN_SHARE
    for row in db["plans"].rows_where("deleted = 0 AND year = ?", [plan.year]):
        stored = {fold(r["requirement"]) for r in db.query(
            "SELECT requirement FROM tasks WHERE plan_id = ? AND deleted = 0", [row["id"]])}
        share = len(texts & stored) / len(texts)
        if share >= best_share:
            best, best_share = row, share
    return best


def _task_row(plan_id: str, position: int, task) -> dict:
    """The tasks row of a parsed task; a deadline quoted from the requirement is stored as the
    deadline (so due dates and warnings use it) with deadline_source 'requirement'."""
    from core.plan.deadline_text import SOURCE_REQUIREMENT

    implied = not task.deadline and bool(task.implied_deadline)
    return {
        "plan_id": plan_id,
        "position": position,
        "seq": task.seq,
        "category": json.dumps(task.category, ensure_ascii=False),
        "requirement": task.requirement,
        "units": task.units,
        "deadline": task.implied_deadline if implied else task.deadline,
        "filled": json.dumps(task.filled, ensure_ascii=False),
        "deadline_source": SOURCE_REQUIREMENT if implied else "",
    }


def match_tasks(old_rows, new_tasks) -> list:
    """Pairs (old_row or None, index into new_tasks) and the unmatched old rows, by seq+text, seq, text."""
    pairs = {}
    free = list(old_rows)
    keys = (  # the text identifies a task more surely than its number, which revisions shift
        lambda seq, text: (seq, fold(text)),
        lambda seq, text: fold(text),
        lambda seq, text: seq,
    )
    for key in keys:
        index = {}
        for row in free:
            index.setdefault(key(row["seq"], row["requirement"]), []).append(row)
        for i, task in enumerate(new_tasks):
            if i in pairs:
                continue
            found = index.get(key(task.seq, task.requirement))
            if found:
                row = found.pop(0)
                pairs[i] = row
                free.remove(row)
    return [(pairs.get(i), i) for i in range(len(new_tasks))], free


def store_tasks(db, plan_id: str, tasks) -> dict:
    """Insert, update or tombstone the plan's tasks; return counts and the seqs concerned."""
    old_rows = list(db["tasks"].rows_where("plan_id = ? AND deleted = 0", [plan_id], order_by="position"))
    pairs, removed_rows = match_tasks(old_rows, tasks)
    details = {"added": [], "changed": [], "removed": []}
    unchanged = 0
    for old, i in pairs:
        row = _task_row(plan_id, i + 1, tasks[i])
        if old is None:
            records.insert(db, "tasks", row)
            details["added"].append(tasks[i].seq)
        elif records.update(db, "tasks", old["id"], row):
            details["changed"].append(tasks[i].seq)
        else:
            unchanged += 1
    for old in removed_rows:
        records.delete(db, "tasks", old["id"])
        details["removed"].append(old["seq"])
    refresh_due(db)  # entries whose 时限要求 or plan changed (the triggers of db.schema m060 marked them)
    return {"added": len(details["added"]), "changed": len(details["changed"]),
            "removed": len(details["removed"]), "unchanged": unchanged, "details": details}


def _assign(db, plan_id: str):
    """This office's entries for the plan (core.ledger.assignment), or why none were made."""
    if not settings.profile(db):
        return {"skipped": True, "message": "尚未设置本单位信息，未生成本单位台账；设置后重新导入方案即可。"}
    return assign_entries(db, plan_id)
