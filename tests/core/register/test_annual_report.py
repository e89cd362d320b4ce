"""年度报告: table 三/四 from a register spanning two years against a hand count, the identities,
and every check rule planted."""

import copy
import json
from datetime import date

import pytest

from core.register import annual_report as ar
from core.register import requests
from core.errors import UserError

TODAY = date(2026, 6, 1)

# (received, applicant, replied, result) — a register over 2023..2025, counted by hand below.
REGISTER = [
    ("2023-03-01", "自然人", "2023-03-10", "1"),
    ("2023-11-20", "自然人", "2024-01-05", "2"),         # carried 2023 → 2024
    ("2023-12-28", "商业企业", None, None),               # carried 2023 → 2024 → 2025 (unanswered)
    ("2024-01-02", "自然人", "2024-01-20", "1"),
    ("2024-02-20", "自然人", "2024-03-01", "3.4"),
    ("2024-05-06", "科研机构", "2024-05-20", "4.1"),
    ("2024-06-03", "社会公益组织", "2024-06-20", "5.2"),
    ("2024-07-01", "法律服务机构", "2024-07-10", "1"),
    ("2024-08-01", "其他", "2024-08-20", "6.3"),
    ("2024-12-20", "商业企业", "2025-01-10", "2"),        # carried 2024 → 2025
    ("2024-12-30", "自然人", None, None),                 # carried 2024 → 2025 (unanswered)
    ("2025-02-10", "自然人", "2025-02-20", "1"),
]


def build(db):
    ids = []
    for received, applicant, replied, result in REGISTER:
        item, _ = requests.add(db, {"received": received, "channel": "网络", "applicant": applicant, "content": "x"}, today=TODAY)
        if replied:
            requests.update(db, item["id"], {"replied": replied, "result": result}, today=TODAY)
        ids.append(item["id"])
    return ids


def rows(data):
    return {r["code"]: r["values"] for r in data["table3"]["rows"]}


def col(applicant):
    return ar.COLUMNS.index(applicant)


def test_table3_for_2024_equals_the_hand_count(town_db):
    build(town_db)
    t = rows(ar.report_data(town_db, 2024))
    assert t["new"] == [3, 1, 1, 1, 1, 1, 8]          # eight received in 2024
    assert t["carried"] == [1, 1, 0, 0, 0, 0, 2]      # 2023-11-20 and 2023-12-28
    assert t["1"] == [1, 0, 0, 0, 1, 0, 2]
    assert t["2"] == [1, 0, 0, 0, 0, 0, 1]            # the carried one replied in 2024
    assert t["3.4"][col("自然人")] == 1 and t["4.1"][col("科研机构")] == 1
    assert t["5.2"][col("社会公益组织")] == 1 and t["6.3"][col("其他")] == 1
    assert t["total"] == [3, 0, 1, 1, 1, 1, 7]
    assert t["carry_next"] == [1, 2, 0, 0, 0, 0, 3]   # 2023-12-28, 2024-12-20, 2024-12-30


def test_carry_over_links_the_years_and_identities_hold(town_db):
    build(town_db)
    for year in (2023, 2024, 2025):
        data = ar.report_data(town_db, year)
        t = rows(data)
        assert [p for p in ar.check(data, None) if p["rule"].startswith("t3")] == []
        for i in range(7):
            assert t["new"][i] + t["carried"][i] == t["total"][i] + t["carry_next"][i]
    assert rows(ar.report_data(town_db, 2025))["carried"] == rows(ar.report_data(town_db, 2024))["carry_next"]
    assert rows(ar.report_data(town_db, 2025))["carry_next"] == [1, 1, 0, 0, 0, 0, 2]


def test_every_row_code_and_label(town_db):
    data = ar.report_data(town_db, 2024)
    codes = [r["code"] for r in data["table3"]["rows"]]
    assert codes == ["new", "carried", "1", "2", *(f"3.{i}" for i in range(1, 9)), "4.1", "4.2", "4.3",
                     *(f"5.{i}" for i in range(1, 6)), "6.1", "6.2", "6.3", "total", "carry_next"]
    assert len(codes) == 25
    assert data["table3"]["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_table4_counts_each_appeal_in_its_own_block(town_db):
    ids = build(town_db)
    requests.add_appeal(town_db, ids[3], "复议", "维持")
    requests.add_appeal(town_db, ids[4], "复议", "纠正")
    requests.add_appeal(town_db, ids[4], "复议后诉讼", "未审结")
    requests.add_appeal(town_db, ids[5], "诉讼", "其他")
    requests.add_appeal(town_db, ids[6], "诉讼", "维持", "2025-02-01")
    t4 = ar.report_data(town_db, 2024)["table4"]
    assert t4 == {"复议": [1, 1, 0, 0, 2], "诉讼": [0, 0, 1, 0, 1], "复议后诉讼": [0, 0, 0, 1, 1]}
    assert ar.report_data(town_db, 2025)["table4"]["诉讼"] == [1, 0, 0, 0, 1]


def test_set_refuses_negative_unknown_and_text_for_a_count(town_db):
    with pytest.raises(UserError, match="负数"):
        ar.set_value(town_db, 2024, "t2.行政许可", "-1")
    with pytest.raises(UserError, match="没有名为"):
        ar.set_value(town_db, 2024, "t2.政府集中采购", "1")
    with pytest.raises(UserError, match="不是数字"):
        ar.set_value(town_db, 2024, "t2.行政处罚", "/")
    assert ar.typed_values(town_db, "城东街道", 2024) == {}


def test_set_reads_a_file_and_overwrites(town_db, tmp_path):
    f = tmp_path / "s1.txt"
    f.write_bytes("本年度，我街道\r\n认真落实。".encode("gb18030"))
    assert ar.set_value(town_db, 2024, "section1", f"@{f}") == "本年度，我街道\n认真落实。"
    ar.set_value(town_db, 2024, "t2.收费", "1.5")
    ar.set_value(town_db, 2024, "t2.收费", "2.25")
    assert ar.report_data(town_db, 2024)["table2"]["收费"] == 2.25
    assert town_db.execute("SELECT count(*) FROM report_values WHERE key = 't2.收费'").fetchone()[0] == 1


def test_last_years_valid_count_is_carried_forward(town_db):
    ar.set_value(town_db, 2023, "t2.规范性文件.现行有效", "12")
    ar.set_value(town_db, 2024, "t2.规范性文件.制发", "3")
    ar.set_value(town_db, 2024, "t2.规范性文件.废止", "1")
    t2 = ar.report_data(town_db, 2024)["table2"]
    assert t2["规范性文件"]["现行有效"] == 14
    assert "t2.规范性文件.现行有效" in t2["carried_forward"]


def complete(db, year=2024):
    for key, (kind, _) in ar.KEYS.items():
        if kind != "text":
            ar.set_value(db, year, key, "0")
    ar.set_value(db, year, "section1", f"{year}年总体情况良好。")
    ar.set_value(db, year, "section5", f"{year}年存在的问题是人员兼职，改进措施是加强培训。")
    ar.set_value(db, year, "section6", "无其他需要报告的事项。")


def rules(found):
    return {p["rule"] for p in found}


def test_a_complete_consistent_report_has_no_problem(town_db):
    build(town_db)
    complete(town_db, 2023)
    complete(town_db, 2024)
    assert ar.problems(town_db, 2024) == []


def test_missing_figures_and_sections_are_listed_as_missing(town_db):
    found = ar.problems(town_db, 2024)
    assert {p["level"] for p in found} == {"missing"}
    assert {"blank", "section.missing"} == rules(found)
    assert len([p for p in found if p["rule"] == "blank"]) == 10


def base_data(db):
    build(db)
    complete(db, 2024)
    return ar.report_data(db, 2024)


def plant(data, code, index, delta):
    out = copy.deepcopy(data)
    for row in out["table3"]["rows"]:
        if row["code"] == code:
            row["values"][index] += delta
    return out


def test_planted_balance_total_and_column_total(town_db):
    data = base_data(town_db)
    assert ar.check(data, None) == []
    # one more 予以公开 for 自然人, total column kept: 总计 ≠ result rows, column ≠ sum of six, balance broken
    wrong = plant(data, "1", 0, 1)
    assert rules(ar.check(wrong, None)) == {"t3.total", "t3.column_total"}
    # new and its 总计 raised together: only the balance fails
    wrong = plant(plant(data, "new", 1, 2), "new", 6, 2)
    found = ar.check(wrong, None)
    assert rules(found) == {"t3.balance"} and {p["where"] for p in found} == {"表三 商业企业", "表三 总计"}


def test_planted_table4_block_total(town_db):
    data = base_data(town_db)
    data["table4"]["诉讼"] = [1, 0, 0, 0, 2]
    found = ar.check(data, None)
    assert rules(found) == {"t4.total"} and "行政诉讼（未经复议直接起诉）" in found[0]["text"]


def test_planted_carry_over_against_last_years_published_report(town_db):
    build(town_db)
    complete(town_db, 2023)
    complete(town_db, 2024)
    ar.keep_snapshot(town_db, ar.report_data(town_db, 2023))   # 2023 published
    assert ar.problems(town_db, 2024) == []
    # a 2023 application registered after the 2023 report was published
    requests.add(town_db, {"received": "2023-12-29", "channel": "邮寄", "applicant": "自然人", "content": "y"}, today=TODAY)
    found = [p for p in ar.problems(town_db, 2024) if p["rule"] == "t3.carried"]
    assert {p["where"] for p in found} == {"表三 二、上年结转 自然人", "表三 二、上年结转 总计"}


def test_planted_valid_count_against_last_year(town_db):
    complete(town_db, 2023)
    complete(town_db, 2024)
    ar.set_value(town_db, 2023, "t2.规章.现行有效", "5")
    ar.set_value(town_db, 2024, "t2.规章.制发", "2")
    ar.set_value(town_db, 2024, "t2.规章.现行有效", "6")
    found = [p for p in ar.problems(town_db, 2024) if p["rule"] == "t2.valid"]
    assert len(found) == 1 and "5 + 本年制发 2 − 本年废止 0 = 7" in found[0]["text"]
    ar.set_value(town_db, 2024, "t2.规章.现行有效", "7")
    assert not [p for p in ar.problems(town_db, 2024) if p["rule"] == "t2.valid"]


def test_planted_fees_without_section6(town_db):
    complete(town_db, 2024)
    item, _ = requests.add(town_db, {"received": "2024-03-01", "channel": "网络", "applicant": "自然人", "content": "x"})
    requests.update(town_db, item["id"], {"replied": "2024-03-10", "result": "1", "fee": "100"})
    assert "fees.section6" in rules(ar.problems(town_db, 2024))
    ar.set_value(town_db, 2024, "section6", "本年收取信息处理费100元。")
    assert "fees.section6" not in rules(ar.problems(town_db, 2024))


@pytest.mark.parametrize("text, rule, level", [("", "section.missing", "missing"), ("无", "section5.none", "error"), ("无。", "section5.none", "error")])
def test_planted_section5_empty_or_none(town_db, text, rule, level):
    complete(town_db, 2024)
    ar.set_value(town_db, 2024, "section5", text)
    found = ar.problems(town_db, 2024)
    assert [(p["rule"], p["level"]) for p in found] == [(rule, level)]


def test_planted_blank_cell_from_a_package(town_db):
    complete(town_db, 2024)
    town_db.execute("UPDATE report_values SET value = '/' WHERE key = 't2.行政强制'")
    found = ar.problems(town_db, 2024)
    assert [(p["rule"], p["level"]) for p in found] == [("blank", "error")] and "“/”" in found[0]["text"]


def test_planted_text_identical_to_last_year(town_db):
    complete(town_db, 2023)
    complete(town_db, 2024)
    ar.set_value(town_db, 2024, "section1", "2023年总体情况良好。")
    found = ar.problems(town_db, 2024)
    assert [(p["rule"], p["where"]) for p in found] == [("copied", "一、总体情况")]


def test_county_sums_three_units(db):
    from core import records, settings

    settings.set_profile(db, "博山区政府办公室", "县政府办公室", "汇总单位")
    expected = [0] * 7
    for n, unit in enumerate(("城东街道", "城西街道", "山头街道"), start=1):
        for i in range(n):
            records.insert(db, "requests", {"unit": unit, "year": 2024, "seq": i + 1, "no": f"2024-{i + 1:03d}",
                                            "received": "2024-03-01", "channel": "网络",
                                            "applicant": ar.APPLICANTS[i], "content": "x", "replied": "2024-03-05",
                                            "result": "1"})
            expected[i] += 1
        ar.set_value(db, 2024, "t2.行政许可", str(10 * n), unit=unit)
    data = ar.county_data(db, 2024)
    expected[-1] = sum(expected)
    assert rows(data)["new"] == expected == [3, 2, 1, 0, 0, 0, 6]
    assert rows(data)["1"] == expected
    assert data["table2"]["行政许可"] == 60
    assert [u["name"] for u in data["units"]] == ["城东街道", "城西街道", "山头街道"]
    assert all(u["problems"] > 0 for u in data["units"])
    json.dumps(data, ensure_ascii=False)


def test_draft_sections_from_the_ledger_and_register(town_db):
    build(town_db)
    drafts = ar.draft_sections(town_db, 2024)
    assert "新收政府信息公开申请 8 件" in drafts["section1"] and "结转下年度继续办理 3 件" in drafts["section1"]
    assert drafts["section5"].startswith("存在的主要问题")
