"""概览: where the ledger stands — counts, overdue and due-soon lists, counted duties,
completion by task category, and a notice when something is overdue or due within 3 working days.
"""

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import ledger
from core.ledger import duties
from core.ledger import overview
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.worker import run_task

RED = QColor("#fde2e1")
YELLOW = QColor("#fff4cc")
STATUS_COLORS = {"未开始": "#667085", "推进中": "#1d4ed8", "已完成": "#067647", "长期坚持": "#6941c6", "逾期": "#b42318"}


class CategoryBars(QWidget):
    """Completion by task category as simple painted horizontal bars."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[dict] = []
        self.setMinimumHeight(60)

    def set_items(self, items: list[dict]) -> None:
        self.items = items
        self.setMinimumHeight(max(60, 28 * len(items) + 10))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        if not self.items:
            p.drawText(self.rect(), Qt.AlignCenter, "暂无台账条目")
            return
        label_w = min(220, self.width() // 3)
        bar_w = max(40, self.width() - label_w - 110)
        for i, item in enumerate(self.items):
            y = 6 + i * 28
            p.setPen(QColor("#344054"))
            p.drawText(QRectF(0, y, label_w - 8, 22), Qt.AlignRight | Qt.AlignVCenter, _elide(item["category"], 14))
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(QColor("#e4e7ec")))
            p.drawRoundedRect(QRectF(label_w, y + 3, bar_w, 16), 3, 3)
            share = item["done"] / item["total"] if item["total"] else 0
            p.setBrush(QBrush(QColor("#12b76a")))
            if share:
                p.drawRoundedRect(QRectF(label_w, y + 3, bar_w * share, 16), 3, 3)
            p.setPen(QColor("#344054"))
            p.drawText(QRectF(label_w + bar_w + 8, y, 100, 22), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{item['done']}/{item['total']}（{share:.0%}）")
        p.end()


class OverviewPage(QWidget):
    # What it shows (gui.changes): the profile and plans, the ledger's figures, activities, requests, the calendar.
    SHOWS = frozenset({"profile", "plan", "entries", "progress", "activities", "requests", "calendar"})
    open_entry_requested = Signal(str)
    figures_shown = Signal()  # the background figures are painted (for tests and benchmarks)

    def __init__(self, session, parent=None, today=None):
        super().__init__(parent)
        self.session = session
        self.today = today
        self.main_window = parent
        self._generation = 0

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fef0c7; color: #7a2e0e; padding: 8px; border-radius: 4px; font-weight: bold; }")
        self.banner.hide()
        self.who = QLabel()
        self.who.setTextFormat(Qt.RichText)
        self.who.setWordWrap(True)
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh_figures())
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.RichText)
        self.counts.setWordWrap(True)
        self.calendar_box, self.calendar_text = self._calendar_warning_box()
        self.empty = EmptyState(parent, self)

        self.overdue = QListWidget()
        self.soon = QListWidget()
        self.reports = QListWidget()
        for lst in (self.overdue, self.soon, self.reports):
            lst.setWordWrap(True)  # long lines wrap: nothing hides behind a scroll bar
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for lst in (self.overdue, self.soon):
            lst.itemActivated.connect(self._open_item)
            lst.itemDoubleClicked.connect(self._open_item)
        self.duty_grid = QGridLayout()
        self.duty_widgets: dict[str, tuple] = {}
        self.bars = CategoryBars()

        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year)
        lists = QHBoxLayout()
        lists.addWidget(_boxed("已逾期（双击打开）", self.overdue))
        lists.addWidget(_boxed("10个工作日内到期", self.soon))
        self.reports_box = _boxed("开放活动待报送", self.reports)
        lists.addWidget(self.reports_box)
        lower = QHBoxLayout()
        duty_box = QGroupBox("年度计数事项（目标可修改）")
        duty_box.setLayout(self.duty_grid)
        lower.addWidget(duty_box, 1)
        lower.addWidget(_boxed("按任务类别的完成情况", self.bars), 2)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.banner)
        layout.addWidget(self.calendar_box)
        layout.addLayout(top)
        layout.addWidget(self.empty, 1)
        self.figures_widget = QWidget()
        figures = QVBoxLayout(self.figures_widget)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.addWidget(self.counts)
        figures.addLayout(lists, 2)
        figures.addLayout(lower, 1)
        layout.addWidget(self.figures_widget, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        if parent is not None and hasattr(parent, "page"):
            self.open_entry_requested.connect(self._open_in_ledger)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.refresh()

    def day(self) -> date:
        return self.today or date.today()

    def refresh(self) -> None:
        """Re-read everything (profile, years, figures)."""
        db = self.session.db
        facts = overview.summary(db)
        profile = facts["profile"]
        who = f"{profile['name']}（{profile['kind']}，{profile['role']}）" if profile else "尚未设置本单位信息"
        plans = "；".join(overview.plan_label(p) for p in facts["plans"]) or "尚未导入方案"
        self.who.setText(f"<h2>{who}</h2><p><b>方案：</b>{plans}</p>")
        keep = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        years = ledger.years(db)
        self.empty.setVisible(not years)  # nothing yet: the big 导入方案 button instead of empty figures
        self.figures_widget.setVisible(bool(years))
        for y in years or [self.day().year]:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(0, self.year.findData(keep)))
        self.year.blockSignals(False)
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Counts, lists, duties, chart and the notice for the chosen year, computed in the background
        (a county's 20,000 entries take a second) and painted when ready."""
        year, today = self.year.currentData(), self.day()
        self._generation += 1
        generation = self._generation

        def compute():
            db = self.session.open_worker_db()
            try:
                return overview.figures(db, year=year, today=today)
            finally:
                db.conn.close()

        def done(facts):
            if shiboken6.isValid(self) and generation == self._generation:  # still wanted
                self.show_figures(facts)

        self.counts.setText("正在统计…")
        run_task(self, "", compute, on_done=done, modal=False)

    def show_figures(self, facts: dict) -> None:
        """Paint what overview.figures computed."""
        statuses = "　".join(
            f"<span style='color:{STATUS_COLORS.get(k, '#344054')}; font-size:15px'><b>{k}</b> {v}</span>" for k, v in facts["counts"].items()
        )
        overdue = (f"<span style='color:{STATUS_COLORS['逾期']}; font-size:15px'>其中 <b>逾期</b> {facts['overdue']} 项</span>"
                   "<span style='color:#667085'>（未完成且已过截止日期，已计入上面的状态）</span>") if facts["overdue"] else "没有逾期任务"
        self.counts.setText(f"<span style='font-size:15px'>共 <b>{facts['total']}</b> 项任务：</span>{statuses}<br>{overdue}"
                             + _request_counts(facts.get("requests")))
        found = facts["attention"]
        _fill_list(self.overdue, found["overdue"], found["overdue_count"], RED,
                   lambda i: f"序号{i['seq']}　{i['remaining']}（截止 {i['due']}）\n{_elide(i['requirement'], 40)}")
        _fill_list(self.soon, found["soon"], found["soon_count"], YELLOW,
                   lambda i: f"序号{i['seq']}　{i['remaining']}（截止 {i['due']}）\n{_elide(i['requirement'], 40)}")
        warning = facts.get("calendar")
        self.calendar_box.setVisible(bool(warning))
        if warning:
            self.calendar_text.setText(warning["text"])
        reports = facts["reports"]
        self.reports.clear()
        for r in reports:
            due = r["due"].isoformat() if r.get("due") else "—"
            item = QListWidgetItem(f"{r['theme']}　{r['state']}　截止 {due}")
            if r.get("overdue"):
                item.setBackground(QBrush(RED))
            self.reports.addItem(item)
        self.reports_box.setVisible(bool(reports))
        self._fill_duties(facts["duties"])
        self.bars.set_items(facts["categories"])
        self.banner.setText(facts["notice"])
        self.banner.setVisible(bool(facts["notice"]))
        self.figures_shown.emit()

    def _fill_duties(self, progress: list) -> None:
        while self.duty_grid.count():
            w = self.duty_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.duty_widgets.clear()
        for row, d in enumerate(progress):
            name = QLabel(d["name"])
            spin = QSpinBox()
            spin.setRange(0, duties.MAX_TARGET)
            spin.setValue(d["target"])
            spin.setPrefix("目标 ")
            spin.setSuffix(" 次")
            spin.editingFinished.connect(lambda n=d["name"], s=spin: self.set_target(n, s.value()))
            done = QLabel(f"已完成 {d['done']} 次" + (" ✓" if d["met"] else ""))
            done.setStyleSheet("color: #067647;" if d["met"] else "color: #b54708;")
            self.duty_grid.addWidget(name, row, 0)
            self.duty_grid.addWidget(spin, row, 1)
            self.duty_grid.addWidget(done, row, 2)
            self.duty_widgets[d["name"]] = (spin, done)

    def _calendar_warning_box(self):
        """The warning shown when the calendar lacks a year, with the button that imports the notice."""
        box = QFrame()
        box.setObjectName("calendarWarning")
        box.setStyleSheet("QFrame#calendarWarning { background: #fff4cc; border: 1px solid #e0c060; border-radius: 4px; }")
        row = QHBoxLayout(box)
        text = QLabel()
        text.setWordWrap(True)
        button = QPushButton("导入放假通知…")
        button.clicked.connect(self.import_holiday_notice)
        button.setEnabled(not self.session.read_only)
        row.addWidget(text, 1)
        row.addWidget(button)
        box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        box.hide()
        self.calendar_button = button
        return box, text

    def import_holiday_notice(self) -> None:
        """Paste the State Council's notice (设置 → 节假日日历 has the same dialog)."""
        from gui.calendar_tab import NoticeDialog

        dialog = NoticeDialog(self.session.db, self)
        if dialog.exec() == QDialog.Accepted:
            self.session.publish({"calendar"}, initiator=self)
            self.refresh_figures()  # the calendar warning is one of the figures

    def set_target(self, name: str, value: int) -> None:
        """Save a duty's yearly target."""
        year = self.year.currentData() or self.day().year
        current = {t["name"]: t["target"] for t in duties.targets(self.session.db, year)}
        if current.get(name) == value:
            return
        try:
            duties.set_target(self.session.db, year, name, value)
        except UserError as exc:
            show_error(self, exc)
        self.refresh_figures()

    def _open_item(self, item) -> None:
        entry_id = item.data(Qt.UserRole)
        if entry_id:
            self.open_entry_requested.emit(entry_id)

    def _open_in_ledger(self, entry_id: str) -> None:
        page = self.main_window.page("任务台账")
        if hasattr(page, "open_entry"):
            page.open_entry(entry_id)


class EmptyState(QFrame):
    """What a new ledger shows: a big 导入方案 button and a place to drop the plan file."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.setObjectName("emptyState")
        self.setAcceptDrops(True)
        self.setMinimumHeight(260)
        self._style(False)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignCenter)
        title = QLabel("还没有台账任务")
        title.setAlignment(Qt.AlignCenter)
        title.setStyleSheet("font-size: 20px; font-weight: bold; color: #344054;")
        hint = QLabel("请导入县里下发的政务公开工作方案（.docx、.xlsx），程序会找出涉及本单位的任务。\n"
                      "也可以把方案文件直接拖到这里。县里发来的是任务包（.zwgk）时，请到“数据交换”页导入。")
        hint.setAlignment(Qt.AlignCenter)
        hint.setWordWrap(True)
        hint.setMinimumWidth(560)
        hint.setStyleSheet("color: #475467;")
        self.button = QPushButton("导入方案…")
        self.button.setMinimumSize(220, 52)
        self.button.setStyleSheet("QPushButton { font-size: 18px; font-weight: bold; }")
        self.button.clicked.connect(lambda: self.import_plan())
        read_only = bool(getattr(getattr(parent, "session", None), "read_only", False))
        self.button.setEnabled(not read_only)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.button, 0, Qt.AlignCenter)

    def _style(self, hover: bool) -> None:
        colour = "#1d4ed8" if hover else "#98a2b3"
        self.setStyleSheet(f"QFrame#emptyState {{ border: 2px dashed {colour}; border-radius: 8px; background: #f9fafb; }}")

    def import_plan(self, path=None) -> None:
        """Open the file dialog (or read `path`) through the window's import."""
        if self.window_ is None:
            return
        from gui.import_dialog import choose_and_import

        choose_and_import(self.window_, path)

    @staticmethod
    def plan_file(event):
        """The one plan file being dropped, or None."""
        from gui.import_dialog import PLAN_SUFFIXES

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return paths[0] if len(paths) == 1 and Path(paths[0]).suffix.lower() in PLAN_SUFFIXES else None

    def dragEnterEvent(self, event) -> None:
        if self.button.isEnabled() and self.plan_file(event):
            self._style(True)
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._style(False)

    def dropEvent(self, event) -> None:
        self._style(False)
        path = self.plan_file(event)
        if path:
            event.acceptProposedAction()
            self.import_plan(path)


def _fill_list(widget: QListWidget, items: list, total: int, color: QColor, label) -> None:
    widget.clear()
    brush = QBrush(color)
    for i in items:
        item = QListWidgetItem(label(i))
        item.setData(Qt.UserRole, i["id"])
        item.setBackground(brush)
        item.setToolTip(i["requirement"])
        widget.addItem(item)
    if total > len(items):
        widget.addItem(QListWidgetItem(f"……另有 {total - len(items)} 项，请在“任务台账”中按时限筛选查看"))
    if not items:
        widget.addItem(QListWidgetItem("（无）"))


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(widget)
    return box


def _elide(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _request_counts(counts) -> str:
    """依申请公开 beside the ledger counts: applications open and overdue (nothing when none is open)."""
    if not counts or not counts["open"]:
        return ""
    colour = "#c0392b" if counts["overdue"] else "#2c3e50"
    return (f"　<span style='color:{colour}; font-size:15px'><b>依申请公开</b> 办理中 {counts['open']} 件，"
            f"超期 {counts['overdue']} 件</span>")
