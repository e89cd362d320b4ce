"""时限要求 → clauses and due dates: every phrasing of DOMAIN.md, the samples and the reference plans."""

from datetime import date

import pytest

from core.calendar import deadlines
from core.calendar.deadlines import clause_due, next_due, parse_deadline
from core.errors import UserError

D = date.fromisoformat


def kinds(text, **kw):
    return [c.kind for c in parse_deadline(text, **kw)]


# (cell, plan year, expected [(kind, due)]) — due for fixed: the date; for event: from 2026-09-25
EVENT = D("2026-09-25")
CASES = [
    # fixed (DOMAIN.md)
    ("2023年年底前完成", 2023, [("fixed", "2023-12-31")]),
    ("2023年12月底前完成", 2023, [("fixed", "2023-12-31")]),
    ("2023年10月底前完成相关工作", 2023, [("fixed", "2023-10-31")]),
    ("6月底前", 2024, [("fixed", "2024-06-30")]),
    ("7月8日前", 2024, [("fixed", "2024-07-08")]),
    ("2022年8月底前", 2022, [("fixed", "2022-08-31")]),
    ("年底前", 2022, [("fixed", "2022-12-31")]),
    ("10月底前", 2024, [("fixed", "2024-10-31")]),
    ("2月底前", 2024, [("fixed", "2024-02-29")]),
    ("2023年底前将政策评价结果和运用情况向社会公开", 2023, [("fixed", "2023-12-31")]),
    ("2022 年年底前基本改造完成", 2022, [("fixed", "2022-12-31")]),
    ("各部门单位政府开放活动计划安排按附件2要求于7月8日前报区政府办公室政务公开科备案", 2024, [("fixed", "2024-07-08")]),
    ("各镇，各部门、单位工作台账于 5 月 31 日（星期二）前报区管委会办公室", 2022, [("fixed", "2022-05-31")]),
    ("印发通知,督促相关职能部门5月底全部公开到位", 2022, [("fixed", "2022-05-31")]),
    ("十月底前", 2024, [("fixed", "2024-10-31")]),
    ("十二月三十一日前", 2024, [("fixed", "2024-12-31")]),
    ("第三季度末", 2024, [("fixed", "2024-09-30")]),
    ("上半年", 2024, [("fixed", "2024-06-30")]),
    ("11月中旬", 2024, [("fixed", "2024-11-20")]),
    ("6月1日至6月30日", 2024, [("fixed", "2024-06-30")]),
    ("年内至少组织一次培训", 2024, [("fixed", "2024-12-31")]),
    # yearly
    ("每年3月31日前依法公开上年度逾期尚未支付中小企业款项的合同数量、金额等信息", 2023, [("yearly", "2023-03-31")]),
    ("每年年底前", 2022, [("yearly", "2022-12-31")]),
    ("每年1月31日前", 2024, [("yearly", "2024-01-31")]),
    # plan-relative
    ("本方案发布之日起20个工作日内", 2024, [("plan", "2024-07-22")]),
    ("本方案印发之日起二十个工作日内报送", 2024, [("plan", "2024-07-22")]),
    ("本通知印发后10日内", 2024, [("plan", "2024-07-04")]),
    # event-relative
    ("信息形成或变更之日起20个工作日内公开", 2024, [("event", "2026-10-29")]),
    ("信息形成或者变更之日起 20 个工作 日内公开", 2022, [("event", "2026-10-29")]),
    ("处罚结果作出后7个工作日内", 2024, [("event", "2026-10-12")]),
    ("决策文件出台后的10个工作日内", 2023, [("event", "2026-10-15")]),
    ("文件公开后3个工作日内", 2022, [("event", "2026-09-30")]),
    ("活动开展后5个工作日内", 2024, [("event", "2026-10-09")]),
    ("各部门单位政府开放活动开展情况于活动开展后5个工作日内报区政府办公室政务公开科备案", 2024, [("event", "2026-10-09")]),
    ("信息形成之日起十个工作日内", 2024, [("event", "2026-10-15")]),
    ("收到申请之日起15日内", 2024, [("event", "2026-10-10")]),
    ("收到申请之日起十五日内予以答复", 2024, [("event", "2026-10-10")]),
    ("事件发生后3天内", 2024, [("event", "2026-09-28")]),
    ("批复后1个月内", 2024, [("event", "2026-10-25")]),
    ("20个工作日内", 2024, [("event", "2026-10-29")]),
    ("舆情发生后24小时内回应", 2024, [("event", "2026-09-26")]),
    ("会议召开后2个工作日内公开", 2024, [("event", "2026-09-29")]),
    ("2024年6月底前完成目录编制，12月底前全面落实", 2024, [("fixed", "2024-06-30"), ("fixed", "2024-12-31")]),
    ("9月底前完成，之后动态更新", 2024, [("fixed", "2024-09-30"), ("standing", None)]),
    ("2024年7月至9月", 2024, [("fixed", "2024-09-30")]),
    ("本方案印发后一个月内", 2024, [("plan", "2024-07-24")]),
    # standing and periods
    ("长期坚持", 2022, [("standing", None)]),
    ("长期公开", 2022, [("standing", None)]),
    ("长期公示", 2022, [("standing", None)]),
    ("持续推进", 2024, [("standing", None)]),
    ("及时公开", 2024, [("standing", None)]),
    ("动态调整", 2022, [("standing", None)]),
    ("定期公开", 2024, [("standing", None)]),
    ("常态化开展", 2024, [("standing", None)]),
    ("按季度检查相关职能部门检查结果信息公开情况", 2022, [("standing", None)]),
    ("疫情防控期间", 2022, [("period", None)]),
    ("即时公开", 2024, [("standing", None)]),
    ("贯穿全年", 2024, [("standing", None)]),
    ("每月10日前", 2024, [("standing", None)]),
    ("2024年全年", 2024, [("fixed", "2024-12-31")]),
    ("自信息形成或者变更之日起二十个工作日内予以公开", 2024, [("event", "2026-10-29")]),
    ("截至2024年12月31日", 2024, [("fixed", "2024-12-31")]),
    ("于每年1月31日前公布上一年度政府信息公开工作年度报告", 2024, [("yearly", "2024-01-31")]),
    ("2023年2月29日前", 2023, [("unparsed", None)]),
    ("2024年2月29日前", 2024, [("fixed", "2024-02-29")]),
    ("十一月底前", 2024, [("fixed", "2024-11-30")]),
    # several clauses in one cell
    ("信息形成或者变更之日起 20 个工作日内公开，行政处罚信 息于处罚结果作出后 7 个工作 日内公开", 2022,
     [("event", "2026-10-29"), ("event", "2026-10-12")]),
    ("长期落实推动校务公开工作，2022年8月底前区地方事业局明确并通过政网站向社会公开适用主体清单，归集展示相关信息", 2022,
     [("standing", None), ("fixed", "2022-08-31")]),
    ("各类保险参保人数、待遇支付、基金收支情况等信息定期公开，医保定点医院、药店及药品、诊疗项目目录等一次性发布，动态调整", 2022,
     [("standing", None), ("standing", None), ("standing", None)]),
    ("对行政机关规范性文件以及行政机关制发的对群众和企业权益产生影响的政策文件首次解读材料应于文件公开后3个工作日内公开，"
     "根据实际情况，适时开展政策施行后跟踪解读", 2022, [("event", "2026-09-30"), ("standing", None)]),
    ("行政机关应当对申请人的申请自收到申请之日起20个工作日内予以答复。需要延长答复期限的，应当经政府信息公开机构负责人同意"
     "并告知申请人，延长的期限最长不得超过10个工作日", 2022, [("event", "2026-10-29"), ("unparsed", None)]),
    ("6月底前；长期坚持", 2022, [("fixed", "2022-06-30"), ("standing", None)]),
    # unparsed
    ("重大行政决策向社会公开征求意见的，征求意见期限不少于30日", 2022, [("unparsed", None)]),
    ("年初主动向社会公开", 2023, [("unparsed", None)]),
    ("按上级部署", 2023, [("unparsed", None)]),
    ("2月30日前", 2024, [("unparsed", None)]),
    ("13月底前", 2024, [("unparsed", None)]),
]


@pytest.mark.parametrize("text, year, expected", CASES)
def test_phrasings(text, year, expected):
    clauses = parse_deadline(text, plan_year=year, plan_issued=D(f"{year}-06-24") if year == 2024 else None)
    assert [c.kind for c in clauses] == [k for k, _ in expected], clauses
    for clause, (_, due) in zip(clauses, expected):
        got = clause_due(clause, event_date=EVENT, year=year)
        if clause.kind == "plan" and clause.start is None:
            got = clause_due(clause, event_date=D(f"{year}-06-24"))
        assert (got.isoformat() if got else None) == due, clause


def test_event_words():
    first, second = parse_deadline("信息形成或变更之日起20个工作日内公开，行政处罚信息于处罚结果作出后7个工作日内公开")
    assert (first.event, first.count, first.unit) == ("信息形成或变更", 20, "workday")
    assert (second.event, second.subject, second.count) == ("处罚结果作出", "行政处罚信息", 7)
    assert "处罚结果作出后7个工作日内" in second.describe()


def test_unparsed_keeps_text_and_reason():
    [c] = parse_deadline("2月30日前", plan_year=2024)
    assert c.kind == "unparsed" and c.text == "2月30日前" and "不存在" in c.note
    [c] = parse_deadline("按上级部署")
    assert c.text == "按上级部署" and c.note
    [c] = parse_deadline(" 按 上级 部署 ")
    assert c.text == "按 上级 部署"


@pytest.mark.parametrize("text", ["2月30日前", "2024年4月31日前", "13月底前", "1800年底前", "每年2月30日前"])
def test_impossible_dates_typed_by_a_user(text):
    with pytest.raises(UserError):
        parse_deadline(text, plan_year=2024, strict=True)


def test_year_defaults():
    [c] = parse_deadline("6月底前")
    assert c.year is None and clause_due(c) is None
    assert clause_due(c, year=2025) == D("2025-06-30")
    [c] = parse_deadline("6月底前", plan_issued=D("2023-07-13"))
    assert c.year == 2023 and not c.year_written
    [c] = parse_deadline("2022年6月底前", plan_year=2024)
    assert c.year == 2022 and c.year_written


def test_plan_clause_counts_from_issue_date():
    [c] = parse_deadline("本方案发布之日起20个工作日内", plan_issued=D("2026-09-25"))
    assert c.kind == "plan" and clause_due(c) == D("2026-10-29")
    [c] = parse_deadline("本方案发布之日起20个工作日内")
    assert clause_due(c) is None and c.note


def test_next_due():
    clauses = parse_deadline("信息形成或变更之日起20个工作日内公开，行政处罚信息于处罚结果作出后7个工作日内公开")
    assert next_due(clauses, D("2026-09-01")) is None
    events = [D("2026-09-25"), {"date": "2026-02-06", "done_on": "2026-02-10"}, {"date": "2026-09-28"}]
    assert next_due(clauses, D("2026-09-26"), events=events) == D("2026-10-12")
    yearly = parse_deadline("每年3月31日前")
    assert next_due(yearly, D("2026-04-01")) == D("2027-03-31")
    assert next_due(yearly, D("2026-03-31")) == D("2026-03-31")
    assert next_due(yearly, D("2026-04-01"), year=2026) == D("2026-03-31")
    mixed = parse_deadline("6月底前，长期坚持", plan_year=2024)
    assert next_due(mixed, D("2024-01-01")) == D("2024-06-30")
    assert next_due(parse_deadline("长期坚持"), D("2024-01-01")) is None


def test_estimated_due_outside_known_years():
    [c] = parse_deadline("信息形成之日起20个工作日内")
    due = clause_due(c, event_date=D("2027-02-01"))
    assert due == D("2027-03-01") and due.estimated


@pytest.mark.parametrize("text, value", [("二十", 20), ("十", 10), ("十五", 15), ("三十", 30), ("一百", 100),
                                          ("二〇二三", 2023), ("两", 2), ("七", 7)])
def test_cn_number(text, value):
    assert deadlines.cn_number(text) == value


def test_to_dict_is_json_ready():
    import json

    [c] = parse_deadline("本方案发布之日起20个工作日内", plan_issued=D("2024-06-24"))
    assert json.loads(json.dumps(c.to_dict()))["start"] == "2024-06-24"


def test_empty_cell():
    assert parse_deadline("") == [] and parse_deadline("  ") == []
