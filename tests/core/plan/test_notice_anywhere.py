"""The notice's metadata wherever the file puts it: one Word-HTML div, a workbook's cover sheet
and signature rows, the closing paragraphs of a prose 工作要点."""

from core.plan import read_plan
from core.plan.prose import tasks_from_paragraphs

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312"><style>p.MsoNormal {margin:0cm}</style></head>
<body lang=ZH-CN><div class=WordSection1>
<span style='font-family:仿宋'>测试县人民政府办公室文件</span><br>
<span>测政办字〔2024〕9号</span><br><span lang=EN-US>
</span><b>测试县人民政府办公室关于印发2024年测试县政务公开工作方案的通知</b>
<p class=MsoNormal>各镇人民政府，县政府各部门：</p>
<p class=MsoNormal>《2024年测试县政务公开工作方案》已经县政府同意，现印发给你们。各单位工作台账于6月10日前报送县政府办公室。</p>
<div align=right><span>测试县人民政府办公室</span><br><span>2024年5月6日</span></div>
<table border=1>
<tr><td>序号</td><td>工作任务</td><td>工作要求</td><td>责任单位</td></tr>
<tr><td>1</td><td>深化公开</td><td>公开草案</td><td>各部门</td></tr>
<tr><td>2</td><td>深化公开</td><td>公开执行情况</td><td>各部门</td></tr>
</table></div></body></html>"""


def test_word_html_body_in_one_div_splits_into_paragraphs(tmp_path, rows):
    path = tmp_path / "方案.doc"
    path.write_bytes(WORD_HTML.encode("gb18030"))
    plan = read_plan(path)
    assert (plan.doc_no, plan.issuer, plan.issued, plan.year) == ("测政办字〔2024〕9号", "测试县人民政府办公室", "2024-05-06", 2024)
    assert plan.title == "2024年测试县政务公开工作方案"
    assert {"what": "工作台账", "date": "2024-06-10"} in plan.report_dates
    assert rows(plan) == [("1", ["深化公开"], "公开草案", "各部门", ""), ("2", ["深化公开"], "公开执行情况", "各部门", "")]


def test_workbook_cover_sheet_and_signature_rows(tmp_path, build, rows):
    import datetime

    cover = [["测试县人民政府办公室文件", "<", "<"], ["", "", ""], ["文号：", "测政办字〔2024〕12号", ""],
             ["2024年测试县政务公开工作方案", "<", "<"], ["", "", ""],
             ["测试县人民政府办公室", "<", "<"], [datetime.date(2024, 3, 18), "<", "<"]]
    table = [["2024年测试县政务公开重点任务分解表", "<", "<", "<"],
             ["序号", "工作任务", "工作要求", "责任单位"],
             ["1", "深化公开", "公开草案", "各部门"], ["2", "^", "公开执行情况", "^"]]
    plan = read_plan(build.xlsx(tmp_path / "plan.xlsx", {"封面": cover, "任务分解表": table}))
    assert (plan.doc_no, plan.issuer, plan.issued, plan.year) == ("测政办字〔2024〕12号", "测试县人民政府办公室", "2024-03-18", 2024)
    assert plan.title == "2024年测试县政务公开工作方案"
    assert rows(plan) == [("1", ["深化公开"], "公开草案", "各部门", ""), ("2", ["深化公开"], "公开执行情况", "各部门", "")]


def test_workbook_title_and_signature_rows_around_the_table(tmp_path, build):
    table = [["测政办字〔2024〕3号", "<", "<", "<"], ["2024年测试县政务公开重点任务分解表", "<", "<", "<"],
             ["序号", "工作任务", "工作要求", "责任单位"],
             ["1", "深化公开", "公开草案", "各部门"], ["2", "^", "公开执行情况", "^"],
             ["", "", "", ""], ["", "", "测试县人民政府办公室", "<"], ["", "", "2024年2月1日", "<"]]
    plan = read_plan(build.xlsx(tmp_path / "plan.xlsx", {"Sheet1": table}))
    assert (plan.doc_no, plan.issuer, plan.issued) == ("测政办字〔2024〕3号", "测试县人民政府办公室", "2024-02-01")


POINTS = [
    "测试县人民政府办公室文件",
    "2024 年测试县政务公开工作要点",
    "一、围绕高质量发展强化信息公开",
    "（一）做好经济政策公开。围绕稳增长做好专题公开，及时公",
    "开项目进展情况。",
    "（二）推进市场主体信息公开。加大助企纾困政策的公开力度。",
    "二、围绕制度建设强化保障",
    "（三）加强组织领导。充分发挥领导小组作用。",
    "（四）狠抓工作落实。各单位要对照本要点逐项抓好落实，各镇街区、县政府",
    "各部门每年至少组织1次业务培训。",
    "各单位于6月15日前编制本单位政务公开工作台账，并报县政府办公室备案。",
    "工作台账于5月31日前报县政府办公室。",
    "测试县人民政府办公室",
    "2024年4月2日印发",
]


def test_prose_closing_paragraphs_are_not_part_of_the_last_item(tmp_path):
    tasks = tasks_from_paragraphs(POINTS, [])
    assert tasks[-1].requirement == "各单位要对照本要点逐项抓好落实，各镇街区、县政府各部门每年至少组织1次业务培训。"
    assert tasks[0].requirement == "围绕稳增长做好专题公开，及时公开项目进展情况。"  # a cut item still goes on
    import docx

    document = docx.Document()
    for line in POINTS:
        document.add_paragraph(line)
    document.save(tmp_path / "要点.docx")
    plan = read_plan(tmp_path / "要点.docx")
    assert len(plan.tasks) == 4
    assert {"what": "本单位政务公开工作台账", "date": "2024-06-15"} in plan.report_dates
    assert {"what": "工作台账", "date": "2024-05-31"} in plan.report_dates


def test_longkou_reference_text_ends_at_its_last_item(samples):
    lines = (samples.parent / "reference" / "longkou-2023-points.txt").read_text(encoding="utf-8").splitlines()
    tasks = tasks_from_paragraphs(lines, [])
    assert len(tasks) == 18
    assert tasks[15].requirement.endswith("每年至少组织 1 次政务公开业务培训。")
    assert "龙口市人民政府办公室" not in tasks[-1].requirement
