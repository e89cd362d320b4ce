"""Cleaning text already stored (migration m020_clean_stored_text, and restore)."""

import json
import sqlite3

from core.storage.stored_text import clean_database, clean_value
from db.connection import open_db


def test_clean_value_plain_and_json():
    assert clean_value("甲\x0b乙\x07 ") == "甲\n乙 "
    assert clean_value("正常文字") == "正常文字"
    assert clean_value(5) == 5 and clean_value(None) is None
    assert json.loads(clean_value(json.dumps(["一级\x0b任务", "二级"], ensure_ascii=False))) == ["一级\n任务", "二级"]
    assert json.loads(clean_value(json.dumps({"name": "城东\x01街道"}, ensure_ascii=False))) == {"name": "城东街道"}
    assert clean_value('["\\u0041"]') == '["\\u0041"]'  # nothing bad: left exactly as stored


def test_migration_cleans_every_text_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = open_db(path)
    db.conn.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO plans(id, year, title, updated_at) VALUES ('p', 2024, ?, 'x')", ["要点\x0b2024"])
        conn.execute("INSERT INTO tasks(id, plan_id, position, seq, category, requirement, units, deadline, updated_at) "
                     "VALUES ('t', 'p', 0, '1', ?, ?, '', '', 'x')", [json.dumps(["解读\x0b"], ensure_ascii=False), "要求\x1f\r\n二"])
        conn.execute("INSERT INTO entries(id, task_id, unit, year, role, note, updated_at) VALUES ('e', 't', '城东街道', 2024, '落实', ?, 'x')",
                     ["备注\x00\ufffe"])
        conn.execute("INSERT INTO settings(key, value) VALUES ('profile', ?)", [json.dumps({"name": "城东\x0b街道"}, ensure_ascii=False)])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm020_clean_stored_text'")
    conn.close()
    from core.storage import startup

    startup._PREPARED.discard(str(path.resolve()))
    startup.prepare(path)  # the data repairs (core.storage.heals) run at start-up
    db = open_db(path)
    try:
        assert db["plans"].get("p")["title"] == "要点\n2024"
        task = db["tasks"].get("t")
        assert json.loads(task["category"]) == ["解读\n"] and task["requirement"] == "要求\n二"
        assert db["entries"].get("e")["note"] == "备注" and db["entries"].get("e")["rev"] == 1
        assert json.loads(db["settings"].get("profile")["value"]) == {"name": "城东\n街道"}
        assert clean_database(db.conn) == 0  # a second pass finds nothing
    finally:
        db.conn.close()


def test_records_normalise_every_text_they_store(town_db):
    from core import records

    row = records.insert(town_db, "plans", {"year": 2024, "title": " 要点\x0b二\x07 ", "doc_no": ["甲\r\n", 1]})
    stored = town_db["plans"].get(row["id"])
    assert stored["title"] == "要点\n二"
    changed = records.update(town_db, "plans", row["id"], {"title": "要点\r二\x1b"})
    assert changed == {} and town_db["plans"].get(row["id"])["rev"] == 1  # the same text once normalised
