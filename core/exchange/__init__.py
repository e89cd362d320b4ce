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


def unit_states(db, today: date | None = None, year=None) -> list[dict]:
    """One row per unit known to this office: entries, done, overdue, last report.

    Keys: unit, entries, done, overdue, last_report (package creation time of the newest
    报送包 imported, or None), last_imported, reports (报送包 imported), has_key, and the rest
    of core.roster.report_status (the one computation of who has reported).
    """
    from core.roster import report_status

    return report_status(db, year=year, today=today)
