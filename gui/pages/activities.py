"""开放活动 page."""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ActivitiesPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        label = QLabel("政府开放活动的计划与开展情况。")
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch()
