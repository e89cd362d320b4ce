"""导入方案: pick or drop a plan file, read it in the background, preview and correct, then import."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.plan_preview_model import PlanPreviewModel
from gui.worker import run_task
from gui.widgets import dialog_buttons

PLAN_FILTER = "工作方案 (*.docx *.xlsx *.doc *.wps *.et *.xls *.htm *.html *.pdf);;所有文件 (*)"
PLAN_SUFFIXES = {".docx", ".xlsx", ".doc", ".wps", ".et", ".xls", ".htm", ".html", ".pdf"}


def choose_and_import(window, path=None) -> None:
    """Ask for a plan file (unless given), read it off the main thread, then show the preview."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "选择县里下发的工作方案", "", PLAN_FILTER)
        if not path:
            return
    from core.plan import read_plan

    def read(progress=None):
        return read_plan(path, progress=_percent(progress))

    run_task(window, f"正在读取“{Path(path).name}”…", read, on_done=lambda parsed: _preview(window, parsed))


def _percent(progress):
    """Adapt the worker's progress(done, total, text) to core's progress(fraction, text)."""
    if progress is None:
        return None
    return lambda fraction, text="": progress(int(fraction * 100), 100, text)


def _preview(window, parsed) -> None:
    dialog = PlanPreviewDialog(parsed, window)
    if dialog.exec() != QDialog.Accepted:
        return
    session = window.session

    def store(progress=None):
        from core.plan.plan_import import import_plan

        db = session.open_worker_db()
        try:
            return import_plan(db, dialog.parsed, progress=_percent(progress))
        finally:
            db.conn.close()

    def done(report):
        session.publish({"plan", "entries"})
        from gui.import_result import ImportResultDialog

        ImportResultDialog(window, report, describe_report(report)).exec()

    run_task(window, "正在导入方案…", store, on_done=done)


def describe_report(report: dict) -> str:
    """The import report in a few Chinese sentences."""
    parts = [f"新增 {report.get('added', 0)} 项", f"修改 {report.get('changed', 0)} 项", f"删除 {report.get('removed', 0)} 项"]
    text = f"方案任务：{'，'.join(parts)}，未变 {report.get('unchanged', 0)} 项。"
    entries = report.get("entries") or {}
    if entries.get("message"):
        text += "\n" + entries["message"]
    return text


class PlanPreviewDialog(QDialog):
    """Shows what was read: metadata (editable), the task table (editable, filled cells shaded), warnings."""

    def __init__(self, parsed, parent=None):
        super().__init__(parent)
        self.parsed = parsed
        self.setWindowTitle(f"导入方案预览 — {parsed.source_name or ''}")
        self.fields = {}
        form = QFormLayout()
        for key, title in (("title", "标题"), ("doc_no", "文号"), ("issuer", "发文机关"), ("issued", "发文日期")):
            edit = QLineEdit(str(getattr(parsed, key) or ""))
            self.fields[key] = edit
            form.addRow(f"{title}：", edit)
        self.year = QLineEdit(str(parsed.year or ""))
        form.addRow("年度：", self.year)

        self.model = PlanPreviewModel(parsed.tasks, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((44, 150, 150, 360, 200, 130, 100)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().hide()
        self.table.setColumnHidden(2, not any(len(t.category) > 1 for t in parsed.tasks))

        self.warnings = QListWidget()
        self.warnings.addItems(parsed.warnings or ["未发现问题。"])
        legend = QLabel(f"共读出 {len(parsed.tasks)} 项任务。黄色底纹的单元格是推断的，请核对：原表为空、已按“同上”填充的，"
                        "被分页截断、已接回的（接续），以及摘自工作要求的时限。“来源”列是每行在原文件中的位置（PDF 为页码）。双击单元格可修改。")
        legend.setWordWrap(True)
        self.rules_button = QPushButton("导入规则…")
        self.rules_button.setToolTip("查看本程序读取任务分解表时遵循的规则（合并、同上、分页接续、时限等）")
        self.rules_button.clicked.connect(self.show_rules)
        legend_row = QHBoxLayout()
        legend_row.addWidget(legend, 1)
        legend_row.addWidget(self.rules_button, 0, Qt.AlignTop)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel("提示："))
        lower_layout.addWidget(self.warnings)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([520, 120])

        buttons = dialog_buttons(self, "导入", self.accept_edits)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(legend_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1180, 780)

    def show_rules(self) -> None:
        """Show the importer's rules (core.plan.import_rules) in a small read-only window."""
        from core.plan import import_rules

        dialog = QDialog(self)
        dialog.setWindowTitle("导入规则")
        text = QPlainTextEdit(import_rules())
        text.setReadOnly(True)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(760, 560)
        self.rules_dialog = dialog
        dialog.show()

    def accept_edits(self) -> None:
        year = self.year.text().strip()
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            QMessageBox.warning(self, "年度有误", "年度应为四位数字，例如 2024。")
            return
        issued = self.fields["issued"].text().strip()
        if issued:
            from datetime import date

            try:
                date.fromisoformat(issued)
            except ValueError:
                QMessageBox.warning(self, "发文日期有误", "发文日期请写成 2024-06-24 的形式。")
                return
        for key, edit in self.fields.items():
            setattr(self.parsed, key, edit.text().strip() or (None if key == "issued" else ""))
        self.parsed.year = int(year) if year else None
        self.accept()
