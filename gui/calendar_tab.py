"""设置 → 工作日历: see which days count as working days, set single days, add a year from the notice."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.calendar import workdays
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.widgets import dialog_buttons

HOLIDAY_COLOR = QColor("#c62828")
ADJUSTED_COLOR = QColor("#1565c0")
WEEKDAY_COLOR = QColor("#000000")
WEEKEND_COLOR = QColor("#9e9e9e")


class CalendarTab(QWidget):
    """A month view coloured by the working-day calendar, with buttons to change one day."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.NoVerticalHeader)
        weekend = QTextCharFormat()
        weekend.setForeground(WEEKEND_COLOR)
        for day in (Qt.Saturday, Qt.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        self.calendar.currentPageChanged.connect(lambda *_: self.paint_month())
        self.calendar.selectionChanged.connect(self.describe_selection)
        self.info = QLabel()
        self.info.setWordWrap(True)

        buttons = QHBoxLayout()
        for text, kind in (("设为放假", "holiday"), ("设为上班", "workday"), ("恢复默认", None)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.set_selected(k))
            buttons.addWidget(button)
        add_year = QPushButton("导入国务院节假日通知…")
        add_year.clicked.connect(self.add_year)
        buttons.addStretch()
        buttons.addWidget(add_year)

        legend = QLabel(
            "<span style='color:#c62828'>红色</span>：法定节假日；<span style='color:#1565c0'>蓝色</span>：调休上班的周末；灰色：周末。"
            f"程序内置 {workdays.shipped_years().start}—{workdays.shipped_years().stop - 1} 年的安排；"
            "以后的年份请在国务院办公厅发布通知后导入，未导入的年份只按周末计算，算出的日期标为“估算”。"
        )
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(legend)
        layout.addWidget(self.calendar)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        ChangeWatch(self, session, {"calendar"}, lambda _changes: (self.paint_month(), self.describe_selection()))
        self.paint_month()
        self.describe_selection()

    def _calendar(self):
        return workdays.load_calendar(self.session.db)

    def paint_month(self) -> None:
        """Colour every day of the shown month by its kind."""
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        if not workdays.MIN_YEAR <= year <= workdays.MAX_YEAR:
            return
        for info in self._calendar().month(year, month):
            fmt = QTextCharFormat()
            if info["kind"] == "holiday":
                fmt.setForeground(HOLIDAY_COLOR)
                fmt.setFontWeight(700)
            elif info["kind"] == "adjusted":
                fmt.setForeground(ADJUSTED_COLOR)
                fmt.setFontWeight(700)
            elif info["kind"] == "workday":
                fmt.setForeground(WEEKDAY_COLOR)
            if info["name"]:
                fmt.setToolTip(info["name"])
            self.calendar.setDateTextFormat(QDate.fromString(info["date"], Qt.ISODate), fmt)

    def selected_day(self) -> date:
        return date.fromisoformat(self.calendar.selectedDate().toString(Qt.ISODate))

    def describe_selection(self) -> None:
        try:
            info = self._calendar().day_info(self.selected_day())
        except UserError as exc:
            self.info.setText(str(exc))
            return
        kinds = {"holiday": "放假", "adjusted": "调休上班", "weekend": "周末休息", "workday": "工作日"}
        text = f"{info['date']}：{kinds[info['kind']]}"
        if info["name"]:
            text += f"（{info['name']}）"
        if info["estimated"]:
            text += "。该年度节假日尚未导入，只按周末计算。"
        self.info.setText(text)

    def set_selected(self, kind) -> None:
        try:
            workdays.set_day(self.session.db, self.selected_day(), kind, "手工设置" if kind else "")
        except UserError as exc:
            QMessageBox.warning(self, "无法设置", str(exc))
            return
        self.paint_month()
        self.describe_selection()
        self.session.publish({"calendar"}, initiator=self)

    def add_year(self) -> None:
        dialog = NoticeDialog(self.session.db, self)
        if dialog.exec() == QDialog.Accepted:
            self.calendar.setCurrentPage(dialog.notice.year, 1)
            self.paint_month()
            self.session.publish({"calendar"}, initiator=self)


class NoticeDialog(QDialog):
    """Paste the State Council's notice, check what was read, then store it."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.notice = None
        self.setWindowTitle("导入节假日安排")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("请粘贴国务院办公厅《关于××××年部分节假日安排的通知》全文")
        self.reading = QPlainTextEdit()
        self.reading.setReadOnly(True)
        read = QPushButton("识别")
        read.clicked.connect(self.read)
        self.buttons = dialog_buttons(self, "确认保存", self.save)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 2)
        layout.addWidget(read)
        layout.addWidget(QLabel("识别结果（请与通知核对）："))
        layout.addWidget(self.reading, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 640)

    def read(self) -> None:
        from core.calendar.holiday_notice import parse_notice

        try:
            self.notice = parse_notice(self.text.toPlainText())
        except UserError as exc:
            self.notice = None
            self.reading.setPlainText(str(exc))
        else:
            self.reading.setPlainText("\n".join(self.notice.summary_lines()))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.notice is not None)

    def save(self) -> None:
        try:
            workdays.store_year(self.db, self.notice.year, self.notice.holidays, self.notice.workdays)
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return
        self.accept()
