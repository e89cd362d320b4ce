"""What every form shares: official fonts and page setup, the ledger's columns, file names,
safe cell text, and the rows of the ledger as they are printed."""

import re
from datetime import date
from xml.sax.saxutils import escape

from core import settings
from core.errors import UserError
from core.text import RESERVED_NAMES, printable

# Fonts named in every run (w:eastAsia), per GB/T 9704-2012.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
# Sizes in half-points (Word's w:sz): 2号 22pt, 3号 16pt, 4号 14pt, 小4 12pt, 5号 10.5pt.
SIZE_2 = 44
SIZE_3 = 32
SIZE_4 = 28
SIZE_SMALL_4 = 24
SIZE_5 = 21
SIZE_SMALL_5 = 18  # 小5 9pt: the ledger table, so a typical task fits in three lines

# A4 and the GB/T 9704 margins, in millimetres.
A4_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TWIPS_PER_MM = 1440 / 25.4

FORMS = {
    "ledger": "政务公开工作台账",
    "open-activity-plan": "政府开放活动计划安排报送表",
    "open-activity-report": "政府开放活动开展情况报送表",
    "summary": "政务公开工作台账汇总表",
    "annual-report": "政府信息公开工作年度报告",
}
FORMATS = ("docx", "xlsx", "pdf")

# Ledger columns: key → (header, relative width in characters).
LEDGER_COLUMNS = {
    "seq": ("序号", 5),
    "category": ("工作任务", 14),
    "requirement": ("工作要求", 30),
    "measure": ("工作举措", 28),
    "deadline": ("时限要求", 12),
    "due": ("完成期限", 11),
    "leader": ("单位分管领导", 9),
    "office": ("责任科室", 9),
    "handler": ("经办人", 8),
    "status": ("完成状态", 8),
    "progress": ("完成情况", 30),
    "completed_on": ("完成时间", 11),
    "note": ("备注", 10),
}
DEFAULT_LEDGER_COLUMNS = ["seq", "category", "requirement", "measure", "deadline", "leader", "office", "status", "progress", "completed_on", "note"]
# Columns whose value changes from one measure row to the next; the rest are merged over a task.
ROW_COLUMNS = {"measure"}
COLUMNS_KEY = "export.ledger.columns"

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def mm_to_twips(mm: float) -> int:
    """Millimetres as Word twips (1/1440 inch)."""
    return round(mm * TWIPS_PER_MM)


def mm_to_inches(mm: float) -> float:
    """Millimetres as inches (Excel's page margins)."""
    return round(mm / 25.4, 4)


def ledger_columns(db) -> list[str]:
    """The ledger columns the user chose, in their order (the default on first use)."""
    stored = settings.get(db, COLUMNS_KEY)
    if isinstance(stored, list):
        keys = [k for k in stored if k in LEDGER_COLUMNS]
        if keys:
            return keys
    return list(DEFAULT_LEDGER_COLUMNS)


def check_columns(keys) -> list[str]:
    """`keys` validated: known, not repeated, at least one."""
    keys = [str(k).strip() for k in keys or [] if str(k).strip()]
    unknown = [k for k in keys if k not in LEDGER_COLUMNS]
    if unknown:
        raise UserError(f"未知的台账列“{'、'.join(unknown)}”，可选：{'、'.join(LEDGER_COLUMNS)}。")
    if len(set(keys)) != len(keys):
        raise UserError("台账列有重复，请每列只选一次。")
    if not keys:
        raise UserError("请至少选择一列导出。")
    return keys


def set_ledger_columns(db, keys) -> list[str]:
    """Remember the chosen ledger columns and their order."""
    keys = check_columns(keys)
    with db.atomic():
        settings.put(db, COLUMNS_KEY, keys)
    return keys


def sanitize_file_name(name: str) -> str:
    """`name` with characters Windows forbids replaced, trimmed, never a reserved device name."""
    clean = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if clean.split(".")[0].upper() in RESERVED_NAMES:
        clean = "_" + clean
    return clean or "导出"


def default_file_name(form: str, unit: str, year: int, fmt: str, today: date | None = None) -> str:
    """A file name like 城东街道-2024年政务公开工作台账-20240531.xlsx."""
    today = today or date.today()
    title = FORMS[form]
    parts = [p for p in (unit, f"{year}年{title}", today.strftime("%Y%m%d")) if p]
    return sanitize_file_name("-".join(parts)) + f".{fmt}"


def check_output(path, fmt: str):
    """The output path for `fmt`, or UserError when its suffix names another format."""
    from pathlib import Path

    if fmt not in FORMATS:
        raise UserError(f"不支持的格式“{fmt}”，请选择 docx、xlsx 或 pdf。")
    path = Path(path)
    if path.suffix.lower() != f".{fmt}":
        raise UserError(f"输出文件“{path.name}”的扩展名与格式 {fmt} 不符，请改为 .{fmt} 结尾。")
    if path.is_dir():
        raise UserError(f"“{path}”是一个文件夹，请给出文件名。")
    return path


def is_formula_like(text) -> bool:
    """True for text Excel would take as a formula (= + - @ at the start)."""
    return isinstance(text, str) and text[:1] in ("=", "+", "-", "@")


def unit_and_year(db, year=None, unit=None, table: str = "entries") -> tuple[str, int]:
    """The unit named on a form (the profile's unless given) and the year (latest in `table`)."""
    profile = settings.profile(db) or {}
    unit = unit or profile.get("name") or ""
    if year:
        try:
            return unit, int(year)
        except (TypeError, ValueError):
            raise UserError(f"年度“{year}”无效，请填写四位数字年份，例如 2024。") from None
    assert table in ("entries", "activities")
    row = db.execute(f"SELECT max(year) FROM {table} WHERE deleted = 0").fetchone()
    return unit, (row[0] or date.today().year)


def cn_date(day: date) -> str:
    """2024年5月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


# ---- the ledger as printed rows -------------------------------------------------------------


def measure_rows(db, entry_ids) -> dict[str, list[dict]]:
    """Each entry's live measures (id, rev, text) in order, keyed by entry id."""
    ids = list(entry_ids)
    result: dict[str, list[dict]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT id, rev, entry_id, text FROM measures WHERE deleted = 0 AND entry_id IN ({marks}) ORDER BY entry_id, position",
            chunk,
        ):
            result[row["entry_id"]].append({"id": row["id"], "rev": row["rev"], "text": row["text"]})
    return result


def entry_value(entry: dict, key: str) -> str:
    """The text an entry shows in column `key` (not for 'measure')."""
    value = entry.get(key)
    if key == "category":
        return "\n".join(c for c in value or [] if c)
    if key == "progress":
        return "\n".join(f"{p.get('date') or ''} {p.get('text') or ''}".strip() for p in value or [])
    if key == "due":
        if value is None:
            return ""
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "" if value is None else str(value)


def ledger_blocks(db, entries: list[dict]) -> list[dict]:
    """The printed blocks of the ledger: per entry, its values and its measure rows.

    Each block: {"entry": entry, "values": {key: text}, "measures": [{"id","rev","text"}] (≥ 1;
    an entry without measures gets one row with an empty measure and id None)}.
    """
    measures = measure_rows(db, [e["id"] for e in entries])
    blocks = []
    for entry in entries:
        rows = measures.get(entry["id"]) or [{"id": None, "rev": None, "text": ""}]
        values = {key: entry_value(entry, key) for key in LEDGER_COLUMNS if key != "measure"}
        blocks.append({"entry": entry, "values": values, "measures": rows})
    return blocks


def group_by_unit(entries: list[dict]) -> dict[str, list[dict]]:
    """Entries grouped by unit, units in first-seen order."""
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(entry.get("unit") or "", []).append(entry)
    return groups


def load_ledger(db, year=None, unit=None) -> tuple[str, int, dict[str, list[dict]]]:
    """(unit shown on the form, year, entries grouped by unit) for a ledger export."""
    from core.ledger import list_entries

    unit_name, year = unit_and_year(db, year, unit)
    entries = list_entries(db, year=year, unit=unit)
    profile = settings.profile(db) or {}
    if not entries:
        raise UserError(f"{year}年度没有可导出的台账任务：请先导入工作方案，或用 --year 指定其他年度。")
    groups = group_by_unit(entries)
    if len(groups) > 1 and not unit:
        unit_name = profile.get("name") or unit_name
    elif len(groups) == 1:
        unit_name = next(iter(groups)) or unit_name
    return unit_name, year, groups


# ---- WordprocessingML snippets (built as text: fast, and every run names its fonts) ---------


def rpr_xml(font: str = BODY_FONT, size: int = SIZE_5, bold: bool = False) -> str:
    """A w:rPr naming `font` for ascii, hAnsi and eastAsia."""
    b = "<w:b/>" if bold else ""
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>{b}'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def runs_xml(text: str, rpr: str) -> str:
    """Runs for `text`; line breaks become w:br inside one run; characters XML forbids are dropped."""
    lines = printable(text or "").split("\n")
    inner = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{rpr}{inner}</w:r>"


def paragraph_xml(text: str, rpr: str, align: str = "left", spacing: str = '<w:spacing w:before="0" w:after="0" w:line="280" w:lineRule="atLeast"/>') -> str:
    """One paragraph holding `text` in the given run properties."""
    return f'<w:p><w:pPr>{spacing}<w:jc w:val="{align}"/>{rpr}</w:pPr>{runs_xml(text, rpr)}</w:p>'
