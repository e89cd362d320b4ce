import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def db(tmp_path):
    """A fresh migrated database file in a temporary folder."""
    from db.connection import open_db

    database = open_db(tmp_path / "ledger.sqlite3")
    yield database
    database.conn.close()


@pytest.fixture
def town_db(db):
    """A database whose profile is a town (镇) filing its own ledger."""
    from core import settings

    settings.set_profile(db, "城东街道", "街道", "填报单位", aliases=["城东街道办事处"], county="博山区")
    return db


@pytest.fixture
def samples():
    """The shared sample plans (skips where the shared folder is absent)."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


def run_cli(*args, db_path=None, env=None, timeout=120):
    """Run `python main.py ARGS` in a subprocess; return CompletedProcess with text output."""
    cmd = [sys.executable, str(ROOT / "main.py"), *map(str, args)]
    if db_path is not None:
        cmd += ["--db", str(db_path)]
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=full_env, cwd=ROOT)


@pytest.fixture
def cli(tmp_path):
    """Run the command line against a temporary database: cli('selftest')."""
    db_path = tmp_path / "cli.sqlite3"

    def call(*args, **kw):
        return run_cli(*args, db_path=db_path, **kw)

    call.db_path = db_path
    return call
