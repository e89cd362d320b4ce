"""Due dates of ledger entries: the calculator over 时限要求, event dates and the calendar.

An entry's due date is its `due_override` if set, else core.calendar.deadlines.next_due over
its task's 时限要求 (with the plan's year and issue date and the entry's open event dates).
逾期 = due before today and status not 已完成. Status 长期坚持 has no due date.

The answer is kept on each entry (columns due, due_kind, due_on: the day it was computed) by
`refresh_due`, so the ledger sorts and filters by due in SQL. Triggers (db.schema m060) clear
due_on whenever an input changes; `fresh_due` recomputes the rows not stamped today before a
due-based query and gives the SQL expression to read.
"""

from datetime import date

from core.calendar import deadlines, workdays
from core.calendar.dates import as_date
from core.errors import ReadOnlyStorage, UserError
from core.vocab import DONE, STANDING
from db.connection import db_file, is_read_only

SOON_WORKDAYS = 10


class DueCalculator:
    """Computes due dates for many entries, memoised by deadline text, plan and events."""

    def __init__(self, today=None, db=None):
        self.today = as_date(today) or date.today()
        self.calendar = workdays.load_calendar(db) if db is not None else workdays.default_calendar()
        self._clauses: dict = {}
        self._due: dict = {}

    def clauses(self, deadline: str, plan_year, plan_issued):
        """The parsed clauses of one 时限要求 text (memoised; unreadable text gives an "unparsed" clause)."""
        key = (deadline, plan_year, plan_issued)
        if key not in self._clauses:
            self._clauses[key] = deadlines.parse_deadline(deadline or "", plan_year=plan_year, plan_issued=as_date(plan_issued))
        return self._clauses[key]

    def due(self, deadline, plan_year, plan_issued, status, override=None, events=()) -> date | None:
        """The entry's due date, or None (standing, unparsed, 长期坚持, no deadline)."""
        if override:
            return as_date(override)
        if status == STANDING or not (deadline or "").strip():
            return None
        key = (deadline, plan_year, plan_issued, tuple(events))
        if key not in self._due:
            clauses = self.clauses(deadline, plan_year, plan_issued)
            # A past year's ledger keeps that year's yearly dates; the current one looks ahead.
            year = plan_year if plan_year and plan_year < self.today.year else None
            self._due[key] = self._next_due(clauses, [as_date(e) for e in events], year)
        return self._due[key]

    def _next_due(self, clauses, events, year=None) -> date | None:
        try:
            return as_date(deadlines.next_due(clauses, self.today, events=events, year=year, calendar=self.calendar))
        except UserError:  # counted past the calendar's last year (2100): no date can be given
            return None

    def event_due(self, deadline, plan_year, plan_issued, event_date) -> date | None:
        """The due date that one recorded event date sets through the event clauses."""
        clauses = [c for c in self.clauses(deadline, plan_year, plan_issued) if c.kind == "event"]
        return self._next_due(clauses, [as_date(event_date)])

    def soon_limit(self, n: int = SOON_WORKDAYS) -> date:
        """The last day counted as "due soon": n working days from today."""
        key = ("soon", n)
        if key not in self._due:
            self._due[key] = as_date(self.calendar.add_workdays(self.today, n))
        return self._due[key]

    def overdue(self, due: date | None, status: str) -> bool:
        """Whether an entry with this due date and status is 逾期."""
        return due is not None and due < self.today and status != DONE

    def remaining(self, due: date | None, status: str) -> tuple[str, str | None]:
        """(text, colour) of the time left: "还剩 N 个工作日" / "今天到期" / "逾期 N 个工作日".

        Colours as counties mark 督办: "red" overdue; "yellow" behind schedule (due within
        SOON_WORKDAYS and not started); "blue" due within SOON_WORKDAYS; None otherwise.
        """
        if status == DONE:
            return DONE, None
        if due is None:
            return (STANDING if status == STANDING else "无固定时限"), None
        try:
            if due < self.today:
                n = self.calendar.count_workdays(due, self.today)
                return (f"逾期 {n} 个工作日" if n > 0 else "已逾期"), "red"
            n = self.calendar.count_workdays(self.today, due)
        except UserError:  # a date outside the calendar's years: the date itself, not a count
            return due.isoformat(), None
        text = "今天到期" if due == self.today else f"还剩 {n} 个工作日"
        if n <= SOON_WORKDAYS:
            return text, "yellow" if status == "未开始" else "blue"
        return text, None


def open_events(db, entry_ids=None) -> dict:
    """{entry_id: [YYYY-MM-DD, …]} of the events not yet marked done."""
    out: dict = {}
    for row in db.execute("SELECT entry_id, date FROM events WHERE deleted = 0 AND done_on IS NULL ORDER BY date"):
        if entry_ids is None or row[0] in entry_ids:
            out.setdefault(row[0], []).append(row[1])
    return out


def add_working_days(start, n: int, db=None) -> date:
    """`start` plus n working days in the ledger's calendar (shipped years plus imported notices)."""
    calendar = workdays.load_calendar(db) if db is not None else workdays.default_calendar()
    return as_date(calendar.add_workdays(as_date(start), n))


# ---- the stored due date --------------------------------------------------------------------

_DUE_ROWS = """SELECT e.id, t.deadline, coalesce(pl.year, e.year), pl.issued, e.status, e.due_override
               FROM entries e LEFT JOIN tasks t ON t.id = e.task_id LEFT JOIN plans pl ON pl.id = t.plan_id"""
_STALE = "(e.due_on IS NULL OR e.due_on < ? OR e.due_on > ?)"
CHUNK = 500


def due_kind(calc: DueCalculator, deadline, plan_year, plan_issued, status, override=None, events=()) -> tuple:
    """(due date or None, kind): kind 'override' (set by hand), 'standing' (长期坚持),
    'deadline' (from the 时限要求 and events) or 'none' (no date can be given)."""
    due = calc.due(deadline, plan_year, plan_issued, status, override, events)
    if override:
        return due, "override"
    if status == STANDING:
        return due, "standing"
    return due, "deadline" if due is not None else "none"


def compute_due(db, entry_ids=None, task_ids=None, today=None, stale_only=False) -> list[tuple]:
    """[(due, due_kind, due_on, entry id)] computed for some entries (see refresh_due)."""
    stamp = (as_date(today) or date.today()).isoformat()
    rows = []
    if entry_ids is None and task_ids is None:
        where, params = (f" WHERE {_STALE}", [stamp, stamp]) if stale_only else ("", [])
        rows = db.execute(_DUE_ROWS + where, params).fetchall()
    for column, ids in (("e.id", entry_ids), ("e.task_id", task_ids)):
        ids = sorted(set(ids or ()))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            where = f" WHERE {column} IN ({','.join('?' * len(chunk))})" + (f" AND {_STALE}" if stale_only else "")
            rows += db.execute(_DUE_ROWS + where, [*chunk, *([stamp, stamp] if stale_only else [])]).fetchall()
    if not rows:
        return []
    calc = DueCalculator(stamp, db)
    events = open_events(db, {r[0] for r in rows} if len(rows) < 1000 else None)
    out = {}
    for entry_id, deadline, plan_year, issued, status, override in rows:
        due, kind = due_kind(calc, deadline, plan_year, issued, status, override, events.get(entry_id, ()))
        out[entry_id] = (due.isoformat() if due else None, kind, stamp, entry_id)
    return list(out.values())


def refresh_due(db, entry_ids=None, task_ids=None, today=None) -> int:
    """Recompute and store the due date of these entries (by id, or every entry of these tasks),
    or, with neither, of every entry not computed for `today` (default: the real today).

    The one writer of entries.due / due_kind / due_on: derived columns, so no history, no rev,
    never synced. Runs in the caller's transaction; returns how many rows were written.
    """
    values = compute_due(db, entry_ids, task_ids, today, stale_only=entry_ids is None and task_ids is None)
    if values:
        with db.atomic():
            db.conn.executemany("UPDATE entries SET due = ?, due_kind = ?, due_on = ? WHERE id = ?", values)
    return len(values)


def fresh_due(db, today=None, entry_ids=None) -> str:
    """Make the stored due dates current for `today` (all entries, or those of `entry_ids`) and
    return the SQL expression that reads an entry's due date (table alias e).

    Cheap when nothing is stale: one indexed SELECT. A database open read-only cannot store
    them: there the stale rows are computed into a temporary table the expression falls back to.
    """
    stamp = (as_date(today) or date.today()).isoformat()
    if not _read_only(db):
        try:
            if entry_ids is None:
                refresh_due(db, today=stamp)
            else:
                stale = _stale_ids(db, stamp, entry_ids)
                if stale:
                    refresh_due(db, entry_ids=stale, today=stamp)
            return "e.due"
        except ReadOnlyStorage:  # opened read-only earlier, or the medium became so: compute below
            pass
    db.execute("CREATE TEMP TABLE IF NOT EXISTS entry_due (id TEXT PRIMARY KEY, due TEXT)")
    db.execute("DELETE FROM temp.entry_due")
    stale = _stale_ids(db, stamp, entry_ids)
    if stale:
        values = compute_due(db, entry_ids=stale, today=stamp)
        db.conn.executemany("INSERT INTO temp.entry_due(id, due) VALUES (?, ?)", [(v[3], v[0]) for v in values])
    return f"(CASE WHEN e.due_on = '{stamp}' THEN e.due ELSE (SELECT d.due FROM temp.entry_due d WHERE d.id = e.id) END)"


def _stale_ids(db, stamp: str, entry_ids=None) -> list[str]:
    if entry_ids is None:
        return [r[0] for r in db.execute(f"SELECT e.id FROM entries e WHERE {_STALE}", [stamp, stamp])]
    ids, out = sorted(set(entry_ids)), []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        out += [r[0] for r in db.execute(
            f"SELECT e.id FROM entries e WHERE e.id IN ({','.join('?' * len(chunk))}) AND {_STALE}", [*chunk, stamp, stamp])]
    return out


def _read_only(db) -> bool:
    path = db_file(db)
    return path is not None and is_read_only(path)
