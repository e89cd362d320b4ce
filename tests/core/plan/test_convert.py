"""Legacy .doc/.wps/.et: converted with LibreOffice, or a clear message without it."""

import shutil
import subprocess

import pytest

from core.errors import UserError
from core.plan import read_plan


def test_without_libreoffice_asks_to_save_as_docx(tmp_path, monkeypatch):
    path = tmp_path / "方案.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    monkeypatch.setattr("core.plan.convert.soffice_path", lambda: None)
    with pytest.raises(UserError, match="另存为"):
        read_plan(path)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_doc_is_converted(tmp_path, samples):
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(samples / "boshan-2024-plan.docx")], capture_output=True, timeout=120)
    doc = tmp_path / "boshan-2024-plan.doc"
    if not doc.exists():
        pytest.skip("LibreOffice could not write a .doc here")
    plan = read_plan(doc)
    assert len(plan.tasks) == 67 and plan.doc_no == "博政办字〔2024〕14号"
