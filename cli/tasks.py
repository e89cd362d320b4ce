"""`tasks list|add|drop`: which of the plan's tasks are in this office's ledger, chosen by hand."""

from core.ledger.assignment import find_task, plan_choices, set_selection
from core.errors import UserError


def register(sub, common):
    p = sub.add_parser("tasks", help="方案任务：查看本单位适用情况，手工添加或移除", parents=[common])
    psub = p.add_subparsers(dest="tasks_command", metavar="操作")
    listing = psub.add_parser("list", help="列出方案的全部任务及是否适用本单位", parents=[common])
    listing.add_argument("--year", type=int)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    for name, title in (("add", "把任务加入本单位台账"), ("drop", "把任务移出本单位台账")):
        q = psub.add_parser(name, help=title, parents=[common])
        q.add_argument("seq", nargs="+", help="任务序号")
        q.add_argument("--year", type=int)
        q.set_defaults(func=run_select, selected=name == "add")


def _plan_id(db, year):
    where, params = "deleted = 0", []
    if year:
        where += " AND year = ?"
        params.append(year)
    row = db.execute(f"SELECT id FROM plans WHERE {where} ORDER BY year DESC, updated_at DESC LIMIT 1", params).fetchone()
    if row is None:
        raise UserError("还没有导入工作方案。请先运行 import-plan 方案文件。")
    return row[0]


def run_list(ctx):
    choices = plan_choices(ctx.db, _plan_id(ctx.db, ctx.args.year))
    if ctx.args.json:
        ctx.print_json({"tasks": choices})
        return
    for c in choices:
        state = "已在台账" if c["in_ledger"] else ("可能涉及" if c["maybe"] else ("适用" if c["applies"] else "不涉及"))
        print(f"{c['seq']}\t{state}\t{c['role'] or '-'}\t{c['reason']}")


def run_select(ctx):
    db = ctx.db
    tasks = [find_task(db, seq, ctx.args.year) for seq in ctx.args.seq]
    with db.atomic():
        for task in tasks:
            set_selection(db, task["id"], ctx.args.selected)
    verb = "加入" if ctx.args.selected else "移出"
    print(f"已将序号 {'、'.join(t['seq'] for t in tasks)} 的任务{verb}本单位台账。")
