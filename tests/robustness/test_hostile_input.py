"""More than 1,000 broken and hostile files through the command line.

Every file ends with exit 2 and one Chinese line on stderr (or exit 0 with a sane result where
the mutation may leave a readable file), never a traceback or an internal error, nothing written
to the database when refused, with bounded memory and no hang. The bulk runs in-process through
cli.app.run (a sample of it in the quick tier, every file under the `slow` marker); a sample of
about 30 runs as real subprocesses, each under resource limits far above a normal run's (CPU time,
address space), so a runaway file is stopped and reported while a slow shared machine never fails
the test: nothing here measures how long anything takes.
"""

import contextlib
import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from tests.robustness import corpus
from tests.robustness.conftest import (
    PLAN_DOCX,
    PLAN_XLSX,
    UNIT,
    cli_command,
    cli_env,
    commands,
    consistency_problems,
    content_hash,
    copy_db,
    run,
)

if sys.platform != "win32":
    import resource  # POSIX only: the subprocess limits and the RSS figures

# Limits for one subprocess, only to stop a runaway: a normal run takes a few CPU seconds (a LibreOffice
# conversion included) and well under 1 GB of address space. CPU time does not grow on a busy machine.
CPU_LIMIT_S = 600
ADDRESS_SPACE_LIMIT = 16 << 30
# A subprocess that neither finishes nor spins (blocked for good) is stopped after this long; a
# normal run takes seconds even on a busy 2-core machine, so only a hang reaches it.
HANG_GUARD_S = 1800
MAX_TRACED_MB = 400  # peak Python allocations for one hostile file
MAX_RSS_MB = 1500  # the whole test process / one subprocess
CHINESE = re.compile(r"[\u4e00-\u9fff]")
BASE_FOR = {"parse-plan": "empty", "import-plan": "empty", "unpack": "empty", "roundtrip-xlsx": "imported", "restore": "imported"}
JSON_COMMANDS = {"parse-plan", "unpack", "roundtrip-xlsx"}
HEAVY = ("bomb", "laughs", "nesting", "huge", "json_garbage", "external")  # memory traced (slow)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, base_dbs):
    """(cases, base databases) — the corpus generated from the samples and files made here."""
    from core.storage import backup
    from core.storage import snapshots

    folder = tmp_path_factory.mktemp("hostile")
    sources = {"docx": PLAN_DOCX.read_bytes()}
    if PLAN_XLSX.is_file():
        sources["xlsx"] = PLAN_XLSX.read_bytes()
    known = commands()
    if "imported" in base_dbs:
        src = copy_db(base_dbs["imported"], folder / "src" / "ledger.sqlite3")
        sources["backup_zip"] = Path(backup.export_archive(src, folder / "src" / "b.zip")["path"]).read_bytes()
        sources["backup_db"] = snapshots.backup_before(src, "manual").read_bytes()
        if "export" in known:
            out = folder / "src" / "ledger.xlsx"
            done = run("export", "ledger", "--format", "xlsx", "--out", out, db_path=src, check=False)
            if done.returncode == 0:
                sources["ledger_xlsx"] = out.read_bytes()
            else:
                print("\nexport ledger failed, roundtrip-xlsx corpus left out:", done.stderr.strip())
    if "pack" in known and "import-plan" in known:
        county = folder / "county" / "ledger.sqlite3"
        run("profile", "set", "--name", "博山区政府办公室", "--kind", "县政府办公室", "--role", "汇总单位", "--county", "博山区", db_path=county)
        run("import-plan", PLAN_DOCX, db_path=county)
        run("pack", "task", "--out", folder / "county" / "t.zwgk", "--unit", UNIT, db_path=county)
        sources["zwgk"] = (folder / "county" / "t.zwgk").read_bytes()
    cases = corpus.generate(folder / "corpus", sources, seed=int(os.environ.get("ZWGK_CORPUS_SEED", "8")))
    return cases, base_dbs, folder


class Workspace:
    """One database per command, recopied from its base whenever a run changed it."""

    def __init__(self, folder: Path, base_dbs: dict):
        self.folder, self.base_dbs = folder, base_dbs
        self.paths, self.hashes = {}, {}
        self.copies = itertools.count()

    def db(self, command: str) -> Path:
        if command not in self.paths:
            self.reset(command)
        return self.paths[command]

    def reset(self, command: str) -> None:
        base = self.base_dbs.get(BASE_FOR[command]) or self.base_dbs["empty"]
        target = self.folder / f"db-{command}-{next(self.copies)}" / "ledger.sqlite3"
        self.paths[command] = copy_db(base, target)
        self.hashes[command] = content_hash(target)


def argv_for(case, db_path) -> list[str]:
    argv = [case.command, str(case.path)]
    if case.command in JSON_COMMANDS:
        argv.append("--json")
    return argv + ["--db", str(db_path)]


def run_in_process(argv) -> tuple[int, str, str]:
    from cli.app import run as cli_run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_run(argv)
    return code, out.getvalue(), err.getvalue()


def judge(case, code, out, err, db_path, hash_before, hash_after) -> list[str]:
    """What is wrong with one outcome ([] when it is right)."""
    problems = []
    if "Traceback" in err or "程序内部错误" in err:
        problems.append(f"crash: {err.strip()[-300:]}")
    if code not in (0, 2):
        problems.append(f"exit {code}")
    if case.expect == "error" and code != 2:
        problems.append(f"accepted a file that must be refused (exit {code})")
    if case.expect == "valid" and code != 0:
        problems.append(f"refused a valid file: {err.strip()[:200]}")
    if code == 2:
        lines = err.strip().splitlines()
        if len(lines) != 1 or not CHINESE.search(err):
            problems.append(f"stderr is not one Chinese line: {err.strip()[:300]!r}")
        if hash_after != hash_before:
            problems.append("refused, but the database changed")
    if code == 0:
        problems += sane_result(case, out, db_path)
    if "root:x:0:0" in out:
        problems.append("external entity was resolved (/etc/passwd leaked)")
    return problems


def sane_result(case, out, db_path) -> list[str]:
    problems = consistency_problems(db_path)
    if case.command in JSON_COMMANDS:
        try:
            value = json.loads(out)
        except ValueError:
            return problems + [f"--json printed no JSON: {out[:200]!r}"]
        if case.command == "parse-plan":
            tasks = value.get("tasks")
            if not isinstance(tasks, list) or not all(isinstance(t, dict) and isinstance(t.get("requirement"), str) for t in tasks):
                problems.append("parse-plan JSON has no proper task list")
            elif len(out) > 20_000_000:
                problems.append(f"parse-plan printed {len(out)} characters (entity expansion?)")
    return problems


def test_corpus_is_large_enough(hostile):
    cases, _, _ = hostile
    assert len(cases) >= 1000
    assert {c.command for c in cases} >= {"parse-plan", "restore"}


def refuse_in_process(cases, base_dbs, folder: Path) -> list[str]:
    """Run `cases` through cli.app.run in this process; return what was mishandled."""
    known = commands()
    ws = Workspace(folder, base_dbs)
    failures, counts, skipped = [], {}, set()
    for case in cases:
        if case.command not in known:
            skipped.add(case.command)
            continue
        db_path = ws.db(case.command)
        before = ws.hashes[case.command]
        heavy = any(word in case.label for word in HEAVY)
        if heavy:
            tracemalloc.start()
        code, out, err = run_in_process(argv_for(case, db_path))
        peak = tracemalloc.get_traced_memory()[1] if heavy else 0
        if heavy:
            tracemalloc.stop()
        after = content_hash(db_path)
        problems = judge(case, code, out, err, db_path, before, after)
        if peak > MAX_TRACED_MB << 20:
            problems.append(f"allocated {peak >> 20} MB")
        if problems:
            failures.append(f"{case.command} {case.path.name} [{case.expect}]: {'; '.join(problems)}")
        counts[(case.command, code)] = counts.get((case.command, code), 0) + 1
        if after != before:
            ws.reset(case.command)
    print("\nhostile corpus outcomes:", {f"{c} → {k}": n for (c, k), n in sorted(counts.items())})
    if skipped:
        print("commands not present yet (skipped):", sorted(skipped))
    assert not [p for p in (Path("/tmp/evil-zwgk.txt"), folder.parent.parent / "evil.txt", folder.parent / "evil.txt") if p.exists()]
    if sys.platform != "win32":
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"max RSS {rss_mb} MB")
        assert rss_mb < MAX_RSS_MB
    return failures


def quick_sample(cases) -> list:
    """About 25 cases: the first of every kind of damage (truncated, bit flips, bomb, entities, not a
    document …) and the first for every command, in corpus order."""
    seen, sample = set(), []
    for case in cases:
        kind = "not-a-document" if "not-" in case.label else case.label.rsplit("-", 1)[-1]
        keys = {("kind", kind), ("command", case.command)}
        if not keys <= seen:
            seen |= keys
            sample.append(case)
    return sample


def test_a_sample_of_hostile_files_is_refused_cleanly_in_process(hostile):
    cases, base_dbs, folder = hostile
    sample = quick_sample(cases)
    failures = refuse_in_process(sample, base_dbs, folder / "quick")
    assert not failures, f"{len(failures)} of {len(sample)} files mishandled:\n" + "\n".join(failures[:60])


@pytest.mark.slow
def test_every_hostile_file_is_refused_cleanly_in_process(hostile):
    cases, base_dbs, folder = hostile
    failures = refuse_in_process(cases, base_dbs, folder / "work")
    assert not failures, f"{len(failures)} of {len(cases)} files mishandled:\n" + "\n".join(failures[:60])


def _limits() -> None:
    """In the child before it starts: the CPU-time and address-space limits (POSIX)."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_S, CPU_LIMIT_S))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


@pytest.mark.slow
def test_a_sample_through_real_subprocesses(hostile):
    cases, base_dbs, folder = hostile
    known = commands()
    present = [c for c in cases if c.command in known]
    step = max(len(present) // 30, 1)
    sample = present[::step][:30] + [c for c in present if "bomb" in c.label][:2]
    ws = Workspace(folder / "subprocess", base_dbs)
    failures = []
    for case in sample:
        db_path = ws.db(case.command)
        before = ws.hashes[case.command]
        proc = subprocess.Popen(
            cli_command(*argv_for(case, db_path)[:-2], db_path=db_path), env=cli_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limits if sys.platform != "win32" else None,
        )
        hung = False
        try:
            out, err = proc.communicate(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            hung = True
            proc.kill()
            out, err = proc.communicate()
        after = content_hash(db_path)
        problems = judge(case, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), db_path, before, after)
        if hung:
            problems.append("hung: neither finished nor failed (stopped by the hang guard)")
        elif sys.platform != "win32" and proc.returncode == -signal.SIGXCPU:
            problems.append(f"ran into its {CPU_LIMIT_S} s CPU-time limit (an endless loop)")
        if problems:
            failures.append(f"{case.command} {case.path.name}: {'; '.join(problems)}")
        if after != before:
            ws.reset(case.command)
    if sys.platform != "win32":
        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        assert children_mb < MAX_RSS_MB
    assert not failures, "\n".join(failures)
