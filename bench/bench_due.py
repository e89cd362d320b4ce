"""Benchmark for due dates; prints JSON lines {"name","value","unit","floor","ratio","target","target_on"}.

- due_workdays_10k: 10,000 working-day due dates (event + N 工作日) from the calendar; target ≤ 0.2 s.
  Floor: 10,000 plain datetime.date + timedelta additions in the same run.
- due_clauses_10k: 10,000 clause_due() calls on parsed clauses (event, fixed, yearly mix).
- calendar_build: building the calendar once (shipped data, 1990–2100 ordinals).
- parse_deadline_1k: reading 1,000 时限要求 cells.

Run: .venv/bin/python bench/bench_due.py
"""

import random
from datetime import date, timedelta

from common import best_of, report

N = 10_000


def main() -> None:
    from core.calendar import deadlines
    from core.calendar import workdays

    rng = random.Random(4)
    starts = [date(2005, 1, 1) + timedelta(days=rng.randrange(0, 365 * 21)) for _ in range(N)]
    counts = [rng.choice((3, 5, 7, 10, 15, 20)) for _ in range(N)]
    pairs = list(zip(starts, counts))
    cal = workdays.default_calendar()

    floor = best_of(lambda: [s + timedelta(days=n) for s, n in pairs], 5)
    value = best_of(lambda: [cal.add_workdays(s, n) for s, n in pairs], 5)
    report("due_workdays_10k", value, floor, target=0.2, target_on="value")

    cells = ["信息形成或变更之日起20个工作日内公开", "处罚结果作出后7个工作日内", "6月底前", "每年3月31日前"]
    clauses = [deadlines.parse_deadline(c, plan_year=2024)[0] for c in cells]
    work = [(clauses[i % 4], s) for i, s in enumerate(starts)]
    value = best_of(lambda: [deadlines.clause_due(c, event_date=s, year=2024, calendar=cal) for c, s in work], 5)
    report("due_clauses_10k", value, floor, target=0.2, target_on="value")

    def build():
        workdays._build.cache_clear()
        workdays.default_calendar()

    report("calendar_build", best_of(build, 3), None, target=0.2, target_on="value")

    texts = (cells + ["信息形成或者变更之日起 20 个工作 日内公开，行政处罚信息于处罚结果作出后 7 个工作日内公开",
                      "长期落实推动校务公开工作，2022年8月底前明确并公开适用主体清单", "长期坚持", "疫情防控期间"]) * 125
    report("parse_deadline_1k", best_of(lambda: [deadlines.parse_deadline(t, plan_year=2024) for t in texts], 3),
           None, target=0.5, target_on="value")


if __name__ == "__main__":
    main()
