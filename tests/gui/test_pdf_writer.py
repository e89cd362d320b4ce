"""The PDF writer trusts Qt only when Qt says it wrote the file."""

import pytest

from core.storage import atomic


def test_qt_reporting_failure_leaves_no_pdf(qapp, tmp_path, monkeypatch):
    """A PDF whose painter could not start (Qt says so) is an error, not an empty file."""
    from gui import print_preview

    monkeypatch.setattr("PySide6.QtGui.QPainter.isActive", lambda self: False)
    target = tmp_path / "汇总表.pdf"
    with pytest.raises(atomic.UserError, match="无法保存"):
        print_preview.write_pdf("<p>x</p>", target, landscape=True)
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_qt_wrote_is_kept(qapp, tmp_path):
    from gui import print_preview

    target = tmp_path / "表.pdf"
    assert print_preview.write_pdf("<p>正文</p>", target, landscape=False) == 1
    assert target.read_bytes()[:5] == b"%PDF-"
