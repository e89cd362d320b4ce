"""`calendar add-year NOTICE.txt [--dry-run]`, `calendar show YEAR`, `calendar set-day DATE KIND`."""

from pathlib import Path

from core.errors import UserError


def register(sub, common):
    p = sub.add_parser("calendar", help="工作日日历（节假日与调休）", parents=[common])
    psub = p.add_subparsers(dest="calendar_command", metavar="操作")
    add = psub.add_parser("add-year", help="读取国务院节假日安排通知并保存", parents=[common])
    add.add_argument("notice", help="通知全文的文本文件（UTF-8 或 GBK）")
    add.add_argument("--dry-run", action="store_true", help="只显示识别结果，不保存")
    add.add_argument("--json", action="store_true", help="输出 JSON")
    add.set_defaults(func=run_add_year)
    show = psub.add_parser("show", help="显示某年的节假日与调休上班日", parents=[common])
    show.add_argument("year", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)
    day = psub.add_parser("set-day", help="手工设置某一天：holiday（放假）、workday（上班）或 default（恢复）",
                          parents=[common])
    day.add_argument("date")
    day.add_argument("kind", choices=["holiday", "workday", "default"])
    day.add_argument("--name", default="", help="说明，例如“春节”")
    day.set_defaults(func=run_set_day)


def run_add_year(ctx):
    from core.calendar import holiday_notice
    from core.calendar import workdays

    notice = holiday_notice.parse_notice(read_text(ctx.args.notice))
    if ctx.args.json:
        ctx.print_json({"year": notice.year,
                        "holidays": [{"date": d.isoformat(), "name": n} for d, n in notice.holidays],
                        "workdays": [{"date": d.isoformat(), "name": n} for d, n in notice.workdays],
                        "warnings": notice.warnings, "stored": not ctx.args.dry_run})
    else:
        print("\n".join(notice.summary_lines()))
    if ctx.args.dry_run:
        if not ctx.args.json:
            print("（试运行：未保存）")
        return
    count = workdays.store_year(ctx.db, notice.year, notice.holidays, notice.workdays)
    if not ctx.args.json:
        print(f"已保存{notice.year}年节假日安排：{count}天。")


def run_show(ctx):
    from core.calendar import workdays

    year = workdays.check_year(ctx.args.year)
    cal = workdays.load_calendar(ctx.db)
    days = [d for m in range(1, 13) for d in cal.month(year, m) if d["kind"] in ("holiday", "adjusted")]
    if ctx.args.json:
        ctx.print_json({"year": year, "known": cal.is_known(year), "days": days})
        return
    if not cal.is_known(year):
        print(f"{year}年节假日未知：只按周末计算，结果为估算。可用 calendar add-year 导入国务院通知。")
    for d in days:
        print(f"{d['date']}\t{'放假' if d['kind'] == 'holiday' else '上班'}\t{d['name']}")


def run_set_day(ctx):
    from core.calendar import workdays

    day = workdays.parse_date(ctx.args.date)
    kind = None if ctx.args.kind == "default" else ctx.args.kind
    workdays.set_day(ctx.db, day, kind, ctx.args.name)
    print(f"已设置{day.isoformat()}：" + {"holiday": "放假", "workday": "上班", None: "恢复默认"}[kind])


def read_text(path) -> str:
    """A text file in UTF-8 (with or without BOM) or GBK, or UserError."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到通知文件“{path}”，请检查路径。")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"无法读取“{path.name}”：请将通知全文另存为 UTF-8 文本文件后重试。")
