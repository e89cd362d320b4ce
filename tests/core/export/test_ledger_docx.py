from core.export import export
from core.export.common import set_ledger_columns
from tests.core.export.xmlcheck import NS, W, part, runs_without_east_asian_font, text_of


def test_ledger_docx_landscape_table_header_merges_fonts(ledger_db, tmp_path):
    out = tmp_path / "台账.docx"
    export(ledger_db, "ledger", "docx", out)
    doc = part(out, "word/document.xml")
    sect = doc.find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert size.get(f"{{{W}}}orient") == "landscape"
    assert int(size.get(f"{{{W}}}w")) > int(size.get(f"{{{W}}}h"))
    margins = sect.find("w:pgMar", NS)
    assert abs(int(margins.get(f"{{{W}}}top")) - 2098) <= 2 and abs(int(margins.get(f"{{{W}}}left")) - 1587) <= 2
    body_text = text_of(doc)
    assert "2024年政务公开工作任务台账" in body_text and "填报单位：城东街道" in body_text
    assert "〔ZWGK" not in body_text and "{{" not in body_text
    table = doc.find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert [text_of(tc) for tc in rows[0].findall("w:tc", NS)][:4] == ["序号", "工作任务", "工作要求", "工作举措"]
    assert len(rows) == 6
    first = rows[1].findall("w:tc", NS)
    assert first[0].find("w:tcPr/w:vMerge", NS).get(f"{{{W}}}val") == "restart"
    second = rows[2].findall("w:tc", NS)
    assert second[0].find("w:tcPr/w:vMerge", NS) is not None and second[0].find("w:tcPr/w:vMerge", NS).get(f"{{{W}}}val") is None
    assert text_of(second[3]) == "+录制解读视频" and second[3].find("w:tcPr/w:vMerge", NS) is None
    assert runs_without_east_asian_font(doc) == []
    fonts = {r.get(f"{{{W}}}eastAsia") for r in table.iter(f"{{{W}}}rFonts")}
    assert fonts == {"黑体", "仿宋_GB2312"}
    # GB/T 9704: "— 1 —" in 4号 宋体, odd pages at the right, even pages at the left.
    assert part(out, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    sides = {}
    for ref in doc.iter(f"{{{W}}}footerReference"):
        rel = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        footer = part(out, f"word/{footer_target(out, rel)}")
        assert "PAGE" in "".join(footer.itertext()) and text_of(footer).startswith("— ")
        assert {r.get(f"{{{W}}}eastAsia") for r in footer.iter(f"{{{W}}}rFonts")} == {"宋体"}
        sides[ref.get(f"{{{W}}}type")] = footer.find(".//w:jc", NS).get(f"{{{W}}}val")
    assert sides == {"default": "right", "even": "left"}


def footer_target(path, rel_id):
    """The file name a relationship id of document.xml points to."""
    rels = part(path, "word/_rels/document.xml.rels")
    return next(r.get("Target") for r in rels if r.get("Id") == rel_id)


def test_ledger_docx_follows_chosen_columns(ledger_db, tmp_path):
    set_ledger_columns(ledger_db, ["measure", "seq"])
    out = tmp_path / "l.docx"
    export(ledger_db, "ledger", "docx", out)
    doc = part(out, "word/document.xml")
    header = doc.find(".//w:tbl/w:tr", NS)
    assert [text_of(tc) for tc in header.findall("w:tc", NS)] == ["工作举措", "序号"]
    widths = [int(g.get(f"{{{W}}}w")) for g in doc.findall(".//w:tbl/w:tblGrid/w:gridCol", NS)]
    assert widths[0] > widths[1] and abs(sum(widths) - 13778) < 5
