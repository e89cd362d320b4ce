"""依申请公开: the register of applications, each with its legal due date always visible and
the county's colours (blue: due within 5 working days, yellow: behind, red: overdue)."""

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.register import requests
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.widgets import dialog_buttons, row_table

COLUMNS = (
    ("no", "编号"),
    ("received", "收到日期"),
    ("channel", "收到方式"),
    ("applicant", "申请人类别"),
    ("name", "申请人"),
    ("content", "所需信息"),
    ("due", "法定到期日"),
    ("status", "状态"),
    ("replied", "答复日期"),
    ("result_text", "办理结果"),
)
COLOURS = {"blue": "#d6e8fb", "yellow": "#fff1b8", "red": "#f6c6c6"}
COLOUR_NAMES = {"blue": "即将到期（5 个工作日内）", "yellow": "进度滞后（已用 10 个工作日以上）", "red": "已逾期"}
STEPS = (
    ("correction_asked", "补正告知日期"),
    ("correction_received", "补正收到日期"),
    ("consult_start", "征求意见开始"),
    ("consult_end", "征求意见结束"),
    ("extended", "延期审批日期"),
    ("replied", "答复日期"),
    ("delivered", "送达日期"),
)


def result_text(code) -> str:
    """'1 予以公开' for a result code, '' for none."""
    return f"{code} {requests.RESULTS[code]}" if code in requests.RESULTS else ""


class RequestsModel(QAbstractTableModel):
    """The applications of the chosen year, described by core.register.requests (due, status, colour)."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.rows: list[dict] = []

    def reload(self, year=None, status=None, today: date | None = None) -> None:
        self.beginResetModel()
        self.rows = [{**r, "result_text": result_text(r.get("result")), "due": r["due"] or "（待补正，暂停计时）"}
                     for r in requests.list_requests(self.db, year=year, status_filter=status, today=today)]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.DisplayRole:
            text = str(row.get(key) or "")
            return text.replace("\n", " ")[:60] if key == "content" else text
        if role == Qt.ToolTipRole:
            return COLOUR_NAMES.get(row["urgency"], "") if key == "due" else str(row.get(key) or "")
        if role == Qt.BackgroundRole and row["urgency"]:
            return QColor(COLOURS[row["urgency"]])
        if role == Qt.ForegroundRole and key == "due" and row["overdue"]:
            return QColor("#a3140f")
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section][1]
        return None

    def request(self, row: int) -> dict:
        return self.rows[row]


class DateField(QWidget):
    """A date that may be left empty: a check box and a date editor."""

    def __init__(self, value: str | None, parent=None):
        super().__init__(parent)
        self.check = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate())
        self.check.setChecked(bool(value))
        self.edit.setEnabled(bool(value))
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> str:
        return self.edit.date().toString("yyyy-MM-dd") if self.check.isChecked() else ""

    def connect(self, slot) -> None:
        self.check.toggled.connect(lambda *_: slot())
        self.edit.dateChanged.connect(lambda *_: slot())


class RequestDialog(QDialog):
    """Register an application or record its steps; the legal due date is recomputed as you type."""

    def __init__(self, db, parent=None, request: dict | None = None):
        super().__init__(parent)
        self.db = db
        self.request = request
        self.setWindowTitle(f"办理：{request['no']}" if request else "登记政府信息公开申请")
        r = request or {}
        self.received = QDateEdit()
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.received.setDate(QDate.fromString(r["received"], "yyyy-MM-dd") if r else QDate.currentDate())
        self.channel = QComboBox()
        self.channel.addItems(requests.CHANNELS)
        self.applicant = QComboBox()
        self.applicant.addItems(requests.APPLICANTS)
        self.form = QComboBox()
        self.form.setEditable(True)
        self.form.addItems(["", *requests.FORMS])
        self.name, self.contact = QLineEdit(r.get("name", "")), QLineEdit(r.get("contact", ""))
        self.content = QPlainTextEdit(r.get("content", ""))
        self.content.setFixedHeight(60)
        for box, key in ((self.channel, "channel"), (self.applicant, "applicant"), (self.form, "form")):
            if r.get(key):
                box.setCurrentText(r[key])
        top = QFormLayout()
        top.addRow("收到日期：", self.received)
        top.addRow("收到方式：", self.channel)
        top.addRow("申请人类别：", self.applicant)
        top.addRow("申请人：", self.name)
        top.addRow("联系方式：", self.contact)
        top.addRow("所需信息：", self.content)
        top.addRow("获取形式：", self.form)

        steps = QGroupBox("办理环节（勾选已发生的环节）")
        grid = QGridLayout(steps)
        self.dates = {}
        for i, (key, title) in enumerate(STEPS):
            field = DateField(r.get(key))
            self.dates[key] = field
            grid.addWidget(QLabel(f"{title}："), i // 2, (i % 2) * 2)
            grid.addWidget(field, i // 2, (i % 2) * 2 + 1)
        self.result_box = QComboBox()
        self.result_box.addItem("（未答复）", "")
        for code in requests.RESULTS:
            self.result_box.addItem(result_text(code), code)
        if r.get("result"):
            self.result_box.setCurrentIndex(self.result_box.findData(r["result"]))
        self.fee = QDoubleSpinBox()
        self.fee.setRange(0, 1_000_000)
        self.fee.setDecimals(2)
        self.fee.setSuffix(" 元")
        self.fee.setValue(r.get("fee") or 0)
        self.delivery, self.archive = QLineEdit(r.get("delivery", "")), QLineEdit(r.get("archive_no", ""))
        more = QFormLayout()
        more.addRow("办理结果：", self.result_box)
        more.addRow("收取信息处理费：", self.fee)
        more.addRow("送达方式/签收：", self.delivery)
        more.addRow("归档号：", self.archive)
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_label.setStyleSheet("font-size: 15px; padding: 6px;")
        buttons = dialog_buttons(self, "保存", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(steps)
        layout.addLayout(more)
        layout.addWidget(self.due_label)
        layout.addWidget(buttons)
        self.received.dateChanged.connect(lambda *_: self.show_due())
        self.result_box.currentIndexChanged.connect(lambda *_: self.show_due())
        for field in self.dates.values():
            field.connect(self.show_due)
        self.show_due()

    def values(self) -> dict:
        values = {"received": self.received.date().toString("yyyy-MM-dd"), "channel": self.channel.currentText(),
                  "applicant": self.applicant.currentText(), "name": self.name.text(), "contact": self.contact.text(),
                  "content": self.content.toPlainText(), "form": self.form.currentText(),
                  "result": self.result_box.currentData() or "", "fee": self.fee.value(),
                  "delivery": self.delivery.text(), "archive_no": self.archive.text()}
        values.update({key: field.value() for key, field in self.dates.items()})
        return values

    def show_due(self) -> None:
        """The legal due date (or why the entries contradict each other), recomputed now."""
        info = requests.preview(self.db, self.values(), self.request)
        if info["error"]:
            self.due_label.setText(f"⚠ {info['error']}")
            self.due_label.setStyleSheet("font-size: 15px; padding: 6px; color: #a3140f;")
            return
        due = info["due"] or "（待补正，暂停计时）"
        text = f"法定到期日：{due}　状态：{info['status']}" + ("　【已逾期】" if info["overdue"] else "")
        if info["warnings"]:
            text += "\n提醒：" + "；".join(info["warnings"])
        colour = COLOURS.get(info["urgency"], "#eef3f8")
        self.due_label.setText(text)
        self.due_label.setStyleSheet(f"font-size: 15px; padding: 6px; background: {colour};")

    def save(self) -> None:
        values = self.values()
        try:
            if self.request:
                changes = {k: v for k, v in values.items() if k != "received" or v != self.request["received"]}
                requests.update(self.db, self.request["id"], changes)
            else:
                requests.add(self.db, values)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class AppealDialog(QDialog):
    """Record a 行政复议 / 行政诉讼 against the reply."""

    def __init__(self, db, request: dict, parent=None):
        super().__init__(parent)
        self.db, self.request = db, request
        self.setWindowTitle(f"复议/诉讼：{request['no']}")
        self.kind, self.outcome = QComboBox(), QComboBox()
        self.kind.addItems(requests.APPEAL_KINDS)
        self.outcome.addItems(requests.APPEAL_OUTCOMES)
        self.date = DateField(None)
        form = QFormLayout()
        form.addRow("类型：", self.kind)
        form.addRow("结果：", self.outcome)
        form.addRow("日期（不填则计入答复年度）：", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, "保存", self.save))

    def save(self) -> None:
        try:
            requests.add_appeal(self.db, self.request["id"], self.kind.currentText(), self.outcome.currentText(),
                                self.date.value() or None)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class RequestsPage(QWidget):
    # What it shows (gui.changes): the register, its deadlines in working days.
    SHOWS = frozenset({"requests", "profile", "calendar"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = RequestsModel(session.db, self)
        self.view = row_table(self.model)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.year = QComboBox()
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for s in requests.STATUSES:
            self.status.addItem(s, s)
        self.year.currentIndexChanged.connect(lambda *_: self.refresh(keep_years=True))
        self.status.currentIndexChanged.connect(lambda *_: self.refresh(keep_years=True))

        self.buttons = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("收到年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.status)
        for key, text, slot in (("add", "登记申请…", self.add), ("edit", "办理/修改…", self.edit),
                                ("appeal", "复议/诉讼…", self.appeal), ("doc", "生成文书…", self.document)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch()
        legend = QHBoxLayout()
        for name in ("blue", "yellow", "red"):
            chip = QLabel(COLOUR_NAMES[name])
            chip.setStyleSheet(f"background: {COLOURS[name]}; padding: 2px 6px;")
            legend.addWidget(chip)
        self.summary = QLabel()
        legend.addStretch()
        legend.addWidget(self.summary)
        hint = QLabel("答复期限：收到申请次日起 20 个工作日；补正期间暂停计时，收到补正后重新计算；"
                      "征求第三方意见的时间不计入；经批准可延长 20 个工作日（须在期限届满前批准）。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(bar)
        layout.addLayout(legend)
        layout.addWidget(self.view, 1)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.refresh()

    def _years(self) -> list[int]:
        years = sorted({r["year"] for r in requests.list_requests(self.session.db)} | {date.today().year}, reverse=True)
        return years

    def refresh(self, keep_years: bool = False) -> None:
        if not keep_years:
            current = self.year.currentData()
            self.year.blockSignals(True)
            self.year.clear()
            self.year.addItem("全部", None)
            for y in self._years():
                self.year.addItem(f"{y}年", y)
            index = self.year.findData(current)
            self.year.setCurrentIndex(index if index >= 0 else 0)
            self.year.blockSignals(False)
        self.model.reload(self.year.currentData(), self.status.currentData())
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(5, min(self.view.columnWidth(5), 220))
        self.view.setColumnWidth(7, self.view.columnWidth(7) + 12)  # 已答复 is cut at the measured width
        self.view.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        counts = requests.counts(self.session.db)
        self.summary.setText(f"办理中 {counts['open']} 件，其中逾期 {counts['overdue']} 件")
        self.update_buttons()

    def update_buttons(self) -> None:
        selected = self.selected() is not None
        for key in ("edit", "appeal", "doc"):
            self.buttons[key].setEnabled(selected)

    def selected(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.request(rows[0].row()) if rows else None

    def _changed(self) -> None:
        self.session.publish({"requests"}, initiator=self)
        self.refresh()

    def add(self) -> None:
        if RequestDialog(self.session.db, self).exec():
            self._changed()

    def edit(self) -> None:
        chosen = self.selected()
        if chosen and RequestDialog(self.session.db, self, requests.get(self.session.db, chosen["id"])).exec():
            self._changed()

    def appeal(self) -> None:
        chosen = self.selected()
        if chosen and AppealDialog(self.session.db, chosen, self).exec():
            self._changed()

    def document(self) -> None:
        chosen = self.selected()
        if chosen:
            from gui.pages.request_docs import write_document

            write_document(self, self.session, chosen)
