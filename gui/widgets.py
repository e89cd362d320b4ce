"""Small pieces several dialogs share."""

from PySide6.QtWidgets import QDialogButtonBox


def dialog_buttons(dialog, ok_text: str, on_ok) -> QDialogButtonBox:
    """A button row: `ok_text` (default button, calls on_ok) and 取消 (rejects the dialog)."""
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText("取消")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
