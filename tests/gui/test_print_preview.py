"""PDFs written through Qt: their text layer holds the characters written, a task's rows stay on one page."""

import shutil
import subprocess

import pytest

from core.export.pdf import form_html, written_text
from gui.print_preview import export_pdf
from tests.core.export.sample_data import fill_ledger

REQUIREMENTS = [
    "集成式公开招商引资、招才引智、动能转换、重点产业、支持企业发展等方面政策文件并做好宣传解读",
    "加强行政机关权力配置信息公开，结合政府机构改革和职能优化，做好政府部门权责清单和机构职能信息的调整公开工作",
    "严格落实行政执法公示制度",
    "充分收集政府网站、政务服务大厅、12345政务服务便民热线等渠道反映的企业群众诉求，对政策中与企业群众生产生活密切相关的具体条款和事项，进行要点拆分、深度解读和综合指引，不断丰富解读内容，提高解读质量",
]


def page_texts(path) -> list[str]:
    """The text of each page (pdftotext, else pdfminer)."""
    if shutil.which("pdftotext"):
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return pages.split("\f")[:-1] if pages.endswith("\f") else pages.split("\f")
    pdfminer = pytest.importorskip("pdfminer.high_level")
    return pdfminer.extract_text(str(path)).split("\f")


def _sample_ledger(db, n=32):
    tasks = [{"seq": str(i), "category": ["以公开助推高水平开放、高质量招商引资" if i % 2 else "做好政策公开与解读回应"],
              "requirement": f"〔起{i}〕" + REQUIREMENTS[i % len(REQUIREMENTS)] + f"〔止{i}〕", "deadline": "",
              "measures": [], "status": "未开始", "progress": []} for i in range(1, n + 1)]
    fill_ledger(db, tasks=tasks)


def test_ledger_pdf_text_layer_and_rows_on_one_page(qapp, town_db, tmp_path):
    _sample_ledger(town_db)
    out = tmp_path / "台账.pdf"
    info = export_pdf(town_db, "ledger", out)
    pages = page_texts(out)
    assert info["pages"] == len(pages) <= 6
    text = "".join(pages)
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF], "radicals in the text layer"
    html, _ = form_html(town_db, "ledger")
    written = {c for c in written_text(html) if not c.isspace()}
    shown = {c for c in text if not c.isspace()}
    assert written - shown == set()
    for n in range(1, 33):  # a task's first and last line on the same page: never split
        on = [i for i, p in enumerate(pages) if f"〔起{n}〕" in "".join(p.split())]
        assert len(on) == 1 and f"〔止{n}〕" in "".join(pages[on[0]].split()), n
    first = "".join(pages[0].split())
    assert "填报单位：城东街道" in first and "填报日期：" in first
    assert all("工作任务" in "".join(p.split()) for p in pages)  # the header on every page
