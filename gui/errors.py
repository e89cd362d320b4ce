"""Showing failures to the user in Chinese, and logging what they did not expect."""

import logging
import sys
import traceback

from PySide6.QtWidgets import QMessageBox

from core.errors import UserError

log = logging.getLogger("gui")


def show_error(parent, exc: BaseException, trace: str = "") -> None:
    """A UserError as a warning; anything else as an internal error that is also logged."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "无法完成", str(exc))
        return
    log.error("unexpected error: %s\n%s", exc, trace or "".join(traceback.format_exception(exc)))
    box = QMessageBox(QMessageBox.Critical, "程序内部错误", f"出现了意外错误：{type(exc).__name__}: {exc}", parent=parent)
    box.setInformativeText("您的数据没有丢失。错误已记入日志，可通过“帮助 → 导出诊断信息”发给技术人员。")
    box.setDetailedText(trace)
    box.exec()


def install_excepthook() -> None:
    """Route uncaught exceptions on the main thread to a dialog instead of a silent exit."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(None, exc, "".join(traceback.format_exception(exc_type, exc, tb)))

    sys.excepthook = hook
