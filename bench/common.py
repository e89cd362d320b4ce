"""Shared helpers for benchmarks: timing, the JSON line format, sample databases."""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def best_of(fn, repeat=3) -> float:
    """The fastest of `repeat` runs of fn(), in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_of_pair(floor_fn, value_fn, repeat=5) -> tuple[float, float]:
    """Fastest times of floor_fn and value_fn, run alternately so both see the same machine load."""
    floor = value = float("inf")
    for _ in range(repeat):
        floor = min(floor, best_of(floor_fn, 1))
        value = min(value, best_of(value_fn, 1))
    return floor, value


def report(name, value, floor, target, target_on="ratio", unit="s") -> dict:
    """Print one benchmark figure as a JSON line and return it."""
    line = {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "floor": round(floor, 4) if floor is not None else None,
        "ratio": round(value / floor, 2) if floor else None,
        "target": target,
        "target_on": target_on,
    }
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
