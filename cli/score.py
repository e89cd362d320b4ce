"""`score --year Y`, `score rules FILE.xlsx`, `score adjust`: the yearly scores (年度考核)."""

from core.county import scores
from core.errors import UserError


def register(sub, common):
    p = sub.add_parser("score", help="年度考核得分和排名；score rules 导入评分规则", parents=[common])
    p.add_argument("--year", type=int, help="年度")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_score)
    psub = p.add_subparsers(dest="score_command", metavar="操作")

    rules = psub.add_parser("rules", help="从 .xlsx 导入评分规则（标题行：指标 | 分值 | 扣分规则）", parents=[common])
    rules.add_argument("file", metavar="FILE.xlsx")
    rules.add_argument("--json", action="store_true")
    rules.set_defaults(func=run_rules)

    adj = psub.add_parser("adjust", help="手工加分或扣分（须写明理由）", parents=[common])
    adj.add_argument("--unit", required=True, metavar="N")
    adj.add_argument("--year", type=int, required=True)
    adj.add_argument("--points", required=True, metavar="P", help="正数加分，负数扣分")
    adj.add_argument("--reason", required=True, metavar="TEXT")
    adj.add_argument("--json", action="store_true")
    adj.set_defaults(func=run_adjust)


def run_score(ctx):
    a = ctx.args
    if not a.year:
        raise UserError("请用 --year 指定考核年度，例如 score --year 2024 --json。")
    table = scores.scores(ctx.db, a.year)
    if a.json:
        ctx.print_json({"units": [{"name": u["name"], "score": u["score"], "rank": u["rank"], "base": u["base"],
                                   "deductions": u["deductions"], "adjustments": u["adjustments"]} for u in table]})
        return
    for u in table:
        print(f"{u['rank']}\t{u['name']}\t{u['score']:g}")


def run_rules(ctx):
    result = scores.load_rules(ctx.db, ctx.args.file)
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(f"已导入评分规则 {result['rules']} 条，合计 {result['total']:g} 分。")


def run_adjust(ctx):
    a = ctx.args
    row = scores.adjust(ctx.db, a.unit, a.year, a.points, a.reason)
    if a.json:
        ctx.print_json({"id": row["id"]})
    else:
        print(f"已记录：{row['unit']} {row['points']:+g} 分（{row['reason']}）")
