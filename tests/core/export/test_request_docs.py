"""The documents of an application, filled from the register; every 答复书 states the appeal routes."""

from datetime import date

import pytest

from core.register import requests
from core.calendar import workdays
from core.errors import UserError
from core.export import request_docs, templates
from tests.core.export.xmlcheck import part, runs_without_east_asian_font, text_of

TODAY = date(2026, 6, 1)


def registered(db, **steps):
    item, _ = requests.add(db, {"received": "2024-09-27", "channel": "邮寄", "applicant": "自然人", "name": "张<三>",
                                "content": "某村2024年拆迁补偿方案", "form": "电子邮件"}, today=TODAY)
    if steps:
        requests.update(db, item["id"], steps, today=TODAY)
    return requests.get(db, item["id"])


def body_text(path):
    return text_of(part(path, "word/document.xml"))


def test_receipt_names_the_application_and_its_due_date(town_db, tmp_path):
    req = registered(town_db)
    out = tmp_path / "回执.docx"
    info = request_docs.write(town_db, req["no"], "receipt", out, today=TODAY)
    text = body_text(out)
    assert info["template"] == "request_receipt"
    assert "政府信息公开申请登记表" in text and "接收回执" in text
    assert "2024-001" in text and "张<三>" in text and "2024年9月27日" in text and "2024年10月30日" in text
    assert "{{" not in text
    assert runs_without_east_asian_font(part(out, "word/document.xml")) == []


@pytest.mark.parametrize("code, words", [
    ("1", "予以公开"), ("2", "部分公开"), ("3.1", "属于国家秘密"), ("4.1", "本机关不掌握相关政府信息"),
    ("5.2", "重复申请"), ("6.3", "其他处理"),
])
def test_one_reply_per_result_type_with_the_appeal_routes(town_db, tmp_path, code, words):
    req = registered(town_db, replied="2024-10-20", result=code)
    out = tmp_path / f"答复-{code}.docx"
    info = request_docs.write(town_db, req["id"], "reply", out, today=TODAY)
    assert info["template"] == f"request_reply_{code.split('.')[0]}"
    text = body_text(out)
    assert words in text
    assert "60日内" in text and "行政复议" in text and "6个月内" in text and "行政诉讼" in text
    assert "城东街道" in text and "2026年6月1日" in text


def test_notices_need_their_step_recorded(town_db, tmp_path):
    req = registered(town_db)
    for kind in ("correction", "extension", "consult", "reply"):
        with pytest.raises(UserError, match="还没有记录"):
            request_docs.write(town_db, req["id"], kind, tmp_path / f"{kind}.docx")
    assert not list(tmp_path.glob("*.docx"))
    req = registered(town_db, consult_start="2024-10-08", consult_end="2024-10-14", extended="2024-10-30")
    request_docs.write(town_db, req["id"], "consult", tmp_path / "c.docx")
    assert "2024年10月8日至2024年10月14日" in body_text(tmp_path / "c.docx")
    request_docs.write(town_db, req["id"], "extension", tmp_path / "e.docx")
    due = requests.describe(req, workdays.load_calendar(town_db), TODAY)["due"]
    y, m, d = (int(x) for x in due.split("-"))
    assert f"{y}年{m}月{d}日前作出答复" in body_text(tmp_path / "e.docx")


def test_a_users_own_template_is_used(town_db, tmp_path):
    from docx import Document

    db_path = tmp_path / "ledger.sqlite3"
    source = tmp_path / "mine.docx"
    templates.export_template(db_path, "request_correction", source)
    doc = Document(str(source))
    doc.add_paragraph("本镇联系电话：0533-1234567")
    doc.save(str(source))
    templates.load_template(db_path, "request_correction", source)
    req = registered(town_db, correction_asked="2024-09-30")
    request_docs.write(town_db, req["id"], "correction", tmp_path / "补正.docx", db_path=db_path)
    text = body_text(tmp_path / "补正.docx")
    assert "本镇联系电话：0533-1234567" in text and "补正" in text
