"""概览 page: counts, overdue / due-soon lists, duty targets, category bars, notice."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from core import ledger, settings
from core.ledger import duties
from tests.ledger_fixtures import make_ledger


@pytest.fixture
def session(tmp_path):
    from db.connection import open_db
    from gui.session import Session

    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    ids = make_ledger(db)
    ledger.update_entry(db, ids["3"], {"status": "已完成"})
    ledger.add_progress(db, ids["2"], "2024-05-01", "第一次政策评价", duty="政策评价")
    db.conn.close()
    s = Session(tmp_path / "ledger.sqlite3")
    s.ids = ids
    yield s
    s.close()


def make_page(qtbot, session, today):
    from gui.pages.overview import OverviewPage

    page = OverviewPage(session, today=today)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.figures_shown, timeout=10000):
        pass  # the figures are computed in the background
    return page


def texts(widget):
    return [widget.item(i).text() for i in range(widget.count())]


def test_counts_lists_and_notice(qtbot, session):
    page = make_page(qtbot, session, date(2024, 12, 27))
    assert "已完成</b> 1" in page.counts.text() and "逾期</b> 1" in page.counts.text()
    assert [t.split("　")[0] for t in texts(page.overdue)] == ["序号5"]
    assert [t.split("　")[0] for t in texts(page.soon)] == ["序号2"]  # 12-31 is within 10 working days
    assert page.overdue.item(0).data(Qt.UserRole) == session.ids["5"]
    assert not page.banner.isHidden()
    assert "1 项任务已逾期" in page.banner.text() and "3 个工作日内到期" in page.banner.text()


def test_no_notice_when_nothing_is_pressing(qtbot, session):
    ledger.update_entry(session.db, session.ids["5"], {"status": "已完成"})
    page = make_page(qtbot, session, date(2024, 7, 10))
    assert page.banner.isHidden()
    assert texts(page.overdue) == ["（无）"]


def test_double_click_opens_entry(qtbot, session):
    page = make_page(qtbot, session, date(2024, 12, 24))
    with qtbot.waitSignal(page.open_entry_requested) as blocker:
        page.overdue.itemDoubleClicked.emit(page.overdue.item(0))
    assert blocker.args == [session.ids["5"]]


def test_duties_and_editable_targets(qtbot, session):
    page = make_page(qtbot, session, date(2024, 7, 10))
    spin, done = page.duty_widgets["政策评价"]
    assert spin.value() == 2 and done.text() == "已完成 1 次"
    spin.setValue(1)
    with qtbot.waitSignal(page.figures_shown, timeout=10000):
        spin.editingFinished.emit()
    assert {t["name"]: t["target"] for t in duties.targets(session.db, 2024)}["政策评价"] == 1
    assert page.duty_widgets["政策评价"][1].text() == "已完成 1 次 ✓"


def test_long_lists_stop_at_the_limit_and_say_how_many_more(qtbot, monkeypatch, session):
    from core.ledger import overview

    monkeypatch.setattr(overview, "ATTENTION_LIMIT", 1)
    for seq in ("1", "2", "3", "4"):
        ledger.update_entry(session.db, session.ids[seq], {"due_override": "2024-01-31"})
    page = make_page(qtbot, session, date(2024, 7, 10))
    shown = texts(page.overdue)
    assert len(shown) == 2 and shown[0].startswith("序号") and "另有 3 项" in shown[1]  # 4 overdue (3 is done)
    assert "逾期</b> 4" in page.counts.text()


def test_category_bars(qtbot, session, tmp_path):
    page = make_page(qtbot, session, date(2024, 7, 10))
    items = {i["category"]: (i["done"], i["total"]) for i in page.bars.items}
    assert items == {"推进政策解读": (0, 2), "加强平台建设": (1, 2), "强化工作保障": (0, 1)}
    page.resize(1200, 800)
    assert not page.bars.grab().isNull()


def test_main_window_opens_entry_from_overview(qtbot, session):
    from gui.main_window import MainWindow

    window = MainWindow(session.db_path, ask_profile=False)
    qtbot.addWidget(window)
    overview_page = window.page("概览")
    overview_page.open_entry_requested.emit(session.ids["4"])
    ledger_page = window.stack.currentWidget()
    assert ledger_page is window.page("任务台账")
    assert ledger_page.detail.entry["id"] == session.ids["4"]


def test_counts_add_up_and_overdue_is_a_line_of_its_own(qtbot, session):
    page = make_page(qtbot, session, date(2024, 12, 27))
    first, second = page.counts.text().split("<br>")
    assert "共 <b>5</b> 项任务" in first and "逾期" not in first
    assert "其中 <b>逾期</b> 1 项" in second
    shown = texts(page.overdue)
    assert "逾期 " in shown[0] and "个工作日" in shown[0] and page.overdue.wordWrap()


def test_empty_ledger_shows_the_import_button_and_takes_a_dropped_plan(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from db.connection import open_db
    from gui.pages.overview import OverviewPage
    from gui.session import Session

    db = open_db(tmp_path / "empty.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    db.conn.close()
    s = Session(tmp_path / "empty.sqlite3")
    try:
        window = type("W", (), {"session": s})()
        page = OverviewPage(s, today=date(2024, 7, 10))
        page.empty.window_ = window
        qtbot.addWidget(page)
        page.resize(1024, 700)
        page.show()
        assert page.empty.isVisible() and not page.figures_widget.isVisible()
        assert page.empty.button.text() == "导入方案…" and page.empty.button.isEnabled()
        opened = []
        monkeypatch.setattr("gui.import_dialog.choose_and_import", lambda w, path=None: opened.append((w, path)))
        page.empty.button.click()
        plan = tmp_path / "方案.docx"
        plan.write_bytes(b"")
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(plan))])
        drop = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        page.empty.dropEvent(drop)
        assert opened == [(window, None), (window, str(plan))]
    finally:
        s.close()


def test_calendar_warning_with_the_notice_button(qtbot, session):
    from core.calendar import workdays

    page = make_page(qtbot, session, date(max(workdays.shipped_years()), 11, 20))
    assert not page.calendar_box.isHidden() and "放假安排" in page.calendar_text.text()
    assert page.calendar_button.text() == "导入放假通知…"
    quiet = make_page(qtbot, session, date(2024, 7, 10))
    assert quiet.calendar_box.isHidden()
