"""Small Excel forms laid out like the county's Word tables (报送表): label and value cells,
merges, borders, A4 with GB/T 9704 margins, fit to one page wide."""

from core.export.common import BODY_FONT, MARGINS_MM, TITLE_FONT, is_formula_like, mm_to_inches
from core.text import printable

FORM_WIDTHS = (16, 26, 16, 26)  # four columns, like the county's 4 × 2211 dxa


def new_book():
    """An empty workbook (openpyxl imported here, not at module load)."""
    from openpyxl import Workbook

    return Workbook()


def set_text(cell, value) -> None:
    """Put `value` in `cell`; text Excel would read as a formula stays text, a bad character is dropped."""
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and is_formula_like(value):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value


def page_setup(ws, landscape: bool = False, title_rows: str | None = None) -> None:
    """A4, GB/T 9704 margins, one page wide, optional print title rows."""
    ws.page_setup.paperSize = "9"  # A4 (write-only sheets lack the PAPERSIZE_A4 constant)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.top, margins.bottom = mm_to_inches(MARGINS_MM["top"]), mm_to_inches(MARGINS_MM["bottom"])
    margins.left, margins.right = mm_to_inches(MARGINS_MM["left"]), mm_to_inches(MARGINS_MM["right"])
    margins.header, margins.footer = 0.5, 0.6
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 14
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True


class FormWriter:
    """Writes a 4-column form: a title, a 单位名称 line, then label/value blocks."""

    def __init__(self, ws, title: str, unit: str):
        from openpyxl.styles import Alignment, Border, Font, Side

        self.ws = ws
        side = Side(style="thin", color="000000")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.label_font = Font(name=BODY_FONT, size=14)
        self.value_font = Font(name=BODY_FONT, size=12)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        for index, width in enumerate(FORM_WIDTHS, start=1):
            ws.column_dimensions["ABCD"[index - 1]].width = width
        ws.merge_cells("A1:D1")
        set_text(ws["A1"], title)
        ws["A1"].font = Font(name=TITLE_FONT, size=22)
        ws["A1"].alignment = self.center
        ws.row_dimensions[1].height = 42
        ws.merge_cells("A2:D2")
        set_text(ws["A2"], f"单位名称：{unit}")
        ws["A2"].font = self.label_font
        ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
        ws.row_dimensions[2].height = 26
        self.row = 3
        page_setup(ws)

    def _cell(self, column: int, value, label: bool):
        cell = self.ws.cell(row=self.row, column=column)
        set_text(cell, "" if value is None else value)
        cell.font = self.label_font if label else self.value_font
        cell.alignment = self.center if label else self.left
        cell.border = self.border
        return cell

    def label_value(self, label: str, value, height: float = 30) -> None:
        """A row: label, then the value spanning three columns."""
        self._cell(1, label, True)
        self._cell(2, value, False)
        for column in (3, 4):
            self._cell(column, None, False)
        self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=4)
        self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def pair(self, label1: str, value1, label2: str, value2, height: float = 36) -> None:
        """A row: label, value, label, value."""
        self._cell(1, label1, True)
        self._cell(2, value1, False)
        self._cell(3, label2, True)
        self._cell(4, value2, False)
        self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def rows(self, rows: list[tuple]) -> None:
        """Rows of (height, label, value) or (height, label, value, label, value)."""
        for height, *cells in rows:
            if len(cells) == 2:
                self.label_value(*cells, height=height)
            else:
                self.pair(*cells, height=height)

    def gap(self) -> None:
        """An empty row between two activities."""
        self.ws.row_dimensions[self.row].height = 14
        self.row += 1


def write_form_book(target, sheet_title: str, form_title: str, unit: str, blocks: list[list[tuple]]) -> None:
    """Write a workbook holding one form: its title, 单位名称, then each block of rows with a gap between."""
    wb = new_book()
    ws = wb.active
    ws.title = sheet_title
    form = FormWriter(ws, form_title, unit)
    for index, rows in enumerate(blocks):
        if index:
            form.gap()
        form.rows(rows)
    save(wb, target)


def save(wb, target) -> None:
    """Save `wb` to `target` atomically.

    The workbook is built in memory and then written in one go, so a full disk fails at one
    plain write (reported by core.storage.atomic) rather than inside openpyxl's zip and sheet writers.
    """
    import io

    from core.storage.atomic import atomic_path

    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(target) as tmp:
        tmp.write_bytes(buffer.getbuffer())
