"""Printing and PDF without Word or WPS: our own forms as HTML laid out by QTextDocument.

A4 with GB/T 9704 margins, landscape for the wide tables, page numbers "— 1 —" at the foot
of every page, table headers (<thead>) repeated on each page by Qt.
"""

import os
import sys

from core.export.common import MARGINS_MM, SIZE_4
from core.export.pdf import paged_html, repair_text_layer, split_kept, written_text

PAGE_NUMBER_PT = SIZE_4 / 2  # 4号 = 14 pt


def ensure_app():
    """A QGuiApplication for headless use (the command line); the running one in the window."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0]])
    return app


def _layout(printer, landscape: bool) -> None:
    """A4, orientation and GB/T 9704 margins on a QPdfWriter or QPrinter."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    orientation = QPageLayout.Landscape if landscape else QPageLayout.Portrait
    margins = QMarginsF(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"], MARGINS_MM["bottom"])
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), orientation, margins, QPageLayout.Millimeter))


PAGE_SLACK = 0.97  # of a page's height filled at most: Qt's page layout adds borders and margins


def plan_pages(doc, count: int, group_rows: list[int], page_height: float) -> list[list[int]]:
    """Which row groups of the document's first table go on each page (unpaged layout measured).

    A group taller than a page gets a page of its own (and is split there, as it must be).
    """
    table = next(f for f in doc.rootFrame().childFrames() if hasattr(f, "cellAt"))
    layout = doc.documentLayout()
    header_rows = table.format().headerRowCount()

    def row_top(row: int) -> float:
        tops = []
        for col in range(table.columns()):
            cell = table.cellAt(row, col)
            if cell.row() == row:
                tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        return min(tops) if tops else 0.0

    starts, row = [], header_rows
    for n in group_rows:
        starts.append(row_top(row))
        row += n
    table_top = layout.frameBoundingRect(table).top()
    end = layout.frameBoundingRect(table).bottom()
    header = (starts[0] if starts else end) - table_top
    pages: list[list[int]] = [[]]
    room = page_height * PAGE_SLACK - (starts[0] if starts else end)
    for i in range(count):
        height = (starts[i + 1] if i + 1 < count else end) - starts[i]
        if height > room and pages[-1]:
            pages.append([])
            room = page_height * PAGE_SLACK - header - 2 * doc.documentMargin()
        pages[-1].append(i)
        room -= height
    return pages


def paint_document(html: str, device) -> int:
    """Lay `html` out page by page on `device` (already set up) with page numbers; returns pages."""
    from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPainter, QTextDocument

    layout = device.pageLayout()
    resolution = device.resolution()
    paint_rect = layout.paintRectPixels(resolution)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    base = QFont("仿宋_GB2312")
    base.setFamilies(["仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"])
    base.setPointSizeF(10.5)
    doc.setDefaultFont(base)
    doc.setHtml(html)
    parts = split_kept(html)
    if parts is not None:  # lay the kept table out one page at a time, a task's rows never split
        doc.setTextWidth(paint_rect.width())
        doc.setHtml(paged_html(parts, plan_pages(doc, len(parts[3]), [g.count("<tr") for g in parts[3]], paint_rect.height())))
    doc.setPageSize(QSizeF(paint_rect.width(), paint_rect.height()))
    pages = doc.pageCount()
    foot = QFont("宋体")
    foot.setFamilies(["宋体", "SimSun", "Noto Serif CJK SC"])
    foot.setPointSizeF(PAGE_NUMBER_PT)
    from core.storage.atomic import WriteFailed

    painter = QPainter(device)
    if not painter.isActive():  # Qt could not open the output (a PDF file it cannot create)
        raise WriteFailed("QPainter.begin failed")
    ended = False
    try:
        bottom_margin = layout.marginsPixels(resolution).bottom()
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(0, -page * paint_rect.height())
            doc.drawContents(painter, QRectF(0, page * paint_rect.height(), paint_rect.width(), paint_rect.height()))
            painter.restore()
            painter.setFont(foot)
            number_box = QRectF(QPointF(0, paint_rect.height() + bottom_margin * 0.25), QSizeF(paint_rect.width(), bottom_margin * 0.5))
            painter.drawText(number_box, Qt.AlignHCenter | Qt.AlignVCenter, f"— {page + 1} —")
        ended = True
    finally:
        finished = painter.end()
    if ended and not finished:  # Qt reports the page stream could not be written out
        raise WriteFailed("QPainter.end failed")
    return pages


def write_pdf(html: str, target, landscape: bool) -> int:
    """Write `html` as a PDF at `target` (atomically); returns the number of pages."""
    from PySide6.QtGui import QPdfWriter

    from core.storage.atomic import atomic_path

    ensure_app()
    with atomic_path(target) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(300)
        writer.setTitle("政务公开工作台账")
        writer.setCreator("政务公开工作台账")
        _layout(writer, landscape)
        pages = paint_document(html, writer)
        del writer  # flushes the file before it is renamed
        tmp.write_bytes(repair_text_layer(tmp.read_bytes(), written_text(html)))
    return pages


def export_pdf(db, form: str, target, year=None, unit=None, columns=None) -> dict:
    """Render `form` to a PDF; returns what was written, like core.export.export."""
    from core.export.common import FORMS
    from core.export.pdf import form_html

    ensure_app()
    html, landscape = form_html(db, form, year, unit, columns)
    pages = write_pdf(html, target, landscape)
    rows = html.count("<tr>") - html.count("<thead><tr>")
    return {"form": form, "rows": rows, "pages": pages, "title": FORMS[form], "path": str(target), "format": "pdf"}


def show_preview(parent, html: str, landscape: bool, title: str = "打印预览") -> None:
    """A QPrintPreviewDialog of our own content; 打印 sends it to the chosen printer."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter

    printer = QPrinter(QPrinter.HighResolution)
    _layout(printer, landscape)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda p: paint_document(html, p))
    dialog.resize(1000, 760)
    dialog.exec()
