"""Full disk, locked file, read-only stick: every writer says so in one Chinese line, exit 2, no file left.

A real tiny tmpfs is mounted where the test may (root on Linux); elsewhere the same outcome is
checked with ENOSPC raised at the write call (tests/core/storage/test_atomic.py).
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import run_cli
from tests.robustness.unit_ledger import EXPORTS, build_unit_db, ok


# Real tmpfs mounts, a unit ledger per test: slow. The quick tier has the mocked full / read-only
# storage cases of tests/core/storage/test_atomic.py and tests/core/storage/test_health.py.
pytestmark = pytest.mark.slow

def _mount_tmpfs(folder, size="1m") -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def _fill(folder) -> None:
    """Write until the filesystem is full."""
    with open(folder / "filler.bin", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


@pytest.fixture
def stick(tmp_path):
    """A tiny tmpfs (a full USB stick once filled); skipped where mounting is not permitted."""
    folder = tmp_path / "stick"
    if not _mount_tmpfs(folder):
        pytest.skip("mounting a tmpfs is not permitted here; the mocked ENOSPC tests cover this")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def unit_db(tmp_path):
    return build_unit_db(tmp_path)


def _writes(out_dir):
    """Every writer's command: (args, output file)."""
    for form, fmts in EXPORTS.items():
        for fmt in fmts:
            out = out_dir / f"{form}.{fmt}"
            yield ["export", form, "--format", fmt, "--out", out, "--year", "2024"], out
    yield ["pack", "report", "--out", out_dir / "报送包.zwgk"], out_dir / "报送包.zwgk"
    yield ["backup", "--out", out_dir / "备份.zip"], out_dir / "备份.zip"


def test_every_writer_on_a_full_stick_says_disk_full_and_leaves_no_file(stick, unit_db):
    _fill(stick)
    before = sorted(p.name for p in stick.iterdir())
    for args, out in _writes(stick):
        result = run_cli(*args, db_path=unit_db)
        assert result.returncode == 2, (args, result.returncode, result.stderr)
        assert "磁盘空间不足" in result.stderr or "磁盘空间已满" in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert not out.exists(), args
        assert sorted(p.name for p in stick.iterdir()) == before, args  # no temporary file left either


def test_every_writer_on_a_read_only_stick_says_read_only(stick, unit_db):
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    for args, out in _writes(stick):
        result = run_cli(*args, db_path=unit_db)
        assert result.returncode == 2, (args, result.stderr)
        assert "只读" in result.stderr or "写保护" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and not out.exists()


def test_a_ledger_on_a_full_disk_is_reported_as_disk_full(stick, unit_db):
    import shutil

    db = stick / "unit.sqlite3"
    shutil.copyfile(unit_db, db)
    _fill(stick)
    result = run_cli("ledger", "update", "1", "--progress", "召开专题会议" * 2000, db_path=db)
    assert result.returncode == 2 and "磁盘空间" in result.stderr and "拔出" not in result.stderr, result.stderr


def test_a_ledger_on_a_write_protected_stick_opens_read_only(stick, unit_db):
    import shutil

    db = stick / "unit.sqlite3"
    shutil.copyfile(unit_db, db)
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    listed = ok(run_cli("ledger", "list", "--json", db_path=db))
    assert json.loads(listed.stdout)["entries"]
    refused = run_cli("ledger", "update", "1", "--status", "推进中", db_path=db)
    assert refused.returncode == 2 and "只读" in refused.stderr


def test_the_window_is_told_why_the_ledger_is_read_only(stick, unit_db, monkeypatch):
    import shutil

    from db import connection

    db = stick / "unit.sqlite3"
    shutil.copyfile(unit_db, db)
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    monkeypatch.setattr(connection, "_READ_ONLY", {})
    assert connection.storage_is_read_only(db)
    opened = connection.open_db(db)
    try:
        assert opened.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
        assert "写保护" in connection.read_only_reason(db)
    finally:
        opened.conn.close()
