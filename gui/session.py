"""What every page shares: the database, the office's profile, and a signal when data changes."""

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from core import settings
from db.connection import open_db


class Session(QObject):
    """The open ledger. Pages read through `db` on the main thread; workers open their own."""

    data_changed = Signal(str)  # what changed: "plan", "ledger", "activities", "profile", …
    status_message = Signal(str)

    def __init__(self, db_path):
        super().__init__()
        self.db_path = Path(db_path)
        self.db = open_db(self.db_path)

    @property
    def read_only(self) -> bool:
        """Whether the ledger is open read-only (a second copy, or a database that cannot be written)."""
        from db.connection import is_read_only

        return is_read_only(self.db_path)

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
