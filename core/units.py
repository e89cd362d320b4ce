"""责任单位: reading the units of a task and deciding whether a task applies to an office.

A cell such as "区司法局牵头，各行政执法主体和各镇（街道）具体落实" becomes a list of Unit
(text, role, covers, maybe): named units, groups (各镇（街道）, 区政府各部门单位, 各有关单位 …)
and described roles (重大政策起草单位, 舆情涉及部门单位) that may or may not mean this office.
Roles: 牵头 / 配合 / 落实 / 责任 (责任 when the cell gives no role word).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from core.vocab import TASK_ROLES, UNIT_KINDS

ROLES = TASK_ROLES
KINDS = UNIT_KINDS
ALL_KINDS = frozenset(KINDS)

# Role words at the end of a phrase, longest first; value is the role.
_ROLE_WORDS = (
    ("牵头负责", "牵头"), ("牵头抓总", "牵头"), ("牵头", "牵头"),
    ("具体落实", "落实"), ("具体负责", "落实"), ("具体实施", "落实"), ("组织实施", "落实"),
    ("抓好落实", "落实"), ("负责落实", "落实"), ("分别落实", "落实"), ("落实", "落实"), ("实施", "落实"),
    ("配合", "配合"), ("协助", "配合"), ("协同", "配合"), ("参与", "配合"),
    ("负责", "责任"),
)
_ROLE_RE = re.compile("(" + "|".join(w for w, _ in _ROLE_WORDS) + ")")
_ROLE_OF = dict(_ROLE_WORDS)
_SPLIT = "、，,;；/／"
# 和/及/与/以及 join two units only when the next one starts like a unit or a group.
_JOIN_RE = re.compile(r"(?:以及|和|及|与|并)(?=各|区|县|市|镇|乡|街道|有关|相关|其他|其它|所有|全体)")
_NAME_END = re.compile(
    r"(局|委|委员会|办公室|办|中心|政府|办事处|镇|乡|街道|部|院|所|队|站|馆|会|处|科|室|公司|集团|银行|社|团|厅|署|台|总站|支队|大队)$"
)
_GENERIC_RE = re.compile(r"^(乡?镇|乡镇|街道|镇街|镇办|部门|单位|部门单位|机关|机关单位)(人民政府|政府|办事处|党委|党工委)?$")
_DESCRIBED_WORDS = ("起草", "制定", "承办", "涉及", "主管", "所属", "实施机关", "负责单位", "责任单位", "业务",
                    "执法主体", "执法部门", "执法机关", "特别是", "密切", "对口", "行业")


@dataclass(frozen=True)
class Unit:
    """One unit, group or described role named in a 责任单位 cell."""

    text: str                   # as written, e.g. 各镇（街道）
    role: str = "责任"           # 牵头 / 配合 / 落实 / 责任
    kind: str = "named"         # named / group / described
    covers: frozenset = frozenset()   # office kinds it surely covers (groups)
    maybe: frozenset = frozenset()    # office kinds it may cover (described roles, vague groups)


@dataclass(frozen=True)
class Match:
    """Whether a task applies to an office, with its role and the reason in Chinese."""

    applies: bool
    maybe: bool = False
    role: str = ""
    reason: str = ""
    unit: str = ""              # the text in the cell that decided it

    def to_dict(self) -> dict:
        return {"applies": self.applies, "maybe": self.maybe, "role": self.role, "reason": self.reason,
                "unit": self.unit}


# ---------------------------------------------------------------- parsing

def clean(text: str) -> str:
    """Cell text without spaces or line breaks, with ASCII parentheses made full-width."""
    text = re.sub(r"\s+", "", text or "")
    return text.replace("(", "（").replace(")", "）")


def parse_units(text: str) -> list:
    """The units, groups and described roles of a 责任单位 cell, each with its role."""
    units = []
    for label_role, segment in _labelled_segments(clean(_space_separators(text))):
        for clause in _split_top(segment, "，,;；"):
            for unit in _read_clause(clause):
                units.append(_with_role(unit, label_role) if label_role and unit.role == "责任" else unit)
    return units


_LABEL_RE = re.compile(r"(牵头|主办|责任|配合|协办|参与|落实|协助)(?:单位|部门)[:：]")
_LABEL_ROLE = {"牵头": "牵头", "主办": "牵头", "责任": "", "配合": "配合", "协办": "配合", "参与": "配合",
               "协助": "配合", "落实": "落实"}


def _labelled_segments(text: str) -> list:
    """[(role or '', text)]: '牵头单位：甲；配合单位：乙' → [('牵头', '甲；'), ('配合', '乙')]."""
    marks = list(_LABEL_RE.finditer(text))
    if not marks:
        return [("", text)]
    out = [("", text[: marks[0].start()])] if marks[0].start() else []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((_LABEL_ROLE[m.group(1)], text[m.end():end]))
    return out


def _space_separators(text: str) -> str:
    """Turn spaces and line breaks that separate two whole unit names into 、; others are PDF damage."""
    pieces = re.split(r"\s+", (text or "").strip())
    out = pieces[:1]
    for piece in pieces[1:]:
        left = out[-1]
        if _NAME_END.search(left) and (re.match(r"(区|县|市|各|有关|相关)", piece) or _NAME_END.search(piece)) \
                and len(piece) >= 3:
            out.append("、" + piece)
        else:
            out.append(piece)
    return "".join(out)


def _read_clause(clause: str) -> list:
    """Units of one comma-clause; a role word at the end of an item applies to the items before it."""
    items = []
    for piece in _split_top(clause, "、/／"):
        items.extend(_split_joins(piece))
    result, waiting = [], []
    for item in items:
        name, role = _take_role(item)
        if not name:
            continue
        waiting.extend(_expand(name))
        if role:
            result.extend(_with_role(u, role) for u in waiting)
            waiting = []
    result.extend(waiting)
    return result


def _with_role(unit: Unit, role: str) -> Unit:
    return Unit(unit.text, role, unit.kind, unit.covers, unit.maybe)


def _split_top(text: str, seps: str) -> list:
    """Split `text` at `seps` outside full-width parentheses."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "（【〔[":
            depth += 1
        elif ch in "）】〕]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p]


def _split_joins(piece: str) -> list:
    """Split at 和/及/与 that join two units (not the 和 inside 区人力资源和社会保障局), outside parentheses."""
    out, start, depth = [], 0, 0
    i = 0
    while i < len(piece):
        ch = piece[i]
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _JOIN_RE.match(piece, i)
            if m and i > start:
                out.append(piece[start:i])
                start = m.end()
                i = m.end()
                continue
        i += 1
    out.append(piece[start:])
    return [p for p in out if p]


def _take_role(item: str) -> tuple:
    """(name, role or '') — the first role word ends the name; what follows it is the work."""
    m = _ROLE_RE.search(item)
    if not m or m.start() == 0:
        return item, ""
    return item[: m.start()], _ROLE_OF[m.group(1)]


def _expand(name: str) -> list:
    """One item as Units: '甲等相关部门单位' → 甲 + a group; 'X（A、B）' listing units → X + A + B."""
    name = name.strip("等")
    m = re.match(r"^(.+?)等(.*(?:部门|单位|机关).*)$", name)
    if m:
        return _expand(m.group(1)) + [classify(m.group(2))]
    m = re.match(r"^(.*)（(.+)）$", name)
    if m:
        inner = _split_top(m.group(2), "、，,")
        if len(inner) >= 2 and all(len(p) >= 3 for p in inner):
            head = [classify(m.group(1))] if m.group(1) else []
            return head + [Unit(p, kind="named") for p in inner]
    return [classify(name)]


def classify(name: str) -> Unit:
    """A Unit for one name: a group (各…, 有关…), a described role, or a unit named outright."""
    bare = name
    is_group = bool(re.search(r"(^|[区县市直])各|各(镇|乡|街|部门|单位|级|有关|相关|职能|行政)|^(有关|相关|其他|其它|所有|全体)|"
                              r"(有关|相关)(部门|单位|职能|镇|乡|街)|^(部门|单位)$|镇办|镇街|乡镇", bare))
    described = any(w in bare for w in _DESCRIBED_WORDS)
    if _GENERIC_RE.match(_strip_paren(bare)):  # 街道办事处 in "各镇人民政府、街道办事处": 各 reaches it too
        is_group = True
    towns, streets, depts = _kind_words(bare)
    if is_group or described or not _NAME_END.search(_strip_paren(bare)):
        covers, maybe = _coverage(bare, towns, streets, depts, described)
        if not (covers or maybe):  # not recognisably a group: treat as a name
            return Unit(name, kind="named")
        return Unit(name, kind="described" if described else "group", covers=covers, maybe=maybe)
    return Unit(name, kind="named")


def _strip_paren(text: str) -> str:
    return re.sub(r"（[^）]*）", "", text)


def _kind_words(text: str) -> tuple:
    """Whether `text` speaks of towns, sub-districts and departments."""
    towns = bool(re.search(r"镇|乡", text))
    streets = bool(re.search(r"街道|街|办事处|镇办", text))
    depts = bool(re.search(r"部门|单位|机关|局|职能|区直|县直|市直|机构", text))
    return towns, streets, depts


def _coverage(text: str, towns: bool, streets: bool, depts: bool, described: bool) -> tuple:
    """(covers, maybe): the office kinds a group surely / possibly covers."""
    if "执法主体" in text or "执法机关" in text:
        # Towns and sub-districts are 行政执法主体 in most counties since 2021; departments only some.
        return frozenset({"镇", "街道"}), frozenset({"部门", "县政府办公室"})
    if re.search(r"各级|所有单位|全体单位", text):
        return ALL_KINDS, frozenset()
    kinds = set()
    if towns:
        kinds.add("镇")
    if streets:
        kinds.add("街道")
    if depts and not (towns or streets) or re.search(r"部门|机关|局|职能", text):
        kinds |= {"部门", "县政府办公室"}
    if described:
        if not kinds or (kinds >= {"部门"} and "单位" in text and not re.search(r"政府.*部门|区直|县直|市直", text)):
            kinds |= ALL_KINDS
        return frozenset(), frozenset(kinds)
    if re.search(r"(有关|相关)(镇|乡|街)", text):  # the towns concerned: a subset
        return frozenset(kinds - {"部门", "县政府办公室"} if not depts else set()), frozenset(kinds)
    if depts and "单位" in text and not re.search(r"部门|机关|局|职能|政府", text):
        # 各有关单位 / 各单位: departments surely, towns possibly.
        return frozenset({"部门", "县政府办公室"}), frozenset({"镇", "街道"})
    return frozenset(kinds), frozenset()


# ---------------------------------------------------------------- names

_SUFFIXES = (("人民政府", "政府"), ("办事处", ""), ("委员会", "委"), ("监督管理", "监管"), ("分局", "局"))
_PREFIX_RE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?<!开发)(?<!高新)(?<!新)(?<!园)(?<!度假)(?<!景)(?<!社)(?<!片)[区县市](?=.{2,})")


@lru_cache(maxsize=65536)
def name_key(name: str, county: str = "") -> str:
    """A loose key for a unit name: 博山区司法局 = 区司法局 = 司法局; 城东街道办事处 = 城东街道."""
    key = clean(name)
    key = re.sub(r"（[^）]*）", "", key)
    for prefix in _county_prefixes(county):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix):]
            break
    for _ in range(2):
        m = _PREFIX_RE.match(key)
        if m:
            key = key[m.end():]
    if len(key) > 3 and key[0] in "区县市" and not key.startswith(("市场", "区域", "县域", "市政")):
        key = key[1:]
    for old, new in _SUFFIXES:
        key = key.replace(old, new)
    key = key.replace("和", "").replace("与", "")
    if key.endswith("政府") and re.search(r"[镇乡]政府$", key):
        key = key[: -2]
    return key


def _county_prefixes(county: str) -> list:
    county = clean(county)
    if not county:
        return []
    short = re.sub(r"(区|县|市)$", "", county)
    return sorted({county, short}, key=len, reverse=True) if len(short) >= 2 else [county]


def names_match(written: str, profile: dict) -> bool:
    """Whether a unit written in a cell is the office of `profile` (its name or an alias)."""
    county = profile.get("county", "")
    written = clean(written)
    keys = {name_key(written, county)}
    inner = re.findall(r"（([^）]{3,})）", written)
    keys.update(name_key(n, county) for n in inner if _NAME_END.search(n))
    keys = {k for k in keys if len(k) >= 2}
    own = {name_key(n, county) for n in [profile.get("name", "")] + list(profile.get("aliases") or []) if n}
    return bool(keys & own)


# ---------------------------------------------------------------- applying

_ROLE_RANK = {"牵头": 0, "落实": 1, "责任": 2, "配合": 3}


def match_units(text: str, profile: dict) -> Match:
    """Whether a task with 责任单位 `text` applies to the office of `profile` (name, aliases, kind)."""
    kind = profile.get("kind") or guess_kind(profile.get("name", ""))
    units = _parsed(text or "")
    if not units:
        return Match(False, True, "责任", "任务未写明责任单位，请自行确认是否涉及本单位", "")
    named = [u for u in units if u.kind == "named" and names_match(u.text, profile)]
    if named:
        u = min(named, key=lambda u: _ROLE_RANK[u.role])
        return Match(True, False, u.role, f"责任单位中点名本单位（“{u.text}”{_role_words(u.role)}）", u.text)
    groups = [u for u in units if kind in u.covers]
    if groups:
        u = min(groups, key=lambda u: (u.kind == "described", _ROLE_RANK[u.role]))
        return Match(True, False, u.role, f"“{u.text}”包括{_kind_words_cn(kind)}{_role_words(u.role)}", u.text)
    maybes = [u for u in units if kind in u.maybe]
    if maybes:
        u = maybes[0]
        what = "按职责确定的单位" if u.kind == "described" else "范围不确定的统称"
        return Match(False, True, u.role, f"“{u.text}”是{what}，请确认本单位是否承担{_role_words(u.role)}", u.text)
    return Match(False, False, "", f"责任单位（{clean(_space_separators(text))}）既未点名本单位，也不包括{_kind_words_cn(kind)}", "")


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple:
    """parse_units(text), remembered: a county matches every task against each of its units."""
    return tuple(parse_units(text))


def guess_kind(name: str) -> str:
    """The office kind suggested by its name: 镇, 街道, 县政府办公室 or 部门."""
    name = clean(name)
    if re.search(r"街道(办事处)?$", name):
        return "街道"
    if re.search(r"[镇乡](人民政府)?$", name):
        return "镇"
    if re.search(r"政府办公室$|政府办$", name):
        return "县政府办公室"
    return "部门"


def _role_words(role: str) -> str:
    return {"牵头": "，牵头", "配合": "，配合", "落实": "，负责落实"}.get(role, "")


def _kind_words_cn(kind: str) -> str:
    return {"镇": "镇", "街道": "街道", "部门": "部门", "县政府办公室": "政府办公室"}.get(kind, kind)
