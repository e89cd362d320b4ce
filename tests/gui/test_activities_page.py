from PySide6.QtCore import Qt

from core.ledger import activities
from core.export.common import ledger_columns
from gui.session import Session
from tests.core.export.sample_data import add_activities, fill_ledger


def _session(tmp_path):
    session = Session(tmp_path / "ledger.sqlite3")
    from core import settings

    settings.set_profile(session.db, "城东街道", "街道", "填报单位")
    return session


def test_page_lists_activities_and_plan_dialog_adds(qtbot, tmp_path):
    from gui.pages.activities import ActivitiesPage, PlanDialog

    session = _session(tmp_path)
    add_activities(session.db)
    page = ActivitiesPage(session)
    qtbot.addWidget(page)
    model = page.view.model()
    assert model.rowCount() == 2
    assert model.data(model.index(0, 0)) == "2024年7月中旬"
    assert model.data(model.index(0, 6)) == "2024-07-22"
    # planned for a month long past and not recorded: the one state rule (activities.state) says so
    assert model.data(model.index(1, 5)) == "待填报开展情况"
    dialog = PlanDialog(session.db, page)
    qtbot.addWidget(dialog)
    for key, value in {"theme": "新活动", "time_text": "2024年10月上旬", "place": "会议室", "audience": "群众",
                       "contact": "王", "phone": "13900000000"}.items():
        dialog.edits[key].setText(value)
    dialog.edits["content"].setPlainText("座谈")
    dialog.save()
    assert dialog.result() == 1  # QDialog.Accepted
    page.show()  # a hidden page would only refresh once shown
    session.publish({"activities"})
    assert model.rowCount() == 3
    page.resize(1000, 400)
    page.grab().save("/tmp/activities_page.png")


def test_report_dialog_records(qtbot, tmp_path):
    from PySide6.QtCore import QDate

    from gui.pages.activities import ReportDialog

    session = _session(tmp_path)
    _, planned = add_activities(session.db)
    dialog = ReportDialog(session.db, activities.get(session.db, planned))
    qtbot.addWidget(dialog)
    dialog.held_on.setDate(QDate(2024, 9, 13))
    assert dialog.due_label.text().startswith("2024-09-23")
    dialog.spins["participants"].setValue(20)
    dialog.spins["opinions"].setValue(5)
    dialog.spins["adopted"].setValue(2)
    dialog.save()
    stored = activities.get(session.db, planned)
    assert (stored["held_on"], stored["participants"], stored["adopted"]) == ("2024-09-13", 20, 2)


def test_export_dialog_remembers_columns_and_exports(qtbot, tmp_path, monkeypatch):
    from gui import export_dialog

    session = _session(tmp_path)
    fill_ledger(session.db)
    dialog = export_dialog.ExportDialog(session, None, "ledger")
    qtbot.addWidget(dialog)
    assert dialog.path_edit.text().endswith(".xlsx") and "城东街道-2024年政务公开工作台账-" in dialog.path_edit.text()
    for i in range(dialog.columns.count()):
        item = dialog.columns.item(i)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in ("seq", "measure") else Qt.Unchecked)
    dialog.columns.setCurrentRow(3)  # 工作举措
    dialog.move(-1)
    dialog.move(-1)
    dialog.move(-1)
    dialog.path_edit.setText(str(tmp_path / "out.xlsx"))
    opened = []
    monkeypatch.setattr(export_dialog, "offer_open", lambda parent, path: opened.append(path))
    dialog.start()
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    assert ledger_columns(session.db) == ["measure", "seq"]
    assert (tmp_path / "out.xlsx").is_file()
    again = export_dialog.ExportDialog(session, None, "ledger")
    qtbot.addWidget(again)
    assert again.chosen_columns() == ["measure", "seq"]
    again.grab().save("/tmp/export_dialog.png")


def test_templates_tab_is_registered_and_loads(qtbot, tmp_path):
    from core.export import templates
    from gui.pages.settings import EXTRA_TABS
    from gui.templates_tab import TemplatesTab

    assert ("模板", "gui.templates_tab", "TemplatesTab") in EXTRA_TABS
    session = _session(tmp_path)
    tab = TemplatesTab(session)
    qtbot.addWidget(tab)
    assert tab.list.count() == len(templates.TEMPLATES) >= 3 and "默认" in tab.list.item(0).text()
    target = tmp_path / "t.docx"
    tab.export_template(path=str(target))
    tab.load_template(path=str(target))
    assert templates.is_custom(session.db_path, "activity_plan") and "自定义" in tab.list.item(0).text()


def test_templates_tab_names_every_field_in_plain_words(qtbot, tmp_path):
    import re

    from core.export import templates
    from gui.templates_tab import TemplatesTab, field_help

    session = _session(tmp_path)
    tab = TemplatesTab(session)
    qtbot.addWidget(tab)
    shown = " ".join(w.text() for w in tab.findChildren(type(tab.fields)))
    assert "{% %}" not in shown and "标记" not in shown
    for name in templates.TEMPLATES:
        text = field_help(name)
        used = set(re.findall(r"\{\{ (\w+)", text))
        assert templates.VARIABLES[name] - {"activities"} <= used  # every field it may use is explained
        assert "例如" in text and "城东街道" in text
    assert "{{ a.theme }}" in field_help("activity_plan") and "活动主题" in field_help("activity_plan")
    assert "for a in activities" in field_help("activity_report")
    tab.list.setCurrentRow(2)
    assert "台账表格" in tab.fields.text()
