import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def quiet(monkeypatch):
    """Answer every message box with Yes/OK and record what it said."""
    said = []

    def record(*args, **kw):
        said.append(args[2] if len(args) > 2 else "")
        return QMessageBox.Yes

    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return said


def wait_idle(qtbot):
    """Wait until no background operation (gui.worker) is running."""
    from gui import worker

    qtbot.waitUntil(lambda: not worker._running, timeout=20000)
