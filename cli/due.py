"""`due TEXT [--from D] [--plan-date D] [--year Y]`: the due date of each clause of a 时限要求."""

from datetime import date


def register(sub, common):
    p = sub.add_parser("due", help="计算时限要求的截止日期", parents=[common])
    p.add_argument("text", help="时限要求原文，例如“信息形成或变更之日起20个工作日内公开”")
    p.add_argument("--from", dest="from_date", default=None, help="事项发生日期 YYYY-MM-DD（按工作日/自然日起算）")
    p.add_argument("--plan-date", default=None, help="方案发布日期 YYYY-MM-DD")
    p.add_argument("--year", type=int, default=None, help="未写年份的日期所属年份（默认：方案年份或今年）")
    p.add_argument("--json", action="store_true", help="输出 JSON：每条时限的类型、截止日期和说明")
    p.set_defaults(func=run)


def run(ctx):
    from core.calendar import deadlines
    from core.calendar import workdays

    a = ctx.args
    event = workdays.parse_date(a.from_date) if a.from_date else None
    issued = workdays.parse_date(a.plan_date) if a.plan_date else None
    if a.year is not None:
        workdays.check_year(a.year)
    year = a.year or (issued.year if issued else None) or (event.year if event else None) or date.today().year
    calendar = workdays.load_calendar(ctx.db)
    clauses = deadlines.parse_deadline(a.text, plan_year=year, plan_issued=issued, strict=True)
    if not clauses:
        from core.errors import UserError

        raise UserError("时限要求为空：请给出时限原文，例如 due \"6月底前\"。")
    lines = [line_for(clause, event, year, calendar, deadlines) for clause in clauses]
    if a.json:
        ctx.print_json({"clauses": [
            {**c.to_dict(), "result": line.split("\t", 1)[0],
             "due": line.split("\t", 1)[0] if line[:1].isdigit() else None,
             "estimated": "估算" in line, "explanation": line.split("\t", 1)[-1]}
            for c, line in zip(clauses, lines)]})
        return
    for line in lines:
        print(line)


def line_for(clause, event, year, calendar, deadlines) -> str:
    """One output line: 'YYYY-MM-DD', 'standing' or 'unparsed', a tab, and a Chinese explanation."""
    if clause.kind in ("standing", "period"):
        return f"standing\t{clause.describe()}：{clause.text}"
    if clause.kind == "unparsed":
        return f"unparsed\t{clause.note}：{clause.text}"
    if clause.kind == "event" and event is None:
        return f"standing\t{clause.describe()}；用 --from 给出事项日期可算出截止日期"
    if clause.kind == "plan" and clause.start is None and event is None:
        return f"unparsed\t{clause.describe()}；请用 --plan-date 给出方案发布日期"
    due = deadlines.clause_due(clause, event_date=event, year=year, calendar=calendar)
    note = clause.describe()
    if getattr(due, "estimated", False):
        note = f"（{due.note()}）{note}"
    return f"{due.isoformat()}\t{note}"
