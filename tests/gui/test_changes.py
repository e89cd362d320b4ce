"""Typed change notices (gui.changes) and how pages take them: only the kinds they show, not their
own, and — while hidden — once, when shown again."""

from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from core import ledger, settings
from db.schema import SYNCED_TABLES
from gui.changes import ALL, KINDS, TABLE_KINDS, ChangeWatch, Changes
from tests.ledger_fixtures import make_ledger

JULY = date(2024, 7, 10)


@pytest.fixture
def session(tmp_path):
    from db.connection import open_db
    from gui.session import Session

    QSettings().remove("ledger")
    db = open_db(tmp_path / "ledger.sqlite3")
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    ids = make_ledger(db)
    db.conn.close()
    s = Session(tmp_path / "ledger.sqlite3")
    s.ids = ids
    yield s
    s.close()
    QSettings().remove("ledger")


@pytest.fixture
def notices(session):
    seen = []
    session.changed.connect(seen.append)
    return seen


def ledger_page(qtbot, session, shown=True):
    from gui.pages.ledger import LedgerPage

    page = LedgerPage(session, today=JULY)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    if shown:
        page.show()
    return page


def test_a_notice_names_kinds_from_the_one_list():
    with pytest.raises(ValueError):
        Changes(frozenset({"ledger"}))  # the old free-form strings are refused
    with pytest.raises(TypeError):
        Changes("plan")
    with pytest.raises(ValueError):
        Changes(frozenset())
    edit = Changes(frozenset({"entries"}), frozenset({"a"}))
    assert edit.touches({"entries", "plan"}) and not edit.touches({"requests"})
    assert edit.only({"entries", "progress"})
    restore = Changes(frozenset({ALL}))
    assert restore.touches({"requests"}) and not restore.only(KINDS)
    both = edit | Changes(frozenset({"progress"}), frozenset({"b"}))
    assert both.kinds == {"entries", "progress"} and both.ids == {"a", "b"}
    assert (edit | Changes(frozenset({"calendar"}))).ids == frozenset()  # one notice knew no ids: all may have changed


def test_every_synced_table_has_a_kind():
    assert set(TABLE_KINDS) == set(SYNCED_TABLES)
    assert set(TABLE_KINDS.values()) <= KINDS


def test_a_page_watches_known_kinds_only(qtbot, session):
    widget = QWidget()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError):
        ChangeWatch(widget, session, {"ledger"}, lambda changes: None)


def test_a_hidden_page_does_not_refresh_and_does_once_shown(qtbot, session):
    from gui.pages.activities import ActivitiesPage
    from tests.core.export.sample_data import add_activities

    page = ActivitiesPage(session)
    qtbot.addWidget(page)
    refreshed = []
    real_refresh = page.refresh
    page.refresh = lambda: (refreshed.append(1), real_refresh())
    assert page.view.model().rowCount() == 0
    add_activities(session.db)
    session.publish({"activities"})
    session.publish({"calendar"})
    session.publish({"requests"})  # not shown on this page
    assert refreshed == [] and page.watch.stale
    assert page.watch.pending.kinds == {"activities", "calendar"}
    assert page.view.model().rowCount() == 0
    page.show()
    assert refreshed == [1] and not page.watch.stale  # once, for both notices
    assert page.view.model().rowCount() == 2
    session.publish({"activities"})  # shown: at once
    assert refreshed == [1, 1]
    session.publish({"requests"})
    assert refreshed == [1, 1]


def test_a_hidden_ledger_reloads_once_when_shown(qtbot, session):
    page = ledger_page(qtbot, session, shown=False)
    reloads = []
    page.reload = lambda profile=False: reloads.append(profile)
    session.publish({"plan", "entries"})
    session.publish({"profile"})
    assert reloads == []
    page.show()
    assert reloads == [True]


def test_the_page_that_made_a_change_does_not_reload(qtbot, session, notices):
    page = ledger_page(qtbot, session)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    told = []
    ChangeWatch(other, session, {"entries"}, told.append)
    reloads, resets = [], []
    page.reload = lambda profile=False: reloads.append(profile)
    page.model.modelReset.connect(lambda: resets.append(1))
    entry = session.ids["4"]
    page.change_fields(entry, {"office": "综合办"})
    assert [(c.kinds, c.ids, c.initiator) for c in notices] == [({"entries"}, {entry}, page)]
    assert reloads == [] and resets == []  # the ledger repainted its row itself
    assert told == notices  # the other pages were told
    assert page.model.data(page.model.index(page.model.row_of(entry), _column("office"))) == "综合办"
    page.add_progress(entry, "2024-07-01", "已完成培训")
    assert notices[-1].kinds == {"progress"} and notices[-1].ids == {entry}
    assert reloads == [] and resets == []


def test_a_notice_naming_entries_repaints_only_their_rows(qtbot, session):
    page = ledger_page(qtbot, session)
    model = page.model
    for r in range(model.rowCount()):
        model.data(model.index(r, 0))
    painted, resets = [], []
    model.dataChanged.connect(lambda top, bottom, _roles=(): painted.append((top.row(), bottom.row())))
    model.modelReset.connect(lambda: resets.append(1))
    entry = session.ids["2"]
    ledger.update_entry(session.db, entry, {"leader": "李四"}, today=JULY)
    session.publish({"entries"}, ids={entry})  # e.g. another window's page
    row = model.row_of(entry)
    assert painted == [(row, row)] and resets == []
    assert model.data(model.index(row, _column("leader"))) == "李四"
    session.publish({"entries"})  # no ids: the whole table
    assert resets == [1]


def _column(key):
    from gui.ledger_model import COLUMNS

    return [c[0] for c in COLUMNS].index(key)
