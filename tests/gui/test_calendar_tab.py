from datetime import date

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QDialog

from core.calendar import workdays
from gui.calendar_tab import HOLIDAY_COLOR, ADJUSTED_COLOR, CalendarTab, NoticeDialog


class FakeSession(QObject):
    changed = Signal(object)

    def __init__(self, db):
        super().__init__()
        self.db = db
        self.notified = []

    def publish(self, kinds, ids=(), initiator=None):
        self.notified.append(set(kinds))


def test_national_day_and_its_makeup_saturday_are_coloured(qtbot, db):
    tab = CalendarTab(FakeSession(db))
    qtbot.addWidget(tab)
    tab.calendar.setCurrentPage(2024, 10)
    assert tab.calendar.dateTextFormat(QDate(2024, 10, 1)).foreground().color() == HOLIDAY_COLOR
    assert tab.calendar.dateTextFormat(QDate(2024, 10, 12)).foreground().color() == ADJUSTED_COLOR
    tab.calendar.setSelectedDate(QDate(2024, 10, 12))
    assert "调休上班" in tab.info.text()


def test_setting_a_day_by_hand_changes_counting_and_can_be_undone(qtbot, db):
    session = FakeSession(db)
    tab = CalendarTab(session)
    qtbot.addWidget(tab)
    tab.calendar.setSelectedDate(QDate(2026, 3, 2))
    tab.set_selected("holiday")
    assert not workdays.load_calendar(db).is_workday(date(2026, 3, 2))
    assert "放假" in tab.info.text() and session.notified == [{"calendar"}]
    tab.set_selected(None)
    assert workdays.load_calendar(db).is_workday(date(2026, 3, 2))


def test_notice_dialog_refuses_text_that_is_not_a_notice(qtbot, db):
    dialog = NoticeDialog(db)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("关于做好2027年政务公开工作的通知。各单位要高度重视。")
    dialog.read()
    assert "节假日安排" in dialog.reading.toPlainText() and "请粘贴" in dialog.reading.toPlainText()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert db.execute("SELECT count(*) FROM calendar_days").fetchone()[0] == 0


def test_notice_dialog_reads_and_stores_a_year(qtbot, db):
    notice = (
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
        "二、春节：2月6日（农历除夕、周六）至13日（农历正月初七、周六）放假调休，共8天。"
        "2月20日（周六）上班。\n"
    )
    dialog = NoticeDialog(db)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText(notice)
    dialog.read()
    assert "元旦" in dialog.reading.toPlainText()
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    calendar = workdays.load_calendar(db)
    assert calendar.is_known(2027)
    assert not calendar.is_workday(date(2027, 2, 8))
    assert calendar.is_workday(date(2027, 2, 20))
