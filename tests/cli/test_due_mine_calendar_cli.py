"""The `due`, `mine` and `calendar` commands (headless contract of CLI.md)."""

import json

import pytest

from tests.core.calendar.test_holiday_notice import NOTICE_2027



@pytest.mark.parametrize(
    "args, lines",
    [
        (["信息形成或变更之日起20个工作日内公开", "--from", "2026-09-25"], ["2026-10-29"]),
        (["信息形成或变更之日起20个工作日内公开", "--from", "2026-02-06"], ["2026-03-12"]),
        (["信息形成或者变更之日起20个工作日内公开，行政处罚信息于处罚结果作出后7个工作日内公开", "--from", "2026-09-25"],
         ["2026-10-29", "2026-10-12"]),
        (["6月底前", "--year", "2024"], ["2024-06-30"]),
        (["2023年年底前完成"], ["2023-12-31"]),
        (["7月8日前", "--plan-date", "2024-06-24"], ["2024-07-08"]),
        (["本方案发布之日起20个工作日内", "--plan-date", "2024-06-24"], ["2024-07-22"]),
        (["每年3月31日前", "--year", "2025"], ["2025-03-31"]),
        (["长期坚持"], ["standing"]),
        (["疫情防控期间"], ["standing"]),
        (["6月底前，长期坚持", "--year", "2024"], ["2024-06-30", "standing"]),
        (["按上级部署"], ["unparsed"]),
        (["活动开展后5个工作日内"], ["standing"]),  # no event date given: no date yet
    ],
)
def test_due(cli, args, lines):
    result = cli("due", *args)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in out] == lines


def test_due_json(cli):
    result = cli("due", "信息形成或变更之日起20个工作日内公开，长期坚持", "--from", "2026-09-25", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["result"] for c in data["clauses"]] == ["2026-10-29", "standing"]
    assert data["clauses"][0]["kind"] == "event" and data["clauses"][0]["due"] == "2026-10-29"


def test_due_estimated_year(cli):
    result = cli("due", "信息形成之日起20个工作日内", "--from", "2027-02-01")
    assert result.returncode == 0, result.stderr
    first, rest = result.stdout.strip().split("\t", 1)
    assert first == "2027-03-01" and "估算：2027年节假日未知" in rest


@pytest.mark.parametrize(
    "args",
    [["2月30日前"], ["6月底前", "--year", "1800"], ["信息形成之日起20个工作日内", "--from", "2026-02-30"],
     ["信息形成之日起20个工作日内", "--from", "明天"], [""]],
)
def test_due_bad_input(cli, args):
    result = cli("due", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_calendar_add_year_dry_run_then_store(cli, tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE_2027, encoding="gb18030")
    dry = cli("calendar", "add-year", notice, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "春节" in dry.stdout and "未保存" in dry.stdout
    before = cli("due", "信息形成之日起1个工作日内", "--from", "2027-02-04")
    assert before.stdout.startswith("2027-02-05\t")
    stored = cli("calendar", "add-year", notice, "--json")
    assert stored.returncode == 0, stored.stderr
    data = json.loads(stored.stdout)
    assert data["year"] == 2027 and len(data["workdays"]) == 6
    after = cli("due", "信息形成之日起1个工作日内", "--from", "2027-02-04")
    assert after.stdout.split("\t")[0] == "2027-02-14" and "估算" not in after.stdout
    shown = json.loads(cli("calendar", "show", "2027", "--json").stdout)
    assert shown["known"] is True and any(d["date"] == "2027-02-14" for d in shown["days"])


def test_calendar_add_year_rejects_other_text(cli, tmp_path):
    notice = tmp_path / "plan.txt"
    notice.write_text("关于印发2024年博山区政务公开工作方案的通知", encoding="utf-8")
    result = cli("calendar", "add-year", notice)
    assert result.returncode == 2 and "节假日" in result.stderr
    missing = cli("calendar", "add-year", tmp_path / "nope.txt")
    assert missing.returncode == 2
    shown = json.loads(cli("calendar", "show", "2027", "--json").stdout)
    assert shown["known"] is False and shown["days"] == []


def test_calendar_set_day(cli):
    assert cli("calendar", "set-day", "2026-03-09", "holiday", "--name", "本地放假").returncode == 0
    assert cli("due", "信息形成之日起1个工作日内", "--from", "2026-03-06").stdout.startswith("2026-03-10")
    assert cli("calendar", "set-day", "2026-03-09", "default").returncode == 0
    assert cli("due", "信息形成之日起1个工作日内", "--from", "2026-03-06").stdout.startswith("2026-03-09")
    assert cli("calendar", "set-day", "2026-02-30", "holiday").returncode == 2


def test_mine_street(cli, samples):
    result = cli("mine", samples / "boshan-2024-plan.docx", "--unit", "城东街道", "--alias", "城东街道办事处",
                 "--kind", "街道", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unit"] == "城东街道"
    expected = json.loads((samples / "boshan-2024-expected.json").read_text(encoding="utf-8"))["tasks"]
    want = [t["seq"] for t in expected if "各镇（街道）" in t["units"]]
    assert [t["seq"] for t in data["tasks"] if not t.get("maybe")] == want
    by_seq = {t["seq"]: t for t in data["tasks"]}
    assert by_seq["22"]["role"] == "落实" and by_seq["1"]["role"] == "责任"
    assert all(t["reason"] for t in data["tasks"])


def test_mine_department_by_loose_name(cli, samples):
    result = cli("mine", samples / "boshan-2024-tasks.xlsx", "--unit", "博山区司法局", "--json")
    assert result.returncode == 0, result.stderr
    by_seq = {t["seq"]: t for t in json.loads(result.stdout)["tasks"]}
    assert by_seq["22"]["role"] == "牵头"
    assert "4" in by_seq and "2" not in by_seq


def test_mine_bad_input(cli, tmp_path):
    result = cli("mine", tmp_path / "nope.docx", "--unit", "城东街道", "--json")
    assert result.returncode == 2 and result.stdout == ""
    result = cli("mine", tmp_path / "nope.docx", "--unit", "城东街道", "--kind", "乡", "--json")
    assert result.returncode == 2
