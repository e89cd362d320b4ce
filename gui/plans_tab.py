"""设置 → 工作方案: the plans held in the ledger; rename one, drop one (after a confirmation and a backup)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.plan import plans
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.widgets import RowsModel, row_table

COLUMNS = (("title", "方案名称"), ("year", "年度"), ("doc_no", "文号"), ("source", "来源"),
           ("tasks", "任务"), ("entries", "台账"), ("progress", "进展"))
SOURCE_NAMES = {"file": "本机导入方案文件", "任务包": "县里下发的任务包"}


class PlansModel(RowsModel):
    """The plans as rows (dicts from core.plan.plans.list_plans)."""

    headers = tuple(title for _, title in COLUMNS)

    def cell(self, row, column, role):
        key = COLUMNS[column][0]
        if role == Qt.DisplayRole:
            value = row[key]
            if key == "source":
                return SOURCE_NAMES.get(value, value)
            return "—" if value in (None, "") else str(value)
        if role == Qt.ToolTipRole:
            return f"编号：{row['id']}"
        if role == Qt.TextAlignmentRole and key in ("year", "tasks", "entries", "progress"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class PlansTab(QWidget):
    """Lists the plans of this ledger; rename or drop the selected one."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        intro = QLabel("本机保存的工作方案。同一方案无论是本机导入方案文件还是收到县里的任务包，都只保存一份；"
                       "删除方案会同时删除其任务和本单位台账（删除前自动备份，可在“备份与恢复”中找回）。")
        intro.setWordWrap(True)
        self.model = PlansModel(self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.rename_button = QPushButton("重命名…")
        self.rename_button.clicked.connect(self.rename_selected)
        self.drop_button = QPushButton("删除方案…")
        self.drop_button.clicked.connect(self.drop_selected)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        for b in (self.rename_button, self.drop_button, refresh):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        ChangeWatch(self, session, {"plan", "entries", "progress"}, lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(plans.list_plans(self.session.db))
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.rename_button.setEnabled(chosen)
        self.drop_button.setEnabled(chosen)

    def rename_selected(self, _checked=False, title: str | None = None) -> None:
        plan = self.selected()
        if plan is None:
            return
        if title is None:
            title, ok = QInputDialog.getText(self, "重命名方案", "新的方案名称：", QLineEdit.Normal, plan["title"])
            if not ok:
                return
        try:
            plans.rename_plan(self.session.db, plan["id"], title)
        except UserError as exc:
            show_error(self, exc)
            return
        self.session.publish({"plan"}, initiator=self)
        self.refresh()

    def drop_selected(self) -> None:
        plan = self.selected()
        if plan is None:
            return
        name = plan["title"] or plan["id"]
        text = f"删除方案“{name}”及其 {plan['tasks']} 项任务、{plan['entries']} 条台账？"
        if plan["progress"]:
            text += f"\n\n这些台账中已记录 {plan['progress']} 条进展，将一并删除。"
        text += "\n\n删除前会自动备份，需要时可在“备份与恢复”中恢复。"
        if QMessageBox.question(self, "删除方案", text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return
        try:
            plans.drop_plan(self.session.db, plan["id"], force=True)  # the user has confirmed
        except UserError as exc:
            show_error(self, exc)
            return
        self.session.publish({"plan"}, initiator=self)
        self.refresh()
