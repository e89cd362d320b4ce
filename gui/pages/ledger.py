"""任务台账 page: the filtered, sortable table of entries and the detail panel of the chosen one.

Every edit is saved at once through core (one small transaction, history written) and
pushed on a QUndoStack; undo writes the old value back through core, so the history
stays truthful.
"""

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import ledger, settings
from core.ledger import carry_over
from core.ledger import search
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.entry_detail import EntryDetail
from gui.errors import show_error
from gui.worker import run_task
from gui.ledger_model import COLUMNS, LedgerModel

SETTINGS_KEY = "ledger/header_state_v2"  # v2: the columns in order of priority (#16)
DEFAULT_WIDTHS = (44, 160, 84, 116, 150, 70, 76, 260, 130, 90, 220)
# The columns that must be visible without scrolling (at 1024 px too); the elastic ones give
# up width, down to MIN_ELASTIC, when the table is narrower than they all need.
KEY_COLUMNS = ("seq", "category", "status", "remaining", "measures", "leader", "office")
ELASTIC_COLUMNS = ("category", "measures")
MIN_ELASTIC = 56
DUE_CHOICES = (("", "全部时限"), ("overdue", "已逾期"), ("soon", "10个工作日内到期"), ("month", "30天内到期"), ("none", "无固定时限"))
SEARCH_DELAY_MS = 250
SEARCH_CACHE_DELAY_MS = 1500  # re-read the search text once edits pause this long
ROW_KINDS = frozenset({"entries", "progress"})  # a notice of only these, naming ids, repaints those rows


# ---------------------------------------------------------------- undo commands

class FieldCommand(QUndoCommand):
    """A change of entry fields; undo writes the old values back."""

    def __init__(self, page, entry_id, old: dict, new: dict):
        super().__init__("修改" + "、".join(ledger.FIELD_NAMES.get(k, k) for k in new))
        self.page, self.entry_id, self.old, self.new = page, entry_id, old, new
        self.applied = True

    def redo(self):
        if self.applied:  # already saved when the command was made
            self.applied = False
            return
        self.page.apply(lambda db: ledger.update_entry(db, self.entry_id, self.new), self.entry_id)

    def undo(self):
        self.page.apply(lambda db: ledger.update_entry(db, self.entry_id, self.old), self.entry_id)


class MeasuresCommand(QUndoCommand):
    """A change of the 工作举措 list."""

    def __init__(self, page, entry_id, old: list, new: list):
        super().__init__("修改工作举措")
        self.page, self.entry_id, self.old, self.new = page, entry_id, old, new
        self.applied = True

    def redo(self):
        if self.applied:
            self.applied = False
            return
        self.page.apply(lambda db: ledger.set_measures(db, self.entry_id, self.new), self.entry_id)

    def undo(self):
        self.page.apply(lambda db: ledger.set_measures(db, self.entry_id, self.old), self.entry_id)


class AddRecordCommand(QUndoCommand):
    """A record added (a progress line or an event date); undo deletes it, redo restores it."""

    def __init__(self, page, entry_id, table: str, record_id: str, text: str):
        super().__init__(text)
        self.page, self.entry_id, self.table, self.record_id = page, entry_id, table, record_id
        self.applied = True

    def redo(self):
        if self.applied:
            self.applied = False
            return
        self.page.apply(lambda db: ledger.restore_record(db, self.table, self.record_id), self.entry_id, self.kind)

    def undo(self):
        self.page.apply(lambda db: _delete(db, self.table, self.record_id), self.entry_id, self.kind)

    @property
    def kind(self) -> str:
        """The gui.changes kind of the record: a progress line, or an event date of the entry."""
        return "progress" if self.table == "progress" else "entries"


def _delete(db, table, record_id):
    from core import records

    with db.atomic():
        records.delete(db, table, record_id)


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the four statuses for the 状态 column."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(ledger.STATUSES)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(str(index.data(Qt.EditRole) or ""))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.EditRole)


# ---------------------------------------------------------------- the page

class LedgerPage(QWidget):
    # What it shows (gui.changes): entries and their progress, due dates in working days, plans, the role.
    SHOWS = frozenset({"profile", "plan", "entries", "progress", "calendar"})

    def __init__(self, session, parent=None, today=None):
        super().__init__(parent)
        self.session = session
        self.today = today
        self.undo_stack = QUndoStack(self)
        self.read_only = False

        self.model = LedgerModel(session.db, self, today=today)
        self.model.edit_handler = self.table_edit
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(_column("status"), StatusDelegate(self.view))
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self._restore_header()
        self._place_unit_column()
        header.sortIndicatorChanged.connect(self.model.sort)
        self._fitting = False
        header.sectionResized.connect(lambda *_: self.save_header())
        header.sectionMoved.connect(lambda *_: self.save_header())
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_key_columns)

        self.detail = EntryDetail(session, self, today=today)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.detail.show_entry(self.model.entry_id(cur.row())))

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索任务、举措、进展（支持拼音、首字母，如 zcjd）  Ctrl+F")
        self.search.setMinimumWidth(300)
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        self._cache_generation = 0
        self._cache_timer = QTimer(self)
        self._cache_timer.setSingleShot(True)
        self._cache_timer.setInterval(SEARCH_CACHE_DELAY_MS)
        self._cache_timer.timeout.connect(self.load_search_cache)

        self.year = QComboBox()
        self.category = QComboBox()
        self.status = QComboBox()
        self.role = QComboBox()
        self.due = QComboBox()
        self.unit = QComboBox()  # a 汇总单位 narrows the merged ledger to one unit
        self.unit.setVisible(settings.is_county(session.db))
        for value, title in DUE_CHOICES:
            self.due.addItem(title, value)
        self.status.addItem("全部状态", "")
        for s in (*ledger.STATUSES, ledger.OVERDUE):
            self.status.addItem(s, s)
        self.count_label = QLabel()
        self.carry_button = carry = QPushButton("回头看…")
        carry.setToolTip("把上一年度未完成的任务结转到下一年度")
        carry.clicked.connect(lambda: self.carry_over())

        # The search box on a row of its own, so it keeps its full width at 1024 px.
        search_bar = QHBoxLayout()
        search_bar.addWidget(self.search, 1)
        search_bar.addWidget(self.count_label)
        search_bar.addWidget(carry)
        preview = QPushButton("打印预览…")
        preview.setToolTip("按导出的工作任务台账版式（A4 横向）预览并打印")
        preview.clicked.connect(lambda: self.print_preview())
        search_bar.addWidget(preview)
        bar = QHBoxLayout()
        for w in (self.unit, self.year, self.category, self.status, self.role, self.due):
            bar.addWidget(w)
        bar.addStretch()

        self.splitter = splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 500])
        splitter.splitterMoved.connect(lambda *_: self._fit_timer.start())
        layout = QVBoxLayout(self)
        layout.addLayout(search_bar)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self._fill_choices()
        for combo in (self.unit, self.year, self.category, self.status, self.role, self.due):
            combo.currentIndexChanged.connect(self._on_choice)
        self.watch = ChangeWatch(self, session, self.SHOWS, self.redraw)
        self.apply_filters()
        self.load_search_cache()
        if getattr(session, "read_only", False):
            self.set_read_only(True)

    def set_read_only(self, read_only: bool) -> None:
        """A copy opened read-only: nothing in the table or the detail panel can be changed."""
        self.read_only = read_only
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers if read_only else QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.detail.set_read_only(read_only)
        self.carry_button.setEnabled(not read_only)

    # ---- filters

    def _fill_choices(self) -> None:
        """Fill the year, category and role drop-downs from the database, keeping the choices."""
        db = self.session.db
        first = self.year.count() == 0
        keep = (self.year.currentData(), self.category.currentData(), self.role.currentData())
        for combo in (self.year, self.category, self.role):
            combo.blockSignals(True)
            combo.clear()
        self.year.addItem("全部年度", None)
        years = ledger.years(db)
        for y in years:
            self.year.addItem(f"{y}年", y)
        year = keep[0] if (keep[0] in years or not first) else (years[0] if years else None)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.category.addItem("全部任务类别", "")
        for c in ledger.categories(db, year):
            self.category.addItem(c, c)
        self.category.setCurrentIndex(max(0, self.category.findData(keep[1])))
        self.role.addItem("全部角色", "")
        for r in ledger.roles(db, year):
            self.role.addItem(r, r)
        self.role.setCurrentIndex(max(0, self.role.findData(keep[2])))
        for combo in (self.year, self.category, self.role):
            combo.blockSignals(False)
        self._fill_units()

    def _fill_units(self) -> None:
        """The unit filter of a 汇总单位: every unit whose ledger has been collected."""
        keep = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("全部单位", "")
        for name in ledger.units(self.session.db):
            self.unit.addItem(name, name)
        self.unit.setCurrentIndex(max(0, self.unit.findData(keep)))
        self.unit.blockSignals(False)

    def _place_unit_column(self) -> None:
        """The 单位 column: first for a 汇总单位 (merged ledgers), hidden for a unit's own ledger."""
        header = self.view.horizontalHeader()
        column = _column("unit")
        county = settings.is_county(self.session.db)
        header.setSectionHidden(column, not county)
        if county and header.visualIndex(column) != 0:
            header.moveSection(header.visualIndex(column), 0)

    def _on_choice(self, _index) -> None:
        if self.sender() is self.year:
            self._fill_choices()
        self.apply_filters()

    def filters(self) -> dict:
        """The filters chosen in the bar."""
        return {
            "unit": self.unit.currentData() or "",
            "year": self.year.currentData(),
            "category": self.category.currentData(),
            "status": self.status.currentData(),
            "role": self.role.currentData(),
            "due": self.due.currentData(),
            "search": self.search.text().strip(),
        }

    def apply_filters(self) -> None:
        """Reload the table for the chosen filters and search text."""
        self._search_timer.stop()
        current = self.detail.entry["id"] if self.detail.entry else None
        try:
            self.model.set_filters(self.filters())
        except UserError as exc:
            show_error(self, exc)
            return
        self.count_label.setText(f"共 {self.model.rowCount()} 项")
        if current is not None and self.model.row_of(current) is not None:
            self.select_entry(current)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def select_entry(self, entry_id: str) -> bool:
        """Select the row of `entry_id` if it is shown."""
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.detail.show_entry(entry_id)
        return True

    def open_entry(self, entry_id: str) -> None:
        """Show one entry, clearing filters that hide it."""
        if self.select_entry(entry_id):
            return
        for combo in (self.unit, self.year, self.category, self.status, self.role, self.due):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()
        self.select_entry(entry_id)

    # ---- columns

    def _column_menu(self, pos) -> None:
        menu = QMenu(self)
        header = self.view.horizontalHeader()
        for i, (_, title, _) in enumerate(COLUMNS):
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, col=i: self.set_column_visible(col, on))
            menu.addAction(action)
        menu.exec(header.mapToGlobal(pos))

    def set_column_visible(self, column: int, visible: bool) -> None:
        """Show or hide one column (remembered)."""
        self.view.horizontalHeader().setSectionHidden(column, not visible)
        self.save_header()

    def save_header(self) -> None:
        """Remember the columns' order, widths and visibility (not while fitting them to the window)."""
        if not self._fitting:
            QSettings().setValue(SETTINGS_KEY, self.view.horizontalHeader().saveState())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_timer.start()

    def fit_key_columns(self) -> None:
        """Narrow 工作任务 and 工作举措 (down to MIN_ELASTIC) so that every key column is in view.

        Only the shown widths change; the widths the user chose stay remembered and come back
        when the table is wide enough again.
        """
        header = self.view.horizontalHeader()
        available = self.view.viewport().width()
        keys = [_column(k) for k in KEY_COLUMNS if not header.isSectionHidden(_column(k))]
        if not keys or available <= 0:
            return
        last = max(header.visualIndex(c) for c in keys)
        shown = [header.logicalIndex(v) for v in range(last + 1) if not header.isSectionHidden(header.logicalIndex(v))]
        saved = self._saved_widths()
        elastic = [c for c in (_column(k) for k in ELASTIC_COLUMNS) if c in shown]
        fixed = sum(header.sectionSize(c) for c in shown if c not in elastic)
        wanted = {c: saved.get(c, header.sectionSize(c)) for c in elastic}
        room = available - fixed
        total = sum(wanted.values())
        self._fitting = True
        try:
            for c in elastic:
                width = wanted[c] if total <= room else max(MIN_ELASTIC, int(room * wanted[c] / total))
                if header.sectionSize(c) != width:
                    header.resizeSection(c, width)
        finally:
            self._fitting = False

    def _saved_widths(self) -> dict:
        """{column: width} as the user left them (the remembered state, else the defaults)."""
        widths = dict(enumerate(DEFAULT_WIDTHS))
        state = QSettings().value(SETTINGS_KEY)
        if state is not None:
            probe = QHeaderView(Qt.Horizontal)
            probe.setModel(self.model)
            if probe.restoreState(state):
                widths.update({i: probe.sectionSize(i) for i in range(self.model.columnCount())})
            probe.deleteLater()
        return widths

    def _restore_header(self) -> None:
        header = self.view.horizontalHeader()
        for i, width in enumerate(DEFAULT_WIDTHS):
            header.resizeSection(i, width)
        header.setSectionResizeMode(QHeaderView.Interactive)
        state = QSettings().value(SETTINGS_KEY)
        if state is not None:
            header.restoreState(state)
        header.setSortIndicator(0, Qt.AscendingOrder)

    # ---- edits (all saved at once and undoable)

    def apply(self, fn, entry_id: str, kind: str = "entries"):
        """Run fn(db) and refresh what shows `entry_id` (a refused change leaves the typing as is);
        `kind`: what fn changes, "entries" (the entry's fields) or "progress" (its progress lines)."""
        result = fn(self.session.db)
        self.entry_changed(entry_id, kind)
        return result

    def table_edit(self, entry_id: str, field: str, value) -> bool:
        """An edit made in a table cell."""
        if self.read_only:
            self.session.status_message.emit("只读模式：不能修改。")
            return False
        try:
            self.change_fields(entry_id, {field: value})
        except UserError as exc:
            show_error(self, exc)
            return False
        return True

    def change_fields(self, entry_id: str, changes: dict) -> dict:
        """Save field changes of one entry and make them undoable."""
        changed = self.apply(lambda db: ledger.update_entry(db, entry_id, changes, today=self.today), entry_id)
        if changed:
            old = {k: o for k, (o, _) in changed.items()}
            new = {k: n for k, (_, n) in changed.items()}
            self.undo_stack.push(FieldCommand(self, entry_id, old, new))
        return changed

    def set_measures(self, entry_id: str, texts: list) -> None:
        """Save the 工作举措 list of one entry."""
        old = ledger.measures_of(self.session.db, entry_id)
        self.apply(lambda db: ledger.set_measures(db, entry_id, texts), entry_id)
        new = ledger.measures_of(self.session.db, entry_id)
        if new != old:
            self.undo_stack.push(MeasuresCommand(self, entry_id, old, new))

    def add_progress(self, entry_id: str, day: str, text: str, duty: str = "", files=(), links=()) -> dict:
        """Record a progress line with evidence files (copied) and links, in one transaction."""
        db_path = self.session.db_path
        row = self.apply(lambda db: ledger.add_progress_with_evidence(db, db_path, entry_id, day, text, duty, files, links), entry_id, "progress")
        self.undo_stack.push(AddRecordCommand(self, entry_id, "progress", row["id"], "记录进展"))
        return row

    def add_event(self, entry_id: str, day: str, note: str = "") -> dict:
        """Record an event date the entry's deadline counts from."""
        row = self.apply(lambda db: ledger.add_event(db, entry_id, day, note), entry_id)
        self.undo_stack.push(AddRecordCommand(self, entry_id, "events", row["id"], "登记事项日期"))
        return row

    def undo(self) -> None:
        """编辑 → 撤销 (Ctrl+Z): undo the latest edit."""
        if self.read_only:
            return
        if self.undo_stack.canUndo():
            text = self.undo_stack.undoText()
            self.undo_stack.undo()
            self.session.status_message.emit(f"已撤销：{text}（Ctrl+Y 重做）")
        else:
            self.session.status_message.emit("没有可以撤销的修改。")

    def redo(self) -> None:
        """编辑 → 重做 (Ctrl+Y): apply the latest undone edit again."""
        if self.read_only:
            return
        if self.undo_stack.canRedo():
            text = self.undo_stack.redoText()
            self.undo_stack.redo()
            self.session.status_message.emit(f"已重做：{text}")
        else:
            self.session.status_message.emit("没有可以重做的修改。")

    def load_search_cache(self) -> None:
        """Read the search index into memory in the background; until then searches ask SQLite."""
        self._cache_timer.stop()
        self.model.text_cache = None
        self._cache_generation += 1
        generation = self._cache_generation

        def load():
            db = self.session.open_worker_db()
            try:
                return search.TextCache.load(db)
            finally:
                db.conn.close()

        def loaded(cache):
            # Keep it only if the page still exists and nothing changed while it loaded.
            if shiboken6.isValid(self) and generation == self._cache_generation:
                self.model.text_cache = cache

        run_task(self, "", load, on_done=loaded, on_error=lambda exc: None, modal=False)

    def entry_changed(self, entry_id: str, kind: str = "entries") -> None:
        """Repaint one row and the detail panel, and tell other pages (this page is the initiator:
        the notice does not come back to it)."""
        self.repaint_entries({entry_id})
        self.session.publish({kind}, ids={entry_id}, initiator=self)

    def repaint_entries(self, entry_ids) -> None:
        """Re-read the rows of `entry_ids` (and the detail panel if it shows one of them)."""
        self.model.refresh_entries(entry_ids)
        self._stale_search_cache()
        if self.detail.entry and self.detail.entry["id"] in entry_ids:
            self.detail.reload()

    def redraw(self, changes) -> None:
        """Another page changed what this one shows: only the named rows when that is all, else everything."""
        if changes.ids and changes.only(ROW_KINDS):
            self.repaint_entries(changes.ids)
        else:
            self.reload(profile=changes.touches({"profile"}))

    def reload(self, profile: bool = False) -> None:
        """Read everything again: the choices of the filter bar, the orders, the rows (`profile`: and the role)."""
        if profile:
            self.unit.setVisible(settings.is_county(self.session.db))
            self._place_unit_column()
        self._fill_choices()
        self.model.clear_orders()
        self._stale_search_cache()
        self.apply_filters()

    def _stale_search_cache(self) -> None:
        """Drop the in-memory search text now and read it again once edits pause."""
        self.model.text_cache = None
        self._cache_generation += 1
        self._cache_timer.start()

    def print_preview(self, show=None) -> str | None:
        """打印预览: the 工作任务台账 of the chosen year as it prints (landscape A4, a task's rows on one page)."""
        from core.export.pdf import form_html

        try:
            html, landscape = form_html(self.session.db, "ledger", self.year.currentData())
        except UserError as exc:
            show_error(self, exc)
            return None
        if show is None:
            from gui.print_preview import show_preview as show
        show(self, html, landscape, "打印预览：工作任务台账")
        return html

    # ---- years

    def carry_over(self, confirm: bool = True) -> dict | None:
        """回头看: carry the chosen (or newest) year's unfinished entries into the next year."""
        db = self.session.db
        years = ledger.years(db)
        if not years:
            show_error(self, UserError("台账中还没有任务，无需回头看。请先导入方案。"))
            return None
        from_year = self.year.currentData() or years[0]
        todo = carry_over.candidates(db, from_year)
        if not todo:
            QMessageBox.information(self, "回头看", f"{from_year}年没有需要结转的未完成任务。")
            return None
        if confirm:
            answer = QMessageBox.question(
                self, "回头看",
                f"{from_year}年有 {len(todo)} 项任务未完成（未开始或推进中）。\n"
                f"是否结转到 {from_year + 1} 年台账？原条目保留不变，新条目注明“由{from_year}年结转”。",
            )
            if answer != QMessageBox.Yes:
                return None
        try:
            result = carry_over.carry_over(db, from_year, from_year + 1)
        except UserError as exc:
            show_error(self, exc)
            return None
        self.session.publish({"entries"}, initiator=self)
        self.reload()  # the new year's entries (and the year in the filter bar)
        self.year.setCurrentIndex(max(0, self.year.findData(from_year + 1)))
        self.session.status_message.emit(f"回头看：已结转 {result['carried']} 项任务到 {from_year + 1} 年。")
        return result


def _column(key: str) -> int:
    return [c[0] for c in COLUMNS].index(key)
