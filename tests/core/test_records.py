from core import records


def make_plan(db, **extra):
    return records.insert(db, "plans", {"year": 2024, "title": "方案", **extra})


def test_insert_sets_sync_columns(town_db):
    row = make_plan(town_db)
    stored = town_db["plans"].get(row["id"])
    assert stored["rev"] == 1
    assert stored["deleted"] == 0
    assert stored["updated_by"] == "城东街道"
    assert len(stored["device"]) == 12
    assert stored["updated_at"].endswith("+00:00")


def test_update_bumps_rev_and_logs_each_changed_field(town_db):
    row = make_plan(town_db)
    changed = records.update(town_db, "plans", row["id"], {"title": "新方案", "year": 2024})
    assert changed == {"title": ("方案", "新方案")}
    stored = town_db["plans"].get(row["id"])
    assert stored["rev"] == 2 and stored["title"] == "新方案"
    history = list(town_db.query("SELECT field, old, new, by FROM history WHERE record_id = ?", [row["id"]]))
    assert history == [{"field": "title", "old": "方案", "new": "新方案", "by": "城东街道"}]


def test_update_without_change_keeps_rev(town_db):
    row = make_plan(town_db)
    assert records.update(town_db, "plans", row["id"], {"title": "方案"}) == {}
    assert town_db["plans"].get(row["id"])["rev"] == 1


def test_delete_leaves_a_tombstone(town_db):
    row = make_plan(town_db)
    records.delete(town_db, "plans", row["id"])
    stored = town_db["plans"].get(row["id"])
    assert stored["deleted"] == 1 and stored["rev"] == 2
