"""Changing the ledger: an entry's fields, its 工作举措, progress lines (with evidence) and event dates.

Every change is one transaction through core.records, which keeps history and revisions; a
change to an input of the due date restores the stored due date in the same transaction.
"""

from datetime import date

from core import records
from core.calendar.dates import as_date, parse_user_date
from core.errors import UserError
import core.ledger.attachments as attachments
from core.ledger.due import refresh_due
from core.ledger.entries import FIELD_NAMES
from core.vocab import DONE, STATUSES


EDITABLE = ("leader", "office", "handler", "status", "completed_on", "note", "due_override")


MAX_TEXT = 4000


def _require_entry(db, entry_id: str) -> dict:
    row = db.execute("SELECT id, year, status, completed_on, deleted FROM entries WHERE id = ?", [entry_id]).fetchone()
    if row is None or row[4]:
        raise UserError("找不到这条台账，它可能已被删除。请刷新列表后重试。")
    return {"id": row[0], "year": row[1], "status": row[2], "completed_on": row[3]}


def validate_changes(db, entry_id: str, changes: dict) -> dict:
    """Checked and normalised field changes for one entry (dates typed any common way)."""
    entry = _require_entry(db, entry_id)
    clean = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise UserError(f"字段“{key}”不能在台账中修改。")
        if key == "status":
            if value not in STATUSES:
                raise UserError(f"状态“{value}”无效，请选择：{'、'.join(STATUSES)}（逾期由程序自动判断，无需填写）。")
        elif key in ("completed_on", "due_override"):
            value = parse_user_date(value, entry["year"]) if (value or "").strip() else None
        else:
            value = (value or "").strip()
            if len(value) > MAX_TEXT:
                raise UserError(f"{FIELD_NAMES[key]}过长（{len(value)} 字），请控制在 {MAX_TEXT} 字以内。")
        clean[key] = value
    return clean


def update_entry(db, entry_id: str, changes: dict, today=None) -> dict:
    """Change some fields of one entry in one transaction; returns {field: (old, new)}.

    Setting status 已完成 without a completion date records today's date.
    """
    clean = validate_changes(db, entry_id, changes)
    if clean.get("status") == DONE and "completed_on" not in clean:
        current = _require_entry(db, entry_id)
        if not current["completed_on"]:
            clean["completed_on"] = (as_date(today) or date.today()).isoformat()
    with db.atomic():
        changed = records.update(db, "entries", entry_id, clean)
        if "status" in changed or "due_override" in changed:
            refresh_due(db, entry_ids=[entry_id], today=today)
        return changed


def set_measures(db, entry_id: str, texts: list[str]) -> None:
    """Make the entry's 工作举措 exactly `texts`, in order, keeping unchanged ones."""
    _require_entry(db, entry_id)
    texts = [t.strip() for t in texts if t and t.strip()]
    for t in texts:
        if len(t) > MAX_TEXT:
            raise UserError(f"工作举措过长（{len(t)} 字），请控制在 {MAX_TEXT} 字以内或分成几条。")
    current = list(db.query("SELECT id, text, position FROM measures WHERE entry_id = ? AND deleted = 0 ORDER BY position", [entry_id]))
    with db.atomic():
        for position, text in enumerate(texts):
            if position < len(current):
                records.update(db, "measures", current[position]["id"], {"text": text, "position": position})
            else:
                records.insert(db, "measures", {"entry_id": entry_id, "position": position, "text": text})
        for row in current[len(texts):]:
            records.delete(db, "measures", row["id"])


def measures_of(db, entry_id: str) -> list[str]:
    """The entry's 工作举措 texts in order."""
    return [r[0] for r in db.execute("SELECT text FROM measures WHERE entry_id = ? AND deleted = 0 ORDER BY position", [entry_id])]


def add_measure(db, entry_id: str, text: str) -> None:
    """Append one 工作举措 (unless the entry already has exactly this text)."""
    current = measures_of(db, entry_id)
    if text.strip() and text.strip() not in current:
        set_measures(db, entry_id, current + [text])


def add_progress(db, entry_id: str, date: str, text: str, duty: str = "") -> dict:
    """Append one line to the entry's progress log (date typed any common way)."""
    entry = _require_entry(db, entry_id)
    text = (text or "").strip()
    if not text:
        raise UserError("进展内容不能为空，请写明做了什么，例如“7月1日在政府网站发布政策解读”。")
    if len(text) > MAX_TEXT:
        raise UserError(f"进展内容过长（{len(text)} 字），请控制在 {MAX_TEXT} 字以内。")
    day = parse_user_date(date, entry["year"])
    with db.atomic():
        return records.insert(db, "progress", {"entry_id": entry_id, "date": day, "text": text, "duty": (duty or "").strip()})


def add_progress_with_evidence(db, db_path, entry_id: str, day: str, text: str, duty: str = "", files=(), links=()) -> dict:
    """One progress line with its evidence (files copied beside the ledger, links), in one transaction.

    Every file is checked before anything is written; if any step fails, the files already
    copied are removed again and no line is recorded.
    """
    for f in files:
        attachments.check_file(f)
    copied = []
    try:
        with db.atomic():
            row = add_progress(db, entry_id, day, text, duty)
            for link in links:
                attachments.add_link(db, row["id"], link)
            for f in files:
                att = attachments.add_file(db, db_path, row["id"], f)
                copied.append(attachments.folder(db_path) / att["stored_name"])
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    return row


def remove_progress(db, progress_id: str) -> None:
    """Delete one progress line (a tombstone; it stays in history)."""
    with db.atomic():
        records.delete(db, "progress", progress_id)


def restore_record(db, table: str, record_id: str) -> None:
    """Undo a delete: clear the tombstone of one record."""
    with db.atomic():
        records.update(db, table, record_id, {"deleted": 0})
        if table == "events":
            _refresh_event_entry(db, record_id)


def add_event(db, entry_id: str, day: str, note: str = "") -> dict:
    """Record the date of an event an event-relative deadline counts from."""
    entry = _require_entry(db, entry_id)
    iso = parse_user_date(day, entry["year"])
    with db.atomic():
        row = records.insert(db, "events", {"entry_id": entry_id, "date": iso, "note": (note or "").strip()})
        refresh_due(db, entry_ids=[entry_id])
        return row


def close_event(db, event_id: str, done_on=None) -> None:
    """Mark an event's follow-up as done (its deadline no longer counts)."""
    with db.atomic():
        records.update(db, "events", event_id, {"done_on": (as_date(done_on) or date.today()).isoformat()})
        _refresh_event_entry(db, event_id)


def remove_event(db, event_id: str) -> None:
    """Delete one event date."""
    with db.atomic():
        records.delete(db, "events", event_id)
        _refresh_event_entry(db, event_id)


def _refresh_event_entry(db, event_id: str) -> None:
    """Recompute the stored due date of the entry an event belongs to."""
    row = db.execute("SELECT entry_id FROM events WHERE id = ?", [event_id]).fetchone()
    if row:
        refresh_due(db, entry_ids=[row[0]])
