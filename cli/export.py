"""`export ledger|open-activity-plan|open-activity-report|summary --format docx|xlsx|pdf --out FILE`."""

from core.export import FORMS, SUPPORTED, check_request, export


def register(sub, common):
    p = sub.add_parser("export", help="导出表单（台账、开放活动报送表、开展情况、汇总表）", parents=[common])
    p.add_argument("form", choices=list(FORMS), help="表单：" + "、".join(f"{k}（{v}）" for k, v in FORMS.items()))
    p.add_argument("--format", required=True, choices=["docx", "xlsx", "pdf"], help="文件格式")
    p.add_argument("--out", required=True, help="输出文件")
    p.add_argument("--year", help="年度（默认：数据中最近的年度）")
    p.add_argument("--unit", help="单位（汇总单位导出某一单位时）")
    p.add_argument("--columns", help="台账列，逗号分隔，如 seq,category,measure,deadline（默认：上次选择）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_export)


def run_export(ctx):
    a = ctx.args
    columns = [c for c in (a.columns or "").split(",") if c.strip()] or None
    path = check_request(a.form, a.format, a.out)
    if a.format == "pdf":
        from gui.print_preview import export_pdf  # Qt is needed for PDF; imported only here

        info = export_pdf(ctx.db, a.form, path, a.year, a.unit, columns)
    else:
        info = export(ctx.db, a.form, a.format, path, a.year, a.unit, columns, db_path=ctx.db_path)
    if a.json:
        ctx.print_json(info)
    else:
        print(f"已导出{FORMS[a.form]}：{info['path']}（{info['rows']} 行）")


__all__ = ["SUPPORTED"]
