"""Benchmark for the annual report; every figure a ratio against a floor of the same run (bench/common.py: ratio).

- annual_report_5k: computing one unit's 年度报告 figures (table 二 typed values, table 三 with its
  carry-over, table 四, fees) from a register of 5,000 applications over two years; target ratio ≤ 2
  against the floor: a bare SQLite GROUP BY (applicant, result) over the same rows, same run.
- annual_report_check_5k: the same plus every consistency check against last year's report
  (which computes last year's figures too), against the same floor run twice (two years). Target: ratio ≤ 4.

Run: .venv/bin/python bench/bench_annual_report.py
"""

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from common import ratio

N = 5_000
UNIT = "城东街道"


def build(path) -> None:
    """A town's database with N applications received over 2023–2024, most replied."""
    from core import records, settings
    from core.register import annual_report
    from core.register import requests
    from core.calendar import workdays
    from db.connection import open_db

    db = open_db(path)
    settings.set_profile(db, UNIT, "街道", "填报单位")
    rng = random.Random(14)
    cal = workdays.load_calendar(db)
    codes = list(requests.RESULTS)
    rows = []
    for i in range(N):
        received = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 730))
        year = received.year
        replied = cal.add_workdays(received, rng.randrange(1, 25)) if rng.random() < 0.93 else None
        rows.append(records.stamp(db, {
            "unit": UNIT, "year": year, "seq": i + 1, "no": f"{year}-{i + 1:04d}", "received": received.isoformat(),
            "channel": rng.choice(requests.CHANNELS), "applicant": rng.choice(requests.APPLICANTS),
            "content": f"申请公开第{i + 1}项信息", "replied": replied.isoformat() if replied else None,
            "result": rng.choice(codes) if replied else None, "fee": 100.0 if rng.random() < 0.01 else 0.0}))
    with db.atomic():
        db["requests"].insert_all(rows, batch_size=1000)
        appeals = [records.stamp(db, {"request_id": r["id"], "unit": UNIT, "kind": rng.choice(requests.APPEAL_KINDS),
                                      "outcome": rng.choice(requests.APPEAL_OUTCOMES), "date": None,
                                      "year": int(r["replied"][:4])}) for r in rows[::50] if r["replied"]]
        db["request_appeals"].insert_all(appeals)
    for key in ("t2.规章.制发", "t2.行政许可", "t2.行政处罚"):
        annual_report.set_value(db, 2023, key, "3")
        annual_report.set_value(db, 2024, key, "4")
    annual_report.set_value(db, 2024, "section1", "总体情况")
    db.conn.close()


def main() -> None:
    from core.register import annual_report
    from db.connection import open_db

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        build(path)
        db = open_db(path)
        floor_sql = ("SELECT applicant, result, count(*) FROM requests WHERE deleted = 0 AND unit = ? "
                     "AND received <= '2024-12-31' AND (replied IS NULL OR replied >= '2024-01-01') GROUP BY applicant, result")

        def floor():
            return db.execute(floor_sql, [UNIT]).fetchall()

        def compute():
            return annual_report.report_data(db, 2024, UNIT)

        rows = {r["code"]: r["values"] for r in compute()["table3"]["rows"]}
        assert rows["new"][-1] + rows["carried"][-1] == rows["total"][-1] + rows["carry_next"][-1]
        ratio("annual_report_5k", compute, floor, target=2.0, repeat=15)
        ratio("annual_report_check_5k", lambda: annual_report.problems(db, 2024, UNIT), lambda: (floor(), floor()),
              target=4, repeat=7)
        db.conn.close()


if __name__ == "__main__":
    main()
