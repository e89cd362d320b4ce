"""Benchmark for the forms; every figure a ratio against a floor of the same run (bench/common.py: ratio).

- ledger_xlsx_20k: the 工作任务台账 .xlsx of 20,000 rows (5,000 tasks × 4 measures: styles, merges,
  print setup, each row's identity cell, hidden id sheet). Floor: a bare openpyxl write-only workbook
  of the same cells (the visible values, the identity cells and the hidden sheet's id values, no
  styles) in the same run. Target: ratio ≤ 1.5.
- ledger_docx_500: the ledger .docx of 500 rows (template, merges, fonts on every run).
  Floor: a bare python-docx table of the same size, built row by row with cell.text. Target: ratio ≤ 1.5.

Run: .venv/bin/python bench/bench_export.py
"""

import tempfile
from datetime import date
from pathlib import Path

from common import ratio


def blocks(tasks: int, measures: int) -> list[dict]:
    """Printed ledger blocks as core.export.common.ledger_blocks makes them."""
    from core.export.common import LEDGER_COLUMNS

    out = []
    for t in range(tasks):
        values = {key: f"{LEDGER_COLUMNS[key][0]}{t}：推进政务公开标准化规范化建设" for key in LEDGER_COLUMNS if key != "measure"}
        values["seq"] = str(t + 1)
        entry = {"id": f"entry-{t:06d}", "rev": 1}
        rows = [{"id": f"m-{t}-{m}", "rev": 1, "text": f"举措{m}：及时发布并解读相关政策文件{t}"} for m in range(measures)]
        out.append({"entry": entry, "values": values, "measures": rows})
    return out


def cells(data, columns):
    """The visible cell values row by row (what the floor writes)."""
    for block in data:
        for index, measure in enumerate(block["measures"]):
            yield [measure["text"] if key == "measure" else (block["values"][key] if index == 0 else None) for key in columns]


def main() -> None:
    from core.export.common import DEFAULT_LEDGER_COLUMNS as columns
    from core.export.ledger_docx import write_ledger_document
    from core.export.ledger_xlsx import write_ledger_workbook

    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    big = blocks(5000, 4)
    id_rows = [(b["entry"]["id"], 1, m["id"], 1) for b in big for m in b["measures"]]
    # Each row also holds its identity (the hidden last column): the floor writes the same text.
    rows = [list(r) + [f"zwgk1:{e}:1:{m}:1:0123456789ab"] for r, (e, _, m, _) in zip(cells(big, columns), id_rows)]

    def bare_xlsx():
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("工作任务台账")
        for row in rows:
            ws.append(row)
        ids = wb.create_sheet("_zwgk")  # the same id cells, unstyled
        for number, row in enumerate(id_rows, start=4):
            ids.append(["工作任务台账", number, *row])
        wb.save(str(folder / "bare.xlsx"))

    def ours_xlsx():
        write_ledger_workbook(folder / "ours.xlsx", "城东街道", 2024, {"城东街道": big}, columns, date(2024, 5, 31))

    ratio("ledger_xlsx_20k", ours_xlsx, bare_xlsx, target=1.5, repeat=3)

    small = blocks(125, 4)
    small_rows = [list(r) for r in cells(small, columns)]

    def bare_docx():
        from docx import Document

        doc = Document()
        table = doc.add_table(rows=1, cols=len(columns))
        for row in small_rows:
            cells_ = table.add_row().cells
            for cell, value in zip(cells_, row):
                cell.text = value or ""
        doc.save(str(folder / "bare.docx"))

    def ours_docx():
        write_ledger_document(folder / "ours.docx", "城东街道", 2024, small, columns, date(2024, 5, 31))

    ratio("ledger_docx_500", ours_docx, bare_docx, target=1.5, repeat=5)


if __name__ == "__main__":
    main()
