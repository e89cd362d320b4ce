"""Plan metadata from the notice's text: title, year, 文号, issuing office, date, report dates."""

import re

from core.plan.text import chinese_number, clean, fold

_DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(r"^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_OFFICE_END = ("办公室", "人民政府", "委员会", "管委会", "管理委员会", "政府", "局", "办公厅")
_PLAN_WORDS = ("方案", "要点", "计划", "任务", "清单", "安排")
_REPORT = re.compile(
    r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[（(]\s*(?:星期|周)[一二三四五六日天]\s*[）)])?\s*(?:前|之前|以前)")
_REPORT_VERBS = ("报", "交", "送", "备案", "反馈", "编制", "制定", "形成")
_MAKE_VERBS = re.compile(r"^(?:编制|制定|形成|梳理|完成|报送|上报|提交)(?:好|出)?")


def read_metadata(paragraphs, extra_texts=()) -> dict:
    """Title, year, doc_no, issuer, issued and report_dates found in the body paragraphs."""
    lines = [clean(p) for p in paragraphs]
    lines = [line for line in lines if line]
    doc_no = find_doc_no(lines)
    issued_index, issued = find_issued(lines)
    issuer = find_issuer(lines, issued_index)
    title = find_title(lines)
    year = _year_of(title) or (int(doc_no[doc_no.index("〔") + 1:][:4]) if doc_no else None) or (
        int(issued[:4]) if issued else None)
    report_dates = find_report_dates(list(lines) + [clean(t) for t in extra_texts], year)
    return {"title": title, "year": year, "doc_no": doc_no, "issuer": issuer, "issued": issued,
            "report_dates": report_dates}


def find_doc_no(lines) -> str:
    """The 文号 (博政办字〔2024〕14号), brackets normalised to 〔〕; the first one standing alone."""
    for line in lines[:40]:
        match = _DOC_NO.search(line)
        if match and len(fold(line)) <= len(fold(match.group(0))) + 12:
            return f"{fold(match.group(1))}〔{match.group(2)}〕{match.group(3)}号"
    return ""


def parse_date_text(text: str) -> str | None:
    """'2024年6月24日' or '二〇二四年六月二十四日' as YYYY-MM-DD, else None."""
    t = fold(text)
    match = _DATE.match(t)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = _CN_DATE.match(t)
        if not match:
            return None
        y = int("".join(str(chinese_number(ch)) for ch in match.group(1)))
        m, d = chinese_number(match.group(2)), chinese_number(match.group(3))
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def find_issued(lines):
    """(index, YYYY-MM-DD) of the first paragraph that is only a date (the signing date)."""
    for i, line in enumerate(lines):
        date = parse_date_text(line)
        if date:
            return i, date
    return None, None


def _looks_like_office(line: str) -> bool:
    t = fold(line)
    return 4 <= len(t) <= 40 and t.endswith(_OFFICE_END) and not re.search(r"[，。：；、]", t)


def find_issuer(lines, issued_index) -> str:
    """The issuing office: the signature above the date, else the notice heading."""
    if issued_index:
        for line in reversed(lines[max(0, issued_index - 3):issued_index]):
            if _looks_like_office(line):
                return fold(line)
    for line in lines[:10]:
        t = fold(line)
        if t.endswith("文件") and _looks_like_office(t[:-2]):
            return t[:-2]
        if "关于" in t and _looks_like_office(t.split("关于")[0]):
            return t.split("关于")[0]
    for line in lines[:10]:
        if _looks_like_office(line):
            return fold(line)
    return ""


def find_title(lines) -> str:
    """The plan's own title: 《…》 named in the notice, else its heading line, else the notice's."""
    for line in lines[:30]:
        for name in re.findall(r"《([^》]{4,60})》", line):
            if any(w in name for w in _PLAN_WORDS) and _year_of(name):
                return fold(name)
    for line in lines[:60]:
        t = fold(line)
        if len(t) <= 50 and _year_of(t) and t.endswith(_PLAN_WORDS) and "关于" not in t and "附件" not in t:
            return t
    joined = "".join(fold(line) for line in lines[:12])
    match = re.search(r"关于印发(.{4,60}?)的通知", joined)
    if match:
        return match.group(1)
    for line in lines[:60]:
        t = fold(line)
        if len(t) <= 50 and _year_of(t) and t.endswith(("表", "清单")):
            return t
    return ""


def _year_of(text: str):
    match = re.search(r"((?:19|20)\d{2})\s*年", text or "")
    return int(match.group(1)) if match else None


def find_report_dates(texts, year) -> list:
    """Dates the notice sets for the units: [{"what": "工作台账", "date": "YYYY-MM-DD"}]."""
    found, seen = [], set()
    for text in texts:
        for clause in re.split(r"[。；;！!\n]", text):
            for match in _REPORT.finditer(clause):
                after = clause[match.end():match.end() + 30]
                if not any(v in after for v in _REPORT_VERBS):
                    continue
                y = int(match.group(1)) if match.group(1) else year
                m, d = int(match.group(2)), int(match.group(3))
                if not y or not (1 <= m <= 12 and 1 <= d <= 31):
                    continue
                date = f"{y:04d}-{m:02d}-{d:02d}"
                what = _what_before(clause[:match.start()]) or _what_after(after) or fold(clause[:match.start()])[-20:]
                if (what, date) not in seen:
                    seen.add((what, date))
                    found.append({"what": what, "date": date})
    return found


def _what_before(text: str) -> str:
    """The thing to hand in, from the words before a date: '工作台账于' → '工作台账'."""
    t = fold(text)
    t = re.split(r"[，,：:]", t)[-1]
    t = re.sub(r"(请|要|务必|须|应|并|需)?(在|于|按|将)?$", "", t)
    t = re.sub(r"(按附件\d*要求|按要求)$", "", t)
    t = re.sub(r"^(各部门单位|各部门|各单位|各镇（街道）|请各单位|请)", "", t)
    return t


def _what_after(text: str) -> str:
    """The thing to make or hand in, from the words after a date: '前编制本单位工作台账并报…' → '本单位工作台账'."""
    t = fold(text)
    t = _MAKE_VERBS.sub("", t)
    t = re.split(r"[，,（(]|并|报|交|送|备案|反馈", t)[0]
    return t[:20]
