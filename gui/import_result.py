"""After a plan is imported: what was read, which tasks went into this unit's ledger and why,
with the selection dialog one click away."""

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.ledger import assignment
from core.errors import UserError

HEADERS = ("序号", "工作任务", "工作要求", "角色", "选入理由")


def picked_tasks(db, plan_id) -> list[dict]:
    """The plan's tasks in this unit's ledger and those that may apply, each with why."""
    try:
        choices = assignment.plan_choices(db, plan_id) if plan_id else []
    except UserError:  # no profile: nothing was picked
        return []
    rows = []
    for c in choices:
        if c["in_ledger"] or (c["maybe"] and c["selection"] != "dropped"):
            reason = c["reason"] or ("手工添加" if c["selection"] == "added" else "")
            if not c["in_ledger"]:
                reason = f"可能涉及，待确认：{reason}" if reason else "可能涉及，待确认"
            rows.append({"seq": c["seq"], "category": " / ".join(c["category"] or []), "requirement": c["requirement"] or "",
                         "role": c["role"] or "", "reason": reason, "in_ledger": c["in_ledger"]})
    return rows


class ImportResultDialog(QDialog):
    """导入完成: the report, the picked tasks with their reasons, and 调整任务选择…."""

    def __init__(self, window, report: dict, summary: str):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("导入完成")
        self.resize(900, 560)
        rows = picked_tasks(window.session.db, report.get("plan_id"))
        picked = sum(1 for r in rows if r["in_ledger"])
        maybe = len(rows) - picked
        head = QLabel(summary + f"\n本单位台账中有本方案的 {picked} 项任务" + (f"，另有 {maybe} 项可能涉及，请确认。" if maybe else "。"))
        head.setWordWrap(True)
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        for r, row in enumerate(rows):
            for c, key in enumerate(("seq", "category", "requirement", "role", "reason")):
                item = QTableWidgetItem(row[key])
                item.setToolTip(row[key])
                if not row["in_ledger"]:
                    from PySide6.QtGui import QBrush, QColor

                    item.setBackground(QBrush(QColor("#fff3c4")))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c, width in enumerate((50, 180, 320, 60)):
            self.table.setColumnWidth(c, width)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.adjust_button = buttons.addButton("调整任务选择…", QDialogButtonBox.ActionRole)
        self.adjust_button.clicked.connect(self.adjust)
        self.adjust_button.setEnabled(not getattr(window.session, "read_only", False))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.rows = rows
        self.maybe = maybe
        self.summary = head.text()

    def adjust(self) -> None:
        """Open 选择本单位任务 (showing the ones that may apply first when there are any)."""
        self.accept()
        self.window_.select_tasks(show_maybe=bool(self.maybe))
