"""Before the main window opens: one window per ledger, integrity check, leftovers, warnings.

prepare(db_path) returns True when the window may open. A damaged ledger is set aside and the
newest good backup is offered; a second copy of the program opens read-only or quits; a clock
set back or a missing attachment folder is told once.
"""

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.errors import UserError

log = logging.getLogger(__name__)

RESTORE, OTHER, NEW, QUIT = "restore", "other", "new", "quit"


def prepare(db_path, parent=None, ask_second=None, ask_damaged=None, tell=None) -> bool:
    """Run the start-up checks for the database at `db_path`; False means: do not open the window."""
    from gui import single_instance

    ask_second = ask_second or single_instance.ask_second_copy
    ask_damaged = ask_damaged or ask_what_to_restore
    tell = tell or show_warning
    lock, mode = single_instance.claim(db_path, parent, ask_second)
    if mode == single_instance.QUIT:
        return False
    app = QApplication.instance()
    if app is not None and lock is not None:
        app._zwgk_instance_lock = lock  # held until the program exits
    if mode == single_instance.READ_ONLY:
        QApplication.setApplicationDisplayName("政务公开工作台账（只读）")
        from db.connection import READ_ONLY_REASONS, read_only_reason

        if read_only_reason(db_path) == READ_ONLY_REASONS["storage"]:
            tell(parent, read_only_reason(db_path))
    else:
        from core.storage.housekeeping import cleanup_temp_files

        cleanup_temp_files(db_path)
        if not _check_integrity(db_path, parent, ask_damaged, tell):
            return False
    for text in startup_warnings(db_path):
        tell(parent, text)
    return True


def _check_integrity(db_path, parent, ask_damaged, tell) -> bool:
    from core.storage import backup
    from core.errors import DamagedDatabase
    from core.storage import startup

    try:
        startup.start_check(db_path)
        return True
    except DamagedDatabase as exc:
        log.info("damaged database at start: %s", exc)
        choice, source = ask_damaged(parent, exc)
        if choice == NEW and exc.backup is None:
            return True
        if choice in (RESTORE, OTHER) and source:
            try:
                with _busy():
                    backup.restore(db_path, source)
            except UserError as err:
                tell(parent, str(err))
                return False
            return True
        return False
    except (OSError, Exception) as exc:  # locked or unreadable: opening the database reports it
        log.info("start check could not run: %s", exc)
        return True


class _busy:
    """A wait cursor while a short synchronous step runs before the window exists."""

    def __enter__(self):
        QApplication.setOverrideCursor(Qt.WaitCursor)

    def __exit__(self, *exc):
        QApplication.restoreOverrideCursor()


def startup_warnings(db_path) -> list[str]:
    """Clock set back, missing attachments: Chinese warnings to show once at start."""
    from core.storage import housekeeping
    from db.connection import open_db

    try:
        db = open_db(db_path)
    except UserError:
        return []  # the main window reports why it cannot open
    try:
        return [w for w in (housekeeping.clock_warning(db), housekeeping.attachments_warning(db, db_path)) if w]
    finally:
        db.conn.close()


def damaged_box(parent, exc):
    """The damaged-ledger message box and its buttons {"restore", "new", "other"} (absent ones None)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Critical)
    box.setWindowTitle("台账文件已损坏")
    if exc.damaged_copy is not None:
        box.setText(f"台账文件已损坏，已原样保留为“{Path(exc.damaged_copy).name}”，以便技术人员检查。")
        box.setDetailedText(str(exc))
    else:
        box.setText(_first_sentence(str(exc)))
    buttons = {"restore": None, "new": None}
    if exc.backup is not None:
        box.setInformativeText(f"最新的完好备份：{exc.backup['created']}（{exc.backup['label']}）。恢复前会再次校验该备份。")
        buttons["restore"] = box.addButton("恢复此备份", QMessageBox.AcceptRole)
    else:
        box.setInformativeText("没有找到可用的自动备份。可以选择U盘上的 .zip 备份，或新建空台账（损坏的文件仍保留）。")
        buttons["new"] = box.addButton("新建空台账", QMessageBox.DestructiveRole)
    buttons["other"] = box.addButton("选择其他备份…", QMessageBox.ActionRole)
    box.addButton("退出", QMessageBox.RejectRole)
    return box, buttons


def ask_what_to_restore(parent, exc) -> tuple[str, str | None]:
    """The damaged-ledger dialog: (RESTORE, path) | (OTHER, path) | (NEW, None) | (QUIT, None)."""
    box, buttons = damaged_box(parent, exc)
    box.exec()
    clicked = box.clickedButton()
    if clicked is not None and clicked is buttons["restore"]:
        return RESTORE, exc.backup["path"]
    if clicked is not None and clicked is buttons["new"]:
        return NEW, None
    if clicked is buttons["other"]:
        path, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", str(Path.home()), "台账备份 (*.zip *.sqlite3);;所有文件 (*)")
        return (OTHER, path) if path else (QUIT, None)
    return QUIT, None


def _first_sentence(text: str) -> str:
    return text.split("。")[0] + "。" if "。" in text else text


def show_warning(parent, text: str) -> None:
    QMessageBox.warning(parent, "请注意", text)
