"""单位名册 page (汇总单位): the county's units, their tasks, 任务包, reports and open corrections.

The figures come from core.county.roster.report_status (the one computation of who has reported)
and core.county.inspections.open_counts, computed in the worker. Rows are coloured as counties
colour 督办: red = report overdue or a correction overdue, yellow = behind (entries overdue or
a correction behind schedule), blue = corrections in progress.
"""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from core import settings
from core.county import roster
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.pages.exchange import RecordsModel, _table, _with_worker_db
from gui.worker import run_task

RED, YELLOW, BLUE = "#fde2e1", "#fef3c7", "#dbeafe"
COLUMNS = [
    ("单位", "unit"), ("类型", "kind"), ("任务", "tasks"), ("可能涉及", "maybe"),
    ("任务包", lambda s: s["task_pack"] or "未发"), ("最近报送", lambda s: (s["last_report"] or "")[:10] or "未报送"),
    ("台账", "entries"), ("已完成", "done"), ("逾期", "overdue"),
    ("开放活动", lambda s: f"{s['activities']}/{s['activities_held']}"),
    ("整改中", lambda s: s["corrections"]["open"] + s["corrections"]["behind"] or ""),
    ("逾期未整改", lambda s: s["corrections"]["overdue"] or ""),
    ("报送", lambda s: "逾期未报" if s["late"] else ("已报" if s["last_report"] else (f"应于{s['report_due']}前报" if s["report_due"] else ""))),
]


def tint(s: dict) -> str | None:
    """The row colour of a unit (督办: red, yellow, blue)."""
    c = s["corrections"]
    if s["late"] or c["overdue"]:
        return RED
    if s["overdue"] or c["behind"]:
        return YELLOW
    if c["open"]:
        return BLUE
    return None


def roster_job(session, year=None):
    """report_status and open corrections per unit, on a worker connection."""

    def compute(db):
        from core.county.inspections import open_counts

        corrections = open_counts(db)
        rows = roster.report_status(db, year=year)
        for row in rows:
            row["corrections"] = corrections.get(row["unit"], {"open": 0, "behind": 0, "overdue": 0})
        return rows

    return _with_worker_db(session, compute)


class UnitDialog(QDialog):
    """Add a unit to the roster: name, kind, other names, contact."""

    def __init__(self, parent=None, name="", kind="镇"):
        super().__init__(parent)
        self.setWindowTitle("添加单位")
        self.name = QLineEdit(name)
        self.kind = QComboBox()
        self.kind.addItems(roster.KINDS)
        self.kind.setCurrentText(kind)
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("多个名称用“、”分隔，如 城东街道办事处、城东办")
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        form = QFormLayout(self)
        form.addRow("单位全称", self.name)
        form.addRow("类型", self.kind)
        form.addRow("其他名称", self.aliases)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple:
        return (self.name.text(), self.kind.currentText(), self.aliases.text(), self.contact.text(), self.phone.text())


class SuggestDialog(QDialog):
    """Units named in the plan's 责任单位 and not yet on the roster, to tick and add."""

    def __init__(self, offered: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle("从方案添加单位")
        self.offered = offered
        self.list = QListWidget()
        for unit in offered:
            item = QListWidgetItem(f"{unit['name']}（{unit['kind']}，方案中 {unit['tasks']} 项任务点名）")
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("方案的责任单位中点名了以下单位（“各镇（街道）”等统称按名册中的镇、街道计算）。勾选要加入名册的单位："))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def chosen(self) -> list[dict]:
        return [u for i, u in enumerate(self.offered) if self.list.item(i).checkState() == Qt.Checked]


class UnitsPage(QWidget):
    # What it shows (gui.changes): each unit's tasks, ledger, reports and corrections.
    SHOWS = frozenset({"roster", "plan", "entries", "progress", "activities", "inspections", "exchange", "profile", "calendar"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._generation = 0  # only the newest computation is shown
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.add_button = QPushButton("添加单位…")
        self.import_button = QPushButton("导入名册…")
        self.suggest_button = QPushButton("从方案添加…")
        self.remove_button = QPushButton("移出名册")
        self.pack_button = QPushButton("为所有单位导出任务包…")
        self.add_button.clicked.connect(self.add_unit)
        self.import_button.clicked.connect(self.import_roster)
        self.suggest_button.clicked.connect(self.suggest)
        self.remove_button.clicked.connect(self.remove_selected)
        self.pack_button.clicked.connect(self.pack_all)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.import_button, self.suggest_button, self.remove_button, self.pack_button):
            buttons.addWidget(b)
        buttons.addStretch()
        self.model = RecordsModel(COLUMNS, self, tint=tint)
        self.view = _table(self.model)
        self.view.setSortingEnabled(False)
        legend = QLabel(f'<span style="background:{RED}">&nbsp;红色&nbsp;</span> 逾期未报或整改逾期　'
                        f'<span style="background:{YELLOW}">&nbsp;黄色&nbsp;</span> 任务逾期或整改滞后　'
                        f'<span style="background:{BLUE}">&nbsp;蓝色&nbsp;</span> 正在整改')
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Recompute the table in the worker (a county of many units stays responsive)."""
        if not settings.is_county(self.session.db):
            self.info.setText("单位名册由汇总单位（县政务公开科）维护。本机是填报单位。")
            self.model.set_rows([])
            for b in (self.add_button, self.import_button, self.suggest_button, self.remove_button, self.pack_button):
                b.setEnabled(False)
            return
        for b in (self.add_button, self.import_button, self.suggest_button, self.remove_button, self.pack_button):
            b.setEnabled(True)
        self.info.setText("正在统计各单位情况…")
        self._generation += 1
        generation = self._generation
        run_task(self, "正在统计各单位情况…", roster_job, self.session, modal=False,
                 on_done=lambda rows: self._show(rows, generation))

    def _show(self, rows, generation=None) -> None:
        import shiboken6

        if not shiboken6.isValid(self) or generation not in (None, self._generation):
            return
        self.model.set_rows(rows)
        listed = [r for r in rows if r["in_roster"]]
        late = sum(r["late"] for r in rows)
        reported = sum(bool(r["last_report"]) for r in rows)
        self.info.setText(f"名册中共 {len(listed)} 个单位；已报送 {reported} 个，逾期未报 {late} 个。"
                          "任务数按方案责任单位计算（“各镇（街道）”“县政府各部门”等统称按名册中的类型展开）。")

    def selected_unit(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()]["unit"] if rows else None

    def _changed(self, message: str) -> None:
        self.session.status_message.emit(message)
        self.session.publish({"roster"}, initiator=self)
        self.refresh()

    def add_unit(self, _checked=False, name="", kind="镇") -> None:
        dialog = UnitDialog(self, name, kind)
        while dialog.exec() == QDialog.Accepted:
            try:
                unit = roster.add_unit(self.session.db, *dialog.values())
            except UserError as exc:
                show_error(self, exc)
                continue
            self._changed(f"已保存单位：{unit['name']}")
            return

    def import_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入单位名册", "", "Excel 表格 (*.xlsx)")
        if path:
            self.import_file(path)

    def import_file(self, path) -> None:
        try:
            result = roster.import_units(self.session.db, path)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(f"已导入单位名册：新增 {result['added']}，更新 {result['updated']}，未变 {result['unchanged']}")

    def suggest(self) -> None:
        offered = roster.suggest_units(self.session.db)
        if not offered:
            QMessageBox.information(self, "从方案添加", "方案中点名的单位都已在名册中（或还没有导入方案）。")
            return
        dialog = SuggestDialog(offered, self)
        if dialog.exec() != QDialog.Accepted:
            return
        added = 0
        try:
            with self.session.db.atomic():
                for unit in dialog.chosen():
                    roster.add_unit(self.session.db, unit["name"], unit["kind"])
                    added += 1
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(f"已从方案添加 {added} 个单位")

    def remove_selected(self) -> None:
        name = self.selected_unit()
        if not name:
            QMessageBox.information(self, "移出名册", "请先在表格中选中一个单位。")
            return
        if QMessageBox.question(self, "移出名册", f"把“{name}”移出单位名册？其台账和检查记录仍保留。") != QMessageBox.Yes:
            return
        try:
            roster.remove_unit(self.session.db, name)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(f"已将“{name}”移出名册")

    def pack_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存任务包的文件夹")
        if folder:
            self.pack_into(folder)

    def pack_into(self, folder) -> None:
        from gui.pages.exchange import pack_many_job

        run_task(self, "正在导出任务包…", pack_many_job, self.session, folder,
                 on_done=lambda results: self._changed(f"已导出 {len(results)} 个任务包到 {folder}（文件名含单位名称，可直接作为邮件附件）"))
