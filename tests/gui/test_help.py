"""帮助 → 使用说明: the guide ships and covers the pages and the yearly order of work."""

from gui.help import guide_path, guide_text, show_guide
from gui.pages import PAGES


def test_guide_covers_pages_and_workflow():
    assert guide_path().is_file()
    text = guide_text()
    for title, _, _ in PAGES:
        assert f"**{title}**" in text
    assert text.index("导入方案") < text.index("报送包") and "任务包" in text and "汇总单位" in text


def test_help_menu_opens_the_guide(qtbot, tmp_path):
    from gui.main_window import MainWindow

    window = MainWindow(tmp_path / "l.sqlite3", ask_profile=False)
    qtbot.addWidget(window)
    help_menu = window.menuBar().actions()[-1].menu()
    assert help_menu.actions()[0].text().startswith("使用说明")
    dialog = show_guide(window)
    qtbot.addWidget(dialog)
    assert "使用说明" in dialog.findChild(__import__("PySide6.QtWidgets", fromlist=["QTextBrowser"]).QTextBrowser).toPlainText()
