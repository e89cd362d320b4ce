from datetime import date

import pytest

from core.ledger import activities
from core.errors import UserError

PLAN = {"theme": "营商环境体验官活动", "time_text": "2024年7月中旬", "place": "便民服务中心", "content": "座谈交流",
        "audience": "企业代表10人", "contact": "李明", "phone": "0533-4181234"}


@pytest.mark.parametrize("text, expected", [
    ("7月", (None, 7, None, None, "7月")),
    ("7月中旬", (None, 7, None, "中旬", "7月中旬")),
    ("7月15日", (None, 7, 15, None, "7月15日")),
    ("７月１５号", (None, 7, 15, None, "7月15日")),
    ("2024年7月", (2024, 7, None, None, "7月")),
    (" 2024 年 12 月 下旬 ", (2024, 12, None, "下旬", "12月下旬")),
    ("2024-07-15", (2024, 7, 15, None, "7月15日")),
])
def test_parse_time_normalises(text, expected):
    t = activities.parse_time(text)
    assert (t["year"], t["month"], t["day"], t["part"], t["text"]) == expected


@pytest.mark.parametrize("text", ["", "下旬", "2024年", "13月", "2月30日", "7月月中", "明年"])
def test_parse_time_refuses_without_valid_month(text):
    with pytest.raises(UserError) as err:
        activities.parse_time(text)
    assert "月" in str(err.value)


def test_add_stores_normalised_plan_for_this_unit(town_db):
    record = activities.add(town_db, PLAN)
    stored = activities.get(town_db, record["id"])
    assert stored["unit"] == "城东街道" and stored["year"] == 2024 and stored["time_text"] == "7月中旬"
    assert activities.get(town_db, record["id"][:8])["id"] == record["id"]


def test_add_refuses_missing_fields_and_changes_nothing(town_db):
    with pytest.raises(UserError) as err:
        activities.add(town_db, {**PLAN, "place": " ", "contact": ""})
    assert "开展地点" in str(err.value) and "联系人" in str(err.value)
    with pytest.raises(UserError):
        activities.add(town_db, {**PLAN, "phone": "找李明"})
    assert activities.list_activities(town_db) == []


def test_add_needs_a_profile(db):
    with pytest.raises(UserError, match="本单位"):
        activities.add(db, PLAN)


def test_record_report_and_due_counts_working_days(town_db):
    record = activities.add(town_db, PLAN)
    # 2024-09-13 is a Friday; 9-15..17 is 中秋 (9-14 Saturday is a 调休 working day).
    activities.record_report(town_db, record["id"], "2024-09-13", 30, 10, 4, answered=9, note="座谈", links=["http://x.gov.cn/a"])
    stored = activities.get(town_db, record["id"])
    assert (stored["participants"], stored["opinions"], stored["answered"], stored["adopted"]) == (30, 10, 9, 4)
    assert stored["links"] == ["http://x.gov.cn/a"]
    assert activities.report_due(stored, town_db) == date(2024, 9, 23)
    assert activities.report_due({"held_on": "2024-07-15"}) == date(2024, 7, 22)
    assert activities.report_due({"held_on": None}) is None


def test_record_report_refuses_bad_figures(town_db):
    record = activities.add(town_db, PLAN)
    for args, word in ((("下周", 1, 1, 1), "无法识别开展日期"), (("2024-07-01", -1, 1, 1), "负数"),
                       (("2024-07-01", 5, 2, 3), "采纳"), (("2023-07-01", 5, 2, 1), "年度"), (("2024-07-01", "很多", 2, 1), "整数")):
        with pytest.raises(UserError, match=word):
            activities.record_report(town_db, record["id"], *args)
    assert activities.get(town_db, record["id"])["held_on"] is None


def test_pending_reports(town_db):
    held = activities.add(town_db, PLAN)
    activities.record_report(town_db, held["id"], "2024-07-15", 12, 3, 1)
    late = activities.add(town_db, {**PLAN, "theme": "六月活动", "time_text": "2024年6月上旬"})
    activities.add(town_db, {**PLAN, "theme": "年底活动", "time_text": "2024年12月"})
    pending = activities.pending_reports(town_db, date(2024, 7, 23))
    assert [(p["theme"], p["state"], p["due"], p["overdue"]) for p in pending] == [
        ("六月活动", "待填报开展情况", date(2024, 6, 17), True),
        ("营商环境体验官活动", "待报送", date(2024, 7, 22), True),
    ]
    activities.mark_reported(town_db, held["id"], "2024-07-20")
    activities.delete(town_db, late["id"])
    assert activities.pending_reports(town_db, date(2024, 7, 23)) == []


def test_add_photo_copies_beside_db(town_db, tmp_path):
    record = activities.add(town_db, PLAN)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    db_path = tmp_path / "ledger.sqlite3"
    row = activities.add_photo(town_db, db_path, record["id"], photo)
    assert (tmp_path / "ledger-attachments" / row["stored_name"]).read_bytes() == b"\xff\xd8\xff photo"
    assert [p["name"] for p in activities.photos(town_db, record["id"])] == ["现场.jpg"]
    with pytest.raises(UserError, match="图片"):
        activities.add_photo(town_db, db_path, record["id"], tmp_path / "ledger.sqlite3")
