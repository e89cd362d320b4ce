"""What the window tells a user: the 使用说明 (帮助 menu), the read-only banner, and the undo state."""

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout


def guide_path() -> Path:
    """docs/使用说明.md, beside resources/ (in the bundle too)."""
    from core.paths import resources_dir

    return resources_dir().parent / "docs" / "使用说明.md"


def guide_text() -> str:
    """The 使用说明 as Markdown (a short notice if the file is missing)."""
    try:
        return guide_path().read_text(encoding="utf-8")
    except OSError:
        return "# 使用说明\n\n找不到使用说明文件（docs/使用说明.md），请重新安装程序。"


def show_guide(parent) -> QDialog:
    """帮助 → 使用说明: the guide in a dialog."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("使用说明")
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setMarkdown(guide_text())
    browser.setOpenExternalLinks(True)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(760, 620)
    dialog.show()
    return dialog


def add_help_actions(window, menu) -> None:
    """使用说明 (F1) at the top of the 帮助 menu."""
    from PySide6.QtGui import QAction, QKeySequence

    action = QAction("使用说明(&H)", window)
    action.setShortcut(QKeySequence.HelpContents)
    action.triggered.connect(lambda: setattr(window, "_guide", show_guide(window)))
    menu.addAction(action)
    menu.addSeparator()
    window.guide_action = action


def read_only_banner(session) -> QLabel:
    """The yellow line across the top of the window when the ledger is open read-only (hidden otherwise)."""
    banner = QLabel(f"只读模式：{session.read_only or ''}本窗口只能查看、搜索和导出。")
    banner.setObjectName("readOnlyBanner")
    banner.setWordWrap(True)
    banner.setStyleSheet("QLabel#readOnlyBanner { background: #fff4cc; color: #7a4b00; padding: 6px 12px; border-bottom: 1px solid #e0c060; font-weight: bold; }")
    banner.setVisible(bool(session.read_only))
    return banner


def show_undo_state(label: QLabel, stack) -> None:
    """The status bar's note of what Ctrl+Z and Ctrl+Y would do."""
    import shiboken6

    if not (shiboken6.isValid(label) and shiboken6.isValid(stack)):  # the window is closing
        return
    parts = []
    if stack.canUndo():
        parts.append(f"可撤销：{stack.undoText()}（Ctrl+Z）")
    if stack.canRedo():
        parts.append(f"可重做：{stack.redoText()}（Ctrl+Y）")
    label.setText("　".join(parts))
