"""A table model over a parsed plan's tasks, editable before import; filled-down and joined cells
shaded, a deadline quoted from the requirement labelled, and where each row was read (page)."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

FILLED_BRUSH = QBrush(QColor("#fff3c4"))
IMPLIED_PREFIX = "（摘自工作要求）"
FILLED_TIP = "此格为空，已按“同上”取上一行的内容，请核对"
JOINED_TIP = "此格被分页截断，已把下一页开头的接续部分接回（接续），请核对"
IMPLIED_TIP = "方案此项没有时限要求，此时限摘自工作要求，导入后按它计算截止日期；可双击修改"

# (header, field, category level or None)
COLUMNS = [
    ("序号", "seq", None),
    ("一级任务", "category", 0),
    ("二级任务", "category", 1),
    ("工作要求", "requirement", None),
    ("责任单位", "units", None),
    ("时限要求", "deadline", None),
    ("来源", "source", None),
]
READ_ONLY = {"source"}


class PlanPreviewModel(QAbstractTableModel):
    """Rows are ParsedTask objects; edits write straight into them."""

    def __init__(self, tasks, parent=None):
        super().__init__(parent)
        self.tasks = tasks

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.tasks)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        return COLUMNS[section][0] if orientation == Qt.Horizontal else str(section + 1)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        task = self.tasks[index.row()]
        _, field, level = COLUMNS[index.column()]
        implied = field == "deadline" and not task.deadline and bool(task.implied_deadline)
        if role == Qt.DisplayRole:
            return IMPLIED_PREFIX + task.implied_deadline if implied else _get(task, field, level)
        if role == Qt.EditRole:
            return task.implied_deadline if implied else _get(task, field, level)
        if role == Qt.BackgroundRole and (field in task.filled or field in task.joined or implied):
            return FILLED_BRUSH
        if role == Qt.ToolTipRole:
            tips = [FILLED_TIP] * (field in task.filled) + [JOINED_TIP] * (field in task.joined) + [IMPLIED_TIP] * implied
            return "\n".join(tips + [_get(task, field, level) or ""]).strip() or None
        return None

    def flags(self, index):
        if index.isValid() and COLUMNS[index.column()][1] in READ_ONLY:
            return super().flags(index)
        return super().flags(index) | Qt.ItemIsEditable

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or not index.isValid():
            return False
        task = self.tasks[index.row()]
        _, field, level = COLUMNS[index.column()]
        if field in READ_ONLY:
            return False
        _set(task, field, level, str(value).strip())
        if field == "deadline":
            task.implied_deadline = ""  # what the user typed is the row's own deadline now
        for marks in (task.filled, task.joined):
            if field in marks:
                marks.remove(field)
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(COLUMNS) - 1))
        return True


def _get(task, field, level):
    if level is None:
        return getattr(task, field)
    return task.category[level] if level < len(task.category) else ""


def _set(task, field, level, value):
    if level is None:
        setattr(task, field, value)
        return
    levels = list(task.category) + [""] * (level + 1 - len(task.category))
    levels[level] = value
    while levels and not levels[-1]:
        levels.pop()
    task.category = levels
