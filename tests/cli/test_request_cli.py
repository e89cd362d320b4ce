"""`request …`, `annual-report …` and `export annual-report` as CLI.md specifies them."""

import json


def setup(cli):
    assert cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位").returncode == 0


def ok_json(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_request_add_update_list_and_refusals(cli):
    setup(cli)
    added = ok_json(cli("request", "add", "--received", "2024-09-27", "--channel", "网络", "--applicant", "自然人",
                        "--content", "某项目环评报告", "--name", "张三", "--json"))
    assert set(added) == {"id", "no", "due"} and added["no"] == "2024-001" and added["due"] == "2024-10-30"
    waiting = ok_json(cli("request", "update", added["no"], "--correction-asked", "2024-09-30", "--json"))
    assert waiting["status"] == "待补正" and waiting["due"] is None and waiting["overdue"] is False
    assert set(waiting) == {"id", "no", "received", "applicant", "due", "status", "replied", "result", "overdue"}
    refused = cli("request", "update", added["id"], "--extended", "2024-10-08")
    assert refused.returncode == 2 and "补正" in refused.stderr and refused.stdout == ""
    resumed = ok_json(cli("request", "update", added["id"], "--correction-received", "2024-10-08", "--json"))
    assert resumed["due"] == "2024-11-04"  # 10-12 (Sat) works
    late = cli("request", "update", added["id"], "--extended", "2024-11-05")
    assert late.returncode == 2 and "延期须在答复期限" in late.stderr
    bad = cli("request", "update", added["id"], "--replied", "2024-09-01", "--result", "1")
    assert bad.returncode == 2 and "早于收到日期" in bad.stderr
    unknown = cli("request", "update", added["id"], "--replied", "2024-10-20", "--result", "7")
    assert unknown.returncode == 2 and "办理结果" in unknown.stderr
    done = ok_json(cli("request", "update", added["id"], "--replied", "2024-11-04", "--result", "1", "--json"))
    assert done["status"] == "已答复" and done["overdue"] is False
    appeal = cli("request", "appeal", added["no"], "--kind", "复议后诉讼", "--outcome", "未审结")
    assert appeal.returncode == 0, appeal.stderr
    listed = ok_json(cli("request", "list", "--year", "2024", "--json"))
    assert [r["no"] for r in listed["requests"]] == ["2024-001"]
    assert ok_json(cli("request", "list", "--year", "2025", "--json")) == {"requests": []}
    assert ok_json(cli("request", "list", "--overdue", "--json")) == {"requests": []}
    channel = cli("request", "add", "--received", "2024-09-27", "--channel", "微信", "--applicant", "自然人", "--content", "x")
    assert channel.returncode == 2 and "收到方式" in channel.stderr


def test_annual_report_set_data_check_and_export(cli, tmp_path):
    setup(cli)
    ok_json(cli("request", "add", "--received", "2024-12-30", "--channel", "当面", "--applicant", "商业企业",
                "--content", "x", "--json"))
    helptext = cli("annual-report", "set", "--help")
    for key in ("t2.规章.制发", "t2.规范性文件.现行有效", "t2.行政许可", "t2.行政强制", "t2.收费", "section1", "section5", "section6"):
        assert key in helptext.stdout
    negative = cli("annual-report", "set", "--year", "2024", "t2.行政许可", "-2")
    assert negative.returncode == 2 and "负数" in negative.stderr
    text = tmp_path / "五.txt"
    text.write_text("存在的问题：人员兼职。改进：加强培训。", encoding="utf-8")
    assert cli("annual-report", "set", "--year", "2024", "section5", f"@{text}").returncode == 0
    assert cli("annual-report", "set", "--year", "2024", "t2.规章.制发", "4").returncode == 0
    data = ok_json(cli("annual-report", "data", "--year", "2024", "--json"))
    assert {"year", "unit", "table3", "table4"} <= set(data)
    assert data["table3"]["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    rows = {r["code"]: r["values"] for r in data["table3"]["rows"]}
    assert rows["new"] == [0, 1, 0, 0, 0, 0, 1] and rows["carry_next"] == [0, 1, 0, 0, 0, 0, 1]
    assert data["table4"] == {"复议": [0] * 5, "诉讼": [0] * 5, "复议后诉讼": [0] * 5}
    next_year = ok_json(cli("annual-report", "data", "--year", "2025", "--json"))
    assert {r["code"]: r["values"] for r in next_year["table3"]["rows"]}["carried"] == [0, 1, 0, 0, 0, 0, 1]
    problems = ok_json(cli("annual-report", "check", "--year", "2024", "--json"))["problems"]
    assert problems and all(set(p) == {"rule", "where", "text", "level"} for p in problems)
    assert {p["level"] for p in problems} == {"missing"}
    out = tmp_path / "年报.docx"
    exported = cli("export", "annual-report", "--format", "docx", "--year", "2024", "--out", out)
    assert exported.returncode == 0, exported.stderr and out.is_file()
    assert cli("export", "annual-report", "--format", "xlsx", "--year", "2024", "--out", tmp_path / "年报.xlsx").returncode == 0
    pdf = cli("export", "annual-report", "--format", "pdf", "--year", "2024", "--out", tmp_path / "年报.pdf")
    assert pdf.returncode == 2 and "不能导出为 pdf" in pdf.stderr
