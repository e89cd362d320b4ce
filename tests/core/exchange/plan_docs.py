"""A small plan .docx built from plain rows, for the exchange tests (the same file at county and unit)."""

from tests.core.plan.conftest import NOTICE, write_docx

HEADER = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
ROWS = [
    ["1", "加强政策解读", "围绕重大政策开展多元化解读，形式不少于3种", "各镇（街道）", "2024年年底前"],
    ["2", "推进基层政务公开标准化", "更新完善基层政务公开事项标准目录", "各镇（街道）", "2024年10月底前"],
    ["3", "做好政府信息公开年报", "按时发布政府信息公开工作年度报告", "县政府各部门", "每年1月31日前"],
    ["4", "规范依申请公开", "依法按时答复政府信息公开申请", "各镇（街道）、县政府各部门", "长期坚持"],
]


def plan_docx(path, rows=ROWS):
    """Write the plan notice with its task table to `path`; return the path."""
    return write_docx(path, list(NOTICE) + [[HEADER] + [list(r) for r in rows]])
