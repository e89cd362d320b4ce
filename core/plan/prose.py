"""Tasks of a plan that has no task table: the numbered items of its body (工作要点 style).

    一、围绕绿色低碳高质量发展强化信息公开            → level-1 task
    （一）围绕促进经济发展做好政府信息专题公开。围绕…  → task 1: its first sentence is the
                                                      level-2 task, the rest its requirement
A paragraph that starts with no number continues the item above (PDF page breaks split them),
except after the last item: there, once the item's text has come to the end of a sentence, the
unnumbered paragraphs that follow close the notice ("各单位工作台账于5月31日前报…") and are not
part of the item (their report dates are read as the plan's, see metadata.find_report_dates).
"""

import re

from core.plan.model import ParsedTask
from core.plan.text import chinese_number, clean

_HEADING = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+)$")
_ITEM = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.+)$")
# Where the items end: an attachment list, the sender line and date of the 版记, 抄送.
_END = re.compile(r"^(附件\s*\d*\s*[:：]?|抄送|.{2,30}(办公室|人民政府|委员会)$|\d{4}年\d{1,2}月\d{1,2}日(印发)?$)")
_TITLE_END = re.compile(r"[。；;]")
MAX_HEADING = 40


def tasks_from_paragraphs(texts, warnings: list) -> list:
    """ParsedTasks from the numbered items of a body; [] when it has fewer than three."""
    tasks, heading, current = [], "", None
    tail = []  # unnumbered paragraphs added to the current item
    for raw in texts:
        text = clean(raw)
        if not text:
            continue
        if tasks and _END.match(text):
            break
        heading_match = _HEADING.match(text)
        item_match = _ITEM.match(text)
        if heading_match and len(heading_match.group(2)) <= MAX_HEADING and not text.endswith("。"):
            heading, current = heading_match.group(2).strip(), None
        elif item_match and heading:
            current = _task(str(len(tasks) + 1), heading, item_match.group(2))
            number = chinese_number(item_match.group(1))
            if number is not None:
                current.seq = str(number) if number == len(tasks) + 1 else current.seq
            tasks.append(current)
            tail = []
        elif current is not None:
            current.requirement = current.requirement + text
            tail.append(text)
    if len(tasks) < 3:
        return []
    if current is not None and tail:
        _drop_closing(current, tail)
    for task in tasks:
        _split_title(task)
    warnings.append(
        f"方案中没有任务分解表，已按正文的“（一）（二）…”条目识别出 {len(tasks)} 项任务；"
        "责任单位和时限未写明，请在预览中核对补充。"
    )
    return tasks


_SENTENCE_END = ("。", "！", "？", "；")


def _drop_closing(task: ParsedTask, tail: list) -> None:
    """Take the closing paragraphs off the last item: those after its text ends a sentence."""
    text = task.requirement[: len(task.requirement) - sum(len(t) for t in tail)]
    for index, paragraph in enumerate(tail):
        if text.endswith(_SENTENCE_END):
            task.requirement = text
            return
        text += paragraph
    task.requirement = text


def _task(seq: str, heading: str, text: str) -> ParsedTask:
    return ParsedTask(seq=seq, category=[heading], requirement=text.strip(), source="正文")


def _split_title(task: ParsedTask) -> None:
    """Move an item's first sentence (its name) into the second task level."""
    match = _TITLE_END.search(task.requirement)
    if not match:
        return
    title, rest = task.requirement[: match.start()].strip(), task.requirement[match.end():].strip()
    if title and rest and len(title) <= MAX_HEADING:
        task.category = task.category + [title]
        task.requirement = rest
