"""年度报告: the 政府信息公开工作年度报告 of a year — table 二 and the texts typed here, tables 三
and 四 counted from the register, and every consistency problem listed live beside them."""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.register import annual_report as ar
from core.vocab import COUNTY_OFFICE
from gui.changes import ChangeWatch
from gui.errors import show_error

T2_KEYS = [k for k, (kind, _) in ar.KEYS.items() if kind != "text"]


class Table3Model(QAbstractTableModel):
    """Table 三: 25 figure rows × (label + 7 columns)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.columns = list(ar.COLUMNS)

    def load(self, data: dict) -> None:
        self.beginResetModel()
        self.rows = data["table3"]["rows"]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 1 + len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            if index.column() == 0:
                group = ar.GROUPS.get(row["code"].split(".")[0]) if "." in row["code"] else None
                return f"{group[3:]}·{row['label']}" if group else row["label"]
            return str(row["values"][index.column() - 1])
        if role == Qt.ToolTipRole and index.column() == 0:
            return row["label"]
        if role == Qt.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignCenter)
        if role == Qt.BackgroundRole and row["code"] in ("new", "carried", "total", "carry_next"):
            return QColor("#eef3f8")
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return "项目" if section == 0 else self.columns[section - 1]
        return None


class Table4Model(QAbstractTableModel):
    """Table 四: one row per block (复议, 诉讼, 复议后诉讼) × five figures."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.blocks: dict = {}

    def load(self, data: dict) -> None:
        self.beginResetModel()
        self.blocks = data["table4"]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.blocks)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index, role=Qt.DisplayRole):
        if index.isValid() and role == Qt.DisplayRole:
            return str(list(self.blocks.values())[index.row()][index.column()])
        if index.isValid() and role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return ar.T4_COLUMNS[section]
        return ar.T4_TITLES[list(self.blocks)[section]]


class AnnualReportPage(QWidget):
    # What it shows (gui.changes): tables counted from the register, values typed in.
    SHOWS = frozenset({"requests", "report", "profile"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ar.today_year())
        self.year.valueChanged.connect(lambda *_: self.refresh())
        self.unit = QComboBox()  # at the county: one unit's report, or every unit summed
        self.unit.currentIndexChanged.connect(lambda *_: self.refresh(keep_units=True))
        self.t3 = Table3Model(self)
        self.t4 = Table4Model(self)

        self.t2_edits = {}
        t2_page = QWidget()
        t2_form = QFormLayout(t2_page)
        for key in T2_KEYS:
            edit = QLineEdit()
            edit.setMaximumWidth(160)
            self.t2_edits[key] = edit
            t2_form.addRow(f"{ar.KEYS[key][1].replace('表二 ', '')}：", edit)
        save_t2 = QPushButton("保存表二")
        save_t2.clicked.connect(self.save_table2)
        t2_form.addRow(save_t2)

        t3_view = QTableView()
        t3_view.setModel(self.t3)
        t3_view.verticalHeader().setVisible(False)
        t3_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for column in range(1, 8):
            t3_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeToContents)
        t4_view = QTableView()
        t4_view.setModel(self.t4)
        t4_view.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)

        self.texts = {}
        texts_page = QWidget()
        texts_layout = QVBoxLayout(texts_page)
        for key in ar.TEXT_KEYS:
            texts_layout.addWidget(QLabel(ar.SECTIONS[key]))
            edit = QPlainTextEdit()
            self.texts[key] = edit
            texts_layout.addWidget(edit, 1)
        row = QHBoxLayout()
        draft = QPushButton("由台账生成第一、五部分草稿")
        draft.clicked.connect(self.draft)
        save_texts = QPushButton("保存文字")
        save_texts.clicked.connect(self.save_texts)
        row.addWidget(draft)
        row.addStretch()
        row.addWidget(save_texts)
        texts_layout.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.addTab(t3_view, "表三 收到和处理申请")
        self.tabs.addTab(t4_view, "表四 复议诉讼")
        self.tabs.addTab(t2_page, "表二 主动公开（填写）")
        self.tabs.addTab(texts_page, "文字部分（一、五、六）")

        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problem_title = QLabel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.problem_title)
        right_layout.addWidget(self.problems, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("报告年度："))
        bar.addWidget(self.year)
        self.unit_label = QLabel("单位：")
        bar.addWidget(self.unit_label)
        bar.addWidget(self.unit)
        hint = QLabel("表三、表四由依申请公开台账自动统计；表二和文字部分在此填写。")
        bar.addWidget(hint)
        bar.addStretch()
        export = QPushButton("导出年度报告…")
        export.clicked.connect(self.export)
        bar.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.refresh()

    def _fill_units(self) -> None:
        """At a 汇总单位: its own report, every unit summed, and each unit that sent figures."""
        profile = self.session.profile or {}
        county = profile.get("role") == COUNTY_OFFICE
        self.unit.setVisible(county)
        self.unit_label.setVisible(county)
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(profile.get("name") or "本单位", None)
        if county:
            self.unit.addItem("全部单位（汇总）", "all")
            for name in ar.report_units(self.session.db, self.year.value()):
                if name != profile.get("name"):
                    self.unit.addItem(name, name)
        index = self.unit.findData(current)
        self.unit.setCurrentIndex(index if index >= 0 else 0)
        self.unit.blockSignals(False)

    def refresh(self, keep_units: bool = False) -> None:
        """Reload the figures, the typed values and the problem list of the year shown."""
        db, year = self.session.db, self.year.value()
        if not keep_units:
            self._fill_units()
        chosen = self.unit.currentData()
        try:
            data = ar.county_data(db, year) if chosen == "all" else ar.report_data(db, year, chosen)
        except Exception as exc:  # no profile yet: an empty page with the reason
            self.problem_title.setText(str(exc))
            return
        self.t3.load(data)
        self.t4.load(data)
        for index in (2, 3):  # a county's sum is read only
            self.tabs.setTabEnabled(index, chosen != "all")
        if chosen == "all":
            self.show_units(data["units"])
            return
        typed = ar.typed_values(db, data["unit"], year)
        for key, edit in self.t2_edits.items():
            edit.setText(typed.get(key, ""))
            if key in data["table2"]["carried_forward"]:
                kind = key.split(".")[1]
                edit.setPlaceholderText(f"按上年结转：{data['table2'][kind]['现行有效']}")
            else:
                edit.setPlaceholderText("")
        for key, edit in self.texts.items():
            if edit.toPlainText() != typed.get(key, ""):
                edit.setPlainText(typed.get(key, ""))
        self.show_problems(ar.check(data, ar.previous_report(db, data["unit"], year)))

    def show_units(self, units: list[dict]) -> None:
        """The county's list: each unit with the number of problems in its report."""
        self.problems.clear()
        late = [u for u in units if u["problems"]]
        self.problem_title.setText(f"{len(units)} 个单位，{len(late)} 个单位的年报有问题（选择单位查看）")
        for u in units:
            text = f"{u['name']}：问题 {u['problems']} 项（错误 {u['errors']}）" if u["problems"] else f"{u['name']}：未发现问题"
            item = QListWidgetItem(text)
            item.setForeground(QColor("#a3140f" if u["errors"] else "#8a6d00" if u["problems"] else "#1e6b30"))
            self.problems.addItem(item)

    def show_problems(self, found: list[dict]) -> None:
        self.problems.clear()
        errors = sum(1 for p in found if p["level"] == "error")
        self.problem_title.setText(f"问题 {len(found)} 项（错误 {errors}，缺项 {len(found) - errors}）" if found else "未发现问题")
        for p in found:
            item = QListWidgetItem(("✖ " if p["level"] == "error" else "○ ") + p["text"])
            item.setForeground(QColor("#a3140f" if p["level"] == "error" else "#8a6d00"))
            item.setToolTip(p["where"])
            self.problems.addItem(item)

    def _set(self, items) -> bool:
        try:
            for key, value in items:
                ar.set_value(self.session.db, self.year.value(), key, value, self.unit.currentData())
        except Exception as exc:
            show_error(self, exc)
            return False
        self.session.publish({"report"}, initiator=self)
        self.refresh()
        return True

    def save_table2(self) -> None:
        unit = self.unit.currentData() or (self.session.profile or {}).get("name", "")
        typed = ar.typed_values(self.session.db, unit, self.year.value())
        self._set([(k, e.text()) for k, e in self.t2_edits.items() if e.text() != typed.get(k, "")])

    def save_texts(self) -> None:
        self._set([(k, e.toPlainText()) for k, e in self.texts.items()])

    def draft(self) -> None:
        try:
            drafts = ar.draft_sections(self.session.db, self.year.value(), self.unit.currentData())
        except Exception as exc:
            show_error(self, exc)
            return
        for key, text in drafts.items():
            self.texts[key].setPlainText(text)
        self.tabs.setCurrentIndex(3)

    def export(self) -> None:
        from gui.export_dialog import ExportDialog

        ExportDialog(self.session, self.window(), "annual-report").exec()
