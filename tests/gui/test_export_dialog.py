"""导出…: the folder is remembered per kind of file."""

import pytest
from PySide6.QtCore import QSettings

from tests.core.export.sample_data import fill_ledger


@pytest.fixture(autouse=True)
def clean_settings():
    QSettings().remove("export")
    yield
    QSettings().remove("export")


def test_export_folder_remembered_per_kind_of_file(qtbot, tmp_path, monkeypatch):
    from core import settings
    from db.connection import open_db
    from gui import export_dialog
    from gui.session import Session

    db = open_db(tmp_path / "l.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    fill_ledger(db)
    db.conn.close()
    session = Session(tmp_path / "l.sqlite3")
    try:
        words, sheets = tmp_path / "word", tmp_path / "excel"
        words.mkdir()
        sheets.mkdir()
        monkeypatch.setattr(export_dialog, "offer_open", lambda parent, path: None)
        dialog = export_dialog.ExportDialog(session, None, "ledger")
        qtbot.addWidget(dialog)
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
        dialog.path_edit.setText(str(words / "台账.docx"))
        dialog.start()
        qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=20000)
        export_dialog.remember_folder("ledger", "xlsx", sheets)

        again = export_dialog.ExportDialog(session, None, "ledger")
        qtbot.addWidget(again)
        again.format_box.setCurrentIndex(again.format_box.findData("docx"))
        assert again.path_edit.text().startswith(str(words))
        again.format_box.setCurrentIndex(again.format_box.findData("xlsx"))
        assert again.path_edit.text().startswith(str(sheets))
        # a kind never saved before: the latest export folder
        assert export_dialog.remembered_folder("open-activity-plan", "docx") == sheets
        sheets.rmdir()  # a folder that is gone is passed over
        assert export_dialog.remembered_folder("ledger", "xlsx") != sheets
    finally:
        session.close()


def test_window_exports_the_evidence_bundle(qtbot, tmp_path, monkeypatch):
    import zipfile

    from core import settings
    from db.connection import open_db
    from gui import export_dialog
    from gui.main_window import MainWindow

    db = open_db(tmp_path / "l.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    fill_ledger(db)
    db.conn.close()
    window = MainWindow(tmp_path / "l.sqlite3", ask_profile=False)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(export_dialog, "offer_open", lambda parent, path: opened.append(path))
    out = tmp_path / "bundle.zip"
    export_dialog.export_evidence(window, 2024, str(out))
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    assert opened == [str(out)] and zipfile.is_zipfile(out)
    assert export_dialog.remembered_folder("evidence", "zip") == tmp_path
    assert any(a.text().startswith("导出佐证材料包") for a in window.menuBar().actions()[0].menu().actions())
