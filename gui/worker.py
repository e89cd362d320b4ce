"""Running long work off the main thread, with progress, cancel and errors handed back.

Usage:
    run_task(parent, "正在导入…", import_plan, path, on_done=show_report)

The function runs in QThreadPool; if it accepts a `progress` keyword it receives a callable
progress(done, total, text) that raises Cancelled once the user presses 取消.
on_done(result) / on_error(exc) run on the main thread.
"""

import inspect
import traceback

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog




class Cancelled(Exception):
    """The user pressed 取消."""


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class Operation(QRunnable):
    """One piece of background work; its signals are delivered on the main thread."""

    def __init__(self, fn, *args, **kwargs):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(False)

    def report(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(done, total, text)

    def run(self) -> None:
        try:
            if "progress" in inspect.signature(self.fn).parameters:
                self.kwargs.setdefault("progress", self.report)
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # handed to the main thread, which shows it
            self._emit(self.signals.failed, exc, traceback.format_exc())
        else:
            self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal, *values) -> None:
        try:
            signal.emit(*values)
        except RuntimeError:  # the window closed while this ran: nobody is left to tell
            pass


_running: set = set()


def run_task(parent, title, fn, *args, on_done=None, on_error=None, modal=True, **kwargs) -> Operation:
    """Run fn(*args, **kwargs) in the thread pool with a progress dialog (取消 cancels)."""
    op = Operation(fn, *args, **kwargs)
    dialog = None
    if modal:
        dialog = QProgressDialog(title, "取消", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(lambda: setattr(op, "cancelled", True))

        def show_progress(done, total, text):
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if text:
                dialog.setLabelText(text)

        op.signals.progress.connect(show_progress)

    def finish():
        _running.discard(op)
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()

    def done(result):
        finish()
        if on_done:
            on_done(result)

    def failed(exc, trace):
        finish()
        if isinstance(exc, Cancelled):
            return
        if on_error:
            on_error(exc)
        else:
            from gui.errors import show_error

            show_error(parent, exc, trace)

    op.signals.finished.connect(done)
    op.signals.failed.connect(failed)
    _running.add(op)
    QThreadPool.globalInstance().start(op)
    return op
