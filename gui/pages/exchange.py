"""数据交换 page."""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ExchangePage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        label = QLabel("任务包、报送包的导入与导出。")
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch()
