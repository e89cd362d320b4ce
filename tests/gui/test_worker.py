from PySide6.QtCore import QThread

from core.errors import UserError
from gui import worker


def test_result_comes_back_on_the_main_thread(qtbot):
    seen = {}

    def work(x, progress=None):
        seen["thread"] = QThread.currentThread()
        progress(1, 2, "一半")
        return x * 2

    results = []
    worker.run_task(None, "计算中", work, 21, on_done=lambda r: results.append((r, QThread.currentThread())), modal=False)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    value, thread = results[0]
    assert value == 42
    assert thread is QThread.currentThread()
    assert seen["thread"] is not QThread.currentThread()


def test_errors_are_handed_to_on_error(qtbot):
    errors = []

    def work():
        raise UserError("文件已损坏，请重新下载。")

    worker.run_task(None, "导入中", work, on_error=errors.append, modal=False)
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert str(errors[0]) == "文件已损坏，请重新下载。"


def test_cancel_stops_work_at_next_progress_report(qtbot):
    import threading

    started, release = threading.Event(), threading.Event()
    done, errors = [], []

    def work(progress=None):
        started.set()
        release.wait(5)
        progress(1, 10, "")
        done.append("finished")

    op = worker.run_task(None, "导入中", work, on_done=done.append, on_error=errors.append, modal=False)
    assert started.wait(5)
    op.cancelled = True
    release.set()
    qtbot.waitUntil(lambda: op not in worker._running, timeout=20000)
    assert done == [] and errors == []
