"""Deadlines written in the requirement when the row has none of its own."""

from datetime import date

from core.plan.deadline_text import SOURCE_REQUIREMENT, deadline_from_requirement


def test_phrases_the_due_reader_understands():
    assert deadline_from_requirement("活动计划按附件2要求于7月8日前报区政府办公室备案（本年度已开展的，仅报送情况）") == "于7月8日前报区政府办公室备案"
    assert deadline_from_requirement("开展情况于活动开展后5个工作日内报区政府办公室政务公开科备案") == "于活动开展后5个工作日内报区政府办公室政务公开科备案"
    assert deadline_from_requirement("每季度末汇总公开情况，报县政府办公室") == "每季度末汇总公开情况"
    assert deadline_from_requirement("推进网站适老化改造，6月底前完成") == "6月底前完成"
    assert deadline_from_requirement("每年3月31日前公开上年度逾期未支付款项信息") == "每年3月31日前公开上年度逾期未支付款项信息"
    assert deadline_from_requirement("决策文件出台后的10个工作日内，公开意见采纳情况") == "决策文件出台后的10个工作日内"


def test_text_without_a_date_gives_nothing():
    for text in ("集成式公开招商引资政策文件并做好宣传解读", "每年至少开展2次专题性政策评价工作",
                 "常态化开展政策评价", "按照《条例》（国办发〔2021〕3号）要求公开", "不少于30日"):
        assert deadline_from_requirement(text) == "", text


def test_the_sample_plan_task_gets_its_date_and_the_overview_warns(town_db, samples):
    from core.ledger import overview
    from core.calendar.deadlines import next_due, parse_deadline
    from core.plan import read_plan
    from core.plan.plan_import import import_plan

    plan = read_plan(samples / "boshan-2024-plan.docx")
    task = next(t for t in plan.tasks if t.seq == "45")
    assert task.deadline == "" and task.implied_deadline == "于7月8日前报区政府办公室政务公开科备案"
    assert next_due(parse_deadline(task.implied_deadline, plan_year=2024), date(2024, 7, 1)) == date(2024, 7, 8)
    assert task.as_json()["deadline_from_requirement"] == task.implied_deadline and task.as_json()["deadline"] == ""

    import_plan(town_db, plan)
    stored = town_db.execute("SELECT deadline, deadline_source FROM tasks WHERE seq = '45' AND deleted = 0").fetchone()
    assert stored == ("于7月8日前报区政府办公室政务公开科备案", SOURCE_REQUIREMENT)
    soon = overview.attention(town_db, year=2024, today=date(2024, 7, 3))["soon"]
    assert [(i["seq"], i["due"]) for i in soon if i["seq"] == "45"] == [("45", "2024-07-08")]
    late = overview.attention(town_db, year=2024, today=date(2024, 7, 9))["overdue"]
    assert "45" in [i["seq"] for i in late]
    assert "项任务将在 3 个工作日内到期" in overview.notice(town_db, today=date(2024, 7, 5), year=2024)


def test_the_ledger_says_where_the_deadline_came_from(town_db, samples):
    from core import ledger
    from core.plan import read_plan
    from core.plan.plan_import import import_plan

    import_plan(town_db, read_plan(samples / "boshan-2024-plan.docx"))
    entries = {e["seq"]: e for e in ledger.list_entries(town_db, year=2024, today=date(2024, 7, 1))}
    ids = ledger.query_ids(town_db, {"year": 2024})
    rows = ledger.fetch_rows(town_db, ids, today=date(2024, 7, 1))
    by_seq = {r["seq"]: r for r in rows.values()}
    assert by_seq["45"]["deadline_source"] == SOURCE_REQUIREMENT and by_seq["45"]["due"] == "2024-07-08"
    assert by_seq["1"]["deadline_source"] == "" and by_seq["1"]["due"] is None
    assert entries["45"]["deadline_source"] == SOURCE_REQUIREMENT and entries["45"]["due"] == "2024-07-08"


def test_reimporting_the_same_plan_changes_nothing(town_db, samples):
    from core.plan.plan_import import import_plan

    import_plan(town_db, samples / "boshan-2024-plan.docx")
    again = import_plan(town_db, samples / "boshan-2024-plan.docx")
    assert again["added"] == again["changed"] == again["removed"] == 0
