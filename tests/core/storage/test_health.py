"""core.storage.health and the storage guards of db.connection: damage, full/read-only disks, clock, leftovers."""

import os
import sqlite3
from datetime import datetime, timezone

import pytest

from core import records, settings
from core.storage import backup
from core.storage import snapshots
from core.storage import health as integrity
from core.errors import DamagedDatabase
from core.errors import DiskFull
from core.errors import ReadOnlyStorage
from core.errors import StorageFailure
from core.errors import storage_error
from core.storage import housekeeping
from core.storage import startup
from core.errors import UserError
from db import connection
from db.connection import open_db


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    db.conn.close()
    return path


def damage(path):
    """Overwrite the middle pages of a database file with garbage (header intact)."""
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 20)):
        data[i] = 0x5A
    path.write_bytes(bytes(data))


def reopen(path):
    """Open the ledger as a new process would: start-up work first (core.storage.startup.prepare)."""
    startup._PREPARED.discard(str(path.resolve()))
    startup.prepare(path)
    return open_db(path)


def test_quick_check_of_healthy_empty_and_foreign_files(ledger, tmp_path):
    assert integrity.quick_check(ledger) == []
    (tmp_path / "empty").write_bytes(b"")
    assert integrity.quick_check(tmp_path / "empty") == []
    (tmp_path / "text").write_text("你好", encoding="gbk")
    assert integrity.quick_check(tmp_path / "text") == ["文件不是有效的数据库"]


def test_quick_check_finds_damaged_pages(ledger):
    damage(ledger)
    assert integrity.quick_check(ledger)


def test_quick_check_reports_broken_foreign_keys(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("INSERT INTO tasks(id, plan_id, updated_at) VALUES ('t1', 'no-such-plan', 'x')")
    conn.commit()
    conn.close()
    assert integrity.quick_check(ledger) == []  # not damage: the ledger is not set aside for it
    assert "外键不一致" in integrity.foreign_key_problems(ledger)[0]


def test_start_check_sets_damaged_file_aside_and_names_the_backup(ledger):
    good = snapshots.backup_before(ledger, "import")
    damage(ledger)
    with pytest.raises(DamagedDatabase) as caught:
        startup.start_check(ledger)
    exc = caught.value
    assert not ledger.exists()
    assert exc.damaged_copy.name.startswith("ledger.sqlite3.damaged-")
    assert exc.backup["path"] == str(good)
    assert f'python main.py restore "{good}" --db "{ledger}"' in str(exc)
    # a missing ledger beside a damaged copy is not silently replaced by an empty one
    with pytest.raises(DamagedDatabase, match="此前已损坏"):
        startup.start_check(ledger)


def test_start_check_without_backup_says_so_and_allows_a_new_ledger(ledger):
    damage(ledger)
    with pytest.raises(DamagedDatabase, match="没有找到可用的备份") as caught:
        startup.start_check(ledger)
    assert caught.value.backup is None
    startup.start_check(ledger)  # nothing to offer: a new ledger may be created


def test_opening_at_start_reports_damage_in_chinese(ledger):
    snapshots.backup_before(ledger, "import")
    damage(ledger)
    with pytest.raises(UserError, match="已损坏.*restore"):
        reopen(ledger)


def test_the_command_the_message_names_really_restores(ledger):
    snapshots.backup_before(ledger, "import")
    damage(ledger)
    with pytest.raises(DamagedDatabase) as caught:
        startup.start_check(ledger)
    backup.restore(ledger, caught.value.backup["path"])
    db = reopen(ledger)
    assert settings.profile(db)["name"] == "城东街道"
    db.conn.close()


def test_set_aside_moves_wal_and_shm_too(ledger):
    db = open_db(ledger)  # keeps -wal/-shm while open
    db.conn.execute("CREATE TABLE keep_wal(a)")
    aside = integrity.set_aside(ledger)
    db.conn.close()
    assert aside.exists() and not ledger.exists()
    assert not os.path.exists(str(ledger) + "-wal")


def test_storage_errors_are_translated():
    assert isinstance(storage_error(sqlite3.OperationalError("database or disk is full")), DiskFull)
    assert isinstance(storage_error(sqlite3.OperationalError("attempt to write a readonly database")), ReadOnlyStorage)
    assert isinstance(storage_error(sqlite3.OperationalError("disk I/O error")), StorageFailure)
    assert isinstance(storage_error(OSError(28, "No space left on device")), DiskFull)
    assert storage_error(sqlite3.OperationalError("no such table: x")) is None


def test_full_disk_rolls_back_and_says_so(ledger):
    db = open_db(ledger)
    before = db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(DiskFull, match="磁盘空间已满"):
        with db.atomic():
            for i in range(200):
                records.insert(db, "plans", {"title": "很长的标题" * 200, "year": 2024})
    assert db.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == before
    db.conn.close()
    assert integrity.quick_check(ledger) == []


def test_read_only_ledger_reads_but_refuses_writes(ledger):
    connection.mark_read_only(ledger)
    try:
        db = open_db(ledger)
        assert settings.profile(db)["name"] == "城东街道"
        with pytest.raises(ReadOnlyStorage, match="只读"):
            settings.set_profile(db, "西城街道", "街道", "填报单位")
        db.conn.close()
    finally:
        connection._READ_ONLY.clear()
    db = open_db(ledger)
    assert settings.profile(db)["name"] == "城东街道"
    db.conn.close()


def test_read_only_folder_is_simulated_by_a_read_only_connection(ledger, monkeypatch):
    """Root ignores chmod, so the OS refusal is simulated: every connection is opened mode=ro."""
    real = sqlite3.connect

    def ro_connect(target, *a, **k):
        if not k.get("uri"):
            target, k = f"file:{target}?mode=ro", {**k, "uri": True}
        return real(target, *a, **k)

    monkeypatch.setattr(connection.sqlite3, "connect", ro_connect)
    db = open_db(ledger)
    with pytest.raises(UserError, match="只读"):
        records.insert(db, "plans", {"title": "x"})
    db.conn.close()
    monkeypatch.undo()
    assert integrity.quick_check(ledger) == []


def test_read_only_refuses_a_missing_file(tmp_path):
    connection.mark_read_only(tmp_path / "none.sqlite3")
    try:
        with pytest.raises(UserError, match="找不到"):
            open_db(tmp_path / "none.sqlite3")
    finally:
        connection._READ_ONLY.clear()


def test_clock_set_back_still_bumps_rev_and_warns(ledger):
    db = open_db(ledger)
    future = "2999-01-01T00:00:00.000000+00:00"
    with db.atomic():
        db["plans"].insert({"id": "p1", "title": "旧", "rev": 3, "updated_at": future})
    assert "电脑时钟" in housekeeping.clock_warning(db)
    with db.atomic():
        records.update(db, "plans", "p1", {"title": "新"})
    row = db["plans"].get("p1")
    assert (row["title"], row["rev"]) == ("新", 4)
    assert housekeeping.clock_warning(db, now=datetime(3000, 1, 1, tzinfo=timezone.utc)) is None
    db.conn.close()


def test_missing_attachment_folder_is_told(ledger):
    db = open_db(ledger)
    assert housekeeping.attachments_warning(db, ledger) is None
    with db.atomic():
        db["attachments"].insert({"id": "a1", "kind": "file", "stored_name": "a.pdf", "updated_at": "x"})
    assert "附件文件夹不存在" in housekeeping.attachments_warning(db, ledger)
    folder = snapshots.attachments_dir(ledger)
    folder.mkdir()
    assert "缺少 1 个文件" in housekeeping.attachments_warning(db, ledger)
    (folder / "a.pdf").write_bytes(b"x")
    assert housekeeping.attachments_warning(db, ledger) is None
    db.conn.close()


def test_cleanup_removes_only_leftover_temp_dot_files(ledger, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    (tmp_path / ".台账.x1y2.part").write_bytes(b"half")
    (tmp_path / ".restore-abc").mkdir()
    (tmp_path / ".restore-abc" / "ledger.sqlite3").write_bytes(b"x")
    (out / ".表.zz.part").write_bytes(b"half")
    (tmp_path / "keep.part").write_bytes(b"user file")
    (out / "台账.xlsx").write_bytes(b"done")
    housekeeping.remember_output_dir(ledger, out)
    removed = housekeeping.cleanup_temp_files(ledger)
    assert {p.name for p in removed} == {".台账.x1y2.part", ".restore-abc", ".表.zz.part"}
    assert (tmp_path / "keep.part").exists() and (out / "台账.xlsx").exists()


def test_cleanup_spares_fresh_files_when_asked(ledger, tmp_path):
    part = tmp_path / ".x.abc.part"
    part.write_bytes(b"being written")
    assert housekeeping.cleanup_temp_files(ledger, min_age=60) == []
    old = part.stat().st_mtime - 120  # two minutes older than it is
    os.utime(part, (old, old))
    assert housekeeping.cleanup_temp_files(ledger, min_age=60) == [part]


def test_a_foreign_file_given_as_the_database_is_refused_untouched(tmp_path):
    import shutil

    from core.errors import UserError
    from tests.conftest import SAMPLES

    plan = tmp_path / "方案.docx"
    if (SAMPLES / "boshan-2024-plan.docx").exists():
        shutil.copy(SAMPLES / "boshan-2024-plan.docx", plan)
    else:
        plan.write_bytes(b"PK\x03\x04 not a database")
    before = plan.read_bytes()
    with pytest.raises(UserError, match="不是台账数据库文件"):
        startup.prepare(plan)
    assert plan.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["方案.docx"]
