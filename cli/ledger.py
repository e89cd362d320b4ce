"""`ledger list` / `ledger update`: the ledger without the window (see ../shared/CLI.md)."""

from datetime import date

from core import ledger
from core.ledger import attachments
from core.errors import UserError

LIST_KEYS = ("id", "unit", "year", "seq", "category", "requirement", "measures", "leader", "office",
             "status", "overdue", "due", "deadline", "progress")


def register(sub, common):
    p = sub.add_parser("ledger", help="工作台账", parents=[common])
    psub = p.add_subparsers(dest="ledger_command", metavar="操作")

    ls = psub.add_parser("list", help="列出台账条目", parents=[common])
    ls.add_argument("--year", type=int, help="年度")
    ls.add_argument("--unit", help="单位（汇总单位可按单位筛选）")
    ls.add_argument("--status", help="未开始 | 推进中 | 已完成 | 长期坚持 | 逾期")
    ls.add_argument("--due-within", type=int, metavar="N", help="N 个工作日内到期（含已逾期）")
    ls.add_argument("--search", metavar="Q", help="搜索：中文、全拼或拼音首字母")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)

    up = psub.add_parser("update", help="修改一条台账（与窗口中的修改相同）", parents=[common])
    up.add_argument("seq", metavar="SEQ", help="任务序号")
    up.add_argument("--year", type=int, help="年度（同一序号在多个年度时必填）")
    up.add_argument("--unit", help="单位（汇总单位修改某单位的条目时使用）")
    up.add_argument("--status", help="未开始 | 推进中 | 已完成 | 长期坚持")
    up.add_argument("--measure", action="append", default=[], metavar="TEXT", help="追加一条工作举措，可多次给出")
    up.add_argument("--leader", metavar="N", help="单位分管领导")
    up.add_argument("--office", metavar="N", help="责任科室")
    up.add_argument("--handler", metavar="N", help="经办人")
    up.add_argument("--progress", metavar="TEXT", help="记录一条进展")
    up.add_argument("--date", metavar="D", help="进展日期（默认今天）；与 --status 已完成 一起时为完成日期")
    up.add_argument("--duty", default="", help="进展计入的计数事项，如 政策评价")
    up.add_argument("--event-date", metavar="D", help="登记事项日期（如文件公开之日），按它计算时限")
    up.add_argument("--attach", action="append", default=[], metavar="FILE", help="佐证材料：文件或网址，随 --progress 记录")
    up.add_argument("--json", action="store_true")
    up.set_defaults(func=run_update)


def run_list(ctx):
    a = ctx.args
    status = a.status
    if status and status not in (*ledger.STATUSES, ledger.OVERDUE):
        raise UserError(f"状态“{status}”无效，请选择：{'、'.join((*ledger.STATUSES, ledger.OVERDUE))}。")
    if a.due_within is not None and a.due_within < 0:
        raise UserError("--due-within 须为 0 或正整数（工作日数）。")
    entries = ledger.list_entries(ctx.db, year=a.year, unit=a.unit, status=status, due_within=a.due_within, search=a.search)
    if a.json:
        ctx.print_json({"entries": [_public(e) for e in entries]})
        return
    if not entries:
        print("没有符合条件的台账条目。")
    for e in entries:
        flag = "【逾期】" if e["overdue"] else ""
        print(f"{e['year']} {e['unit']} {e['seq']:>4} {e['status']}{flag} {e['due'] or '—'} {e['requirement'][:40]}")


def _public(entry: dict) -> dict:
    """An entry in the shape of `ledger list --json`."""
    out = {k: entry[k] for k in LIST_KEYS}
    out["progress"] = [{"date": p["date"], "text": p["text"]} for p in entry["progress"]]
    return out


def run_update(ctx):
    a = ctx.args
    db = ctx.db
    entry_id = ledger.find_by_seq(db, a.seq, a.year, a.unit)
    year = db["entries"].get(entry_id)["year"]
    changes = _field_changes(a)
    if a.status == "已完成" and a.date and not a.progress:
        changes["completed_on"] = a.date
    changes = ledger.validate_changes(db, entry_id, changes) if changes else {}
    day = ledger.parse_user_date(a.date, year) if a.date else date.today().isoformat()
    event_day = ledger.parse_user_date(a.event_date, year) if a.event_date else None
    if a.attach and not a.progress:
        raise UserError("--attach 需与 --progress 一起使用：佐证材料附在一条进展上。")
    if a.progress is not None and not a.progress.strip():
        raise UserError("进展内容不能为空，请写明做了什么。")
    done = _apply(ctx, entry_id, changes, day, event_day)
    if a.json:
        ctx.print_json({"id": entry_id, "changes": done})
    else:
        print(f"已更新序号 {a.seq}（{year}年）：" + ("；".join(done) if done else "没有变化"))


def _field_changes(a) -> dict:
    """Entry field changes named on the command line."""
    return {k: v for k, v in (("status", a.status), ("leader", a.leader), ("office", a.office), ("handler", a.handler)) if v is not None}


def _apply(ctx, entry_id, changes, day, event_day) -> list[str]:
    """Make every change in one transaction (copied evidence files are removed again if it fails)."""
    a, db = ctx.args, ctx.db
    done = []
    with db.atomic():
        for field, (old, new) in ledger.update_entry(db, entry_id, changes).items():
            done.append(f"{ledger.FIELD_NAMES.get(field, field)} {old or '（空）'} → {new or '（空）'}")
        for text in a.measure:
            ledger.add_measure(db, entry_id, text)
            done.append(f"工作举措 +“{text.strip()}”")
        if event_day:
            ledger.add_event(db, entry_id, event_day)
            done.append(f"事项日期 {event_day}")
        if a.progress:
            links = [item for item in a.attach if attachments.is_link(item)]
            files = [item for item in a.attach if not attachments.is_link(item)]
            row = ledger.add_progress_with_evidence(db, ctx.db_path, entry_id, day, a.progress, a.duty, files, links)
            done.append(f"进展 {row['date']}：{row['text']}")
            done.extend(f"佐证 {item}" for item in a.attach)
    return done
