"""Workbooks: title rows, merged ranges, several sheets, hidden rows/columns, numbers as 1.0."""

from core.plan import read_plan

L, U = "<", "^"


def test_title_row_sheets_hidden_and_number_forms(tmp_path, build, rows):
    tasks = [
        ["2024年测试县政务公开重点任务分解表", L, L, L, L, L],
        ["序号", "工作任务", L, "工作要求", "责任单位", "完成时限"],
        [1, "深化公开", "决策公开", "公开决策草案", "县政府办公室", "长期坚持"],
        [2.0, U, U, "公开意见采纳情况", U, U],
        ["3", U, "执行公开", "已删除的任务", "县发改局", ""],
        ["4", U, U, "公开执行情况", "各镇", None],
    ]
    notes = [["说明"], ["本表供参考"]]
    path = build.xlsx(tmp_path / "t.xlsx", {"说明": notes, "任务分解表": tasks}, hidden_rows=[5])
    plan = read_plan(path)
    assert rows(plan) == [
        ("1", ["深化公开", "决策公开"], "公开决策草案", "县政府办公室", "长期坚持"),
        ("2", ["深化公开", "决策公开"], "公开意见采纳情况", "县政府办公室", "长期坚持"),
        ("4", ["深化公开", "执行公开"], "公开执行情况", "各镇", ""),
    ]
    assert plan.title == "2024年测试县政务公开重点任务分解表" and plan.year == 2024


def test_hidden_column_is_dropped(tmp_path, build, rows):
    spec = [["序号", "工作任务", "内部编号", "工作要求", "责任单位"], [1, "公开", "X-1", "做好公开", "各镇"]]
    path = build.xlsx(tmp_path / "h.xlsx", {"Sheet1": spec}, hidden_cols=["C"])
    assert rows(read_plan(path)) == [("1", ["公开"], "做好公开", "各镇", "")]


def test_blank_units_filled_down(tmp_path, build):
    spec = [["序号", "工作任务", "工作要求", "责任单位"], [1, "公开", "甲", "各镇"], [2, None, "乙", None]]
    plan = read_plan(build.xlsx(tmp_path / "f.xlsx", {"Sheet1": spec}))
    assert plan.tasks[1].units == "各镇" and plan.tasks[1].filled == ["category", "units"]
