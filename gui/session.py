"""What every page shares: the database, the office's profile, and a typed notice when data changes."""

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core import settings
from core.storage.startup import prepare
from db.connection import open_db
from gui.changes import Changes


class Session(QObject):
    """The open ledger. Pages read through `db` on the main thread; workers open their own."""

    changed = Signal(object)  # one gui.changes.Changes: kinds of records, entry ids, initiator
    status_message = Signal(str)

    def __init__(self, db_path):
        super().__init__()
        self.db_path = Path(db_path)
        prepare(self.db_path)
        self.db = open_db(self.db_path)

    @property
    def read_only(self) -> str | None:
        """Why this ledger is open read-only (one Chinese sentence for the top of the window), or None."""
        from db.connection import read_only_reason

        return read_only_reason(self.db_path)

    def open_worker_db(self):
        """A separate connection for a background thread (WAL lets it write while pages read)."""
        return open_db(self.db_path)

    @property
    def profile(self) -> dict | None:
        return settings.profile(self.db)

    def publish(self, kinds, ids=(), initiator=None) -> Changes:
        """Tell every page that records of `kinds` (gui.changes.KINDS) changed; `ids`: the entries
        touched, if known; `initiator`: the page that made the change (it redraws itself)."""
        changes = Changes(frozenset(kinds), frozenset(ids), initiator)
        self.changed.emit(changes)
        return changes

    def close(self) -> None:
        self.db.conn.close()
