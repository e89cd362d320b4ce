"""The documents of the 依申请公开 procedure as .docx, each from its editable template
(设置 → 模板): 登记表及接收回执, 补正告知书, 延期答复告知书, 征求意见书, and one 答复书 per
result type (予以公开 … 其他处理), every 答复书 stating the appeal routes (行政复议 within
60 days, 行政诉讼 within 6 months)."""

from datetime import date

from core import settings
from core.register import requests
from core.calendar import workdays
from core.errors import UserError
from core.export.common import cn_date

KINDS = {
    "receipt": "登记表及接收回执",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "consult": "征求意见书",
    "reply": "答复书",
}
# What each document needs recorded first: kind -> (field, what to record).
NEEDS = {
    "correction": ("correction_asked", "补正告知日期"),
    "extension": ("extended", "延期审批日期"),
    "consult": ("consult_start", "征求意见起止日期"),
    "reply": ("replied", "答复日期和办理结果"),
}


def template_name(kind: str, request: dict) -> str:
    """The template a document is filled from (答复书: the one of the result's group)."""
    if kind not in KINDS:
        raise UserError(f"没有名为“{kind}”的文书，可选：{'、'.join(f'{k}（{v}）' for k, v in KINDS.items())}。")
    if kind == "reply":
        return f"request_reply_{request['result'].split('.')[0]}"
    return f"request_{kind}"


def _cn(value) -> str:
    return cn_date(date.fromisoformat(value)) if value else ""


def context(db, request: dict, today: date | None = None) -> dict:
    """The values a document names, as printed."""
    cal = workdays.load_calendar(db)
    due = requests.due_date(request, cal)
    result = request.get("result") or ""
    label = requests.RESULTS.get(result, "")
    reason = label.split("：", 1)[1] if "：" in label else ""
    return {
        "unit": request.get("unit") or (settings.profile(db) or {}).get("name", ""),
        "year": request["year"], "date": cn_date(today or date.today()), "no": request["no"],
        "received": _cn(request["received"]), "channel": request["channel"], "applicant": request["applicant"],
        "name": request.get("name") or "申请人", "contact": request.get("contact") or "",
        "content": request.get("content") or "", "form": request.get("form") or "纸质",
        "due": cn_date(due) if due else "收到补正后的申请之日起20个工作日内",
        "note": request.get("note") or "", "consult_start": _cn(request.get("consult_start")),
        "consult_end": _cn(request.get("consult_end")), "replied": _cn(request.get("replied")),
        "result": label.split("：", 1)[0], "reason": reason,
    }


def write(db, request_id: str, kind: str, out, db_path=None, today: date | None = None) -> dict:
    """Write one document of an application to `out` (.docx); returns {"kind", "template", "path"}."""
    from core.export.common import check_output
    from core.export.templates import render, template_path

    request = requests.get(db, request_id)
    need = NEEDS.get(kind)
    if need and not request.get(need[0]):
        raise UserError(f"{request['no']} 还没有记录{need[1]}，不能生成{KINDS[kind]}：请先在办理环节中填写。")
    name = template_name(kind, request)
    path = check_output(out, "docx")
    render(template_path(db_path, name), context(db, request, today), path)
    return {"kind": kind, "template": name, "no": request["no"], "path": str(path)}
