"""依申请公开 and 年度报告 pages: the register with due dates and colours, the add/edit dialog
with its live due date, and the report page's tables, typed figures and live problem list."""

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from core.register import annual_report as ar
from core.register import requests
from gui.session import Session


def _session(tmp_path):
    from core import settings

    session = Session(tmp_path / "ledger.sqlite3")
    settings.set_profile(session.db, "城东街道", "街道", "填报单位")
    return session


def test_register_lists_due_dates_and_colours(qtbot, tmp_path):
    from gui.pages.requests import COLOURS, COLUMNS, RequestsPage

    session = _session(tmp_path)
    today = date.today()
    late, _ = requests.add(session.db, {"received": (today - timedelta(days=60)).isoformat(), "channel": "网络",
                                        "applicant": "自然人", "content": "逾期的申请"})
    waiting, _ = requests.add(session.db, {"received": today.isoformat(), "channel": "当面", "applicant": "其他", "content": "待补正"})
    requests.update(session.db, waiting["id"], {"correction_asked": today.isoformat()})
    page = RequestsPage(session)
    qtbot.addWidget(page)
    model = page.view.model()
    assert model.rowCount() == 2
    due_col = [k for k, _ in COLUMNS].index("due")
    rows = {model.request(r)["no"]: r for r in range(2)}
    first = rows[late["no"]]
    assert model.data(model.index(first, due_col)) == late["due"]
    assert model.data(model.index(first, 0), Qt.BackgroundRole).name() == COLOURS["red"]
    second = rows[waiting["no"]]
    assert model.data(model.index(second, due_col)) == "（待补正，暂停计时）"
    assert model.data(model.index(second, 0), Qt.BackgroundRole) is None
    assert "逾期 1 件" in page.summary.text()


def test_dialog_shows_the_due_date_live_and_saves(qtbot, tmp_path):
    from gui.pages.requests import RequestDialog, RequestsPage

    session = _session(tmp_path)
    page = RequestsPage(session)
    qtbot.addWidget(page)
    dialog = RequestDialog(session.db, page)
    qtbot.addWidget(dialog)
    dialog.received.setDate(QDate(2024, 9, 27))
    dialog.content.setPlainText("某项目环评报告")
    assert "2024-10-30" in dialog.due_label.text()
    dialog.dates["replied"].check.setChecked(True)
    dialog.dates["replied"].edit.setDate(QDate(2024, 9, 1))
    dialog.result_box.setCurrentIndex(dialog.result_box.findData("1"))
    assert "早于收到日期" in dialog.due_label.text()
    dialog.dates["replied"].edit.setDate(QDate(2024, 10, 30))
    assert "已答复" in dialog.due_label.text()
    dialog.save()
    assert dialog.result() == 1
    page.show()  # a hidden page would only refresh once shown
    session.publish({"requests"})
    assert page.view.model().rowCount() == 1
    stored = requests.list_requests(session.db)[0]
    assert stored["replied"] == "2024-10-30" and stored["result"] == "1" and stored["overdue"] is False
    edit = RequestDialog(session.db, page, requests.get(session.db, stored["id"]))
    qtbot.addWidget(edit)
    edit.dates["extended"].check.setChecked(True)
    edit.dates["extended"].edit.setDate(QDate(2024, 11, 30))
    assert "延期须在答复期限" in edit.due_label.text()


def test_report_page_tables_typed_figures_and_problems(qtbot, tmp_path, monkeypatch):
    from gui.pages.annual_report import AnnualReportPage

    session = _session(tmp_path)
    item, _ = requests.add(session.db, {"received": "2024-03-01", "channel": "网络", "applicant": "商业企业", "content": "x"})
    requests.update(session.db, item["id"], {"replied": "2024-03-05", "result": "1", "fee": "100"})
    page = AnnualReportPage(session)
    qtbot.addWidget(page)
    page.year.setValue(2024)
    assert page.t3.rowCount() == 25
    assert page.t3.data(page.t3.index(0, 2)) == "1" and page.t3.data(page.t3.index(0, 7)) == "1"
    before = page.problems.count()
    assert before > 0 and "问题" in page.problem_title.text()
    page.t2_edits["t2.行政许可"].setText("5")
    page.save_table2()
    assert ar.typed_values(session.db, "城东街道", 2024)["t2.行政许可"] == "5"
    assert page.problems.count() == before - 1
    page.texts["section6"].setPlainText("无。")
    page.save_texts()
    texts = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any("收费情况" in t for t in texts)
    said = []
    monkeypatch.setattr("gui.errors.QMessageBox.warning", staticmethod(lambda *a: said.append(a[2])))
    page.t2_edits["t2.行政处罚"].setText("-1")
    page.save_table2()
    assert said and "负数" in said[0]
    page.draft()
    assert "新收政府信息公开申请 1 件" in page.texts["section1"].toPlainText()
    page.resize(1024, 700)
    page.grab().save(str(tmp_path / "report.png"))


def test_county_view_sums_units_and_lists_their_problems(qtbot, tmp_path):
    from core import records, settings
    from gui.pages.annual_report import AnnualReportPage

    session = Session(tmp_path / "county.sqlite3")
    settings.set_profile(session.db, "博山区政府办公室", "县政府办公室", "汇总单位")
    for n, unit in enumerate(("城东街道", "城西街道", "山头街道"), start=1):
        for i in range(n):
            records.insert(session.db, "requests", {"unit": unit, "year": 2024, "seq": i + 1, "no": f"2024-{i + 1:03d}",
                                                    "received": "2024-03-01", "channel": "网络", "applicant": "自然人",
                                                    "content": "x"})
    page = AnnualReportPage(session)
    qtbot.addWidget(page)
    page.year.setValue(2024)
    assert page.unit.isVisibleTo(page)
    page.unit.setCurrentIndex(page.unit.findData("all"))
    assert page.t3.data(page.t3.index(0, 1)) == "6"  # 1 + 2 + 3 new applications
    assert page.problems.count() == 3 and "3 个单位的年报有问题" in page.problem_title.text()
    assert not page.tabs.isTabEnabled(2)
    page.unit.setCurrentIndex(page.unit.findData("城西街道"))
    assert page.t3.data(page.t3.index(0, 1)) == "2" and page.tabs.isTabEnabled(2)
    page.t2_edits["t2.行政许可"].setText("4")
    page.save_table2()
    assert ar.typed_values(session.db, "城西街道", 2024)["t2.行政许可"] == "4"
    page.resize(1024, 700)
    page.grab().save(str(tmp_path / "county.png"))
