"""设置 → 备份与恢复: the automatic copies, a backup to a USB stick, restore; 导出诊断信息."""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.storage import backup
from core.storage import snapshots
from gui.changes import ALL
from gui.errors import show_error
from gui.widgets import RowsModel, row_table
from gui.worker import run_task

COLUMNS = (("created", "备份时间"), ("label", "类型"), ("size", "大小"), ("name", "文件名"))


def _size_text(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    return f"{max(size // 1024, 1)} KB"


class BackupModel(RowsModel):
    """The automatic copies, newest first (rows are dicts from core.storage.backup.list_backups)."""

    headers = tuple(title for _, title in COLUMNS)

    def cell(self, row, column, role):
        key = COLUMNS[column][0]
        if role == Qt.DisplayRole:
            return _size_text(row[key]) if key == "size" else row[key]
        if role == Qt.ToolTipRole:
            return row["path"]
        if role == Qt.TextAlignmentRole and key == "size":
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class BackupTab(QWidget):
    """Lists the automatic copies and offers backup to a file and restore."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.db_path = Path(session.db_path)
        from db.connection import is_read_only

        self.read_only = is_read_only(self.db_path)

        intro = QLabel(
            "程序每天第一次启动时、每次导入方案和合并数据包之前都会自动备份台账，"
            f"保留最近 {snapshots.KEEP_DAILY} 份每日备份和 {snapshots.KEEP_EVENT} 份操作前备份。"
            "建议定期“备份到U盘”：生成一个含附件的 .zip 文件，换电脑或重装系统后可用它恢复。"
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel(f"备份文件夹：{snapshots.backup_dir(self.db_path)}")
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.model = BackupModel(parent=self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: self.restore_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.backup_now_button = QPushButton("立即备份")
        self.backup_now_button.clicked.connect(self.backup_now)
        self.archive_button = QPushButton("备份到U盘或文件夹（含附件）…")
        self.archive_button.clicked.connect(self.backup_to_file)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("从备份文件恢复…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        open_folder = QPushButton("打开备份文件夹")
        open_folder.clicked.connect(self.open_folder)

        buttons = QHBoxLayout()
        for b in (self.backup_now_button, self.archive_button, self.restore_button, self.restore_file_button, open_folder):
            buttons.addWidget(b)
        buttons.addStretch()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        if self.read_only:
            note = QLabel("台账以只读方式打开（另一个窗口正在使用），不能恢复备份。")
            note.setStyleSheet("color: #b00;")
            layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list of automatic copies."""
        self.model.set_rows(snapshots.list_backups(self.db_path))
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(not self.read_only and self.selected() is not None)
        self.restore_file_button.setEnabled(not self.read_only)

    def backup_now(self) -> None:
        run_task(self, "正在备份…", snapshots.backup_before, self.db_path, "manual", on_done=self._backed_up)

    def _backed_up(self, path) -> None:
        self.refresh()
        self.session.status_message.emit(f"已备份到 {path}" if path else "台账为空，无需备份。")

    def backup_to_file(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存备份的U盘或文件夹", str(Path.home()))
        if folder:
            self.start_archive(folder)

    def start_archive(self, folder) -> None:
        """Write the .zip backup into `folder` in the background."""
        run_task(self, "正在备份台账和附件…", backup.export_archive, self.db_path, Path(folder), on_done=self._archived)

    def _archived(self, result) -> None:
        text = f"已备份到：\n{result['path']}\n共 {result['files']} 个文件，{_size_text(result['size'])}。"
        if result["missing"]:
            text += f"\n注意：{len(result['missing'])} 个附件文件缺失，未能备份。"
        QMessageBox.information(self, "备份完成", text)

    def restore_selected(self) -> None:
        item = self.selected()
        if item is None or self.read_only:
            return
        self.confirm_and_restore(item["path"], f"{item['created']} 的备份（{item['label']}）")

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择备份文件", str(Path.home()), "台账备份 (*.zip *.sqlite3);;所有文件 (*)"
        )
        if path:
            self.confirm_and_restore(path, f"“{Path(path).name}”")

    def confirm_and_restore(self, path, what: str, ask=True) -> None:
        """Ask, then restore `path` in the background (the current state is kept first)."""
        if ask:
            answer = QMessageBox.question(
                self,
                "恢复备份",
                f"将用{what}替换当前台账。\n恢复前会校验备份，并把当前台账另存一份（可随时再恢复回来）。\n是否继续？",
            )
            if answer != QMessageBox.Yes:
                return
        self._start_restore(path)

    def _start_restore(self, path, force: bool = False) -> None:
        run_task(self, "正在校验并恢复备份…", backup.restore, self.db_path, Path(path), force=force,
                 on_done=self._restored, on_error=lambda exc: self._restore_failed(exc, path))

    def _restore_failed(self, exc, path) -> None:
        """Another office's backup: say so and restore only if the user confirms; else show the error."""
        if not isinstance(exc, backup.OtherOffice):
            show_error(self, exc)
            return
        answer = QMessageBox.warning(
            self, "这是其他单位的备份",
            exc.message.split("，已停止")[0] + "。\n\n只有在确实要把本机换成该单位使用时才继续（例如接手其工作）。是否仍然恢复？",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )
        if answer == QMessageBox.Yes:
            self._start_restore(path, force=True)

    def _restored(self, result) -> None:
        self.refresh()
        self.session.publish({ALL}, initiator=self)  # one notice: every page shows the restored ledger
        text = "台账已恢复。"
        if result.get("replaced"):
            text += f"\n恢复前的台账已另存为：\n{result['replaced']}"
        QMessageBox.information(self, "恢复完成", text)

    def open_folder(self) -> None:
        folder = snapshots.backup_dir(self.db_path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def export_diagnostics(window) -> None:
    """帮助 → 导出诊断信息: ask where, then write the zip of logs and versions in the background."""
    from core.storage import diagnostics

    db_path = window.session.db_path
    path, _ = QFileDialog.getSaveFileName(
        window, "导出诊断信息", str(Path.home() / diagnostics.default_name()), "压缩包 (*.zip)"
    )
    if not path:
        return
    run_task(
        window,
        "正在导出诊断信息…",
        diagnostics.write_diagnostics,
        db_path,
        Path(path),
        on_done=lambda r: QMessageBox.information(
            window, "诊断信息已导出", f"已保存到：\n{r['path']}\n其中只有日志和版本信息，不含台账数据，可发给技术人员。"
        ),
    )
