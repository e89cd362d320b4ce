"""任务台账 page driven through its widgets; the database is checked afterwards."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt

from core import ledger, settings
from gui.ledger_model import COLUMNS
from tests.ledger_fixtures import make_ledger

JULY = date(2024, 7, 10)


@pytest.fixture(autouse=True)
def clean_settings():
    QSettings().remove("ledger")
    yield
    QSettings().remove("ledger")


@pytest.fixture
def session(tmp_path):
    from db.connection import open_db
    from gui.session import Session

    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    session_ids = make_ledger(db)
    db.conn.close()
    s = Session(tmp_path / "ledger.sqlite3")
    s.ids = session_ids
    yield s
    s.close()


@pytest.fixture
def errors(monkeypatch):
    """Collect the messages that would be shown in a dialog."""
    shown = []
    monkeypatch.setattr("gui.entry_detail.show_error", lambda parent, exc, trace="": shown.append(str(exc)))
    monkeypatch.setattr("gui.pages.ledger.show_error", lambda parent, exc, trace="": shown.append(str(exc)))
    return shown


@pytest.fixture
def page(qtbot, session):
    from gui.pages.ledger import LedgerPage

    widget = LedgerPage(session, today=JULY)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return widget


def col(key):
    return [c[0] for c in COLUMNS].index(key)


def shown_seqs(page):
    return [page.model.index(r, col("seq")).data() for r in range(page.model.rowCount())]


def test_opens_with_every_entry_and_colours_overdue(page):
    assert shown_seqs(page) == ["1", "2", "3", "4", "5"]
    assert page.year.currentData() == 2024
    headers = [page.model.headerData(i, Qt.Horizontal) for i in range(page.model.columnCount())]
    assert headers[:7] == ["序号", "工作任务", "状态", "截止/剩余", "工作举措", "分管领导", "责任科室"] and "最近进展" in headers
    assert page.model.index(4, col("status")).data() == "未开始（逾期）"
    assert page.model.index(4, col("due")).data() == "2024-06-30"
    assert page.model.index(4, 0).data(Qt.BackgroundRole) is not None
    assert page.model.index(2, col("due")).data() == "—"


def test_filters_and_search_box(qtbot, page):
    page.status.setCurrentIndex(page.status.findData("逾期"))
    assert shown_seqs(page) == ["5"]
    page.status.setCurrentIndex(0)
    page.category.setCurrentIndex(page.category.findData("加强平台建设"))
    assert shown_seqs(page) == ["3", "4"]
    page.category.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "zcpj")
    qtbot.waitUntil(lambda: shown_seqs(page) == ["2"])
    page.search.clear()
    page.search.setText("培训")  # typed through an input method
    qtbot.waitUntil(lambda: shown_seqs(page) == ["5"])
    assert page.count_label.text() == "共 1 项"
    page.search.clear()
    page.due.setCurrentIndex(page.due.findData("none"))
    assert shown_seqs(page) == ["1", "3"]


def test_sort_by_header(page):
    page.view.horizontalHeader().setSortIndicator(col("due"), Qt.AscendingOrder)
    assert shown_seqs(page)[:3] == ["5", "2", "4"]
    page.view.horizontalHeader().setSortIndicator(col("seq"), Qt.DescendingOrder)
    assert shown_seqs(page) == ["5", "4", "3", "2", "1"]


def test_edit_measures_then_undo(page, session):
    entry_id = session.ids["2"]
    assert page.select_entry(entry_id)
    page.detail.measures.setPlainText("制定评价方案\n开展第一次评价")
    page.detail.measures.editingFinished.emit()
    assert ledger.measures_of(session.db, entry_id) == ["制定评价方案", "开展第一次评价"]
    assert page.model.index(1, col("measures")).data() == "制定评价方案 等2条"
    page.undo()
    assert ledger.measures_of(session.db, entry_id) == []
    assert page.detail.measures.toPlainText() == ""
    labels = [h["label"] for h in ledger.history(session.db, entry_id)]
    assert labels.count("工作举措·删除") == 2  # the undo is itself recorded
    page.undo_stack.redo()
    assert ledger.measures_of(session.db, entry_id) == ["制定评价方案", "开展第一次评价"]


def test_table_cell_edit_and_undo(page, session):
    index = page.model.index(0, col("leader"))
    assert page.model.setData(index, "王五")
    assert session.db["entries"].get(session.ids["1"])["leader"] == "王五"
    assert index.data() == "王五"
    assert page.model.setData(page.model.index(0, col("status")), "已完成")
    row = session.db["entries"].get(session.ids["1"])
    assert row["status"] == "已完成" and row["completed_on"] == "2024-07-10"
    page.undo()
    row = session.db["entries"].get(session.ids["1"])
    assert row["status"] == "未开始" and row["completed_on"] is None and row["leader"] == "王五"
    page.undo()
    assert session.db["entries"].get(session.ids["1"])["leader"] == ""


def test_detail_fields_and_bad_date(page, session, errors):
    entry_id = session.ids["3"]
    page.select_entry(entry_id)
    page.detail.edits["office"].setText("党政办")
    page.detail.edits["office"].editingFinished.emit()
    assert session.db["entries"].get(entry_id)["office"] == "党政办"
    page.detail.edits["completed_on"].setText("2024.2.30")
    page.detail.edits["completed_on"].editingFinished.emit()
    assert errors and "不存在" in errors[-1]
    assert session.db["entries"].get(entry_id)["completed_on"] is None
    assert page.detail.edits["completed_on"].text() == "2024.2.30"  # kept for correction
    page.detail.edits["completed_on"].setText("7月1日")
    page.detail.edits["completed_on"].editingFinished.emit()
    assert session.db["entries"].get(entry_id)["completed_on"] == "2024-07-01"
    page.detail.status.setCurrentText("推进中")
    page.detail.status.activated.emit(1)
    assert session.db["entries"].get(entry_id)["status"] == "推进中"
    history = page.detail.history
    assert history.topLevelItemCount() >= 3


def test_add_progress_with_attachment_and_undo(qtbot, page, session, tmp_path, errors):
    entry_id = session.ids["1"]
    page.select_entry(entry_id)
    evidence = tmp_path / "解读:截图?.png"
    evidence.write_bytes(b"\x89PNG evidence")
    d = page.detail
    d.progress_date.setText("2024年7月2日")
    d.progress_text.setText("在政府网站发布图解解读")
    d.link_edit.setText("https://www.example.gov.cn/jd/1.html")
    d.progress_duty.setCurrentIndex(d.progress_duty.findData("政策解读形式"))
    d.add_pending_files([str(evidence), str(tmp_path / "missing.pdf")])
    assert errors and "找不到文件" in errors[-1]
    qtbot.mouseClick(d.add_progress_button, Qt.LeftButton)
    rows = list(session.db.query("SELECT * FROM progress WHERE entry_id = ?", [entry_id]))
    assert len(rows) == 1 and rows[0]["date"] == "2024-07-02" and rows[0]["duty"] == "政策解读形式"
    atts = {a["kind"]: a for a in session.db.query("SELECT * FROM attachments WHERE progress_id = ?", [rows[0]["id"]])}
    assert set(atts) == {"file", "link"}
    stored = tmp_path / "ledger-attachments" / atts["file"]["stored_name"]
    assert stored.read_bytes() == b"\x89PNG evidence" and atts["file"]["name"] == "解读:截图?.png"
    assert d.progress.topLevelItemCount() == 1 and d.progress.topLevelItem(0).childCount() == 2
    assert page.model.index(0, col("latest")).data() == "2024-07-02 在政府网站发布图解解读"
    assert d.pending_files == [] and d.progress_text.text() == ""
    page.undo()
    assert session.db["progress"].get(rows[0]["id"])["deleted"] == 1
    assert d.progress.topLevelItemCount() == 0


def test_empty_progress_refused(page, session, errors):
    page.select_entry(session.ids["1"])
    page.detail.progress_text.setText("   ")
    page.detail.add_progress()
    assert errors and "不能为空" in errors[-1]
    assert session.db.execute("SELECT count(*) FROM progress").fetchone()[0] == 0


def test_event_date_sets_due(page, session):
    page.select_entry(session.ids["1"])
    page.detail.event_date.setText("2024.7.1")
    page.detail.add_event()
    assert page.detail.events.topLevelItem(0).text(1) == "2024-07-04"
    assert page.model.index(0, col("due")).data() == "2024-07-04"
    page.undo()
    assert page.model.index(0, col("due")).data() == "—"


def test_columns_hidden_are_remembered(qtbot, session):
    from gui.pages.ledger import LedgerPage

    first = LedgerPage(session, today=JULY)
    qtbot.addWidget(first)
    first.set_column_visible(col("measures"), False)
    second = LedgerPage(session, today=JULY)
    qtbot.addWidget(second)
    assert second.view.horizontalHeader().isSectionHidden(col("measures"))
    assert not second.view.horizontalHeader().isSectionHidden(col("requirement"))


def test_open_entry_clears_hiding_filters(qtbot, page, session):
    page.search.setText("培训")  # typed through an input method
    qtbot.waitUntil(lambda: shown_seqs(page) == ["5"])
    page.open_entry(session.ids["2"])
    assert page.search.text() == "" and len(shown_seqs(page)) == 5
    assert page.detail.entry["id"] == session.ids["2"]
    assert page.model.entry_id(page.view.currentIndex().row()) == session.ids["2"]


def test_carry_over_button(page, session):
    session.db["entries"]  # noqa: B018
    ledger.update_entry(session.db, session.ids["2"], {"status": "已完成"})
    result = page.carry_over(confirm=False)
    assert result["carried"] == 4
    assert page.year.currentData() == 2025 and len(shown_seqs(page)) == 4


def test_main_window_search_and_undo(qtbot, session):
    from gui.main_window import MainWindow

    window = MainWindow(session.db_path, ask_profile=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.focus_search()
    page = window.page("任务台账")
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(page.search.hasFocus)
    page.change_fields(session.ids["4"], {"office": "综合办"})
    window.undo()
    assert window.session.db["entries"].get(session.ids["4"])["office"] == ""


def test_search_uses_the_loaded_text_cache_and_an_edit_makes_it_stale(qtbot, page, session):
    qtbot.waitUntil(lambda: page.model.text_cache is not None, timeout=10000)
    page.search.setText("评价")
    page.apply_filters()
    assert shown_seqs(page) == ["2"]

    page.set_measures(session.ids["4"], ["开展满意度评价"])  # entry 4 is not shown by this search
    assert page.model.text_cache is None  # stale at once: the next search asks the database
    page.apply_filters()
    assert shown_seqs(page) == ["2", "4"]
    qtbot.waitUntil(lambda: page.model.text_cache is not None, timeout=10000)
    page.apply_filters()
    assert shown_seqs(page) == ["2", "4"]


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_key_columns_visible_without_scrolling(qtbot, session, size):
    from gui.main_window import MainWindow
    from gui.pages.ledger import KEY_COLUMNS

    window = MainWindow(session.db_path, ask_profile=False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    page = window.page("任务台账")
    header = page.view.horizontalHeader()
    viewport = page.view.viewport().width()

    def all_in_view():
        return all(0 <= header.sectionViewportPosition(col(k)) and
                   header.sectionViewportPosition(col(k)) + header.sectionSize(col(k)) <= viewport
                   for k in KEY_COLUMNS)

    qtbot.waitUntil(all_in_view)
    assert page.view.horizontalScrollBar().value() == 0
    assert header.sectionSize(col("category")) >= 56 and header.sectionSize(col("remaining")) >= 100
    # long texts are elided in the table; the tooltip and the detail panel hold the whole text
    requirement = page.model.index(0, col("category")).data(Qt.ToolTipRole)
    assert requirement == page.model.index(0, col("category")).data()
    assert "截止日期" in page.model.index(4, col("remaining")).data(Qt.ToolTipRole)
    assert page.model.index(4, col("remaining")).data().startswith("逾期 ")


def test_chosen_widths_come_back_when_there_is_room(qtbot, session):
    from gui.pages.ledger import LedgerPage

    page = LedgerPage(session, today=JULY)
    qtbot.addWidget(page)
    page.resize(1500, 800)
    page.show()
    page.view.horizontalHeader().resizeSection(col("category"), 210)  # the user's choice, remembered
    page.resize(700, 600)
    qtbot.waitUntil(lambda: page.view.horizontalHeader().sectionSize(col("category")) < 210)
    page.resize(1500, 800)
    qtbot.waitUntil(lambda: page.view.horizontalHeader().sectionSize(col("category")) == 210)


def test_read_only_copy_shows_a_banner_and_refuses_edits(qtbot, session):
    from db.connection import _READ_ONLY, mark_read_only
    from gui.main_window import MainWindow

    mark_read_only(session.db_path)
    try:
        window = MainWindow(session.db_path, ask_profile=False)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.read_only_banner.isVisible() and "只读" in window.read_only_banner.text()
        assert not window.import_action.isEnabled() and not window.undo_action.isEnabled()
        page = window.page("任务台账")
        assert page.view.editTriggers() == page.view.EditTrigger.NoEditTriggers
        assert not page.model.setData(page.model.index(0, col("office")), "综合办")
        page.select_entry(session.ids["2"])
        assert not page.detail.edits["leader"].isEnabled() and not page.detail.add_progress_button.isEnabled()
        assert not page.carry_button.isEnabled()
    finally:
        _READ_ONLY.pop(str(session.db_path.resolve()), None)


def test_writable_window_has_no_banner_and_undo_shows_in_status_bar(qtbot, session):
    from gui.main_window import MainWindow

    window = MainWindow(session.db_path, ask_profile=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.read_only_banner.isVisible()
    page = window.page("任务台账")
    page.change_fields(session.ids["4"], {"office": "综合办"})
    assert "可撤销：修改责任科室" in window.undo_label.text()
    window.undo()
    assert "可重做：修改责任科室" in window.undo_label.text()
    assert "已撤销" in window.statusBar().currentMessage()
    window.redo()
    assert window.session.db["entries"].get(session.ids["4"])["office"] == "综合办"


def test_print_preview_of_the_ledger(page, session):
    from gui.print_preview import paint_document

    shown = []
    html = page.print_preview(show=lambda parent, html, landscape, title: shown.append((landscape, title)))
    assert shown == [(True, "打印预览：工作任务台账")] and "工作任务台账" in html
    from PySide6.QtPrintSupport import QPrinter

    from gui.print_preview import _layout

    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(session.db_path.parent / "preview.pdf"))
    _layout(printer, True)
    assert paint_document(html, printer) >= 1
