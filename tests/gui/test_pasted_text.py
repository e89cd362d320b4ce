"""Text pasted from Word into the window (Shift+Enter is \\x0b) is stored clean and every export succeeds."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from core import settings
from tests.ledger_fixtures import make_ledger

PASTED = "召开专题会议\x0b研究部署\r\n" + "".join(map(chr, range(1, 32))) + "\x7f\x85\x9f\u2028\ufffe\uffff完成"


@pytest.fixture
def session(tmp_path):
    from db.connection import open_db
    from gui.session import Session

    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    ids = make_ledger(db)
    db.conn.close()
    s = Session(tmp_path / "ledger.sqlite3")
    s.ids = ids
    yield s
    s.close()


def test_pasted_progress_and_fields_are_stored_clean_and_export(qtbot, session, tmp_path, monkeypatch):
    from core.export import export
    from gui.pages.ledger import LedgerPage
    from gui.print_preview import export_pdf

    shown = []
    monkeypatch.setattr("gui.entry_detail.show_error", lambda parent, exc, trace="": shown.append(str(exc)))
    page = LedgerPage(session, today=date(2024, 7, 10))
    qtbot.addWidget(page)
    entry_id = session.ids["1"]
    page.select_entry(entry_id)
    detail = page.detail
    detail.progress_date.setText("2024-07-02")
    detail.progress_text.setText(PASTED)
    qtbot.mouseClick(detail.add_progress_button, Qt.LeftButton)
    detail.edits["note"].setText("备注\x0b第二行\x07")
    detail._save_field("note")
    assert shown == []
    rows = list(session.db.query("SELECT text FROM progress WHERE entry_id = ?", [entry_id]))
    text = rows[0]["text"]
    assert text.startswith("召开专题会议") and text.endswith("完成")
    assert all(ch not in text for ch in "\x0b\r\x07\x1f\x7f\x85\x9f\u2028\ufffe\uffff")
    assert session.db["entries"].get(entry_id)["note"] == "备注\n第二行"
    for form, fmts in {"ledger": ("xlsx", "docx"), "summary": ("xlsx",)}.items():
        for fmt in fmts:
            out = tmp_path / f"{form}.{fmt}"
            export(session.db, form, fmt, out, year=2024, db_path=session.db_path)
            assert out.stat().st_size > 0
    pdf = export_pdf(session.db, "ledger", tmp_path / "ledger.pdf", year=2024)
    assert pdf["pages"] >= 1 and (tmp_path / "ledger.pdf").read_bytes()[:5] == b"%PDF-"
