"""任务台账 page."""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class LedgerPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        label = QLabel("导入方案后，本单位的任务出现在这里。")
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch()
