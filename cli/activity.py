"""`activity add` / `activity report` / `activity list`: 政府开放活动 from the command line."""

from datetime import date

from core.ledger import activities


def register(sub, common):
    p = sub.add_parser("activity", help="政府开放活动", parents=[common])
    psub = p.add_subparsers(dest="activity_command", metavar="操作")
    add = psub.add_parser("add", help="添加一项开放活动计划", parents=[common])
    add.add_argument("--theme", required=True, help="活动主题")
    add.add_argument("--time", required=True, help="开展时间：7月、7月中旬、7月15日、2024年7月")
    add.add_argument("--place", required=True, help="开展地点")
    add.add_argument("--content", required=True, help="活动内容")
    add.add_argument("--audience", required=True, help="活动对象")
    add.add_argument("--signup", default="", help="活动报名方式（可不填）")
    add.add_argument("--contact", required=True, help="联系人")
    add.add_argument("--phone", required=True, help="联系方式")
    add.add_argument("--year", type=int, help="年度（开展时间未写年份时；默认今年）")
    add.add_argument("--json", action="store_true", help="输出 JSON：{\"id\": …}")
    add.set_defaults(func=run_add)

    rep = psub.add_parser("report", help="记录活动开展情况", parents=[common])
    rep.add_argument("id", help="活动编号（activity list 可查，前 8 位即可）")
    rep.add_argument("--date", required=True, help="开展日期 YYYY-MM-DD")
    rep.add_argument("--participants", required=True, help="参加人数")
    rep.add_argument("--opinions", required=True, help="征集意见数")
    rep.add_argument("--adopted", required=True, help="采纳意见数")
    rep.add_argument("--answered", help="答复意见数")
    rep.add_argument("--note", default="", help="开展情况说明")
    rep.add_argument("--link", action="append", help="相关链接，可多次给出")
    rep.add_argument("--photo", action="append", default=[], help="活动照片文件，可多次给出")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=run_report)

    ls = psub.add_parser("list", help="列出开放活动", parents=[common])
    ls.add_argument("--year", type=int)
    ls.add_argument("--unit")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)


def run_add(ctx):
    a = ctx.args
    values = {"theme": a.theme, "time_text": a.time, "place": a.place, "content": a.content, "audience": a.audience,
              "signup": a.signup, "contact": a.contact, "phone": a.phone, "year": a.year}
    record = activities.add(ctx.db, values)
    if a.json:
        ctx.print_json({"id": record["id"]})
    else:
        print(record["id"])


def run_report(ctx):
    a = ctx.args
    activity = activities.get(ctx.db, a.id)
    for photo in a.photo:  # checked before anything is written
        activities.check_photo(photo)
    activities.record_report(ctx.db, activity["id"], a.date, a.participants, a.opinions, a.adopted, a.answered, a.note, a.link)
    for photo in a.photo:
        activities.add_photo(ctx.db, ctx.db_path, activity["id"], photo)
    due = activities.report_due(activities.get(ctx.db, activity["id"]), ctx.db)
    if a.json:
        ctx.print_json({"id": activity["id"], "report_due": due.isoformat()})
    else:
        print(f"已记录“{activity['theme']}”的开展情况；开展情况应于 {due.isoformat()} 前报送。")


def _item(activity, db) -> dict:
    due = activities.report_due(activity, db)
    keys = ("id", "unit", "year", "theme", "time_text", "place", "content", "audience", "signup", "contact", "phone",
            "held_on", "participants", "opinions", "answered", "adopted", "report_note", "links", "reported_on")
    return {**{k: activity.get(k) for k in keys}, "report_due": due.isoformat() if due else None}


def run_list(ctx):
    listed = activities.list_activities(ctx.db, ctx.args.year, ctx.args.unit)
    items = [_item(a, ctx.db) for a in listed]
    if ctx.args.json:
        ctx.print_json({"activities": items})
        return
    if not items:
        print("还没有开放活动。")
    today = date.today()
    for a, i in zip(listed, items):
        where = activities.state(a, today, ctx.db)
        due = f"，报送时限 {where['due'].isoformat()}" if where["due"] and where["state"] != "reported" else ""
        print(f"{i['id'][:8]}  {i['year']}年{i['time_text']}  {i['theme']}（{where['label']}{due}）")
