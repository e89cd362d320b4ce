"""core.storage.backup: automatic copies, pruning, archives with attachments, validated restore."""

import hashlib
import json
import sqlite3
import zipfile
from datetime import datetime, timedelta

import pytest

from core import settings
from core.storage import backup
from core.storage import snapshots
from core.errors import UserError
from db.connection import open_db


def content_hash(db_path) -> str:
    """A hash of every row of every table (what a restore must not touch when it refuses)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    digest = hashlib.sha256()
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


@pytest.fixture
def ledger(tmp_path):
    """A ledger file with a profile and one plan, closed."""
    path = tmp_path / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    with db.atomic():
        db["plans"].insert({"id": "p1", "title": "2024年政务公开工作要点", "year": 2024, "updated_at": "2024-06-24T00:00:00+00:00"})
    db.conn.close()
    return path


def profile_name(path) -> str:
    db = open_db(path)
    try:
        return settings.profile(db)["name"]
    finally:
        db.conn.close()


def rename_unit(path, name):
    db = open_db(path)
    settings.set_profile(db, name, "街道", "填报单位")
    db.conn.close()


class Clock:
    """A settable snapshots.now for copies made on different days."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


def test_backup_before_accepts_a_path_or_an_open_database(ledger):
    db = open_db(ledger)
    a = snapshots.backup_before(db, "import")
    b = snapshots.backup_before(ledger, "merge")
    db.conn.close()
    assert a.parent == ledger.parent / "ledger-backups"
    assert [x["reason"] for x in snapshots.list_backups(ledger)] == ["merge", "import"]
    assert snapshots.list_backups(ledger)[1]["label"] == "导入方案前"
    assert b.name.endswith("-merge.sqlite3")


def test_in_memory_database_has_nothing_to_back_up():
    from db.connection import open_memory_db

    assert snapshots.backup_before(open_memory_db(), "import") is None


def test_copy_is_a_single_checked_file_with_committed_data_only(ledger):
    db = open_db(ledger)
    db.conn.execute("BEGIN")
    db.conn.execute("UPDATE plans SET title = '未提交' WHERE id = 'p1'")
    copy = snapshots.backup_before(db, "import")  # called inside an open transaction
    db.conn.execute("ROLLBACK")
    db.conn.close()
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT title FROM plans").fetchone()[0] == "2024年政务公开工作要点"
    conn.close()
    assert not list(copy.parent.glob(".*"))  # no temp file left


def test_reason_is_made_safe_for_a_file_name(ledger):
    path = snapshots.backup_before(ledger, "../../导入 x")
    assert path.parent == snapshots.backup_dir(ledger)
    assert path.name.endswith("-x.sqlite3")


def test_daily_backup_once_a_day_and_keeps_fourteen(ledger, monkeypatch):
    clock = Clock(datetime(2024, 1, 1, 9, 0, 0))
    monkeypatch.setattr(snapshots, "now", clock)
    assert snapshots.daily_backup(ledger) is not None
    assert snapshots.daily_backup(ledger) is None  # same day
    for day in range(1, 20):
        clock.now = datetime(2024, 1, 1, 9, 0, 0) + timedelta(days=day)
        assert snapshots.daily_backup(ledger) is not None
    dailies = [b for b in snapshots.list_backups(ledger) if b["kind"] == "daily"]
    assert len(dailies) == snapshots.KEEP_DAILY
    assert dailies[0]["created"] == "2024-01-20 09:00:00"
    assert dailies[-1]["created"] == "2024-01-07 09:00:00"


def test_event_copies_keep_the_last_ten(ledger, monkeypatch):
    clock = Clock(datetime(2024, 1, 1, 9, 0, 0))
    monkeypatch.setattr(snapshots, "now", clock)
    for i in range(13):
        clock.now = datetime(2024, 1, 1, 9, 0, 0) + timedelta(minutes=i)
        snapshots.backup_before(ledger, "import")
    events = snapshots.list_backups(ledger)
    assert len(events) == snapshots.KEEP_EVENT
    assert events[-1]["created"] == "2024-01-01 09:03:00"


def test_no_daily_backup_of_a_missing_or_empty_file(tmp_path):
    assert snapshots.daily_backup(tmp_path / "none.sqlite3") is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert snapshots.daily_backup(tmp_path / "empty.sqlite3") is None


def test_opening_an_existing_ledger_makes_the_daily_copy(ledger):
    from core.storage import startup

    startup._PREPARED.discard(str(ledger.resolve()))
    startup.prepare(ledger)
    assert [b["kind"] for b in snapshots.list_backups(ledger)] == ["daily"]


def test_migration_is_preceded_by_an_event_copy(tmp_path):
    import sqlite_utils

    from core.storage.startup import prepare
    from db.schema import migration_names, migrations

    path = tmp_path / "old.sqlite3"
    names = migration_names()
    if len(names) < 2:
        pytest.skip("only one migration exists")
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=names[1:])
    db.conn.close()
    prepare(path)
    assert any(b["reason"] == "migration" for b in snapshots.list_backups(path))


def test_restore_copy_brings_back_old_state_and_keeps_current(ledger):
    old = snapshots.backup_before(ledger, "import")
    rename_unit(ledger, "西城街道")
    live = open_db(ledger)  # a window's connection stays valid across the restore
    result = backup.restore(ledger, old)
    assert settings.profile(live)["name"] == "城东街道"
    live.conn.close()
    assert profile_name(result["replaced"]) == "西城街道"
    assert snapshots.list_backups(ledger)[0]["kind"] == "replaced"


def test_restore_over_a_damaged_file_sets_it_aside(ledger):
    old = snapshots.backup_before(ledger, "import")
    ledger.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    result = backup.restore(ledger, old)
    assert ".damaged-" in result["replaced"]
    assert profile_name(ledger) == "城东街道"


def test_restore_into_a_missing_ledger(ledger, tmp_path):
    old = snapshots.backup_before(ledger, "import")
    target = tmp_path / "new" / "ledger.sqlite3"
    backup.restore(target, old)
    assert profile_name(target) == "城东街道"


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_bytes(b""), "不是台账备份"),
        (lambda p: p.write_bytes("这是GBK文本".encode("gbk")), "不是台账备份"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100), "不能使用|已损坏"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE x(a)").connection.commit(), "缺少台账数据表"),
    ],
)
def test_restore_refuses_bad_files_and_changes_nothing(ledger, tmp_path, make, words):
    bad = tmp_path / "bad.bin"
    make(bad)
    before = content_hash(ledger)
    with pytest.raises(UserError, match=words):
        backup.restore(ledger, bad)
    assert content_hash(ledger) == before
    assert not list(tmp_path.glob(".restore-*"))


def test_restore_refuses_a_backup_from_a_newer_program(ledger, tmp_path):
    newer = snapshots.backup_before(ledger, "import")
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('zwgk', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="更新版本"):
        backup.restore(ledger, newer)


def test_restore_refuses_the_ledger_itself(ledger):
    with pytest.raises(UserError, match="本身"):
        backup.restore(ledger, ledger)


def test_newest_good_backup_skips_broken_copies(ledger, monkeypatch):
    clock = Clock(datetime(2024, 1, 1, 9, 0, 0))
    monkeypatch.setattr(snapshots, "now", clock)
    good = snapshots.backup_before(ledger, "import")
    clock.now += timedelta(hours=1)
    broken = snapshots.backup_before(ledger, "merge")
    broken.write_bytes(broken.read_bytes()[:5000])
    assert backup.newest_good_backup(ledger)["path"] == str(good)


# ------------------------------------------------------------------ archives


@pytest.fixture
def with_attachments(ledger):
    folder = snapshots.attachments_dir(ledger)
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "通知.pdf").write_bytes(b"%PDF-1.4 evidence")
    (folder / "照片.jpg").write_bytes(bytes(range(256)) * 40)
    return ledger


def test_archive_holds_db_attachments_and_manifest(with_attachments, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    result = backup.export_archive(with_attachments, stick)
    assert result["path"].startswith(str(stick))
    with zipfile.ZipFile(result["path"]) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        assert names == {"manifest.json", "ledger.sqlite3", "office.key", "attachments/2024/通知.pdf", "attachments/照片.jpg"}
        assert zf.read("office.key") == (with_attachments.parent / "ledger-office.key").read_bytes()
        for f in manifest["files"]:
            assert hashlib.sha256(zf.read(f["name"])).hexdigest() == f["sha256"]
    assert manifest["format"] == "zwgk-backup" and manifest["unit"] == "城东街道"


def test_archive_round_trip_replaces_db_and_attachments_keeping_old_aside(with_attachments, tmp_path):
    archive = backup.export_archive(with_attachments, tmp_path / "b.zip")["path"]
    rename_unit(with_attachments, "西城街道")
    folder = snapshots.attachments_dir(with_attachments)
    (folder / "照片.jpg").unlink()
    (folder / "新文件.txt").write_text("新")
    result = backup.restore(with_attachments, archive)
    assert profile_name(with_attachments) == "城东街道"
    assert (folder / "照片.jpg").read_bytes() == bytes(range(256)) * 40
    assert not (folder / "新文件.txt").exists()
    assert (tmp_path / result["attachments"].split("/")[-1] / "新文件.txt").exists()
    assert profile_name(result["replaced"]) == "西城街道"


def test_archive_notes_missing_attachment_files(ledger, tmp_path):
    db = open_db(ledger)
    with db.atomic():
        db["attachments"].insert({"id": "a1", "kind": "file", "stored_name": "gone.pdf", "updated_at": "2024-01-01"})
    db.conn.close()
    result = backup.export_archive(ledger, tmp_path / "b.zip")
    assert result["missing"] == ["gone.pdf"]


def rewrite_zip(src, dst, change):
    """Copy a zip, letting change(name, data) -> (name, data) | None alter or drop members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            out = change(info.filename, zin.read(info.filename))
            if out:
                zout.writestr(out[0], out[1])


def tamper_manifest(edit):
    def change(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            edit(m)
            return name, json.dumps(m)
        return name, data

    return change


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda n, d: (n, d + b"x") if n.endswith(".jpg") else (n, d), "大小与清单不符"),
        (lambda n, d: (n, d[::-1]) if n.endswith(".jpg") else (n, d), "校验值不符"),
        (lambda n, d: None if n == "manifest.json" else (n, d), "缺少清单"),
        (lambda n, d: (n, b"{not json") if n == "manifest.json" else (n, d), "清单无法读取"),
        (lambda n, d: (n, d) if n != "attachments/照片.jpg" else ("attachments/../../evil.jpg", d), "清单|不符"),
        (tamper_manifest(lambda m: m.update(format="other")), "清单格式不对"),
        (tamper_manifest(lambda m: m.update(version=99)), "更新版本"),
        (tamper_manifest(lambda m: m["files"][1].update(name="/etc/passwd")), "文件列表无效"),
        (tamper_manifest(lambda m: m["files"][1].update(name="attachments/../x")), "文件列表无效"),
        (tamper_manifest(lambda m: m["files"][1].update(name="attachments/C:x")), "文件列表无效"),
        (tamper_manifest(lambda m: m["files"].append(m["files"][1])), "重复"),
        (tamper_manifest(lambda m: m["files"].pop(0)), "缺少数据库|不符"),
    ],
)
def test_tampered_archives_are_refused_and_nothing_changes(with_attachments, tmp_path, change, words):
    archive = backup.export_archive(with_attachments, tmp_path / "good.zip")["path"]
    bad = tmp_path / "bad.zip"
    rewrite_zip(archive, bad, change)
    before = content_hash(with_attachments)
    folder = snapshots.attachments_dir(with_attachments)
    files_before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    with pytest.raises(UserError, match=words):
        backup.restore(with_attachments, bad)
    assert content_hash(with_attachments) == before
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == files_before
    assert not list(tmp_path.glob(".restore-*"))
    assert not (tmp_path.parent / "evil.jpg").exists()


def test_zip_bomb_is_refused_before_extracting(ledger, tmp_path):
    archive = backup.export_archive(ledger, tmp_path / "good.zip")["path"]
    bomb = b"\x00" * (50 << 20)
    digest = hashlib.sha256(bomb).hexdigest()

    def change(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            m["files"].append({"name": "attachments/bomb.bin", "size": len(bomb), "sha256": digest})
            return name, json.dumps(m)
        return name, data

    bad = tmp_path / "bomb.zip"
    rewrite_zip(archive, bad, change)
    with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("attachments/bomb.bin", bomb)
    with pytest.raises(UserError, match="压缩炸弹"):
        backup.restore(ledger, bad)
    assert not snapshots.attachments_dir(ledger).exists()


def test_encrypted_member_is_refused(ledger, tmp_path):
    archive = backup.export_archive(ledger, tmp_path / "good.zip")["path"]
    data = bytearray(open(archive, "rb").read())
    # set the "encrypted" flag bit in every central directory header
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    bad = tmp_path / "enc.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(UserError, match="加密|不是"):
        backup.restore(ledger, bad)


def test_full_disk_during_backup_leaves_nothing_behind(ledger, monkeypatch):
    real_connect = sqlite3.connect

    class FullConnection:
        def __init__(self, conn):
            self.conn = conn

        def backup(self, dest, **kw):
            raise sqlite3.OperationalError("database or disk is full")

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(backup.sqlite3, "connect", lambda *a, **k: FullConnection(real_connect(*a, **k)))
    with pytest.raises(UserError, match="磁盘空间已满"):
        snapshots.backup_before(ledger, "import")
    monkeypatch.undo()
    folder = snapshots.backup_dir(ledger)
    assert not folder.exists() or not list(folder.iterdir())


def test_archive_to_a_file_name_without_suffix_gets_zip(ledger, tmp_path):
    result = backup.export_archive(ledger, tmp_path / "我的备份")
    assert result["path"].endswith("我的备份.zip")


def test_archive_of_missing_ledger_is_refused(tmp_path):
    with pytest.raises(UserError, match="没有可备份"):
        backup.export_archive(tmp_path / "none.sqlite3", tmp_path)


# ---- another office's backup; the private key travels in a full backup -----------------------


def other_office(tmp_path, name="山头街道", role="填报单位"):
    path = tmp_path / "other" / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, name, "街道" if role == "填报单位" else "县政府办公室", role)
    db.conn.close()
    return path


def test_restoring_another_offices_backup_needs_force(ledger, tmp_path):
    archive = backup.export_archive(other_office(tmp_path), tmp_path / "theirs.zip")["path"]
    copy = snapshots.backup_before(other_office(tmp_path), "manual")
    key = ledger.parent / "ledger-office.key"
    from core.exchange import signing

    mine = signing.load_or_create(key) and key.read_bytes()
    for source in (archive, copy):
        with pytest.raises(backup.OtherOffice, match="这是“山头街道”（填报单位）的备份，本机是“城东街道”.*--force"):
            backup.restore(ledger, source)
        assert profile_name(ledger) == "城东街道" and key.read_bytes() == mine
    backup.restore(ledger, archive, force=True)
    assert profile_name(ledger) == "山头街道"
    assert key.read_bytes() == (tmp_path / "other" / "ledger-office.key").read_bytes() != mine
    assert list(ledger.parent.glob("ledger-office.key.replaced-*"))[0].read_bytes() == mine


def test_a_county_backup_into_a_unit_needs_force_even_with_the_same_name(ledger, tmp_path):
    county = other_office(tmp_path, "城东街道", "汇总单位")
    with pytest.raises(backup.OtherOffice, match="汇总单位"):
        backup.restore(ledger, backup.export_archive(county, tmp_path / "c.zip")["path"])
    assert settings.profile(open_db(ledger))["role"] == "填报单位"


def test_own_archive_restores_after_a_rename_and_brings_back_the_key(ledger, tmp_path):
    archive = backup.export_archive(ledger, tmp_path / "mine.zip")["path"]
    key = ledger.parent / "ledger-office.key"
    mine = key.read_bytes()
    rename_unit(ledger, "城东街道办事处")  # renamed since: its own key says whose backup it is
    backup.restore(ledger, archive)
    assert profile_name(ledger) == "城东街道" and key.read_bytes() == mine
    key.unlink()  # a new PC set up under the same name: the key is only in the backup
    backup.restore(ledger, archive)
    assert key.read_bytes() == mine
