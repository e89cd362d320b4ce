"""`request add|update|appeal|list|doc`: the 依申请公开 register (see ../shared/CLI.md)."""

import sys

from core.register import requests
from core.errors import UserError

RESULT_HELP = "办理结果代码（年度报告表三的行）：" + "；".join(f"{k} {v}" for k, v in requests.RESULTS.items())


def register(sub, common):
    p = sub.add_parser("request", help="依申请公开台账", parents=[common])
    psub = p.add_subparsers(dest="request_command", metavar="操作")

    add = psub.add_parser("add", help="登记一件政府信息公开申请；答复期限 = 收到日期后第 20 个工作日（收到当日不计）",
                          parents=[common])
    add.add_argument("--received", required=True, metavar="D", help="收到日期 YYYY-MM-DD")
    add.add_argument("--channel", required=True, help="收到方式：" + "|".join(requests.CHANNELS))
    add.add_argument("--applicant", required=True, help="申请人类别：" + "|".join(requests.APPLICANTS))
    add.add_argument("--content", required=True, metavar="TEXT", help="所需信息（申请内容）")
    add.add_argument("--name", default="", metavar="N", help="申请人姓名或名称")
    add.add_argument("--contact", default="", help="联系方式")
    add.add_argument("--form", default="", help="获取形式：" + "|".join(requests.FORMS))
    add.add_argument("--json", action="store_true", help='输出 JSON：{"id", "no", "due"}')
    add.set_defaults(func=run_add)

    up = psub.add_parser(
        "update", parents=[common],
        help="记录办理环节",
        description="记录办理环节。补正告知后停止计时（待补正），收到补正后重新计 20 个工作日；"
                    "征求意见期间（起止日均计入）的工作日不计入期限；延期须在期限届满前（含当日）批准，延长 20 个工作日；"
                    "待补正的申请不能延期，但可以 6.1 办结。日期给空字符串可清除。")
    up.add_argument("id", metavar="ID", help="申请的编号（如 2024-001）或 id")
    up.add_argument("--correction-asked", metavar="D", help="补正告知日期")
    up.add_argument("--correction-received", metavar="D", help="收到补正材料日期")
    up.add_argument("--consult-start", metavar="D", help="征求第三方意见开始日期")
    up.add_argument("--consult-end", metavar="D", help="征求第三方意见结束日期")
    up.add_argument("--extended", metavar="D", help="延期审批日期（须在答复期限前）")
    up.add_argument("--replied", metavar="D", help="答复日期（与 --result 同时给出）")
    up.add_argument("--result", metavar="CODE", help=RESULT_HELP)
    up.add_argument("--delivered", metavar="D", help="送达日期")
    up.add_argument("--delivery", metavar="TEXT", help="送达方式/签收情况")
    up.add_argument("--fee", metavar="元", help="收取的信息处理费（元）")
    up.add_argument("--archive-no", metavar="TEXT", help="归档号")
    up.add_argument("--note", metavar="TEXT", help="备注")
    up.add_argument("--json", action="store_true", help="输出 JSON：与 list 中的一项相同")
    up.set_defaults(func=run_update)

    ap = psub.add_parser("appeal", help="记录针对答复的行政复议或行政诉讼（计入年度报告表四）", parents=[common])
    ap.add_argument("id", metavar="ID", help="申请的编号或 id")
    ap.add_argument("--kind", required=True, help="|".join(requests.APPEAL_KINDS) + "（复议后诉讼只计入“复议后起诉”）")
    ap.add_argument("--outcome", required=True, help="|".join(requests.APPEAL_OUTCOMES))
    ap.add_argument("--date", metavar="D", help="复议/诉讼日期（不填则计入答复所在年度）")
    ap.add_argument("--json", action="store_true")
    ap.set_defaults(func=run_appeal)

    ls = psub.add_parser("list", help="列出申请（--year 按收到年度）", parents=[common])
    ls.add_argument("--year", type=int, help="收到年度")
    ls.add_argument("--status", help="|".join(requests.STATUSES))
    ls.add_argument("--overdue", action="store_true", help="只列逾期的申请")
    ls.add_argument("--unit", help="单位（汇总单位按单位筛选）")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)

    from core.export.request_docs import KINDS

    doc = psub.add_parser("doc", help="生成办理文书（.docx，模板可在“设置 → 模板”中修改）", parents=[common])
    doc.add_argument("id", metavar="ID", help="申请的编号或 id")
    doc.add_argument("--kind", required=True, choices=list(KINDS),
                     help="文书：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items()) + "；答复书按办理结果选用对应模板")
    doc.add_argument("--out", required=True, metavar="FILE", help="输出 .docx 文件")
    doc.add_argument("--json", action="store_true")
    doc.set_defaults(func=run_doc)


def _warn(warnings) -> None:
    for text in warnings:
        print(f"提醒：{text}", file=sys.stderr)


def run_add(ctx):
    a = ctx.args
    values = {"received": a.received, "channel": a.channel, "applicant": a.applicant, "content": a.content,
              "name": a.name, "contact": a.contact, "form": a.form}
    item, warnings = requests.add(ctx.db, values)
    _warn(warnings)
    if a.json:
        ctx.print_json({"id": item["id"], "no": item["no"], "due": item["due"]})
    else:
        print(f"已登记 {item['no']}，答复期限 {item['due']}。")


STEP_OPTIONS = ("correction_asked", "correction_received", "consult_start", "consult_end", "extended", "replied",
                "result", "delivered", "delivery", "fee", "archive_no", "note")


def run_update(ctx):
    a = ctx.args
    values = {k: getattr(a, k) for k in STEP_OPTIONS if getattr(a, k) is not None}
    if not values:
        raise UserError("没有要记录的环节：请给出 --correction-asked、--replied 等选项，运行 request update --help 查看。")
    item, warnings = requests.update(ctx.db, a.id, values)
    _warn(warnings)
    if a.json:
        ctx.print_json(requests.public(item))
    else:
        print(f"{item['no']}：{item['status']}，答复期限 {item['due'] or '（待补正，暂停计时）'}" + ("【逾期】" if item["overdue"] else ""))


def run_appeal(ctx):
    a = ctx.args
    record = requests.add_appeal(ctx.db, a.id, a.kind, a.outcome, a.date)
    if a.json:
        ctx.print_json({"id": record["id"], "year": record["year"], "kind": record["kind"], "outcome": record["outcome"]})
    else:
        print(f"已记录{record['kind']}（{record['outcome']}），计入 {record['year']} 年度报告表四。")


def run_list(ctx):
    a = ctx.args
    items = requests.list_requests(ctx.db, year=a.year, status_filter=a.status, overdue=a.overdue, unit=a.unit)
    if a.json:
        ctx.print_json({"requests": [requests.public(i) for i in items]})
        return
    if not items:
        print("没有符合条件的申请。")
    for i in items:
        flag = "【逾期】" if i["overdue"] else ""
        print(f"{i['no']}  收到 {i['received']}  {i['applicant']}  期限 {i['due'] or '—'}  {i['status']}{flag}  {i['content'][:30]}")


def run_doc(ctx):
    from core.export import request_docs

    a = ctx.args
    info = request_docs.write(ctx.db, a.id, a.kind, a.out, db_path=ctx.db_path)
    if a.json:
        ctx.print_json(info)
    else:
        print(f"已生成{request_docs.KINDS[a.kind]}：{info['path']}")
