"""One window per ledger: a QLockFile beside the database; a second copy opens read-only or quits."""

from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

READ_ONLY = "readonly"
QUIT = "quit"


def lock_path(db_path) -> Path:
    """The lock file that marks the database at `db_path` as open in a window."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Holds the database's lock for as long as this object lives (or until release())."""

    def __init__(self, db_path):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = QLockFile(str(self.path))
        self.lock.setStaleLockTime(0)  # held for hours; a crashed holder is still detected by its pid

    def acquire(self) -> bool:
        """True if this process now holds the lock (a lock left by a crashed copy is taken over)."""
        return self.lock.tryLock(200)

    def owner(self) -> str:
        """Who holds the lock, in Chinese (process id and computer)."""
        info = self.lock.getLockInfo()
        if not isinstance(info, tuple) or len(info) < 2 or not info[0]:
            return "另一个程序窗口"
        pid, host = info[0], info[1]
        return f"另一个程序窗口（进程号 {pid}，计算机 {host or '本机'}）"

    def release(self) -> None:
        if self.lock.isLocked():
            self.lock.unlock()


def ask_second_copy(parent, db_path, owner: str) -> str:
    """Ask what to do when the ledger is already open: READ_ONLY or QUIT."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle("台账已在使用中")
    box.setText(f"台账“{Path(db_path).name}”已由{owner}打开。")
    box.setInformativeText("两个窗口同时修改会互相覆盖。可以只读方式打开查看，或退出后回到已打开的窗口。")
    read_only = box.addButton("只读打开", QMessageBox.AcceptRole)
    box.addButton("退出", QMessageBox.RejectRole)
    box.exec()
    return READ_ONLY if box.clickedButton() is read_only else QUIT


def claim(db_path, parent=None, ask=ask_second_copy):
    """Lock the database for this window.

    Returns (lock, mode): mode "write" with the held lock; READ_ONLY (the database is then
    opened read-only by db.connection) or QUIT with lock None.
    """
    from db.connection import mark_read_only, storage_is_read_only

    if storage_is_read_only(db_path):  # a write-protected stick: no lock file can be made, nobody can write
        mark_read_only(db_path, "storage")
        return None, READ_ONLY
    lock = InstanceLock(db_path)
    if lock.acquire():
        return lock, "write"
    choice = ask(parent, db_path, lock.owner())
    if choice == READ_ONLY:
        mark_read_only(db_path, "window")
        return None, READ_ONLY
    return None, QUIT
