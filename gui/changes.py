"""Typed change notices: what changed, which entries, and who changed it (as Anki's OpChanges).

A page that writes tells the others through `Session.publish(kinds, ids=..., initiator=self)`;
`Session.changed` carries one `Changes`. A page declares the kinds it shows with `ChangeWatch`:
it redraws only for those, not at all for its own changes, and — while hidden — only once it is
shown again.
"""

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject

# The one list of record kinds a notice may name.
KINDS = frozenset({
    "profile",      # the office's name, kind and role
    "plan",         # plans and their tasks (which of them are this unit's)
    "entries",      # ledger entries: fields, 工作举措, event dates, selection
    "progress",     # progress lines and their evidence
    "activities",   # 政府开放活动
    "requests",     # 依申请公开 register and its appeals
    "report",       # annual report values typed in
    "calendar",     # the working-day calendar
    "roster",       # the county's unit roster
    "inspections",  # findings, corrections, score rules and adjustments
    "exchange",     # packages sent and received, pinned keys, conflicts
    "all",          # anything may have changed (a restore)
})
ALL = "all"

# The kind of each synced table's records (every table of db.schema.SYNCED_TABLES; a test checks):
# what a package, a round trip or a restored conflict may touch.
TABLE_KINDS = {
    "plans": "plan", "tasks": "plan",
    "entries": "entries", "measures": "entries", "events": "entries",
    "progress": "progress", "attachments": "progress",
    "activities": "activities",
    "requests": "requests", "request_appeals": "requests",
    "report_values": "report",
    "inspections": "inspections", "corrections": "inspections",
}
PACKAGE = frozenset(TABLE_KINDS.values()) | {"exchange"}  # what importing packages may change


@dataclass(frozen=True)
class Changes:
    """One notice: `kinds` of records changed, the entry `ids` touched (empty: unknown, maybe all),
    and the `initiator` (the page that made the change, which does not reload itself)."""

    kinds: frozenset
    ids: frozenset = frozenset()
    initiator: object | None = None

    def __post_init__(self):
        if isinstance(self.kinds, str) or isinstance(self.ids, str):
            raise TypeError("Changes takes sets of kinds and ids, not a single string")
        kinds, ids = frozenset(self.kinds), frozenset(self.ids)
        unknown = kinds - KINDS
        if unknown or not kinds:
            raise ValueError(f"unknown change kinds {sorted(unknown)}; use gui.changes.KINDS")
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "ids", ids)

    def touches(self, kinds) -> bool:
        """Whether a page showing `kinds` is affected."""
        return ALL in self.kinds or not self.kinds.isdisjoint(kinds)

    def only(self, kinds) -> bool:
        """Whether every kind changed is among `kinds` ("all" never is)."""
        return ALL not in self.kinds and self.kinds <= frozenset(kinds)

    def __or__(self, other: "Changes") -> "Changes":
        """Both notices as one (for a page that was hidden): known ids only if both knew them."""
        ids = self.ids | other.ids if self.ids and other.ids else frozenset()
        return Changes(self.kinds | other.kinds, ids, self.initiator if self.initiator is other.initiator else None)


class ChangeWatch(QObject):
    """Calls `redraw(changes)` for the notices `page` shows: at once while the page is visible,
    else once, with everything missed, when it is next shown. The page's own notices are skipped."""

    def __init__(self, page, session, kinds, redraw):
        super().__init__(page)
        unknown = frozenset(kinds) - KINDS
        if unknown:
            raise ValueError(f"unknown change kinds {sorted(unknown)}; use gui.changes.KINDS")
        self.page, self.kinds, self.redraw = page, frozenset(kinds), redraw
        self.pending: Changes | None = None
        session.changed.connect(self.receive)
        page.installEventFilter(self)

    @property
    def stale(self) -> bool:
        return self.pending is not None

    def receive(self, changes: Changes) -> None:
        if changes.initiator is self.page or not changes.touches(self.kinds):
            return
        if self.page.isVisible():
            self.redraw(changes)
        else:
            self.pending = changes if self.pending is None else self.pending | changes

    def eventFilter(self, obj, event) -> bool:
        if obj is self.page and event.type() == QEvent.Show and self.pending is not None:
            pending, self.pending = self.pending, None
            self.redraw(pending)
        return False
