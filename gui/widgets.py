"""Small pieces several dialogs share."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QTableView


def role_int(role) -> int:
    """A Qt role as a plain int (comparing PySide enum objects is slow in a model's hot path)."""
    return role if isinstance(role, int) else int(getattr(role, "value", role))


def dialog_buttons(dialog, ok_text: str, on_ok) -> QDialogButtonBox:
    """A button row: `ok_text` (default button, calls on_ok) and 取消 (rejects the dialog)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RowsModel(QAbstractTableModel):
    """A read-only table of dict rows under fixed `headers`; a subclass answers `cell(row, column, role)`."""

    headers: tuple = ()

    def __init__(self, parent=None, rows=()):
        super().__init__(parent)
        self.rows: list[dict] = list(rows)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def cell(self, row: dict, column: int, role):
        """What the cell of `row` in `column` shows for `role` (subclasses say; nothing by default)."""
        return None


def row_table(model) -> QTableView:
    """A table that shows `model` row by row: one row selected at a time, no editing, no row numbers."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    return view
