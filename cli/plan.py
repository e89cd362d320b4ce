"""`parse-plan FILE [--json]`, `import-plan FILE [--json]`: reading the county's plan;
`plans list [--json]`, `plans drop ID [--force]`: the plans held in the ledger."""


def register(sub, common):
    p = sub.add_parser("parse-plan", help="读取工作方案并显示识别结果（不导入）", parents=[common])
    p.add_argument("file", help="方案文件（.docx/.xlsx/.doc/.wps/.et/.pdf）")
    p.add_argument("--json", action="store_true",
                   help="以 JSON 输出（任务另可带 joined：被分页截断后接回的字段；deadline_from_requirement："
                        "无时限时摘自工作要求的时限；page：PDF 页码）")
    p.set_defaults(func=run_parse)
    i = sub.add_parser("import-plan", help="导入工作方案及任务分解表", parents=[common])
    i.add_argument("file", help="方案文件（.docx/.xlsx/.doc/.wps/.et/.pdf）")
    i.add_argument("--json", action="store_true", help="以 JSON 输出")
    i.set_defaults(func=run_import)
    plans = sub.add_parser("plans", help="本机保存的工作方案：查看、删除", parents=[common])
    psub = plans.add_subparsers(dest="plans_command", metavar="操作")
    listing = psub.add_parser("list", help="列出本机保存的工作方案", parents=[common])
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(func=run_plans_list)
    drop = psub.add_parser("drop", help="删除一个方案及其任务和台账（先自动备份）", parents=[common])
    drop.add_argument("id", metavar="ID", help="方案编号（见 plans list）")
    drop.add_argument("--force", action="store_true", help="台账中已有进展记录时仍然删除")
    drop.add_argument("--json", action="store_true", help="以 JSON 输出")
    drop.set_defaults(func=run_plans_drop)


_CLI_FIELDS = ("id", "title", "year", "doc_no", "source", "tasks", "entries")


def run_plans_list(ctx):
    from core.plan.plans import list_plans

    plans = list_plans(ctx.db)
    if ctx.args.json:
        ctx.print_json({"plans": [{k: p[k] for k in _CLI_FIELDS} for p in plans]})
        return
    if not plans:
        print("本机还没有工作方案。")
    for p in plans:
        source = "本机导入" if p["source"] == "file" else "任务包"
        print(f"{p['id']}\t{p['year'] or '—'}\t{p['doc_no'] or '—'}\t{p['title'] or '（无标题）'}\t{source}\t"
              f"任务 {p['tasks']} 项，台账 {p['entries']} 条")


def run_plans_drop(ctx):
    from core.plan.plans import drop_plan

    result = drop_plan(ctx.db, ctx.args.id, force=ctx.args.force)
    if ctx.args.json:
        ctx.print_json(result)
        return
    print(f"已删除方案：任务 {result['tasks']} 项，台账 {result['entries']} 条。"
          + (f"删除前的备份：{result['backup']}" if result["backup"] else ""))


def run_parse(ctx):
    from core.plan import read_plan

    plan = read_plan(ctx.args.file)
    if ctx.args.json:
        ctx.print_json(plan.as_json())
        return
    print(summary_text(plan))


def summary_text(plan) -> str:
    """A readable Chinese summary of a parsed plan."""
    lines = [
        f"标题：{plan.title or '（未识别）'}",
        f"年度：{plan.year or '（未识别）'}  文号：{plan.doc_no or '（未识别）'}",
        f"发文单位：{plan.issuer or '（未识别）'}  发文日期：{plan.issued or '（未识别）'}",
    ]
    for item in plan.report_dates:
        lines.append(f"报送要求：{item['what']} —— {item['date']} 前")
    lines.append(f"任务：共 {len(plan.tasks)} 项")
    for task in plan.tasks:
        category = " / ".join(task.category)
        mark = f"（沿用上行：{'、'.join(_FIELD_NAMES.get(f, f) for f in task.filled)}）" if task.filled else ""
        if task.joined:
            mark += f"（分页接续：{'、'.join(_FIELD_NAMES.get(f, f) for f in task.joined)}）"
        deadline = task.deadline or (f"{task.implied_deadline}（摘自工作要求）" if task.implied_deadline else "—")
        where = f"  来源：{task.source}" if task.page else ""
        lines.append(f"  {task.seq:>3}  [{category}] {_short(task.requirement)}")
        lines.append(f"       责任单位：{task.units or '—'}  时限：{deadline}{mark}{where}")
    for warning in plan.warnings:
        lines.append(f"提示：{warning}")
    return "\n".join(lines)


_FIELD_NAMES = {"category": "工作任务", "units": "责任单位", "deadline": "时限", "requirement": "工作要求"}


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def run_import(ctx):
    from core.plan.plan_import import import_plan

    report = import_plan(ctx.db, ctx.args.file)
    if ctx.args.json:
        ctx.print_json(report)
        return
    head = "已新建方案" if report["created"] else "已更新方案"
    print(f"{head}：共 {report['tasks']} 项任务；新增 {report['added']} 项，修改 {report['changed']} 项，"
          f"删除 {report['removed']} 项，未变 {report['unchanged']} 项。")
    for warning in report["warnings"]:
        print(f"提示：{warning}")
    entries = report.get("entries")
    if isinstance(entries, dict) and entries.get("message"):
        print(f"本单位台账：{entries['message']}")
