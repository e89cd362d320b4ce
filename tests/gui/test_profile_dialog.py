from core import settings
from gui.profile_dialog import ProfileDialog


def test_empty_name_shows_the_error_and_stores_nothing(qtbot, db):
    dialog = ProfileDialog(db)
    qtbot.addWidget(dialog)
    dialog.name.setText("  ")
    dialog.save()
    assert "不能为空" in dialog.error.text()
    assert settings.profile(db) is None


def test_aliases_split_on_chinese_and_latin_commas(qtbot, db):
    dialog = ProfileDialog(db)
    qtbot.addWidget(dialog)
    dialog.name.setText("城东街道办事处")
    dialog.aliases.setText("城东街道，城东办,东街道")
    dialog.kind.setCurrentText("街道")
    dialog.save()
    assert settings.profile(db)["aliases"] == ["城东街道", "城东办", "东街道"]
