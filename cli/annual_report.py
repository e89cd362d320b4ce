"""`annual-report set|data|check|draft`: the 政府信息公开工作年度报告 (see ../shared/CLI.md)."""

import argparse

from core.register import annual_report


def register(sub, common):
    p = sub.add_parser("annual-report", help="政府信息公开工作年度报告", parents=[common])
    psub = p.add_subparsers(dest="annual_report_command", metavar="操作")

    st = psub.add_parser(
        "set", parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="填写表二的数字或第一、五、六部分的文字",
        description="填写年度报告中需手工填写的内容（表三、表四由依申请公开台账自动统计）。\n"
                    "VALUE 为数字或文字；文字可写 @文件路径 从文本文件读入；空字符串清除。件数不能为负数。\n"
                    "现行有效件数不填时按上年现行有效件数 + 本年制发 − 本年废止自动结转。\n\n可填写的项目（KEY）：\n"
                    + annual_report.keys_help())
    st.add_argument("--year", required=True, type=int, help="报告年度")
    st.add_argument("key", metavar="KEY", help="项目，见下表")
    st.add_argument("value", metavar="VALUE", help="数字、文字或 @FILE")
    st.add_argument("--unit", help="单位（默认本单位）")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=run_set)

    data = psub.add_parser("data", help="年度报告的各表数字（--unit all：县里汇总各单位）", parents=[common])
    data.add_argument("--year", required=True, type=int)
    data.add_argument("--unit", help="单位名称，或 all 汇总全部单位")
    data.add_argument("--json", action="store_true")
    data.set_defaults(func=run_data)

    ck = psub.add_parser("check", help="检查年度报告：表内、表间及与上年报告的一致性，缺填项目", parents=[common])
    ck.add_argument("--year", required=True, type=int)
    ck.add_argument("--unit", help="单位（默认本单位）")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=run_check)

    dr = psub.add_parser("draft", help="由台账生成第一、五部分的草稿（--save 时写入，可再修改）", parents=[common])
    dr.add_argument("--year", required=True, type=int)
    dr.add_argument("--save", action="store_true", help="把草稿存为第一、五部分（覆盖已填写的文字）")
    dr.add_argument("--json", action="store_true")
    dr.set_defaults(func=run_draft)


def run_set(ctx):
    a = ctx.args
    stored = annual_report.set_value(ctx.db, a.year, a.key, a.value, a.unit)
    if a.json:
        ctx.print_json({"year": a.year, "key": a.key, "value": stored})
    else:
        print(f"已保存 {a.year} 年度报告 {a.key}" + (f" = {stored}" if len(stored) <= 20 else f"（{len(stored)} 字）"))


def run_data(ctx):
    a = ctx.args
    if a.unit == "all":
        data = annual_report.county_data(ctx.db, a.year)
    else:
        data = annual_report.report_data(ctx.db, a.year, a.unit)
    if a.json:
        ctx.print_json(data)
        return
    print(f"{data['year']}年度 {data['unit']}")
    print("表三".ljust(30) + "  ".join(c[:2] for c in data["table3"]["columns"]))
    for row in data["table3"]["rows"]:
        print(f"{row['code']:<10} " + " ".join(f"{v:>4}" for v in row["values"]))
    for kind, values in data["table4"].items():
        print(f"表四 {kind}: " + " ".join(str(v) for v in values))


def run_check(ctx):
    a = ctx.args
    found = annual_report.problems(ctx.db, a.year, a.unit)
    if a.json:
        ctx.print_json({"problems": found})
        return
    if not found:
        print("未发现问题。")
    for p in found:
        print(f"[{'错误' if p['level'] == 'error' else '缺项'}] {p['text']}")


def run_draft(ctx):
    a = ctx.args
    drafts = annual_report.draft_sections(ctx.db, a.year)
    if a.save:
        for key, text in drafts.items():
            annual_report.set_value(ctx.db, a.year, key, text)
    if a.json:
        ctx.print_json(drafts)
    else:
        for key, text in drafts.items():
            print(f"{annual_report.SECTIONS[key]}\n{text}\n")
