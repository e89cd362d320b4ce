"""`ledger list` / `ledger update` as in CLI.md."""

import json

import pytest

from db.connection import open_db
from tests.ledger_fixtures import make_ledger, make_plan, make_task, make_entry


@pytest.fixture
def ledger_cli(cli):
    from core import settings

    db = open_db(cli.db_path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    cli.ids = make_ledger(db)
    plan = make_plan(db, 2024)
    make_entry(db, make_task(db, plan["id"], "1", ["甲"], "城西的任务", "2024年底前")["id"], unit="城西街道")
    db.conn.close()
    return cli


def entries(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["entries"]


def test_list_json_shape(ledger_cli):
    got = entries(ledger_cli("ledger", "list", "--json"))
    assert [e["seq"] for e in got] == ["1", "2", "3", "4", "5"]
    assert set(got[0]) == {"id", "unit", "year", "seq", "category", "requirement", "measures", "leader", "office",
                           "status", "overdue", "due", "deadline", "progress"}
    two = got[1]
    assert two["due"] == "2024-12-31" and two["category"] == ["推进政策解读", "政策评价"] and two["unit"] == "城东街道"


def test_list_filters(ledger_cli):
    assert [e["seq"] for e in entries(ledger_cli("ledger", "list", "--search", "zcpj", "--json"))] == ["2"]
    assert [e["seq"] for e in entries(ledger_cli("ledger", "list", "--year", "2023", "--json"))] == []
    overdue = entries(ledger_cli("ledger", "list", "--status", "逾期", "--json"))
    assert overdue and all(e["overdue"] for e in overdue)
    soon = entries(ledger_cli("ledger", "list", "--due-within", "10", "--json"))
    assert all(e["due"] for e in soon)


def test_county_sees_every_unit(ledger_cli):
    r = ledger_cli("profile", "set", "--name", "博山区政府办公室", "--kind", "县政府办公室", "--role", "汇总单位")
    assert r.returncode == 0, r.stderr
    assert {e["unit"] for e in entries(ledger_cli("ledger", "list", "--json"))} == {"城东街道", "城西街道"}
    assert {e["unit"] for e in entries(ledger_cli("ledger", "list", "--unit", "城西街道", "--json"))} == {"城西街道"}
    r = ledger_cli("ledger", "update", "1", "--leader", "李四")
    assert r.returncode == 2 and "--unit" in r.stderr


def test_update_everything(ledger_cli, tmp_path):
    photo = tmp_path / "培训现场|1.jpg"
    photo.write_bytes(b"jpeg")
    r = ledger_cli("ledger", "update", "5", "--status", "推进中", "--measure", "制定培训方案", "--leader", "张三",
                   "--office", "党政办", "--progress", "组织全体人员培训", "--date", "2024.6.20",
                   "--attach", str(photo), "--attach", "https://www.example.gov.cn/px.html", "--duty", "政务公开培训")
    assert r.returncode == 0, r.stderr
    five = next(e for e in entries(ledger_cli("ledger", "list", "--json")) if e["seq"] == "5")
    assert five["status"] == "推进中" and five["leader"] == "张三" and five["office"] == "党政办"
    assert five["measures"] == ["制定培训方案"]
    assert five["progress"] == [{"date": "2024-06-20", "text": "组织全体人员培训"}]
    db = open_db(ledger_cli.db_path)
    kinds = sorted(r[0] for r in db.execute("SELECT kind FROM attachments"))
    stored = db.execute("SELECT stored_name FROM attachments WHERE kind = 'file'").fetchone()[0]
    db.conn.close()
    assert kinds == ["file", "link"] and "|" not in stored
    assert (tmp_path / "cli-attachments" / stored).read_bytes() == b"jpeg"


def test_event_date_and_completion(ledger_cli):
    r = ledger_cli("ledger", "update", "1", "--event-date", "2024年7月1日")
    assert r.returncode == 0, r.stderr
    one = next(e for e in entries(ledger_cli("ledger", "list", "--json")) if e["seq"] == "1")
    assert one["due"] == "2024-07-04"
    r = ledger_cli("ledger", "update", "1", "--status", "已完成", "--date", "7月3日", "--json")
    assert r.returncode == 0, r.stderr
    assert "completed_on" in " ".join(json.loads(r.stdout)["changes"]) or "完成日期" in " ".join(json.loads(r.stdout)["changes"])
    one = next(e for e in entries(ledger_cli("ledger", "list", "--json")) if e["seq"] == "1")
    assert one["status"] == "已完成" and not one["overdue"]


@pytest.mark.parametrize("args,words", [
    (["99"], "没有"),
    (["2", "--status", "逾期"], "状态"),
    (["2", "--progress", "x", "--date", "2024.2.30"], "不存在"),
    (["2", "--progress", "x", "--attach", "/no/such/file.pdf"], "找不到文件"),
    (["2", "--attach", "/no/such/file.pdf"], "--progress"),
    (["2", "--event-date", "明天"], "无法识别"),
])
def test_bad_input_changes_nothing(ledger_cli, args, words):
    before = ledger_cli("ledger", "list", "--json").stdout
    r = ledger_cli("ledger", "update", *args)
    assert r.returncode == 2
    assert words in r.stderr and "Traceback" not in r.stderr
    assert ledger_cli("ledger", "list", "--json").stdout == before


def test_bad_list_status(ledger_cli):
    r = ledger_cli("ledger", "list", "--status", "完成了", "--json")
    assert r.returncode == 2 and "状态" in r.stderr and r.stdout == ""
