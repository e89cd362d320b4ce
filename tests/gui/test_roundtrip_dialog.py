"""The round trip's preview in the window: rows that cannot be applied are shown with their reason;
a new row typed in Excel becomes a progress line only when the user ticks the box."""

from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog

from core import settings
from tests.gui.conftest import wait_idle
from tests.ledger_fixtures import make_ledger


def _session(tmp_path):
    from db.connection import open_db
    from gui.session import Session

    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    ids = make_ledger(db)
    db.conn.close()
    session = Session(tmp_path / "ledger.sqlite3")
    session.ids = ids
    return session


def _edited_workbook(session, tmp_path):
    from core.export.ledger_xlsx import write_xlsx

    path = tmp_path / "台账.xlsx"
    write_xlsx(session.db, path)
    wb = load_workbook(path)
    ws = wb["工作任务台账"]
    ws.insert_rows(5)
    ws["K5"] = "已在网站发布解读"  # a new row typed under task 1
    ws["A6"] = "9"  # task 2's 序号 changed: its row no longer proves whose it is
    ws["F6"] = "换了领导"
    wb.save(path)
    return path


def _run(qtbot, session, path, monkeypatch, tick: bool) -> dict:
    from gui.pages import exchange

    shown = {}

    def fake_exec(dialog):
        shown["rows"] = dialog.model.rowCount()
        shown["box"] = dialog.unmatched_box.isVisibleTo(dialog)
        shown["apply"] = dialog.apply_button.isEnabled()
        dialog.unmatched_box.setChecked(tick)
        shown["apply_after"] = dialog.apply_button.isEnabled()
        dialog.resize(1024, 400)
        dialog.grab().save("/tmp/roundtrip_unmatched_dialog.png")
        return QDialog.Accepted if tick else QDialog.Rejected

    monkeypatch.setattr(exchange.RoundtripDialog, "exec", fake_exec)
    page = exchange.ExchangePage(session)
    qtbot.addWidget(page)
    page.roundtrip_file(str(path))
    qtbot.waitUntil(lambda: "box" in shown, timeout=20000)
    wait_idle(qtbot)
    return shown


def test_new_row_is_added_only_when_confirmed(qtbot, tmp_path, quiet, monkeypatch):
    session = _session(tmp_path)
    try:
        path = _edited_workbook(session, tmp_path)
        shown = _run(qtbot, session, path, monkeypatch, tick=False)
        assert shown["rows"] == 2 and shown["box"] and not shown["apply"]  # nothing appliable until the box is ticked
        assert session.db.execute("SELECT count(*) FROM progress").fetchone()[0] == 0
        shown = _run(qtbot, session, path, monkeypatch, tick=True)
        assert shown["apply_after"]
        qtbot.waitUntil(lambda: session.db.execute("SELECT count(*) FROM progress").fetchone()[0] == 1, timeout=20000)
        row = session.db.execute("SELECT entry_id, text FROM progress").fetchone()
        assert row == (session.ids["1"], "已在网站发布解读")
        assert session.db["entries"].get(session.ids["2"])["leader"] in (None, "")  # the refused row changed nothing
    finally:
        session.close()
