"""A small ledger and two open activities, written through core.records as the program would."""

from core import records
from core.ledger import activities


def fill_ledger(db, unit="城东街道", year=2024, tasks=None):
    """A plan with tasks, this unit's entries, measures and progress; returns the entry ids."""
    tasks = tasks or [
        {"seq": "1", "category": ["加强政策解读", "丰富解读形式"], "requirement": "=SUM(A1) 以图解、视频等形式解读政策", "deadline": "长期坚持",
         "measures": ["制作图解3期", "+录制解读视频", "@开展直播一次"], "status": "推进中",
         "progress": [("2024-06-01", "完成图解1期")]},
        {"seq": "2", "category": ["政府开放活动"], "requirement": "常态化开展政府开放活动", "deadline": "2024年7月8日前",
         "measures": ["-制定开放活动计划"], "status": "已完成", "progress": [("2024-07-05", "已报送计划")], "completed_on": "2024-07-05"},
        {"seq": "3", "category": ["依申请公开"], "requirement": "规范依申请公开办理", "deadline": "及时公开",
         "measures": [], "status": "未开始", "progress": []},
    ]
    with db.atomic():
        plan = records.insert(db, "plans", {"year": year, "title": f"{year}年政务公开工作要点"})
        ids = []
        for position, task in enumerate(tasks):
            t = records.insert(db, "tasks", {"plan_id": plan["id"], "position": position, "seq": task["seq"],
                                             "category": task["category"], "requirement": task["requirement"],
                                             "units": "各镇（街道）", "deadline": task["deadline"]})
            e = records.insert(db, "entries", {"task_id": t["id"], "unit": unit, "year": year, "role": "落实",
                                               "leader": "王副主任", "office": "党政办", "status": task["status"],
                                               "completed_on": task.get("completed_on"), "note": task.get("note", "")})
            for m_pos, text in enumerate(task["measures"]):
                records.insert(db, "measures", {"entry_id": e["id"], "position": m_pos, "text": text})
            for day, text in task["progress"]:
                records.insert(db, "progress", {"entry_id": e["id"], "date": day, "text": text})
            ids.append(e["id"])
    return ids


def add_activities(db):
    """Two planned activities, the first one held and recorded."""
    first = activities.add(db, {"theme": "营商环境体验官活动", "time_text": "2024年7月中旬", "place": "城东街道便民服务中心",
                                "content": "邀请企业代表体验审批流程并座谈交流", "audience": "企业代表10人",
                                "signup": "电话报名", "contact": "李明", "phone": "0533-4181234"})
    second = activities.add(db, {"theme": "=我为营商环境建言献策", "time_text": "9月", "place": "街道会议室",
                                 "content": "问卷调查", "audience": "群众代表20人", "year": 2024, "contact": "李明", "phone": "13800000000"})
    activities.record_report(db, first["id"], "2024-07-15", 12, 8, 5, answered=8, note="现场答复问题8个")
    return first["id"], second["id"]
