"""A "Word" file that is really a web page."""

from core.plan import read_plan

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<p>测政办字〔2024〕9号</p><p>《2024年测试县政务公开工作方案》印发给你们。</p><p>测试县人民政府办公室</p><p>2024年5月6日</p>
<table border=1>
<tr><td>序号</td><td colspan=2>工作任务</td><td>工作要求</td><td>责任单位</td></tr>
<tr><td>1</td><td rowspan=2>深化公开</td><td>决策</td><td>公开草案</td><td rowspan=2>各部门</td></tr>
<tr><td>2</td><td>执行</td><td>公开执行<br>情况</td></tr>
</table></body></html>"""


def test_html_disguised_as_doc(tmp_path, rows):
    path = tmp_path / "方案.doc"
    path.write_bytes(PAGE.encode("gb18030"))
    plan = read_plan(path)
    assert rows(plan) == [("1", ["深化公开", "决策"], "公开草案", "各部门", ""),
                          ("2", ["深化公开", "执行"], "公开执行情况", "各部门", "")]
    assert plan.doc_no == "测政办字〔2024〕9号" and plan.issued == "2024-05-06"
