"""The one parser of dates a user types, and the one conversion of stored dates.

Every field where a person types a date (完成日期, 手工时限, 进展日期, 开展日期, 受理日期,
the Excel round trip …) goes through parse_user_date, so "7月1日" works everywhere or nowhere.
"""

import re
from datetime import date, datetime

from core.errors import UserError

_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<m>\d{1,2})\s*[月./-]\s*(?P<d>\d{1,2})\s*[日号]?$"),
)

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")


def parse_user_date(text, default_year=None, field: str = "日期") -> str:
    """A date typed by a user (2024-07-01, 2024.7.1, 2024/7/1, 2024年7月1日, 7月1日) as YYYY-MM-DD.

    A date without a year takes `default_year` (else the current year). A date or datetime
    object (from a spreadsheet cell) is accepted as it is. Raises UserError naming `field`
    for text that is not a date or a date that does not exist.
    """
    if isinstance(text, datetime):
        return text.date().isoformat()
    if isinstance(text, date):
        return text.isoformat()
    raw = str(text or "").strip()
    cleaned = raw.translate(_FULL_WIDTH).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(cleaned)
        if m:
            year = int(m.groupdict().get("y") or default_year or date.today().year)
            try:
                return date(year, int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                raise UserError(f"{field}“{raw}”不存在，请检查年月日，例如 2024-07-01 或 2024年7月1日。") from None
    if not raw:
        raise UserError(f"{field}不能为空，请填写例如 2024-07-01、2024.7.1 或 7月1日。")
    raise UserError(f"无法识别{field}“{raw}”，请按 2024-07-01、2024.7.1、2024/7/1、2024年7月1日 或 7月1日 填写。")


def as_date(value) -> date | None:
    """A stored YYYY-MM-DD (or a date) as a date; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
