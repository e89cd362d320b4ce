"""Recognising a task table by its header: which column holds what."""

from dataclasses import dataclass

from core.plan.text import clean, fold, is_number_seq, is_section_seq, seq_text

SEQ, TASK, REQ, UNITS, LEAD, ASSIST, DEADLINE = "seq", "task", "req", "units", "lead", "assist", "deadline"
UNIT_ROLES = (UNITS, LEAD, ASSIST)

# Columns that mark a ledger (台账) or a form rather than the county's task table.
_LEDGER_WORDS = ("分管领导", "责任科室", "完成情况", "进展情况", "经办人", "佐证")
_FORM_WORDS = ("活动主题", "活动内容", "联系人", "联系方式", "开展地点", "活动对象", "报名方式")
_OTHER_WORDS = ("领导", "科室", "联系", "备注", "说明", "情况", "佐证", "经办")


@dataclass
class Layout:
    """Where a task table's header is and what each grid column means."""

    start: int  # first header row
    count: int  # number of header rows
    roles: list  # per grid column: one of the role names above, or None

    @property
    def data_start(self) -> int:
        return self.start + self.count

    def columns(self, *roles) -> list:
        """Indexes of the columns having any of `roles`, left to right."""
        return [i for i, r in enumerate(self.roles) if r in roles]

    def signature(self) -> tuple:
        """The roles, for recognising a continuation table with the same header."""
        return tuple(self.roles)


def role_of(text: str):
    """The column role a header text names, or None."""
    t = fold(clean(text))
    if not t or len(t) > 14:
        return None
    if t in ("序号", "编号", "序", "序列号", "顺序") or t.startswith("序号"):
        return SEQ
    if any(w in t for w in _OTHER_WORDS):
        return None
    if any(w in t for w in ("时限", "完成时间", "时间要求", "期限", "时间节点", "截止", "完成日期", "办结时间")) or t in ("时间", "进度安排", "时间安排"):
        return DEADLINE
    if any(w in t for w in ("配合", "协办", "协助", "参与单位", "协同")):
        return ASSIST
    if any(w in t for w in ("牵头", "主办", "主责")):
        return LEAD
    if any(w in t for w in ("单位", "部门", "责任主体", "责任人", "实施主体", "承办")):
        return UNITS
    if any(w in t for w in ("要求", "具体任务", "内容", "举措", "措施", "任务分解", "任务描述", "具体工作", "工作目标")):
        return REQ
    if any(w in t for w in ("任务", "类别", "重点工作", "一级", "二级", "领域", "事项", "分类", "项目", "工作", "方面")):
        return TASK
    return None


def _row_roles(row) -> list:
    """Role of each position of a row read as a header line."""
    return [role_of(c.text) for c in row]


def looks_like_header(row) -> bool:
    """True when a row reads as a task-table header line (two or more roles, no data)."""
    roles = _row_roles(row)
    found = {r if r not in UNIT_ROLES else UNITS for r in roles if r}
    if len(found) < 2 or not ({REQ, TASK} & found):
        return False
    for cell, role in zip(row, roles):
        text = fold(cell.text)
        if role is None and len(text) > 14:
            return False
        if is_number_seq(seq_text(cell.text)):
            return False
    return True


def _is_subheader(row, above) -> bool:
    """True when `row` continues the header above it (一级任务/二级任务, 牵头单位/配合单位 …)."""
    own = [c for c, a in zip(row, above) if c.key != a.key and fold(c.text)]
    if not own or len({c.key for c in row}) == 1:
        return False
    for cell in own:
        text = fold(cell.text)
        if len(text) > 14 or is_number_seq(seq_text(text)) or is_section_seq(seq_text(text[:4])) or text[0] in "（(":
            return False
        if role_of(text) is None and text not in ("一级", "二级", "三级", "一级任务", "二级任务"):
            return False
    return True


def detect_layout(rows, scan: int = 6):
    """The header of a grid (first `scan` rows searched), or None when it is not a task table."""
    for start in range(min(scan, len(rows))):
        if not looks_like_header(rows[start]):
            continue
        count = 1
        while start + count < len(rows) and count < 3 and _is_subheader(rows[start + count], rows[start + count - 1]):
            count += 1
        roles = _column_roles(rows[start:start + count])
        if is_task_table(rows[start:start + count], roles):
            return Layout(start, count, _settle_roles(roles))
        return None
    return None


def _column_roles(header_rows) -> list:
    """Per column: the role named by the lowest header line that names one."""
    width = max(len(r) for r in header_rows)
    roles = []
    for col in range(width):
        role = None
        for row in reversed(header_rows):
            if col < len(row):
                role = role_of(row[col].text)
                if role:
                    break
        roles.append(role)
    return roles


def _settle_roles(roles: list) -> list:
    """Fix up roles: a table with no requirement column uses its last task column as one."""
    roles = list(roles)
    if REQ not in roles and TASK in roles:
        last = max(i for i, r in enumerate(roles) if r == TASK)
        roles[last] = REQ
    return roles


def is_task_table(header_rows, roles) -> bool:
    """True for the county's task table; False for ledgers, forms and other lists."""
    words = "".join(fold(c.text) for row in header_rows for c in row)
    if any(w in words for w in _LEDGER_WORDS) or any(w in words for w in _FORM_WORDS):
        return False
    present = set(roles)
    has_units = bool(present & set(UNIT_ROLES))
    if not (present & {REQ, TASK}) or not (has_units or DEADLINE in present):
        return False
    return SEQ in present or (TASK in present and REQ in present)
