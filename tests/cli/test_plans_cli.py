"""`plans list --json` and `plans drop ID [--force]` through main.py (../shared/CLI.md "Plans held in the ledger")."""

import json

from tests.core.exchange.plan_docs import plan_docx


def test_plans_list_and_drop(cli, tmp_path):
    doc = plan_docx(tmp_path / "要点.docx")
    assert cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位", "--county", "测试县").returncode == 0
    assert cli("import-plan", doc).returncode == 0
    listed = cli("plans", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [plan] = json.loads(listed.stdout)["plans"]
    assert set(plan) == {"id", "title", "year", "doc_no", "source", "tasks", "entries"}
    assert (plan["year"], plan["doc_no"], plan["source"], plan["tasks"], plan["entries"]) == (2024, "测政办字〔2024〕7号", "file", 4, 3)
    assert cli("ledger", "update", "1", "--progress", "召开专题会议", "--date", "2024-07-01").returncode == 0
    refused = cli("plans", "drop", plan["id"])
    assert refused.returncode == 2 and "--force" in refused.stderr and len(json.loads(cli("plans", "list", "--json").stdout)["plans"]) == 1
    unknown = cli("plans", "drop", "no-such-plan")
    assert unknown.returncode == 2 and unknown.stderr.strip().count("\n") == 0 and "plans list" in unknown.stderr
    dropped = cli("plans", "drop", plan["id"], "--force")
    assert dropped.returncode == 0, dropped.stderr
    assert json.loads(cli("plans", "list", "--json").stdout) == {"plans": []}
    assert list((tmp_path / "cli-backups").glob("*drop_plan*"))
