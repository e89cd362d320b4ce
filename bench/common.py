"""Shared helpers for benchmarks: ratio() (our figure against a floor measured in the same run), sample databases.

Every figure is printed as one JSON line {"name","value","unit","floor","ratio","target","target_on":"ratio"};
bench/run_all.py turns them into a table and fails when a ratio misses its target.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Seconds(float):
    """A time a benchmarked function measured itself and returns (median_pair uses it instead of its wall time)."""


def timed(fn) -> float:
    """Wall seconds of one fn() call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_pair(ours, floor, repeat=5, clock=None) -> tuple[float, float]:
    """Median seconds of `ours()` and of `floor()` over `repeat` runs each, interleaved.

    The two alternate (and swap which goes first every round), so a burst of load on a shared
    machine hits both sides alike; the median ignores the odd run that a burst lands on.
    Either function may return Seconds it measured itself (a figure from a child process, the
    slowest of several keystrokes); otherwise its own wall time is taken.
    """
    def run(fn):
        start = (clock or time.perf_counter)()
        result = fn()
        elapsed = (clock or time.perf_counter)() - start
        return float(result) if isinstance(result, Seconds) else elapsed

    ours_times, floor_times = [], []
    for i in range(repeat):
        if i % 2:
            ours_times.append(run(ours))
            floor_times.append(run(floor))
        else:
            floor_times.append(run(floor))
            ours_times.append(run(ours))
    return statistics.median(ours_times), statistics.median(floor_times)


def ratio(name, ours, floor, target, repeat=5, unit="s", clock=None, note="") -> dict:
    """Measure (or take) one figure and its floor, print it as a JSON line, and return the line.

    `ours` and `floor` are either functions (timed by median_pair, interleaved) or numbers measured
    already. The target is always on ours / floor: a shared 2-core machine cannot hold absolute times,
    but both sides of a ratio measured side by side see the same machine.
    """
    if callable(ours) or callable(floor):
        ours, floor = median_pair(ours, floor, repeat, clock)
    line = {
        "name": name,
        "value": round(ours, 4),
        "unit": unit,
        "floor": round(floor, 4),
        "ratio": round(ours / floor, 2) if floor else None,
        "target": target,
        "target_on": "ratio",
    }
    if note:
        line["note"] = note
    print(json.dumps(line, ensure_ascii=False), flush=True)
    return line


def county_ledger_db(path, units=300, tasks=67) -> Path:
    """A county (汇总单位) database holding units × tasks ledger entries (20,100 by default)."""
    from core import records, settings
    from db.connection import open_db

    db = open_db(path)
    settings.set_profile(db, "博山区人民政府办公室", "县政府办公室", "汇总单位")
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作方案"})
        task_rows = [
            records.stamp(db, {"plan_id": plan["id"], "position": i, "seq": str(i + 1), "category": '["以公开助推高质量发展"]',
                               "requirement": f"第{i + 1}项任务：做好政策解读和信息发布工作", "units": "各镇（街道）", "deadline": "2024年12月底前"})
            for i in range(tasks)
        ]
        db["tasks"].insert_all(task_rows)
        statuses = ("未开始", "推进中", "已完成", "长期坚持")
        db["entries"].insert_all(
            (
                records.stamp(db, {"task_id": t["id"], "unit": f"第{u + 1}镇", "year": 2024, "role": "落实",
                                   "status": statuses[(u + i) % 4], "leader": "张三", "office": "党政办"})
                for u in range(units)
                for i, t in enumerate(task_rows)
            ),
            batch_size=2000,
        )
    db.conn.close()
    return Path(path)
