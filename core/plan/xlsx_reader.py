"""Reading an .xlsx: each sheet as a grid with merged ranges resolved and hidden rows/columns dropped."""

import datetime as _dt
import warnings as _warnings

from core.errors import UserError
from core.plan.model import Block, Cell
from core.plan.safety import check_xml_bytes, open_zip


def read_xlsx_blocks(path) -> list:
    """One table Block per sheet (visible sheets first), named after the sheet."""
    name = _check_parts(path)
    import openpyxl

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except UserError:
        raise
    except Exception as exc:
        raise UserError(f"无法读取表格“{name}”（{type(exc).__name__}），文件可能已损坏。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。") from None
    try:
        sheets = sorted(workbook.worksheets, key=lambda ws: ws.sheet_state != "visible")
        return [Block("table", rows=sheet_grid(ws), name=ws.title) for ws in sheets if ws.max_row]
    finally:
        workbook.close()


def _check_parts(path) -> str:
    """Check the zip and refuse XML parts with DTDs/entities before openpyxl reads them."""
    from pathlib import Path

    name = Path(path).name
    with open_zip(path, kind="xlsx") as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise UserError(f"文件“{name}”不是有效的 Excel 表格（缺少工作簿）。请在 WPS/Excel 中打开后另存为 .xlsx 再导入。")
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                try:
                    with archive.open(info) as fh:
                        check_xml_bytes(fh.read(65536), name)
                except UserError:
                    raise
                except Exception:
                    raise UserError(f"文件“{name}”已损坏或不完整（{info.filename} 无法解压）。请重新下载或另存后再导入。") from None
    return name


def cell_value_text(value) -> str:
    """A cell value as text: 1.0 → "1", dates as 2024年6月30日."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def sheet_grid(ws) -> list:
    """The sheet's rows as lists of Cells (merged ranges share key and text), hidden ones dropped."""
    title = ws.title
    width = ws.max_column or 0
    rows = []
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        rows.append([Cell(cell_value_text(v), (title, r, c)) for c, v in enumerate(values, start=1)])
    for row in rows:
        if len(row) < width:
            r = len(rows)
            row.extend(Cell("", (title, r, c)) for c in range(len(row) + 1, width + 1))
    for merged in ws.merged_cells.ranges:
        r0, c0, r1, c1 = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        if r0 > len(rows) or c0 > width:
            continue
        top = rows[r0 - 1][c0 - 1]
        cell = Cell(top.text, (title, r0, c0))
        for r in range(r0, min(r1, len(rows)) + 1):
            for c in range(c0, min(c1, width) + 1):
                rows[r - 1][c - 1] = cell
    hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    hidden_cols = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            hidden_cols.update(range(dim.min, (dim.max or dim.min) + 1))
    keep_cols = [c for c in range(1, width + 1) if c not in hidden_cols]
    grid = []
    for r, row in enumerate(rows, start=1):
        if r in hidden_rows:
            continue
        grid.append(row if not hidden_cols else [row[c - 1] for c in keep_cols])
    return grid


MAX_LINE_ROWS = 5000
_LABEL_END = ("：", ":")


def sheet_lines(rows) -> list:
    """The notice-like lines of a sheet, as a .docx body's paragraphs would read.

    A row holding one text (across merged cells or in one cell) is a line: a title, 文号, the
    issuing office or the date of a cover sheet or of the rows above and below a task table.
    A row of a label and a value ("文号：" | "测政办字〔2024〕7号") gives the value. Rows with more
    texts (the task rows) are not lines.
    """
    lines = []
    for row in rows[:MAX_LINE_ROWS]:
        texts = []
        for cell in row:
            text = cell.text.strip()
            if text and (not texts or texts[-1][0] != cell.key):
                texts.append((cell.key, text))
        values = [t for _, t in texts]
        if len(values) == 1:
            lines.append(values[0])
        elif len(values) == 2 and values[0].endswith(_LABEL_END):
            lines.append(values[1])
    return lines
