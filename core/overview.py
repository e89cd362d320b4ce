"""Figures for the 概览 page."""

from core import settings


def summary(db) -> dict:
    """The profile, the plans held, and ledger entries counted by status."""
    plans = [
        dict(row)
        for row in db.query("SELECT id, year, title, doc_no FROM plans WHERE deleted = 0 ORDER BY year DESC, updated_at DESC")
    ]
    by_status = {
        row["status"]: row["n"]
        for row in db.query(
            "SELECT status, count(*) AS n FROM entries WHERE deleted = 0 AND selection != 'dropped' GROUP BY status ORDER BY status"
        )
    }
    return {"profile": settings.profile(db), "plans": plans, "by_status": by_status}
