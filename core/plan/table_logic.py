"""From table grids to task rows: joining page-split tables, fill-down and repair.

The rules this module carries out (tables, merges, fill-down, joining what page breaks cut)
are written for users, with the others of the importer, in one place: core.plan's docstring
(core.plan.import_rules(), shown by the import preview's 导入规则 button).
"""

from core.plan.header import ASSIST, DEADLINE, LEAD, REQ, SEQ, TASK, UNITS, detect_layout, looks_like_header
from core.plan.model import ParsedTask
from core.plan.text import clean, fold, is_number_seq, is_section_seq, seq_text, visual_lines

_PAGE_NOISE = ("续表", "续上表", "接上表")


def tasks_from_blocks(blocks, warnings: list) -> list:
    """All task rows of the task tables among `blocks` (paragraphs and grids, in order)."""
    tasks = []
    for run in find_runs(blocks):
        tasks.extend(tasks_from_run(run, warnings))
    return tasks


def find_runs(blocks) -> list:
    """Task tables grouped into runs: [(layout, [(block, data_start), ...]), ...]."""
    runs = []
    current = None
    gap_text = False
    for block in blocks:
        if block.kind == "p":
            if _is_substantive(block.text):
                gap_text = True
            continue
        if not block.rows:
            continue
        layout = detect_layout(block.rows)
        if layout is not None:
            if current and current[0].signature() == layout.signature() and not gap_text:
                current[1].append((block, layout.data_start))
            else:
                current = (layout, [(block, layout.data_start)])
                runs.append(current)
        elif current and not gap_text and _continues(block, current[0]):
            current[1].append((block, 0))
        else:
            current = None
        gap_text = False
    return runs


def _is_substantive(text: str) -> bool:
    """True for a paragraph that separates tables (not blank, a page number or 续表)."""
    t = fold(text).strip("—-－ 第页")
    if not t or t.isdigit() or t in _PAGE_NOISE:
        return False
    return len(t) > 2


def _continues(block, layout) -> bool:
    """True for a headerless table that carries on the previous task table."""
    width = len(layout.roles)
    rows = [r for r in block.rows if any(fold(c.text) for c in r)]
    if not rows or any(len(r) != width for r in rows[:3]):
        return False
    seq_cols = layout.columns(SEQ)
    if not seq_cols:
        return True
    first = seq_text(rows[0][seq_cols[0]].text)
    return first == "" or is_number_seq(first)


def tasks_from_run(run, warnings: list) -> list:
    """Task rows of one run of tables sharing a header."""
    layout, tables = run
    rows = []  # (table name, row number, cells, first data row of a continuation table)
    for t_index, (block, start) in enumerate(tables):
        first = t_index > 0
        for r_index in range(start, len(block.rows)):
            row = block.rows[r_index]
            if r_index > start and (looks_like_header(row) or _is_subheader_repeat(row, block.rows, r_index, start)):
                continue
            if not _any_text(row):
                continue
            rows.append((block.name or f"表{t_index + 1}", r_index + 1, _pad(row, len(layout.roles)), first, block.page))
            first = False
    task_cols = layout.columns(TASK)
    levels = [_level_values(rows, col, task_cols, i) for i, col in enumerate(task_cols)]
    join_across_breaks(levels, rows, layout)
    for values in levels:
        join_split_fragments(values)
    return _assemble(layout, rows, levels, warnings)


def _is_subheader_repeat(row, all_rows, index, start) -> bool:
    """True for the sub-header line right after a repeated header inside the data."""
    return index > start and looks_like_header(all_rows[index - 1]) and not any(
        is_number_seq(seq_text(c.text)) for c in row) and all(len(fold(c.text)) <= 8 for c in row) and any(
        fold(c.text) for c in row)


def _pad(row, width):
    """A row cut or extended to the layout's width (blank cells added)."""
    from core.plan.model import Cell

    if len(row) >= width:
        return row[:width]
    return list(row) + [Cell("", ("pad", id(row), i)) for i in range(width - len(row))]


def _level_values(rows, col, task_cols, level):
    """Per data row, the cell of one task-level column as a dict the repair steps update."""
    values = []
    prev_key = None
    for row in (item[2] for item in rows):
        cell = row[col]
        spanned = level > 0 and cell.key == row[task_cols[level - 1]].key
        values.append({
            "raw": cell.text,
            "text": "" if spanned else clean(cell.text),
            "key": cell.key,
            "spanned": spanned,
            "merged": cell.key == prev_key,
        })
        prev_key = cell.key
    return values


def join_split_fragments(values) -> None:
    """Join a category name that PDF conversion split over rows ("加强推动 高质量发" / "展信息公 开").

    Two successive own texts in a column are one name when together they equal a name written
    whole elsewhere in the column, or when both carry PDF line spacing and the first one's lines
    are all equally long (it filled its lines, so it goes on).
    """
    starts = [i for i, v in enumerate(values) if v["text"] and not v["merged"] and not v["spanned"]]
    known = {}
    for i in starts:
        known[values[i]["text"]] = known.get(values[i]["text"], 0) + 1
    k = 0
    while k < len(starts) - 1:
        a, b = starts[k], starts[k + 1]
        joined = values[a]["text"] + values[b]["text"]
        if values[a]["text"].startswith(values[b]["text"]):
            k += 1  # the same name begun again at the top of the next page, not its continuation
            continue
        if known.get(joined) or not known.get(values[a]["text"], 0) > 1 and joined not in known and _filled_lines(values[a]["raw"], values[b]["raw"], known.get(values[b]["text"], 0)):
            known[joined] = known.get(joined, 0) + 1
            join_values(values, a, b)
            starts.pop(k + 1)
            continue
        k += 1


def join_values(values, a: int, b: int) -> None:
    """Make the name starting at row `a` and the fragment starting at row `b` one name.

    Every row of both merged blocks is marked "joined"; `b` and the rows merged with it are
    then covered by the joined name above (text "", merged), as the rows merged with `a` are.
    """
    joined = values[a]["text"] + values[b]["text"]
    raw = values[a]["raw"] + " " + values[b]["raw"]
    for index in _block(values, a):
        values[index]["text"] = joined
        values[index]["raw"] = raw
        values[index]["joined_mark"] = True
    for index in _block(values, b):
        values[index]["text"] = ""
        values[index]["merged"] = True  # now covered by the joined name above
        values[index]["joined"] = True
        values[index]["joined_mark"] = True


def _block(values, start: int) -> list:
    """`start` and the rows after it merged with it (the same source cell)."""
    found = [start]
    key = values[start]["key"] if "key" in values[start] else None
    index = start + 1
    while key is not None and index < len(values) and values[index].get("key") == key and values[index]["merged"]:
        found.append(index)
        index += 1
    return found


# Characters a cut name ends on (it goes on) or its rest begins with.
_OPEN_END = "、，,和与及的之对在为并暨或（(《“"
_CLOSE_START = "）)》”、，,的之和与及"


def join_across_breaks(levels, rows, layout) -> None:
    """Join a task level that a page or table break cut in two (the rest in the next table's first row).

    At the first row of each continuation table, a level's own text that is not the name above
    begun again is its rest when: the two together are a name written whole elsewhere in the
    column; the row has no 序号 (the rest of a cut row) and the text is no longer than the name
    above; the name above ends open (、 和 的 …, an unclosed bracket) or the text starts like a
    rest (）、 的 …); or, for
    level 1, level 2 of that row goes on from above (blank, repeated or itself joined), since a
    new level-1 task cannot carry on the level-2 task above it.
    """
    seq_cols, req_cols = layout.columns(SEQ), layout.columns(REQ)
    for j, item in enumerate(rows):
        if not item[3] or j == 0:
            continue
        row = item[2]
        # the rest of a row the break cut: no 序号 (or, in a table without one, no requirement either)
        bare = not seq_text(row[seq_cols[0]].text) if seq_cols else not _join_cells(row, req_cols, "")
        decided = {}
        for depth in reversed(range(len(levels))):
            decided[depth] = _break_join(levels, depth, j, bare, decided.get(depth + 1))
        for depth in range(len(levels)):
            if decided[depth] is not None and decided[depth][1] is True:
                join_values(levels[depth], decided[depth][0], j)


def _break_join(levels, depth: int, j: int, bare: bool, deeper):
    """(start of the name above, True | False | "repeat") for one level at a break, or None when
    the row has no own text there.

    `deeper` is the decision for the level below (level 2 when this is level 1).
    """
    values = levels[depth]
    b = values[j]
    if b["spanned"] or not b["text"] or b["merged"]:
        return None
    a = next((i for i in range(j - 1, -1, -1) if values[i]["text"] and not values[i]["merged"] and not values[i]["spanned"]), None)
    if a is None:
        return None
    text_a, text_b = values[a]["text"], b["text"]
    if text_a == text_b or text_a.startswith(text_b):
        return (a, "repeat")  # the name above begun again at the top of the page
    whole = text_a + text_b
    known = any(v["text"] == whole for k, v in enumerate(values) if k not in (a, j))
    open_end = text_a[-1] in _OPEN_END or text_a.count("（") + text_a.count("(") > text_a.count("）") + text_a.count(")")
    rest_of_cut_row = bare and len(text_b) <= len(text_a)  # a longer text alone in a row is a heading
    if known or rest_of_cut_row or open_end or text_b[0] in _CLOSE_START:
        return (a, True)
    if deeper is None and depth + 1 < len(levels):
        lower = levels[depth + 1]
        below = lower[j]
        above = next((i for i in range(j - 1, a - 1, -1) if lower[i]["text"] and not lower[i]["spanned"]), None)
        if above is not None and not lower[j - 1]["spanned"] and not below["spanned"] and (not below["text"] or below["merged"]):
            return (a, True)  # the level-2 task above goes on: so does its level-1 task
    elif deeper is not None and deeper[1]:
        return (a, True)  # level 2 is repeated or joined: the same level-1 task
    return (a, False)


def _filled_lines(raw_a: str, raw_b: str, b_seen: int) -> bool:
    """True when raw_a looks cut at a full PDF line and raw_b is the rest of it."""
    if b_seen > 1:
        return False
    la, lb = visual_lines(raw_a), visual_lines(raw_b)
    if len(la) < 2 or len(lb) < 1 or "\n" in raw_a.strip() or "\n" in raw_b.strip():
        return False
    if len(lb) == 1 and " " not in raw_b.strip() and len(lb[0]) > 2:
        return False
    width = len(la[0])
    if width < 2 or any(len(x) != width for x in la):
        return False
    return all(len(x) == width for x in lb[:-1]) and len(lb[-1]) <= width


def _assemble(layout, rows, levels, warnings) -> list:
    """Build ParsedTask rows from the data rows, filling down and skipping empty rows."""
    seq_cols = layout.columns(SEQ)
    req_cols = layout.columns(REQ)
    lead_cols = layout.columns(UNITS, LEAD)
    assist_cols = layout.columns(ASSIST)
    lead_named = any(layout.roles[i] == LEAD for i in lead_cols)
    deadline_cols = layout.columns(DEADLINE)
    width = len(layout.roles)
    tasks = []
    prev_levels, prev_lead, prev_assist, prev_deadline = [], "", "", ""
    section = ""
    counter = 0
    for index, (table_name, row_no, row, first_of_table, page) in enumerate(rows):
        where = f"{table_name}第{row_no}行"
        seq = seq_text(row[seq_cols[0]].text) if seq_cols else ""
        requirement = _join_cells(row, req_cols, "；")
        own_levels = [lv[index] for lv in levels]
        if _is_full_width(row, width) or (is_section_seq(seq) and _any_text(row) and (
                not requirement or not _join_cells(row, lead_cols + assist_cols + deadline_cols, ""))):
            section = _section_title(row, seq)
            prev_levels = []
            continue
        if not requirement and not seq and not any(v["text"] for v in own_levels):
            if _any_text(row) and first_of_table and tasks:
                _append_to_previous(tasks[-1], row, lead_cols, deadline_cols)
            continue
        joined = ["category"] if any(v.get("joined_mark") for v in own_levels) else []
        filled = []
        cats = []
        for depth, value in enumerate(own_levels):
            text = value["text"]
            if value["spanned"]:
                cats.append("")
            elif text or value["merged"] and not value.get("joined"):
                cats.append(text if text else (prev_levels[depth] if depth < len(prev_levels) else ""))
            elif value.get("joined"):
                cats.append(prev_levels[depth] if depth < len(prev_levels) else "")
            elif depth < len(prev_levels) and (depth == 0 or cats[0] == prev_levels[0]):
                cats.append(prev_levels[depth])
                if prev_levels[depth]:
                    filled.append("category")
            else:
                cats.append("")
        prev_levels = cats
        if not requirement:
            if seq:
                warnings.append(f"{where}（序号{seq}）没有工作要求，已跳过。")
            continue
        if first_of_table and tasks and (not seq and seq_cols or not seq_cols and _cut_mid_sentence(
                tasks[-1], row, requirement, lead_cols + assist_cols + deadline_cols)):
            tasks[-1].requirement += requirement
            _mark_joined(tasks[-1], "requirement")
            _append_to_previous(tasks[-1], row, lead_cols, deadline_cols)
            continue
        lead = _join_cells(row, lead_cols, "，")
        assist = _join_cells(row, assist_cols, "，")
        if not lead and lead_cols and prev_lead:
            lead = prev_lead
            assist = assist or prev_assist
            filled.append("units")
        deadline = _join_cells(row, deadline_cols, "；")
        if not deadline and deadline_cols and prev_deadline and tasks and tasks[-1].category == _category(section, cats):
            deadline = prev_deadline
            filled.append("deadline")
        prev_lead, prev_assist, prev_deadline = lead, assist, deadline
        units = combine_units(lead, assist, lead_named)
        if not units and (lead_cols or assist_cols):
            warnings.append(f"{where}（序号{seq or '无'}）没有责任单位，请核对原表。")
        if not seq_cols:
            counter += 1
            seq = str(counter)
        tasks.append(ParsedTask(seq=seq, category=_category(section, cats), requirement=requirement,
                                units=units, deadline=deadline, filled=sorted(set(filled)), source=where,
                                joined=joined, page=page))
    return tasks


def _cut_mid_sentence(task, row, requirement: str, other_cols) -> bool:
    """True when a table without 序号 starts with the rest of the task above: that task's
    requirement stops on an open word (、 和 的 …) or the row's starts like a rest (，） …), and
    the row has nothing of its own in the other columns (a blank there may also mean 同上, so
    a plain sentence end is not enough to tell)."""
    if not task.requirement or not requirement or _join_cells(row, other_cols, ""):
        return False
    return task.requirement[-1] in _OPEN_END or requirement[0] in _CLOSE_START + "。；"


def _mark_joined(task, field: str) -> None:
    if field not in task.joined:
        task.joined.append(field)
        task.joined.sort()


def _category(section: str, cats: list) -> list:
    """The task levels of a row: a section heading first, then the level columns; blanks dropped."""
    levels = [c for c in cats if c]
    if section and len(levels) < 2:
        levels = [section] + levels
    return levels


def combine_units(lead: str, assist: str, lead_named: bool = True) -> str:
    """Units text from a lead and a helper column: "X牵头，Y配合", "X" or "Y配合"."""
    if lead and assist:
        lead_text = lead if lead.endswith("牵头") else lead + "牵头"
        assist_text = assist if assist.endswith(("配合", "落实")) else assist + "配合"
        return f"{lead_text}，{assist_text}"
    if assist:
        return assist if assist.endswith(("配合", "落实")) else assist + "配合"
    return lead


def _join_cells(row, cols, sep: str) -> str:
    """Cleaned texts of `cols` in one row, each merged cell once, joined by `sep`."""
    parts, seen = [], set()
    for i in cols:
        cell = row[i]
        if cell.key in seen:
            continue
        seen.add(cell.key)
        text = clean(cell.text)
        if text and text not in parts:
            parts.append(text)
    return sep.join(parts)


def _is_full_width(row, width: int) -> bool:
    """True for a row that is one cell across the table (a section heading or a note)."""
    return width > 2 and len({c.key for c in row}) == 1 and bool(fold(row[0].text))


def _any_text(row) -> bool:
    return any(fold(c.text) for c in row)


def _section_title(row, seq: str) -> str:
    """The heading text of a section row, without its numeral."""
    import re

    parts = []
    for c in row:
        text = clean(c.text)
        if text and text not in parts and seq_text(text) != seq:
            parts.append(text)
    title = "".join(parts) if parts else seq
    title = re.sub(r"^[（(]?[一二三四五六七八九十]+[）)]?[、.．]?\s*", "", title)
    if title.startswith(("注", "备注", "说明")):
        return ""
    return title


def _append_to_previous(task, row, lead_cols, deadline_cols) -> None:
    """Add the rest of a row that a page break cut off to the task it belongs to."""
    lead = _join_cells(row, lead_cols, "，")
    if lead and not task.units.endswith(lead):
        task.units += lead
        _mark_joined(task, "units")
    deadline = _join_cells(row, deadline_cols, "；")
    if deadline and not task.deadline.endswith(deadline):
        task.deadline += deadline
        _mark_joined(task, "deadline")
