"""Builders for plan documents of many shapes (python-docx / openpyxl), as fixtures."""

import types

import pytest

LEFT, UP = "<", "^"  # in a table spec: merge with the cell to the left / above


def write_docx(path, parts, ruled=False):
    """Write a .docx from parts: str → paragraph, "PAGE" → page break, list of rows → table,
    "LANDSCAPE" / "PORTRAIT" → a new section in that orientation.

    In a table spec a cell "<" merges with its left neighbour (gridSpan) and "^" with the cell
    above (vMerge); other strings are cell texts ("\\n" makes a line break). `ruled` draws the
    tables' grid lines (as a printed plan has; a PDF made from it then has ruled tables).
    """
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for part in parts:
        if part == "PAGE":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif part in ("LANDSCAPE", "PORTRAIT"):
            section = document.add_section(WD_SECTION.NEW_PAGE)
            wide = part == "LANDSCAPE"
            short, long = sorted((section.page_width, section.page_height))
            section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = (long, short) if wide else (short, long)
        elif isinstance(part, str):
            document.add_paragraph(part)
        else:
            table = _add_table(document, part)
            if ruled:
                table.style = "Table Grid"
    document.save(str(path))
    return path


def _add_table(document, spec):
    width = max(len(r) for r in spec)
    table = document.add_table(rows=len(spec), cols=width)
    for r, row in enumerate(spec):
        for c in range(width):
            text = row[c] if c < len(row) else ""
            if text not in (LEFT, UP):
                cell = table.cell(r, c)
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for extra in lines[1:]:
                    cell.add_paragraph(extra)
    for r, row in enumerate(spec):  # horizontal merges first
        c = 0
        while c < width:
            end = c
            while end + 1 < width and end + 1 < len(row) and row[end + 1] == LEFT:
                end += 1
            if end > c:
                table.cell(r, c).merge(table.cell(r, end))
            c = end + 1
    for c in range(width):  # then vertical runs
        r = 0
        while r < len(spec):
            end = r
            while end + 1 < len(spec) and c < len(spec[end + 1]) and spec[end + 1][c] == UP:
                end += 1
            if end > r:
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1
    return table


def write_xlsx(path, sheets, hidden_rows=(), hidden_cols=()):
    """Write an .xlsx: {sheet name: rows}; "<" / "^" merge as in write_docx (one level deep)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, spec in sheets.items():
        ws = workbook.create_sheet(title)
        for r, row in enumerate(spec, start=1):
            for c, value in enumerate(row, start=1):
                if value not in (LEFT, UP):
                    ws.cell(r, c, value)
        _xlsx_merges(ws, spec)
        for r in hidden_rows:
            ws.row_dimensions[r].hidden = True
        for letter in hidden_cols:
            ws.column_dimensions[letter].hidden = True
    workbook.save(str(path))
    return path


def _xlsx_merges(ws, spec):
    height = len(spec)
    done = set()
    for r in range(height):
        for c in range(len(spec[r])):
            if spec[r][c] in (LEFT, UP) or (r, c) in done:
                continue
            c_end = c
            while c_end + 1 < len(spec[r]) and spec[r][c_end + 1] == LEFT:
                c_end += 1
            r_end = r
            while r_end + 1 < height and c < len(spec[r_end + 1]) and spec[r_end + 1][c] == UP:
                r_end += 1
            if (r_end, c_end) != (r, c):
                ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r_end + 1, end_column=c_end + 1)
                done.update((i, j) for i in range(r, r_end + 1) for j in range(c, c_end + 1))


NOTICE = [
    "测试县人民政府办公室文件",
    "测政办字〔2024〕7号",
    "测试县人民政府办公室关于印发2024年测试县政务公开工作要点的通知",
    "各镇人民政府，县政府各部门：",
    "《2024年测试县政务公开工作要点》已经县政府同意，现印发给你们。各单位工作台账于5月31日（星期五）前报送县政府办公室。",
    "测试县人民政府办公室",
    "2024年4月8日",
]


@pytest.fixture
def build():
    """Namespace of document builders: build.docx(path, parts), build.xlsx(path, sheets, …)."""
    return types.SimpleNamespace(docx=write_docx, xlsx=write_xlsx, notice=list(NOTICE), LEFT=LEFT, UP=UP)


def rows_of(plan):
    """(seq, category, requirement, units, deadline) of each task, for compact asserts."""
    return [(t.seq, t.category, t.requirement, t.units, t.deadline) for t in plan.tasks]


@pytest.fixture
def rows():
    return rows_of
