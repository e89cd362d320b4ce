"""Reading a text PDF (pdfplumber): its ruled tables as grids and its other lines as paragraphs.

Each page gives its lines of text and its tables in the order they stand on the page; a
table's merged cells (a cell spanning columns or rows) share one key, as in a .docx, so the
same table logic (core.plan.table_logic) reads them. Tables are named "第N页" and carry the
page number, so every task row says which page it came from. A PDF without a text layer (a
scan) and a PDF that needs a password are refused with a sentence saying what to ask for.
"""

from pathlib import Path

from core.errors import UserError
from core.plan.model import Block, Cell

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_EPS = 1.0
MAX_PAGES = 2000
SCAN_TEXT_PER_PAGE = 30  # fewer characters a page than this, with images and no table: a scan


def scanned_message(name: str) -> str:
    return (f"“{name}”这是扫描件，没有可读取的文字（每页都是图片）。"
            "请向县里索取 Word 版或可复制文字的 PDF 后再导入。")


def read_pdf_blocks(path, progress=None) -> list:
    """The PDF's lines and tables as Blocks, page by page; UserError for scans, passwords, damage."""
    path = Path(path)
    blocks, chars, images = [], 0, 0
    with _open(path) as pdf:
        try:
            pages = pdf.pages
        except Exception:  # a broken page tree
            raise UserError(f"无法读取 PDF“{path.name}”（文件可能已损坏）。请重新下载，或向县里索取 Word 版。") from None
        if len(pages) > MAX_PAGES:
            raise UserError(f"PDF“{path.name}”有 {len(pages)} 页，超过 {MAX_PAGES} 页，不像是工作方案。请确认选择的文件是否正确。")
        for number, page in enumerate(pages, start=1):
            try:
                page_chars = len(page.chars)
                images += len(page.images)
                chars += page_chars
                if page_chars:
                    blocks.extend(page_blocks(page, number))
            except UserError:
                raise
            except Exception as exc:  # pdfminer's errors on a damaged page
                raise UserError(f"PDF“{path.name}”第 {number} 页无法读取（{type(exc).__name__}），文件可能已损坏。请重新下载，或向县里索取 Word 版。") from None
            finally:
                page.close()
            if progress:
                progress(number / len(pages))
    if not chars or images and chars < SCAN_TEXT_PER_PAGE * len(pages) and not any(b.kind == "table" for b in blocks):
        raise UserError(scanned_message(path.name))  # only images, at most a stamp or page numbers as text
    return blocks


def _open(path: Path):
    """pdfplumber's document, refusing encrypted and damaged files in Chinese."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(str(path))
    except Exception as exc:
        causes = [exc] + [a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)]
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise UserError(f"PDF“{path.name}”有密码保护（已加密），无法读取。请向县里索取未加密的 PDF 或 Word 版后再导入。") from None
        raise UserError(f"无法读取 PDF“{path.name}”（文件可能已损坏）。请重新下载，或向县里索取 Word 版。") from None


def page_blocks(page, number: int) -> list:
    """One page's text lines (outside its tables) and its tables, top to bottom."""
    tables = page.find_tables(TABLE_SETTINGS)
    items = []
    rest = page
    for table in tables:
        rest = rest.outside_bbox(_inside(table.bbox, page.bbox))
    for top, text in paragraphs(rest.extract_text_lines(return_chars=False)):
        items.append((top, Block("p", text=text, page=number)))
    for index, table in enumerate(tables, start=1):
        name = f"第{number}页" if len(tables) == 1 else f"第{number}页表{index}"
        items.append((table.bbox[1], Block("table", rows=table_grid(table, (number, index)), name=name, page=number)))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items]


def paragraphs(lines) -> list:
    """(top, text) of the paragraphs a page's lines make: a line that runs to the right margin
    goes on in the next line when that one starts no further right (no new indent)."""
    if not lines:
        return []
    right = max(line["x1"] for line in lines)
    left = min(line["x0"] for line in lines)
    out = []
    previous = None
    for line in lines:
        size = max(line["bottom"] - line["top"], 1.0)
        if previous is not None and previous["x1"] >= right - 1.5 * size and line["x0"] <= left + 0.5 * size \
                and line["top"] - previous["bottom"] < 1.2 * size:
            out[-1] = (out[-1][0], out[-1][1] + line["text"])
        else:
            out.append((line["top"], line["text"]))
        previous = line
    return out


def _inside(bbox, page_bbox):
    """A table's box clipped to the page (pdfplumber refuses boxes that stick out)."""
    x0, top, x1, bottom = bbox
    px0, ptop, px1, pbottom = page_bbox
    return (max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom))


def table_grid(table, key) -> list:
    """A pdfplumber table as rows of Cells, one per column; a spanning cell shares its key.

    pdfplumber gives None for a grid position that no cell starts at: it is covered by the
    cell to its left when that one reaches past the column's left edge, else by the cell
    above when that one reaches below the row's top, else it is an empty position.
    """
    texts = table.extract()
    rows = table.rows
    columns = sorted({c[0] for c in table.cells})
    grid = []
    for r, row in enumerate(rows):
        cells = []
        for c, bbox in enumerate(row.cells):
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
            if bbox is not None:
                cells.append((Cell(text or "", (key, r, c)), bbox))
                continue
            left = cells[c - 1] if c > 0 else None
            above = grid[r - 1][c] if r > 0 and c < len(grid[r - 1]) else None
            col_x = columns[c] if c < len(columns) else None
            if left and left[1] and col_x is not None and left[1][2] > col_x + _EPS:
                cells.append(left)
            elif above and above[1] and row.bbox and above[1][3] > row.bbox[1] + _EPS:
                cells.append(above)
            else:
                cells.append((Cell("", (key, r, c, "empty")), None))
        grid.append(cells)
    return [[cell for cell, _ in cells] for cells in grid]
