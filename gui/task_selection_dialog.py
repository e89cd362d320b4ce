"""选择本单位任务: every task of a plan, what the matching says, and a tick to add or drop it by hand."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

from core.ledger import assignment
from core.ledger import overview
from core.errors import UserError

HEADERS = ("加入台账", "序号", "工作任务", "工作要求", "责任单位", "判断", "理由")
MAYBE_BRUSH = QBrush(QColor("#fff3c4"))
FILTERS = ("全部任务", "涉及本单位", "可能涉及，待确认", "已在本单位台账")


def verdict(choice: dict) -> str:
    """适用 / 可能涉及 / 不涉及 for one task."""
    return "适用" if choice["applies"] else ("可能涉及" if choice["maybe"] else "不涉及")


class TaskChoiceModel(QAbstractTableModel):
    """Rows are core.ledger.assignment.plan_choices dicts; ticking the first column saves at once."""

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.choices: list[dict] = []
        self.plan_id = None

    def load(self, plan_id) -> None:
        self.beginResetModel()
        self.plan_id = plan_id
        self.choices = assignment.plan_choices(self.db, plan_id) if plan_id else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.choices)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        c = self.choices[index.row()]
        column = index.column()
        if role == Qt.CheckStateRole and column == 0:
            return Qt.Checked if c["in_ledger"] else Qt.Unchecked
        if role == Qt.DisplayRole:
            return (
                None,
                c["seq"],
                " / ".join(c["category"]),
                c["requirement"],
                c["units"],
                verdict(c) + (f"（{c['role']}）" if c["applies"] and c["role"] else ""),
                c["reason"],
            )[column]
        if role == Qt.ToolTipRole and column in (2, 3, 4, 6):
            return self.data(index, Qt.DisplayRole)
        if role == Qt.BackgroundRole and c["maybe"] and not c["in_ledger"]:
            return MAYBE_BRUSH
        if role == Qt.UserRole:  # filter key
            return c
        return None

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsUserCheckable if index.column() == 0 else flags

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.CheckStateRole or index.column() != 0:
            return False
        row = index.row()
        selected = Qt.CheckState(value) == Qt.Checked
        try:
            assignment.set_selection(self.db, self.choices[row]["task_id"], selected)
        except UserError as exc:
            QMessageBox.warning(None, "无法修改", str(exc))
            return False
        self.choices[row].update(in_ledger=selected, selection="added" if selected else "dropped")
        self.dataChanged.emit(index, index.siblingAtColumn(len(HEADERS) - 1))
        return True


class ChoiceFilter(QSortFilterProxyModel):
    """Shows all tasks, those that concern this office, the uncertain ones, or those in the ledger."""

    mode = 0

    def set_mode(self, mode: int) -> None:
        self.beginFilterChange()
        self.mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):
        c = self.sourceModel().choices[row]
        return (True, c["applies"] or c["maybe"], c["maybe"] and not c["applies"], c["in_ledger"])[self.mode]


class TaskSelectionDialog(QDialog):
    """Pick the plan, see every task's verdict, tick to add, untick to drop. Saved as you go."""

    def __init__(self, session, parent=None, show_maybe=False):
        super().__init__(parent)
        self.session = session
        self.changed = False
        self.setWindowTitle("选择本单位任务")
        self.plans = QComboBox()
        for plan in overview.summary(session.db)["plans"]:
            self.plans.addItem(overview.plan_label(plan), plan["id"])
        self.filter = QComboBox()
        self.filter.addItems(FILTERS)
        self.model = TaskChoiceModel(session.db, self)
        self.model.dataChanged.connect(lambda *_: setattr(self, "changed", True))
        self.proxy = ChoiceFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((70, 50, 160, 380, 220, 110, 260)):
            self.table.setColumnWidth(column, width)
        self.plans.currentIndexChanged.connect(lambda _: self.model.load(self.plans.currentData()))
        self.filter.currentIndexChanged.connect(self.proxy.set_mode)

        top = QHBoxLayout()
        top.addWidget(QLabel("方案："))
        top.addWidget(self.plans, 1)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.filter)
        hint = QLabel("程序按“责任单位”判断任务是否涉及本单位；黄色底纹为“可能涉及”（如“重大政策起草单位”），请逐项确认。"
                      "勾选即加入本单位台账，取消勾选即移出；手工选择在重新导入方案后保持不变。")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1260, 720)
        self.model.load(self.plans.currentData())
        if show_maybe:
            self.filter.setCurrentIndex(2)

    def done(self, result) -> None:
        if self.changed:
            self.session.publish({"entries"}, initiator=self)
        super().done(result)
