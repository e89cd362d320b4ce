"""Creating and changing synced records: uuid keys, revisions, history."""

import json
import uuid
from datetime import datetime, timezone

from core import settings
from core.text import normalise_nested


def new_id() -> str:
    """A fresh record key."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """The current UTC time as ISO text with microseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def clean(record: dict) -> dict:
    """`record` with every text in it (also inside lists and dicts) passed through core.text.normalise."""
    return {k: normalise_nested(v) for k, v in record.items()}


def stamp(db, record: dict) -> dict:
    """`record` (its texts normalised) with the sync columns set for a new local record."""
    who = settings.author(db)
    record = clean(record)
    return {
        "id": record.get("id") or new_id(),
        **record,
        "rev": record.get("rev", 1),
        "updated_at": utc_now(),
        "updated_by": who["unit"],
        "device": who["device"],
        "deleted": record.get("deleted", 0),
    }


def insert(db, table: str, record: dict) -> dict:
    """Insert a new local record and return it with its sync columns."""
    row = stamp(db, record)
    db[table].insert(row)
    return row


def update(db, table: str, record_id: str, changes: dict) -> dict:
    """Apply `changes` (their texts normalised) to one record: bump rev, log each changed field in history.

    Returns {field: (old, new)} for the fields that really changed.
    """
    current = db[table].get(record_id)
    changes = clean(changes)
    changed = {k: (current.get(k), v) for k, v in changes.items() if _norm(current.get(k)) != _norm(v)}
    if not changed:
        return {}
    who = settings.author(db)
    at = utc_now()
    db[table].update(
        record_id,
        {
            **{k: new for k, (_, new) in changed.items()},
            "rev": current["rev"] + 1,
            "updated_at": at,
            "updated_by": who["unit"],
            "device": who["device"],
        },
    )
    db["history"].insert_all(
        {
            "table_name": table,
            "record_id": record_id,
            "field": k,
            "old": _text(old),
            "new": _text(new),
            "at": at,
            "by": who["unit"],
        }
        for k, (old, new) in changed.items()
    )
    return changed


def delete(db, table: str, record_id: str) -> None:
    """Mark a record deleted (a tombstone that travels to other offices)."""
    update(db, table, record_id, {"deleted": 1})


def _norm(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _text(value):
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
