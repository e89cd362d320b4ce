"""gui.ledger_model: rows fetched in windows; a refresh re-reads only the rows it is given."""

from datetime import date

from core import ledger, settings
from gui.ledger_model import COLUMNS, LedgerModel
from tests.ledger_fixtures import make_ledger

JULY = date(2024, 7, 10)
LEADER = [c[0] for c in COLUMNS].index("leader")


def test_refresh_entries_updates_only_the_given_row(qtbot, db):
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    ids = make_ledger(db)
    model = LedgerModel(db, today=JULY)
    model.set_filters({})
    assert model.rowCount() == 5
    before = [model.data(model.index(r, LEADER)) for r in range(5)]  # all rows fetched and cached
    painted, resets = [], []
    model.dataChanged.connect(lambda top, bottom, _roles=(): painted.append((top.row(), bottom.row(), bottom.column())))
    model.modelReset.connect(lambda: resets.append(1))
    ledger.update_entry(db, ids["2"], {"leader": "李四"}, today=JULY)
    ledger.update_entry(db, ids["3"], {"leader": "王五"}, today=JULY)  # changed too, but not named

    assert model.refresh_entries({ids["2"]}) == [model.row_of(ids["2"])]
    row2, row3 = model.row_of(ids["2"]), model.row_of(ids["3"])
    assert painted == [(row2, row2, len(COLUMNS) - 1)] and resets == []
    assert model.data(model.index(row2, LEADER)) == "李四"
    assert model.data(model.index(row3, LEADER)) == before[row3]  # still the cached row: not re-read

    painted.clear()
    model.refresh_entries({ids["3"], ids["1"], "not-shown"})
    assert sorted(p[0] for p in painted) == sorted([row3, model.row_of(ids["1"])]) and resets == []
    assert model.data(model.index(row3, LEADER)) == "王五"
