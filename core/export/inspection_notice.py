"""The quarterly 通报 of checks (.docx, GB/T 9704-2012): title, the period, units checked,
problems by unit, the re-check of corrections (done and not done) and, if wanted, the ranking.

A4 with the standard margins; title 2号 方正小标宋简体; body 3号 仿宋_GB2312; level-1 headings
黑体 ("一、"), level-2 楷体_GB2312 ("（一）"); page numbers "— 1 —" in 4号 宋体. Every run names
its East Asian font.
"""

from datetime import date

from core import settings
from core.errors import UserError
from core.export.common import (
    BODY_FONT,
    HEADING_FONT,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    TITLE_FONT,
    cn_date,
    mm_to_inches,
)
from core.text import printable

KAI_FONT = "楷体_GB2312"
CN_NUMBERS = "一二三四五六七八九十"


def notice_data(db, period: str, today: date | None = None) -> dict:
    """What the 通报 says, as plain data (the tests and the document read the same)."""
    from core.county.inspections import list_findings, quarter_range

    today = today or date.today()
    year, q, start, end = quarter_range(period)
    findings = sorted(list_findings(db, unit=None, start=start, end=end, today=today), key=lambda f: (f["unit"], f["date"]))
    if not findings:
        raise UserError(f"{year}年第{q}季度（{start} 至 {end}）没有登记检查发现的问题，无法生成通报。请先用 inspection add 登记。")
    by_unit: dict[str, list] = {}
    for f in findings:
        by_unit.setdefault(f["unit"], []).append(f)
    if q > 1:
        prev_start, prev_end = quarter_range(f"{year}Q{q - 1}")[2:]
    else:
        prev_start, prev_end = quarter_range(f"{year - 1}Q4")[2:]
    previous = list_findings(db, unit=None, start=prev_start, end=prev_end, today=today)
    on_time = [f for f in previous if f["fixed"] and (not f["fix_by"] or f["fixed"] <= f["fix_by"])]
    late = [f for f in previous if f["fixed"] and f["fix_by"] and f["fixed"] > f["fix_by"]]
    not_done = [f for f in previous if not f["fixed"]]
    kinds = {}
    for f in findings:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    return {"year": year, "quarter": q, "start": start, "end": end, "findings": findings, "by_unit": by_unit,
            "units": sorted(by_unit), "kinds": kinds, "previous": previous, "on_time": on_time, "late": late,
            "not_done": not_done, "fixed_now": [f for f in findings if f["fixed"]],
            "open_now": [f for f in findings if not f["fixed"]]}


def write_docx(db, target, period: str, ranking: bool = True, today: date | None = None) -> dict:
    """Write the 通报 for quarter `period` (YYYYQn)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches

    from core.storage.atomic import atomic_path

    today = today or date.today()
    data = notice_data(db, period, today)
    office = (settings.profile(db) or {}).get("name", "")
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(mm_to_inches(210)), Inches(mm_to_inches(297))
    section.top_margin = Inches(mm_to_inches(MARGINS_MM["top"]))
    section.bottom_margin = Inches(mm_to_inches(MARGINS_MM["bottom"]))
    section.left_margin = Inches(mm_to_inches(MARGINS_MM["left"]))
    section.right_margin = Inches(mm_to_inches(MARGINS_MM["right"]))
    _page_number_footer(section)
    year, q = data["year"], data["quarter"]
    _para(doc, f"关于{year}年第{CN_NUMBERS[q - 1]}季度政务公开工作检查情况的通报", TITLE_FONT, SIZE_2, align="center", indent=False)
    _para(doc, "", BODY_FONT, SIZE_3, indent=False)
    _para(doc, _addressees(db), BODY_FONT, SIZE_3, indent=False)
    kinds = "、".join(f"{k}{n}项" for k, n in data["kinds"].items())
    _para(doc, f"按照年度政务公开工作安排，{office or '我办'}于{_cn(data['start'])}至{_cn(data['end'])}对"
               f"{len(data['units'])}个单位的政务公开工作进行了检查，共发现问题{len(data['findings'])}个（{kinds}）。"
               "现将有关情况通报如下。", BODY_FONT, SIZE_3)
    heading = iter(CN_NUMBERS)
    _para(doc, f"{next(heading)}、检查基本情况", HEADING_FONT, SIZE_3)
    _para(doc, f"本季度检查的单位：{'、'.join(data['units'])}。", BODY_FONT, SIZE_3)
    _para(doc, f"{next(heading)}、存在的主要问题", HEADING_FONT, SIZE_3)
    for index, unit in enumerate(data["units"]):
        _para(doc, f"（{CN_NUMBERS[index] if index < 10 else index + 1}）{unit}", KAI_FONT, SIZE_3)
        for number, f in enumerate(data["by_unit"][unit], start=1):
            extra = [x for x in (f["indicator"], f"扣{f['deduct']:g}分" if f["deduct"] else "",
                                 f"整改期限{_cn(f['fix_by'])}" if f["fix_by"] else "") if x]
            _para(doc, f"{number}.{f['finding']}（{f['kind']}，{_cn(f['date'])}{'；' + '，'.join(extra) if extra else ''}）",
                  BODY_FONT, SIZE_3)
    _para(doc, f"{next(heading)}、整改落实情况", HEADING_FONT, SIZE_3)
    prev = data["previous"]
    if prev:
        _para(doc, f"上季度通报问题{len(prev)}个，已按期整改{len(data['on_time'])}个，逾期整改{len(data['late'])}个，"
                   f"尚未整改{len(data['not_done'])}个。", BODY_FONT, SIZE_3)
    else:
        _para(doc, "上季度没有通报的问题。", BODY_FONT, SIZE_3)
    _para(doc, f"本季度发现的问题中，已整改{len(data['fixed_now'])}个，正在整改{len(data['open_now'])}个。", BODY_FONT, SIZE_3)
    pending = data["not_done"] + data["open_now"]
    if pending:
        _para(doc, "尚未完成整改的问题：", BODY_FONT, SIZE_3)
        for f in sorted(pending, key=lambda f: (f["unit"], f["date"])):
            due = f"，整改期限{_cn(f['fix_by'])}" + ("，已逾期" if f["overdue"] else "") if f["fix_by"] else ""
            _para(doc, f"{f['unit']}：{f['finding']}{due}。", BODY_FONT, SIZE_3)
    done = data["on_time"] + data["late"] + data["fixed_now"]
    if done:
        _para(doc, "已完成整改的问题：" + "；".join(f"{f['unit']}（{f['finding'][:30]}，{_cn(f['fixed'])}）" for f in done) + "。",
              BODY_FONT, SIZE_3)
    table_rows = 0
    if ranking:
        from core.county.scores import scores

        table = scores(db, year)
        _para(doc, f"{next(heading)}、考核得分排名", HEADING_FONT, SIZE_3)
        _para(doc, f"截至{_cn(data['end'])}，各单位{year}年度政务公开考核得分及排名如下表。", BODY_FONT, SIZE_3)
        _ranking_table(doc, table)
        table_rows = len(table)
    _para(doc, f"{next(heading)}、下一步工作要求", HEADING_FONT, SIZE_3)
    _para(doc, "各单位要对照通报的问题逐项整改，明确责任人和整改时限，整改情况连同佐证材料随下次报送包报送。"
               "逾期未整改的问题将在年度考核中扣分。", BODY_FONT, SIZE_3)
    _para(doc, "", BODY_FONT, SIZE_3, indent=False)
    _para(doc, office, BODY_FONT, SIZE_3, align="right", indent=False)
    _para(doc, cn_date(today), BODY_FONT, SIZE_3, align="right", indent=False)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
    return {"form": "inspection-notice", "rows": len(data["findings"]), "units": len(data["units"]),
            "ranking": table_rows, "unit": office, "year": year, "period": f"{year}Q{q}"}


def _cn(day: str | None) -> str:
    return cn_date(date.fromisoformat(day)) if day else ""


def _addressees(db) -> str:
    """各镇人民政府、街道办事处，县政府各部门： from the roster's kinds."""
    from core.county.roster import list_units

    kinds = {u["kind"] for u in list_units(db)}
    county = (settings.profile(db) or {}).get("county", "") or "县"
    level = county[-1] if county[-1:] in "区县市" else "县"
    towns = "、".join(x for x, k in (("各镇人民政府", "镇"), ("街道办事处", "街道")) if k in kinds)
    parts = [p for p in (towns, f"{level}政府各部门" if "部门" in kinds else "") if p]
    return ("，".join(parts) or "各有关单位") + "："


def _rfonts(run, font: str, size: int, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = font
    run.font.size = Pt(size / 2)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _para(doc, text: str, font: str, size: int, align: str = "justify", indent: bool = True):
    """One paragraph; body text indented by two characters, fixed 28.9 pt lines (22 per page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                     "left": WD_ALIGN_PARAGRAPH.LEFT}.get(align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.9)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size)  # two characters of half-points → size/2 pt × 2
    if text:
        _rfonts(p.add_run(printable(text)), font, size)
    return p


def _ranking_table(doc, table: list[dict]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    grid = doc.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    header = ("名次", "单位", "得分", "扣分")
    for cell, title in zip(grid.rows[0].cells, header):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _rfonts(cell.paragraphs[0].add_run(title), HEADING_FONT, SIZE_4)
    tr_pr = grid.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))  # header row repeated on every page
    for unit in table:
        cells = grid.add_row().cells
        for cell, value in zip(cells, (str(unit["rank"]), unit["name"], f"{unit['score']:g}", f"{unit['deducted']:g}")):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _rfonts(cell.paragraphs[0].add_run(printable(value)), BODY_FONT, SIZE_4)


def _page_number_footer(section) -> None:
    """— 1 — centred in 4号 宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rfonts(p.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    run = p.add_run()
    _rfonts(run, PAGE_NUMBER_FONT, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)
    _rfonts(p.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)
