"""PDF plans: made by LibreOffice from generated .docx files (ruled tables, a landscape attachment
with a two-row header, a table running over pages), a scan with no text layer, an encrypted file."""

import subprocess

import pytest

from core.errors import UserError
from core.plan import read_plan

U, L = "^", "<"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """{name: PDF path} for the documents below, converted by one LibreOffice run."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import NOTICE, write_docx
    from core.plan.convert import soffice_path

    program = soffice_path()
    if not program:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    sources = [write_docx(folder / f"{name}.docx", parts, ruled=True) for name, parts in documents(NOTICE).items()]
    out = folder / "out"
    subprocess.run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(out)] + [str(s) for s in sources],
                   capture_output=True, timeout=300, check=False, stdin=subprocess.DEVNULL)
    found = {s.stem: out / f"{s.stem}.pdf" for s in sources}
    if not all(p.exists() for p in found.values()):
        pytest.skip("LibreOffice could not convert the test documents")
    return found


LANDSCAPE_HEADER = [
    ["序号", "工作任务", L, "工作要求", "责任单位", L, "完成时限"],
    [U, "一级任务", "二级任务", U, "牵头单位", "配合单位", U],
]


def landscape_rows(count=30):
    """A two-level task table long enough to run over two landscape pages."""
    rows = [list(r) for r in LANDSCAPE_HEADER]
    for i in range(1, count + 1):
        first = "推进决策公开" if i <= count // 2 else "优化平台建设"
        second = f"第{(i - 1) // 5 + 1}组任务"
        rows.append([str(i),
                     first if i in (1, count // 2 + 1) else U,
                     second if (i - 1) % 5 == 0 else U,
                     f"做好第{i}项政务公开工作，按要求公开相关信息并做好解读回应",
                     "县政府办公室" if i % 3 else "县司法局",
                     "各镇人民政府" if i % 2 else "",
                     "6月底前" if i % 4 else "长期坚持"])
    return rows


def documents(notice):
    return {
        "portrait": notice + ["PAGE", "附件", "2024年测试县政务公开重点任务分解表",
                              [["序号", "工作任务", "工作要求", "责任单位", "时限要求"]] +
                              [[str(i), "推进决策公开" if i == 1 else U, f"第{i}项工作要求，做好相关信息公开工作并及时更新",
                                "各镇人民政府", "6月底前" if i % 2 else U] for i in range(1, 41)]],
        "landscape": notice + ["LANDSCAPE", "附件", "2024年测试县政务公开重点任务分解表", landscape_rows()],
        "notice": list(notice),
    }


def test_libreoffice_pdf_of_a_docx_reads_every_row_and_the_notice(pdfs):
    plan = read_plan(pdfs["portrait"])
    assert len(plan.tasks) == 40
    assert [t.seq for t in plan.tasks] == [str(i) for i in range(1, 41)]
    for i, task in enumerate(plan.tasks, start=1):
        assert task.requirement == f"第{i}项工作要求，做好相关信息公开工作并及时更新"
        assert task.category == ["推进决策公开"] and task.units == "各镇人民政府" and task.deadline == "6月底前"
    assert (plan.title, plan.doc_no, plan.issuer, plan.issued) == (
        "2024年测试县政务公开工作要点", "测政办字〔2024〕7号", "测试县人民政府办公室", "2024-04-08")
    assert {"what": "工作台账", "date": "2024-05-31"} in plan.report_dates
    assert all(t.page and t.source.startswith(f"第{t.page}页") for t in plan.tasks)
    assert plan.tasks[-1].page > plan.tasks[0].page  # the table runs over pages
    cut = [t for t in plan.tasks if "requirement" in t.joined]
    assert all(t.requirement.endswith("及时更新") for t in cut)  # rows a page break cut are whole again


def test_landscape_pages_with_a_two_row_header(pdfs):
    import pdfplumber

    with pdfplumber.open(str(pdfs["landscape"])) as pdf:
        assert any(page.width > page.height for page in pdf.pages)
    plan = read_plan(pdfs["landscape"])
    want = landscape_rows()[2:]
    assert len(plan.tasks) == len(want)
    for task, row in zip(plan.tasks, want):
        i = int(row[0])
        first = "推进决策公开" if i <= 15 else "优化平台建设"
        lead, assist = row[4], row[5]
        units = f"{lead}牵头，{assist}配合" if assist else lead
        assert (task.seq, task.category, task.requirement, task.units, task.deadline) == (
            row[0], [first, f"第{(i - 1) // 5 + 1}组任务"], row[3], units, row[6]), task
    assert len({t.page for t in plan.tasks}) >= 2


def test_a_scanned_pdf_is_refused_in_chinese(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for y in range(200, 1500, 60):  # a ruled table, as pixels only
        draw.line((100, y, 1140, y), fill="black", width=3)
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=150)
    with pytest.raises(UserError) as caught:
        read_plan(path)
    assert "这是扫描件，没有可读取的文字" in str(caught.value)
    assert "请向县里索取 Word 版或可复制文字的 PDF" in str(caught.value)


def encrypted_pdf(path):
    """A PDF whose standard security handler needs a password the reader does not have."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, b"ab" * 16, b"ab" * 16, xref)
    path.write_bytes(bytes(out))
    return path


def test_an_encrypted_pdf_is_refused_in_chinese(tmp_path):
    with pytest.raises(UserError) as caught:
        read_plan(encrypted_pdf(tmp_path / "locked.pdf"))
    assert "密码" in str(caught.value) and "PDF" in str(caught.value)


def test_a_damaged_pdf_is_one_chinese_sentence(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(UserError) as caught:
        read_plan(path)
    assert "PDF" in str(caught.value)


def test_a_text_pdf_without_a_ruled_task_table_says_so(tmp_path, pdfs):
    import shutil

    import pdfplumber

    with pdfplumber.open(str(pdfs["portrait"])) as pdf:
        assert pdf.pages[0].extract_text()  # the notice page has text
    single = tmp_path / "notice-only.pdf"
    shutil.copy(pdfs["notice"], single)
    with pytest.raises(UserError) as caught:
        read_plan(single)
    assert "带表格线" in str(caught.value) and "Word 版" in str(caught.value)
