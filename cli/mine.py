"""`mine FILE --unit N [--alias A]... [--kind K] --json`: the plan's tasks that apply to a unit."""

from core.errors import UserError


def register(sub, common):
    p = sub.add_parser("mine", help="列出方案中涉及某单位的任务", parents=[common])
    p.add_argument("file", help="方案文件（.docx/.xlsx 等）")
    p.add_argument("--unit", required=True, help="单位名称")
    p.add_argument("--alias", action="append", default=[], help="单位别名，可多次给出")
    p.add_argument("--kind", default=None, help="镇 | 街道 | 部门 | 县政府办公室（默认按名称推断）")
    p.add_argument("--county", default="", help="所属县（区），用于识别“博山区司法局”这类写法")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(ctx):
    from core.units import KINDS, guess_kind

    a = ctx.args
    name = (a.unit or "").strip()
    if not name:
        raise UserError("单位名称不能为空，请用 --unit 给出，例如 --unit 城东街道。")
    kind = a.kind or guess_kind(name)
    if kind not in KINDS:
        raise UserError(f"单位类型“{kind}”无效，请选择：{'、'.join(KINDS)}。")
    profile = {"name": name, "aliases": [x.strip() for x in a.alias if x.strip()], "kind": kind, "county": a.county}
    plan = _read(a.file)
    result = {"unit": name, "tasks": tasks_for(plan, profile)}
    if a.json:
        ctx.print_json(result)
        return
    print(f"{name}（{kind}）涉及的任务：{sum(not t.get('maybe') for t in result['tasks'])}项"
          f"，可能涉及{sum(bool(t.get('maybe')) for t in result['tasks'])}项")
    for t in result["tasks"]:
        flag = "可能涉及" if t.get("maybe") else t["role"]
        print(f"{t['seq']}\t{flag}\t{t['reason']}")


def tasks_for(plan, profile: dict) -> list:
    """[{"seq", "role", "reason", ("maybe": True)}] for the tasks of `plan` that apply to `profile`."""
    from core.units import match_units

    out = []
    for task in plan.tasks:
        seq, units = _field(task, "seq"), _field(task, "units")
        m = match_units(units or "", profile)
        if m.applies:
            out.append({"seq": str(seq), "role": m.role, "reason": m.reason})
        elif m.maybe:
            out.append({"seq": str(seq), "role": m.role or "责任", "reason": m.reason, "maybe": True})
    return out


def _field(task, name):
    return task.get(name) if isinstance(task, dict) else getattr(task, name, None)


def _read(path):
    from pathlib import Path

    if not Path(path).is_file():
        raise UserError(f"找不到方案文件“{path}”，请检查路径。")
    from core.plan import read_plan

    return read_plan(path)
