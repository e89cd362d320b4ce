"""工作任务台账 as .xlsx: printable (A4 landscape, one page wide, header on every page); each
data row carries its record's identity in a hidden last column, which the Excel round trip reads
back (the hidden "_zwgk" sheet is still written, for the format version and the unit).

Written in openpyxl's write-only mode: styles are set once on template cells and their style
arrays copied, so 20,000 rows cost little more than writing bare values.
"""

import functools
import hashlib
import json
import math
import re
from datetime import date, datetime

from core.export.common import (
    BODY_FONT,
    LEDGER_COLUMNS,
    ROW_COLUMNS,
    TITLE_FONT,
    check_columns,
    cn_date,
    is_formula_like,
    ledger_blocks,
    ledger_columns,
    load_ledger,
)
from core.export.xlsx_form import page_setup
from core.text import printable

ID_SHEET = "_zwgk"
ID_MAGIC = "zwgk-ledger-ids"
ID_VERSION = 1
ID_HEADER = ("sheet", "row", "entry_id", "entry_rev", "measure_id", "measure_rev")
HEADER_ROW = 3  # title, unit/date line, header
# The hidden last column: each data row's own identity (see docs/exchange-format.md).
IDENTITY_HEADER = "记录编号（请勿修改）"
IDENTITY_PREFIX = "zwgk1"


_SPACE = re.compile(r"\s+")


def identity_check(entry_id: str, measure_id, seq, category) -> str:
    """The checksum tying a row's identity to its 序号 and 工作任务 (whitespace ignored)."""
    key = "|".join((str(entry_id), str(measure_id or ""), _SPACE.sub("", str(seq or "")), _SPACE.sub("", str(category or ""))))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def identity_text(entry_id: str, entry_rev, measure_id, measure_rev, seq, category) -> str:
    """The identity cell of one data row: zwgk1:entry id:rev:measure id:rev:checksum."""
    check = identity_check(entry_id, measure_id, seq, category)
    return ":".join((IDENTITY_PREFIX, str(entry_id), str(entry_rev or ""), str(measure_id or ""), str(measure_rev or ""), check))


def write_xlsx(db, target, year=None, unit=None, columns=None, today: date | None = None, progress=None) -> dict:
    """Export the ledger to `target`; returns {"form", "rows", "unit", "year", "columns"}."""
    unit_name, year, groups = load_ledger(db, year, unit)
    columns = check_columns(columns) if columns else ledger_columns(db)
    sheets = {u: ledger_blocks(db, entries) for u, entries in groups.items()}
    rows = write_ledger_workbook(target, unit_name, year, sheets, columns, today or date.today(), progress)
    return {"form": "ledger", "rows": rows, "unit": unit_name, "year": year, "columns": columns}


def sheet_titles(units) -> dict[str, str]:
    """A visible sheet title per unit: 工作任务台账 for one unit, else the unit names (≤ 31 chars, unique)."""
    units = list(units)
    if len(units) == 1:
        return {units[0]: "工作任务台账"}
    titles, seen = {}, set()
    for unit in units:
        base = re.sub(r"[\[\]:*?/\\]", "_", unit or "未命名单位")[:28] or "未命名单位"
        title, n = base, 2
        while title in seen or title == ID_SHEET:
            title, n = f"{base[:26]}_{n}", n + 1
        seen.add(title)
        titles[unit] = title
    return titles


class _Styles:
    """Each style as (style array, its index in the workbook), set on every written cell."""

    def __init__(self, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, Side

        side = Side(style="thin", color="000000")
        border = Border(left=side, right=side, top=side, bottom=side)

        def make(font, alignment, bordered=True):
            cell = WriteOnlyCell(ws)
            cell.font = font
            cell.alignment = alignment
            if bordered:
                cell.border = border
            return cell._style, ws.parent._cell_styles.add(cell._style)

        wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.title = make(Font(name=TITLE_FONT, size=20), Alignment(horizontal="center", vertical="center"), False)
        self.info = make(Font(name=BODY_FONT, size=12), Alignment(horizontal="left", vertical="center"), False)
        self.header = make(Font(name="黑体", size=11), wrap_center)
        self.text = make(Font(name=BODY_FONT, size=10.5), wrap_left)
        self.center = make(Font(name=BODY_FONT, size=10.5), wrap_center)
        self.identity = make(Font(name=BODY_FONT, size=9), Alignment(horizontal="left"), False)


CENTERED = {"seq", "deadline", "due", "leader", "office", "handler", "status", "completed_on"}


def _cell(ws, value, style):
    array, style_id = style
    cell = _styled_cell_class()(ws, row=1, column=1, value=printable(value) if isinstance(value, str) else value)
    if is_formula_like(value):
        cell.data_type = "s"
    cell._style = array
    cell._style_id = style_id
    return cell


def _refill(cell, value):
    """`cell` holding `value` (text that looks like a formula stays text, a bad character is dropped)."""
    if isinstance(value, str):
        value = printable(value)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
    return cell


@functools.lru_cache(maxsize=1)
def _styled_cell_class():
    """A write-only cell that knows its style index: openpyxl would otherwise hash its style
    array once per cell, a fifth of the time of a large ledger."""
    from openpyxl.cell.cell import Cell

    class StyledCell(Cell):
        __slots__ = ("_style_id",)

        @property
        def style_id(self):
            return self._style_id

        @property
        def has_style(self):
            return True

        def __repr__(self):
            # openpyxl formats repr(cell) into an error it raises and catches for every cell
            # appended to a write-only sheet; the default repr looks up the coordinate.
            return "<StyledCell>"

    return StyledCell


LINE_POINTS = 14.0  # one line of 10.5 pt text with its leading
ROW_PADDING_POINTS = 5.0


def column_width(key: str) -> float:
    """The width of a ledger column, in Excel's character units: wide enough for its header on
    one line (单位分管领导 must not wrap mid-word; a Chinese character takes two units)."""
    from core.export.layout import text_width

    return max(LEDGER_COLUMNS[key][1] * 0.9 + 1.5, text_width(LEDGER_COLUMNS[key][0]) * 2 + 2)


@functools.lru_cache(maxsize=8192)  # statuses, names and dates repeat on every task
def wrapped_lines(text, width: float) -> int:
    """How many lines `text` wraps to in a column `width` units wide.

    A Chinese character takes two units, a Latin one one: counted from the UTF-8 length
    (three bytes for a Chinese character), which is fast enough for 20,000 rows.
    """
    if not text:
        return 1
    text = str(text)
    if "\n" in text:
        return sum(wrapped_lines(part, width) for part in text.split("\n"))
    units = len(text) + (len(text.encode("utf-8")) - len(text)) / 2
    return max(1, math.ceil(units / max(width - 1.0, 1.0)))


def _block_heights(values: dict, measures: list, widths: dict) -> list[float]:
    """Row heights (points) for one task's rows, tall enough that no wrapped text is cut off.

    Excel and WPS do not grow rows to fit wrapped text when they open a file, so the heights
    are written out; a task's merged cells share the height of its measure rows. `widths`
    maps each shown column to its width.
    """
    measure_width = widths.get("measure")
    row_lines = [wrapped_lines(m["text"], measure_width) if measure_width else 1 for m in measures] or [1]
    merged_lines = max(
        (wrapped_lines(values.get(key), width) for key, width in widths.items() if key not in ROW_COLUMNS), default=1
    )
    shortfall = merged_lines - sum(row_lines)
    if shortfall > 0:
        extra = -(-shortfall // len(row_lines))
        row_lines = [n + extra for n in row_lines]
    return [n * LINE_POINTS + ROW_PADDING_POINTS for n in row_lines]


def _setup_sheet(ws, columns: list[str]) -> None:
    from openpyxl.utils import get_column_letter

    for index, key in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(key)
    ws.column_dimensions[get_column_letter(len(columns) + 1)].hidden = True  # the rows' identities
    page_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 22
    ws.row_dimensions[HEADER_ROW].height = 30


def _write_sheet(ws, ids, styles: _Styles, unit: str, year: int, blocks, columns, today: date, progress) -> int:
    """Write one unit's ledger into `ws`; append its id rows to `ids`; returns data rows written."""
    from openpyxl.utils import get_column_letter

    width = len(columns)
    last = get_column_letter(width)
    ws.append([_cell(ws, f"{year}年政务公开工作任务台账", styles.title)])
    half = max(1, width // 2)
    second = [_cell(ws, f"填报单位：{unit}", styles.info)] + [None] * (half - 1)
    if width > 1:
        second.append(_cell(ws, f"填报日期：{cn_date(today)}", styles.info))
    ws.append(second)
    ws.append([_cell(ws, LEDGER_COLUMNS[key][0], styles.header) for key in columns] + [IDENTITY_HEADER])
    # Merges are collected and set once: MultiCellRange.add scans every range (quadratic).
    merges = [f"A1:{last}1"]
    if width > 1:
        if half > 1:
            merges.append(f"A2:{get_column_letter(half)}2")
        if width - half > 1:
            merges.append(f"{get_column_letter(half + 1)}2:{last}2")

    # A write-only sheet writes each row out as it is appended, so one styled cell per column
    # is refilled row after row instead of making 20,000 × 11 cell objects.
    column_cells = [_cell(ws, None, styles.center if key in CENTERED else styles.text) for key in columns]
    identity_cell = _cell(ws, None, styles.identity)
    merged_cols = [i for i, key in enumerate(columns, start=1) if key not in ROW_COLUMNS]
    widths = {key: column_width(key) for key in columns}
    row_no = HEADER_ROW
    total = len(blocks)
    for done, block in enumerate(blocks):
        values, entry, measures = block["values"], block["entry"], block["measures"]
        first_row = row_no + 1
        heights = _block_heights(values, measures, widths)
        seq_text = values["seq"] if "seq" in columns else ""
        category_text = values["category"] if "category" in columns else ""
        for m_index, measure in enumerate(measures):
            row_no += 1
            # The writer copies these attributes onto <row>; a plain dict spares 20,000 RowDimension objects.
            ws.row_dimensions[row_no] = {"ht": f"{heights[m_index]:g}", "customHeight": "1"}
            cells = []
            last_block = done == total - 1
            for key, cell in zip(columns, column_cells):
                if key == "measure":
                    cells.append(_refill(cell, measure["text"]))
                elif m_index == 0:
                    cells.append(_refill(cell, values[key]))
                elif last_block:  # the table's last merged cells draw its bottom border
                    cells.append(_refill(cell, None))
                else:  # inside a merge: the neighbours' borders draw its edges, no cell needed
                    cells.append(None)
            cells.append(_refill(identity_cell, identity_text(entry["id"], entry.get("rev"), measure["id"], measure["rev"],
                                                              seq_text, category_text)))
            ws.append(cells)
            ids.append((ws.title, row_no, entry["id"], entry.get("rev"), measure["id"], measure["rev"]))
        if row_no > first_row:
            for col in merged_cols:
                letter = get_column_letter(col)
                merges.append(f"{letter}{first_row}:{letter}{row_no}")
        if progress is not None and done % 500 == 0:
            progress(done, total, f"正在写入第 {done + 1}/{total} 项任务…")
    _write_merges_directly(ws, merges)
    return row_no - HEADER_ROW


def _write_merges_directly(ws, refs: list[str]) -> None:
    """Have the sheet's writer emit <mergeCells> straight from `refs`.

    openpyxl parses each ref into a CellRange twice (on assignment and again when writing), which
    for a 20,000-row ledger is a third of the export time. The refs here are built by us and valid.
    """
    from openpyxl.xml.functions import Element, SubElement

    ws._get_writer()
    writer = ws._writer

    def write_merged_cells():
        element = Element("mergeCells", count=str(len(refs)))
        for ref in refs:
            SubElement(element, "mergeCell", ref=ref)
        writer.xf.send(element)

    writer.write_merged_cells = write_merged_cells


def _write_ids(wb, unit: str, columns, ids) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(ID_SHEET)
    ws.sheet_state = "hidden"
    mapping = {get_column_letter(i): key for i, key in enumerate(columns, start=1)}
    ws.append([ID_MAGIC, ID_VERSION, unit, datetime.now().isoformat(timespec="seconds")])
    ws.append(["columns", json.dumps(mapping, ensure_ascii=False)])
    ws.append(list(ID_HEADER))
    for sheet, row, entry_id, entry_rev, measure_id, measure_rev in ids:
        ws.append([sheet, row, entry_id, entry_rev, measure_id, measure_rev])


def write_ledger_workbook(target, unit: str, year: int, sheets: dict, columns, today: date, progress=None) -> int:
    """Write the ledger workbook from printed blocks per unit; returns the data rows written."""
    from openpyxl import Workbook

    from core.export.xlsx_form import save

    wb = Workbook(write_only=True)
    ids: list[tuple] = []
    rows = 0
    titles = sheet_titles(sheets)
    for sheet_unit, blocks in sheets.items():
        ws = wb.create_sheet(titles[sheet_unit])
        _setup_sheet(ws, columns)
        styles = _Styles(ws)
        rows += _write_sheet(ws, ids, styles, sheet_unit or unit, year, blocks, columns, today, progress)
    _write_ids(wb, unit, columns, ids)
    save(wb, target)
    return rows
