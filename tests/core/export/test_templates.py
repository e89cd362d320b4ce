
import pytest
from docx import Document

from core.errors import UserError
from core.export import export, templates
from tests.core.export.xmlcheck import NS, part, text_of


def test_export_change_and_load_back_a_template(ledger_db, tmp_path):
    db_path = tmp_path / "ledger.sqlite3"
    copy = tmp_path / "mine.docx"
    templates.export_template(db_path, "activity_plan", copy)
    doc = Document(str(copy))
    title = doc.paragraphs[0]
    title.runs[0].text = "城东街道政府开放活动计划表"
    doc.save(str(copy))
    templates.load_template(db_path, "activity_plan", copy)
    assert templates.is_custom(db_path, "activity_plan")
    out = tmp_path / "out.docx"
    export(ledger_db, "open-activity-plan", "docx", out, db_path=db_path)
    assert text_of(part(out, "word/document.xml").find("w:body/w:p", NS)) == "城东街道政府开放活动计划表"
    assert templates.reset_template(db_path, "activity_plan")
    assert not templates.is_custom(db_path, "activity_plan")


def test_bad_templates_are_refused(tmp_path):
    db_path = tmp_path / "ledger.sqlite3"
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("hello")
    with pytest.raises(UserError, match="不是 .docx"):
        templates.load_template(db_path, "ledger", not_docx)
    unknown = tmp_path / "unknown.docx"
    doc = Document()
    doc.add_paragraph("{{ table }} {{ secret }}")
    doc.save(str(unknown))
    with pytest.raises(UserError, match="secret"):
        templates.load_template(db_path, "ledger", unknown)
    missing = tmp_path / "missing.docx"
    doc = Document()
    doc.add_paragraph("{{ unit }}")
    doc.save(str(missing))
    with pytest.raises(UserError, match="table"):
        templates.load_template(db_path, "ledger", missing)
    broken = tmp_path / "broken.docx"
    doc = Document()
    doc.add_paragraph("{% for a in activities %}{{ a.theme }}")
    doc.save(str(broken))
    with pytest.raises(UserError):
        templates.load_template(db_path, "activity_plan", broken)
    assert not templates.user_folder(db_path).exists() or not list(templates.user_folder(db_path).iterdir())


def test_shipped_templates_declare_their_variables():
    for name in templates.TEMPLATES:
        used = templates.validate_template(name, templates.shipped_path(name))
        assert templates.REQUIRED[name] <= used <= templates.VARIABLES[name]
