"""Killing the program (SIGKILL) at the risky moments never leaves a broken ledger or a half file.

Each operation runs as `python main.py …` in a subprocess on a fresh copy of a ledger. A first run
with $ZWGK_TEST_MARKER set lists the moments it passes (db.connection.crash_point: inside each
transaction before its commit, after a temp file is made, before its rename, before a restore
copies the backup in); then one run per moment is held there ($ZWGK_TEST_HOLD) and killed once it
has written the marker, so the kill is synchronised on the program, not on a clock. Afterwards
the database passes quick_check and foreign_key_check and holds all or nothing of the operation
(row counts equal those before or those after a completed run); an output file is absent or
complete and valid, and the only leftovers are temporary dot-files ending in .part, which the
next start removes. The quick tier kills two operations at one moment of each kind; the `slow`
tests kill every operation at every moment.
"""

import random
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.robustness.conftest import (
    PLAN_DOCX,
    UNIT,
    cli_command,
    cli_env,
    consistency_problems,
    copy_db,
    require,
    run,
    signature,
)

KILLS = 20
SEED = 8


def valid_docx(path: Path) -> None:
    import docx

    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert "word/document.xml" in zf.namelist()
    docx.Document(str(path))


def valid_xlsx(path: Path) -> None:
    import openpyxl

    openpyxl.load_workbook(path).close()


def valid_zip(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert "manifest.json" in zf.namelist()


def leftovers(folder: Path, expected: set) -> list[str]:
    """Files in `folder` other than the expected ones, the database's own and temp dot-files."""
    found = []
    for p in folder.iterdir():
        name = p.name
        if name in expected or name.startswith("ledger.sqlite3") or name.startswith("ledger-"):
            continue
        if name.startswith(".") and (name.endswith(".part") or name.startswith((".restore-", ".archive-"))):
            continue
        found.append(name)
    return found


KILLED = -signal.SIGKILL if sys.platform != "win32" else 1  # the exit code of proc.kill()


def marked_run(argv, db_path: Path, marker: Path, hold: int | None = None) -> subprocess.Popen:
    """Start `argv` on `db_path`, writing its crash points to `marker` (and waiting at the `hold`-th)."""
    env = {**cli_env(), "ZWGK_TEST_MARKER": str(marker)}
    if hold is not None:
        env["ZWGK_TEST_HOLD"] = str(hold)
    args = [a(db_path) if callable(a) else a for a in argv]
    return subprocess.Popen(cli_command(*args, db_path=db_path), env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def points_passed(marker: Path) -> list[str]:
    return marker.read_text(encoding="utf-8").splitlines() if marker.exists() else []


def kill_loop(tmp_path, base: Path, argv, output: Path | None = None, check_output=None, prepare=None, only=None):
    """Kill `argv` once at each crash point it passes (at most KILLS, a seeded sample); check every aftermath.

    With `only` (point names), kill it just at the last passing of each of those points (the
    operation's own, after the start-up's snapshot).

    Returns (killed_midway, completed) counts.
    """
    from core.storage import housekeeping

    # the reference run: which moments the operation passes and what the database holds after it
    ref = copy_db(base, tmp_path / "ref" / "ledger.sqlite3")
    if prepare:
        prepare(ref)
    before = signature(ref)
    proc = marked_run(argv, ref, tmp_path / "ref" / "marker.txt")
    _, err = proc.communicate()
    assert proc.returncode == 0, err.decode("utf-8", "replace")
    assert consistency_problems(ref) == []
    after = signature(ref)
    points = points_passed(tmp_path / "ref" / "marker.txt")
    assert points, f"{argv[:2]} passes no crash point (db.connection.crash_point)"
    holds = list(range(1, len(points) + 1))
    if only:
        holds = [len(points) - points[::-1].index(name) for name in only]
    elif len(holds) > KILLS:
        holds = sorted(random.Random(f"{SEED}-{argv[0]}").sample(holds, KILLS))

    def one_run(hold):
        work = tmp_path / f"run{hold}"
        db_path = copy_db(base, work / "ledger.sqlite3")
        if prepare:
            prepare(db_path)
        marker = work.parent / f"marker{hold}.txt"
        proc = marked_run(argv, db_path, marker, hold)
        while len(points_passed(marker)) < hold and proc.poll() is None:
            time.sleep(0.02)  # waiting for the program to reach the point (no timing is judged)
        was_killed = proc.poll() is None
        if was_killed:
            proc.kill()
        _, err = proc.communicate()
        err = err.decode("utf-8", "replace")
        where = f"killed at point {hold} ({points[hold - 1]})"
        assert proc.returncode in (0, KILLED), f"{where}: exit {proc.returncode}: {err}"
        assert consistency_problems(db_path) == [], where
        assert signature(db_path) in (before, after), f"{where}: partial operation {signature(db_path)}"
        if output is not None:
            target = work / output
            if target.exists():
                check_output(target)
            assert leftovers(work, {output.name}) == [], where
        removed = housekeeping.cleanup_temp_files(db_path)  # what the next start does (startup_checks.prepare)
        assert not [p.name for p in work.iterdir() if p.name.endswith(".part") or p.name.startswith(".restore-")], where
        from db.connection import open_db

        open_db(db_path).conn.close()  # the next start opens it normally
        return was_killed, bool(removed)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(one_run, holds))
    killed = sum(k for k, _ in outcomes)
    completed = len(holds) - killed
    print(f"\n{' '.join(map(str, argv[:2]))}: points {points}; {killed} killed at a point, {completed} completed, "
          f"{sum(r for _, r in outcomes)} left temp files that the next start removed")
    return killed, completed


def test_kill_inside_a_transaction(tmp_path, base_dbs):
    """Quick tier: a ledger change killed just before its commit leaves the ledger as it was."""
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现，没有可修改的台账")
    argv = ["ledger", "update", "1", "--status", "推进中", "--progress", "已在政府网站公开政策文件", "--date", "2024-07-01"]
    assert kill_loop(tmp_path, base_dbs["imported"], argv, only=["before-commit"]) == (1, 0)


def test_kill_while_a_file_is_written(tmp_path, base_dbs):
    """Quick tier: an export killed with its temp file empty, then before the rename, leaves no file but a temp one."""
    base = base_dbs.get("imported", base_dbs["empty"])
    out = Path("台账.xlsx")
    argv = ["export", "ledger", "--format", "xlsx", "--out", lambda db: db.parent / out]
    assert kill_loop(tmp_path, base, argv, output=out, check_output=valid_xlsx, only=["temp-file", "before-rename"]) == (2, 0)


@pytest.mark.slow
def test_kill_during_import_plan(tmp_path, base_dbs):
    require("import-plan")
    killed, _ = kill_loop(tmp_path, base_dbs["empty"], ["import-plan", str(PLAN_DOCX)])
    assert killed > 0


@pytest.mark.slow
def test_kill_during_ledger_update(tmp_path, base_dbs):
    require("ledger", "update")
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现，没有可修改的台账")
    argv = ["ledger", "update", "1", "--status", "推进中", "--progress", "已在政府网站公开政策文件", "--date", "2024-07-01", "--measure", "每月更新一次"]
    killed, _ = kill_loop(tmp_path, base_dbs["imported"], argv)
    assert killed > 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt, check", [("docx", valid_docx), ("xlsx", valid_xlsx)])
def test_kill_during_export(tmp_path, base_dbs, fmt, check):
    require("export", "ledger")
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现，没有可导出的台账")
    out = Path(f"台账.{fmt}")
    argv = ["export", "ledger", "--format", fmt, "--out", lambda db: db.parent / out]
    killed, _ = kill_loop(tmp_path, base_dbs["imported"], argv, output=out, check_output=check)
    assert killed > 0


@pytest.mark.slow
def test_kill_during_unpack(tmp_path, base_dbs):
    require("unpack")
    require("pack", "task")
    require("import-plan")
    county = tmp_path / "county" / "ledger.sqlite3"
    run("profile", "set", "--name", "博山区政府办公室", "--kind", "县政府办公室", "--role", "汇总单位", "--county", "博山区", db_path=county)
    run("import-plan", PLAN_DOCX, db_path=county)
    package = tmp_path / "county" / "任务包.zwgk"
    run("pack", "task", "--out", package, "--unit", UNIT, db_path=county)
    killed, _ = kill_loop(tmp_path, base_dbs["empty"], ["unpack", str(package)])
    assert killed > 0


@pytest.mark.slow
def test_kill_during_roundtrip_xlsx(tmp_path, base_dbs):
    require("roundtrip-xlsx")
    require("export", "ledger")
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现")
    import openpyxl

    edited = tmp_path / "edited.xlsx"
    run("export", "ledger", "--format", "xlsx", "--out", edited, db_path=copy_db(base_dbs["imported"], tmp_path / "x" / "ledger.sqlite3"))
    wb = openpyxl.load_workbook(edited)
    ws = wb.active
    for row in range(4, min(ws.max_row, 12) + 1):
        ws.cell(row, 6).value = "张三"
        ws.cell(row, 8).value = "推进中"
    wb.save(edited)
    killed, _ = kill_loop(tmp_path, base_dbs["imported"], ["roundtrip-xlsx", str(edited)])
    assert killed > 0


@pytest.mark.slow
def test_kill_during_restore(tmp_path, base_dbs):
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现")
    archive = tmp_path / "backup.zip"
    run("backup", "--out", archive, db_path=copy_db(base_dbs["imported"], tmp_path / "src" / "ledger.sqlite3"))
    killed, _ = kill_loop(tmp_path, base_dbs["empty"], ["restore", str(archive)])
    assert killed > 0


@pytest.mark.slow
def test_kill_during_backup_to_file(tmp_path, base_dbs):
    base = base_dbs.get("imported", base_dbs["empty"])
    out = Path("备份.zip")
    killed, _ = kill_loop(tmp_path, base, ["backup", "--out", lambda db: db.parent / out], output=out, check_output=valid_zip)
    assert killed > 0
