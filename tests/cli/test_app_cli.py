import json

from core import settings
from db.connection import open_db


def test_selftest_builds_the_window_and_prints_versions(cli):
    result = cli("selftest", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["window"] is True
    assert info["tables"] >= 10
    assert info["PySide6-Essentials"].startswith("6.")


def test_profile_set_then_show(cli):
    result = cli("profile", "set", "--name", "城东街道", "--alias", "城东街道办事处", "--kind", "街道", "--role", "填报单位", "--county", "博山区")
    assert result.returncode == 0, result.stderr
    assert "城东街道" in result.stdout
    shown = json.loads(cli("profile", "show", "--json").stdout)
    assert shown["aliases"] == ["城东街道办事处"] and shown["county"] == "博山区"


def test_db_option_may_come_before_the_command(cli, tmp_path):
    from tests.conftest import run_cli

    path = tmp_path / "before.sqlite3"
    result = run_cli("--db", path, "profile", "set", "--name", "甲镇", "--kind", "镇", "--role", "填报单位")
    assert result.returncode == 0, result.stderr
    assert settings.profile(open_db(path))["name"] == "甲镇"


def test_db_from_environment(tmp_path):
    from tests.conftest import run_cli

    path = tmp_path / "env.sqlite3"
    result = run_cli("profile", "set", "--name", "乙镇", "--kind", "镇", "--role", "填报单位", env={"ZWGK_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert settings.profile(open_db(path))["name"] == "乙镇"


def test_bad_value_exits_2_with_one_chinese_line_and_changes_nothing(cli):
    cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位")
    result = cli("profile", "set", "--name", "某乡", "--kind", "乡", "--role", "填报单位")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "单位类型" in result.stderr
    assert json.loads(cli("profile", "show", "--json").stdout)["name"] == "城东街道"


def test_unknown_command_exits_2(cli):
    result = cli("no-such-command")
    assert result.returncode == 2
    assert "命令行参数有误" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_database_exits_2(tmp_path):
    from tests.conftest import run_cli

    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    result = run_cli("profile", "show", db_path=path)
    assert result.returncode == 2
    assert "数据库" in result.stderr and "Traceback" not in result.stderr
