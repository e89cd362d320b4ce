"""`inspection add|fix|list`: findings of 日常抽测、季度检查、年度考核 and their correction."""

from core.county import inspections


def register(sub, common):
    p = sub.add_parser("inspection", help="检查发现的问题和整改（日常抽测、季度检查、年度考核）", parents=[common])
    psub = p.add_subparsers(dest="inspection_command", metavar="操作")

    add = psub.add_parser("add", help="登记一个问题（汇总单位）", parents=[common])
    add.add_argument("--unit", required=True, metavar="N", help="被检查单位（名册中的名称或别名）")
    add.add_argument("--date", required=True, metavar="D", help="检查日期 YYYY-MM-DD")
    add.add_argument("--kind", required=True, help="日常抽测 | 季度检查 | 年度考核")
    add.add_argument("--finding", required=True, metavar="TEXT", help="发现的问题")
    add.add_argument("--indicator", default="", metavar="I", help="考核指标，如 主动公开")
    add.add_argument("--deduct", default="0", metavar="P", help="扣分（0–100）")
    add.add_argument("--fix-by", metavar="D", help="整改期限 YYYY-MM-DD")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=run_add)

    fix = psub.add_parser("fix", help="登记整改（填报单位）或复查（汇总单位）", parents=[common])
    fix.add_argument("id", metavar="ID")
    fix.add_argument("--date", required=True, metavar="D", help="整改或复查日期")
    fix.add_argument("--note", default="", metavar="T", help="整改说明或复查意见")
    fix.add_argument("--evidence", default="", metavar="E", help="佐证材料（网址或文件名，填报单位）")
    fix.add_argument("--json", action="store_true")
    fix.set_defaults(func=run_fix)

    ls = psub.add_parser("list", help="列出问题及整改情况", parents=[common])
    ls.add_argument("--unit", metavar="N")
    ls.add_argument("--open", action="store_true", help="只列尚未整改的问题")
    ls.add_argument("--year", type=int)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)


PUBLIC = ("id", "unit", "date", "kind", "indicator", "finding", "deduct", "fix_by", "fixed", "overdue",
          "corrected_on", "rechecked_on", "state")


def _public(f: dict) -> dict:
    return {k: f[k] for k in PUBLIC}


def run_add(ctx):
    a = ctx.args
    row = inspections.add_finding(ctx.db, a.unit, a.date, a.kind, a.finding, a.indicator, a.deduct, a.fix_by)
    if a.json:
        ctx.print_json({"id": row["id"]})
    else:
        print(f"已登记问题：{row['id']}（{row['unit']}，{row['kind']}）")


def run_fix(ctx):
    a = ctx.args
    finding = inspections.fix(ctx.db, a.id, a.date, a.note, a.evidence)
    if a.json:
        ctx.print_json(_public(finding))
    else:
        print(f"已登记：{finding['unit']} 的问题 {finding['id']}，状态 {finding['state_name']}")


def run_list(ctx):
    a = ctx.args
    unit = inspections.roster_name(ctx.db, a.unit) if a.unit and _county(ctx.db) else a.unit
    rows = inspections.list_findings(ctx.db, unit=unit, open_only=a.open, year=a.year)
    if a.json:
        ctx.print_json({"findings": [_public(f) for f in rows]})
        return
    if not rows:
        print("没有检查问题。")
    for f in rows:
        print(f"{f['id']}\t{f['date']}\t{f['unit']}\t{f['kind']}\t-{f['deduct']:g}\t{f['state_name']}\t{f['finding'][:40]}")


def _county(db) -> bool:
    from core import settings

    return settings.is_county(db)
