"""Building small ledgers for tests: plans, tasks and entries written through core.records."""

import json

from core import records

TASKS = [
    # seq, categories, requirement, deadline
    ("1", ["推进政策解读", "政策解读"], "做好政策解读工作，重要政策文件与解读材料同步发布", "文件公开后3个工作日内"),
    ("2", ["推进政策解读", "政策评价"], "开展政策评价不少于2次", "2024年12月底前"),
    ("3", ["加强平台建设", "政府网站"], "规范政府网站信息发布，及时更新栏目", "长期坚持"),
    ("4", ["加强平台建设", "政务新媒体"], "政务新媒体账号年度报表", "每年1月31日前"),
    ("5", ["强化工作保障", "培训"], "组织开展政务公开培训", "2024年6月底前"),
]


def make_plan(db, year=2024, issued="2024-03-01", title="2024年政务公开工作要点") -> dict:
    """Insert a plan row."""
    return records.insert(db, "plans", {"year": year, "title": title, "issued": issued, "doc_no": f"测政办字〔{year}〕1号"})


def make_task(db, plan_id, seq, category, requirement, deadline, position=0, units="各镇（街道）") -> dict:
    """Insert a task row of a plan."""
    return records.insert(
        db,
        "tasks",
        {"plan_id": plan_id, "position": position, "seq": seq, "category": json.dumps(category, ensure_ascii=False),
         "requirement": requirement, "units": units, "deadline": deadline},
    )


def make_entry(db, task_id, unit="城东街道", year=2024, **fields) -> dict:
    """Insert an entry row for a task."""
    return records.insert(db, "entries", {"task_id": task_id, "unit": unit, "year": year, "role": fields.pop("role", "落实"), **fields})


def make_ledger(db, unit="城东街道", year=2024, plan=None) -> dict:
    """A plan with the five TASKS and one entry each for `unit`; returns {seq: entry_id}."""
    plan = plan or make_plan(db, year=year, issued=f"{year}-03-01")
    out = {}
    for position, (seq, cat, req, deadline) in enumerate(TASKS):
        task = make_task(db, plan["id"], seq, cat, req, deadline.replace("2024", str(year)), position)
        out[seq] = make_entry(db, task["id"], unit=unit, year=year)["id"]
    return out
