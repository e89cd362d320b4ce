"""Two real database files exchanging packages through the command line."""

import json
import zipfile

import pytest

from tests.conftest import SAMPLES, run_cli

PLAN = SAMPLES / "boshan-2024-plan.docx"


@pytest.fixture
def offices(tmp_path):
    """A county database holding the sample plan and a unit database with its profile."""
    if not PLAN.is_file():
        pytest.skip("../shared/samples is not present")
    county, unit = tmp_path / "county.sqlite3", tmp_path / "unit.sqlite3"
    ok(run_cli("profile", "set", "--name", "博山区人民政府办公室", "--kind", "县政府办公室", "--role", "汇总单位", db_path=county))
    ok(run_cli("import-plan", str(PLAN), db_path=county))
    ok(run_cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位", "--county", "博山区", db_path=unit))
    return county, unit


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def test_task_package_then_report_package_round_trip(offices, tmp_path):
    county, unit = offices
    task = tmp_path / "城东街道-任务包.zwgk"
    packed = json.loads(ok(run_cli("pack", "task", "--out", task, "--unit", "城东街道", "--json", db_path=county)).stdout)
    assert packed["counts"]["tasks"] > 50 and packed["recipient"] == "城东街道"

    dry = json.loads(ok(run_cli("unpack", task, "--dry-run", "--json", db_path=unit)).stdout)
    assert dry["dry_run"] and dry["new"] == packed["counts"]["plans"] + packed["counts"]["tasks"]
    assert json.loads(ok(run_cli("ledger", "list", "--json", db_path=unit)).stdout)["entries"] == []

    first = json.loads(ok(run_cli("unpack", task, "--json", db_path=unit)).stdout)
    assert set(first) >= {"new", "updated", "unchanged", "conflicts", "rejected", "details"}
    entries = json.loads(ok(run_cli("ledger", "list", "--json", db_path=unit)).stdout)["entries"]
    assert entries and all(e["unit"] == "城东街道" for e in entries)

    seq = entries[0]["seq"]
    ok(run_cli("ledger", "update", seq, "--status", "推进中", "--progress", "召开专题会议", "--date", "2024-07-01", db_path=unit))
    report = tmp_path / "城东街道-报送包.zwgk"
    ok(run_cli("pack", "report", "--out", report, db_path=unit))

    merged = json.loads(ok(run_cli("unpack", report, "--json", db_path=county)).stdout)
    assert merged["new"] == len(entries) + 1 and merged["rejected"] == 0 and merged["conflicts"] == 0
    county_entries = json.loads(ok(run_cli("ledger", "list", "--unit", "城东街道", "--json", db_path=county)).stdout)["entries"]
    changed = [e for e in county_entries if e["seq"] == seq][0]
    assert changed["status"] == "推进中" and changed["progress"][0]["text"] == "召开专题会议"

    again = json.loads(ok(run_cli("unpack", report, "--json", db_path=county)).stdout)
    assert again["new"] == again["updated"] == 0 and again["unchanged"] == merged["new"]


def test_a_tampered_report_exits_2_and_changes_nothing(offices, tmp_path):
    county, unit = offices
    task = tmp_path / "t.zwgk"
    ok(run_cli("pack", "task", "--out", task, "--unit", "城东街道", db_path=county))
    ok(run_cli("unpack", task, "--json", db_path=unit))
    report = tmp_path / "r.zwgk"
    ok(run_cli("pack", "report", "--out", report, db_path=unit))
    tampered = tmp_path / "tampered.zwgk"
    with zipfile.ZipFile(report) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "data.json":
                data = data.replace("未开始".encode(), "已完成".encode())
            zout.writestr(info.filename, data)
    result = run_cli("unpack", tampered, "--json", db_path=county)
    assert result.returncode == 2
    assert "校验不符" in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["new"] == 0
    listed = json.loads(ok(run_cli("ledger", "list", "--json", db_path=county)).stdout)["entries"]
    assert listed == []


def test_path_escaping_archive_exits_2(tmp_path, cli):
    ok(cli("profile", "set", "--name", "博山区人民政府办公室", "--kind", "县政府办公室", "--role", "汇总单位"))
    evil = tmp_path / "evil.zwgk"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("../../evil.txt", "x")
    result = cli("unpack", evil, "--json")
    assert result.returncode == 2 and "不安全的文件路径" in result.stderr
    assert not (tmp_path.parent / "evil.txt").exists()


def test_pack_refusals_exit_2(cli, tmp_path):
    ok(cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位"))
    result = cli("pack", "report", "--out", tmp_path / "r.zwgk")
    assert result.returncode == 2 and "先导入任务包" in result.stderr
    result = cli("pack", "report", "--out", tmp_path / "r.zip")
    assert result.returncode == 2 and ".zwgk" in result.stderr
    assert not (tmp_path / "r.zwgk").exists()


def test_roundtrip_xlsx_dry_run_then_apply(offices, tmp_path):
    from openpyxl import load_workbook

    county, unit = offices
    task = tmp_path / "t.zwgk"
    ok(run_cli("pack", "task", "--out", task, "--unit", "城东街道", db_path=county))
    ok(run_cli("unpack", task, "--json", db_path=unit))
    book = tmp_path / "台账.xlsx"
    ok(run_cli("export", "ledger", "--format", "xlsx", "--out", book, db_path=unit))
    wb = load_workbook(book)
    ws = wb["工作任务台账"]
    headers = {cell.value: cell.column_letter for cell in ws[3]}
    ws[f"{headers['单位分管领导']}4"] = "王副镇长"
    wb.save(book)

    shown = json.loads(ok(run_cli("roundtrip-xlsx", book, "--dry-run", "--json", db_path=unit)).stdout)
    assert shown["counts"]["change"] == 1 and shown["applied"] == 0
    assert shown["changes"][0]["new"] == "王副镇长"
    done = json.loads(ok(run_cli("roundtrip-xlsx", book, "--json", db_path=unit)).stdout)
    assert done["applied"] == 1
    entries = json.loads(ok(run_cli("ledger", "list", "--json", db_path=unit)).stdout)["entries"]
    assert entries[0]["leader"] == "王副镇长"
    again = json.loads(ok(run_cli("roundtrip-xlsx", book, "--json", db_path=unit)).stdout)
    assert again["changes"] == [] and again["applied"] == 0  # applying the same workbook again is a no-op

    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"nope")
    result = run_cli("roundtrip-xlsx", broken, "--json", db_path=unit)
    assert result.returncode == 2 and "无法读取表格" in result.stderr and result.stdout == ""


def test_keys_are_pinned_on_first_use_shown_and_forgotten(offices, tmp_path):
    import re

    county, unit = offices
    mine = json.loads(ok(run_cli("keys", "show", "--json", db_path=county)).stdout)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", mine["fingerprint"]) and mine["office"] == "博山区人民政府办公室"
    task = tmp_path / "t.zwgk"
    ok(run_cli("pack", "task", "--out", task, "--unit", "城东街道", db_path=county))
    text = ok(run_cli("unpack", task, db_path=unit)).stdout
    assert f"已登记“博山区人民政府办公室”的签名密钥，指纹 {mine['fingerprint']}" in text
    again = json.loads(ok(run_cli("unpack", task, "--json", db_path=unit)).stdout)
    assert again["details"][0]["signer"] == {"office": "博山区人民政府办公室", "fingerprint": mine["fingerprint"],
                                             "new": False, "how": "pinned"}
    [pinned] = json.loads(ok(run_cli("keys", "list", "--json", db_path=unit)).stdout)["keys"]
    assert pinned["role"] == "county" and pinned["fingerprint"] == mine["fingerprint"] and pinned["pinned_how"] == "first_use"
    report = tmp_path / "r.zwgk"
    ok(run_cli("pack", "report", "--out", report, db_path=unit))
    merged = json.loads(ok(run_cli("unpack", report, "--json", db_path=county)).stdout)
    unit_fp = json.loads(ok(run_cli("keys", "show", "--json", db_path=unit)).stdout)["fingerprint"]
    assert merged["details"][0]["signer"]["new"] is True and merged["details"][0]["signer"]["fingerprint"] == unit_fp
    forgot = run_cli("keys", "forget", "山头街道", db_path=county)
    assert forgot.returncode == 2 and "没有登记“山头街道”" in forgot.stderr
    ok(run_cli("keys", "forget", "城东街道", db_path=county))
    assert json.loads(ok(run_cli("keys", "list", "--json", db_path=county)).stdout)["keys"][0]["fingerprint"] is None
    assert "keys forget" in run_cli("keys", "--help").stdout and "fingerprint" in run_cli("unpack", "--help").stdout
