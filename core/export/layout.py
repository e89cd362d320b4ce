"""Planning a printed table: how wide each column is, and where a header may break.

Widths are measured in characters of the body font (a Chinese character is 1, a Latin letter
or digit ½). Short columns (序号, 状态, names, dates) get the width of their longest word so a
value such as 未开始 or a leader's name never breaks inside; the long texts (工作任务, 工作要求,
工作举措, 完成情况…) share the rest so that the ledger's rows, as they really are, take as few
lines as possible. The .docx and the PDF writer both use this plan.
"""

import math
import re

# Columns whose values are short words, never broken inside one.
SHORT_COLUMNS = {"seq", "due", "leader", "office", "handler", "status", "completed_on"}
MAX_SHORT = 8.0  # a short column is never wider than this (a long office name wraps at 、)
MIN_LONG = 4.0
SLACK = 0.5  # room for font metrics that differ from the count (仿宋 vs. a fallback font)
STEP = 0.5
LOOKAHEAD = 24  # steps tried before a column is judged not to gain from more width
SAMPLE_BLOCKS = 400  # the rows the plan is measured on, spread over the ledger
# Where a header may break (at word boundaries only); headers not listed stay whole.
HEADER_WORDS = {
    "单位分管领导": ("单位", "分管", "领导"),
    "工作任务": ("工作", "任务"),
    "工作要求": ("工作", "要求"),
    "工作举措": ("工作", "举措"),
    "时限要求": ("时限", "要求"),
    "完成期限": ("完成", "期限"),
    "责任科室": ("责任", "科室"),
    "完成状态": ("完成", "状态"),
    "完成情况": ("完成", "情况"),
    "完成时间": ("完成", "时间"),
    "开放活动（计划/已开展）": ("开放活动", "（计划/", "已开展）"),
    "最近报送日期": ("最近", "报送日期"),
    "长期坚持": ("长期", "坚持"),
}
_WORD_BREAKS = re.compile(r"[、，,;；\s/（）()]+")


def text_width(text: str) -> float:
    """The printed width of one line of `text` in body characters (Latin letters and digits count ½)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def lines_in(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (at least 1)."""
    if not text:
        return 1
    return sum(max(1, math.ceil(text_width(part) / width - 1e-9)) for part in str(text).split("\n"))


def header_words(header: str) -> tuple:
    """The words a header may be broken between."""
    return HEADER_WORDS.get(header, (header,))


def header_lines(header: str, width: float) -> list[str]:
    """The header packed into lines that fit `width` (with SLACK to spare), broken only between its words."""
    lines: list[str] = []
    for word in header_words(header):
        if lines and text_width(lines[-1] + word) <= width - SLACK + 1e-9:
            lines[-1] += word
        else:
            lines.append(word)
    return lines


def _longest_word(texts) -> float:
    """The width of the longest unbreakable word among `texts`."""
    best = 0.0
    for text in texts:
        for word in _WORD_BREAKS.split(str(text or "")):
            best = max(best, text_width(word))
    return best


def _sample(blocks: list) -> list:
    if len(blocks) <= SAMPLE_BLOCKS:
        return blocks
    step = len(blocks) / SAMPLE_BLOCKS
    return [blocks[int(i * step)] for i in range(SAMPLE_BLOCKS)]


class _Heights:
    """Lines per task for given widths, recomputing only the column that changes."""

    def __init__(self, blocks, widths: dict, row_keys: set):
        self.blocks, self.row_keys = blocks, row_keys
        self.cols = {k: self.column(k, w) for k, w in widths.items()}

    def column(self, key, width) -> list:
        """Per task: the lines of `key` (a list over its rows for a per-row column)."""
        if key in self.row_keys:
            return [[lines_in(r.get(key, ""), width) for r in b["rows"]] for b in self.blocks]
        return [lines_in(b["values"].get(key, ""), width) for b in self.blocks]

    def total(self, override=None) -> int:
        """Lines of all tasks; `override` = (key, column lines) tries one column's other width."""
        cols = dict(self.cols)
        if override:
            cols[override[0]] = override[1]
        merged = [c for k, c in cols.items() if k not in self.row_keys]
        per_row = [c for k, c in cols.items() if k in self.row_keys]
        total = 0
        for i, block in enumerate(self.blocks):
            m = max((c[i] for c in merged), default=1)
            r = sum(max((c[i][j] for c in per_row), default=1) for j in range(len(block["rows"])))
            total += max(m, r)
        return total


def plan_widths(columns: list[str], headers: dict, blocks: list, available: float, weights: dict,
                row_keys=frozenset(), short=SHORT_COLUMNS) -> dict:
    """Column widths (in characters, summing to `available`) for printing `blocks`.

    `blocks`: [{"values": {key: text}, "rows": [{key: text} for each printed row]}], where
    `row_keys` are the columns that change from row to row. Short columns get their longest
    word (values and header words); the others grow where a little more width saves the most
    lines; what no text needs is shared by `weights`.
    """
    sample = _sample(blocks)
    widths = {}
    for key in columns:
        header = max(text_width(w) for w in header_words(headers[key]))
        if key in short:
            texts = [b["values"].get(key, "") for b in sample] + [r.get(key, "") for b in sample for r in b["rows"]]
            widths[key] = min(MAX_SHORT, max(header, _longest_word(texts), 1.0)) + SLACK
        else:
            widths[key] = max(MIN_LONG, header)
    long_keys = [k for k in columns if k not in short]
    spare = available - sum(widths.values())
    if spare < 0 or not long_keys:  # too many columns for the page: shrink everything alike
        scale = available / sum(widths.values())
        return {k: w * scale for k, w in widths.items()}
    heights = _Heights(sample, widths, set(row_keys))
    total = heights.total()
    while spare >= STEP and total > len(sample):
        best = None  # (lines saved per character, key, steps, new lines, new total)
        for key in long_keys:
            for steps in range(1, min(LOOKAHEAD, int(spare / STEP)) + 1):
                lines = heights.column(key, widths[key] + steps * STEP)
                trial = heights.total((key, lines))
                if trial < total:
                    score = (total - trial) / steps
                    if best is None or score > best[0]:
                        best = (score, key, steps, lines, trial)
                    break
        if best is None:
            break
        _, key, steps, lines, total = best
        widths[key] += steps * STEP
        heights.cols[key] = lines
        spare -= steps * STEP
    weight_sum = sum(weights[k] for k in long_keys)
    for key in long_keys:  # what no text needs: shared by the columns' usual widths
        widths[key] += spare * weights[key] / weight_sum
    return widths


def ledger_widths(columns: list[str], blocks: list, available: float) -> dict:
    """The ledger's column widths in characters for core.export.common.ledger_blocks `blocks`."""
    from core.export.common import LEDGER_COLUMNS, ROW_COLUMNS

    planned = [
        {"values": b["values"], "rows": [{"measure": m["text"]} for m in b["measures"]]}
        for b in blocks
    ]
    headers = {k: LEDGER_COLUMNS[k][0] for k in columns}
    weights = {k: LEDGER_COLUMNS[k][1] for k in columns}
    return plan_widths(columns, headers, planned, available, weights, row_keys=ROW_COLUMNS)


def excel_header(header: str, width: float) -> tuple[str, int]:
    """(text with line breaks between words, lines) for a header in an Excel column `width` units wide
    (a Chinese character takes about two units, two more go to the cell's margins)."""
    lines = header_lines(header, (width - 2) / 2 + SLACK)
    return "\n".join(lines), len(lines)
