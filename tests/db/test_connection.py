import sqlite3

import pytest

from core.errors import UserError
from db import schema
from db.connection import open_db


def test_new_file_gets_current_schema_and_pragmas(tmp_path):
    db = open_db(tmp_path / "new" / "ledger.sqlite3")
    tables = set(db.table_names())
    assert set(schema.SYNCED_TABLES) <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in schema.SYNCED_TABLES:
        columns = set(db[table].columns_dict)
        assert {"id", "rev", "updated_at", "updated_by", "device", "deleted"} <= columns, table


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    open_db(path).conn.close()
    db = open_db(path)
    names = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names)) == len(schema.migrations._migrations)


def test_start_up_snapshots_the_file_before_a_pending_migration(tmp_path, monkeypatch):
    from core.storage.startup import prepare

    path = tmp_path / "ledger.sqlite3"
    db = open_db(path)
    db["settings"].insert({"key": "marker", "value": '"x"'})
    db.conn.commit()
    db.conn.close()

    @schema.migrations(name="m999_test_only")
    def add_column(db):
        db["settings"].add_column("extra", str)

    try:
        prepare(path)
    finally:
        schema.migrations._migrations = [m for m in schema.migrations._migrations if m.name != "m999_test_only"]
    from core.storage.snapshots import list_backups

    copies = [b for b in list_backups(path) if b["reason"] == "migration"]
    assert len(copies) == 1
    copy = sqlite3.connect(copies[0]["path"])
    assert copy.execute("SELECT value FROM settings WHERE key='marker'").fetchone() == ('"x"',)
    assert "extra" not in [r[1] for r in copy.execute("PRAGMA table_info(settings)")]


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(UserError, match="不是有效的数据库"):
        open_db(path)


def test_a_transaction_that_reads_then_writes_is_not_broken_by_another_writer(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    first, second = open_db(path), open_db(path)
    second.conn.execute("PRAGMA busy_timeout=0")
    with first.atomic():
        first.execute("SELECT count(*) FROM settings").fetchone()
        # The other connection (a background worker) cannot slip a write in between …
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            second.execute("INSERT INTO settings(key, value) VALUES ('worker', '1')")
        # … so this transaction's own write goes through.
        first.execute("INSERT INTO settings(key, value) VALUES ('window', '1')")
    assert first.execute("SELECT key FROM settings ORDER BY key").fetchall() == [("window",)]
