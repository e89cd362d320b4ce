"""Importing the county's plan: readers for .docx/.xlsx/HTML/legacy/PDF files, table logic, storage.

Public entry points:
- read_plan(path, progress=None) -> ParsedPlan
- plan_import.import_plan(db, path_or_parsed) -> dict report
- import_rules() -> the rules below, as the import preview's help shows them to users

The importer's rules, in one place (user-facing, so in Chinese; each rule names the module
that carries it out):

RULES:
【能读的文件】
1. Word（.docx；.doc/.wps 经 LibreOffice 转换；另存为网页的 .doc）、Excel（.xlsx；.xls/.et 经转换）、
   PDF（有文字层的 PDF，含横向页面和跨页的表格）。（reader.py、pdf_reader.py）
2. 扫描件 PDF（每页只是图片，没有文字）不能读取，会提示“这是扫描件”，请向县里索取 Word 版或可复制文字的 PDF；
   有密码的 PDF 和 Word 也不能读取。（pdf_reader.py）
【哪张表是任务分解表】
3. 表头写明“工作要求/工作任务”一类的列，并有“责任单位”或“时限要求”一类的列；台账、报送表等其他表格不算。（header.py）
4. 每页重复表头的多张表、紧跟其后的无表头同宽表格，都是同一张表的续页；“续表”“— 4 —”页码不算正文。（table_logic.py）
【合并单元格与“同上”】
5. 合并单元格的内容属于它覆盖的每一行（这不算“填充”）。
6. 空白单元格按“同上”取上一行的内容，并在预览中以黄色底纹标出（“填充”）：一级任务总是；二级任务在一级任务
   相同时；责任单位（牵头列）总是；时限要求在该行的任务层级与上一行相同时。
7. 牵头、配合两列写成“X牵头，Y配合”；只有牵头列写“X”；只有配合列写“Y配合”。
【分页断开的内容】
8. 被分页或分表截断的任务名称（一级或二级）重新接起：下一页第一行若是上文的接续（序号和工作要求都空着、
   一段接上了上文的半句、上文以“、和的”或未闭合的括号结束、或二级任务仍是同一个），就并回原名称；
   下一页重复写出的原名称、或留空的，仍是原任务。接起后的“同上”填充按接好的任务进行。（table_logic.py）
9. 被分页截断的工作要求（下一页第一行没有序号、只有半句话）接回上一项；PDF 转换造成的字间空格去掉，
   一个名称被拆在两行的（“加强推动 高质量发”/“展信息公 开”）也接回。预览中以“接续”标出（与“填充”同样的底纹）。
【跳过与标题】
10. 有序号但没有工作要求的行跳过并提示；整行合并的行、以“一、”“（一）”编号而没有工作要求的行是分类标题。
【时限】
11. 某项没有自己的时限时，从工作要求中摘出写明日期的说法（“于7月8日前报…”“活动开展后5个工作日内”
    “每季度末”“6月底前完成”），标为“时限（摘自工作要求）”，按与“截止日期”相同的规则计算，可在台账中用
    “手工时限”改正。（deadline_text.py）
【发文信息】
12. 文号、发文机关、发文日期、年度从通知正文读取；网页格式的 .doc 按段落和换行拆开；Excel 从封面页、
    表格上方的标题行和下方的落款行读取。（metadata.py、html_reader.py、xlsx_reader.py）
13. 没有任务表的“工作要点”按正文“一、”“（一）”条目识别任务；最后一条之后不带编号的结尾段落
    （如“工作台账于5月31日前报…”）不属于该条，其中给各单位定的报送日期记为方案的报送时间。（prose.py）
"""


def read_plan(path, progress=None):
    """Read a plan file into a ParsedPlan (see core.plan.reader.read_plan)."""
    from core.plan.reader import read_plan as _read

    return _read(path, progress)


def import_rules() -> str:
    """The importer's rules for users: the RULES part of this package's docstring, each rule on
    one line, without the module names."""
    import re

    text = __doc__.split("RULES:", 1)[1]
    out = []
    for line in text.strip("\n").splitlines():
        line = line.strip()
        if out and line and not re.match(r"^(\d+\.|【)", line):
            out[-1] += line
        elif line:
            out.append(line)
    return "\n".join(re.sub(r"（[a-z_]+\.py(、[a-z_]+\.py)*）", "", line) for line in out)
