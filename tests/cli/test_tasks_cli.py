import json


def test_list_add_and_drop_tasks_by_seq(cli, samples):
    assert cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位").returncode == 0
    assert cli("import-plan", samples / "boshan-2024-plan.docx").returncode == 0
    before = {t["seq"]: t for t in json.loads(cli("tasks", "list", "--json").stdout)["tasks"]}
    assert len(before) == 67
    assert before["1"]["in_ledger"] and not before["2"]["in_ledger"]

    result = cli("tasks", "add", "2", "6")
    assert result.returncode == 0, result.stderr
    assert cli("tasks", "drop", "1").returncode == 0
    after = {t["seq"]: t for t in json.loads(cli("tasks", "list", "--json").stdout)["tasks"]}
    assert after["2"]["in_ledger"] and after["6"]["in_ledger"] and not after["1"]["in_ledger"]

    # A re-import keeps the hand choices.
    assert cli("import-plan", samples / "boshan-2024-plan.docx").returncode == 0
    again = {t["seq"]: t for t in json.loads(cli("tasks", "list", "--json").stdout)["tasks"]}
    assert again["2"]["in_ledger"] and not again["1"]["in_ledger"]


def test_unknown_seq_exits_2_and_changes_nothing(cli, samples):
    cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位")
    cli("import-plan", samples / "boshan-2024-plan.docx")
    before = cli("tasks", "list", "--json").stdout
    result = cli("tasks", "add", "2", "999")
    assert result.returncode == 2 and "999" in result.stderr and "Traceback" not in result.stderr
    assert cli("tasks", "list", "--json").stdout == before


def test_tasks_before_any_plan_is_a_clear_message(cli):
    cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位")
    result = cli("tasks", "list")
    assert result.returncode == 2 and "import-plan" in result.stderr
