import pytest
from PySide6.QtWidgets import QDialog

from core import settings
from gui.main_window import MainWindow
from gui.pages import PAGES


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(tmp_path / "ledger.sqlite3", ask_profile=False)
    qtbot.addWidget(win)
    win.show()
    return win


def test_navigation_lists_every_page_in_chinese(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["概览", "任务台账", "开放活动", "依申请公开", "年度报告", "数据交换", "单位名册", "检查考核", "设置"]


def test_pages_are_built_on_first_show(window):
    assert set(window.pages) == {0}
    for index, (_, module, name) in enumerate(PAGES):
        page = window.show_page(index)
        assert type(page).__name__ == name
        assert window.stack.currentWidget() is page


def test_menus_have_standard_shortcuts(window):
    shortcuts = {a.text(): a.shortcut().toString() for m in window.menuBar().actions() for a in m.menu().actions() if a.text()}
    assert shortcuts["导入方案(&I)…"] == "Ctrl+O"
    assert shortcuts["撤销(&U)"] == "Ctrl+Z"
    assert shortcuts["查找(&F)"] == "Ctrl+F"
    assert shortcuts["退出(&X)"] == "Ctrl+Q"


def test_status_bar_names_the_unit_after_profile_change(window):
    assert window.unit_label.text() == "未设置本单位"
    settings.set_profile(window.session.db, "城东街道", "街道", "填报单位")
    window.session.publish({"profile"})
    assert window.unit_label.text() == "城东街道 · 填报单位"


def test_first_start_asks_for_profile(qtbot, tmp_path, monkeypatch):
    from gui import profile_dialog

    asked = []

    def fake_exec(self):
        asked.append(self.windowTitle())
        self.name.setText("甲镇")
        self.kind.setCurrentText("镇")
        self.save()
        return QDialog.Accepted

    monkeypatch.setattr(profile_dialog.ProfileDialog, "exec", fake_exec)
    win = MainWindow(tmp_path / "first.sqlite3")
    qtbot.addWidget(win)
    win.show()
    win.after_show()
    assert asked == ["本单位信息"]
    assert settings.profile(win.session.db)["name"] == "甲镇"
    assert win.unit_label.text() == "甲镇 · 填报单位"
