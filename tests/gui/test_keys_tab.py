"""设置 → 密钥, the window's confirmation of a first key, and another office's backup."""

import re

import pytest
from PySide6.QtWidgets import QMessageBox

from core import settings
from core.storage import backup
from core.exchange import signing
from core.exchange.packs import pack
from tests.core.exchange.conftest import COUNTY, make_plan
from tests.gui.conftest import wait_idle


@pytest.fixture
def county_session(tmp_path):
    from gui.session import Session

    s = Session(tmp_path / "county" / "ledger.sqlite3")
    settings.set_profile(s.db, COUNTY, "县政府办公室", "汇总单位")
    make_plan(s.db)
    yield s
    s.close()


@pytest.fixture
def unit_session(tmp_path):
    from gui.session import Session

    s = Session(tmp_path / "unit" / "ledger.sqlite3")
    settings.set_profile(s.db, "城东街道", "街道", "填报单位")
    yield s
    s.close()


def answers(monkeypatch, answer):
    """Answer every message box with `answer`, recording what was asked."""
    asked = []

    def record(*args, **kw):
        asked.append(args[2] if len(args) > 2 else "")
        return answer

    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return asked


def test_first_task_package_asks_with_the_fingerprint_and_declining_imports_nothing(qtbot, county_session, unit_session,
                                                                                   tmp_path, monkeypatch):
    from gui.pages.exchange import ExchangePage

    path = tmp_path / "t.zwgk"
    pack(county_session.db, county_session.db_path, "task", path, unit="城东街道")
    fingerprint = signing.own_identity(county_session.db)["fingerprint"]
    page = ExchangePage(unit_session)
    qtbot.addWidget(page)
    asked = answers(monkeypatch, QMessageBox.No)
    page.import_paths([path])
    wait_idle(qtbot)
    assert any(fingerprint in text and "打电话" in text for text in asked)
    assert signing.pinned_county(unit_session.db) is None
    assert page.report_model.value(0, 8).startswith("未导入：首次收到")
    asked = answers(monkeypatch, QMessageBox.Yes)
    page.import_paths([path])
    wait_idle(qtbot)
    assert signing.pinned_county(unit_session.db)["fingerprint"] == fingerprint
    assert page.report_model.value(0, 8) == "已导入" and page.last_report["new"] == 4


def test_keys_tab_shows_own_fingerprint_and_replaces_a_key_after_confirmation(qtbot, county_session, unit_session,
                                                                              tmp_path, monkeypatch):
    from core.exchange.packs import unpack
    from gui.keys_tab import KeysTab

    path = tmp_path / "t.zwgk"
    pack(county_session.db, county_session.db_path, "task", path, unit="城东街道")
    unpack(unit_session.db, unit_session.db_path, [path])
    tab = KeysTab(unit_session)
    qtbot.addWidget(tab)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", tab.own_label.text())
    assert tab.own_label.text() == signing.own_identity(unit_session.db)["fingerprint"]
    assert tab.model.rowCount() == 1 and tab.model.index(0, 0).data() == COUNTY
    assert tab.model.index(0, 2).data() == signing.own_identity(county_session.db)["fingerprint"]
    assert not tab.forget_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.forget_button.isEnabled()
    asked = answers(monkeypatch, QMessageBox.No)
    tab.forget_selected()
    assert "删除对" in asked[0] and signing.pinned_county(unit_session.db) is not None
    answers(monkeypatch, QMessageBox.Yes)
    tab.forget_selected()
    assert signing.pinned_county(unit_session.db) is None and tab.model.rowCount() == 0
    tab.resize(1024, 700)
    tab.grab().save("/tmp/keys_tab.png")


def test_restoring_another_offices_backup_asks_first(qtbot, unit_session, tmp_path, monkeypatch):
    from db.connection import open_db
    from gui.backup_tab import BackupTab

    other = open_db(tmp_path / "other" / "ledger.sqlite3")
    settings.set_profile(other, "山头街道", "街道", "填报单位")
    other.conn.close()
    archive = backup.export_archive(tmp_path / "other" / "ledger.sqlite3", tmp_path / "theirs.zip")["path"]
    tab = BackupTab(unit_session)
    qtbot.addWidget(tab)
    asked = answers(monkeypatch, QMessageBox.No)
    tab.confirm_and_restore(archive, "“U盘备份”", ask=False)
    wait_idle(qtbot)
    assert any("这是“山头街道”" in text for text in asked)
    assert settings.profile(unit_session.db)["name"] == "城东街道"
    answers(monkeypatch, QMessageBox.Yes)
    tab.confirm_and_restore(archive, "“U盘备份”", ask=False)
    wait_idle(qtbot)
    assert settings.profile(unit_session.db)["name"] == "山头街道"
