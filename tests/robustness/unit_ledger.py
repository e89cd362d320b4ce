"""A unit's ledger built as an office builds it: the county's plan, a task package, an open activity."""

import json

import pytest

from tests.conftest import SAMPLES, run_cli

PLAN = SAMPLES / "boshan-2024-plan.docx"
# Every form in every format it can be exported as.
EXPORTS = {"ledger": ("xlsx", "docx", "pdf"), "open-activity-plan": ("docx", "xlsx", "pdf"),
           "open-activity-report": ("docx", "xlsx", "pdf"), "summary": ("xlsx", "pdf")}


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def build_unit_db(tmp_path):
    """The unit database path: the sample plan's tasks received by package, one activity with its report."""
    if not PLAN.is_file():
        pytest.skip("../shared/samples is not present")
    county, unit = tmp_path / "county.sqlite3", tmp_path / "unit.sqlite3"
    ok(run_cli("profile", "set", "--name", "博山区人民政府办公室", "--kind", "县政府办公室", "--role", "汇总单位", db_path=county))
    ok(run_cli("import-plan", str(PLAN), db_path=county))
    ok(run_cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位", "--county", "博山区", db_path=unit))
    task = tmp_path / "t.zwgk"
    ok(run_cli("pack", "task", "--out", task, "--unit", "城东街道", db_path=county))
    ok(run_cli("unpack", task, "--json", db_path=unit))
    added = ok(run_cli("activity", "add", "--theme", "开放日", "--time", "2024年7月", "--place", "便民服务中心", "--content", "座谈",
                       "--audience", "群众代表", "--contact", "李明", "--phone", "13800000000", "--json", db_path=unit))
    ok(run_cli("activity", "report", json.loads(added.stdout)["id"], "--date", "2024-07-10", "--participants", "3",
               "--opinions", "1", "--adopted", "1", db_path=unit))
    return unit
