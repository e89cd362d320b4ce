"""`export ledger|open-activity-plan|open-activity-report|summary --format docx|xlsx|pdf --out FILE`."""

from core.errors import UserError
from core.export import FORMS, SUPPORTED, check_request, export

# The county's documents of checks and scores (not forms a unit fills in).
COUNTY_FORMS = {"inspection-notice": ("检查情况通报", ("docx",)), "score": ("考核得分表", ("xlsx",))}


def register(sub, common):
    p = sub.add_parser("export", help="导出表单（台账、开放活动报送表、开展情况、汇总表）", parents=[common])
    p.add_argument("form", choices=[*FORMS, "evidence", *COUNTY_FORMS],
                   help="表单：" + "、".join(f"{k}（{v}）" for k, v in [*FORMS.items(), *((k, v[0]) for k, v in COUNTY_FORMS.items())])
                   + "；evidence（佐证材料包 .zip）")
    p.add_argument("--format", choices=["docx", "xlsx", "pdf"], help="文件格式（表单必填；evidence 不用）")
    p.add_argument("--out", required=True, help="输出文件")
    p.add_argument("--year", help="年度（默认：数据中最近的年度）")
    p.add_argument("--unit", help="单位（汇总单位导出某一单位时）")
    p.add_argument("--columns", help="台账列，逗号分隔，如 seq,category,measure,deadline（默认：上次选择）")
    p.add_argument("--period", metavar="YYYYQn", help="inspection-notice：通报的季度，如 2024Q2")
    p.add_argument("--no-ranking", action="store_true", help="inspection-notice：通报中不列考核排名")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_export)


def run_export(ctx):
    a = ctx.args
    if a.form == "evidence":
        return run_evidence(ctx)
    if not a.format:
        raise UserError("请用 --format 指定文件格式：docx、xlsx 或 pdf。")
    if a.form in COUNTY_FORMS:
        return _export_county(ctx)
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


def run_evidence(ctx):
    """`export evidence --year Y --out FILE.zip`: the year's 佐证材料包."""
    from core.export.evidence import write_bundle

    a = ctx.args
    info = write_bundle(ctx.db, ctx.db_path, a.out, a.year, a.unit)
    if a.json:
        ctx.print_json(info)
    else:
        print(f"已导出佐证材料包：{info['path']}（{info['tasks']} 项任务，{info['files']} 个文件，{info['links']} 个链接"
              + (f"，{info['missing']} 个文件缺失" if info["missing"] else "") + "）")


def _export_county(ctx):
    from core.export.common import check_output

    a = ctx.args
    title, formats = COUNTY_FORMS[a.form]
    if a.format not in formats:
        raise UserError(f"{title}只能导出为 {'、'.join(formats)}。")
    path = check_output(a.out, a.format)
    if a.form == "inspection-notice":
        from core.export.inspection_notice import write_docx

        if not a.period:
            raise UserError("请用 --period 指定通报的季度，例如 --period 2024Q2。")
        info = write_docx(ctx.db, path, a.period, ranking=not a.no_ranking)
    else:
        from core.county.scores import write_score_xlsx

        if not a.year:
            raise UserError("请用 --year 指定考核年度，例如 --year 2024。")
        info = write_score_xlsx(ctx.db, path, a.year)
    info = {**info, "path": str(path), "format": a.format}
    if a.json:
        ctx.print_json(info)
    else:
        print(f"已导出{title}：{info['path']}（{info['rows']} 行）")


__all__ = ["SUPPORTED"]
