"""检查考核 page: findings and corrections (both sides), and at the county the yearly scores.

The county records findings (unit chosen from the roster), re-checks, scoring rules and manual
adjustments, and exports the score sheet and the quarterly 通报. A unit sees the findings the
county sent in its 任务包 and records its correction, which travels back in its 报送包.
Open corrections are coloured blue (in progress), yellow (behind schedule), red (overdue).
"""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import settings
from core.county import inspections
from core.county import scores
from core.errors import UserError
from gui.changes import ChangeWatch
from gui.errors import show_error
from gui.pages.exchange import RecordsModel, _table, _with_worker_db
from gui.worker import run_task

FINDING_COLUMNS = [
    ("检查日期", "date"), ("单位", "unit"), ("类型", "kind"), ("指标", "indicator"), ("发现的问题", "finding"),
    ("扣分", lambda f: f"{f['deduct']:g}" if f["deduct"] else ""), ("整改期限", lambda f: f["fix_by"] or ""),
    ("单位整改", lambda f: f["corrected_on"] or ""), ("县复查", lambda f: f["rechecked_on"] or ""), ("状态", "state_name"),
]
SCORE_COLUMNS = [
    ("名次", "rank"), ("单位", "name"), ("类型", "kind"), ("基础分", lambda u: f"{u['base']:g}"),
    ("扣分", lambda u: f"{u['deducted']:g}"), ("调整", lambda u: f"{sum(a['points'] for a in u['adjustments']):+g}" if u["adjustments"] else ""),
    ("得分", lambda u: f"{u['score']:g}"),
]


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


def _date_edit(day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = day or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def page_job(session, year, county):
    """Findings (and at the county the score table) computed on a worker connection."""

    def compute(db):
        findings = inspections.list_findings(db)
        table = scores.scores(db, year) if county else []
        return {"findings": findings, "scores": table}

    return _with_worker_db(session, compute)


class FindingDialog(QDialog):
    """Record a finding: unit from the roster, date, kind, indicator, text, points, 整改期限."""

    def __init__(self, units: list[str], indicators: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("登记检查发现的问题")
        self.unit = QComboBox()
        self.unit.addItems(units)
        self.day = _date_edit()
        self.kind = QComboBox()
        self.kind.addItems(inspections.KINDS)
        self.indicator = QComboBox()
        self.indicator.setEditable(True)
        self.indicator.addItems(indicators)
        self.indicator.setCurrentText("")
        self.finding = QPlainTextEdit()
        self.finding.setPlaceholderText("如：政策解读栏目 5 月以来未更新")
        self.deduct = QDoubleSpinBox()
        self.deduct.setRange(0, 100)
        self.deduct.setDecimals(1)
        self.deduct.setSingleStep(0.5)
        self.has_fix_by = QCheckBox("限期整改")
        self.has_fix_by.setChecked(True)
        self.fix_by = _date_edit()
        self.fix_by.setDate(self.fix_by.date().addDays(30))
        self.has_fix_by.toggled.connect(self.fix_by.setEnabled)
        fix_row = QHBoxLayout()
        fix_row.addWidget(self.has_fix_by)
        fix_row.addWidget(self.fix_by, 1)
        form = QFormLayout(self)
        form.addRow("被检查单位", self.unit)
        form.addRow("检查日期", self.day)
        form.addRow("检查类型", self.kind)
        form.addRow("考核指标", self.indicator)
        form.addRow("发现的问题", self.finding)
        form.addRow("扣分", self.deduct)
        form.addRow("整改期限", fix_row)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 420)

    def values(self) -> tuple:
        return (self.unit.currentText(), _iso(self.day), self.kind.currentText(), self.finding.toPlainText(),
                self.indicator.currentText(), self.deduct.value(), _iso(self.fix_by) if self.has_fix_by.isChecked() else None)


class FixDialog(QDialog):
    """Record a correction (unit: date, note, evidence) or a re-check (county: date, note)."""

    def __init__(self, finding: dict, county: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("登记复查" if county else "登记整改情况")
        self.day = _date_edit()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("复查意见" if county else "整改措施和结果")
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText("佐证材料网址或文件名")
        form = QFormLayout(self)
        label = QLabel(f"{finding['unit']}：{finding['finding']}")
        label.setWordWrap(True)
        form.addRow("问题", label)
        form.addRow("复查日期" if county else "整改日期", self.day)
        form.addRow("说明", self.note)
        if not county:
            form.addRow("佐证材料", self.evidence)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class InspectionsPage(QWidget):
    # What it shows (gui.changes): findings and their correction deadlines, scores per roster unit.
    SHOWS = frozenset({"inspections", "roster", "profile", "calendar"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.add_button = QPushButton("登记问题…")
        self.fix_button = QPushButton("登记整改…")
        self.rules_button = QPushButton("导入评分规则…")
        self.adjust_button = QPushButton("调整得分…")
        self.score_button = QPushButton("导出得分表…")
        self.notice_button = QPushButton("导出季度通报…")
        self.open_only = QCheckBox("只看未整改")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(scores.default_year(session.db))
        self.year.setPrefix("考核年度 ")
        for button, slot in ((self.add_button, self.add_finding), (self.fix_button, self.fix_selected),
                             (self.rules_button, self.load_rules), (self.adjust_button, self.adjust),
                             (self.score_button, self.export_scores), (self.notice_button, self.export_notice)):
            button.clicked.connect(slot)
        self.open_only.toggled.connect(lambda _on: self._apply_filter())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        bar = QHBoxLayout()
        for w in (self.add_button, self.fix_button, self.rules_button, self.adjust_button, self.score_button,
                  self.notice_button, self.open_only, self.year):
            bar.addWidget(w)
        bar.addStretch()
        self.findings: list[dict] = []
        self.finding_model = RecordsModel(FINDING_COLUMNS, self, tint=lambda f: inspections.STATE_COLOURS[f["state"]])
        self.finding_view = _table(self.finding_model)
        self.score_model = RecordsModel(SCORE_COLUMNS, self)
        self.score_view = _table(self.score_model)
        self.score_group = QGroupBox("年度考核得分（同分同名次）")
        QVBoxLayout(self.score_group).addWidget(self.score_view)
        findings_group = QGroupBox("检查发现的问题和整改（蓝色：整改中；黄色：整改滞后；红色：逾期未整改）")
        QVBoxLayout(findings_group).addWidget(self.finding_view)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(findings_group)
        splitter.addWidget(self.score_group)
        splitter.setSizes([380, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.refresh()

    def is_county(self) -> bool:
        return settings.is_county(self.session.db)

    def refresh(self) -> None:
        county = self.is_county()
        for w in (self.add_button, self.rules_button, self.adjust_button, self.score_button, self.notice_button, self.year):
            w.setVisible(county)
        self.score_group.setVisible(county)
        self.fix_button.setText("登记复查…" if county else "登记整改…")
        run_task(self, "正在统计检查和得分…", page_job, self.session, self.year.value(), county, modal=False, on_done=self._show)

    def _show(self, result) -> None:
        import shiboken6

        if not shiboken6.isValid(self):
            return
        self.findings = result["findings"]
        self._apply_filter()
        self.score_model.set_rows(result["scores"])
        counts = {k: sum(f["state"] == k for f in self.findings) for k in inspections.STATE_NAMES}
        who = "各单位" if self.is_county() else "县里通报本单位"
        self.info.setText(f"{who}的问题共 {len(self.findings)} 个：已整改 {counts['fixed']}，整改中 {counts['open']}，"
                          f"整改滞后 {counts['behind']}，逾期未整改 {counts['overdue']}。"
                          + ("" if self.is_county() else "登记整改后，整改情况随下次报送包报县。"))

    def _apply_filter(self) -> None:
        rows = [f for f in self.findings if not (self.open_only.isChecked() and f["fixed"])]
        self.finding_model.set_rows(rows)

    def selected_finding(self) -> dict | None:
        rows = self.finding_view.selectionModel().selectedRows()
        return self.finding_model.rows[rows[0].row()] if rows else None

    def _changed(self, message: str) -> None:
        self.session.status_message.emit(message)
        self.session.publish({"inspections"}, initiator=self)
        self.refresh()

    def add_finding(self) -> None:
        from core.county.roster import list_units

        units = [u["name"] for u in list_units(self.session.db)]
        if not units:
            QMessageBox.information(self, "登记问题", "单位名册中还没有单位。请先在“单位名册”页添加单位。")
            return
        dialog = FindingDialog(units, [r["indicator"] for r in scores.rules(self.session.db)], self)
        while dialog.exec() == QDialog.Accepted:
            try:
                row = inspections.add_finding(self.session.db, *dialog.values())
            except UserError as exc:
                show_error(self, exc)
                continue
            self._changed(f"已登记{row['unit']}的问题，随其下次任务包下发")
            return

    def fix_selected(self) -> None:
        finding = self.selected_finding()
        if finding is None:
            QMessageBox.information(self, "整改", "请先在表格中选中一个问题。")
            return
        dialog = FixDialog(finding, self.is_county(), self)
        while dialog.exec() == QDialog.Accepted:
            try:
                inspections.fix(self.session.db, finding["id"], _iso(dialog.day), dialog.note.toPlainText(), dialog.evidence.text())
            except UserError as exc:
                show_error(self, exc)
                continue
            self._changed("已登记复查" if self.is_county() else "已登记整改，请随报送包报县")
            return

    def load_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入评分规则（指标 | 分值 | 扣分规则）", "", "Excel 表格 (*.xlsx)")
        if not path:
            return
        try:
            result = scores.load_rules(self.session.db, path)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(f"已导入评分规则 {result['rules']} 条，合计 {result['total']:g} 分")

    def adjust(self) -> None:
        from core.county.roster import list_units

        units = [u["name"] for u in list_units(self.session.db)]
        if not units:
            return
        unit, ok = QInputDialog.getItem(self, "调整得分", "单位：", units, 0, False)
        if not ok:
            return
        points, ok = QInputDialog.getDouble(self, "调整得分", "加分为正、扣分为负：", 0, -100, 100, 1)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "调整得分", "调整理由（必填）：")
        if not ok:
            return
        try:
            scores.adjust(self.session.db, unit, self.year.value(), points, reason)
        except UserError as exc:
            show_error(self, exc)
            return
        self._changed(f"已调整{unit}的得分")

    def export_scores(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出考核得分表", f"{self.year.value()}年度政务公开考核得分表.xlsx", "Excel 表格 (*.xlsx)")
        if path:
            run_task(self, "正在导出得分表…", lambda: _with_worker_db(self.session, scores.write_score_xlsx, path, self.year.value()),
                     on_done=lambda info: self.session.status_message.emit(f"已导出考核得分表：{path}"))

    def export_notice(self) -> None:
        today = date.today()
        quarters = [f"{today.year}Q{q}" for q in range(1, 5)] + [f"{today.year - 1}Q{q}" for q in range(1, 5)]
        period, ok = QInputDialog.getItem(self, "导出季度通报", "季度：", quarters, (today.month - 1) // 3, False)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(self, "保存通报", f"{period}政务公开检查情况通报.docx", "Word 文档 (*.docx)")
        if path:
            self.write_notice(period, path)

    def write_notice(self, period: str, path) -> None:
        from core.export.inspection_notice import write_docx

        run_task(self, "正在生成通报…", lambda: _with_worker_db(self.session, write_docx, path, period),
                 on_done=lambda info: self.session.status_message.emit(f"已导出通报：{path}"))
