import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from core import settings
from gui import import_dialog
from gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(tmp_path / "ledger.sqlite3", ask_profile=False)
    settings.set_profile(win.session.db, "城东街道", "街道", "填报单位", county="博山区")
    qtbot.addWidget(win)
    return win


def test_sample_plan_is_previewed_edited_and_imported(qtbot, window, samples, monkeypatch):
    seen = {}

    def accept_after_edit(dialog):
        seen["rows"] = dialog.model.rowCount()
        seen["title"] = dialog.fields["title"].text()
        index = dialog.model.index(0, 5)  # 时限要求 of task 1
        assert dialog.model.setData(index, "2024年12月底前")
        dialog.accept_edits()
        return QDialog.Accepted

    reports = []
    monkeypatch.setattr(import_dialog.PlanPreviewDialog, "exec", accept_after_edit)
    from gui.import_result import ImportResultDialog

    results = []

    def show_result(dialog):
        reports.append(dialog.summary)
        results.append(dialog)
        return QDialog.Accepted

    monkeypatch.setattr(ImportResultDialog, "exec", show_result)
    changes = []
    window.session.changed.connect(changes.append)

    import_dialog.choose_and_import(window, str(samples / "boshan-2024-plan.docx"))
    qtbot.waitUntil(lambda: bool(reports), timeout=20000)

    assert seen["rows"] == 67
    assert "政务公开" in seen["title"]
    assert "新增 67 项" in reports[0] and "城东街道的台账：新增" in reports[0]
    db = window.session.db
    assert db.execute("SELECT count(*) FROM tasks WHERE deleted = 0").fetchone()[0] == 67
    assert db.execute("SELECT deadline FROM tasks WHERE seq = '1'").fetchone()[0] == "2024年12月底前"
    assert db.execute("SELECT count(*) FROM entries WHERE unit = '城东街道'").fetchone()[0] > 0
    assert [c.kinds for c in changes] == [{"plan", "entries"}]  # one notice for the import
    # the result lists every task picked for this unit, with why
    picked = db.execute("SELECT count(*) FROM entries WHERE unit = '城东街道' AND deleted = 0 AND selection != 'dropped'").fetchone()[0]
    result = results[0]
    assert sum(r["in_ledger"] for r in result.rows) == picked == result.table.rowCount() - result.maybe
    assert all(r["reason"] for r in result.rows) and f"本单位台账中有本方案的 {picked} 项任务" in result.summary
    opened = []
    monkeypatch.setattr(window, "select_tasks", lambda show_maybe=False: opened.append(show_maybe))
    result.adjust_button.click()
    assert opened == [bool(result.maybe)]


def test_filled_cells_are_shaded_and_editing_clears_the_mark(qtbot):
    from core.plan.model import ParsedPlan, ParsedTask
    from gui.plan_preview_model import FILLED_BRUSH

    tasks = [
        ParsedTask("1", ["推进决策公开"], "做好政策解读", "各镇（街道）", "长期坚持"),
        ParsedTask("2", ["推进决策公开"], "开展政策评价", "各镇（街道）", "长期坚持", filled=["units", "deadline"]),
    ]
    dialog = import_dialog.PlanPreviewDialog(ParsedPlan(title="方案", year=2024, tasks=tasks))
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.data(model.index(0, 4), Qt.BackgroundRole) is None
    assert model.data(model.index(1, 4), Qt.BackgroundRole) == FILLED_BRUSH
    assert "同上" in model.data(model.index(1, 5), Qt.ToolTipRole)
    model.setData(model.index(1, 4), "区政府办公室")
    assert model.data(model.index(1, 4), Qt.BackgroundRole) is None
    assert tasks[1].units == "区政府办公室" and tasks[1].filled == ["deadline"]
    model.setData(model.index(1, 2), "政策解读")
    assert tasks[1].category == ["推进决策公开", "政策解读"]


def test_bad_year_is_refused_in_the_preview(qtbot, samples, monkeypatch):
    from core.plan import read_plan

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = import_dialog.PlanPreviewDialog(read_plan(samples / "boshan-2024-plan.docx"))
    qtbot.addWidget(dialog)
    dialog.year.setText("24年")
    dialog.accept_edits()
    assert warnings and "四位数字" in warnings[0]
    assert dialog.result() != QDialog.Accepted


def test_a_broken_file_shows_the_chinese_message_and_imports_nothing(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "方案.docx"
    bad.write_bytes(b"not a zip at all")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    import_dialog.choose_and_import(window, str(bad))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "方案.docx" in shown[0] or "文件" in shown[0]
    assert window.session.db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_preview_shows_source_page_joined_cells_and_quoted_deadlines(qtbot):
    from core.plan.model import ParsedPlan, ParsedTask
    from gui.plan_preview_model import COLUMNS, FILLED_BRUSH, IMPLIED_PREFIX

    tasks = [
        ParsedTask("1", ["推进标准化规范化建设"], "编制目录", "各镇", "6月底前", joined=["category"], source="第3页第2行", page=3),
        ParsedTask("2", ["推进标准化规范化建设"], "计划于7月8日前报县政府办公室备案", "各镇", "",
                   source="第3页第3行", page=3, implied_deadline="于7月8日前报县政府办公室备案"),
    ]
    dialog = import_dialog.PlanPreviewDialog(ParsedPlan(title="方案", year=2024, tasks=tasks))
    qtbot.addWidget(dialog)
    model = dialog.model
    source = [c[1] for c in COLUMNS].index("source")
    assert model.data(model.index(0, source)) == "第3页第2行"
    assert not model.flags(model.index(0, source)) & Qt.ItemIsEditable
    assert model.data(model.index(0, 1), Qt.BackgroundRole) == FILLED_BRUSH
    assert "接续" in model.data(model.index(0, 1), Qt.ToolTipRole)
    assert model.data(model.index(1, 5)) == IMPLIED_PREFIX + "于7月8日前报县政府办公室备案"
    assert model.data(model.index(1, 5), Qt.BackgroundRole) == FILLED_BRUSH
    assert model.setData(model.index(1, 5), "7月10日前")
    assert tasks[1].deadline == "7月10日前" and tasks[1].implied_deadline == ""
    assert model.setData(model.index(0, 1), "推进标准化建设") and tasks[0].joined == []


def test_preview_help_button_shows_the_importer_rules(qtbot):
    from core.plan import import_rules
    from core.plan.model import ParsedPlan, ParsedTask

    dialog = import_dialog.PlanPreviewDialog(ParsedPlan(title="方案", year=2024, tasks=[ParsedTask("1", ["甲"], "乙", "丙")]))
    qtbot.addWidget(dialog)
    dialog.rules_button.click()
    shown = dialog.rules_dialog.findChild(import_dialog.QPlainTextEdit).toPlainText()
    assert shown == import_rules() and "扫描件" in shown and "摘自工作要求" in shown and "分页" in shown
