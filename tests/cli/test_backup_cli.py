"""`backup`, `backup list --json`, `restore`, `diagnostics` on the command line."""

import json
import zipfile

from tests.conftest import run_cli


def setup_profile(cli, name="城东街道"):
    done = cli("profile", "set", "--name", name, "--kind", "街道", "--role", "填报单位")
    assert done.returncode == 0, done.stderr


def test_backup_list_and_restore_round_trip(cli, tmp_path):
    setup_profile(cli)
    done = cli("backup", "--json")
    assert done.returncode == 0, done.stderr
    copy = json.loads(done.stdout)["path"]
    listed = json.loads(cli("backup", "list", "--json").stdout)["backups"]
    assert copy in [b["path"] for b in listed]
    assert {"path", "name", "kind", "label", "created", "size"} <= set(listed[0])
    setup_profile(cli, "西城街道")
    done = cli("restore", copy)
    assert done.returncode == 0, done.stderr
    assert "已从" in done.stdout and "另存为" in done.stdout
    from core import settings
    from db.connection import open_db

    db = open_db(cli.db_path)
    assert settings.profile(db)["name"] == "城东街道"
    db.conn.close()


def test_backup_out_writes_one_zip(cli, tmp_path):
    setup_profile(cli)
    stick = tmp_path / "usb"
    stick.mkdir()
    done = cli("backup", "--out", stick, "--json")
    assert done.returncode == 0, done.stderr
    path = json.loads(done.stdout)["path"]
    with zipfile.ZipFile(path) as zf:
        assert {"manifest.json", "ledger.sqlite3"} <= set(zf.namelist())


def test_restore_refusals_are_one_chinese_line_exit_2(cli, tmp_path):
    setup_profile(cli)
    bad = tmp_path / "坏.zip"
    bad.write_text("这不是备份", encoding="gbk")
    for target in (bad, tmp_path / "不存在.zip"):
        done = cli("restore", target)
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_damaged_ledger_message_names_backup_and_command(cli, tmp_path):
    setup_profile(cli)
    copy = json.loads(cli("backup", "--json").stdout)["path"]
    cli.db_path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8192)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"cli.sqlite3{suffix}").unlink(missing_ok=True)
    done = cli("ledger", "list", "--json")
    assert done.returncode == 2
    assert "已损坏" in done.stderr and f'python main.py restore "{copy}"' in done.stderr
    assert list(tmp_path.glob("cli.sqlite3.damaged-*"))
    done = cli("restore", copy)
    assert done.returncode == 0, done.stderr
    assert cli("backup", "list", "--json").returncode == 0


def test_diagnostics_command(cli, tmp_path):
    setup_profile(cli)
    done = cli("diagnostics", "--out", tmp_path / "诊断.zip", "--json")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(json.loads(done.stdout)["path"]) as zf:
        report = json.loads(zf.read("report.json"))
    assert report["profile"]["name"] == "城东街道"
    assert "table_counts" in report and "migrations" in report


def test_restore_of_another_offices_backup_exits_2_without_force(cli, tmp_path):
    setup_profile(cli)
    other = tmp_path / "other.sqlite3"
    assert run_cli("profile", "set", "--name", "博山区政府办公室", "--kind", "县政府办公室", "--role", "汇总单位",
                   db_path=other).returncode == 0
    archive = tmp_path / "county.zip"
    assert run_cli("backup", "--out", archive, db_path=other).returncode == 0
    refused = cli("restore", archive)
    assert refused.returncode == 2 and "--force" in refused.stderr and "博山区政府办公室" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "城东街道" in cli("profile", "show").stdout
    done = cli("restore", archive, "--force")
    assert done.returncode == 0, done.stderr
    assert "博山区政府办公室" in cli("profile", "show").stdout
