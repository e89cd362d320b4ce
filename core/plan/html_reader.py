"""Reading a "Word" file that is really a web page: paragraphs and <table> grids (colspan/rowspan)."""

import re
from pathlib import Path

from core.errors import UserError
from core.plan.model import Block, Cell

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title"}


def read_html_blocks(path) -> list:
    """The page's paragraphs and tables as Blocks, in document order."""
    from lxml import etree, html

    data = Path(path).read_bytes()
    if b"<!ENTITY" in data[:65536]:
        raise UserError(f"文件“{Path(path).name}”含有不安全的定义（实体），已拒绝导入。请在 WPS/Word 中打开后另存为 .docx 再导入。")
    parser = html.HTMLParser(encoding=_encoding(data), no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = html.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UserError(f"无法读取网页格式的文件“{Path(path).name}”（{exc}）。请在 WPS/Word 中打开后另存为 .docx 再导入。") from None
    blocks = []
    _walk(root, blocks)
    return blocks


def _encoding(data: bytes) -> str:
    """The page's declared charset (gb2312/gbk read as gb18030), else utf-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    match = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
    name = match.group(1).decode("ascii").lower() if match else "utf-8"
    if name in ("gb2312", "gbk", "gb18030", "x-gbk"):
        return "gb18030"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


_BREAK = "\u2029"  # a <br> or block edge inside running text: a paragraph ends there
_SKIP_TAGS = {"script", "style", "head"}


def _walk(el, blocks) -> None:
    """Append tables and paragraphs under `el`, in order.

    Word's "save as web page" puts the whole body in one <div class=WordSection1>: text is
    split into its real paragraphs at every <p>, <br> and block element, however deep.
    """
    buffer = []
    _collect(el, blocks, buffer)
    _flush(buffer, blocks)


def _collect(el, blocks, buffer) -> None:
    """Gather the running text of `el` into `buffer`, flushing paragraphs at block edges."""
    if el.text:
        buffer.append(_spaces(el.text))
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "table":
            _flush(buffer, blocks)
            number = sum(1 for b in blocks if b.kind == "table") + 1
            blocks.append(Block("table", rows=table_grid(child, number), name=f"表{number}"))
        elif tag in _SKIP_TAGS or not tag:
            pass
        elif tag == "br":
            buffer.append(_BREAK)
        elif tag in _BLOCK_TAGS or tag in ("body", "html", "section", "article", "center", "blockquote", "ul", "ol"):
            _flush(buffer, blocks)
            _collect(child, blocks, buffer)
            _flush(buffer, blocks)
        else:
            _collect(child, blocks, buffer)
        if child.tail:
            buffer.append(_spaces(child.tail))


def _spaces(text: str) -> str:
    """Source line breaks in HTML are only spaces."""
    return text.replace("\r", " ").replace("\n", " ")


def _flush(buffer, blocks) -> None:
    """Turn the gathered text into paragraphs (one per <br>-separated piece that has text)."""
    if not buffer:
        return
    for piece in "".join(buffer).split(_BREAK):
        if piece.strip():
            blocks.append(Block("p", text=piece.strip()))
    buffer.clear()


def _text(el) -> str:
    """Element text with <br> as newline."""
    parts = []
    for node in el.iter():
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        if node.text and tag not in ("script", "style") and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _own_rows(table):
    """The <tr> of this table (not of tables nested in its cells)."""
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            yield tr


def _span(el, name: str) -> int:
    try:
        return max(1, min(int(el.get(name, "1")), 1000))
    except ValueError:
        return 1


def table_grid(table, number: int) -> list:
    """Rows of an HTML table as Cells per grid column, colspan/rowspan resolved."""
    grid = []
    pending = {}  # column -> (Cell, rows still covered)
    for r, tr in enumerate(_own_rows(table)):
        row = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        ci = 0
        while ci < len(cells) or any(col >= len(row) for col in pending):
            col = len(row)
            if col in pending:
                cell, left = pending[col]
                row.append(cell)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (cell, left - 1)
                continue
            if ci >= len(cells):
                row.append(Cell("", ("html", number, r, col)))
                continue
            td = cells[ci]
            ci += 1
            cell = Cell(_text(td), ("html", number, r, ci))
            rowspan, colspan = _span(td, "rowspan"), _span(td, "colspan")
            for k in range(colspan):
                if rowspan > 1:
                    pending[col + k] = (cell, rowspan - 1)
                row.append(cell)
        grid.append(row)
    return grid
