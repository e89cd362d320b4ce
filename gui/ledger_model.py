"""The ledger table's model: entry ids in order, rows fetched from core in windows.

Opening, filtering and sorting ask core.ledger.query_ids for the ordered ids only; the
display rows are fetched a window at a time when the view asks for them and kept in a small
cache. An edit, or a change notice naming entry ids, refreshes those rows (dataChanged), never
the whole table.
"""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core import ledger
from core.ledger import search
from core.plan.deadline_text import SOURCE_LABEL, SOURCE_REQUIREMENT
from gui.widgets import role_int as _role_int

# (key in the row dict, header, sort key in core.ledger.SORTS), in order of what a user needs
# first: the seven key columns fit at 1024 px (gui.pages.ledger.KEY_COLUMNS), the rest follow.
COLUMNS = [
    ("seq", "序号", "seq"),
    ("category", "工作任务", "category"),
    ("status", "状态", "status"),
    ("remaining", "截止/剩余", "due"),
    ("measures", "工作举措", None),
    ("leader", "分管领导", "leader"),
    ("office", "责任科室", "office"),
    ("requirement", "工作要求", "requirement"),
    ("deadline", "时限要求", "deadline"),
    ("due", "截止日期", "due"),
    ("latest", "最近进展", "latest"),
    ("unit", "单位", "unit"),  # shown first, for a 汇总单位 only (gui.pages.ledger)
]
EDITABLE_COLUMNS = {"leader", "office", "status"}
WINDOW = 80  # rows fetched at a time: a screenful or two, so a search repaints quickly
MAX_CACHED_WINDOWS = 50
MAX_CACHED_ORDERS = 6
REFRESH_ON_WINDOW_THREAD = 500  # a larger search backlog (after a merge) is left to the background loader
OVERDUE_BG = QColor("#fde2e1")
SOON_BG = QColor("#fff4cc")
ID_ROLE = Qt.UserRole + 1
OVERDUE_BRUSH = QBrush(OVERDUE_BG)
SOON_BRUSH = QBrush(SOON_BG)
RED_TEXT = QBrush(QColor("#b42318"))
# 督办 colours of core.ledger.DueCalculator.remaining: (row background, text of 截止/剩余)
URGENCY = {
    "red": (OVERDUE_BRUSH, RED_TEXT),
    "yellow": (SOON_BRUSH, QBrush(QColor("#8a5a00"))),
    "blue": (QBrush(QColor("#e0ecff")), QBrush(QColor("#1d4ed8"))),
}
COLUMN_KEYS = [c[0] for c in COLUMNS]


DISPLAY, EDIT, TOOLTIP = _role_int(Qt.DisplayRole), _role_int(Qt.EditRole), _role_int(Qt.ToolTipRole)
BACKGROUND, FOREGROUND, ID = _role_int(Qt.BackgroundRole), _role_int(Qt.ForegroundRole), _role_int(ID_ROLE)
_ROLES = frozenset((DISPLAY, EDIT, TOOLTIP, BACKGROUND, FOREGROUND, ID))


class LedgerModel(QAbstractTableModel):
    """Entries of the current filter, as rows of COLUMNS."""

    def __init__(self, db, parent=None, today=None):
        super().__init__(parent)
        self.db = db
        self.today = today
        self.filters: dict = {}
        self.sort_key = "seq"
        self.descending = False
        self.ids: list[str] = []
        self.text_cache = None  # core.ledger.search.TextCache once loaded in the background; None while stale
        self._windows: dict[int, dict] = {}
        self._orders: dict = {}
        self.edit_handler = None  # callable(entry_id, field, value) -> bool, set by the page

    # ---- loading

    def reload(self) -> None:
        """Show the ordered ids for the current filters and sort (drops the row cache).

        The ordered ids without the search text are kept per (filters, sort): a search
        keystroke or a second click on a sorted header then costs one index lookup.
        """
        self.beginResetModel()
        base = self._base_ids()
        query = self.filters.get("search", "")
        cache = self.text_cache
        if cache is not None:
            found = cache.matching_positions(query)
            self.ids = base if found is None else cache.keep(base, found)
        else:
            matches = search.matching_ids(self.db, query, refresh_up_to=REFRESH_ON_WINDOW_THREAD)
            self.ids = base if matches is None else [i for i in base if i in matches]
        self._windows.clear()
        self.endResetModel()

    def _base_ids(self) -> list[str]:
        """Ordered ids for the filters other than search (cached; reversed for the other direction)."""
        filters = {k: v for k, v in self.filters.items() if k != "search"}
        key = (tuple(sorted(filters.items())), self.sort_key)
        if key not in self._orders:
            if len(self._orders) >= MAX_CACHED_ORDERS:
                self._orders.pop(next(iter(self._orders)))
            self._orders[key] = ledger.query_ids(self.db, filters, self.sort_key, False, today=self.today)
        ids = self._orders[key]
        return ids[::-1] if self.descending else ids

    def clear_orders(self) -> None:
        """Forget the cached orders (after data changed elsewhere)."""
        self._orders.clear()

    def set_filters(self, filters: dict) -> None:
        """Show the entries passing `filters` (see core.ledger.query_ids)."""
        self.filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.reload()

    def row(self, row: int) -> dict:
        """The display row at `row` (fetched with its window when not cached)."""
        window = row // WINDOW
        rows = self._windows.get(window)
        if rows is None:
            if len(self._windows) >= MAX_CACHED_WINDOWS:
                self._windows.pop(next(iter(self._windows)))
            ids = self.ids[window * WINDOW:(window + 1) * WINDOW]
            rows = ledger.fetch_rows(self.db, ids, today=self.today)
            self._windows[window] = rows
        return rows.get(self.ids[row]) or {}

    def row_of(self, entry_id: str) -> int | None:
        """The row showing `entry_id`, or None."""
        try:
            return self.ids.index(entry_id)
        except ValueError:
            return None

    def entry_id(self, row: int) -> str | None:
        """The entry id shown at `row`."""
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def refresh_entry(self, entry_id: str) -> None:
        """Re-read one entry after an edit and repaint its row."""
        self.refresh_entries((entry_id,))

    def refresh_entries(self, entry_ids) -> list[int]:
        """Re-read the given entries and repaint their rows only (no reset); the rows repainted.

        Entries not shown are skipped; rows not fetched yet are read when the view asks for them.
        """
        self._orders.clear()  # sort keys may have changed; the shown order stays until the next reload
        self.text_cache = None  # the entries' searchable text may have changed
        if len(entry_ids) == 1:
            rows = [r for r in (self.row_of(next(iter(entry_ids))),) if r is not None]
        else:
            wanted = set(entry_ids)
            rows = [r for r, i in enumerate(self.ids) if i in wanted]
        cached = [self.ids[r] for r in rows if (r // WINDOW) in self._windows]
        if cached:
            fresh = ledger.fetch_rows(self.db, cached, today=self.today)
            for r in rows:
                window = self._windows.get(r // WINDOW)
                if window is not None and self.ids[r] in fresh:
                    window[self.ids[r]] = fresh[self.ids[r]]
        for r in rows:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))
        return rows

    # ---- Qt model interface

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][1]
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return section + 1
        return None

    def data(self, index, role=Qt.DisplayRole):
        role = _role_int(role)
        if role not in _ROLES or not index.isValid():
            return None
        r = index.row()
        if role == ID:
            return self.ids[r]
        row = self.row(r)
        key = COLUMN_KEYS[index.column()]
        colours = URGENCY.get(row.get("urgency") or ("red" if row.get("overdue") else None))
        if role == BACKGROUND:
            return colours[0] if colours else None
        if role == FOREGROUND:
            if key == "remaining" and colours:
                return colours[1]
            return RED_TEXT if key in ("due", "status") and row.get("overdue") else None
        value = row.get(key)
        if role == TOOLTIP:
            return self._tooltip(row, key, value)
        if role == DISPLAY:
            if key == "status" and row.get("overdue"):
                return f"{value}（逾期）"
            if key == "due":
                return value or "—"
            if key == "deadline" and value and row.get("deadline_source") == SOURCE_REQUIREMENT:
                return f"{SOURCE_LABEL}：{value}"
            if key in ("measures", "latest", "requirement") and value and "\n" in value:
                lines = value.split("\n")
                return f"{lines[0]} 等{len(lines)}条"
        return value

    @staticmethod
    def _tooltip(row: dict, key: str, value):
        """The full text of a cell (the table shows long texts elided)."""
        if key == "remaining":
            parts = [f"截止日期：{row.get('due') or '无'}", f"时限要求：{row.get('deadline') or '无'}"]
            return f"{value}\n" + "\n".join(parts)
        return value or None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and COLUMNS[index.column()][0] in EDITABLE_COLUMNS:
            return base | Qt.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        key = COLUMNS[index.column()][0]
        if key not in EDITABLE_COLUMNS:
            return False
        return bool(self.edit_handler(self.ids[index.row()], key, value))

    def sort(self, column, order=Qt.AscendingOrder) -> None:
        key = COLUMNS[column][2]
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.DescendingOrder
        self.reload()
