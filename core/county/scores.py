"""Yearly scores (年度考核): scoring rules, deductions from findings, manual adjustments, ranking.

Rules come from an .xlsx with the header row 指标 | 分值 | 扣分规则 (stored in settings). A unit
starts from the rules' total (100 without rules) and loses each finding's 扣分 in that year;
what one indicator loses is capped at that indicator's 分值. Manual adjustments (加分 or 扣分,
each with a reason) are added last; a score is never below 0. Equal scores share a rank
(1, 1, 3 …).
"""

import re

from core import records, settings
from core.errors import UserError
from core.county.inspections import check_text, list_findings
from core.text import normalise

RULES_KEY = "score.rules"
DEFAULT_TOTAL = 100.0
RULE_HEADERS = {"indicator": ("指标", "考核指标", "评分指标"), "points": ("分值", "分数", "满分"),
                "rule": ("扣分规则", "评分标准", "扣分标准")}
MAX_RULES = 200


def rules(db) -> list[dict]:
    """The scoring rules in use: [{indicator, points, rule}] (empty: 100 points, no indicators)."""
    return settings.get(db, RULES_KEY, []) or []


def load_rules(db, path) -> dict:
    """Read and store the scoring rules from an .xlsx (untrusted: every row checked, all or nothing)."""
    from pathlib import Path

    from core.county.roster import _read_sheet

    if not settings.is_county(db):
        raise UserError("只有汇总单位（县政务公开科）可以设置考核评分规则。")
    rows = _read_sheet(Path(path), RULE_HEADERS, ("indicator", "points"), "评分规则")
    out, seen = [], {}
    for number, values in rows:
        where = f"第{number}行："
        indicator = re.sub(r"\s+", "", normalise(str(values.get("indicator") or "")))
        if not indicator:
            raise UserError(f"{where}指标名称为空，请填写指标，例如“主动公开”。")
        if len(indicator) > 60:
            raise UserError(f"{where}指标名称超过 60 字，请精简。")
        if indicator in seen:
            raise UserError(f"{where}指标“{indicator}”与第{seen[indicator]}行重复，请合并为一行。")
        seen[indicator] = number
        raw = values.get("points")
        try:
            points = float(str(raw).strip())
        except (TypeError, ValueError):
            raise UserError(f"{where}指标“{indicator}”的分值“{raw}”不是数字，请填写例如 10。") from None
        if not (0 < points <= 100) or points != points:
            raise UserError(f"{where}指标“{indicator}”的分值“{raw}”应在 0 到 100 之间。")
        rule = check_text(values.get("rule"), "扣分规则", where, required=False, limit=1000)
        out.append({"indicator": indicator, "points": round(points, 2), "rule": rule})
        if len(out) > MAX_RULES:
            raise UserError(f"评分规则超过 {MAX_RULES} 条，请检查是否选错了文件。")
    if not out:
        raise UserError("评分规则表格中没有指标，请在“指标 | 分值 | 扣分规则”标题行下逐行填写。")
    total = sum(r["points"] for r in out)
    if total > 1000:
        raise UserError(f"各指标分值合计 {total:g} 分，超过 1000 分，请检查分值。")
    with db.atomic():
        settings.put(db, RULES_KEY, out)
    return {"rules": len(out), "total": round(total, 2)}


def adjust(db, unit, year, points, reason) -> dict:
    """A manual adjustment (positive adds, negative deducts) with its reason."""
    from core.county.inspections import roster_name

    if not settings.is_county(db):
        raise UserError("只有汇总单位（县政务公开科）可以调整考核得分。")
    try:
        value = round(float(str(points).strip()), 2)
    except (TypeError, ValueError):
        raise UserError(f"调整分值“{points}”不是数字，请填写例如 2 或 -1.5。") from None
    if value == 0 or abs(value) > 100 or value != value:
        raise UserError(f"调整分值“{points}”应在 -100 到 100 之间且不为 0。")
    reason = check_text(reason, "调整理由", limit=500)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UserError(f"年度“{year}”无效，请填写四位数字年份，例如 2024。") from None
    with db.atomic():
        return records.insert(db, "score_adjustments", {"unit": roster_name(db, unit), "year": year,
                                                        "points": value, "reason": reason})


def scores(db, year) -> list[dict]:
    """The ranked score table of `year`: [{name, kind, score, rank, base, deductions, adjustments}]."""
    from core.county.roster import list_units

    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UserError(f"年度“{year}”无效，请填写四位数字年份，例如 2024。") from None
    rule_list = rules(db)
    base = round(sum(r["points"] for r in rule_list), 2) if rule_list else DEFAULT_TOTAL
    caps = {r["indicator"]: r["points"] for r in rule_list}
    units = {u["name"]: {"name": u["name"], "kind": u["kind"], "base": base, "deductions": [], "adjustments": []}
             for u in list_units(db)}
    for f in sorted(list_findings(db, unit=None, year=year), key=lambda f: (f["date"], f["id"])):
        if not f["deduct"]:
            continue
        unit = units.setdefault(f["unit"], {"name": f["unit"], "kind": "", "base": base, "deductions": [], "adjustments": []})
        unit["deductions"].append({"id": f["id"], "date": f["date"], "kind": f["kind"], "indicator": f["indicator"],
                                   "finding": f["finding"], "points": f["deduct"]})
    for row in db.execute("SELECT id, unit, points, reason, updated_at FROM score_adjustments "
                          "WHERE deleted = 0 AND year = ? ORDER BY updated_at", [year]):
        unit = units.setdefault(row[1], {"name": row[1], "kind": "", "base": base, "deductions": [], "adjustments": []})
        unit["adjustments"].append({"id": row[0], "points": row[2], "reason": row[3]})
    for unit in units.values():
        lost = {}
        for d in unit["deductions"]:
            lost[d["indicator"]] = lost.get(d["indicator"], 0) + d["points"]
        deducted = sum(min(v, caps[k]) if k in caps else v for k, v in lost.items())
        adjusted = sum(a["points"] for a in unit["adjustments"])
        unit["deducted"] = round(deducted, 2)
        unit["score"] = round(max(0.0, base - deducted + adjusted), 2)
    ranked = sorted(units.values(), key=lambda u: (-u["score"], u["name"]))
    for index, unit in enumerate(ranked):
        same = index and ranked[index - 1]["score"] == unit["score"]
        unit["rank"] = ranked[index - 1]["rank"] if same else index + 1
    return ranked


def default_year(db) -> int:
    """The year to score first: the newest year of a finding or a plan, else this year."""
    from datetime import date

    row = db.execute("SELECT max(y) FROM (SELECT CAST(substr(date, 1, 4) AS INTEGER) AS y FROM inspections WHERE deleted = 0 "
                     "UNION ALL SELECT year FROM plans WHERE deleted = 0)").fetchone()
    return int(row[0]) if row and row[0] else date.today().year


def write_score_xlsx(db, target, year) -> dict:
    """The score sheet: one row per unit, ranked, with the deductions spelled out."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from core.export.common import BODY_FONT, TITLE_FONT
    from core.export.xlsx_form import new_book, page_setup, save, set_text

    table = scores(db, year)
    if not table:
        raise UserError("单位名册为空，没有可评分的单位。请先添加单位或导入单位名册。")
    office = (settings.profile(db) or {}).get("name", "")
    headers = ("名次", "单位", "类型", "基础分", "扣分", "调整", "得分", "扣分明细", "调整理由")
    widths = (7, 24, 8, 9, 8, 8, 9, 60, 30)
    wb = new_book()
    ws = wb.active
    ws.title = "考核得分"
    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.merge_cells("A1:I1")
    set_text(ws["A1"], f"{int(year)}年度政务公开工作考核得分表")
    ws["A1"].font, ws["A1"].alignment = Font(name=TITLE_FONT, size=20), center
    ws.row_dimensions[1].height = 40
    ws.merge_cells("A2:I2")
    set_text(ws["A2"], f"考核单位：{office}")
    ws["A2"].font = Font(name=BODY_FONT, size=12)
    letters = "ABCDEFGHI"
    for col, (title, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=3, column=col)
        set_text(cell, title)
        cell.font, cell.alignment, cell.border = Font(name="黑体", size=11), center, border
        ws.column_dimensions[letters[col - 1]].width = width
    font = Font(name=BODY_FONT, size=11)
    for number, unit in enumerate(table, start=4):
        detail = "；".join(f"{d['date']} {d['indicator'] or d['kind']}：{d['finding']}（-{d['points']:g}）" for d in unit["deductions"])
        reasons = "；".join(f"{a['points']:+g}：{a['reason']}" for a in unit["adjustments"])
        values = [unit["rank"], unit["name"], unit["kind"], unit["base"], unit["deducted"],
                  round(sum(a["points"] for a in unit["adjustments"]), 2), unit["score"], detail, reasons]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number, column=col)
            set_text(cell, value)
            cell.font, cell.border = font, border
            cell.alignment = left if col in (8, 9) else center
    page_setup(ws, landscape=True, title_rows="3:3")
    ws.freeze_panes = "C4"
    save(wb, target)
    return {"form": "score", "rows": len(table), "unit": office, "year": int(year)}
