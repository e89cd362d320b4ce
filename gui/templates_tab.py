"""设置 → 模板: export a form's template, change it in Word/WPS, load it back, or go back to the shipped one."""

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton, QVBoxLayout, QWidget

from core.export import templates
from gui.errors import show_error


class TemplatesTab(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.list = QListWidget()
        intro = QLabel(
            "导出的表单按下列 Word 模板填写。可导出模板，在 Word/WPS 中修改文字、列宽或加入单位标志后载入；"
            "请保留 {{ }} 与 {% %} 标记。"
        )
        intro.setWordWrap(True)
        self.buttons = {}
        row = QHBoxLayout()
        for key, text, slot in (
            ("export", "导出模板…", self.export_template),
            ("load", "载入修改后的模板…", self.load_template),
            ("reset", "恢复默认模板", self.reset_template),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        current = max(self.list.currentRow(), 0)
        self.list.clear()
        for name, title in templates.TEMPLATES.items():
            state = "自定义" if templates.is_custom(self.session.db_path, name) else "默认"
            self.list.addItem(f"{title}（{state}）")
        self.list.setCurrentRow(current)

    def current_name(self) -> str:
        return list(templates.TEMPLATES)[max(self.list.currentRow(), 0)]

    def export_template(self, _checked=False, path: str | None = None) -> None:
        name = self.current_name()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出模板", f"{templates.TEMPLATES[name]}模板.docx", "Word 文档 (*.docx)")
        if path:
            try:
                templates.export_template(self.session.db_path, name, path)
            except Exception as exc:
                show_error(self, exc)

    def load_template(self, _checked=False, path: str | None = None) -> None:
        name = self.current_name()
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "载入模板", "", "Word 文档 (*.docx)")
        if not path:
            return
        try:
            templates.load_template(self.session.db_path, name, path)
        except Exception as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.session.status_message.emit(f"已载入{templates.TEMPLATES[name]}模板，之后导出将使用它。")

    def reset_template(self) -> None:
        name = self.current_name()
        if templates.reset_template(self.session.db_path, name):
            self.refresh()
        else:
            QMessageBox.information(self, "恢复默认模板", "该表单正在使用默认模板。")
