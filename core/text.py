"""The one normaliser for text that enters the ledger, from any door.

Window fields, the command line, plan import, the Excel round trip, packages and restore
all pass user text through `normalise` before it is stored; every writer (xlsx, docx, pdf,
package) also passes stored text through `printable` so a bad character already in the
database can never make an export fail.
"""

import re
from urllib.parse import urlparse

# Word's Shift+Enter (\x0b), a form feed and the Unicode line/paragraph separators are line breaks.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls except tab and newline, DEL, the C1 controls, U+FFFE/U+FFFF and lone surrogates.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
# Either of the two above, in one search (has_forbidden is called for every incoming field).
_FORBIDDEN_OR_BREAK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def normalise(value, *, strip: bool = True) -> str:
    """Text as it is stored: line breaks as \\n, control characters removed, trimmed.

    None gives "". Non-text values are converted with str(). With strip=False the leading
    and trailing spaces are kept (for fields where they carry meaning).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _FORBIDDEN_OR_BREAK.search(text):  # most text has neither: one scan instead of two
        text = _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", text))
    return text.strip() if strip else text


def normalise_nested(value):
    """`value` with every text in it (also inside lists, tuples and dicts) normalised; other values as they are."""
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, list):
        return [normalise_nested(v) for v in value]
    if isinstance(value, tuple):
        return tuple(normalise_nested(v) for v in value)
    if isinstance(value, dict):
        return {k: normalise_nested(v) for k, v in value.items()}
    return value


def printable(value) -> str:
    """Stored text made safe for a file writer (XML 1.0 and openpyxl), nothing else changed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _FORBIDDEN.search(text) or _LINE_BREAKS.search(text):
        return normalise(text, strip=False)
    return text


def has_forbidden(value: str) -> bool:
    """True when the text holds a character `normalise` would remove or change."""
    return _FORBIDDEN_OR_BREAK.search(value) is not None


# ---- plain file names (attachments, package members, exported files) --------------------------

# Device names Windows reserves, with or without an extension (aux.txt is AUX).
RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                            *(f"COM{i}" for i in "0123456789¹²³"), *(f"LPT{i}" for i in "0123456789¹²³")})
# Separators, a drive or stream colon, the characters Windows forbids, and control characters.
NAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def file_name_problem(name, limit: int = 120) -> str | None:
    """None for one plain file name usable on every system; else why not (a Chinese phrase)."""
    if not isinstance(name, str) or not name:
        return "为空"
    if len(name) > limit:
        return f"超过 {limit} 个字符"
    if ".." in name:
        return "含有“..”"
    if NAME_FORBIDDEN.search(name) or has_forbidden(name):
        return "含有路径分隔符、盘符、冒号或控制字符"
    if name != name.strip() or name.endswith("."):
        return "以空格或句点开头或结尾"
    stem = name.split(".")[0].rstrip(" ").upper()
    if stem in RESERVED_NAMES:
        return f"是 Windows 保留的设备名（{stem}）"
    return None


MAX_STORED_NAME = 120  # an attachment's stored file name, in characters


def stored_name_problem(name) -> str | None:
    """None for a stored attachment name usable on every system; else why not."""
    return file_name_problem(name, MAX_STORED_NAME)


def url_problem(url) -> str | None:
    """None for an http(s) address with a host; else why not."""
    if not isinstance(url, str) or not url:
        return "为空"
    if has_forbidden(url) or any(c.isspace() for c in url):
        return "含有空白或控制字符"
    try:
        parsed = urlparse(url)
        host = parsed.hostname
    except ValueError:
        return "不是有效的网址"
    if parsed.scheme.lower() not in ("http", "https") or not host:
        return "只能是 http:// 或 https:// 开头的网址"
    return None
