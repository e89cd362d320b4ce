"""core.ledger.duties: yearly targets and counted progress."""

import pytest

from core import ledger
from core.ledger import duties
from core.errors import UserError
from tests.ledger_fixtures import make_ledger


def test_defaults_then_edit(town_db):
    assert {t["name"]: t["target"] for t in duties.targets(town_db, 2024)}["政策评价"] == 2
    duties.set_target(town_db, 2024, "政策评价", "4")
    duties.set_target(town_db, 2024, "新闻发布会", 2)
    targets = {t["name"]: t["target"] for t in duties.targets(town_db, 2024)}
    assert targets["政策评价"] == 4 and targets["新闻发布会"] == 2 and targets["公众代表列席会议"] == 5
    assert {t["name"]: t["target"] for t in duties.targets(town_db, 2025)}["政策评价"] == 2
    duties.remove_target(town_db, 2024, "新闻发布会")
    assert "新闻发布会" not in duties.names(town_db, 2024)


@pytest.mark.parametrize("value", ["两次", "-1", "1000", ""])
def test_bad_targets_change_nothing(town_db, value):
    with pytest.raises(UserError):
        duties.set_target(town_db, 2024, "政策评价", value)
    assert town_db.execute("SELECT count(*) FROM duty_targets").fetchone()[0] == 0


def test_progress_counts_tagged_lines(town_db):
    ids = make_ledger(town_db)
    ledger.add_progress(town_db, ids["2"], "2024-05-01", "第一次政策评价", duty="政策评价")
    ledger.add_progress(town_db, ids["2"], "2024-09-01", "第二次政策评价", duty="政策评价")
    ledger.add_progress(town_db, ids["1"], "2024-05-01", "图解", duty="政策解读形式")
    ledger.add_progress(town_db, ids["1"], "2024-06-01", "图解", duty="政策解读形式")
    ledger.add_progress(town_db, ids["1"], "2024-06-02", "视频", duty="政策解读形式")
    ledger.add_progress(town_db, ids["5"], "2024-06-02", "无关进展")
    got = {d["name"]: d for d in duties.progress(town_db, 2024)}
    assert got["政策评价"]["done"] == 2 and got["政策评价"]["met"]
    assert got["政策解读形式"]["done"] == 2 and not got["政策解读形式"]["met"]  # distinct forms
    assert got["政务公开培训"]["done"] == 0
    assert all(d["done"] == 0 for d in duties.progress(town_db, 2025))
