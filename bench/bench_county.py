"""Benchmark for the county's side at city scale; every figure a ratio against a floor of the same run (bench/common.py: ratio).

- county_merge_2000x50: a county with 2,000 units on its roster imports one signed 报送包 of 50
  entries from each (ownership-checked, merged, one transaction per file). Floor: json.loads of
  each package's data.json plus a bare executemany INSERT of the same rows, one transaction per
  file, run just before and just after the merge (their mean). Target: ratio ≤ 25 (measured 16.7-20.3x:
  the merge also verifies signatures, validates every record, keeps history and conflicts).
- county_units_refresh_2000x50: the unit table refreshed after that merge (core.county.roster.report_status:
  entries, done, 推进中…, overdue with due dates, last 报送包, 任务包, activities, late). Floor: a bare
  SQL aggregate over the same rows (count, done, not done per unit). Target: ratio ≤ 3.
- county_task_counts_2000: the task counts of 2,000 roster units against a 50-task plan
  (core.units matching, computed once per plan/roster change). Floor: the roster and tasks read with bare SQL
  and three bare substring tests (name, kind, 各) per unit and task. Target: ratio ≤ 20.

Run: .venv/bin/python bench/bench_county.py
"""

import json
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

from common import ratio

UNITS = 2000
ENTRIES = 50
COUNTY = "某某市人民政府办公室"
STATUSES = ("未开始", "推进中", "已完成", "长期坚持")


def unit_name(u: int) -> str:
    return f"第{u + 1}镇"


def build(folder: Path) -> tuple[Path, list[Path]]:
    """A county database with a 50-task plan and a roster of 2,000 units, and one 报送包 per unit."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core import records, settings
    from core.exchange import package_format as fmt
    from core.exchange import signing
    from db.connection import open_db

    db_path = folder / "county.sqlite3"
    db = open_db(db_path)
    settings.set_profile(db, COUNTY, "县政府办公室", "汇总单位")
    deadlines = ("2024年12月底前", "长期坚持", "2024年6月底前", "每年3月31日前", "文件公开后3个工作日内")
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作方案",
                                            "report_dates": json.dumps([{"what": "工作台账", "date": "2024-05-31"}])})
        tasks = [records.stamp(db, {"plan_id": plan["id"], "position": i, "seq": str(i + 1), "category": '["做好政策解读"]',
                                    "requirement": f"第{i + 1}项任务", "units": ("各镇（街道）", "各镇人民政府", "县政府各部门")[i % 3],
                                    "deadline": deadlines[i % len(deadlines)]})
                 for i in range(ENTRIES)]
        db["tasks"].insert_all(tasks)
        db["roster_units"].insert_all(records.stamp(db, {"name": unit_name(u), "kind": "镇"}) for u in range(UNITS))
        keys = {}
        for u in range(UNITS):  # each unit has its own Ed25519 key; the county has issued it a 任务包
            signing.note_issued(db, unit_name(u))
            keys[unit_name(u)] = signing.signer_with(Ed25519PrivateKey.generate())
    db.conn.close()
    paths = []
    for u, (unit, key) in enumerate(keys.items()):
        entries = [{"id": f"{u:05d}-{i:04d}-entry", "task_id": t["id"], "unit": unit, "year": 2024, "role": "落实",
                    "reason": "", "selection": "auto", "leader": "张三", "office": "党政办", "handler": "",
                    "status": STATUSES[(u + i) % 4], "completed_on": None, "due_override": None, "duties": "[]", "note": "",
                    "carried_from": None, "rev": 2, "updated_at": "2024-07-01T00:00:00.000000+00:00", "updated_by": unit,
                    "device": f"dev{u}", "deleted": 0}
                   for i, t in enumerate(tasks)]
        path = folder / f"{unit}-报送包.zwgk"
        fmt.write_package(path, "report", unit, COUNTY, "2024-07-02T00:00:00+00:00",
                          {"tables": {"entries": entries}}, b"PK-placeholder-ledger", {}, key)
        paths.append(path)
    return db_path, paths


def floor_merge(paths: list[Path], folder: Path, name: str = "floor") -> float:
    """json.loads + executemany of the same rows into a bare table, one transaction per file."""
    conn = sqlite3.connect(folder / f"{name}.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    blobs = []
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            blobs.append(zf.read("data.json"))
    start = time.perf_counter()
    for blob in blobs:
        rows = json.loads(blob)["tables"]["entries"]
        cols = list(rows[0])
        conn.execute(f"CREATE TABLE IF NOT EXISTS bare ({', '.join(cols)})")
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * len(cols))})", [tuple(r.values()) for r in rows])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def bare_counts(db):
    """A function: for every roster unit, bare substring tests of its name and kind against every task's 责任单位."""
    def run():
        units = db.execute("SELECT name, kind FROM roster_units WHERE deleted = 0").fetchall()
        texts = [r[0] for r in db.execute("SELECT units FROM tasks WHERE deleted = 0")]
        return {name: sum(name in text or kind in text or "各" in text for text in texts) for name, kind in units}

    return run


def main() -> None:
    from core.county import roster
    from core.exchange.packs import unpack
    from db.connection import open_db

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path, paths = build(folder)
        db = open_db(db_path)
        counts = roster.task_counts(db, 2024)  # what the roster page shows before the merge
        def counts_cold():
            roster._COUNT_CACHE.clear()  # computed once per plan/roster change: measure that once
            return roster.task_counts(db, 2024)

        ratio("county_task_counts_2000", counts_cold,
              bare_counts(db), target=20, repeat=5)
        assert len(counts) == UNITS and all(c["tasks"] == 34 for c in counts.values()), set(map(str, counts.values()))

        before = floor_merge(paths, folder, "floor-before")
        start = time.perf_counter()
        merged = unpack(db, db_path, paths)
        value = time.perf_counter() - start
        after = floor_merge(paths, folder, "floor-after")
        assert merged["new"] == UNITS * ENTRIES and merged["refused"] == 0, merged["refused"]
        # The floor runs just before and just after the merge; their mean sees the machine's load as the merge did.
        ratio("county_merge_2000x50", value, (before + after) / 2, target=25)

        def bare():
            return db.execute("SELECT e.unit, count(*), sum(e.status = '已完成'), sum(e.status != '已完成') FROM entries e "
                              "WHERE e.deleted = 0 AND e.selection != 'dropped' AND e.year = 2024 GROUP BY e.unit").fetchall()

        def refresh():
            return roster.report_status(db, year=2024)

        rows = refresh()
        assert sum(r["entries"] for r in rows) == UNITS * ENTRIES and all(r["last_report"] for r in rows)
        assert len(bare()) == UNITS
        ratio("county_units_refresh_2000x50", refresh, bare, target=3, repeat=5)
        db.conn.close()


if __name__ == "__main__":
    main()
