"""Sync by file exchange: .zwgk packages out and in, the county merge, the Excel round trip.

Public API:
    pack(db, db_path, kind, out, unit=None)          write a 任务包 / 报送包
    unpack(db, db_path, paths, dry_run=False, progress=None)   import packages, merge report
    unit_states(db)                                   each unit's state, for the county
    merge.list_conflicts / merge.restore_conflict / merge.dismiss_conflict
    roundtrip.read_changes / roundtrip.apply_changes  the ledger .xlsx edited in Excel/WPS
"""

from datetime import date

from core.exchange.packs import pack, unpack  # noqa: F401

DONE = "已完成"


def unit_states(db, today: date | None = None) -> list[dict]:
    """One row per unit known to this office: entries, done, overdue, last report.

    Keys: unit, entries, done, overdue, last_report (package creation time of the newest
    报送包 imported, or None), last_imported, reports (报送包 imported), has_key.
    """
    from core.ledger import list_entries

    units: dict[str, dict] = {}

    def state(name):
        return units.setdefault(name, {"unit": name, "entries": 0, "done": 0, "overdue": 0, "last_report": None,
                                       "last_imported": None, "reports": 0, "has_key": False})

    from core.exchange import signing

    for name in signing.issued_units(db):
        state(name)["has_key"] = True
    for entry in list_entries(db, unit=None, today=today) if _is_county(db) else []:
        s = state(entry["unit"])
        s["entries"] += 1
        s["done"] += entry["status"] == DONE
        s["overdue"] += bool(entry.get("overdue"))
    for sender, last, imported, n in db.execute(
        "SELECT sender, max(created_at), max(imported_at), count(*) FROM exchange_log WHERE kind = 'report' GROUP BY sender"
    ):
        s = state(sender)
        s["last_report"], s["last_imported"], s["reports"] = last, imported, n
    return sorted(units.values(), key=lambda s: s["unit"])


def _is_county(db) -> bool:
    from core import settings

    return (settings.profile(db) or {}).get("role") == "汇总单位"
