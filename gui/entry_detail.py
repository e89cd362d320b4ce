"""The detail panel of one ledger entry: people, status, measures, progress with evidence,
event dates and the history of every change.

Every edit goes through `editor` (the ledger page), which saves it at once in one small
transaction and puts it on the page's undo stack.
"""

from datetime import date

from PySide6.QtCore import QUrl, Qt, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import ledger
from core.ledger import attachments
from core.ledger import duties
from core.errors import UserError
from gui.errors import show_error

TEXT_FIELDS = (("leader", "分管领导"), ("office", "责任科室"), ("handler", "经办人"))
DATE_FIELDS = (("completed_on", "完成日期"), ("due_override", "手工时限"))


class MeasuresEdit(QPlainTextEdit):
    """工作举措, one per line; emits editingFinished when focus leaves."""

    editingFinished = Signal()

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.editingFinished.emit()

    def texts(self) -> list[str]:
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]


class EntryDetail(QScrollArea):
    """Shows and edits one entry; `editor` is the page (change_fields, set_measures, add_progress, add_event)."""

    def __init__(self, session, editor, parent=None, today=None):
        super().__init__(parent)
        self.session = session
        self.today = today
        self.editor = editor
        self.entry: dict | None = None
        self.pending_files: list[str] = []
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the panel scrolls up and down only
        self.setMinimumWidth(300)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)

        self.header = QLabel("请在左侧选择一条任务。")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.RichText)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.header)
        # What a user does most: record progress, so it comes first, right under the task.
        layout.addWidget(self._progress_box())

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, title in TEXT_FIELDS:
            edit = QLineEdit()
            edit.editingFinished.connect(lambda k=key: self._save_field(k))
            self.edits[key] = edit
            form.addRow(f"{title}：", edit)
        self.status = QComboBox()
        self.status.addItems(ledger.STATUSES)
        self.status.activated.connect(lambda _i: self._save_field("status"))
        form.addRow("状态：", self.status)
        for key, title in DATE_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText("如 2024-07-01、2024.7.1 或 7月1日")
            edit.editingFinished.connect(lambda k=key: self._save_field(k))
            self.edits[key] = edit
            form.addRow(f"{title}：", edit)
        self.edits["note"] = QLineEdit()
        self.edits["note"].editingFinished.connect(lambda: self._save_field("note"))
        form.addRow("备注：", self.edits["note"])
        layout.addLayout(form)

        box = QGroupBox("工作举措（每行一条）")
        box_layout = QVBoxLayout(box)
        self.measures = MeasuresEdit()
        self.measures.setFixedHeight(90)
        self.measures.editingFinished.connect(self.save_measures)
        box_layout.addWidget(self.measures)
        layout.addWidget(box)
        layout.addWidget(self._events_box())

        hist = QGroupBox("修改记录")
        hist_layout = QVBoxLayout(hist)
        self.history = QTreeWidget()
        self.history.setHeaderLabels(["时间", "修改人", "项目", "原值 → 新值"])
        self.history.setRootIsDecorated(False)
        self.history.setMinimumHeight(120)
        hist_layout.addWidget(self.history)
        layout.addWidget(hist)
        layout.addStretch()
        self.setEnabled(False)

    # ---- building

    def _progress_box(self) -> QGroupBox:
        box = QGroupBox("完成情况（进展与佐证）")
        layout = QVBoxLayout(box)
        self.progress = QTreeWidget()
        self.progress.setHeaderLabels(["日期", "进展 / 佐证", "计数事项"])
        self.progress.setColumnWidth(0, 90)
        self.progress.setColumnWidth(1, 200)
        self.progress.setMinimumHeight(110)
        self.progress.itemDoubleClicked.connect(self._open_item)
        layout.addWidget(self.progress)
        # One field per line, so the panel stays readable when it is narrow (1024 px windows).
        self.progress_text = QLineEdit()
        self.progress_text.setPlaceholderText("做了什么，例如：在政府网站发布政策解读")
        layout.addWidget(self.progress_text)
        row = QHBoxLayout()
        self.progress_date = QLineEdit(date.today().isoformat())
        self.progress_date.setFixedWidth(100)
        self.progress_duty = QComboBox()
        row.addWidget(QLabel("日期："))
        row.addWidget(self.progress_date)
        row.addWidget(self.progress_duty, 1)
        layout.addLayout(row)
        row2 = QHBoxLayout()
        self.link_edit = QLineEdit()
        self.link_edit.setPlaceholderText("佐证网址（可选），如 https://www.gov.cn/…")
        add_file = QPushButton("添加文件…")
        add_file.clicked.connect(self.choose_files)
        row2.addWidget(self.link_edit, 1)
        row2.addWidget(add_file)
        layout.addLayout(row2)
        self.files_label = QLabel()
        self.files_label.setWordWrap(True)
        layout.addWidget(self.files_label)
        self.add_progress_button = QPushButton("记录进展")
        self.add_progress_button.clicked.connect(self.add_progress)
        layout.addWidget(self.add_progress_button, 0, Qt.AlignRight)
        return box

    def _events_box(self) -> QGroupBox:
        box = QGroupBox("事项日期")
        layout = QVBoxLayout(box)
        explain = QLabel("时限为“……后N个工作日内”的任务，登记事项发生的日期，程序据此计算截止日期。")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #667085;")
        layout.addWidget(explain)
        self.events = QTreeWidget()
        self.events.setHeaderLabels(["事项日期", "应完成", "说明", "办结"])
        self.events.setRootIsDecorated(False)
        self.events.setMinimumHeight(80)
        layout.addWidget(self.events)
        row = QHBoxLayout()
        self.event_date = QLineEdit()
        self.event_date.setPlaceholderText("事项日期，如 7月1日")
        self.event_note = QLineEdit()
        self.event_note.setPlaceholderText("说明（可选），如 某文件公开")
        add = QPushButton("登记")
        add.clicked.connect(self.add_event)
        row.addWidget(self.event_date)
        row.addWidget(self.event_note, 1)
        row.addWidget(add)
        layout.addLayout(row)
        return box

    # ---- showing

    def show_entry(self, entry_id: str | None) -> None:
        """Show one entry (None clears the panel)."""
        if entry_id is None:
            self.entry = None
            self.header.setText("请在左侧选择一条任务。")
            self.setEnabled(False)
            return
        self.entry = ledger.get_entry(self.session.db, entry_id, today=self.today)
        self.setEnabled(True)
        self._fill()

    def reload(self) -> None:
        """Re-read the shown entry (after an edit or undo)."""
        if self.entry is not None:
            try:
                self.show_entry(self.entry["id"])
            except UserError:
                self.show_entry(None)

    def _fill(self) -> None:
        e = self.entry
        due = e["due"] or "无固定截止日期"
        colour = {"red": "#b42318", "yellow": "#8a5a00", "blue": "#1d4ed8"}.get(e.get("urgency"), "#444")
        flag = f"<span style='color:{colour}'>（{_esc(e['remaining'])}）</span>" if e.get("due") and e.get("remaining") else ""
        carried = "<br>回头看：由上一年度结转" if e.get("carried_from") else ""
        self.header.setText(
            f"<b>{e['year']}年 序号 {_esc(e['seq'])}</b>　{_esc(' / '.join(e['category']))}<br>"
            f"<b>工作要求：</b>{_esc(e['requirement'])}<br>"
            f"<b>{_deadline_label(e)}：</b>{_esc(e['deadline'] or '—')}　<b>截止：</b>{due}{flag}<br>"
            f"<b>角色：</b>{_esc(e['role'] or '—')}　{_esc(e['reason'])}{carried}"
        )
        for key, edit in self.edits.items():
            edit.setText(e.get(key) or "")
        self.status.setCurrentText(e["status"])
        self.measures.setPlainText("\n".join(m["text"] for m in e["measures"]))
        self.progress_duty.clear()
        self.progress_duty.addItem("（不计数）", "")
        for name in duties.names(self.session.db, e["year"]):
            self.progress_duty.addItem(name, name)
        self._fill_progress()
        self._fill_events()
        self._fill_history()

    def _fill_progress(self) -> None:
        self.progress.clear()
        for p in self.entry["progress"]:
            item = QTreeWidgetItem([p["date"], p["text"], p["duty"]])
            item.setData(0, Qt.UserRole, ("progress", p["id"]))
            for a in p["attachments"]:
                label = ("链接：" if a["kind"] == "link" else "文件：") + a["name"]
                child = QTreeWidgetItem(["", label, ""])
                child.setData(0, Qt.UserRole, ("attachment", a))
                child.setToolTip(1, a["url"] or a["name"])
                item.addChild(child)
            self.progress.addTopLevelItem(item)
        self.progress.expandAll()

    def _fill_events(self) -> None:
        self.events.clear()
        for ev in self.entry["events"]:
            self.events.addTopLevelItem(QTreeWidgetItem([ev["date"], ev["due"] or "—", ev["note"], ev["done_on"] or ""]))

    def _fill_history(self) -> None:
        self.history.clear()
        for h in self.entry["history"][:300]:
            at = h["at"][:19].replace("T", " ")
            self.history.addTopLevelItem(QTreeWidgetItem([at, h["by"], h["label"], f"{h['old'] or '（空）'} → {h['new'] or '（空）'}"]))

    def set_read_only(self, read_only: bool) -> None:
        """Disable every field and button that changes the ledger (the history stays readable)."""
        self.read_only = read_only
        for kind in (QLineEdit, QComboBox, QPlainTextEdit, QPushButton):
            for widget in self.widget().findChildren(kind):
                widget.setEnabled(not read_only)

    # ---- editing

    def _save_field(self, key: str) -> None:
        if self.entry is None:
            return
        value = self.status.currentText() if key == "status" else self.edits[key].text().strip()
        current = self.entry.get(key) or ""
        if value == current:
            return
        try:
            self.editor.change_fields(self.entry["id"], {key: value})
        except UserError as exc:
            show_error(self, exc)
            # Keep what was typed so nothing is lost; the user can correct it.
            return

    def save_measures(self) -> None:
        """Save the 工作举措 box if it differs from the stored measures."""
        if self.entry is None:
            return
        texts = self.measures.texts()
        if texts == [m["text"] for m in self.entry["measures"]]:
            return
        try:
            self.editor.set_measures(self.entry["id"], texts)
        except UserError as exc:
            show_error(self, exc)

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "选择佐证材料", "", "所有文件 (*)")
        self.add_pending_files(files)

    def add_pending_files(self, files) -> None:
        """Queue files to attach to the next progress line."""
        for f in files:
            try:
                attachments.check_file(f)
            except UserError as exc:
                show_error(self, exc)
                continue
            self.pending_files.append(f)
        names = "、".join(f.replace("\\", "/").rsplit("/", 1)[-1] for f in self.pending_files)
        self.files_label.setText(f"待附文件：{names}" if names else "")

    def add_progress(self) -> None:
        """Record the typed progress line with the queued files and link."""
        if self.entry is None:
            return
        links = [self.link_edit.text().strip()] if self.link_edit.text().strip() else []
        try:
            self.editor.add_progress(
                self.entry["id"], self.progress_date.text(), self.progress_text.text(),
                self.progress_duty.currentData() or "", list(self.pending_files), links,
            )
        except UserError as exc:
            show_error(self, exc)
            return
        self.progress_text.clear()
        self.link_edit.clear()
        self.pending_files = []
        self.files_label.setText("")

    def add_event(self) -> None:
        if self.entry is None:
            return
        try:
            self.editor.add_event(self.entry["id"], self.event_date.text(), self.event_note.text())
        except UserError as exc:
            show_error(self, exc)
            return
        self.event_date.clear()
        self.event_note.clear()

    def _open_item(self, item, _column) -> None:
        kind, value = item.data(0, Qt.UserRole) or (None, None)
        if kind != "attachment":
            return
        try:
            target = attachments.location(self.session.db_path, value)
        except UserError as exc:
            show_error(self, exc)
            return
        if value["kind"] == "link" and not confirm_link(self, target):
            return
        url = QUrl(target) if value["kind"] == "link" else QUrl.fromLocalFile(target)
        QDesktopServices.openUrl(url)


def confirm_link(parent, address: str) -> bool:
    """Show a link's full address and open it only when the user agrees."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Question, "打开链接", "将在浏览器中打开以下网址，请确认地址无误：",
                      QMessageBox.Open | QMessageBox.Cancel, parent)
    box.setInformativeText(address)
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Open


def _esc(text) -> str:
    from html import escape

    return escape(str(text or ""))


def _deadline_label(entry) -> str:
    """时限要求, or 时限（摘自工作要求） when the plan gave none and it was quoted from the requirement
    (a hand-set 手工时限 below overrides it)."""
    from core.plan.deadline_text import SOURCE_LABEL, SOURCE_REQUIREMENT

    return SOURCE_LABEL if entry.get("deadline_source") == SOURCE_REQUIREMENT else "时限要求"
