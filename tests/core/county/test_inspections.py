"""Findings and corrections: validation, colours, the trip to the unit and back, scores, the 通报."""

import json
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from core.county import inspections
from core.county import roster
from core.county import scores
from core.errors import UserError
from core.exchange.packs import pack, unpack
from core.exchange import package_format as fmt
from tests.core.exchange.conftest import OTHER, UNIT, county, rewrite_zip, unit, unit_db  # noqa: F401

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def checked(county):  # noqa: F811
    roster.add_unit(county, UNIT, "街道", ["城东街道办事处"])
    roster.add_unit(county, OTHER, "街道")
    roster.add_unit(county, "区财政局", "部门")
    return county


def test_add_validates_every_field(checked):
    row = inspections.add_finding(checked, "城东街道办事处", "2024-04-10", "季度检查", "政策解读栏目更新不及时",
                                  "主动公开", "2", "2024-05-10")
    assert row["unit"] == UNIT and row["deduct"] == 2.0
    for args, message in (
        (("不存在的镇", "2024-04-10", "季度检查", "x"), "单位名册中没有"),
        ((UNIT, "2024-02-30", "季度检查", "x"), "不存在"),
        ((UNIT, "2024-04-10", "月度检查", "x"), "检查类型"),
        ((UNIT, "2024-04-10", "季度检查", ""), "发现的问题不能为空"),
        ((UNIT, "2024-04-10", "季度检查", "x", "", "-1"), "超出范围"),
        ((UNIT, "2024-04-10", "季度检查", "x", "", "两分"), "不是数字"),
        ((UNIT, "2024-04-10", "季度检查", "x", "", "1", "2024-04-01"), "早于检查日期"),
    ):
        with pytest.raises(UserError, match=message):
            inspections.add_finding(checked, *args)
    assert len(inspections.list_findings(checked)) == 1


def test_colours_blue_yellow_red():
    assert inspections.state_of(None, "2024-04-01", "2024-05-01", date(2024, 4, 10)) == "open"
    assert inspections.state_of(None, "2024-04-01", "2024-05-01", date(2024, 4, 20)) == "behind"
    assert inspections.state_of(None, "2024-04-01", "2024-05-01", date(2024, 5, 2)) == "overdue"
    assert inspections.state_of("2024-05-03", "2024-04-01", "2024-05-01", date(2024, 6, 1)) == "fixed"
    assert inspections.STATE_COLOURS["open"] and inspections.STATE_COLOURS["overdue"]


def test_a_finding_travels_to_its_unit_and_the_correction_comes_back(checked, unit, tmp_path):  # noqa: F811
    mine = inspections.add_finding(checked, UNIT, "2024-04-10", "季度检查", "索引号错误", "主动公开", 1, "2024-05-10")
    inspections.add_finding(checked, OTHER, "2024-04-11", "日常抽测", "栏目空白", "主动公开", 1)
    task = tmp_path / "task.zwgk"
    summary = pack(checked, checked.path, "task", task, unit=UNIT)
    assert summary["counts"]["inspections"] == 1  # only the unit's own finding
    unpack(unit, unit.path, [task])
    seen = inspections.list_findings(unit, today=date(2024, 5, 11))
    assert [(f["id"], f["overdue"]) for f in seen] == [(mine["id"], True)]
    with pytest.raises(UserError, match="只有汇总单位"):
        inspections.add_finding(unit, UNIT, "2024-04-10", "季度检查", "x")
    inspections.fix(unit, mine["id"], "2024-05-08", "已更正索引号", "http://example.gov.cn/x")
    report = tmp_path / "report.zwgk"
    pack(unit, unit.path, "report", report)
    result = unpack(checked, checked.path, [report])
    assert result["rejected"] == 0 and result["refused"] == 0
    at_county = {f["id"]: f for f in inspections.list_findings(checked, today=date(2024, 5, 11))}
    assert at_county[mine["id"]]["fixed"] == "2024-05-08" and not at_county[mine["id"]]["overdue"]
    inspections.fix(checked, mine["id"], "2024-05-20", "复查已整改")
    assert inspections.list_findings(checked, unit=UNIT)[0]["rechecked_on"] == "2024-05-20"
    # The re-check reaches the unit with its next 任务包.
    pack(checked, checked.path, "task", task, unit=UNIT)
    unpack(unit, unit.path, [task])
    assert inspections.list_findings(unit)[0]["rechecked_on"] == "2024-05-20"


def test_a_report_cannot_carry_findings_or_another_units_corrections(checked, unit, tmp_path):  # noqa: F811
    other_finding = inspections.add_finding(checked, OTHER, "2024-04-11", "日常抽测", "栏目空白")
    inspections.add_finding(checked, UNIT, "2024-04-10", "季度检查", "索引号错误")
    task = tmp_path / "task.zwgk"
    pack(checked, checked.path, "task", task, unit=UNIT)
    unpack(unit, unit.path, [task])
    report = tmp_path / "report.zwgk"
    pack(unit, unit.path, "report", report)
    forged = tmp_path / "forged.zwgk"

    def edit(data):
        tables = data["tables"]
        tables["inspections"] = [{"id": other_finding["id"], "unit": OTHER, "date": "2024-04-11", "kind": "日常抽测",
                                  "finding": "改掉", "deduct": 0, "rev": 9, "updated_at": "2099", "device": "x",
                                  "updated_by": UNIT, "deleted": 1}]
        tables["corrections"] = [{"id": "c1", "inspection_id": other_finding["id"], "unit": UNIT, "date": "2024-05-01",
                                  "note": "", "evidence": "", "rev": 1, "updated_at": "2099", "device": "x",
                                  "updated_by": UNIT, "deleted": 0}]
        return data

    _resign(unit, report, forged, edit)
    result = unpack(checked, checked.path, [forged])
    assert result["rejected"] == 2
    assert inspections.list_findings(checked, unit=OTHER)[0]["finding"] == "栏目空白"
    assert checked.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


def _resign(db, source, target, edit):
    """Rewrite a package's data and sign it again with the unit's own key (a dishonest but keyed sender)."""
    from core.exchange import signing

    pkg = fmt.read_package(source)
    data = edit(json.loads(json.dumps(pkg.data)))
    sign = signing.signer(db, signing.legacy_key_for(db, signing.COUNTY_ROLE, pkg.recipient))
    with zipfile.ZipFile(source) as z:
        ledger = z.read("ledger.xlsx") if "ledger.xlsx" in z.namelist() else b""
    fmt.write_package(target, pkg.kind, pkg.sender, pkg.recipient, pkg.manifest["created_at"], data, ledger, {}, sign)


def rules_sheet(path, rows, header=("指标", "分值", "扣分规则")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_scores_rank_with_caps_and_adjustments(checked, tmp_path):
    sheet = rules_sheet(tmp_path / "rules.xlsx", [("主动公开", 10, "发布不及时每次扣5分"), ("年报", 10, "逾期扣5分"),
                                                  ("依申请公开", 6, ""), ("其他", 74, "")])
    assert scores.load_rules(checked, sheet) == {"rules": 4, "total": 100.0}
    for day, points in (("2024-04-10", 5), ("2024-05-10", 5), ("2024-06-10", 5)):
        inspections.add_finding(checked, UNIT, day, "日常抽测", "发布不及时", "主动公开", points)
    inspections.add_finding(checked, OTHER, "2024-04-10", "季度检查", "年报要素缺失", "年报", 5)
    inspections.add_finding(checked, OTHER, "2023-04-10", "季度检查", "去年的问题", "年报", 5)
    scores.adjust(checked, "区财政局", 2024, -5, "佐证材料逾期报送")
    table = {u["name"]: u for u in scores.scores(checked, 2024)}
    assert table[UNIT]["score"] == 90  # 主动公开 loses at most its 10 points
    assert table[OTHER]["score"] == 95 and table["区财政局"]["score"] == 95
    assert table[OTHER]["rank"] == table["区财政局"]["rank"] == 1 and table[UNIT]["rank"] == 3
    assert table["区财政局"]["adjustments"][0]["reason"] == "佐证材料逾期报送"
    out = tmp_path / "score.xlsx"
    scores.write_score_xlsx(checked, out, 2024)
    ws = load_workbook(out).active
    assert ws["A1"].value == "2024年度政务公开工作考核得分表"
    assert [c.value for c in ws[3]][:7] == ["名次", "单位", "类型", "基础分", "扣分", "调整", "得分"]
    assert [ws.cell(row=r, column=7).value for r in (4, 5, 6)] == [95, 95, 90]
    assert ws.cell(row=6, column=2).value == UNIT and "发布不及时" in ws.cell(row=6, column=8).value


def test_rules_are_checked_row_by_row(checked, tmp_path):
    for rows, message in (([("主动公开", "十", "")], "第2行.*不是数字"), ([("主动公开", 10, ""), ("主动公开", 5, "")], "第3行.*重复"),
                          ([("", 10, "x")], "第2行：指标名称为空"), ([("年报", 0, "")], "0 到 100")):
        with pytest.raises(UserError, match=message):
            scores.load_rules(checked, rules_sheet(tmp_path / "r.xlsx", rows))
    with pytest.raises(UserError, match="标题行"):
        scores.load_rules(checked, rules_sheet(tmp_path / "h.xlsx", [("a", 1)], header=("名称", "数")))
    assert scores.rules(checked) == []
    assert scores.scores(checked, 2024)[0]["score"] == 100


def test_the_quarterly_notice(checked, tmp_path):
    from core.export.inspection_notice import notice_data, write_docx

    last = inspections.add_finding(checked, UNIT, "2024-02-10", "季度检查", "上季度问题甲", "主动公开", 1, "2024-03-10")
    inspections.add_finding(checked, OTHER, "2024-03-01", "季度检查", "上季度问题乙", "主动公开", 1, "2024-03-20")
    inspections.fix(checked, last["id"], "2024-03-08")
    inspections.add_finding(checked, UNIT, "2024-04-10", "季度检查", "政策解读栏目更新不及时", "主动公开", 2, "2024-05-10")
    inspections.add_finding(checked, "区财政局", "2024-05-10", "日常抽测", "预决算公开不完整", "主动公开", 1)
    data = notice_data(checked, "2024Q2", today=date(2024, 7, 1))
    assert data["units"] == ["区财政局", UNIT] and len(data["previous"]) == 2
    assert len(data["on_time"]) == 1 and len(data["not_done"]) == 1
    out = tmp_path / "通报.docx"
    info = write_docx(checked, out, "2024Q2", today=date(2024, 7, 1))
    assert info["units"] == 2 and info["ranking"] == 3
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    from lxml import etree

    body = etree.fromstring(xml.encode())
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert paragraphs[0] == "关于2024年第二季度政务公开工作检查情况的通报"
    assert any("2024年4月1日至2024年6月30日对2个单位" in p for p in paragraphs)
    assert "一、检查基本情况" in paragraphs and "（二）城东街道" in paragraphs
    assert any("上季度通报问题2个，已按期整改1个，逾期整改0个，尚未整改1个" in p for p in paragraphs)
    assert any(p.startswith("山头街道：上季度问题乙") for p in paragraphs)
    assert "四、考核得分排名" in paragraphs
    first_run = next(body.iter(f"{W}r"))
    fonts = first_run.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "方正小标宋简体" and first_run.find(f"{W}rPr/{W}sz").get(f"{W}val") == "44"
    for r in body.iter(f"{W}r"):
        assert r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
    rows = body.findall(f".//{W}tbl/{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    cells = [["".join(t.text for t in c.iter(f"{W}t")) for c in row.findall(f"{W}tc")] for row in rows]
    assert cells[0] == ["名次", "单位", "得分", "扣分"] and cells[-1][1] == UNIT
    assert "PAGE" in footer and "— " in footer
    sect = body.find(f".//{W}sectPr/{W}pgMar")
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(sect.get(f"{W}{side}")) - mm / 25.4 * 1440) < 2
    with pytest.raises(UserError, match="没有登记检查发现的问题"):
        write_docx(checked, tmp_path / "x.docx", "2023Q3")
    with pytest.raises(UserError, match="YYYYQn"):
        write_docx(checked, tmp_path / "x.docx", "2024-2")
