"""Reading a plan file of any supported kind into a ParsedPlan."""

import hashlib
from pathlib import Path

from core.errors import UserError
from core.plan.model import ParsedPlan
from core.plan.safety import open_zip, sniff

_SHEET_SUFFIXES = (".xls", ".et", ".ett", ".xlt")


def file_sha256(path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_blocks(path, allow_convert: bool = True, progress=None) -> list:
    """The file's paragraphs and tables as Blocks, whatever its real format."""
    path = Path(path)
    kind = sniff(path)
    name = path.name
    if kind == "empty":
        raise UserError(f"文件“{name}”是空的（0 字节）。请重新下载或从邮件/OA 附件中重新保存后再导入。")
    if kind == "too-big":
        raise UserError(f"文件“{name}”过大（超过 200 MB），不像是工作方案。请确认选择的文件是否正确。")
    if kind == "pdf":
        from core.plan.pdf_reader import read_pdf_blocks

        return read_pdf_blocks(path, progress)
    if kind == "ole-encrypted":
        raise UserError(f"文件“{name}”有密码保护，无法读取。请在 WPS/Word 中输入密码打开，取消密码后另存为 .docx 再导入。")
    if kind == "zip":
        return _read_office_zip(path)
    if kind in ("ole", "rtf") and allow_convert:
        from core.plan.convert import converted

        target = "xlsx" if path.suffix.lower() in _SHEET_SUFFIXES else "docx"
        with converted(path, target) as result:
            return read_blocks(result, allow_convert=False)
    if kind == "html":
        from core.plan.html_reader import read_html_blocks

        return read_html_blocks(path)
    if kind == "mht":
        raise UserError(f"文件“{name}”是网页存档（MHT）格式。请在 WPS/Word 中打开后另存为 .docx 再导入。")
    raise UserError(f"无法识别文件“{name}”的格式（不是 Word/Excel/WPS 文档）。请选择县里下发的方案原件（.docx、.xlsx、.doc、.wps）。")


def _read_office_zip(path: Path) -> list:
    """Blocks of a .docx or .xlsx, told apart by their parts rather than their names."""
    with open_zip(path, kind="docx" if path.suffix.lower() != ".xlsx" else "xlsx") as archive:
        names = set(archive.namelist())
    if "word/document.xml" in names:
        from core.plan.docx_reader import read_docx_blocks

        return read_docx_blocks(path)
    if "xl/workbook.xml" in names:
        from core.plan.xlsx_reader import read_xlsx_blocks

        return read_xlsx_blocks(path)
    raise UserError(f"文件“{path.name}”不是 Word 或 Excel 文档（可能是其他压缩包）。请选择 .docx 或 .xlsx 格式的方案文件。")


def _paragraph_texts(blocks) -> list:
    """Body paragraphs; for a workbook, the lines of its sheets outside the task rows
    (a cover sheet, title rows, a signature block: see xlsx_reader.sheet_lines)."""
    texts = [b.text for b in blocks if b.kind == "p"]
    if texts:
        return texts
    from core.plan.xlsx_reader import sheet_lines

    for block in blocks:
        texts.extend(sheet_lines(block.rows))
    return texts


def read_plan(path, progress=None) -> ParsedPlan:
    """Read a plan file (.docx/.xlsx/.doc/.wps/.et/HTML/PDF) into a ParsedPlan; UserError when unusable.

    `progress(fraction, message)` is called at each step when given (for the window).
    """
    from core.plan.metadata import read_metadata
    from core.plan.table_logic import tasks_from_blocks

    path = Path(path)
    report = progress or (lambda fraction, message: None)
    report(0.05, "正在读取文件…")
    blocks = read_blocks(path, progress=lambda f: report(0.05 + 0.5 * f, "正在读取 PDF 页面…"))
    report(0.6, "正在识别任务分解表…")
    warnings = []
    tasks = tasks_from_blocks(blocks, warnings)
    if not tasks:
        from core.plan.prose import tasks_from_paragraphs

        tasks = tasks_from_paragraphs([b.text for b in blocks if b.kind == "p"], warnings)
    if not tasks and sniff(path) == "pdf":
        raise UserError(f"在 PDF“{path.name}”中没有找到带表格线的重点工作任务分解表（需有“序号”“工作任务/工作要求”“责任单位”等表头）。请向县里索取 Word 版，或确认选择的是含任务分解表的方案文件。")
    if not tasks:
        raise UserError(f"在“{path.name}”中没有找到重点工作任务分解表（需有“序号”“工作任务/工作要求”“责任单位”等表头）。请确认选择的是含任务分解表的方案文件。")
    report(0.85, "正在读取文号和日期…")
    meta = read_metadata(_paragraph_texts(blocks), [t.requirement for t in tasks])
    from core.plan.deadline_text import add_requirement_deadlines

    add_requirement_deadlines(tasks, meta["year"])
    plan = ParsedPlan(tasks=tasks, warnings=warnings, source_name=path.name, source_sha256=file_sha256(path), **meta)
    if plan.year is None:
        plan.warnings.append("未能从标题中识别年度，请在导入后核对。")
    report(1.0, f"共识别 {len(tasks)} 项任务。")
    return plan
