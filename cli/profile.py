"""`profile set` / `profile show`: this office's profile."""

from core import settings


def register(sub, common):
    p = sub.add_parser("profile", help="本单位信息", parents=[common])
    psub = p.add_subparsers(dest="profile_command", metavar="操作")
    s = psub.add_parser("set", help="设置本单位信息", parents=[common])
    s.add_argument("--name", required=True, help="本单位名称")
    s.add_argument("--alias", action="append", default=[], help="别名，可多次给出")
    s.add_argument("--kind", required=True, help="镇 | 街道 | 部门 | 县政府办公室")
    s.add_argument("--role", required=True, help="填报单位 | 汇总单位")
    s.add_argument("--county", default="", help="所属县（区）")
    s.set_defaults(func=run_set)
    show = psub.add_parser("show", help="显示本单位信息", parents=[common])
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)


def run_set(ctx):
    a = ctx.args
    value = settings.set_profile(ctx.db, a.name, a.kind, a.role, a.alias, a.county)
    print(f"已保存本单位信息：{value['name']}（{value['kind']}，{value['role']}）")


def run_show(ctx):
    value = settings.profile(ctx.db)
    if ctx.args.json:
        ctx.print_json(value)
    elif value:
        aliases = "、".join(value["aliases"]) or "无"
        print(f"{value['name']}（{value['kind']}，{value['role']}）别名：{aliases} 所属：{value['county'] or '未填'}")
    else:
        print("尚未设置本单位信息。运行 profile set 或在窗口中填写。")
