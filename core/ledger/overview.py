"""Figures for the 概览 page: counts, what is overdue or due soon, duties, completion by category."""

import json
from datetime import date

from core import settings
from core.calendar import workdays
from core.ledger import activities, duties
from core.ledger.due import add_working_days
from core.ledger.entries import fetch_rows, filter_sql, query_ids, years
from core.register import requests
from core.vocab import DONE, STATUSES

NOTICE_WORKDAYS = 3


def summary(db) -> dict:
    """The profile, the plans held, and ledger entries counted by status."""
    plans = [
        dict(row)
        for row in db.query("SELECT id, year, title, doc_no FROM plans WHERE deleted = 0 ORDER BY year DESC, updated_at DESC")
    ]
    by_status = {
        row["status"]: row["n"]
        for row in db.query(
            "SELECT status, count(*) AS n FROM entries WHERE deleted = 0 AND selection != 'dropped' GROUP BY status ORDER BY status"
        )
    }
    return {"profile": settings.profile(db), "plans": plans, "by_status": by_status}


def status_counts(db, year=None) -> dict:
    """{status: n} of the visible entries of `year`: every entry counted once, under its status,
    so the numbers add up to the tasks (逾期 is not a status: see figures()["overdue"])."""
    counts = {s: 0 for s in STATUSES}
    filters = {"year": year} if year else {}
    where, params = filter_sql(db, filters)
    for status, n in db.execute(
        f"SELECT e.status, count(*) FROM entries e JOIN tasks t ON t.id = e.task_id WHERE {' AND '.join(where)} GROUP BY e.status", params
    ):
        counts[status] = counts.get(status, 0) + n
    return counts


def count_lines(counts: dict, overdue: int) -> tuple[str, str]:
    """The two lines the 概览 shows: the tasks by status (adding up), and the overdue ones apart."""
    total = sum(counts.values())
    first = f"共 {total} 项：" + "，".join(f"{k} {v}" for k, v in counts.items())
    second = f"其中逾期 {overdue} 项（已计入上面的状态，未完成且已过截止日期）" if overdue else "没有逾期任务"
    return first, second


def calendar_warning(db, today=None) -> dict | None:
    """{"year", "text"} when the working-day calendar lacks this year, or next year from 1 November
    (the State Council publishes next year's holidays around then); else None."""
    today = today or date.today()
    calendar = workdays.load_calendar(db)
    for year, due in ((today.year, True), (today.year + 1, today.month >= 11)):
        if due and not calendar.is_known(year):
            return {"year": year, "text": (
                f"节假日日历还没有{year}年的放假安排：{year}年的工作日暂按周一至周五计算，到期日可能不准。"
                f"国务院办公厅公布《关于{year}年部分节假日安排的通知》后，请点击“导入放假通知”粘贴通知全文。")}
    return None


ATTENTION_LIMIT = 200  # items listed on the page; the counts give the rest


def attention(db, year=None, today=None, limit=None) -> dict:
    """Entries past due (red) and due within 10 working days (yellow), the most pressing first.

    {"overdue": [...], "soon": [...], "overdue_count": n, "soon_count": n, "near_count": n}:
    the lists stop at `limit` items; near_count counts those due within 3 working days.
    Each item: id, seq, requirement, due, status, unit, remaining ("逾期 N 个工作日"…), days (due minus today).
    """
    today = today or date.today()
    limit = ATTENTION_LIMIT if limit is None else limit
    filters = {"year": year} if year else {}
    overdue_ids = query_ids(db, {**filters, "due": "overdue"}, sort="due", today=today)
    overdue = set(overdue_ids)
    soon_ids = [i for i in query_ids(db, {**filters, "due": "soon"}, sort="due", today=today) if i not in overdue]
    rows = fetch_rows(db, overdue_ids[:limit] + soon_ids, today=today)

    def items(ids):
        return [{k: rows[i][k] for k in ("id", "seq", "requirement", "due", "status", "unit", "remaining")}
                | {"days": (date.fromisoformat(rows[i]["due"]) - today).days} for i in ids]

    soon = items(soon_ids)
    near = add_working_days(today, NOTICE_WORKDAYS, db)
    return {"overdue": items(overdue_ids[:limit]), "soon": soon[:limit], "overdue_count": len(overdue_ids),
            "soon_count": len(soon), "near_count": sum(1 for i in soon if date.fromisoformat(i["due"]) <= near)}


def notice(db, today=None, year=None, facts=None) -> str:
    """A one-line start-up notice when anything is overdue or due within 3 working days, else ''."""
    today = today or date.today()
    facts = facts or attention(db, year=year, today=today)
    limit = add_working_days(today, NOTICE_WORKDAYS, db)
    parts = []
    if facts["overdue_count"]:
        parts.append(f"{facts['overdue_count']} 项任务已逾期")
    if facts["near_count"]:
        parts.append(f"{facts['near_count']} 项任务将在 {NOTICE_WORKDAYS} 个工作日内到期")
    late_requests = request_counts(db, today)["overdue"]
    if late_requests:
        parts.append(f"{late_requests} 件政府信息公开申请已超过答复期限")
    reports = [r for r in pending_reports(db, today) if r.get("due") and r["due"] <= limit]
    if reports:
        parts.append(f"{len(reports)} 项开放活动情况待报送")
    return ("请注意：" + "，".join(parts) + "。") if parts else ""


def figures(db, year=None, today=None) -> dict:
    """Everything the 概览 page shows for a year, computed in one pass (run off the window's thread)."""
    today = today or date.today()
    year = year or max(years(db), default=today.year)
    facts = attention(db, year=year, today=today)
    counts = status_counts(db, year)
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "overdue": facts["overdue_count"],
        "calendar": calendar_warning(db, today),
        "attention": facts,
        "reports": pending_reports(db, today),
        "duties": duties.progress(db, year),
        "categories": by_category(db, year),
        "notice": notice(db, today=today, year=year, facts=facts),
        "requests": request_counts(db, today),
    }


def request_counts(db, today=None) -> dict:
    """依申请公开: {"open": applications not yet replied, "overdue": of them past due}."""
    return requests.counts(db, today=today or date.today())


def pending_reports(db, today=None) -> list[dict]:
    """Open-activity reports still to send."""
    return activities.pending_reports(db, today or date.today())


def by_category(db, year=None) -> list[dict]:
    """[{category, done, total}] of the visible entries by level-1 task category, in plan order."""
    filters = {"year": year} if year else {}
    where, params = filter_sql(db, filters)
    rows = db.execute(
        f"""SELECT t.category, e.status, min(t.position), count(*) FROM entries e JOIN tasks t ON t.id = e.task_id
            WHERE {' AND '.join(where)} GROUP BY t.category, e.status""",
        params,
    )
    out: dict = {}
    order: dict = {}
    for category, status, position, n in rows:
        try:
            name = (json.loads(category or "[]") or ["（未分类）"])[0]
        except ValueError:
            name = category or "（未分类）"
        item = out.setdefault(name, {"category": name, "done": 0, "total": 0})
        item["total"] += n
        order[name] = min(order.get(name, position), position)
        if status == DONE:
            item["done"] += n
    return sorted(out.values(), key=lambda i: order[i["category"]])


def duty_progress(db, year) -> list[dict]:
    """The year's counted duties with target and progress (see core.duties)."""
    return duties.progress(db, year)


def plan_label(plan: dict) -> str:
    """How a plan is named in lists: its title, with the year in front when the title lacks it."""
    title = plan.get("title") or "（无标题方案）"
    year = plan.get("year")
    return title if not year or str(year) in title else f"{year}年 {title}"
