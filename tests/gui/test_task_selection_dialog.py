from PySide6.QtCore import Qt

from core import records, settings
from core.ledger.assignment import assign_entries
from gui.session import Session
from gui.task_selection_dialog import TaskSelectionDialog


def make_session(tmp_path):
    session = Session(tmp_path / "ledger.sqlite3")
    db = session.db
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作方案"})
    for i, units in enumerate(("各镇（街道）", "区财政局", "重大政策起草单位")):
        records.insert(db, "tasks", {"plan_id": plan["id"], "position": i, "seq": str(i + 1), "units": units,
                                     "requirement": f"任务{i + 1}", "category": '["推进决策公开"]'})
    assign_entries(db, plan["id"])
    return session


def ledger_seqs(db):
    return sorted(r[0] for r in db.execute(
        "SELECT t.seq FROM entries e JOIN tasks t ON t.id = e.task_id WHERE e.deleted = 0 AND e.selection != 'dropped'"))


def test_ticking_adds_and_unticking_drops_at_once(qtbot, tmp_path):
    session = make_session(tmp_path)
    changes = []
    session.changed.connect(changes.append)
    dialog = TaskSelectionDialog(session)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 3
    assert [model.data(model.index(r, 0), Qt.CheckStateRole) for r in range(3)] == [Qt.Checked, Qt.Unchecked, Qt.Unchecked]
    assert model.data(model.index(2, 5)) == "可能涉及"

    assert model.setData(model.index(2, 0), Qt.Checked.value, Qt.CheckStateRole)
    assert model.setData(model.index(0, 0), Qt.Unchecked.value, Qt.CheckStateRole)
    assert ledger_seqs(session.db) == ["3"]
    dialog.accept()
    assert [c.kinds for c in changes] == [{"entries"}]  # one notice, when the dialog closes
    session.close()


def test_the_maybe_filter_shows_only_uncertain_tasks(qtbot, tmp_path):
    session = make_session(tmp_path)
    dialog = TaskSelectionDialog(session, show_maybe=True)
    qtbot.addWidget(dialog)
    assert dialog.proxy.rowCount() == 1
    assert dialog.proxy.data(dialog.proxy.index(0, 1)) == "3"
    dialog.filter.setCurrentIndex(0)
    assert dialog.proxy.rowCount() == 3
    session.close()
