"""Generate cn_workdays.json (statutory holidays and 调休 workdays) from chinesecalendar.

Run once by a developer when chinesecalendar gains a year:
    .venv/bin/python resources/calendar/make_calendar.py
The program itself reads only the JSON; it never imports chinesecalendar.
"""

import json
from importlib import metadata
from pathlib import Path

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def chinese_name(name: str) -> str:
    """The Chinese name of a holiday as chinesecalendar spells it in English."""
    return NAMES.get(str(name), str(name))


def build() -> dict:
    """The calendar data: every holiday and 调休 workday in the years chinesecalendar knows."""
    from chinese_calendar import constants

    holidays = {d.isoformat(): chinese_name(n) for d, n in sorted(constants.holidays.items())}
    workdays = {d.isoformat(): chinese_name(n) for d, n in sorted(constants.workdays.items())}
    years = sorted({d.year for d in constants.holidays})
    return {
        "source": f"chinesecalendar {metadata.version('chinesecalendar')}",
        "first_year": years[0],
        "last_year": years[-1],
        "holidays": holidays,
        "workdays": workdays,
    }


def main() -> None:
    target = Path(__file__).resolve().parent / "cn_workdays.json"
    data = build()
    target.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {target}: {data['first_year']}–{data['last_year']}, "
          f"{len(data['holidays'])} holidays, {len(data['workdays'])} workdays")


if __name__ == "__main__":
    main()
