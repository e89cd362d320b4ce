"""Metadata from the notice text."""

from core.plan.metadata import find_doc_no, parse_date_text, read_metadata


def test_doc_no_bracket_variants():
    assert find_doc_no(["博政办字〔2024〕14号"]) == "博政办字〔2024〕14号"
    assert find_doc_no(["龙政办发[2023]13号"]) == "龙政办发〔2023〕13号"
    assert find_doc_no(["淄文昌管办字［2022］5 号"]) == "淄文昌管办字〔2022〕5号"
    assert find_doc_no(["正文里引用（鲁教办发〔2021〕3号）的一段很长很长很长的话，不是本文号。"]) == ""


def test_dates():
    assert parse_date_text("2024年6月24日") == "2024-06-24"
    assert parse_date_text("2023 年 7 月 13 日") == "2023-07-13"
    assert parse_date_text("二〇二二年五月十九日") == "2022-05-19"
    assert parse_date_text("2024年13月1日") is None


def test_notice(build):
    meta = read_metadata(build.notice)
    assert meta == {
        "title": "2024年测试县政务公开工作要点",
        "year": 2024,
        "doc_no": "测政办字〔2024〕7号",
        "issuer": "测试县人民政府办公室",
        "issued": "2024-04-08",
        "report_dates": [{"what": "工作台账", "date": "2024-05-31"}],
    }


def test_title_from_notice_heading_when_no_book_marks():
    lines = ["龙口市人民政府办公室文件", "龙政办发〔2023〕13号", "龙口市人民政府办公室 关于印发2023年龙口市政务公开 工作要点的通知",
             "各镇：", "现将工作要点印发给你们。", "2023年7月13日"]
    meta = read_metadata(lines)
    assert meta["title"] == "2023年龙口市政务公开工作要点"
    assert meta["issuer"] == "龙口市人民政府办公室"
    assert meta["year"] == 2023


def test_report_dates_in_text():
    meta = read_metadata(["2024年方案", "工作台账于5月31日前报送区政府办公室。按附件2要求于7月8日前报区政府办公室备案。"])
    assert [d["date"] for d in meta["report_dates"]] == ["2024-05-31", "2024-07-08"]
    assert meta["report_dates"][0]["what"] == "工作台账"
