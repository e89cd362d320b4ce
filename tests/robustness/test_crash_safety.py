"""Killing the program (SIGKILL) at random moments never leaves a broken ledger or a half file.

Each operation runs as `python main.py …` in a subprocess on a fresh copy of a ledger and is
killed after a random delay (seeded, so a failure can be replayed). Afterwards the database
passes quick_check and foreign_key_check and holds all or nothing of the operation (row counts
equal those before or those after a completed run); an output file is absent or complete and
valid, and the only leftovers are temporary dot-files ending in .part, which the next start removes.
"""

import random
from concurrent.futures import ThreadPoolExecutor
import signal
import subprocess
import time
import zipfile
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


def kill_loop(tmp_path, base: Path, argv, output: Path | None = None, check_output=None, prepare=None):
    """Run `argv` KILLS times, each killed at a random moment; check every aftermath.

    Returns (killed_midway, completed) counts.
    """
    from core.storage import housekeeping

    rng = random.Random(f"{SEED}-{argv[0]}-{argv[1] if len(argv) > 1 else ''}")
    # reference runs, two at once as in the loop: how long they take and what the database holds after
    refs = [copy_db(base, tmp_path / f"ref{n}" / "ledger.sqlite3") for n in (1, 2)]
    for ref in refs:
        if prepare:
            prepare(ref)
    before = signature(refs[0])
    started = time.monotonic()
    procs = [
        subprocess.Popen(cli_command(*[a(ref) if callable(a) else a for a in argv], db_path=ref), env=cli_env(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for ref in refs
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    duration = time.monotonic() - started
    after = signature(refs[0])
    delays = [rng.uniform(0.3, 1.2) * duration for _ in range(KILLS)]

    def one_run(i):
        work = tmp_path / f"run{i}"
        db_path = copy_db(base, work / "ledger.sqlite3")
        if prepare:
            prepare(db_path)
        args = [a(db_path) if callable(a) else a for a in argv]
        proc = subprocess.Popen(cli_command(*args, db_path=db_path), env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delays[i])
        was_killed = proc.poll() is None
        if was_killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        assert proc.returncode in (0, -signal.SIGKILL), f"run {i}: exit {proc.returncode}: {err}"
        assert consistency_problems(db_path) == [], f"run {i}"
        assert signature(db_path) in (before, after), f"run {i}: partial operation {signature(db_path)}"
        if output is not None:
            target = work / output
            if target.exists():
                check_output(target)
            assert leftovers(work, {output.name}) == []
        removed = housekeeping.cleanup_temp_files(db_path)  # what the next start does (startup_checks.prepare)
        assert not [p.name for p in work.iterdir() if p.name.endswith(".part") or p.name.startswith(".restore-")]
        from db.connection import open_db

        open_db(db_path).conn.close()  # the next start opens it normally
        return was_killed, bool(removed)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(one_run, range(KILLS)))
    killed = sum(k for k, _ in outcomes)
    completed = KILLS - killed
    print(f"\n{' '.join(map(str, argv[:2]))}: {killed} killed midway, {completed} completed, "
          f"{sum(r for _, r in outcomes)} left temp files that the next start removed")
    return killed, completed


def test_kill_during_import_plan(tmp_path, base_dbs):
    require("import-plan")
    killed, _ = kill_loop(tmp_path, base_dbs["empty"], ["import-plan", str(PLAN_DOCX)])
    assert killed > 0


def test_kill_during_ledger_update(tmp_path, base_dbs):
    require("ledger", "update")
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现，没有可修改的台账")
    argv = ["ledger", "update", "1", "--status", "推进中", "--progress", "已在政府网站公开政策文件", "--date", "2024-07-01", "--measure", "每月更新一次"]
    killed, _ = kill_loop(tmp_path, base_dbs["imported"], argv)
    assert killed > 0


@pytest.mark.parametrize("fmt, check", [("docx", valid_docx), ("xlsx", valid_xlsx)])
def test_kill_during_export(tmp_path, base_dbs, fmt, check):
    require("export", "ledger")
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现，没有可导出的台账")
    out = Path(f"台账.{fmt}")
    argv = ["export", "ledger", "--format", fmt, "--out", lambda db: db.parent / out]
    killed, _ = kill_loop(tmp_path, base_dbs["imported"], argv, output=out, check_output=check)
    assert killed > 0


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


def test_kill_during_restore(tmp_path, base_dbs):
    if "imported" not in base_dbs:
        pytest.skip("import-plan 尚未实现")
    archive = tmp_path / "backup.zip"
    run("backup", "--out", archive, db_path=copy_db(base_dbs["imported"], tmp_path / "src" / "ledger.sqlite3"))
    killed, _ = kill_loop(tmp_path, base_dbs["empty"], ["restore", str(archive)])
    assert killed > 0


def test_kill_during_backup_to_file(tmp_path, base_dbs):
    base = base_dbs.get("imported", base_dbs["empty"])
    out = Path("备份.zip")
    killed, _ = kill_loop(tmp_path, base, ["backup", "--out", lambda db: db.parent / out], output=out, check_output=valid_zip)
    assert killed > 0
