"""Deadlines written inside a task's requirement ("…于7月8日前报…", "…后5个工作日内…").

When a row has no deadline of its own (no 时限要求 column, or its cell is blank), the phrases
of its requirement that set a date are taken as its deadline, marked as quoted from the
requirement ("时限（摘自工作要求）"). They are read by the same clause reader as `due`
(core.calendar.deadlines.parse_deadline); a phrase is kept only when that reader finds a date in it
(fixed, yearly, counted from the plan or from an event) or a periodic duty (每季度末, 每月底).
"""

import re

from core.plan.text import clean

SOURCE_REQUIREMENT = "requirement"  # tasks.deadline_source for a deadline quoted from the requirement
SOURCE_LABEL = "时限（摘自工作要求）"
MAX_PHRASE = 40

_DATE = r"(?:\d{4}年(?:年?底|年?末)|(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日|份|底|末|上旬|中旬|下旬)?|年底|年末|上半年|下半年|第?[1-4]季度(?:末|底)?))"
_PHRASES = [
    re.compile(r"(?:每年的?)?" + _DATE + r"(?:前|之前|以前)"),
    re.compile(r"每年的?\d{1,2}月\d{1,2}日"),
    re.compile(r"(?:后|之日起|之日后|起)的?\d+个?(?:工作日|自然日|日|天)(?:内|之内|以内)"),
    re.compile(r"每(?:季度|月|半年)(?:末|底)"),
]
_CUT_BEFORE = re.compile(r"[，,；;。：:（(]")
_LEAD_WORDS = ("于", "在", "自", "从")
_PERIODIC = ("每季度", "每月", "每半年")


def deadline_from_requirement(requirement: str, plan_year=None) -> str:
    """The requirement's deadline phrases joined by "；", or "" when it sets no date."""
    from core.calendar.deadlines import normalise, parse_deadline

    phrases = []
    for part in re.split(r"[。；;！!\n]", clean(requirement)):
        norm = normalise(part)
        for pattern in _PHRASES:
            for match in pattern.finditer(norm):
                phrase = _phrase_around(norm, match)
                if phrase in phrases or any(phrase in p or p in phrase for p in phrases):
                    continue
                if _sets_date(parse_deadline(phrase, plan_year=plan_year), phrase):
                    phrases.append(phrase)
    return "；".join(phrases)


def _phrase_around(text: str, match) -> str:
    """The clause holding a deadline match: from its event words or 于…, to the clause's end."""
    start = match.start()
    head = text[:start]
    cut = max((m.end() for m in _CUT_BEFORE.finditer(head)), default=0)
    lead = max((head.rfind(w) for w in _LEAD_WORDS if head.rfind(w) >= cut), default=-1)
    if match.group(0).startswith(("后", "之日", "起")):
        start = lead if lead >= 0 else max(cut, start - 12)
    elif lead >= 0 and start - lead <= 2:
        start = lead
    tail = text[match.end():]
    end_cut = _CUT_BEFORE.search(tail)
    end = match.end() + (end_cut.start() if end_cut else len(tail))
    phrase = text[start:end]
    if len(phrase) > MAX_PHRASE:
        phrase = text[start:max(match.end(), start + MAX_PHRASE)]
    return phrase


def _sets_date(clauses, phrase: str) -> bool:
    """True when the clause reader found a date (or a periodic duty) in the phrase."""
    if any(c.kind in ("fixed", "yearly", "plan", "event") and not c.note.startswith("未写明") for c in clauses):
        return True
    return any(c.kind == "standing" for c in clauses) and any(w in phrase for w in _PERIODIC)


def add_requirement_deadlines(tasks, plan_year=None) -> int:
    """Give each task without a deadline the one its requirement states; the number given."""
    count = 0
    for task in tasks:
        if task.deadline.strip():
            continue
        found = deadline_from_requirement(task.requirement, plan_year)
        if found:
            task.implied_deadline = found
            count += 1
    return count
