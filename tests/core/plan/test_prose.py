"""Plans with no task table: tasks from the numbered items of the body."""

from core.plan.prose import tasks_from_paragraphs

BODY = [
    "龙口市人民政府办公室文件",
    "2023 年龙口市政务公开工作要点",
    "2023 年，全市政务公开工作的总体要求是：以习近平新时代中国特色社会主义思想为指导。",
    "一、围绕绿色低碳高质量发展强化信息公开",
    "（一）围绕促进经济发展做好政府信息专题公开。围绕新旧动能转换做好专题信息公开，及时公",
    "开项目进展情况。",
    "（二）围绕涉市场主体领域推进信息公开。加大助企纾困政策的公开力度。",
    "二、围绕政策实施落地率优化政策发布解读回应",
    "(三)推进政策集中统一发布。规范政府信息公开专栏建设。",
    "（四）积极做好舆情回应",
    "龙口市人民政府办公室",
    "2023年7月13日印发",
]


def test_numbered_items_become_tasks_under_their_heading():
    warnings = []
    tasks = tasks_from_paragraphs(BODY, warnings)
    assert [(t.seq, t.category, t.requirement) for t in tasks] == [
        ("1", ["围绕绿色低碳高质量发展强化信息公开", "围绕促进经济发展做好政府信息专题公开"],
         "围绕新旧动能转换做好专题信息公开，及时公开项目进展情况。"),
        ("2", ["围绕绿色低碳高质量发展强化信息公开", "围绕涉市场主体领域推进信息公开"], "加大助企纾困政策的公开力度。"),
        ("3", ["围绕政策实施落地率优化政策发布解读回应", "推进政策集中统一发布"], "规范政府信息公开专栏建设。"),
        ("4", ["围绕政策实施落地率优化政策发布解读回应"], "积极做好舆情回应"),
    ]
    assert len(warnings) == 1 and "没有任务分解表" in warnings[0]


def test_a_body_with_too_few_items_gives_no_tasks():
    warnings = []
    assert tasks_from_paragraphs(["一、总体要求", "（一）加强领导。各单位要重视。"], warnings) == []
    assert warnings == []


def test_reader_falls_back_to_the_body_when_there_is_no_table(tmp_path):
    import docx

    from core.plan import read_plan

    document = docx.Document()
    for line in BODY:
        document.add_paragraph(line)
    path = tmp_path / "要点.docx"
    document.save(path)
    plan = read_plan(path)
    assert len(plan.tasks) == 4 and plan.year == 2023
    assert plan.warnings and "核对" in plan.warnings[0]
