"""政府信息公开工作年度报告 (national format 国办公开办函〔2021〕30号): figures and checks.

Table 三 and table 四 are computed from the register (core.register.requests): an application received
in year Y and not replied by 31 December is carried to Y+1. Table 二 and sections 一/五/六 are
typed by the user (`annual-report set`); last year's 现行有效件数 is carried forward
(+ 制发 − 废止) while this year's is not typed. When a report is exported its figures are kept
(key `snapshot`), and next year's checks compare against what was published.
"""

import json
import uuid
from datetime import date
from pathlib import Path

from core import records, settings
from core.errors import UserError
from core.vocab import DONE
from core.register.requests import APPEAL_KINDS, APPEAL_OUTCOMES, APPLICANTS, RESULTS
from core.text import normalise

TABLE = "report_values"
COLUMNS = (*APPLICANTS, "总计")
RESULT_CODES = tuple(RESULTS)
ROW_CODES = ("new", "carried", *RESULT_CODES, "total", "carry_next")
ROW_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried": "二、上年结转政府信息公开申请数量",
    "total": "（七）总计",
    "carry_next": "四、结转下年度继续办理",
}
GROUPS = {  # table 三's group headings (no figures of their own)
    "3": "（三）不予公开", "4": "（四）无法提供", "5": "（五）不予处理", "6": "（六）其他处理",
}
SHORT_LABELS = {
    "1": "（一）予以公开", "2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.1": "1.属于国家秘密", "3.2": "2.其他法律行政法规禁止公开", "3.3": "3.危及“三安全一稳定”",
    "3.4": "4.保护第三方合法权益", "3.5": "5.属于三类内部事务信息", "3.6": "6.属于四类过程性信息",
    "3.7": "7.属于行政执法案卷", "3.8": "8.属于行政查询事项",
    "4.1": "1.本机关不掌握相关政府信息", "4.2": "2.没有现成信息需要另行制作", "4.3": "3.补正后申请内容仍不明确",
    "5.1": "1.信访举报投诉类申请", "5.2": "2.重复申请", "5.3": "3.要求提供公开出版物",
    "5.4": "4.无正当理由大量反复申请", "5.5": "5.要求行政机关确认或重新出具已获取信息",
    "6.1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "6.2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "6.3": "3.其他",
}
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_TITLES = {"复议": "行政复议", "诉讼": "行政诉讼（未经复议直接起诉）", "复议后诉讼": "行政诉讼（复议后起诉）"}
SECTIONS = {
    "section1": "一、总体情况",
    "section2": "二、主动公开政府信息情况",
    "section3": "三、收到和处理政府信息公开申请情况",
    "section4": "四、政府信息公开行政复议、行政诉讼情况",
    "section5": "五、存在的主要问题及改进情况",
    "section6": "六、其他需要报告的事项",
}
DOC_KINDS = ("规章", "规范性文件")
DOC_COLUMNS = ("制发", "废止", "现行有效")
DOC_TITLES = {"规章": "规章", "规范性文件": "行政规范性文件"}
COUNT_KEYS = ("行政许可", "行政处罚", "行政强制")
# Every key `annual-report set` takes: key -> (kind, Chinese description).
KEYS = {
    **{f"t2.{k}.{c}": ("count", f"表二 第二十条第（一）项 {DOC_TITLES[k]} 本年{c}件数" if c != "现行有效" else
                       f"表二 第二十条第（一）项 {DOC_TITLES[k]} 现行有效件数") for k in DOC_KINDS for c in DOC_COLUMNS},
    "t2.行政许可": ("count", "表二 第二十条第（五）项 行政许可 本年处理决定数量"),
    "t2.行政处罚": ("count", "表二 第二十条第（六）项 行政处罚 本年处理决定数量"),
    "t2.行政强制": ("count", "表二 第二十条第（六）项 行政强制 本年处理决定数量"),
    "t2.收费": ("amount", "表二 第二十条第（八）项 行政事业性收费 本年收费金额（万元）"),
    "section1": ("text", "一、总体情况（正文）"),
    "section5": ("text", "五、存在的主要问题及改进情况（正文）"),
    "section6": ("text", "六、其他需要报告的事项（正文）"),
}
SNAPSHOT = "snapshot"
TEXT_KEYS = ("section1", "section5", "section6")
FEE_WORDS = ("收费", "信息处理费", "收取")
# Sections compared with last year's text (section 六 is often a fixed "无" and is not compared).
COPY_CHECKED = ("section1", "section5")


# ---- typed values ------------------------------------------------------------------------


def keys_help() -> str:
    """The keys `annual-report set` accepts, one per line."""
    return "\n".join(f"  {key:<22} {desc}" for key, (_, desc) in KEYS.items())


def parse_value(key: str, value):
    """The stored text of a typed value, or UserError (unknown key, negative, not a number)."""
    if key not in KEYS:
        raise UserError(f"没有名为“{key}”的年度报告项目，运行 annual-report set --help 查看可填写的项目。")
    kind, desc = KEYS[key]
    text = normalise(value)
    if kind == "text":
        if text.startswith("@"):
            text = read_text_file(text[1:])
        return text
    if text == "":
        return ""
    try:
        number = int(text) if kind == "count" else float(text)
    except ValueError:
        unit = "件数（整数）" if kind == "count" else "金额（万元，可带小数）"
        raise UserError(f"{desc}“{text}”不是数字，请填写{unit}；没有请填 0。") from None
    if number < 0 or number != number:
        raise UserError(f"{desc}不能为负数，请填写 0 或正数。")
    return str(number) if kind == "count" else f"{number:g}"


def read_text_file(path) -> str:
    """The text of a file given as @FILE (UTF-8, or GB18030 as Windows Notepad saves it)."""
    source = Path(path)
    if not source.is_file():
        raise UserError(f"找不到文件“{path}”，请检查路径（@ 后写文本文件的路径）。")
    if source.stat().st_size > 2_000_000:
        raise UserError(f"文件“{source.name}”太大，请只放该部分的正文（纯文本）。")
    data = source.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return normalise(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UserError(f"文件“{source.name}”不是文本文件，请另存为 UTF-8 文本后再试。")


def _row_id(unit: str, year: int, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"zwgk:report_values:{unit}:{year}:{key}"))


def _unit(db, unit=None) -> str:
    name = unit or (settings.profile(db) or {}).get("name", "")
    if not name:
        raise UserError("尚未设置本单位信息：请先在“设置 → 本单位”或用 profile set 填写单位名称。")
    return name


def check_year(year) -> int:
    """A report year, or UserError."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UserError(f"年度“{year}”无效，请填写四位数字年份，例如 2024。") from None
    if not 2000 <= year <= 2100:
        raise UserError(f"年度 {year} 超出范围，请填写 2000～2100 之间的年份。")
    return year


def set_value(db, year, key: str, value, unit=None) -> str:
    """Store one typed figure or text; returns the stored text."""
    year = check_year(year)
    text = parse_value(key, value)
    _store(db, _unit(db, unit), year, key, text)
    return text


def _store(db, unit: str, year: int, key: str, text: str) -> None:
    row_id = _row_id(unit, year, key)
    with db.atomic():
        if db.execute(f"SELECT 1 FROM {TABLE} WHERE id = ?", [row_id]).fetchone():
            records.update(db, TABLE, row_id, {"value": text, "deleted": 0})
        else:
            records.insert(db, TABLE, {"id": row_id, "unit": unit, "year": year, "key": key, "value": text})


def typed_values(db, unit: str, year: int) -> dict:
    """{key: stored text} typed for that unit and year."""
    return {r[0]: r[1] for r in db.execute(
        f"SELECT key, value FROM {TABLE} WHERE deleted = 0 AND unit = ? AND year = ?", [unit, year])}


def _number(text):
    """A stored figure as a number, None when not typed, the raw text when it is not a number."""
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value == int(value) and "." not in str(text) else value


# ---- table 三 and 四 from the register ---------------------------------------------------


def table3(db, unit, year: int) -> dict:
    """Table 三 for `unit` (None: every unit) and `year`, in the shape of `annual-report data`."""
    return register_figures(db, unit, year)[0]


def register_figures(db, unit, year: int) -> tuple[dict, float]:
    """(table 三, 信息处理费 collected in `year` in 元) from one GROUP BY over the register."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    where = ["deleted = 0", "received <= :end", "(replied IS NULL OR replied >= :start)"]
    if unit is not None:
        where.append("unit = :unit")
    sql = f"""
        SELECT applicant,
               received >= :start AS fresh,
               CASE WHEN replied <= :end THEN result END AS outcome,
               count(*),
               sum(CASE WHEN replied <= :end THEN fee ELSE 0 END)
        FROM requests
        WHERE {' AND '.join(where)}
        GROUP BY 1, 2, 3"""
    values = {code: [0] * len(COLUMNS) for code in ROW_CODES}
    index = {name: i for i, name in enumerate(APPLICANTS)}
    other = index["其他"]
    collected = 0.0
    for applicant, fresh, outcome, n, fee in db.execute(sql, {"start": start, "end": end, "unit": unit}):
        col = index.get(applicant, other)
        values["new" if fresh else "carried"][col] += n
        values[outcome if outcome in RESULTS else "carry_next"][col] += n
        collected += fee or 0
    for code in RESULT_CODES:
        for col in range(len(APPLICANTS)):
            values["total"][col] += values[code][col]
    for code in ROW_CODES:
        values[code][-1] = sum(values[code][:-1])
    rows = [{"code": c, "label": row_label(c), "values": values[c]} for c in ROW_CODES]
    return {"columns": list(COLUMNS), "rows": rows}, round(collected, 2)


def row_label(code: str) -> str:
    """The printed label of a table 三 row."""
    return ROW_LABELS.get(code) or SHORT_LABELS[code]


def table4(db, unit, year: int) -> dict:
    """Table 四: {复议|诉讼|复议后诉讼: [维持, 纠正, 其他, 未审结, 总计]}; each appeal in its own block only."""
    where, params = ["a.deleted = 0", "r.deleted = 0", "a.year = ?"], [year]
    if unit is not None:
        where.append("a.unit = ?")
        params.append(unit)
    blocks = {kind: [0] * 5 for kind in APPEAL_KINDS}
    for kind, outcome, n in db.execute(
        f"SELECT a.kind, a.outcome, count(*) FROM request_appeals a JOIN requests r ON r.id = a.request_id "
        f"WHERE {' AND '.join(where)} GROUP BY 1, 2", params
    ):
        if kind in blocks and outcome in APPEAL_OUTCOMES:
            blocks[kind][APPEAL_OUTCOMES.index(outcome)] += n
    for values in blocks.values():
        values[4] = sum(values[:4])
    return blocks


def fees(db, unit, year: int) -> float:
    """信息处理费 collected in `year` (元), by the reply date."""
    return register_figures(db, unit, year)[1]


# ---- table 二 and the whole report -------------------------------------------------------


def table2(typed: dict, last: dict | None) -> dict:
    """Table 二 from the typed values; 现行有效 carried forward from `last` year's when not typed."""
    result = {"carried_forward": []}
    for kind in DOC_KINDS:
        row = {c: _number(typed.get(f"t2.{kind}.{c}")) for c in DOC_COLUMNS}
        previous = ((last or {}).get("table2") or {}).get(kind, {}).get("现行有效")
        if row["现行有效"] is None and isinstance(previous, (int, float)):
            made = row["制发"] if isinstance(row["制发"], int) else 0
            dropped = row["废止"] if isinstance(row["废止"], int) else 0
            row["现行有效"] = previous + made - dropped
            result["carried_forward"].append(f"t2.{kind}.现行有效")
        result[kind] = row
    for key in (*COUNT_KEYS, "收费"):
        result[key] = _number(typed.get(f"t2.{key}"))
    return result


def report_data(db, year, unit=None) -> dict:
    """The report's figures and texts for one unit (default: this office)."""
    year = check_year(year)
    unit = _unit(db, unit)
    typed = typed_values(db, unit, year)
    t3, collected = register_figures(db, unit, year)
    return {
        "year": year,
        "unit": unit,
        "table2": table2(typed, {"table2": previous_table2(db, unit, year)}),
        "table3": t3,
        "table4": table4(db, unit, year),
        "sections": {k: typed.get(k, "") for k in TEXT_KEYS},
        "fees": collected,
    }


def _snapshot(db, unit: str, year: int) -> dict | None:
    """The figures of `year`'s report as exported, or None."""
    row = db.execute(f"SELECT value FROM {TABLE} WHERE deleted = 0 AND unit = ? AND year = ? AND key = ?",
                     [unit, year, SNAPSHOT]).fetchone()
    if row:
        try:
            snap = json.loads(row[0])
        except ValueError:
            return None
        if isinstance(snap, dict) and isinstance(snap.get("table3"), dict) and isinstance(snap.get("table2"), dict):
            return snap
    return None


def previous_table2(db, unit: str, year: int, depth: int = 0) -> dict:
    """Last year's table 二 (as published, else as typed with its own carry-forward); {} if unknown."""
    if depth >= 10 or year <= 2000:
        return {}
    snap = _snapshot(db, unit, year - 1)
    if snap:
        return snap["table2"]
    typed = typed_values(db, unit, year - 1)
    if not typed:
        return {}
    return table2(typed, {"table2": previous_table2(db, unit, year - 1, depth + 1)})


def previous_report(db, unit: str, year: int) -> dict | None:
    """Last year's report as published (its snapshot), else as computed now; None when nothing is known."""
    snap = _snapshot(db, unit, year - 1)
    if snap:
        return snap
    if not db.execute(f"SELECT 1 FROM {TABLE} WHERE deleted = 0 AND unit = ? AND year = ? UNION ALL "
                      "SELECT 1 FROM requests WHERE deleted = 0 AND unit = ? AND year <= ? LIMIT 1",
                      [unit, year - 1, unit, year - 1]).fetchone():
        return None
    return report_data(db, year - 1, unit)


def keep_snapshot(db, data: dict) -> None:
    """Remember the figures of a report as published (on export)."""
    snap = {k: data[k] for k in ("year", "unit", "table2", "table3", "table4", "sections", "fees")}
    _store(db, data["unit"], data["year"], SNAPSHOT, json.dumps(snap, ensure_ascii=False, sort_keys=True))


def report_units(db, year: int) -> list[str]:
    """Every unit with an application or a typed figure that counts in `year`."""
    rows = db.execute(
        f"SELECT unit FROM requests WHERE deleted = 0 AND year <= ? AND (replied IS NULL OR replied >= ?) "
        f"UNION SELECT unit FROM request_appeals WHERE deleted = 0 AND year = ? "
        f"UNION SELECT unit FROM {TABLE} WHERE deleted = 0 AND year = ? ORDER BY 1",
        [year, f"{year}-01-01", year, year])
    return [r[0] for r in rows if r[0]]


def county_data(db, year) -> dict:
    """`--unit all`: every unit's tables summed, and each unit's count of problems."""
    year = check_year(year)
    units = report_units(db, year)
    total = {"year": year, "unit": "all", "table2": {}, "table3": table3(db, None, year), "table4": table4(db, None, year),
             "sections": {k: "" for k in TEXT_KEYS}, "fees": fees(db, None, year), "units": []}
    sums = {}
    for unit in units:
        data = report_data(db, year, unit)
        problems = check(data, previous_report(db, unit, year))
        total["units"].append({"name": unit, "problems": len(problems),
                               "errors": sum(1 for p in problems if p["level"] == "error")})
        for key, value in _table2_cells(data["table2"]):
            if isinstance(value, (int, float)):
                sums[key] = sums.get(key, 0) + value
    table = {kind: {c: sums.get(f"{kind}.{c}") for c in DOC_COLUMNS} for kind in DOC_KINDS}
    table.update({key: (round(sums[key], 4) if key in sums else None) for key in (*COUNT_KEYS, "收费")})
    total["table2"] = {**table, "carried_forward": []}
    return total


def _table2_cells(t2: dict):
    """(key, value) for every figure of table 二: '规章.制发' … '收费'."""
    for kind in DOC_KINDS:
        for c in DOC_COLUMNS:
            yield f"{kind}.{c}", (t2.get(kind) or {}).get(c)
    for key in (*COUNT_KEYS, "收费"):
        yield key, t2.get(key)


# ---- checks -------------------------------------------------------------------------------


def _problem(rule, where, text, level="error") -> dict:
    return {"rule": rule, "where": where, "text": text, "level": level}


def _rows(data: dict) -> dict:
    return {row["code"]: row["values"] for row in data["table3"]["rows"]}


def check(data: dict, last: dict | None) -> list[dict]:
    """Every consistency problem of a report (DOMAIN.md: the checks auditors make)."""
    problems = []
    problems += _check_table2(data, last)
    problems += _check_table3(data, last)
    problems += _check_table4(data)
    problems += _check_sections(data, last)
    return problems


def _check_table2(data, last) -> list[dict]:
    out = []
    t2 = data["table2"]
    for key, value in _table2_cells(t2):
        where = KEYS[f"t2.{key}"][1]
        if value is None:
            out.append(_problem("blank", where, f"{where}尚未填写（没有请填 0）。", "missing"))
        elif not isinstance(value, (int, float)):
            out.append(_problem("blank", where, f"{where}为“{value}”，不是数字：年报表格中不能有空白或“/”，没有请填 0。"))
        elif value < 0:
            out.append(_problem("negative", where, f"{where}为负数（{value}），请改正。"))
    previous = (last or {}).get("table2") or {}
    for kind in DOC_KINDS:
        row, before = t2.get(kind) or {}, (previous.get(kind) or {}).get("现行有效")
        values = [row.get(c) for c in DOC_COLUMNS]
        if isinstance(before, (int, float)) and all(isinstance(v, int) for v in values):
            made, dropped, valid = values
            if valid != before + made - dropped:
                out.append(_problem(
                    "t2.valid", f"表二 {DOC_TITLES[kind]} 现行有效件数",
                    f"{DOC_TITLES[kind]}现行有效件数 {valid} 与上年 {before} + 本年制发 {made} − 本年废止 {dropped} = "
                    f"{before + made - dropped} 不符。"))
    return out


def _check_table3(data, last) -> list[dict]:
    out = []
    rows = _rows(data)
    columns = data["table3"]["columns"]
    for code, values in rows.items():
        label = row_label(code)
        if any(not isinstance(v, int) for v in values):
            out.append(_problem("blank", f"表三 {label}", f"表三“{label}”有空白或非数字的格子，没有请填 0。"))
            continue
        if any(v < 0 for v in values):
            out.append(_problem("negative", f"表三 {label}", f"表三“{label}”有负数，请改正。"))
        if values[-1] != sum(values[:-1]):
            out.append(_problem("t3.column_total", f"表三 {label} 总计",
                                f"表三“{label}”的总计 {values[-1]} 不等于前六列之和 {sum(values[:-1])}。"))
    if any(not all(isinstance(v, int) for v in vals) for vals in rows.values()):
        return out
    for i, column in enumerate(columns):
        results = sum(rows[c][i] for c in RESULT_CODES)
        if rows["total"][i] != results:
            out.append(_problem("t3.total", f"表三 （七）总计 {column}",
                                f"表三“{column}”列（七）总计 {rows['total'][i]} 不等于各办理结果之和 {results}。"))
        left, right = rows["new"][i] + rows["carried"][i], rows["total"][i] + rows["carry_next"][i]
        if left != right:
            out.append(_problem("t3.balance", f"表三 {column}",
                                f"表三“{column}”列：本年新收 + 上年结转 = {left}，而办理结果总计 + 结转下年度 = {right}，两者应相等。"))
    if last and isinstance(last.get("table3"), dict):
        before = _rows(last).get("carry_next")
        if before and before != rows["carried"]:
            for i, column in enumerate(columns):
                if before[i] != rows["carried"][i]:
                    out.append(_problem(
                        "t3.carried", f"表三 二、上年结转 {column}",
                        f"表三“{column}”列上年结转 {rows['carried'][i]} 与 {last.get('year', '上')}年度报告的结转下年度继续办理 {before[i]} 不符。"))
    return out


def _check_table4(data) -> list[dict]:
    out = []
    for kind, values in data["table4"].items():
        title = T4_TITLES.get(kind, kind)
        if len(values) != 5 or any(not isinstance(v, int) for v in values):
            out.append(_problem("blank", f"表四 {title}", f"表四“{title}”有空白或非数字的格子，没有请填 0。"))
            continue
        if values[4] != sum(values[:4]):
            out.append(_problem("t4.total", f"表四 {title} 总计",
                                f"表四“{title}”的总计 {values[4]} 不等于结果维持、结果纠正、其他结果、尚未审结之和 {sum(values[:4])}。"))
    return out


def _check_sections(data, last) -> list[dict]:
    out = []
    texts = data["sections"]
    for key in TEXT_KEYS:
        if not (texts.get(key) or "").strip():
            out.append(_problem("section.missing", SECTIONS[key], f"“{SECTIONS[key]}”尚未填写。", "missing"))
    five = (texts.get("section5") or "").strip().strip("。.")
    if five in ("无", "没有", "暂无"):
        out.append(_problem("section5.none", SECTIONS["section5"],
                            "“五、存在的主要问题及改进情况”不能只写“无”：请写明存在的问题和改进措施。"))
    if (data.get("fees") or 0) > 0 and not any(w in (texts.get("section6") or "") for w in FEE_WORDS):
        out.append(_problem("fees.section6", SECTIONS["section6"],
                            f"本年收取信息处理费 {data['fees']:g} 元，“六、其他需要报告的事项”应说明收费情况。"))
    before = (last or {}).get("sections") or {}
    for key in COPY_CHECKED:
        mine = (texts.get(key) or "").strip()
        if mine and mine == (before.get(key) or "").strip():
            out.append(_problem("copied", SECTIONS[key], f"“{SECTIONS[key]}”与上年报告的文字完全相同，请按本年情况重写。"))
    return out


def problems(db, year, unit=None) -> list[dict]:
    """`annual-report check`: the problems of this unit's report for `year`."""
    data = report_data(db, year, unit)
    return check(data, previous_report(db, data["unit"], data["year"]))


def draft_sections(db, year, unit=None) -> dict:
    """Drafts of sections 一 and 五 from the ledger and the register, for the user to edit."""
    from core import ledger

    year = check_year(year)
    unit = _unit(db, unit)
    data = report_data(db, year, unit)
    rows = _rows(data)
    entries = ledger.list_entries(db, year=year, unit=unit)
    done = sum(1 for e in entries if e["status"] == DONE)
    late = sum(1 for e in entries if e.get("overdue"))
    held = db.execute("SELECT count(*) FROM activities WHERE deleted = 0 AND unit = ? AND year = ? AND held_on IS NOT NULL",
                      [unit, year]).fetchone()[0]
    one = (f"{year}年，{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，按照年度政务公开工作要点，"
           f"列入工作台账的 {len(entries)} 项任务已完成 {done} 项；开展政府开放活动 {held} 次。"
           f"全年新收政府信息公开申请 {rows['new'][-1]} 件，上年结转 {rows['carried'][-1]} 件，"
           f"办结 {rows['total'][-1]} 件，结转下年度继续办理 {rows['carry_next'][-1]} 件。")
    five = ("存在的主要问题：" + (f"台账中有 {late} 项任务未按时完成；" if late else "")
            + "政务公开工作人员多为兼职，业务能力有待提高。改进措施：加强业务培训，完善工作台账，按期跟踪督办。")
    return {"section1": one, "section5": five}


def today_year() -> int:
    """The report usually written in January is for last year."""
    today = date.today()
    return today.year - 1 if today.month == 1 else today.year


def validate_incoming(row: dict) -> str | None:
    """Why a report_values record arriving in a package is unacceptable, or None."""
    key = row.get("key")
    if key != SNAPSHOT and key not in KEYS:
        return f"未知的年度报告项目“{key}”"
    if not isinstance(row.get("year"), int) or not 2000 <= row["year"] <= 2100:
        return "年度报告的年度无效"
    if row.get("id") != _row_id(row.get("unit") or "", row["year"], key):
        return "年度报告记录的编号与单位、年度、项目不符"
    value = row.get("value")
    if not isinstance(value, str):
        return "年度报告的内容不是文字"
    if key == SNAPSHOT:
        try:
            json.loads(value)
        except ValueError:
            return "年度报告的存档数据已损坏"
    elif KEYS[key][0] != "text" and value:
        try:
            parse_value(key, value)
        except UserError as exc:
            return exc.message
    return None
