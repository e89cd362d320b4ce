"""设置 → 工作方案: see, rename and drop a plan (confirmed) through core.plan.plans."""

import pytest

from core import ledger, settings
from core.plan.plan_import import import_plan
from tests.core.exchange.plan_docs import plan_docx


@pytest.fixture
def session(tmp_path):
    from gui.session import Session

    s = Session(tmp_path / "ledger.sqlite3")
    settings.set_profile(s.db, "城东街道", "街道", "填报单位", county="测试县")
    import_plan(s.db, plan_docx(tmp_path / "要点.docx"))
    yield s
    s.close()


def test_the_tab_lists_renames_and_drops_after_confirmation(qtbot, session, quiet, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from gui.plans_tab import PlansTab

    entry = ledger.list_entries(session.db)[0]
    ledger.add_progress(session.db, entry["id"], "2024-07-01", "进展")
    tab = PlansTab(session)
    qtbot.addWidget(tab)
    tab.resize(1024, 700)
    assert tab.model.rowCount() == 1 and not tab.drop_button.isEnabled()
    assert [tab.model.index(0, c).data() for c in range(7)] == [
        "2024年测试县政务公开工作要点", "2024", "测政办字〔2024〕7号", "本机导入方案文件", "4", "3", "1"]
    tab.table.selectRow(0)
    tab.rename_selected(title="2024年要点（本单位）")
    assert tab.model.index(0, 0).data() == "2024年要点（本单位）"
    tab.grab().save(str(tmp_path / "plans-tab.png"))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.No))
    tab.table.selectRow(0)
    tab.drop_selected()
    assert "1 条进展" in asked[0] and tab.model.rowCount() == 1  # declined: nothing dropped
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    tab.table.selectRow(0)
    tab.drop_selected()
    assert tab.model.rowCount() == 0 and ledger.list_entries(session.db) == []


def test_the_settings_page_has_the_plans_tab(qtbot, session):
    from gui.pages.settings import SettingsPage

    page = SettingsPage(session)
    qtbot.addWidget(page)
    assert "工作方案" in [page.tabText(i) for i in range(page.count())]
