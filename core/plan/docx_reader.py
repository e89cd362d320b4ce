"""Reading a .docx body in order: paragraphs and table grids with merges resolved from the XML."""

from core.plan.model import Block, Cell
from core.plan.safety import open_zip, parse_xml, read_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
_T, _TAB, _BR, _CR = W + "t", W + "tab", W + "br", W + "cr"


def read_docx_blocks(path) -> list:
    """The body of a .docx as Blocks (paragraph texts and table grids), in reading order."""
    with open_zip(path, kind="docx") as archive:
        data = read_member(archive, "word/document.xml")
    root = parse_xml(data)
    body = root.find(W + "body")
    if body is None:
        return []
    blocks = []
    _walk(body, blocks)
    return blocks


def _walk(parent, blocks) -> None:
    """Append the paragraphs and tables under `parent` (descending into content controls)."""
    for el in parent:
        tag = el.tag
        if tag == _P:
            blocks.append(Block("p", text=paragraph_text(el)))
        elif tag == _TBL:
            number = sum(1 for b in blocks if b.kind == "table") + 1
            blocks.append(Block("table", rows=table_grid(el, number), name=f"表{number}"))
        elif tag == _SDT or tag == W + "sdtContent" or tag == W + "customXml":
            _walk(el, blocks)


def paragraph_text(p) -> str:
    """A paragraph's visible text (tabs as spaces, breaks as newlines; deleted text left out)."""
    parts = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A cell's text: its paragraphs joined by newlines (nested tables included)."""
    return "\n".join(paragraph_text(p) for p in tc.iter(_P))


def _row_cells(tr):
    """The w:tc elements of a row, including those inside content controls."""
    for el in tr:
        if el.tag == _TC:
            yield el
        elif el.tag in (_SDT, W + "sdtContent", W + "customXml"):
            yield from _row_cells(el)


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val"))
    except (TypeError, ValueError):
        return default


def table_grid(tbl, number: int) -> list:
    """Rows of a table as lists of Cells, one per grid column, merges resolved.

    gridSpan repeats a cell's key across the columns it covers; a vMerge continuation takes
    the key and text of the cell above it.
    """
    grid = []
    above = {}  # column -> Cell of the previous row
    for r, tr in enumerate(el for el in tbl if el.tag == _TR):
        row = []
        tr_pr = tr.find(W + "trPr")
        before = _int_val(tr_pr.find(W + "gridBefore"), 0) if tr_pr is not None else 0
        for i in range(before):
            row.append(Cell("", ("before", number, r, i)))
        for c, tc in enumerate(_row_cells(tr)):
            pr = tc.find(W + "tcPr")
            span = max(1, _int_val(pr.find(W + "gridSpan"), 1)) if pr is not None else 1
            vmerge = pr.find(W + "vMerge") if pr is not None else None
            col = len(row)
            if vmerge is not None and vmerge.get(W + "val", "continue") != "restart" and col in above:
                cell = above[col]
            else:
                cell = Cell(_cell_text(tc), (number, r, c))
            row.extend([cell] * span)
        for col, cell in enumerate(row):
            above[col] = cell
        grid.append(row)
    return grid
