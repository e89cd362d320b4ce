"""Shared helpers for the crash-safety and hostile-input tests."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "samples"
PLAN_DOCX = SAMPLES / "boshan-2024-plan.docx"
PLAN_XLSX = SAMPLES / "boshan-2024-tasks.xlsx"
UNIT = "博山区城东街道"


def commands() -> dict:
    """{command: set of its sub-commands (empty when it has none)} of the current command line."""
    import argparse

    from cli.app import build_parser

    def subs(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action.choices
        return {}

    return {name: set(subs(p)) for name, p in subs(build_parser()).items()}


def require(command: str, sub: str | None = None) -> None:
    """Skip the test (with the reason) when a command is not on the command line yet."""
    known = commands()
    if command not in known:
        pytest.skip(f"命令 {command} 尚未实现")
    if sub and known[command] and sub not in known[command]:
        pytest.skip(f"命令 {command} {sub} 尚未实现")


def cli_env() -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}


def cli_command(*args, db_path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), *map(str, args), "--db", str(db_path)]


def run(*args, db_path, timeout=120, check=True) -> subprocess.CompletedProcess:
    """Run one command in a subprocess; with check, fail the test on a non-zero exit."""
    done = subprocess.run(
        cli_command(*args, db_path=db_path), capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, env=cli_env(), cwd=ROOT,
    )
    if check and done.returncode != 0:
        pytest.fail(f"{args} exited {done.returncode}: {done.stderr}")
    return done


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a closed ledger file (SQLite backup API)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    src.backup(dest)
    dest.close()
    src.close()
    return target


# The tables whose rows an operation changes; settings (device id) and search indexes are left out.
COUNTED = ("plans", "tasks", "entries", "measures", "progress", "attachments", "events", "activities", "history", "conflicts")


def signature(db_path: Path) -> dict:
    """Row counts of the synced tables plus history: equal before/after an all-or-nothing operation."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED if t in names}
    finally:
        conn.close()


def content_hash(db_path: Path) -> str:
    """A hash over every row of every table."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.text_factory = bytes  # damaged text must not stop the comparison
    digest = hashlib.sha256()
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            for row in conn.execute(f'SELECT * FROM "{name.decode()}" ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def consistency_problems(db_path: Path) -> list[str]:
    """quick_check and foreign_key_check of the file, as a list of problems."""
    from core.storage import health as integrity

    return integrity.quick_check(db_path) + integrity.foreign_key_problems(db_path)


@pytest.fixture(scope="session")
def base_dbs(tmp_path_factory):
    """Closed ledger files: 'empty' (profile only) and 'imported' (the sample plan imported)."""
    if not PLAN_DOCX.is_file():
        pytest.skip("../shared/samples is not present")
    folder = tmp_path_factory.mktemp("base")
    empty = folder / "empty.sqlite3"
    run("profile", "set", "--name", UNIT, "--alias", "城东街道", "--kind", "街道", "--role", "填报单位", db_path=empty)
    dbs = {"empty": empty}
    if "import-plan" in commands():
        imported = copy_db(empty, folder / "imported.sqlite3")
        run("import-plan", PLAN_DOCX, db_path=imported)
        dbs["imported"] = imported
    for path in dbs.values():
        shutil.rmtree(path.parent / f"{path.stem}-backups", ignore_errors=True)
    return dbs
