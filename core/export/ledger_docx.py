"""工作任务台账 as .docx: the template's frame (landscape, title, unit and date) with the ledger
table put in place of its {{ table }} paragraph.

The table is built as WordprocessingML text and parsed once with lxml: header row repeated on
every page (w:tblHeader), a task's columns merged over its measures (w:vMerge), and every run
naming 仿宋_GB2312 / 黑体 as its East Asian font.
"""

from datetime import date
from xml.sax.saxutils import escape

from core.errors import UserError
from core.text import printable
from core.export.common import (
    A4_MM,
    BODY_FONT,
    HEADING_FONT,
    LEDGER_COLUMNS,
    MARGINS_MM,
    ROW_COLUMNS,
    SIZE_SMALL_5,
    check_columns,
    cn_date,
    ledger_blocks,
    ledger_columns,
    load_ledger,
    mm_to_twips,
    rpr_xml,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CENTERED = {"seq", "deadline", "due", "leader", "office", "handler", "status", "completed_on"}


def write_docx(db, target, year=None, unit=None, columns=None, db_path=None, today: date | None = None, progress=None) -> dict:
    """Export the ledger to a .docx from the template in use."""
    unit_name, year, groups = load_ledger(db, year, unit)
    columns = check_columns(columns) if columns else ledger_columns(db)
    multi = len(groups) > 1
    blocks = []
    for group_unit, entries in groups.items():
        for block in ledger_blocks(db, entries):
            if multi:  # a county's file with several units: say whose task each row is
                block["values"]["seq"] = f"{group_unit} {block['values']['seq']}".strip()
            blocks.append(block)
    write_ledger_document(target, unit_name, year, blocks, columns, today or date.today(), db_path)
    return {"form": "ledger", "rows": sum(len(b["measures"]) for b in blocks), "unit": unit_name, "year": year, "columns": columns}


TABLE_SIZE = SIZE_SMALL_5
CELL_PADDING = 57  # twips left and right of a cell's text


def column_widths(columns, total_twips: int, blocks=(), size: int = TABLE_SIZE) -> list[int]:
    """Each column's width in twips, planned for `blocks` (core.export.layout) at font `size`."""
    from core.export.layout import ledger_widths

    char = size * 10  # one Chinese character: the font size (half-points × 10 = twips)
    available = (total_twips - 2 * CELL_PADDING * len(columns)) / char
    planned = ledger_widths(columns, list(blocks), available)
    widths = [round(planned[key] * char) + 2 * CELL_PADDING for key in columns]
    widths[-1] += total_twips - sum(widths)
    return widths


def _cell_xml(text: str | None, width: int, rpr: str, align: str, merge: str = "") -> str:
    """One w:tc; text None gives an empty paragraph (a merged continuation)."""
    if text is None or text == "":
        body = f'<w:p><w:pPr><w:jc w:val="{align}"/>{rpr}</w:pPr></w:p>'
    else:
        inner = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in printable(text).split("\n"))
        body = f'<w:p><w:pPr><w:jc w:val="{align}"/>{rpr}</w:pPr><w:r>{rpr}{inner}</w:r></w:p>'
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>'


def _header_text(key: str, width_twips: int) -> str:
    """A column header broken between its words (never inside one) to fit the column."""
    from core.export.layout import header_lines

    chars = (width_twips - 2 * CELL_PADDING) / (TABLE_SIZE * 10)
    return "\n".join(header_lines(LEDGER_COLUMNS[key][0], chars))


def table_xml(blocks, columns, total_twips: int) -> str:
    """The ledger table as WordprocessingML text."""
    widths = column_widths(columns, total_twips, blocks)
    head_rpr = rpr_xml(HEADING_FONT, TABLE_SIZE)
    body_rpr = rpr_xml(BODY_FONT, TABLE_SIZE)
    aligns = ["center" if key in CENTERED else "left" for key in columns]
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{total_twips}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        '</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>',
        "".join(_cell_xml(_header_text(key, w), w, head_rpr, "center") for key, w in zip(columns, widths)),
        "</w:tr>",
    ]
    for block in blocks:
        values, measures = block["values"], block["measures"]
        span = len(measures) > 1
        for index, measure in enumerate(measures):
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for key, width, align in zip(columns, widths, aligns):
                if key in ROW_COLUMNS:
                    parts.append(_cell_xml(measure["text"], width, body_rpr, align))
                elif index == 0:
                    merge = '<w:vMerge w:val="restart"/>' if span else ""
                    parts.append(_cell_xml(values[key], width, body_rpr, align, merge))
                else:
                    parts.append(_cell_xml(None, width, body_rpr, align, "<w:vMerge/>"))
            parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _text_width_twips(document) -> int:
    """The width between the margins of the template's last section (landscape A4 by default)."""
    from docx.shared import Emu

    try:
        section = document.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin  # EMU, as a plain int
        return int(Emu(width).twips)
    except (IndexError, TypeError):  # a template without sections or page size: landscape A4, GB/T margins
        return mm_to_twips(A4_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"])


def _put_table(document, xml_builder) -> None:
    """Replace the paragraph holding the table marker with the ledger table."""
    from lxml import etree

    from core.export.templates import TABLE_MARKER

    body = document.element.body
    for paragraph in body.iter(f"{{{W_NS}}}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{W_NS}}}t"))
        if TABLE_MARKER in text:
            table = etree.fromstring(xml_builder(_text_width_twips(document)))
            paragraph.addprevious(table)
            paragraph.getparent().remove(paragraph)
            return
    raise UserError("台账模板中找不到 {{ table }} 标记（它必须单独占一段），请从导出的模板重新修改后载入。")


def write_ledger_document(target, unit: str, year: int, blocks, columns, today: date, db_path=None) -> None:
    """Fill the ledger template and put the table in."""
    from core.export.templates import TABLE_MARKER, render, template_path

    context = {"unit": unit, "year": year, "date": cn_date(today), "table": TABLE_MARKER}
    render(template_path(db_path, "ledger"), context, target, post=lambda doc: _put_table(doc, lambda w: table_xml(blocks, columns, w)))
