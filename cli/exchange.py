"""`pack`, `unpack`, `roundtrip-xlsx`: sync by file exchange (see ../shared/CLI.md)."""

import sys

from core.errors import UserError


def register(sub, common):
    p = sub.add_parser("pack", help="导出数据包（任务包 / 报送包）", parents=[common])
    p.add_argument("kind", choices=["task", "report"], help="task：任务包（汇总单位发给填报单位）；report：报送包（填报单位报县）")
    p.add_argument("--out", help="数据包文件（.zwgk）")
    p.add_argument("--unit", default="", help="任务包的接收单位")
    p.add_argument("--all", action="store_true", help="为单位名册中每个有任务的单位各导出一个任务包（与 --out-dir 一起）")
    p.add_argument("--out-dir", metavar="DIR", help="--all 时保存任务包的文件夹；文件名含单位名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_pack)

    u = sub.add_parser(
        "unpack", help="导入数据包，打印合并报告", parents=[common],
        description="导入数据包（.zwgk），每个文件一个事务。签名：第一次收到某单位（或县政务公开科）的数据包时，"
                    "登记其签名公钥（首次使用即信任），报告中打印其指纹，--json 时见 details[].signer "
                    '{"office", "fingerprint", "new": true, "how": "first_use|legacy_hmac|pinned"}；请打电话与对方核对指纹。'
                    "此后用其他密钥签名的数据包一律拒绝（退出 2），核实后可用 keys forget 单位 更换登记。"
                    "报送包的接收单位必须是本单位（名称或别名）。",
    )
    u.add_argument("files", nargs="+", metavar="FILE", help="数据包文件或包含数据包的文件夹")
    u.add_argument("--dry-run", action="store_true", help="只显示将发生的变化，不写入")
    u.add_argument("--json", action="store_true")
    u.set_defaults(func=run_unpack)

    r = sub.add_parser("roundtrip-xlsx", help="导入在 Excel/WPS 中修改过的台账表格", parents=[common])
    r.add_argument("file", metavar="FILE")
    r.add_argument("--dry-run", action="store_true", help="只显示改动，不写入")
    r.add_argument("--unit", default="", help="手工制作的台账属于哪个单位（汇总单位导入时需要）")
    r.add_argument("--accept-uncertain", action="store_true", help="同时应用按相似度匹配、不够确定的行")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_roundtrip)


def run_pack(ctx):
    from core.exchange.packs import pack

    a = ctx.args
    if a.all:
        return _pack_all(ctx)
    if a.out_dir:
        raise UserError("--out-dir 只与 --all 一起使用；导出单个数据包请用 --out 文件名。")
    if not a.out:
        raise UserError("请用 --out 指定数据包文件，例如 --out 城东街道-任务包.zwgk；或用 pack task --all --out-dir 文件夹。")
    if not a.out.lower().endswith(".zwgk"):
        raise UserError("数据包文件名应以 .zwgk 结尾，例如 --out 城东街道-任务包.zwgk。")
    result = pack(ctx.db, ctx.db_path, a.kind, a.out, a.unit or None)
    if a.json:
        ctx.print_json(result)
    else:
        counts = "，".join(f"{k} {v}" for k, v in result["counts"].items())
        print(f"已导出{'任务包' if a.kind == 'task' else '报送包'}：{result['file']}（{counts}），本单位签名指纹 {result['fingerprint']}")
        for name in result["missing_files"]:
            print(f"注意：附件文件“{name}”在附件目录中找不到，未能打包。", file=sys.stderr)


def _pack_all(ctx):
    from core.exchange.packs import pack_all

    a = ctx.args
    if a.kind != "task":
        raise UserError("--all 只用于任务包：pack task --all --out-dir 文件夹。")
    if not a.out_dir or a.out or a.unit:
        raise UserError("pack task --all 请只给出 --out-dir 文件夹（不要同时给 --out 或 --unit）。")
    results = pack_all(ctx.db, ctx.db_path, a.out_dir)
    if a.json:
        ctx.print_json({"packages": results})
    else:
        for r in results:
            print(f"已导出任务包：{r['file']}")
        print(f"共 {len(results)} 个任务包。")


def run_unpack(ctx):
    from core.exchange.packs import unpack

    a = ctx.args
    report = unpack(ctx.db, ctx.db_path, a.files, dry_run=a.dry_run)
    if a.json:
        ctx.print_json(report)
    else:
        print(_describe(report))
        for detail in report["details"]:
            signer = detail.get("signer") or {}
            if signer.get("new"):
                how = "（已用原有密钥核验）" if signer["how"] == "legacy_hmac" else ""
                print(f"{detail['file']}：已登记“{signer['office']}”的签名密钥{how}，指纹 {signer['fingerprint']}，请打电话与对方核对。")
            if detail["rejected"] and not detail["error"]:
                print(f"{detail['file']}：{detail['result']}")
                for item in [i for i in detail["items"] if i["what"] == "rejected"][:20]:
                    print(f"  拒绝：{item['reason']}")
    refused = [d for d in report["details"] if d["error"]]
    for detail in refused:
        print(f"{detail['file']}：{detail['error']}", file=sys.stderr)
    return 2 if refused else 0


def run_roundtrip(ctx):
    from core.exchange import roundtrip

    a = ctx.args
    result = roundtrip.roundtrip(ctx.db, a.file, dry_run=a.dry_run, unit=a.unit or None, accept_uncertain=a.accept_uncertain)
    if a.json:
        ctx.print_json(result)
    else:
        print(roundtrip.describe(result))


def _describe(report) -> str:
    prefix = "（试运行，未写入）" if report["dry_run"] else ""
    return (f"{prefix}新增 {report['new']}，更新 {report['updated']}，未变 {report['unchanged']}，"
            f"冲突 {report['conflicts']}，拒绝 {report['rejected']}，未导入的文件 {report['refused']}")
