"""设置 → 备份与恢复, the single-instance lock, start-up checks and 导出诊断信息."""

import zipfile

import pytest

from core import settings
from core.storage import snapshots
from tests.gui.conftest import wait_idle


@pytest.fixture
def session(tmp_path):
    from gui.session import Session

    s = Session(tmp_path / "ledger.sqlite3")
    settings.set_profile(s.db, "城东街道", "街道", "填报单位")
    yield s
    s.close()


def test_tab_lists_backups_in_a_model(qtbot, session, quiet):
    from gui.backup_tab import BackupTab

    snapshots.backup_before(session.db_path, "import")
    tab = BackupTab(session)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 1).data() == "导入方案前"
    assert tab.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Horizontal) == "备份时间"
    assert not tab.restore_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.restore_button.isEnabled()


def test_backup_now_adds_a_row(qtbot, session, quiet):
    from gui.backup_tab import BackupTab

    tab = BackupTab(session)
    qtbot.addWidget(tab)
    tab.backup_now()
    wait_idle(qtbot)
    assert tab.model.rowCount() == 1
    assert tab.model.rows[0]["label"] == "手动备份"


def test_restore_selected_brings_back_old_state_and_keeps_current(qtbot, session, quiet):
    from gui.backup_tab import BackupTab

    snapshots.backup_before(session.db_path, "import")
    settings.set_profile(session.db, "西城街道", "街道", "填报单位")
    tab = BackupTab(session)
    qtbot.addWidget(tab)
    changed = []
    session.changed.connect(changed.append)
    tab.table.selectRow(0)
    tab.restore_selected()
    wait_idle(qtbot)
    assert settings.profile(session.db)["name"] == "城东街道"  # the page's own connection sees it
    assert [c.kinds for c in changed] == [{"all"}]  # one notice: every page reloads once
    replaced = [b for b in snapshots.list_backups(session.db_path) if b["kind"] == "replaced"]
    assert len(replaced) == 1
    assert any("另存为" in text for text in quiet)


def test_archive_to_folder_and_restore_from_file(qtbot, session, quiet, tmp_path):
    from gui.backup_tab import BackupTab

    stick = tmp_path / "usb"
    stick.mkdir()
    tab = BackupTab(session)
    qtbot.addWidget(tab)
    tab.start_archive(stick)
    wait_idle(qtbot)
    (archive,) = stick.glob("*.zip")
    with zipfile.ZipFile(archive) as zf:
        assert "manifest.json" in zf.namelist()
    settings.set_profile(session.db, "西城街道", "街道", "填报单位")
    tab.confirm_and_restore(archive, "“U盘备份”")
    wait_idle(qtbot)
    assert settings.profile(session.db)["name"] == "城东街道"


def test_bad_file_restore_shows_chinese_warning_and_changes_nothing(qtbot, session, quiet, tmp_path):
    from gui.backup_tab import BackupTab

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    tab = BackupTab(session)
    qtbot.addWidget(tab)
    tab.confirm_and_restore(bad, "坏文件")
    wait_idle(qtbot)
    assert any("未做任何更改" in text for text in quiet)
    assert settings.profile(session.db)["name"] == "城东街道"


def test_second_copy_is_told_and_opens_read_only(qtbot, tmp_path):
    from db import connection
    from gui import single_instance

    db_path = tmp_path / "ledger.sqlite3"
    connection.open_db(db_path).conn.close()
    first, mode = single_instance.claim(db_path)
    assert mode == "write"
    asked = []

    def ask(parent, path, owner):
        asked.append(owner)
        return single_instance.READ_ONLY

    try:
        lock, mode = single_instance.claim(db_path, ask=ask)
        assert (lock, mode) == (None, "readonly")
        assert "进程号" in asked[0]
        assert connection.is_read_only(db_path)
        db = connection.open_db(db_path)
        from core.errors import UserError

        with pytest.raises(UserError, match="只读"):
            settings.set_profile(db, "城东街道", "街道", "填报单位")
        db.conn.close()
        lock, mode = single_instance.claim(db_path, ask=lambda *a: single_instance.QUIT)
        assert mode == "quit"
    finally:
        connection._READ_ONLY.clear()
        first.release()
    again, mode = single_instance.claim(db_path, ask=lambda *a: pytest.fail("lock was released"))
    assert mode == "write"
    again.release()


def test_read_only_tab_disables_restore(qtbot, session):
    from db import connection
    from gui.backup_tab import BackupTab

    connection.mark_read_only(session.db_path)
    try:
        tab = BackupTab(session)
        qtbot.addWidget(tab)
        assert not tab.restore_file_button.isEnabled()
    finally:
        connection._READ_ONLY.clear()


def test_startup_offers_newest_good_backup_for_a_damaged_ledger(qtbot, tmp_path):
    from db import connection
    from gui import startup_checks

    db_path = tmp_path / "ledger.sqlite3"
    db = connection.open_db(db_path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    db.conn.close()
    good = snapshots.backup_before(db_path, "import")
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    offered = []

    def ask(parent, exc):
        offered.append(exc)
        return startup_checks.RESTORE, exc.backup["path"]

    assert startup_checks.prepare(db_path, ask_damaged=ask, tell=lambda p, t: None)
    assert offered[0].backup["path"] == str(good)
    assert list(tmp_path.glob("ledger.sqlite3.damaged-*"))
    db = connection.open_db(db_path)
    assert settings.profile(db)["name"] == "城东街道"
    db.conn.close()
    QApplicationLock = __import__("PySide6.QtWidgets").QtWidgets.QApplication.instance()
    QApplicationLock._zwgk_instance_lock.release()


def test_startup_quit_on_damaged_keeps_files(qtbot, tmp_path):
    from gui import startup_checks

    db_path = tmp_path / "ledger.sqlite3"
    db_path.write_bytes(b"not a database at all" * 100)
    assert not startup_checks.prepare(db_path, ask_damaged=lambda p, e: (startup_checks.QUIT, None), tell=lambda p, t: None)
    (aside,) = tmp_path.glob("ledger.sqlite3.damaged-*")
    assert aside.read_bytes().startswith(b"not a database")
    __import__("PySide6.QtWidgets").QtWidgets.QApplication.instance()._zwgk_instance_lock.release()


def test_startup_cleans_leftover_part_files_and_warns_about_clock(qtbot, tmp_path):
    from db import connection
    from gui import startup_checks

    db_path = tmp_path / "ledger.sqlite3"
    db = connection.open_db(db_path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    with db.atomic():
        db["plans"].insert({"id": "p1", "title": "方案", "updated_at": "2999-01-01T00:00:00+00:00"})
    db.conn.close()
    leftover = tmp_path / ".导出.abc123.part"
    leftover.write_bytes(b"half")
    told = []
    assert startup_checks.prepare(db_path, tell=lambda p, t: told.append(t))
    assert not leftover.exists()
    assert any("电脑时钟" in t for t in told)
    __import__("PySide6.QtWidgets").QtWidgets.QApplication.instance()._zwgk_instance_lock.release()


def test_help_menu_exports_diagnostics(qtbot, tmp_path, monkeypatch, quiet):
    from PySide6.QtWidgets import QFileDialog

    from gui.main_window import MainWindow

    out = tmp_path / "诊断.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window = MainWindow(tmp_path / "ledger.sqlite3", ask_profile=False)
    qtbot.addWidget(window)
    help_menu = [m for m in window.menuBar().actions() if m.text().startswith("帮助")][0].menu()
    action = [a for a in help_menu.actions() if a.text().startswith("导出诊断信息")][0]
    action.trigger()
    wait_idle(qtbot)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert "report.json" in names
    assert not any(n.endswith(".sqlite3") for n in names)


def test_settings_page_has_backup_tab(qtbot, session):
    from gui.pages.settings import SettingsPage

    page = SettingsPage(session)
    qtbot.addWidget(page)
    titles = [page.tabText(i) for i in range(page.count())]
    assert "备份与恢复" in titles
    page.setCurrentIndex(titles.index("备份与恢复"))
    assert page.currentWidget().model.rowCount() == 0


def test_lock_held_by_another_process_then_taken_over_after_it_crashed(qtbot, tmp_path):
    import subprocess
    import sys

    from gui import single_instance

    db_path = tmp_path / "ledger.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from PySide6.QtCore import QLockFile\n"
            f"lock = QLockFile({str(single_instance.lock_path(db_path))!r}); lock.setStaleLockTime(0)\n"
            "assert lock.tryLock(1000); print('locked', flush=True); time.sleep(60)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        told = []
        lock, mode = single_instance.claim(db_path, ask=lambda p, path, owner: told.append(owner) or single_instance.QUIT)
        assert mode == "quit" and f"进程号 {holder.pid}" in told[0]
    finally:
        holder.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no chance to unlock
        holder.wait()
        holder.stdout.close()
    lock, mode = single_instance.claim(db_path, ask=lambda *a: pytest.fail("a crashed copy's lock must not block"))
    assert mode == "write"
    lock.release()


def test_damaged_dialog_offers_restore_or_new(qtbot, tmp_path):
    from core.errors import DamagedDatabase
    from gui.startup_checks import damaged_box

    good = {"path": str(tmp_path / "b.sqlite3"), "created": "2024-07-01 09:00:00", "label": "每日自动备份", "name": "b.sqlite3"}
    box, buttons = damaged_box(None, DamagedDatabase("台账文件已损坏（quick_check），已原样保留为“x”。最新的完好备份是…", None, good))
    qtbot.addWidget(box)
    assert buttons["restore"].text() == "恢复此备份" and buttons["new"] is None
    assert "2024-07-01" in box.informativeText()
    box, buttons = damaged_box(None, DamagedDatabase("台账文件已损坏。", None, None))
    qtbot.addWidget(box)
    assert buttons["new"].text() == "新建空台账" and buttons["restore"] is None
