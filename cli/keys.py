"""`keys show|list|forget`: this office's signing key and the keys it has pinned for other offices."""

import argparse

from core.errors import UserError

DESCRIPTION = """\
数据包的签名密钥。每个单位第一次使用时自动生成自己的密钥对：私钥保存在台账文件旁
（<台账文件名>-office.key），只随“backup --out”生成的 .zip 备份包走，从不放进数据包。
填报单位第一次导入县里的任务包时登记县政务公开科的公钥；县政务公开科第一次导入某单位的
报送包时登记该单位的公钥（命令行首次使用即登记，unpack 的报告和 --json 的 details[].signer
中给出指纹 fingerprint，请打电话与对方核对）。此后用其他密钥签名的数据包一律拒绝。
对方确实换了电脑或重装程序（密钥变了）时，核实后用 keys forget 单位名称 删除登记，
下一个数据包会重新登记。指纹是 4 组 4 位数字，双方在“设置 → 密钥”中也能看到。

  keys show [--json]     本单位的公钥和指纹
  keys list [--json]     已登记的其他单位的密钥：{"keys": [{"office", "role", "fingerprint",
                         "pinned_at", "pinned_how", "source", "issued_at"}]}；role 为 county
                         （发来任务包的县政务公开科）或 unit（报送包的单位）；pinned_how 为
                         first_use（首次使用时登记）、legacy_hmac（升级后用原有密钥核验后登记）
  keys forget 单位 [--json]  删除对该单位密钥的登记（更换密钥前的明确操作）
"""


def register(sub, common):
    p = sub.add_parser("keys", help="签名密钥：本单位指纹、已登记的密钥、更换登记", parents=[common],
                       description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=run_show)
    psub = p.add_subparsers(dest="keys_command", metavar="操作")
    show = psub.add_parser("show", help="本单位的公钥和指纹", parents=[common])
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=run_show)
    listing = psub.add_parser("list", help="已登记的其他单位的密钥", parents=[common])
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    forget = psub.add_parser("forget", help="删除对某单位密钥的登记，其下一个数据包将重新登记", parents=[common])
    forget.add_argument("office", metavar="单位", help="单位名称（见 keys list）")
    forget.add_argument("--json", action="store_true")
    forget.set_defaults(func=run_forget)


def run_show(ctx):
    from core.exchange import signing

    identity = signing.own_identity(ctx.db)
    if ctx.args.json:
        ctx.print_json(identity)
    else:
        print(f"本单位（{identity['office'] or '未设置'}）的签名密钥指纹：{identity['fingerprint']}")
        print(f"公钥：{identity['public_key']}")


def run_list(ctx):
    from core.exchange import signing

    rows = [{k: r.get(k) for k in ("office", "role", "fingerprint", "pinned_at", "pinned_how", "source", "issued_at")}
            for r in signing.list_pinned(ctx.db)]
    if ctx.args.json:
        ctx.print_json({"keys": rows})
        return
    if not rows:
        print("还没有登记其他单位的签名密钥。")
    for r in rows:
        role = "县政务公开科" if r["role"] == signing.COUNTY_ROLE else "填报单位"
        print(f"{r['office']}\t{role}\t{r['fingerprint'] or '未登记（已发任务包，尚未收到报送包）'}\t{(r['pinned_at'] or '')[:10]}")


def run_forget(ctx):
    from core.exchange import signing

    office = (ctx.args.office or "").strip()
    if not office:
        raise UserError("请写出要删除登记的单位名称，例如 keys forget 城东街道。")
    result = signing.forget(ctx.db, office)
    if ctx.args.json:
        ctx.print_json(result)
    else:
        print(f"已删除对“{office}”签名密钥（指纹 {result['forgotten']}）的登记；其下一个数据包将重新登记，请届时电话核对指纹。")
