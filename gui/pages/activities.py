"""开放活动: plan government open activities, record what happened, export the forms."""

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.ledger import activities
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.widgets import dialog_buttons, row_table

COLUMNS = (
    ("time", "开展时间"),
    ("theme", "活动主题"),
    ("place", "开展地点"),
    ("audience", "活动对象"),
    ("contact", "联系人"),
    ("state", "状态"),
    ("due", "报送时限"),
)


class ActivitiesModel(QAbstractTableModel):
    """The unit's activities with their state and report due date."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.rows: list[dict] = []

    def reload(self, today: date | None = None) -> None:
        today = today or date.today()
        self.beginResetModel()
        self.rows = []
        for a in activities.list_activities(self.db):
            where = activities.state(a, today, self.db)
            due = where["due"]
            self.rows.append({**a, "time": f"{a['year']}年{a['time_text']}", "state": where["label"], "due": due.isoformat() if due else ""})
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
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return str(row.get(key) or "")
        if role == Qt.ForegroundRole and key == "state" and row["state"] == "逾期未报送":
            from PySide6.QtGui import QColor

            return QColor("#c0392b")
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section][1]
        return None

    def activity(self, row: int) -> dict:
        return self.rows[row]


class PlanDialog(QDialog):
    """Add or edit a planned activity: the fields of the 报送表."""

    FIELDS = (
        ("theme", "活动主题", "如：营商环境体验官活动"),
        ("time_text", "开展时间", "必须写明月份，如：7月、7月中旬、7月15日"),
        ("place", "开展地点", "如：区政务服务中心（不用写门牌号）"),
        ("content", "活动内容", ""),
        ("audience", "活动对象", "如：企业代表10人"),
        ("signup", "活动报名方式", "可填报名邮箱、二维码等；无需公开报名可不填"),
        ("contact", "联系人", ""),
        ("phone", "联系方式", "手机号或带区号的座机号"),
    )

    def __init__(self, db, parent=None, activity: dict | None = None):
        super().__init__(parent)
        self.db = db
        self.activity = activity
        self.setWindowTitle("修改开放活动计划" if activity else "新增开放活动计划")
        self.edits = {}
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(activity["year"] if activity else date.today().year)
        form.addRow("年度：", self.year)
        for key, title, hint in self.FIELDS:
            edit = QPlainTextEdit() if key == "content" else QLineEdit()
            edit.setPlaceholderText(hint)
            if key == "content":
                edit.setFixedHeight(80)
            if activity:
                edit.setPlainText(activity[key]) if key == "content" else edit.setText(activity[key])
            self.edits[key] = edit
            form.addRow(f"{title}：", edit)
        buttons = dialog_buttons(self, "保存", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        values = {k: (e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()) for k, e in self.edits.items()}
        values["year"] = self.year.value()
        return values

    def save(self) -> None:
        try:
            if self.activity:
                activities.update_plan(self.db, self.activity["id"], self.values())
            else:
                activities.add(self.db, self.values())
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class ReportDialog(QDialog):
    """Record what happened: date, participants, opinions collected / answered / adopted, links."""

    def __init__(self, db, activity: dict, parent=None):
        super().__init__(parent)
        self.db = db
        self.activity = activity
        self.setWindowTitle(f"记录开展情况：{activity['theme']}")
        self.held_on = QDateEdit()
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat("yyyy-MM-dd")
        held = activity.get("held_on")
        self.held_on.setDate(QDate.fromString(held, "yyyy-MM-dd") if held else QDate.currentDate())
        self.spins = {}
        form = QFormLayout()
        form.addRow("开展日期：", self.held_on)
        for key, title in (("participants", "参加人数"), ("opinions", "征集意见数"), ("answered", "答复意见数"), ("adopted", "采纳意见数")):
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.setValue(activity.get(key) or 0)
            self.spins[key] = spin
            form.addRow(f"{title}：", spin)
        self.note = QPlainTextEdit(activity.get("report_note") or "")
        self.note.setFixedHeight(80)
        self.links = QPlainTextEdit("\n".join(activity.get("links") or []))
        self.links.setPlaceholderText("每行一个链接（发布的新闻、通知等）")
        self.links.setFixedHeight(60)
        form.addRow("开展情况：", self.note)
        form.addRow("相关链接：", self.links)
        self.due_label = QLabel()
        form.addRow("报送时限：", self.due_label)
        self.held_on.dateChanged.connect(self.show_due)
        self.show_due()
        buttons = dialog_buttons(self, "保存", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def show_due(self) -> None:
        held = self.held_on.date().toString("yyyy-MM-dd")
        try:
            due = activities.report_due({"held_on": held}, self.db)
            self.due_label.setText(f"{due.isoformat()}（活动开展后 {activities.REPORT_WORKDAYS} 个工作日内）")
        except Exception as exc:
            self.due_label.setText(str(exc))

    def save(self) -> None:
        s = self.spins
        try:
            activities.record_report(
                self.db, self.activity["id"], self.held_on.date().toString("yyyy-MM-dd"), s["participants"].value(),
                s["opinions"].value(), s["adopted"].value(), s["answered"].value(), self.note.toPlainText(),
                self.links.toPlainText().splitlines(),
            )
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


class ActivitiesPage(QWidget):
    # What it shows (gui.changes): activities, their report deadlines in working days.
    SHOWS = frozenset({"activities", "profile", "calendar"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = ActivitiesModel(session.db, self)
        self.view = row_table(self.model)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.edit_plan())

        self.buttons = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("add", "新增计划…", self.add_plan),
            ("edit", "修改计划…", self.edit_plan),
            ("report", "记录开展情况…", self.record_report),
            ("reported", "标记已报送", self.mark_reported),
            ("delete", "删除", self.delete),
            ("export_plan", "导出报送表…", lambda: self.export("open-activity-plan")),
            ("export_report", "导出开展情况…", lambda: self.export("open-activity-report")),
            ("preview", "打印预览…", self.preview),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch()
        hint = QLabel("开展时间须写明月份（可具体到日或上旬、中旬、下旬）；活动开展后 5 个工作日内报送开展情况。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.refresh()

    def refresh(self) -> None:
        self.model.reload()
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.update_buttons()

    def update_buttons(self) -> None:
        selected = self.selected() is not None
        for key in ("edit", "report", "reported", "delete"):
            self.buttons[key].setEnabled(selected)

    def selected(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.activity(rows[0].row()) if rows else None

    def _changed(self) -> None:
        self.session.publish({"activities"}, initiator=self)
        self.refresh()

    def add_plan(self) -> None:
        if PlanDialog(self.session.db, self).exec():
            self._changed()

    def edit_plan(self) -> None:
        activity = self.selected()
        if activity and PlanDialog(self.session.db, self, activity).exec():
            self._changed()

    def record_report(self) -> None:
        activity = self.selected()
        if activity and ReportDialog(self.session.db, activity, self).exec():
            self._changed()

    def mark_reported(self) -> None:
        activity = self.selected()
        if not activity:
            return
        try:
            activities.mark_reported(self.session.db, activity["id"], None if activity.get("reported_on") else date.today().isoformat())
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()

    def delete(self) -> None:
        activity = self.selected()
        if not activity:
            return
        answer = QMessageBox.question(self, "删除开放活动", f"确定删除“{activity['theme']}”吗？")
        if answer == QMessageBox.Yes:
            activities.delete(self.session.db, activity["id"])
            self._changed()

    def export(self, form: str) -> None:
        from gui.export_dialog import ExportDialog

        ExportDialog(self.session, self.window(), form).exec()

    def preview(self) -> None:
        from core.export.pdf import form_html
        from gui.print_preview import show_preview

        try:
            html, landscape = form_html(self.session.db, "open-activity-plan")
        except Exception as exc:
            show_error(self, exc)
            return
        show_preview(self, html, landscape, "打印预览：政府开放活动计划安排报送表")
