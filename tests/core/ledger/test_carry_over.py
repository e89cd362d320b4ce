"""core.ledger.carry_over: 回头看 copies unfinished entries into the next year, once."""

from datetime import date

import pytest

from core import ledger
from core.ledger import carry_over
from core.errors import UserError
from tests.ledger_fixtures import make_ledger


def test_unfinished_entries_are_carried_once(town_db):
    ids = make_ledger(town_db)
    ledger.update_entry(town_db, ids["2"], {"status": "已完成"})
    ledger.update_entry(town_db, ids["3"], {"status": "长期坚持"})
    ledger.update_entry(town_db, ids["5"], {"status": "推进中", "leader": "张三"})
    ledger.set_measures(town_db, ids["5"], ["年内组织培训"])
    assert {c["seq"] for c in carry_over.candidates(town_db, 2024)} == {"1", "4", "5"}

    result = carry_over.carry_over(town_db, 2024, 2025)
    assert result["carried"] == 3
    new = {e["seq"]: e for e in ledger.list_entries(town_db, year=2025, today=date(2025, 2, 1))}
    assert set(new) == {"1", "4", "5"}
    assert new["5"]["carried_from"] == ids["5"] and new["5"]["status"] == "推进中"
    assert new["5"]["leader"] == "张三" and new["5"]["measures"] == ["年内组织培训"]
    assert "由2024年结转" in new["5"]["note"]
    assert new["5"]["due"] == "2024-06-30" and new["5"]["overdue"]  # last year's date stays
    assert town_db["tasks"].get(town_db["entries"].get(new["5"]["id"])["task_id"])["plan_id"] is None
    # the old entries are untouched
    assert {e["seq"] for e in ledger.list_entries(town_db, year=2024)} == set("12345")

    assert carry_over.carry_over(town_db, 2024, 2025)["carried"] == 0
    assert carry_over.candidates(town_db, 2024) == []


def test_backwards_is_refused(town_db):
    make_ledger(town_db)
    with pytest.raises(UserError):
        carry_over.carry_over(town_db, 2024, 2024)
    assert ledger.years(town_db) == [2024]
