"""Where the program keeps its files."""

import os
from pathlib import Path

APP_NAME = "zwgk-ledger"


def data_dir() -> Path:
    """The user data folder (e.g. %LOCALAPPDATA%\\zwgk-ledger on Windows)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database file: $ZWGK_DB if set, else ledger.sqlite3 in the data folder."""
    env = os.environ.get("ZWGK_DB")
    return Path(env) if env else data_dir() / "ledger.sqlite3"


def beside_db(db_path, name: str) -> Path:
    """A folder that belongs to the database at `db_path` (attachments, backups, logs)."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-{name}"


def resources_dir() -> Path:
    """The shipped resources folder (inside the bundle when frozen by PyInstaller)."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"
