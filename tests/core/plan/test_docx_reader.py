"""Task tables of many shapes, generated with python-docx."""

from core.plan import read_plan
from core.plan.docx_reader import read_docx_blocks

L, U = "<", "^"


def test_lead_and_helper_columns_and_separate_deadline(tmp_path, build, rows):
    spec = [
        ["序号", "工作任务", "具体任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "政策公开", "做好政策文件公开", "县政府办公室", "各镇", "2024年6月底前"],
        ["2", U, "做好政策解读", "县司法局", "", "长期坚持"],
        ["3", U, "开展政策评价", "", "县财政局", "每年年底前"],
    ]
    plan = read_plan(build.docx(tmp_path / "a.docx", build.notice + [spec]))
    assert rows(plan) == [
        ("1", ["政策公开"], "做好政策文件公开", "县政府办公室牵头，各镇配合", "2024年6月底前"),
        ("2", ["政策公开"], "做好政策解读", "县司法局", "长期坚持"),
        ("3", ["政策公开"], "开展政策评价", "县司法局牵头，县财政局配合", "每年年底前"),
    ]
    assert plan.tasks[2].filled == ["units"]
    assert plan.tasks[0].filled == [] and plan.tasks[1].filled == []


def test_three_header_rows_two_levels_and_sub_units(tmp_path, build, rows):
    spec = [
        ["2024年重点工作任务分解表", L, L, L, L, L, L],
        ["序号", "工作任务", L, "工作要求", "责任单位", L, "时限要求"],
        [U, "一级任务", "二级任务", U, "牵头单位", "配合单位", U],
        ["1", "深化公开", "决策公开", "公开决策草案", "县政府办公室", "各部门", "长期坚持"],
        ["2", U, U, "公开意见采纳情况", "县发改局", "", "决策作出后20个工作日内"],
        ["3", U, "执行公开", "公开执行情况", "各镇", "", ""],
        ["4", "平台建设", L, "优化政府网站", "县大数据中心", "", "2024年年底前"],
    ]
    plan = read_plan(build.docx(tmp_path / "b.docx", build.notice + [spec]))
    assert rows(plan) == [
        ("1", ["深化公开", "决策公开"], "公开决策草案", "县政府办公室牵头，各部门配合", "长期坚持"),
        ("2", ["深化公开", "决策公开"], "公开意见采纳情况", "县发改局", "决策作出后20个工作日内"),
        ("3", ["深化公开", "执行公开"], "公开执行情况", "各镇", ""),
        ("4", ["平台建设"], "优化政府网站", "县大数据中心", "2024年年底前"),
    ]


def test_table_split_over_five_pages(tmp_path, build, rows):
    header = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
    parts = list(build.notice) + ["附件1", "2024年重点工作任务分解表"]
    expected = []
    seq = 0
    for page in range(5):
        spec = [header]
        category = "深化政务公开" if page < 3 else "加强平台建设"
        for line in range(4):
            seq += 1
            cell = category if line == 0 else U
            spec.append([str(seq), cell, f"第{seq}项工作要求", f"单位{seq}", "长期坚持" if line == 0 else ""])
            expected.append((str(seq), [category], f"第{seq}项工作要求", f"单位{seq}", "长期坚持"))
        parts += [spec, "PAGE"]
    plan = read_plan(build.docx(tmp_path / "c.docx", parts))
    assert rows(plan) == expected
    assert "deadline" in plan.tasks[1].filled


def test_vertical_merges_of_units_and_deadline(tmp_path, build, rows):
    spec = [
        ["序号", "重点任务", "工作内容", "责任部门", "完成时间"],
        ["1", "公开", "甲", "县教育局、县卫健局", "2024年9月底前"],
        ["2", U, "乙", U, U],
        ["3", U, "丙", U, U],
        ["4", U, "丁", "县民政局", U],
        ["5", U, "戊", U, "长期"],
    ]
    plan = read_plan(build.docx(tmp_path / "d.docx", build.notice + [spec]))
    assert [(t.units, t.deadline) for t in plan.tasks] == [
        ("县教育局、县卫健局", "2024年9月底前")] * 3 + [("县民政局", "2024年9月底前"), ("县民政局", "长期")]
    assert all(t.filled == [] for t in plan.tasks)


def test_form_table_after_task_table_is_ignored(tmp_path, build, rows):
    task = [["序号", "工作任务", "工作要求", "责任单位"], ["1", "公开", "做好公开", "各镇"]]
    form = [
        ["活动主题", "", L, L],
        ["开展时间", "", "开展地点", ""],
        ["活动内容", "", L, L],
        ["联系人", "", "联系方式", ""],
    ]
    ledger = [["序号", "工作任务", "工作举措", "时限要求", "单位分管领导", "责任科室"], ["1", "甲", "乙", "丙", "", ""]]
    parts = build.notice + [task, "附件2", "政府开放活动计划安排报送表", "单位名称：", form, "附件3", ledger]
    plan = read_plan(build.docx(tmp_path / "e.docx", parts))
    assert rows(plan) == [("1", ["公开"], "做好公开", "各镇", "")]


def test_pdf_damage_is_repaired(tmp_path, build, rows):
    spec = [
        ["序号", "工作任务", L, "工作要求", "责任单位", "时限要求"],
        ["1", "紧扣 经济 发展 大局", "加强推动 高质量发", "加强房地产 市场监管\n信息公开", "区城乡\n建设局", "长期公开"],
        ["2", "", "展信息公 开", "抓好减税降费 信息公开", "区财政局", ""],
        ["3", "深化 公开", "加强重大 战略实施 信息公开", "做好规划公开", "区经济发展局", "长期坚持"],
        ["4", "紧扣 经济 发展 大局 深化 公开", "加强重大 战略实施 信息公开", "推进科技创新信息公开", "区经济发展局", ""],
    ]
    plan = read_plan(build.docx(tmp_path / "f.docx", build.notice + [spec]))
    level1 = "紧扣经济发展大局深化公开"
    assert rows(plan) == [
        ("1", [level1, "加强推动高质量发展信息公开"], "加强房地产市场监管信息公开", "区城乡建设局", "长期公开"),
        ("2", [level1, "加强推动高质量发展信息公开"], "抓好减税降费信息公开", "区财政局", "长期公开"),
        ("3", [level1, "加强重大战略实施信息公开"], "做好规划公开", "区经济发展局", "长期坚持"),
        ("4", [level1, "加强重大战略实施信息公开"], "推进科技创新信息公开", "区经济发展局", "长期坚持"),
    ]


def test_numbered_row_without_requirement_is_skipped_with_warning(tmp_path, build, rows):
    spec = [["序号", "工作任务", "工作要求", "责任单位"], ["1", "公开", "做好公开", "各镇"], ["2", U, "", ""],
            ["3", U, "做好解读", "各部门"]]
    plan = read_plan(build.docx(tmp_path / "g.docx", build.notice + [spec]))
    assert [t.seq for t in plan.tasks] == ["1", "3"]
    assert len(plan.warnings) == 1 and "序号2" in plan.warnings[0]


def test_section_rows_and_restarting_numbers(tmp_path, build, rows):
    spec = [
        ["序号", "工作任务", "责任单位", "完成时限"],
        ["（一）以公开助推重点工作", L, L, L],
        ["1", "做好就业信息公开", "县人社局", "长期坚持"],
        ["2", "做好教育信息公开", "县教育局", "长期坚持"],
        ["（二）", "做好政策解读", "", ""],
        ["1", "丰富解读形式", "各部门", "文件公开后3个工作日内"],
    ]
    plan = read_plan(build.docx(tmp_path / "h.docx", build.notice + [spec]))
    assert rows(plan) == [
        ("1", ["以公开助推重点工作"], "做好就业信息公开", "县人社局", "长期坚持"),
        ("2", ["以公开助推重点工作"], "做好教育信息公开", "县教育局", "长期坚持"),
        ("1", ["做好政策解读"], "丰富解读形式", "各部门", "文件公开后3个工作日内"),
    ]


def test_no_number_column_numbers_rows(tmp_path, build, rows):
    spec = [["重点任务", "工作要求", "责任单位"], ["公开", "甲", "各镇"], [U, "乙", "各部门"]]
    plan = read_plan(build.docx(tmp_path / "i.docx", build.notice + [spec]))
    assert [t.seq for t in plan.tasks] == ["1", "2"]


def test_merges_come_from_xml_not_repeated_cells(tmp_path, build):
    spec = [["序号", "工作任务", L, "工作要求"], ["1", "甲", "子", "乙"], ["2", U, U, "丙"]]
    blocks = read_docx_blocks(build.docx(tmp_path / "j.docx", [spec]))
    grid = blocks[0].rows
    assert grid[0][1].key == grid[0][2].key
    assert grid[1][1].key == grid[2][1].key and grid[2][1].text == "甲"
    assert grid[1][3].key != grid[2][3].key
