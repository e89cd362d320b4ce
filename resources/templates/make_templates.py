"""Generate the docxtpl templates the forms are filled from (run by a developer, output committed):

    .venv/bin/python resources/templates/make_templates.py

activity_plan.docx   政府开放活动计划安排报送表 (the county's layout: 4 columns, merges, one table per activity)
activity_report.docx 政府开放活动开展情况报送表
ledger.docx          工作任务台账 frame (landscape); the table itself replaces the {{ table }} paragraph
annual_report.docx   政府信息公开工作年度报告 frame; sections and tables replace its 〔ZWGK-AR-…〕 paragraphs

Every run names its East Asian font (w:eastAsia); A4 with GB/T 9704 margins; page numbers
"— 1 —" in 4号 宋体 in the footer (odd pages right, even pages left). Users may change wording, widths or add a logo in Word/WPS
and load the file back (设置 → 模板).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from core.export.common import (  # noqa: E402
    BODY_FONT,
    HEADING_FONT,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    TITLE_FONT,
    mm_to_twips,
    paragraph_xml,
    rpr_xml,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_DECL = f'xmlns:w="{W_NS}"'
PLAN_COL = 2211  # the county's column width (dxa); 4 × 2211 = 156 mm = A4 minus 28 + 26 mm
LABEL = rpr_xml(BODY_FONT, SIZE_4)
VALUE = rpr_xml(BODY_FONT, SIZE_SMALL_4)
TITLE = rpr_xml(TITLE_FONT, SIZE_2)
UNIT = rpr_xml(BODY_FONT, SIZE_4)
# Keep each activity's table on one page: every cell paragraph keeps with the next.
KEEP = '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="280" w:lineRule="atLeast"/>'


def cell(text: str, rpr: str, span: int = 1, align: str = "left") -> str:
    """A table cell spanning `span` grid columns, vertically centred."""
    width = PLAN_COL * span
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}<w:vAlign w:val="center"/></w:tcPr>'
        f"{paragraph_xml(text, rpr, align, KEEP)}</w:tc>"
    )


def row(cells: str, height_mm: float) -> str:
    """A table row at least `height_mm` high."""
    return f'<w:tr><w:trPr><w:trHeight w:val="{mm_to_twips(height_mm)}" w:hRule="atLeast"/></w:trPr>{cells}</w:tr>'


def table(rows: list[str]) -> str:
    """The county's 4-column bordered table."""
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{PLAN_COL}"/>' for _ in range(4))
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{PLAN_COL * 4}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def label_value_row(label: str, value: str, height: float) -> str:
    return row(cell(label, LABEL, align="center") + cell(value, VALUE, span=3), height)


def pair_row(label1, value1, label2, value2, height=14) -> str:
    return row(
        cell(label1, LABEL, align="center") + cell(value1, VALUE) + cell(label2, LABEL, align="center") + cell(value2, VALUE),
        height,
    )


def plan_body() -> str:
    """Title, 单位名称, and one table per activity."""
    plan = table(
        [
            label_value_row("活动主题", "{{ a.theme }}", 16),
            pair_row("开展时间", "{{ a.time }}", "开展地点", "{{ a.place }}", 18),
            label_value_row("活动内容", "{{ a.content }}", 40),
            label_value_row("活动对象", "{{ a.audience }}", 18),
            label_value_row("活动报名方式", "{{ a.signup }}", 18),
            pair_row("联系人", "{{ a.contact }}", "联系方式", "{{ a.phone }}"),
        ]
    )
    return (
        paragraph_xml("政府开放活动计划安排报送表", TITLE, "center", '<w:spacing w:before="0" w:after="240"/>')
        + paragraph_xml("单位名称：{{ unit }}", UNIT, "left", '<w:spacing w:before="0" w:after="120"/>')
        + paragraph_xml("{%p for a in activities %}", UNIT)
        + plan
        + paragraph_xml("", UNIT)
        + paragraph_xml("{%p endfor %}", UNIT)
    )


def report_body() -> str:
    """Title, 单位名称, and one table per activity held."""
    report = table(
        [
            label_value_row("活动主题", "{{ a.theme }}", 14),
            pair_row("开展日期", "{{ a.held_on }}", "开展地点", "{{ a.place }}"),
            label_value_row("活动内容", "{{ a.content }}", 30),
            pair_row("活动对象", "{{ a.audience }}", "参加人数", "{{ a.participants }}"),
            pair_row("征集意见", "{{ a.opinions }}", "答复意见", "{{ a.answered }}"),
            pair_row("采纳意见", "{{ a.adopted }}", "报送时限", "{{ a.due }}"),
            label_value_row("开展情况", "{{ a.note }}", 30),
            label_value_row("相关链接", "{{ a.links }}", 14),
            pair_row("联系人", "{{ a.contact }}", "联系方式", "{{ a.phone }}"),
        ]
    )
    return (
        paragraph_xml("政府开放活动开展情况报送表", TITLE, "center", '<w:spacing w:before="0" w:after="240"/>')
        + paragraph_xml("单位名称：{{ unit }}", UNIT, "left", '<w:spacing w:before="0" w:after="120"/>')
        + paragraph_xml("{%p for a in activities %}", UNIT)
        + report
        + paragraph_xml("", UNIT)
        + paragraph_xml("{%p endfor %}", UNIT)
    )


def ledger_body() -> str:
    """Title, unit and date line, and the paragraph the ledger table replaces."""
    return (
        paragraph_xml("{{ year }}年政务公开工作任务台账", TITLE, "center", '<w:spacing w:before="0" w:after="200"/>')
        + paragraph_xml("填报单位：{{ unit }}", rpr_xml(BODY_FONT, SIZE_SMALL_4), "left", '<w:spacing w:before="0" w:after="0"/>')
        + paragraph_xml("填报日期：{{ date }}", rpr_xml(BODY_FONT, SIZE_SMALL_4), "left", '<w:spacing w:before="0" w:after="120"/>')
        + paragraph_xml("{{ table }}", rpr_xml(BODY_FONT, SIZE_SMALL_4))
    )


def annual_report_body() -> str:
    """政府信息公开工作年度报告: title, the six headings, and the marker paragraphs the program
    replaces with the sections' text and the national tables (each marker alone in its paragraph)."""
    heading = rpr_xml(HEADING_FONT, SIZE_3)
    body = rpr_xml(BODY_FONT, SIZE_3)
    exact = '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
    indent = exact + '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    parts = [
        paragraph_xml("{{ unit }}{{ year }}年政府信息公开工作年度报告", TITLE, "center", '<w:spacing w:before="0" w:after="480"/>'),
        paragraph_xml("本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
                      "政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自"
                      "{{ year }}年1月1日起至{{ year }}年12月31日止。", body, "both", indent),
    ]
    for title, marker in (
        ("一、总体情况", "〔ZWGK-AR-SECTION1〕"),
        ("二、主动公开政府信息情况", "〔ZWGK-AR-TABLE2〕"),
        ("三、收到和处理政府信息公开申请情况", "〔ZWGK-AR-TABLE3〕"),
        ("四、政府信息公开行政复议、行政诉讼情况", "〔ZWGK-AR-TABLE4〕"),
        ("五、存在的主要问题及改进情况", "〔ZWGK-AR-SECTION5〕"),
        ("六、其他需要报告的事项", "〔ZWGK-AR-SECTION6〕"),
    ):
        parts.append(paragraph_xml(title, heading, "left", indent.replace("<w:spacing", '<w:keepNext/><w:spacing')))
        parts.append(paragraph_xml(marker, body, "left", exact))
    return "".join(parts)


APPEAL_ROUTES = ("如对本答复不服，可以自收到本答复之日起60日内依法向本机关的上一级行政机关或者本级人民政府申请行政复议，"
                 "也可以自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
REPLIES = {  # result group -> (title word, body paragraphs); {{ reason }} names the row of table 三
    "1": ("予以公开", ["经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开。现将有关信息按您要求的"
                       "{{ form }}形式提供给您（见附件）。"]),
    "2": ("部分公开", ["经审查，您申请获取的政府信息中部分内容属于不予公开的范围，本机关对可以公开的部分予以公开，"
                       "现按您要求的{{ form }}形式提供给您（见附件）；其余部分依法不予公开。"]),
    "3": ("不予公开", ["经审查，您申请获取的政府信息{{ reason }}，根据《中华人民共和国政府信息公开条例》"
                       "第十四条、第十五条、第十六条的规定，本机关决定不予公开。"]),
    "4": ("无法提供", ["经审查，{{ reason }}，根据《中华人民共和国政府信息公开条例》第三十六条的规定，本机关无法提供"
                       "您申请获取的政府信息。"]),
    "5": ("不予处理", ["经审查，您的申请{{ reason }}，根据《中华人民共和国政府信息公开条例》第三十六条、"
                       "第三十九条的规定，本机关不予处理。"]),
    "6": ("其他处理", ["经审查，{{ reason }}，本机关对您的政府信息公开申请不再处理。"]),
}


def _doc_parts(title: str, paragraphs: list[str], salutation: str = "{{ name }}：", compact: bool = False) -> str:
    """A GB/T 9704 letter: title, number line, salutation, body, unit and date at the right."""
    body = rpr_xml(BODY_FONT, SIZE_3)
    exact = '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'
    indent = exact + '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    out = [
        paragraph_xml(title, TITLE, "center", f'<w:spacing w:before="0" w:after="{120 if compact else 240}"/>'),
        paragraph_xml("编号：{{ no }}", body, "right", exact),
    ]
    out.append(paragraph_xml(salutation, body, "left", exact))
    out += [paragraph_xml(text, body, "both", indent) for text in paragraphs]
    out += [
        "" if compact else paragraph_xml("", body, "left", exact),
        paragraph_xml("{{ unit }}", body, "right", exact.replace("<w:spacing", '<w:ind w:right="640"/><w:spacing')),
        paragraph_xml("{{ date }}", body, "right", exact.replace("<w:spacing", '<w:ind w:right="640"/><w:spacing')),
    ]
    return "".join(out)


def receipt_body() -> str:
    """政府信息公开申请登记表 and, below a cut line, the 接收回执 for the applicant."""
    rows = [
        pair_row("编号", "{{ no }}", "收到日期", "{{ received }}", 10),
        pair_row("收到方式", "{{ channel }}", "申请人类别", "{{ applicant }}", 10),
        pair_row("申请人", "{{ name }}", "联系方式", "{{ contact }}", 10),
        label_value_row("所需信息", "{{ content }}", 24),
        pair_row("获取形式", "{{ form }}", "法定答复期限", "{{ due }}", 10),
        label_value_row("备注", "{{ note }}", 10),
    ]
    return (
        paragraph_xml("政府信息公开申请登记表", TITLE, "center", '<w:spacing w:before="0" w:after="240"/>')
        + paragraph_xml("登记单位：{{ unit }}", UNIT, "left", '<w:spacing w:before="0" w:after="120"/>')
        + table(rows)
        + paragraph_xml("- - - - - - - - - - - - - - - - - - （沿此线剪开） - - - - - - - - - - - - - - - - - -", VALUE, "center",
                        '<w:spacing w:before="240" w:after="240"/>')
        + _doc_parts("政府信息公开申请接收回执", [
            "本机关于{{ received }}收到您（单位）以{{ channel }}方式提出的政府信息公开申请，申请内容为：{{ content }}。",
            "本机关将依照《中华人民共和国政府信息公开条例》的规定，于{{ due }}前作出答复。如需补正申请或征求第三方意见，"
            "答复期限按条例规定计算，届时另行告知。",
        ], compact=True)
    )


def correction_body() -> str:
    return _doc_parts("政府信息公开申请补正告知书", [
        "本机关于{{ received }}收到您（单位）提出的政府信息公开申请，申请内容为：{{ content }}。",
        "经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第二十九条、第三十条的规定，"
        "请您对申请作出补正，说明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。",
        "答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ])


def extension_body() -> str:
    return _doc_parts("政府信息公开申请延期答复告知书", [
        "本机关于{{ received }}收到您（单位）提出的政府信息公开申请，申请内容为：{{ content }}。",
        "因情况复杂，本机关不能在规定期限内作出答复。经政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》"
        "第三十三条第二款的规定，答复期限延长20个工作日，本机关将于{{ due }}前作出答复。",
    ])


def consult_body() -> str:
    return _doc_parts("政府信息公开征求意见书", [
        "本机关于{{ received }}收到政府信息公开申请，申请公开的信息为：{{ content }}。该信息可能涉及您（单位）的合法权益，"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您（单位）的意见。",
        "请于收到本征求意见书之日起15个工作日内提出意见（征求意见期间：{{ consult_start }}至{{ consult_end }}）。"
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；"
        "本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知您（单位）。",
    ], salutation="＿＿＿＿＿＿＿＿（第三方）：")


def reply_body(group: str):
    word, paragraphs = REPLIES[group]

    def body() -> str:
        return _doc_parts(f"政府信息公开申请答复书（{word}）", [
            "本机关于{{ received }}收到您（单位）提出的政府信息公开申请，申请内容为：{{ content }}。",
            *paragraphs,
            APPEAL_ROUTES,
        ])

    return body


def page_number_paragraph(side: str) -> str:
    """A footer paragraph "— 1 —" in 4号 宋体 on `side` (right|left), one character in from the edge."""
    rpr = rpr_xml(PAGE_NUMBER_FONT, SIZE_4)
    indent = f'<w:ind w:{side}="{SIZE_4 * 10}"/>'  # one 4号 (14 pt = 280 twips) character
    return (
        f'<w:p {NS_DECL}><w:pPr><w:jc w:val="{side}"/>{indent}{rpr}</w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )


def page_number_footer(doc) -> None:
    """GB/T 9704 page numbers: "— 1 —" in 4号 宋体, odd pages at the right, even pages at the left."""
    from lxml import etree

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        ftr = footer._element
        for p in list(ftr):
            ftr.remove(p)
        ftr.append(etree.fromstring(page_number_paragraph(side)))


def default_fonts(doc) -> None:
    """Name 仿宋_GB2312 as the document's default fonts (what a user typing in Word gets)."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr_default.makeelement(qn("w:rFonts"), {})
        rpr_default.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)


def build(body_xml: str, landscape: bool):
    """A python-docx Document holding `body_xml` on A4 with GB/T 9704 margins."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm
    from lxml import etree

    doc = Document()
    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    wrapper = etree.fromstring(f"<w:body {NS_DECL}>{body_xml}</w:body>")
    sect = body[-1]
    for element in list(wrapper):
        sect.addprevious(element)
    page_number_footer(doc)
    default_fonts(doc)
    doc.core_properties.title = ""
    doc.core_properties.author = "政务公开工作台账"
    return doc


TEMPLATES = {
    "activity_plan": (plan_body, False),
    "activity_report": (report_body, False),
    "ledger": (ledger_body, True),
    "annual_report": (annual_report_body, False),
    "request_receipt": (receipt_body, False),
    "request_correction": (correction_body, False),
    "request_extension": (extension_body, False),
    "request_consult": (consult_body, False),
    **{f"request_reply_{group}": (reply_body(group), False) for group in REPLIES},
}


def write_all(folder: Path = HERE) -> list[Path]:
    """Write every template into `folder`; returns the paths written."""
    written = []
    for name, (body, landscape) in TEMPLATES.items():
        target = folder / f"{name}.docx"
        build(body(), landscape).save(str(target))
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(f"wrote {path}")
