"""The county's commands: units, pack task --all, inspection, score, export inspection-notice."""

import json
import zipfile

from openpyxl import Workbook


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def refused(result, text):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert text in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_county_cycle(cli, samples, tmp_path):
    ok(cli("profile", "set", "--name", "博山区人民政府办公室", "--kind", "县政府办公室", "--role", "汇总单位", "--county", "博山区"))
    ok(cli("import-plan", samples / "boshan-2024-plan.docx"))
    wb = Workbook()
    wb.active.append(["单位名称", "类型", "别名"])
    wb.active.append(["城东街道", "街道", "城东街道办事处"])
    wb.active.append(["池上镇", "镇", ""])
    wb.save(tmp_path / "名册.xlsx")
    assert json.loads(ok(cli("units", "import", tmp_path / "名册.xlsx", "--json")).stdout)["added"] == 2
    ok(cli("units", "add", "区司法局", "--kind", "部门", "--alias", "博山区司法局"))
    refused(cli("units", "add", "某乡", "--kind", "乡"), "类型“乡”无效")
    units = json.loads(ok(cli("units", "list", "--json")).stdout)["units"]
    keys = {"name", "kind", "tasks", "maybe", "task_pack", "last_report", "entries", "done", "overdue", "late"}
    assert all(keys <= set(u) for u in units) and [u["name"] for u in units] == ["区司法局", "城东街道", "池上镇"]
    mine = json.loads(ok(cli("mine", samples / "boshan-2024-plan.docx", "--unit", "城东街道", "--kind", "街道", "--json")).stdout)
    assert {u["name"]: u["tasks"] for u in units}["城东街道"] == len(mine["tasks"])
    out = tmp_path / "任务包"
    ok(cli("pack", "task", "--all", "--out-dir", out))
    assert sorted(p.name for p in out.iterdir()) == ["区司法局-任务包.zwgk", "城东街道-任务包.zwgk", "池上镇-任务包.zwgk"]
    refused(cli("pack", "task", "--all"), "--out-dir")
    assert all(u["task_pack"] for u in json.loads(ok(cli("units", "list", "--json")).stdout)["units"])

    added = json.loads(ok(cli("inspection", "add", "--unit", "城东街道办事处", "--date", "2024-04-10", "--kind", "季度检查",
                              "--finding", "政策文件未同步解读", "--indicator", "主动公开", "--deduct", "2",
                              "--fix-by", "2024-05-10", "--json")).stdout)
    refused(cli("inspection", "add", "--unit", "城东街", "--date", "2024-04-10", "--kind", "季度检查", "--finding", "x"), "单位名册中没有")
    listed = json.loads(ok(cli("inspection", "list", "--open", "--json")).stdout)["findings"]
    assert [(f["id"], f["unit"], f["fixed"], f["overdue"]) for f in listed] == [(added["id"], "城东街道", None, True)]
    assert set(listed[0]) >= {"id", "unit", "date", "kind", "finding", "deduct", "fix_by", "fixed", "overdue"}
    ok(cli("inspection", "fix", added["id"], "--date", "2024-05-20", "--note", "复查已整改"))
    assert json.loads(ok(cli("inspection", "list", "--open", "--json")).stdout)["findings"] == []

    wb = Workbook()
    wb.active.append(["指标", "分值", "扣分规则"])
    wb.active.append(["主动公开", 60, "发布不及时每次扣5分"])
    wb.active.append(["年报", 40, "逾期扣5分"])
    wb.save(tmp_path / "规则.xlsx")
    ok(cli("score", "rules", tmp_path / "规则.xlsx"))
    table = json.loads(ok(cli("score", "--year", "2024", "--json")).stdout)["units"]
    assert [(u["name"], u["score"], u["rank"]) for u in table] == [("区司法局", 100, 1), ("池上镇", 100, 1), ("城东街道", 98, 3)]
    assert table[2]["deductions"][0]["points"] == 2
    refused(cli("score", "--json"), "--year")

    notice = tmp_path / "通报.docx"
    ok(cli("export", "inspection-notice", "--period", "2024Q2", "--format", "docx", "--out", notice))
    with zipfile.ZipFile(notice) as z:
        assert "政策文件未同步解读" in z.read("word/document.xml").decode()
    refused(cli("export", "inspection-notice", "--period", "2024Q5", "--format", "docx", "--out", notice), "YYYYQn")
    refused(cli("export", "inspection-notice", "--period", "2024Q2", "--format", "xlsx", "--out", tmp_path / "x.xlsx"), "docx")
    ok(cli("export", "score", "--year", "2024", "--format", "xlsx", "--out", tmp_path / "得分.xlsx"))


def test_a_unit_is_refused_the_roster(cli):
    ok(cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位"))
    refused(cli("units", "add", "池上镇", "--kind", "镇"), "只有汇总单位")
    refused(cli("pack", "task", "--all", "--out-dir", "x"), "只有汇总单位")
