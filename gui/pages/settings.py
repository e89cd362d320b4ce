"""设置: the office's profile and the other settings tabs."""

import importlib

from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from gui.changes import ChangeWatch
from gui.profile_dialog import ProfileDialog

# Further tabs: (title, module, class name); each class takes (session, parent).
EXTRA_TABS: list[tuple[str, str, str]] = [
    ("工作方案", "gui.plans_tab", "PlansTab"),
    ("工作日历", "gui.calendar_tab", "CalendarTab"),
    ("备份与恢复", "gui.backup_tab", "BackupTab"),
    ("密钥", "gui.keys_tab", "KeysTab"),
    ("模板", "gui.templates_tab", "TemplatesTab"),
]


class ProfileTab(QWidget):
    """Shows this office's profile with a button to change it."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.form = QFormLayout()
        self.labels = {key: QLabel() for key in ("name", "aliases", "kind", "county", "role")}
        for key, title in (("name", "本单位名称"), ("aliases", "别名"), ("kind", "单位类型"), ("county", "所属县（区）"), ("role", "角色")):
            self.form.addRow(f"{title}：", self.labels[key])
        edit = QPushButton("修改本单位信息…")
        edit.clicked.connect(self.edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(edit)
        layout.addStretch()
        ChangeWatch(self, session, {"profile"}, lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        p = self.session.profile or {}
        for key, label in self.labels.items():
            value = p.get(key, "")
            label.setText("、".join(value) if isinstance(value, list) else str(value or "（未填）"))

    def edit(self) -> None:
        if ProfileDialog(self.session.db, self).exec():
            self.refresh()
            self.session.publish({"profile"}, initiator=self)


class SettingsPage(QTabWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.addTab(ProfileTab(session, self), "本单位")
        for title, module, name in EXTRA_TABS:
            self.addTab(getattr(importlib.import_module(module), name)(session, self), title)
