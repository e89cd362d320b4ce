"""Benchmark for due dates; every figure a ratio against a floor of the same run (bench/common.py: ratio).

- due_workdays_10k: 10,000 working-day due dates (event + N 工作日) from the calendar. Floor: 10,000 plain
  datetime.date + timedelta additions. Target: ratio ≤ 15.
- due_clauses_10k: 10,000 clause_due() calls on parsed clauses (event, fixed, yearly mix), same floor.
  Target: ratio ≤ 10.
- calendar_build: building the calendar once (shipped data, 1990–2100 ordinals). Floor: one date.toordinal()
  per day of 1990–2100 into a bare list. Target: ratio ≤ 10.
- parse_deadline_1k: reading 1,000 时限要求 cells. Floor: one bare re.findall of a date-like pattern per cell.
  Target: ratio ≤ 50.

Run: .venv/bin/python bench/bench_due.py
"""

import random
import re
from datetime import date, timedelta

from common import ratio

N = 10_000


def main() -> None:
    from core.calendar import deadlines
    from core.calendar import workdays

    rng = random.Random(4)
    starts = [date(2005, 1, 1) + timedelta(days=rng.randrange(0, 365 * 21)) for _ in range(N)]
    counts = [rng.choice((3, 5, 7, 10, 15, 20)) for _ in range(N)]
    pairs = list(zip(starts, counts))
    cal = workdays.default_calendar()

    def bare():
        return [s + timedelta(days=n) for s, n in pairs]

    ratio("due_workdays_10k", lambda: [cal.add_workdays(s, n) for s, n in pairs], bare, target=15, repeat=7)

    cells = ["信息形成或变更之日起20个工作日内公开", "处罚结果作出后7个工作日内", "6月底前", "每年3月31日前"]
    clauses = [deadlines.parse_deadline(c, plan_year=2024)[0] for c in cells]
    work = [(clauses[i % 4], s) for i, s in enumerate(starts)]
    ratio("due_clauses_10k", lambda: [deadlines.clause_due(c, event_date=s, year=2024, calendar=cal) for c, s in work], bare,
          target=10, repeat=7)

    def build():
        workdays._build.cache_clear()
        workdays.default_calendar()

    first, last = date(1990, 1, 1).toordinal(), date(2100, 12, 31).toordinal()
    ratio("calendar_build", build, lambda: [date.fromordinal(n).toordinal() for n in range(first, last + 1)],
          target=10, repeat=5)

    texts = (cells + ["信息形成或者变更之日起 20 个工作 日内公开，行政处罚信息于处罚结果作出后 7 个工作日内公开",
                      "长期落实推动校务公开工作，2022年8月底前明确并公开适用主体清单", "长期坚持", "疫情防控期间"]) * 125
    pattern = re.compile(r"(\d{4}年)?\d{1,2}月(\d{1,2}日|底)?前|\d+个工作日内|长期坚持")
    ratio("parse_deadline_1k", lambda: [deadlines.parse_deadline(t, plan_year=2024) for t in texts],
          lambda: [pattern.findall(t) for t in texts], target=50, repeat=5)


if __name__ == "__main__":
    main()
