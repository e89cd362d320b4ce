"""设置 → 密钥: this office's signing fingerprint, the keys pinned for other offices, replacing one."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import UserError
from core.exchange import signing
from gui.changes import ChangeWatch
from gui.widgets import RowsModel, row_table

HOW = {"first_use": "首次收到时登记", "legacy_hmac": "升级后用原有密钥核验后登记"}
COLUMNS = (
    ("单位", lambda r: r["office"]),
    ("角色", lambda r: "县政务公开科（发来任务包）" if r["role"] == signing.COUNTY_ROLE else "填报单位（报送包）"),
    ("密钥指纹", lambda r: r["fingerprint"] or "未登记（已发任务包，尚未收到报送包）"),
    ("登记时间", lambda r: (r.get("pinned_at") or "")[:19].replace("T", " ")),
    ("登记方式", lambda r: HOW.get(r.get("pinned_how") or "", r.get("pinned_how") or "")),
    ("登记自", lambda r: r.get("source") or ""),
)


class KeysModel(RowsModel):
    """Rows from core.exchange.signing.list_pinned."""

    headers = tuple(title for title, _ in COLUMNS)

    def cell(self, row, column, role):
        if role == Qt.DisplayRole:
            return COLUMNS[column][1](row)
        return None


class KeysTab(QWidget):
    """Shows the fingerprint to read out by phone and lets the user replace a pinned key."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        intro = QLabel(
            "数据包用各单位自己的密钥签名。第一次收到某单位（或县政务公开科）的数据包时，程序会请您核对对方的密钥指纹；"
            "登记之后，用其他密钥签名的数据包一律拒绝。核对方法：打电话给对方，各自念出本页的“本单位密钥指纹”。"
            "私钥只保存在本机台账旁，随“备份到U盘”的 .zip 备份走，从不放进数据包。"
        )
        intro.setWordWrap(True)
        self.own_label = QLabel()
        font = QFont(self.own_label.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.own_label.setFont(font)
        self.own_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.model = KeysModel(self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.forget_button = QPushButton("更换所选单位的密钥…")
        self.forget_button.clicked.connect(self.forget_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forget_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("本单位密钥指纹："))
        layout.addWidget(self.own_label)
        layout.addWidget(self.file_label)
        layout.addWidget(QLabel("已登记的其他单位的密钥："))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ChangeWatch(self, session, {"exchange", "profile"}, lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Re-read this office's fingerprint (made on first use) and the pinned keys."""
        try:
            identity = signing.own_identity(self.session.db)
            self.own_label.setText(identity["fingerprint"])
            self.file_label.setText(f"私钥文件：{identity['key_file'] or '（内存数据库）'}")
        except UserError as exc:
            self.own_label.setText("无法读取")
            self.file_label.setText(exc.message)
        self.model.set_rows(signing.list_pinned(self.session.db))
        self._update_buttons()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.forget_button.setEnabled(bool(row and row.get("fingerprint")))

    def forget_selected(self) -> None:
        """Replacing a pinned key: confirm, then drop it; the office's next package is pinned anew."""
        row = self.selected()
        if not row or not row.get("fingerprint"):
            return
        answer = QMessageBox.question(
            self, "更换登记的密钥",
            f"将删除对“{row['office']}”密钥（指纹 {row['fingerprint']}）的登记。\n\n"
            "只有在打电话核实对方确实换了电脑或重装了程序之后才这样做：否则伪造的数据包可能被当作对方的。\n"
            "删除后，收到对方的下一个数据包时，程序会请您核对新的指纹再登记。是否继续？",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
        )
        if answer != QMessageBox.Yes:
            return
        try:
            signing.forget(self.session.db, row["office"])
        except UserError as exc:
            QMessageBox.warning(self, "更换登记的密钥", exc.message)
            return
        self.session.status_message.emit(f"已删除对“{row['office']}”密钥的登记，下一个数据包将重新核对登记。")
        self.refresh()
