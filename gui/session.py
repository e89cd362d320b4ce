"""What every page shares: the database, the office's profile, and a signal when data changes."""

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core import settings
from core.storage.startup import prepare
from db.connection import open_db


class Session(QObject):
    """The open ledger. Pages read through `db` on the main thread; workers open their own."""

    data_changed = Signal(str)  # what changed: "plan", "ledger", "activities", "profile", …
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

    def notify(self, what: str) -> None:
        self.data_changed.emit(what)

    def close(self) -> None:
        self.db.conn.close()
