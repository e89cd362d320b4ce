"""`units add|import|list|remove|suggest`: the county's roster of units (see ../shared/CLI.md)."""

from core.county import roster


def register(sub, common):
    p = sub.add_parser("units", help="单位名册（汇总单位）：添加、导入、查看各单位任务和报送情况", parents=[common])
    psub = p.add_subparsers(dest="units_command", metavar="操作")

    add = psub.add_parser("add", help="添加或修改一个单位", parents=[common])
    add.add_argument("name", metavar="NAME", help="单位全称")
    add.add_argument("--kind", required=True, help="镇 | 街道 | 部门")
    add.add_argument("--alias", action="append", default=[], metavar="A", help="其他名称（可多次给出）")
    add.add_argument("--contact", default="", help="联系人")
    add.add_argument("--phone", default="", help="联系电话")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=run_add)

    imp = psub.add_parser("import", help="从 .xlsx 导入名册（标题行：单位名称 | 类型 | 别名 | 联系人 | 联系电话）", parents=[common])
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=run_import)

    ls = psub.add_parser("list", help="各单位的任务数、任务包、报送、完成和逾期情况", parents=[common])
    ls.add_argument("--year", type=int, help="年度（默认：全部）")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)

    rm = psub.add_parser("remove", help="把单位移出名册（其台账和检查记录保留）", parents=[common])
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=run_remove)

    sg = psub.add_parser("suggest", help="方案责任单位中点名、尚未列入名册的单位", parents=[common])
    sg.add_argument("--json", action="store_true")
    sg.set_defaults(func=run_suggest)


def run_add(ctx):
    a = ctx.args
    unit = roster.add_unit(ctx.db, a.name, a.kind, a.alias, a.contact, a.phone)
    if a.json:
        ctx.print_json(unit)
    else:
        print(f"已保存单位：{unit['name']}（{unit['kind']}）")


def run_import(ctx):
    result = roster.import_units(ctx.db, ctx.args.file)
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(f"已导入单位名册：新增 {result['added']}，更新 {result['updated']}，未变 {result['unchanged']}。")


def run_list(ctx):
    rows = roster.unit_rows(ctx.db, ctx.args.year)
    if ctx.args.json:
        ctx.print_json({"units": rows})
        return
    if not rows:
        print("单位名册为空。请用 units add 或 units import 添加单位。")
    for r in rows:
        late = "【逾期未报】" if r["late"] else ""
        print(f"{r['name']}\t{r['kind'] or '-'}\t任务 {r['tasks']}（可能 {r['maybe']}）\t任务包 {r['task_pack'] or '未发'}\t"
              f"报送 {r['last_report'] or '未报送'}{late}\t台账 {r['entries']} 完成 {r['done']} 逾期 {r['overdue']}")


def run_remove(ctx):
    roster.remove_unit(ctx.db, ctx.args.name)
    print(f"已将“{ctx.args.name}”移出单位名册。")


def run_suggest(ctx):
    rows = roster.suggest_units(ctx.db)
    if ctx.args.json:
        ctx.print_json({"units": rows})
        return
    for r in rows:
        print(f"{r['name']}\t{r['kind']}\t{r['tasks']} 项任务")
