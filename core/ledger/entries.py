"""The ledger (工作台账): reading and filtering a unit's entries, in the row shapes the views need.

Three shapes: `list_entries` (the full dict of `ledger list --json`), `fetch_rows` (the display
row of the table for a window of ids) and `get_entry` (everything the detail panel shows).
`filter_sql` is the one translation of the table's filters into SQL.
"""

import json
from datetime import date, timedelta

from core import settings
from core.errors import UserError
import core.ledger.search as search_mod
from core.calendar.dates import as_date
from core.ledger.due import DueCalculator, fresh_due
from core.vocab import DONE, OVERDUE





FIELD_NAMES = {
    "leader": "分管领导",
    "office": "责任科室",
    "handler": "经办人",
    "status": "状态",
    "completed_on": "完成日期",
    "note": "备注",
    "due_override": "手工时限",
    "text": "内容",
    "date": "日期",
    "position": "顺序",
    "deleted": "删除",
    "duty": "计数事项",
    "done_on": "办结日期",
}


SORTS = {
    "seq": "e.year DESC, t.plan_id, t.position, t.seq",
    "category": "t.category, t.position",
    "requirement": "t.requirement, t.position",
    "deadline": "t.deadline, t.position",
    "leader": "e.leader, t.position",
    "office": "e.office, t.position",
    "status": "e.status, t.position",
    "latest": "(SELECT max(p.date) FROM progress p WHERE p.entry_id = e.id AND p.deleted = 0), t.position",
    "due": None,
    "unit": "e.unit, e.year DESC, t.plan_id, t.position",
}


DUE_WINDOWS = ("overdue", "soon", "month", "none")



def _scope(db, where: list, params: list, unit=None) -> None:
    """Restrict to `unit`, or to this office's own entries unless it is a 汇总单位."""
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("e.unit = ?")
        params.append(shown)


def list_entries(db, year=None, unit=None, status=None, include_dropped=False, today=None, due_within=None, search=None) -> list[dict]:
    """Ledger entries joined with their task, measures and progress, in plan order.

    A 填报单位 sees its own entries; a 汇总单位 sees every unit's (narrowed by `unit`).
    Each dict has the keys of `ledger list --json` in ../shared/CLI.md, with "due"
    (YYYY-MM-DD or None) and "overdue". `status` may also be 逾期; `due_within` keeps
    entries due within that many working days (overdue ones included).
    """
    where, params = ["e.deleted = 0"], []
    if not include_dropped:
        where.append("e.selection != 'dropped'")
    _scope(db, where, params, unit)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    if status and status != OVERDUE:
        where.append("e.status = ?")
        params.append(status)
    if search:
        search_mod.refresh(db)
        clause, extra = search_mod.match_clause(db, search)
        if clause:
            where.append(clause)
            params.extend(extra)
    due_sql = fresh_due(db, today)
    rows = db.query(
        f"""
        SELECT e.*, {due_sql} AS stored_due, t.seq, t.category, t.requirement, t.deadline, t.deadline_source, t.units AS task_units, t.plan_id, t.position,
               pl.year AS plan_year, pl.issued AS plan_issued
        FROM entries e JOIN tasks t ON t.id = e.task_id LEFT JOIN plans pl ON pl.id = t.plan_id
        WHERE {' AND '.join(where)}
        ORDER BY e.year DESC, e.unit, t.plan_id, t.position
        """,
        params,
    )
    calc = DueCalculator(today, db)
    # Due on or before n working days from today and not finished.
    limit = calc.soon_limit(int(due_within)) if due_within is not None else None
    entries = []
    for row in rows:
        entry = _entry(row)
        due = as_date(row["stored_due"])
        entry["due"] = row["stored_due"]
        entry["overdue"] = calc.overdue(due, row["status"])
        if status == OVERDUE and not entry["overdue"]:
            continue
        if limit is not None and not (due is not None and row["status"] != DONE and due <= limit):
            continue
        entries.append(entry)
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
        "category": json.loads(row["category"] or "[]"),
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
        "deadline_source": row["deadline_source"],
        "due_override": row["due_override"],
        "completed_on": row["completed_on"],
        "note": row["note"],
        "carried_from": row["carried_from"],
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


def years(db) -> list[int]:
    """The years that hold entries visible to this office, newest first."""
    where, params = ["e.deleted = 0"], []
    _scope(db, where, params)
    return [r[0] for r in db.execute(f"SELECT DISTINCT e.year FROM entries e WHERE {' AND '.join(where)} ORDER BY e.year DESC", params)]


def units(db, year=None) -> list[str]:
    """The units whose entries this office sees (all collected ones at a 汇总单位), by name."""
    where, params = ["e.deleted = 0"], []
    _scope(db, where, params)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    return [r[0] for r in db.execute(f"SELECT DISTINCT e.unit FROM entries e WHERE {' AND '.join(where)} ORDER BY e.unit", params)]


def categories(db, year=None) -> list[str]:
    """The level-1 task categories of the visible entries (for the category filter)."""
    where, params = ["e.deleted = 0"], []
    _scope(db, where, params)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    rows = db.execute(
        f"""SELECT json_extract(t.category, '$[0]') AS c, min(t.position) AS p FROM tasks t
            WHERE t.deleted = 0 AND EXISTS (SELECT 1 FROM entries e WHERE e.task_id = t.id AND {' AND '.join(where)})
            GROUP BY c ORDER BY p""",
        params,
    )
    return [r[0] for r in rows if r[0]]


def roles(db, year=None) -> list[str]:
    """The roles (牵头 / 配合 / 落实 / 责任) present among the visible entries."""
    where, params = ["e.deleted = 0", "e.role != ''"], []
    _scope(db, where, params)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    return [r[0] for r in db.execute(f"SELECT DISTINCT e.role FROM entries e WHERE {' AND '.join(where)} ORDER BY e.role", params)]


def query_ids(db, filters: dict | None = None, sort: str = "seq", descending: bool = False, today=None) -> list[str]:
    """Ids of the entries passing `filters`, in the requested order (only ids: cheap for 50k rows).

    filters: year, unit, plan_id, category (level 1), status (incl. 逾期), role,
    due ("overdue" | "soon" = 10 working days | "month" = 30 days | "none"), search.
    Everything runs in SQL: the due date is the one stored on each entry (core.ledger.due.fresh_due).
    """
    f = filters or {}
    where, params = filter_sql(db, f)
    if sort not in SORTS:
        raise UserError(f"无法按“{sort}”排序，可选：{'、'.join(SORTS)}。")
    needs_due = sort == "due" or f.get("status") == OVERDUE or f.get("due")
    order = SORTS[sort] or SORTS["seq"]
    if descending and SORTS[sort]:
        order = ", ".join(_flip(part) for part in _split_order(order))
    if needs_due:
        calc = DueCalculator(today, db) if f.get("due") == "soon" else None
        due = fresh_due(db, today)
        due_where, due_params = _due_sql(f, due, as_date(today) or date.today(), calc)
        where, params = where + due_where, params + due_params
        if sort == "due":  # dated rows by due date, then those without one: each part in its index order
            base = f"SELECT e.id FROM entries e JOIN tasks t ON t.id = e.task_id WHERE {' AND '.join(where)}"
            dated = db.execute(f"{base} AND {due} IS NOT NULL ORDER BY {due} {'DESC' if descending else ''}, "
                               f"{_SEQ_ORDER_DESC if descending else _SEQ_ORDER}", params).fetchall()
            undated = db.execute(f"{base} AND {due} IS NULL ORDER BY {_SEQ_ORDER}", params).fetchall()
            return [r[0] for r in dated] + [r[0] for r in undated]
    sql = f"SELECT e.id FROM entries e JOIN tasks t ON t.id = e.task_id WHERE {' AND '.join(where)} ORDER BY {order}"
    return [r[0] for r in db.execute(sql, params)]


# Ties in due date keep the 序号 order (reversed, like the dates, when sorting latest first);
# entries without a due date come last in 序号 order either way.
_SEQ_ORDER = "e.year DESC, coalesce(t.plan_id, ''), t.position, t.seq, e.id"
_SEQ_ORDER_DESC = "e.year, coalesce(t.plan_id, '') DESC, t.position DESC, t.seq DESC, e.id DESC"


def _split_order(order: str) -> list[str]:
    """Split an ORDER BY list at top-level commas (not inside parentheses)."""
    parts, depth, current = [], 0, ""
    for ch in order:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


def _flip(part: str) -> str:
    """One ORDER BY term in the opposite direction."""
    part = part.strip()
    return part[: -len(" DESC")] if part.upper().endswith(" DESC") else part + " DESC"


def _due_sql(f: dict, due: str, today: date, calc: DueCalculator | None) -> tuple[list, list]:
    """WHERE parts and params for the 逾期 status filter and the due-window filter.

    `+` keeps SQLite from reading entries through the due index for a filter, so the rows come in
    the same scan order as without one and ties of the requested sort stay where they were.
    """
    where, params = [], []
    due = f"+{due}"
    overdue = f"({due} IS NOT NULL AND {due} < ? AND e.status != ?)"
    if f.get("status") == OVERDUE:
        where.append(overdue)
        params += [today.isoformat(), DONE]
    window = f.get("due")
    limit = {"soon": lambda: calc.soon_limit(), "month": lambda: today + timedelta(days=30)}.get(window)
    if window == "overdue":
        where.append(overdue)
        params += [today.isoformat(), DONE]
    elif limit is not None:
        where.append(f"({due} IS NOT NULL AND e.status != ? AND {due} <= ?)")
        params += [DONE, limit().isoformat()]
    elif window == "none":
        where.append(f"{due} IS NULL")
    return where, params


def filter_sql(db, f: dict) -> tuple[list, list]:
    """WHERE parts and params for the table filters (all but the due-based ones)."""
    where, params = ["e.deleted = 0", "e.selection != 'dropped'"], []
    _scope(db, where, params, f.get("unit"))
    if f.get("year"):
        where.append("e.year = ?")
        params.append(int(f["year"]))
    if f.get("plan_id"):
        where.append("t.plan_id = ?")
        params.append(f["plan_id"])
    if f.get("category"):
        where.append("json_extract(t.category, '$[0]') = ?")
        params.append(f["category"])
    if f.get("status") and f["status"] != OVERDUE:
        where.append("e.status = ?")
        params.append(f["status"])
    if f.get("role"):
        where.append("e.role = ?")
        params.append(f["role"])
    if (f.get("search") or "").strip():
        search_mod.refresh(db)
        clause, extra = search_mod.match_clause(db, f["search"])
        where.append(clause)
        params.extend(extra)
    return where, params


def fetch_rows(db, ids: list[str], today=None) -> dict:
    """Display rows of the table for a window of ids: {id: row dict}.

    Row keys: id, seq, category (text), requirement, measures (text, one per line),
    deadline, due, overdue, soon, remaining and urgency (DueCalculator.remaining), leader,
    office, status, latest (last progress line), role, year, unit,
    deadline_source ('requirement' when the deadline was quoted from the requirement).
    """
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    due_sql = fresh_due(db, today, ids)
    rows = db.query(
        f"""
        SELECT e.id, t.seq, t.category, t.requirement, t.deadline, e.leader, e.office, e.status,
               {due_sql} AS due, e.role, e.year, e.unit,
               (SELECT group_concat(text, char(10)) FROM (SELECT m.text FROM measures m
                    WHERE m.entry_id = e.id AND m.deleted = 0 ORDER BY m.position)) AS measures,
               (SELECT p.date || ' ' || p.text FROM progress p WHERE p.entry_id = e.id AND p.deleted = 0
                    ORDER BY p.date DESC, p.updated_at DESC LIMIT 1) AS latest,
               t.deadline_source
        FROM entries e JOIN tasks t ON t.id = e.task_id
        WHERE e.id IN ({marks})
        """,
        ids,
    )
    calc = DueCalculator(today, db)
    soon_limit = calc.soon_limit()
    out = {}
    for r in rows:
        due = as_date(r["due"])
        overdue = calc.overdue(due, r["status"])
        remaining, urgency = calc.remaining(due, r["status"])
        out[r["id"]] = {
            **r,
            "category": " / ".join(json.loads(r["category"] or "[]")),
            "due": due.isoformat() if due else None,
            "overdue": overdue,
            "soon": (not overdue) and due is not None and r["status"] != DONE and due <= soon_limit,
            "remaining": remaining,
            "urgency": urgency,
            "measures": r["measures"] or "",
            "latest": r["latest"] or "",
        }
    return out


def get_entry(db, entry_id: str, today=None) -> dict:
    """Everything the detail panel shows about one entry."""
    data = next(
        iter(
            db.query(
                """SELECT e.*, t.seq, t.category, t.requirement, t.deadline, t.deadline_source, t.units AS task_units, t.plan_id, t.position,
                          pl.year AS plan_year, pl.issued AS plan_issued, pl.title AS plan_title
                   FROM entries e JOIN tasks t ON t.id = e.task_id LEFT JOIN plans pl ON pl.id = t.plan_id WHERE e.id = ?""",
                [entry_id],
            )
        ),
        None,
    )
    if data is None:
        raise UserError("找不到这条台账，它可能已被删除。请刷新列表后重试。")
    entry = _entry(data)
    entry.update(plan_title=data["plan_title"] or "", task_units=data["task_units"], duties=json.loads(data["duties"] or "[]"))
    calc = DueCalculator(today, db)
    plan_year = data["plan_year"] or data["year"]
    entry["measures"] = [dict(r) for r in db.query("SELECT id, text, position FROM measures WHERE entry_id = ? AND deleted = 0 ORDER BY position", [entry_id])]
    entry["progress"] = _progress_with_evidence(db, entry_id)
    entry["events"] = []
    for ev in db.query("SELECT id, date, note, done_on FROM events WHERE entry_id = ? AND deleted = 0 ORDER BY date", [entry_id]):
        due = calc.event_due(data["deadline"], plan_year, data["plan_issued"], ev["date"])
        entry["events"].append({**dict(ev), "due": due.isoformat() if due else None})
    due = as_date(next(db.execute(f"SELECT {fresh_due(db, today, [entry_id])} FROM entries e WHERE e.id = ?", [entry_id]))[0])
    entry["due"] = due.isoformat() if due else None
    entry["overdue"] = calc.overdue(due, data["status"])
    entry["remaining"], entry["urgency"] = calc.remaining(due, data["status"])
    entry["history"] = history(db, entry_id)
    return entry


def _progress_with_evidence(db, entry_id: str) -> list[dict]:
    """The progress log of one entry, each line with its attachments."""
    lines = [dict(r) for r in db.query("SELECT id, date, text, duty, updated_by FROM progress WHERE entry_id = ? AND deleted = 0 ORDER BY date, updated_at", [entry_id])]
    by_id = {p["id"]: p for p in lines}
    for p in lines:
        p["attachments"] = []
    if by_id:
        marks = ",".join("?" * len(by_id))
        for a in db.query(f"SELECT * FROM attachments WHERE deleted = 0 AND progress_id IN ({marks}) ORDER BY updated_at", list(by_id)):
            by_id[a["progress_id"]]["attachments"].append(dict(a))
    return lines


def history(db, entry_id: str) -> list[dict]:
    """Every recorded change to the entry and its measures, progress, events and attachments, newest first."""
    rows = db.query(
        """
        SELECT h.* FROM history h WHERE
            (h.table_name = 'entries' AND h.record_id = :id)
         OR (h.table_name = 'measures' AND h.record_id IN (SELECT id FROM measures WHERE entry_id = :id))
         OR (h.table_name = 'progress' AND h.record_id IN (SELECT id FROM progress WHERE entry_id = :id))
         OR (h.table_name = 'events' AND h.record_id IN (SELECT id FROM events WHERE entry_id = :id))
         OR (h.table_name = 'attachments' AND h.record_id IN
                (SELECT a.id FROM attachments a JOIN progress p ON p.id = a.progress_id WHERE p.entry_id = :id))
        ORDER BY h.seq DESC
        """,
        {"id": entry_id},
    )
    out = []
    for r in rows:
        item = dict(r)
        item["label"] = _history_label(r["table_name"], r["field"])
        out.append(item)
    return out


def _history_label(table: str, field: str) -> str:
    """A Chinese name for a changed field, e.g. 工作举措·内容."""
    prefix = {"measures": "工作举措·", "progress": "进展·", "events": "事件·", "attachments": "佐证·"}.get(table, "")
    return prefix + FIELD_NAMES.get(field, field)


def find_by_seq(db, seq: str, year=None, unit=None) -> str:
    """The id of the one visible entry with 序号 `seq` (and year/unit); UserError if none or several."""
    where, params = ["e.deleted = 0", "e.selection != 'dropped'", "t.seq = ?"], [str(seq).strip()]
    _scope(db, where, params, unit)
    if year:
        where.append("e.year = ?")
        params.append(int(year))
    rows = db.execute(f"SELECT e.id, e.year, e.unit FROM entries e JOIN tasks t ON t.id = e.task_id WHERE {' AND '.join(where)}", params).fetchall()
    if not rows:
        hint = f"{year}年" if year else ""
        raise UserError(f"台账中没有{hint}序号为“{seq}”的任务。请用 ledger list --json 查看现有序号，或用 --year 指定年度。")
    if len(rows) > 1:
        years_ = sorted({r[1] for r in rows})
        units = sorted({r[2] for r in rows})
        if len(years_) > 1:
            raise UserError(f"序号“{seq}”在 {'、'.join(map(str, years_))} 年都有，请用 --year 指定年度。")
        raise UserError(f"序号“{seq}”在多个单位都有（{'、'.join(units)}），请用 --unit 指定单位。")
    return rows[0][0]
