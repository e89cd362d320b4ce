"""Reading the State Council's holiday notice."""

from datetime import date, timedelta

import pytest

from core.calendar import holiday_notice
from core.calendar import workdays
from core.errors import UserError

D = date.fromisoformat

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）放假，与周末连休。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月4日
"""

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
"""

NOTICE_2025 = """国务院办公厅关于2025年部分节假日安排的通知
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""

NOTICE_2019 = """国务院办公厅关于2019年部分节假日安排的通知
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
三、清明节：4月5日放假，与周末连休。
四、劳动节：5月1日放假。
五、端午节：6月7日放假，与周末连休。
六、中秋节：9月13日放假，与周末连休。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
"""


def shipped(year):
    data = workdays.shipped_data()
    hol = {(D(d), n) for d, n in data["holidays"].items() if d.startswith(str(year))}
    work = {(D(d), n) for d, n in data["workdays"].items() if d.startswith(str(year))}
    return hol, work


def test_2027_notice():
    notice = holiday_notice.parse_notice(NOTICE_2027)
    assert notice.year == 2027
    assert notice.warnings == []
    hol = dict(notice.holidays)
    assert hol[D("2027-01-01")] == "元旦"
    assert [d for d, n in notice.holidays if n == "春节"] == [D("2027-02-05") + timedelta(i) for i in range(9)]
    assert dict(notice.workdays) == {
        D("2027-02-14"): "春节", D("2027-02-20"): "春节", D("2027-04-25"): "劳动节",
        D("2027-05-08"): "劳动节", D("2027-09-26"): "国庆节", D("2027-10-09"): "国庆节",
    }
    assert len(notice.holidays) == 1 + 9 + 3 + 5 + 1 + 1 + 7
    text = "\n".join(notice.summary_lines())
    assert "春节：放假 2月5日（周五）至2月13日（周六），共9天；调休上班 2月14日（周日）、2月20日（周六）" in text


@pytest.mark.parametrize("text, year", [(NOTICE_2026, 2026), (NOTICE_2025, 2025)])
def test_real_notices_agree_with_shipped_data(text, year):
    notice = holiday_notice.parse_notice(text)
    assert notice.year == year and notice.warnings == []
    hol, work = shipped(year)
    assert {d for d, _ in notice.holidays} == {d for d, _ in hol}
    assert {d for d, _ in notice.workdays} == {d for d, _ in work}


def test_2019_notice_with_days_in_the_year_before():
    notice = holiday_notice.parse_notice(NOTICE_2019)
    assert notice.year == 2019
    assert D("2018-12-30") in dict(notice.holidays)
    assert D("2018-12-29") in dict(notice.workdays)
    assert {D("2019-02-02"), D("2019-02-03")} <= set(dict(notice.workdays))


def test_pdf_spacing_and_fullwidth_digits():
    damaged = NOTICE_2027.replace("春节：", "春 节 ：").replace("2月5日", "２月５日")
    assert holiday_notice.parse_notice(damaged).holidays == holiday_notice.parse_notice(NOTICE_2027).holidays


def test_wrong_weekday_is_a_warning():
    notice = holiday_notice.parse_notice(NOTICE_2027.replace("2027", "2028"))
    assert notice.year == 2028
    assert any("请确认年份" in w for w in notice.warnings)


def test_total_days_mismatch_is_a_warning():
    notice = holiday_notice.parse_notice(NOTICE_2027.replace("共9天", "共8天"))
    assert any("共8天" in w for w in notice.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "关于印发2024年博山区政务公开工作方案的通知\n各镇人民政府：现印发给你们。",
        "国务院办公厅关于2027年部分节假日安排的通知\n请各地做好值班工作。",
        NOTICE_2027.replace("2月5日（农历除夕、周五）", "2月30日（农历除夕、周五）"),
        NOTICE_2027.replace("国务院办公厅关于2027年", "国务院办公厅关于2300年").replace("现将2027年", "现将2300年"),
        NOTICE_2027.replace("2月14日（周日）、", "2月6日（周六）、"),  # a day both off and worked
    ],
)
def test_bad_notices(text):
    with pytest.raises(UserError) as info:
        holiday_notice.parse_notice(text)
    assert info.value.message and not info.value.message.isascii()


def test_store_notice(db):
    notice = holiday_notice.parse_notice(NOTICE_2027)
    workdays.store_year(db, notice.year, notice.holidays, notice.workdays)
    cal = workdays.load_calendar(db)
    assert cal.is_known(2027)
    due = cal.add_workdays(D("2027-02-04"), 1)
    assert due == D("2027-02-14") and not due.estimated
    assert cal.add_workdays(D("2027-09-30"), 1) == D("2027-10-08")
