"""Repairing cell text: spaces between Chinese characters, line breaks, odd whitespace."""

import re

# Chinese characters and full-width punctuation: no space belongs between two of these.
_WIDE = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2026\u2014"
_SPACE_BETWEEN_WIDE = re.compile(f"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}])")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_NUMBER = re.compile(r"^\s*(\d+)(?:\.0+)?\s*$")


def clean(text) -> str:
    """Cell text as a reader would write it: lines joined, CJK spacing removed, trimmed."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    out = ""
    for line in lines:
        if not line:
            continue
        out = _join(out, line)
    out = _SPACE_BETWEEN_WIDE.sub("", out)
    return out.strip()


def _join(left: str, right: str) -> str:
    """Join two lines of one cell: no space next to a Chinese character, else one space."""
    if not left:
        return right
    if _WIDE_CHAR.match(left[-1]) or _WIDE_CHAR.match(right[0]):
        return left + right
    if left[-1] in "-/" or right[0] in ")）,.;:":
        return left + right
    return left + " " + right


def fold(text: str) -> str:
    """Text with all whitespace removed (for matching header words and category names)."""
    return re.sub(r"\s+", "", text or "")


def visual_lines(raw: str) -> list:
    """The space- or newline-separated pieces of a raw cell text (PDF lines)."""
    return [p for p in re.split(r"[\s\u3000]+", raw or "") if p]


def seq_text(value) -> str:
    """序号 as text: 1, 1.0, "1", "1." and "1、" all give "1"; "（一）" stays."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = fold(clean(value))
    match = _NUMBER.match(text)
    if match:
        return str(int(match.group(1)))
    return text.rstrip(".、．,，")


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def chinese_number(text: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九) or digit string; None if not one."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def is_number_seq(seq: str) -> bool:
    """True for an ordinary task number: 1, 12, 3-1, 1.2."""
    return bool(re.fullmatch(r"\d+([.\-－—]\d+)*", seq or ""))


def is_section_seq(seq: str) -> bool:
    """True for a section numeral such as 一、（一）(二) 三."""
    core = re.sub(r"^[（(]|[）)]$|[、.．]$", "", seq or "")
    return bool(core) and not core.isdigit() and chinese_number(core) is not None
