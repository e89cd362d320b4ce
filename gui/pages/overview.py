"""概览: this office, its plans and where its ledger stands."""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core import overview


class OverviewPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(self.summary.textFormat().RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch()
        session.data_changed.connect(lambda _what: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        facts = overview.summary(self.session.db)
        profile = facts["profile"]
        who = f"{profile['name']}（{profile['kind']}，{profile['role']}）" if profile else "尚未设置本单位信息"
        counts = "，".join(f"{k} {v} 项" for k, v in facts["by_status"].items()) or "暂无台账条目"
        plans = "；".join(f"{p['year'] or ''}年 {p['title']}" for p in facts["plans"]) or "尚未导入方案：请用“文件 → 导入方案”打开县里下发的工作方案（.docx / .xlsx）"
        self.summary.setText(
            f"<h2>{who}</h2><p><b>方案：</b>{plans}</p><p><b>台账：</b>{counts}</p>"
        )
