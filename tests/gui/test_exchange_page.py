"""数据交换 page: importing many packages in the background, unit states, conflicts, round trip."""

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog

from core import ledger, records, settings
from core.exchange.packs import pack, unpack
from tests.core.exchange.conftest import COUNTY, make_plan
from tests.gui.conftest import wait_idle


@pytest.fixture
def county_session(tmp_path):
    from gui.session import Session

    s = Session(tmp_path / "county" / "ledger.sqlite3")
    settings.set_profile(s.db, COUNTY, "县政府办公室", "汇总单位")
    make_plan(s.db)
    yield s
    s.close()


def unit_reports(session, tmp_path, names):
    """For each unit name: a unit database fed by a 任务包, with one progress line, and its 报送包."""
    from db.connection import open_db

    paths = []
    for name in names:
        task = tmp_path / f"{name}-任务包.zwgk"
        pack(session.db, session.db_path, "task", task, unit=name)
        unit = open_db(tmp_path / name / "ledger.sqlite3")
        settings.set_profile(unit, name, "街道", "填报单位")
        unpack(unit, tmp_path / name / "ledger.sqlite3", [task])
        entry = ledger.list_entries(unit)[0]
        ledger.add_progress(unit, entry["id"], "2024-07-01", f"{name}召开会议")
        path = tmp_path / "inbox" / f"{name}-报送包.zwgk"
        pack(unit, tmp_path / name / "ledger.sqlite3", "report", path)
        unit.conn.close()
        paths.append(path)
    return paths


def test_folder_import_shows_a_report_row_per_file_and_unit_states(qtbot, county_session, tmp_path, quiet):
    from gui.pages.exchange import ExchangePage

    paths = unit_reports(county_session, tmp_path, ["城东街道", "山头街道"])
    (tmp_path / "inbox" / "坏包.zwgk").write_bytes(b"not a zip")
    page = ExchangePage(county_session)
    qtbot.addWidget(page)
    assert page.export_task_button.isVisibleTo(page) and not page.export_report_button.isVisibleTo(page)
    page.import_paths([tmp_path / "inbox"])
    wait_idle(qtbot)
    model = page.report_model
    assert model.rowCount() == 3
    rows = {model.value(r, 0): [model.value(r, c) for c in range(model.columnCount())] for r in range(3)}
    assert rows["城东街道-报送包.zwgk"][1] == "报送包" and rows["城东街道-报送包.zwgk"][3] == "3"
    assert rows["坏包.zwgk"][-1].startswith("未导入：")
    states = {page.state_model.value(r, 0): page.state_model.value(r, 1) for r in range(page.state_model.rowCount())}
    assert states == {"城东街道": "2", "山头街道": "2"}
    page.resize(1100, 700)
    page.grab().save("/tmp/exchange_page_county.png")
    assert paths


def test_dropped_files_are_imported(qtbot, county_session, tmp_path, quiet):
    from gui.pages.exchange import ExchangePage

    [path] = unit_reports(county_session, tmp_path, ["城东街道"])
    page = ExchangePage(county_session)
    qtbot.addWidget(page)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dropEvent(event)
    wait_idle(qtbot)
    assert page.report_model.rowCount() == 1 and page.last_report["new"] == 3


def test_conflicts_are_listed_and_restored(qtbot, county_session, tmp_path, quiet):
    from gui.pages.exchange import ExchangePage

    [path] = unit_reports(county_session, tmp_path, ["城东街道"])
    unpack(county_session.db, county_session.db_path, [path])
    entry_id = county_session.db.execute("SELECT id FROM entries ORDER BY id LIMIT 1").fetchone()[0]
    with county_session.db.atomic():
        records.update(county_session.db, "entries", entry_id, {"note": "县里备注"})
    from db.connection import open_db

    unit = open_db(tmp_path / "城东街道" / "ledger.sqlite3")
    with unit.atomic():
        records.update(unit, "entries", entry_id, {"note": "单位备注"})
        records.update(unit, "entries", entry_id, {"office": "党政办"})
    pack(unit, tmp_path / "城东街道" / "ledger.sqlite3", "report", tmp_path / "r2.zwgk")
    unit.conn.close()

    page = ExchangePage(county_session)
    qtbot.addWidget(page)
    page.import_paths([tmp_path / "r2.zwgk"])
    wait_idle(qtbot)
    assert page.conflict_model.rowCount() == 1
    assert "note" in page.conflict_model.value(0, 3)
    page.conflict_view.selectRow(0)
    page.restore_selected()
    assert county_session.db["entries"].get(entry_id)["note"] == "县里备注"
    assert page.conflict_model.rowCount() == 0


def test_unit_round_trip_confirm_table(qtbot, tmp_path, quiet, monkeypatch):
    from openpyxl import load_workbook

    from core.export.ledger_xlsx import write_xlsx
    from gui.pages import exchange
    from gui.session import Session

    county = Session(tmp_path / "c.sqlite3")
    settings.set_profile(county.db, COUNTY, "县政府办公室", "汇总单位")
    make_plan(county.db)
    pack(county.db, county.db_path, "task", tmp_path / "t.zwgk", unit="城东街道")
    county.close()
    session = Session(tmp_path / "u.sqlite3")
    settings.set_profile(session.db, "城东街道", "街道", "填报单位")
    unpack(session.db, session.db_path, [tmp_path / "t.zwgk"])
    path = tmp_path / "台账.xlsx"
    write_xlsx(session.db, path)
    wb = load_workbook(path)
    wb["工作任务台账"]["F4"] = "王副镇长"
    wb.save(path)

    shown = {}

    def fake_exec(dialog):
        shown["rows"] = dialog.model.rowCount()
        dialog.resize(900, 300)
        dialog.grab().save("/tmp/exchange_roundtrip_dialog.png")
        return QDialog.Accepted

    monkeypatch.setattr(exchange.RoundtripDialog, "exec", fake_exec)
    page = exchange.ExchangePage(session)
    qtbot.addWidget(page)
    assert page.export_report_button.isVisibleTo(page) and not page.state_group.isVisibleTo(page)
    page.drop_paths([str(path)])
    wait_idle(qtbot)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: session.db.execute("SELECT count(*) FROM entries WHERE leader = '王副镇长'").fetchone()[0] == 1)
    assert shown["rows"] == 1
    session.close()


def test_a_hand_made_ledger_at_the_county_asks_whose_it_is(qtbot, county_session, tmp_path, quiet, monkeypatch):
    from openpyxl import Workbook
    from PySide6.QtWidgets import QInputDialog

    from gui.pages import exchange

    unpack(county_session.db, county_session.db_path, unit_reports(county_session, tmp_path, ["城东街道"]))
    wb = Workbook()
    ws = wb.active
    ws.append(["城东街道政务公开工作台账"])
    ws.append(["序号", "工作任务", "工作举措", "分管领导", "责任科室", "完成情况"])
    first = ledger.list_entries(county_session.db, unit="城东街道")[0]
    ws.append([first["seq"], first["requirement"], "", "周主任", "", ""])
    path = tmp_path / "城东街道手工台账.xlsx"
    wb.save(path)

    asked, shown = [], {}
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(
        lambda parent, title, label, items, current, editable: (asked.append(list(items)) or ("城东街道", True))))
    monkeypatch.setattr(exchange.RoundtripDialog, "exec", lambda dialog: shown.setdefault("rows", dialog.model.rowCount()) and QDialog.Rejected)
    page = exchange.ExchangePage(county_session)
    qtbot.addWidget(page)
    page.roundtrip_file(str(path))
    qtbot.waitUntil(lambda: "rows" in shown, timeout=20000)
    assert asked == [["城东街道"]]
    assert shown["rows"] >= 1
    assert quiet == []  # no error dialog
