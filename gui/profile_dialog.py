"""本单位信息: asked on first start, changed from 设置."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from core import settings
from core.errors import UserError
from gui.widgets import dialog_buttons


class ProfileDialog(QDialog):
    """Edit this office's name, aliases, kind, county and role."""

    def __init__(self, db, parent=None, first_start=False):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("本单位信息")
        current = settings.profile(db) or {}
        self.name = QLineEdit(current.get("name", ""))
        self.name.setPlaceholderText("例如：城东街道办事处")
        self.aliases = QLineEdit("、".join(current.get("aliases", [])))
        self.aliases.setPlaceholderText("方案中可能出现的其他写法，用顿号分隔，例如：城东街道")
        self.kind = QComboBox()
        self.kind.addItems(settings.KINDS)
        self.kind.setCurrentText(current.get("kind", "镇"))
        self.county = QLineEdit(current.get("county", ""))
        self.county.setPlaceholderText("例如：博山区")
        self.role = QComboBox()
        self.role.addItems(settings.ROLES)
        self.role.setCurrentText(current.get("role", "填报单位"))
        self.role.setToolTip("填报单位：维护本单位台账；汇总单位：县（区）政务公开科，汇总各单位报送的台账")

        form = QFormLayout()
        form.addRow("本单位名称：", self.name)
        form.addRow("别名：", self.aliases)
        form.addRow("单位类型：", self.kind)
        form.addRow("所属县（区）：", self.county)
        form.addRow("角色：", self.role)
        buttons = dialog_buttons(self, "保存", self.save)
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel("欢迎使用政务公开工作台账。请先填写本单位信息，程序据此从方案中找出本单位的任务。")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def save(self) -> None:
        aliases = [a for a in self.aliases.text().replace(",", "、").replace("，", "、").split("、")]
        try:
            settings.set_profile(
                self.db, self.name.text(), self.kind.currentText(), self.role.currentText(), aliases, self.county.text()
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
