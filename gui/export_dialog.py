"""导出…: choose the form, the format and (for the ledger) the columns and their order;
the column choice is remembered; after export offer 打开 / 打开所在文件夹."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.export import FORMS, SUPPORTED
from core.export.common import LEDGER_COLUMNS, default_file_name, ledger_columns, set_ledger_columns, unit_and_year
from gui.worker import run_task
from gui.widgets import dialog_buttons

FORMAT_TITLES = {"xlsx": "Excel 表格（.xlsx）", "docx": "Word 文档（.docx）", "pdf": "PDF（.pdf）"}


def run_export(db_path, form, fmt, out, year, columns, progress=None) -> dict:
    """Background work: export with a connection of its own."""
    from core.export import check_request
    from db.connection import open_db

    out = check_request(form, fmt, out)
    db = open_db(db_path)
    try:
        if fmt == "pdf":
            from gui.print_preview import export_pdf

            return export_pdf(db, form, out, year, None, columns)
        from core.export import export

        return export(db, form, fmt, out, year, None, columns, db_path=db_path, progress=progress)
    finally:
        db.conn.close()


class ExportDialog(QDialog):
    """Pick a form, a format, the ledger columns, and where to save."""

    def __init__(self, session, parent=None, form: str = "ledger"):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("导出表单")
        self.resize(560, 480)
        self.form_box = QComboBox()
        for key, title in FORMS.items():
            self.form_box.addItem(title, key)
        self.format_box = QComboBox()
        self.year_box = QComboBox()
        self.year_box.setEditable(True)
        self.path_edit = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.columns = QListWidget()
        self.columns.setDragDropMode(QAbstractItemView.InternalMove)
        chosen = ledger_columns(session.db)
        for key in chosen + [k for k in LEDGER_COLUMNS if k not in chosen]:
            item = QListWidgetItem(LEDGER_COLUMNS[key][0])
            item.setData(Qt.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsDragEnabled)
            item.setCheckState(Qt.Checked if key in chosen else Qt.Unchecked)
            self.columns.addItem(item)
        up, down = QPushButton("上移"), QPushButton("下移")
        up.clicked.connect(lambda: self.move(-1))
        down.clicked.connect(lambda: self.move(1))
        self.columns_box = QWidget()
        col_layout = QHBoxLayout(self.columns_box)
        col_layout.setContentsMargins(0, 0, 0, 0)
        col_layout.addWidget(self.columns, 1)
        buttons_col = QVBoxLayout()
        buttons_col.addWidget(up)
        buttons_col.addWidget(down)
        buttons_col.addStretch()
        col_layout.addLayout(buttons_col)

        form_layout = QFormLayout()
        form_layout.addRow("表单：", self.form_box)
        form_layout.addRow("格式：", self.format_box)
        form_layout.addRow("年度：", self.year_box)
        form_layout.addRow("台账列（勾选、拖动排序）：", self.columns_box)
        form_layout.addRow("保存到：", path_row)
        buttons = dialog_buttons(self, "导出", self.start)
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        layout.addWidget(buttons)
        self.result_info = None

        self.form_box.currentIndexChanged.connect(self.form_changed)
        self.format_box.currentIndexChanged.connect(self.update_path)
        self.year_box.currentTextChanged.connect(self.update_path)
        self.form_box.setCurrentIndex(list(FORMS).index(form))
        self.form_changed()

    @property
    def form(self) -> str:
        return self.form_box.currentData()

    @property
    def fmt(self) -> str:
        return self.format_box.currentData() or "xlsx"

    def chosen_columns(self) -> list[str]:
        """The checked ledger columns in list order."""
        return [
            self.columns.item(i).data(Qt.UserRole)
            for i in range(self.columns.count())
            if self.columns.item(i).checkState() == Qt.Checked
        ]

    def move(self, step: int) -> None:
        row = self.columns.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.columns.count():
            return
        item = self.columns.takeItem(row)
        self.columns.insertItem(target, item)
        self.columns.setCurrentRow(target)

    def form_changed(self) -> None:
        self.format_box.blockSignals(True)
        self.format_box.clear()
        for fmt in SUPPORTED[self.form]:
            self.format_box.addItem(FORMAT_TITLES[fmt], fmt)
        self.format_box.blockSignals(False)
        self.columns_box.setEnabled(self.form == "ledger")
        table = "activities" if self.form.startswith("open-activity") else "entries"
        _, year = unit_and_year(self.session.db, None, None, table)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItems([str(y) for y in range(year + 1, year - 4, -1)])
        self.year_box.setCurrentText(str(year))
        self.year_box.blockSignals(False)
        self.update_path()

    def update_path(self) -> None:
        """Suggest 城东街道-2024年政务公开工作台账-YYYYMMDD.xlsx in the folder last used."""
        unit = (self.session.profile or {}).get("name", "")
        try:
            year = int(self.year_box.currentText())
        except ValueError:
            return
        self.path_edit.setText(str(remembered_folder(self.form, self.fmt) / default_file_name(self.form, unit, year, self.fmt)))

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存为", self.path_edit.text(), f"{FORMAT_TITLES[self.fmt]} (*.{self.fmt})")
        if path:
            if not path.lower().endswith(f".{self.fmt}"):
                path += f".{self.fmt}"
            self.path_edit.setText(path)

    def start(self) -> None:
        """Remember the columns, then export in the background."""
        from gui.errors import show_error

        columns = None
        try:
            if self.form == "ledger":
                columns = set_ledger_columns(self.session.db, self.chosen_columns())
            year = int(self.year_box.currentText())
        except ValueError:
            QMessageBox.warning(self, "无法导出", "年度应为四位数字，例如 2024。")
            return
        except Exception as exc:
            show_error(self, exc)
            return
        run_task(self, "正在导出…", run_export, self.session.db_path, self.form, self.fmt, self.path_edit.text(), year, columns,
                 on_done=self.finished_export)

    def finished_export(self, info: dict) -> None:
        self.result_info = info
        remember_folder(self.form, self.fmt, Path(info["path"]).parent)
        self.accept()
        offer_open(self.parent(), info["path"])


FOLDER_KEY = "export/folder"


def remembered_folder(form: str, fmt: str) -> Path:
    """The folder this kind of file (form and format) was last saved to; else the last export
    folder of any kind; else the home folder. A folder that no longer exists is passed over."""
    from PySide6.QtCore import QSettings

    settings = QSettings()
    for key in (f"{FOLDER_KEY}/{form}.{fmt}", f"{FOLDER_KEY}/last"):
        value = settings.value(key)
        if value and Path(str(value)).is_dir():
            return Path(str(value))
    return Path.home()


def remember_folder(form: str, fmt: str, folder) -> None:
    """Note where a file of this kind was saved (and that it is the latest export folder)."""
    from PySide6.QtCore import QSettings

    settings = QSettings()
    settings.setValue(f"{FOLDER_KEY}/{form}.{fmt}", str(folder))
    settings.setValue(f"{FOLDER_KEY}/last", str(folder))


def offer_open(parent, path: str) -> None:
    """Tell the user where the file is, with 打开 and 打开所在文件夹."""
    box = QMessageBox(QMessageBox.Information, "导出完成", f"已保存：{path}", parent=parent)
    open_button = box.addButton("打开", QMessageBox.AcceptRole)
    folder_button = box.addButton("打开所在文件夹", QMessageBox.ActionRole)
    box.addButton("关闭", QMessageBox.RejectRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
    elif box.clickedButton() is folder_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def open_export_dialog(window, form: str = "ledger") -> None:
    """The 文件 → 导出… action."""
    ExportDialog(window.session, window, form).exec()


def export_evidence(window, year=None, path=None) -> None:
    """文件 → 导出佐证材料包…: choose the year and the .zip, then gather it in the background."""
    from PySide6.QtWidgets import QInputDialog

    from core import ledger
    from core.export import evidence

    session = window.session
    years = ledger.years(session.db)
    if not years:
        QMessageBox.information(window, "导出佐证材料包", "台账中还没有任务，请先导入方案。")
        return
    if year is None:
        choice, ok = QInputDialog.getItem(window, "导出佐证材料包", "年度：", [f"{y}年" for y in years], 0, False)
        if not ok:
            return
        year = int(choice.rstrip("年"))
    if path is None:
        unit = (session.profile or {}).get("name", "")
        suggested = remembered_folder("evidence", "zip") / evidence.default_name(unit, year)
        path, _ = QFileDialog.getSaveFileName(window, "保存佐证材料包", str(suggested), "压缩文件 (*.zip)")
        if not path:
            return
        if not path.lower().endswith(".zip"):
            path += ".zip"

    def work(progress=None):
        from db.connection import open_db

        db = open_db(session.db_path)
        try:
            return evidence.write_bundle(db, session.db_path, path, year)
        finally:
            db.conn.close()

    def done(info):
        remember_folder("evidence", "zip", Path(info["path"]).parent)
        note = f"，{info['missing']} 个文件在附件文件夹中找不到，已在索引中注明" if info["missing"] else ""
        session.status_message.emit(f"佐证材料包：{info['tasks']} 项任务，{info['files']} 个文件，{info['links']} 个链接{note}。")
        offer_open(window, info["path"])

    run_task(window, "正在整理佐证材料…", work, on_done=done)
