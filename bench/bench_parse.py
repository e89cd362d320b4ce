"""Benchmarks for reading plans; every figure a ratio against a floor of the same run (bench/common.py: ratio).

- parse_sample_docx_70rows: core.plan.read_plan of the shipped Boshan plan against a bare python-docx read of
  every cell of it. Target: ratio ≤ 3.
- parse_docx_2000rows / parse_xlsx_2000rows: a generated plan of 2,000 task rows against a bare python-docx /
  openpyxl read of every cell. Target: ratio ≤ 3.
- parse_pdf_2000rows (when LibreOffice is installed): the same plan printed to PDF against bare pdfplumber
  table extraction of every page (one pair: tens of seconds each). Target: ratio ≤ 3.

Run: .venv/bin/python bench/bench_parse.py
"""

import sys
import tempfile
from pathlib import Path

from common import ROOT, ratio

SAMPLES = ROOT.parent / "shared" / "samples"
ROWS = 2000


def make_docx(path: Path, rows: int, ruled: bool = False) -> None:
    """A plan whose task table has `rows` rows, split into pages of 40 with the header repeated
    (`ruled`: with grid lines, as a printed plan and so a PDF made from it has)."""
    import docx

    document = docx.Document()
    document.add_paragraph("测政办字〔2024〕1号")
    document.add_paragraph("2024年测试县政务公开工作方案")
    header = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
    for page_start in range(0, rows, 40):
        count = min(40, rows - page_start)
        table = document.add_table(rows=count + 1, cols=5)
        if ruled:
            table.style = "Table Grid"
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        for i in range(count):
            seq = page_start + i + 1
            cells = table.rows[i + 1].cells
            cells[0].text = str(seq)
            cells[1].text = f"第{seq // 10 + 1}类重点工作" if i == 0 or seq % 10 == 1 else ""
            cells[2].text = f"第{seq}项工作要求：做好相关领域政府信息公开，及时回应社会关切"
            cells[3].text = f"县第{seq % 37}局、各镇（街道）"
            cells[4].text = "长期坚持" if seq % 3 else "2024年年底前"
        document.add_paragraph()
    document.save(str(path))


def make_xlsx(path: Path, rows: int) -> None:
    """A workbook with a merged title row and `rows` task rows with merged categories."""
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["2024年测试县政务公开重点工作分解表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "工作任务", "工作要求", "责任单位", "完成时限"])
    for seq in range(1, rows + 1):
        ws.append([seq, f"第{(seq - 1) // 10 + 1}类重点工作" if seq % 10 == 1 else None,
                   f"第{seq}项工作要求：做好相关领域政府信息公开", f"县第{seq % 37}局", "长期坚持"])
        if seq % 10 == 1:
            ws.merge_cells(start_row=seq + 2, start_column=2, end_row=min(seq + 11, rows + 2), end_column=2)
    workbook.save(str(path))


def floor_docx(path: Path) -> None:
    """Bare python-docx read of every cell."""
    import docx

    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            for cell in row.cells:
                _ = cell.text


def floor_xlsx(path: Path) -> None:
    """Bare openpyxl read of every cell."""
    import openpyxl

    workbook = openpyxl.load_workbook(str(path))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _ = cell.value


def make_pdf(folder: Path, rows: int) -> Path | None:
    """The ruled `rows`-row plan printed to PDF by LibreOffice, or None when it is not installed."""
    import subprocess

    from core.plan.convert import soffice_path

    program = soffice_path()
    if not program:
        return None
    source = folder / "bigpdf.docx"
    make_docx(source, rows, ruled=True)
    subprocess.run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   capture_output=True, timeout=600, check=False, stdin=subprocess.DEVNULL)
    result = folder / "bigpdf.pdf"
    return result if result.exists() else None


def floor_pdf(path: Path) -> None:
    """Bare pdfplumber table extraction of every page (what the PDF library itself does)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            _ = page.extract_tables()
            page.close()


def main() -> int:
    from core.plan import read_plan

    sample = SAMPLES / "boshan-2024-plan.docx"
    if sample.exists():
        ratio("parse_sample_docx_70rows", lambda: read_plan(sample), lambda: floor_docx(sample), target=3, repeat=5)
    with tempfile.TemporaryDirectory() as tmp:
        big_docx = Path(tmp) / "big.docx"
        big_xlsx = Path(tmp) / "big.xlsx"
        make_docx(big_docx, ROWS)
        make_xlsx(big_xlsx, ROWS)
        assert len(read_plan(big_docx).tasks) == ROWS
        assert len(read_plan(big_xlsx).tasks) == ROWS
        ratio("parse_docx_2000rows", lambda: read_plan(big_docx), lambda: floor_docx(big_docx), target=3, repeat=5)
        ratio("parse_xlsx_2000rows", lambda: read_plan(big_xlsx), lambda: floor_xlsx(big_xlsx), target=3, repeat=5)
        big_pdf = make_pdf(Path(tmp), ROWS)
        if big_pdf is not None:  # pdfplumber takes tens of seconds for 2,000 rows: one alternating pair
            parsed = []
            ratio("parse_pdf_2000rows", lambda: parsed.append(read_plan(big_pdf)), lambda: floor_pdf(big_pdf), target=3, repeat=1)
            assert len(parsed[0].tasks) == ROWS and parsed[0].tasks[-1].page
    return 0


if __name__ == "__main__":
    sys.exit(main())
