"""The program's rotating log file, kept beside the database."""

import logging
import logging.handlers
from pathlib import Path

from core.paths import beside_db


def log_dir(db_path) -> Path:
    """The folder holding the log files of the database at `db_path`."""
    return beside_db(db_path, "logs")


def setup_logging(db_path, level=logging.INFO) -> Path:
    """Send log records to a rotating file (1 MB × 5) beside the database; return its path."""
    folder = log_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "zwgk.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    return path
