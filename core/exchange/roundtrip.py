"""The Excel round trip: a ledger .xlsx edited in Excel/WPS comes back and its edits are applied.

Two kinds of workbook:
- exported by this program: every data row carries its record's identity in a hidden last
  column (entry and measure ids and revisions, and a checksum of the row's 序号/工作任务; format
  in docs/exchange-format.md). The header row is read from the visible sheet. A row is applied
  only when its identity is intact, unique and agrees with its 序号/工作任务; so deleting,
  inserting, sorting, filtering or copying rows can never apply a change to another entry.
  Other rows are listed as not applied, with the reason; a new row with text is offered as
  *unmatched*. A changed cell is a change when the record's revision in the database is still
  the exported one, else a conflict that is shown and never applied. A formula is refused.
- made by hand (or exported before rows carried their identity): rows are matched to the
  unit's entries by 序号 and text similarity (difflib); only certain matches are applied
  unless the user confirms the uncertain ones.

Each change: {"sheet","row","seq","entry_id","table","record_id","field","label","old","new",
"status": change|conflict|invalid|ignored|uncertain|unmatched, "reason"}. Applying is one
transaction; each entry gets one new revision. A new value of an entry field is checked in
one place, `_check_value`.
"""

import difflib
import json
import re
from datetime import date, datetime
from pathlib import Path

from core import records, settings
from core.calendar.dates import parse_user_date
from core.errors import UserError
from core.export.ledger_xlsx import IDENTITY_HEADER, IDENTITY_PREFIX
from core.ledger.due import refresh_due
from core.text import normalise
from core.vocab import FILING_OFFICE, STATUSES
from core.exchange import validate

ID_SHEET = "_zwgk"
ID_MAGIC = "zwgk-ledger-ids"
ID_VERSION = 1
FIELDS = ("seq", "category", "requirement", "measure", "deadline", "due", "leader", "office", "handler",
          "status", "progress", "completed_on", "note")
ENTRY_FIELDS = ("leader", "office", "handler", "status", "completed_on", "note")
TASK_FIELDS = ("seq", "category", "requirement", "deadline")
LABELS = {
    "seq": "序号", "category": "工作任务", "requirement": "工作要求", "measure": "工作举措", "deadline": "时限要求",
    "due": "完成期限", "leader": "单位分管领导", "office": "责任科室", "handler": "经办人", "status": "完成状态",
    "progress": "完成情况", "completed_on": "完成时间", "note": "备注",
}
HEADER_WORDS = {
    "seq": ("序号",), "category": ("工作任务", "重点任务", "任务类别"),
    "requirement": ("工作要求", "具体任务", "工作内容"), "measure": ("工作举措", "具体举措", "工作措施", "举措"),
    "deadline": ("时限要求", "完成时限"), "leader": ("分管领导", "单位分管领导"), "office": ("责任科室", "责任股室", "责任科室（股室）"),
    "handler": ("经办人",), "status": ("完成状态", "状态"), "progress": ("完成情况", "进展情况", "推进情况"),
    "completed_on": ("完成时间", "完成日期"), "note": ("备注",),
}
CERTAIN_RATIO = 0.85
SEQ_RATIO = 0.5
UNCERTAIN_RATIO = 0.35
_IDENTITY = re.compile(rf"^{IDENTITY_PREFIX}:([A-Za-z0-9-]{{1,64}}):(\d{{1,9}}):([A-Za-z0-9-]{{1,64}})?:(\d{{0,9}}):([0-9a-f]{{12}})$")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


# ---- entry points -----------------------------------------------------------------------


def roundtrip(db, path, dry_run: bool = False, unit: str | None = None, accept_uncertain: bool = False,
              today: date | None = None) -> dict:
    """Read the workbook's changes and, unless `dry_run`, apply them; return the result."""
    result = read_changes(db, path, unit=unit, today=today)
    result["dry_run"] = dry_run
    result["applied"] = 0 if dry_run else apply_changes(db, result, accept_uncertain=accept_uncertain)
    return result


def read_changes(db, path, unit: str | None = None, today: date | None = None) -> dict:
    """The changed cells of a ledger workbook compared with the database (nothing is written)."""
    wb = _open(path)
    today = today or date.today()
    meta = _read_id_sheet(wb) if ID_SHEET in wb.sheetnames else None
    sheets = _identity_sheets(wb)
    if sheets:
        changes = _row_changes(db, sheets, today)
        owner, mode = (meta or {}).get("unit") or (settings.profile(db) or {}).get("name") or "", "ids"
    else:
        # No row identities (made by hand, or exported by an older version, whose row-number map
        # cannot be trusted once rows were moved): matched by 序号 and text like a hand-made table.
        owner = _manual_unit(db, unit or ((meta or {}).get("unit") or None))
        changes = _manual_changes(db, wb, owner, today)
        mode = "manual"
    counts = {k: 0 for k in ("change", "conflict", "invalid", "ignored", "uncertain", "unmatched")}
    for change in validate.screen_changes(changes):
        counts[change["status"]] += 1
    return {"file": Path(path).name, "mode": mode, "unit": owner, "counts": counts, "changes": changes}


def apply_changes(db, result: dict, accept_uncertain: bool = False, accept_unmatched: bool = False) -> int:
    """Apply the "change" items in one transaction; return their number.

    "uncertain" ones are applied if `accept_uncertain`; with `accept_unmatched` (the user confirmed
    it in the window) a new row without identity is added as a progress line of the task above it.
    """
    wanted = {"change", "uncertain"} if accept_uncertain else {"change"}
    items = [c for c in result["changes"] if c["status"] in wanted
             or (accept_unmatched and c["status"] == "unmatched" and c["table"] == "progress" and c["entry_id"])]
    by_entry: dict[str, dict] = {}
    if items:
        from core.storage.snapshots import backup_before

        backup_before(db, "roundtrip")
    with db.atomic():
        for item in items:
            if item["table"] == "entries":
                by_entry.setdefault(item["record_id"], {})[item["field"]] = item["new"]
        for entry_id, changes in by_entry.items():
            records.update(db, "entries", entry_id, changes)
        for item in items:
            if item["table"] != "entries":
                _apply_child(db, item)
        refresh_due(db)  # entries whose status, override or events changed
    return len(items)


def describe(result: dict) -> str:
    """A few lines of Chinese for the terminal."""
    c = result["counts"]
    lines = [f"{'（试运行，未写入）' if result['dry_run'] else ''}“{result['file']}”：改动 {c['change']}，冲突 {c['conflict']}，"
             f"无效 {c['invalid']}，不导入 {c['ignored']}，待确认 {c['uncertain']}，未匹配 {c['unmatched']}；已应用 {result['applied']}。"]
    for ch in result["changes"]:
        lines.append(f"  第{ch['row']}行 序号{ch['seq']} {ch['label']}：{short_value(ch['old'])} → {short_value(ch['new'])} [{STATUS_NAMES[ch['status']]}] {ch['reason']}")
    return "\n".join(lines)


STATUS_NAMES = {"change": "改动", "conflict": "冲突", "invalid": "无效", "ignored": "不导入", "uncertain": "待确认", "unmatched": "未匹配"}


# ---- workbooks whose rows carry their identity ----------------------------------------


def _read_id_sheet(wb) -> dict:
    """The hidden sheet's format version and unit; its column map and row list are not trusted."""
    ws = wb[ID_SHEET]
    if ws["A1"].value != ID_MAGIC:
        raise UserError("表格中的隐藏工作表“_zwgk”不是本程序写入的，无法对照修改。请用本程序重新导出台账后再修改。")
    version = ws["B1"].value
    if not isinstance(version, int) or version < 1:
        raise UserError("表格中的记录编号信息已损坏，无法对照修改。请用本程序重新导出台账后再修改。")
    if version > ID_VERSION:
        raise UserError("此表格由更新版本的程序生成，请升级程序。")
    return {"unit": normalise(_cell_text(ws["C1"].value)), "exported": str(ws["D1"].value or "")}


def _identity_sheets(wb) -> list[dict]:
    """Each visible sheet with a row-identity column: its header row, columns and identity column."""
    found = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for r in range(1, min(ws.max_row, 12) + 1):
            columns, id_letter = _header_columns(ws[r])
            if id_letter:
                found.append({"ws": ws, "header_row": r, "columns": columns, "id_letter": id_letter})
                break
    return found


def _header_columns(cells) -> tuple[dict, str | None]:
    """({column letter: field} read from a visible header row, the identity column's letter or None)."""
    columns, id_letter = {}, None
    for cell in cells:
        if cell.data_type == "f":
            continue
        text = re.sub(r"\s+", "", _cell_text(cell.value))
        if text == IDENTITY_HEADER:
            id_letter = cell.column_letter
            continue
        for key, words in HEADER_WORDS.items():
            if (text == LABELS[key] or text in words) and key not in columns.values():
                columns[cell.column_letter] = key
                break
    return columns, id_letter


def _merged_anchors(ws) -> dict:
    """{(row, column): the top-left cell} for every cell inside a merged range."""
    anchors = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(row=rng.min_row, column=rng.min_col)
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                anchors[(row, col)] = top
    return anchors


def _read_rows(sheet: dict) -> list[dict]:
    """The data rows of one sheet: values (merged cells read from their top-left cell), formulas, identity."""
    from openpyxl.utils import column_index_from_string

    ws, columns = sheet["ws"], sheet["columns"]
    anchors = _merged_anchors(ws)
    indexes = {letter: column_index_from_string(letter) for letter in columns}
    rows = []
    for r in range(sheet["header_row"] + 1, ws.max_row + 1):
        values, formulas = {}, []
        for letter, key in columns.items():
            cell = anchors.get((r, indexes[letter])) or ws.cell(row=r, column=indexes[letter])
            if cell.data_type == "f":
                formulas.append((f"{letter}{r}", key))
            else:
                values[key] = _cell_text(cell.value)
        id_cell = ws[f"{sheet['id_letter']}{r}"]
        identity = "" if id_cell.data_type == "f" else _cell_text(id_cell.value).strip()
        if identity or formulas or any(_norm(v) for v in values.values()):
            rows.append({"sheet": ws.title, "row": r, "values": values, "formulas": formulas, "identity": identity})
    return rows


def _parse_identity(text) -> dict | None:
    m = _IDENTITY.match(text or "")
    if not m:
        return None
    return {"entry_id": m[1], "entry_rev": int(m[2]), "measure_id": m[3] or None,
            "measure_rev": int(m[4]) if m[4] else None, "check": m[5]}


def _row_changes(db, sheets, today) -> list:
    """Changes from rows that prove their identity; every other row listed with why it was not applied."""
    from core.export.ledger_xlsx import identity_check

    rows = [row for sheet in sheets for row in _read_rows(sheet)]
    for row in rows:
        row["id"] = _parse_identity(row["identity"])
    places: dict[tuple, list] = {}
    for row in rows:
        if row["id"]:
            places.setdefault((row["id"]["entry_id"], row["id"]["measure_id"]), []).append(row["row"])
    entries = _load_entries(db, {row["id"]["entry_id"] for row in rows if row["id"]})
    measures = _load_measures(db, {row["id"]["measure_id"] for row in rows if row["id"] and row["id"]["measure_id"]})
    me = settings.profile(db) or {}
    changes, seen_entries, above = [], set(), {}
    for row in rows:
        values, ident = row["values"], row["id"]
        base = {"sheet": row["sheet"], "row": row["row"], "entry_id": ident["entry_id"] if ident else None,
                "seq": normalise(values.get("seq", ""))}
        for address, field in row["formulas"]:
            changes.append(_item(base, "entries", None, field, "", "", "invalid",
                                 f"{address} 单元格是公式，不导入：请把公式改为直接填写的文字或日期后再导入"))
        if not row["identity"]:
            changes += _new_row(base, values, above.get(row["sheet"]), today)
            continue
        refusal = _identity_refusal(row, ident, places, entries, identity_check)
        if refusal:
            changes.append(_item({**base, "entry_id": ident["entry_id"] if ident else None}, "entries", None, "", "", "",
                                 "ignored", refusal))
            above.pop(row["sheet"], None)
            continue
        entry = entries[ident["entry_id"]]
        above[row["sheet"]] = entry
        base["seq"] = entry["seq"]
        if me.get("role") == FILING_OFFICE and entry["unit"] != me.get("name"):
            continue
        editable = {k: v for k, v in values.items() if k != "measure"}
        if ident["entry_id"] not in seen_entries:
            seen_entries.add(ident["entry_id"])
            changes += _entry_cell_changes(base, entry, editable, ident["entry_rev"], today)
        if "measure" in values:
            changes += _measure_change(base, entry, values["measure"], ident, measures)
    return changes


def _identity_refusal(row, ident, places, entries, identity_check) -> str:
    """Why a row with an identity cell must not be applied, or "" when it proves whose it is."""
    if ident is None:
        return "此行的记录编号已损坏或被修改，此行不导入；请勿修改最后一列（隐藏的记录编号列）"
    values = row["values"]
    if identity_check(ident["entry_id"], ident["measure_id"], values.get("seq", ""), values.get("category", "")) != ident["check"]:
        return ("此行的记录编号与它的序号/工作任务不符（行可能被排序、移动、复制或删改了序号），此行不导入；"
                "请按导出时的顺序恢复，或在程序中直接修改")
    rows = places[(ident["entry_id"], ident["measure_id"])]
    if len(rows) > 1:
        return f"同一条记录出现在第 {'、'.join(map(str, rows))} 行（行可能被复制），这些行都不导入；请删除多余的行后再导入"
    if ident["entry_id"] not in entries:
        return "本机没有这条台账记录（可能来自其他数据库），不导入"
    return ""


def _new_row(base, values, entry, today) -> list:
    """A row without identity (inserted in Excel): never applied by itself, offered as not matched."""
    text = "；".join(v.strip() for k, v in values.items() if k not in TASK_FIELDS and _norm(v))
    if not _norm(text):
        return []
    if entry is None:
        return [_item(base, "entries", None, "", "", text, "unmatched", "新增的行没有记录编号，找不到对应的任务，不导入")]
    day, body = _split_date(text, today)
    return [_item({**base, "entry_id": entry["id"], "seq": entry["seq"]}, "progress", None, "progress", "",
                  {"date": day, "text": body}, "unmatched",
                  f"新增的行没有记录编号，不导入；可在窗口中确认后作为上方任务（序号 {entry['seq']}）的一条完成情况添加")]


def _entry_cell_changes(base, entry, values, exported_rev, today) -> list:
    out = []
    moved = entry["rev"] != exported_rev
    for field, new in values.items():
        if field in TASK_FIELDS:
            if _norm(new) != _norm(_task_text(entry, field)):
                out.append(_item(base, "tasks", entry["task_id"], field, _task_text(entry, field), new, "ignored",
                                 "方案内容由县里统一下发，表格中的修改不会导入"))
        elif field in ENTRY_FIELDS:
            old = entry[field] or ""
            if _norm(new) == _norm(old):
                continue
            status, reason, value = _check_value(field, new)
            if status == "change" and moved:
                status, reason = "conflict", "导出后本机又修改过这条记录，为免覆盖未导入；请核对后在程序中修改"
            out.append(_item(base, "entries", entry["id"], field, old, value, status, reason))
        elif field == "progress":
            out += _progress_changes(base, entry, new, today)
    return out


def _measure_change(base, entry, text, id_row, measures) -> list:
    measure_id = id_row["measure_id"]
    if measure_id is None:
        if not _norm(text):
            return []
        return [_item(base, "measures", None, "measure", "", text, "change", "新增工作举措")]
    current = measures.get(measure_id)
    if current is None:
        return [_item(base, "measures", measure_id, "measure", "", text, "ignored", "本机没有这条举措记录，不导入")]
    if _norm(text) == _norm(current["text"]) and not current["deleted"]:
        return []
    if current["rev"] != id_row["measure_rev"] or current["deleted"]:
        return [_item(base, "measures", measure_id, "measure", current["text"], text, "conflict",
                      "导出后本机又修改过这条举措，为免覆盖未导入；请核对后在程序中修改")]
    reason = "删除这条工作举措" if not _norm(text) else ""
    return [_item(base, "measures", measure_id, "measure", current["text"], text, "change", reason)]


def _progress_changes(base, entry, text, today) -> list:
    known = {_norm(_progress_line(p)) for p in entry["progress"]} | {_norm(p["text"]) for p in entry["progress"]}
    out = []
    for line in (text or "").split("\n"):
        if not _norm(line) or _norm(line) in known:
            continue
        day, body = _split_date(line, today)
        if not _norm(body) or _norm(body) in known:
            continue
        out.append(_item(base, "progress", None, "progress", "", {"date": day, "text": body.strip()}, "change",
                         "新增一条完成情况"))
    return out


# ---- workbooks made by hand ---------------------------------------------------------------


class UnitNeeded(UserError):
    """A hand-made ledger workbook at the county office: whose it is must be said."""


def _manual_unit(db, unit) -> str:
    me = settings.profile(db) or {}
    if unit:
        return unit
    if me.get("role") == FILING_OFFICE and me.get("name"):
        return me["name"]
    raise UnitNeeded("这份台账表格不是本程序导出的（没有记录编号），请指明它属于哪个单位（命令行用 --unit 单位名称）。")


def _manual_changes(db, wb, unit, today) -> list:
    ws, header_row, columns = _find_header(wb)
    blocks, formulas = _blocks(ws, header_row, columns)
    candidates = _unit_entries(db, unit)
    if not candidates:
        raise UserError(f"本机没有“{unit}”的台账记录，无法对照这份表格。请先导入方案或任务包。")
    changes = [_item({"sheet": ws.title, "row": f["row"], "entry_id": None, "seq": ""}, "entries", None, f["field"], "", "",
                     "invalid", f"{f['address']} 单元格是公式，不导入：请把公式改为直接填写的文字或日期后再导入") for f in formulas]
    for block in blocks:
        entry, certainty, reason = _match(block, candidates)
        base = {"sheet": ws.title, "row": block["row"], "entry_id": entry["id"] if entry else None, "seq": block["seq"]}
        if entry is None:
            changes.append(_item(base, "entries", None, "", block["text"][:40], "", "unmatched", reason))
            continue
        found = _manual_entry_changes(base, entry, block, today)
        for change in found:
            if certainty == "uncertain" and change["status"] == "change":
                change["status"], change["reason"] = "uncertain", f"{reason}；{change['reason']}".strip("；")
        changes += found
    return changes


def _find_header(wb):
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for r in range(1, min(ws.max_row, 12) + 1):
            columns = {}
            for cell in ws[r]:
                text = re.sub(r"\s+", "", _cell_text(cell.value))
                for key, words in HEADER_WORDS.items():
                    if text in words and key not in columns.values():
                        columns[cell.column_letter] = key
            if "seq" in columns.values() and ({"requirement", "category"} & set(columns.values())):
                return ws, r, columns
    raise UserError("表格中找不到台账的表头（需要“序号”和“工作任务”或“工作要求”列）。请检查表格，或用本程序导出的台账表格修改后再导入。")


def _blocks(ws, header_row, columns) -> list:
    """The table's tasks: a row with a 序号 starts one; rows below without one add measures."""
    blocks, current, formulas = [], None, []
    for r in range(header_row + 1, ws.max_row + 1):
        values = {}
        for letter, key in columns.items():
            cell = ws[f"{letter}{r}"]
            if cell.data_type == "f":  # refused with its address, read as an empty cell
                formulas.append({"row": r, "address": f"{letter}{r}", "field": key})
                values[key] = ""
            else:
                values[key] = _cell_text(cell.value)
        if not any(_norm(v) for v in values.values()):
            continue
        if _norm(values.get("seq", "")):
            text = " ".join(filter(None, (values.get("category", ""), values.get("requirement", ""))))
            current = {"row": r, "seq": values["seq"].strip(), "text": text, "values": values, "measures": []}
            blocks.append(current)
        if current is not None and _norm(values.get("measure", "")):
            current["measures"].append(values["measure"].strip())
    return blocks, formulas


def _match(block, candidates) -> tuple:
    text = _norm(block["text"])
    scored = []
    for entry in candidates:
        ratio = difflib.SequenceMatcher(None, text, _norm(entry["requirement"] or " ".join(entry["category"])), autojunk=False).ratio()
        ratio = max(ratio, difflib.SequenceMatcher(None, text, _norm(" ".join([*entry["category"], entry["requirement"]])), autojunk=False).ratio())
        scored.append((ratio, entry["seq"] == block["seq"], entry))
    scored.sort(key=lambda s: (s[0] + (0.2 if s[1] else 0)), reverse=True)
    ratio, same_seq, entry = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0
    if (same_seq and ratio >= SEQ_RATIO) or (ratio >= CERTAIN_RATIO and ratio - runner_up >= 0.1):
        return entry, "certain", ""
    if same_seq or ratio >= UNCERTAIN_RATIO:
        return entry, "uncertain", f"按相似度匹配到序号 {entry['seq']}（相似度 {ratio:.0%}），请确认"
    return None, None, "找不到对应的任务"


def _manual_entry_changes(base, entry, block, today) -> list:
    out = []
    values = block["values"]
    for field in ENTRY_FIELDS:
        if field not in values or _norm(values[field]) == _norm(entry[field] or ""):
            continue
        if not _norm(values[field]):
            continue  # an empty cell in a hand-made table is not taken as clearing the value
        status, reason, value = _check_value(field, values[field])
        out.append(_item(base, "entries", entry["id"], field, entry[field] or "", value, status, reason))
    if block["measures"] and [_norm(m) for m in block["measures"]] != [_norm(m) for m in entry["measures"]]:
        out.append(_item(base, "measure_list", entry["id"], "measure", "\n".join(entry["measures"]),
                         block["measures"], "change", "按表格重写工作举措"))
    if "progress" in values:
        out += _progress_changes(base, entry, values["progress"], today)
    return out


# ---- database reads and writes ------------------------------------------------------------


def _load_entries(db, ids) -> dict:
    found = {}
    ids = [i for i in ids if i]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT e.*, t.seq, t.category, t.requirement, t.deadline FROM entries e JOIN tasks t ON t.id = e.task_id "
            f"WHERE e.id IN ({marks}) AND e.deleted = 0", chunk):
            found[row["id"]] = _entry_dict(row)
    _add_children(db, found)
    return found


def _unit_entries(db, unit) -> list:
    rows = db.query(
        "SELECT e.*, t.seq, t.category, t.requirement, t.deadline FROM entries e JOIN tasks t ON t.id = e.task_id "
        "WHERE e.unit = ? AND e.deleted = 0 AND e.selection != 'dropped' ORDER BY e.year DESC, t.position", [unit])
    found = {row["id"]: _entry_dict(row) for row in rows}
    _add_children(db, found)
    return list(found.values())


def _entry_dict(row) -> dict:
    entry = dict(row)
    entry["category"] = json.loads(row["category"] or "[]")
    entry["progress"], entry["measures"] = [], []
    return entry


def _add_children(db, entries: dict) -> None:
    ids = list(entries)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT entry_id, date, text FROM progress WHERE deleted = 0 AND entry_id IN ({marks}) ORDER BY date", chunk):
            entries[row["entry_id"]]["progress"].append(dict(row))
        for row in db.query(f"SELECT entry_id, text FROM measures WHERE deleted = 0 AND entry_id IN ({marks}) ORDER BY position", chunk):
            entries[row["entry_id"]]["measures"].append(row["text"])


def _load_measures(db, ids) -> dict:
    found = {}
    ids = [i for i in ids if i]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT id, entry_id, rev, text, deleted FROM measures WHERE id IN ({marks})", chunk):
            found[row["id"]] = dict(row)
    return found


def _apply_child(db, item) -> None:
    if item["table"] == "progress":
        records.insert(db, "progress", {"entry_id": item["entry_id"], "date": item["new"]["date"], "text": item["new"]["text"]})
    elif item["table"] == "measures" and item["record_id"] is None:
        position = db.execute("SELECT count(*) FROM measures WHERE entry_id = ? AND deleted = 0", [item["entry_id"]]).fetchone()[0]
        records.insert(db, "measures", {"entry_id": item["entry_id"], "position": position, "text": item["new"].strip()})
    elif item["table"] == "measures":
        text = (item["new"] or "").strip()
        records.update(db, "measures", item["record_id"], {"text": text} if text else {"deleted": 1})
    elif item["table"] == "measure_list":
        from core.ledger import set_measures

        set_measures(db, item["record_id"], item["new"])


# ---- values -------------------------------------------------------------------------------


def _open(path):
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到表格文件“{path}”，请检查文件路径。")
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"“{path.name}”不是 .xlsx 表格。请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入。")
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from core.plan.safety import check_zip

    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, path.name)  # zip bombs are refused before openpyxl inflates anything
        return load_workbook(path)  # formulas kept as formulas: a formula cell is refused, never read
    except UserError:
        raise
    except (BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, ParseError, RecursionError, TypeError, AttributeError, IndexError) as exc:
        # a damaged workbook makes openpyxl fail in many ways (e.g. TypeError on a garbled attribute name)
        raise UserError(f"无法读取表格“{path.name}”：文件已损坏或不是 Excel 工作簿。请重新保存后再导入。") from exc


def _sheet(wb, title):
    if title not in wb.sheetnames:
        raise UserError(f"表格中找不到工作表“{title}”（可能被改名或删除），无法对照修改。请恢复原工作表名后再导入。")
    return wb[title]


def _check_value(field, text) -> tuple:
    """(status, reason, value) for a new cell value of an entry field."""
    text = (text or "").strip()
    if field == "status":
        if text not in STATUSES:
            return "invalid", f"完成状态只能是：{'、'.join(STATUSES)}", text
    if field == "completed_on" and text:
        day = _parse_date(text)
        if day is None:
            return "invalid", "完成时间应为日期，例如 2024-05-31", text
        return "change", "", day
    return "change", "", text if text or field != "completed_on" else None


def _parse_date(text) -> str | None:
    """A date written in a cell, any way a user types one (core.calendar.dates), or None."""
    try:
        return parse_user_date(text)
    except UserError:
        return None


def _split_date(line, today) -> tuple:
    m = _DATE.match(line)
    if m:
        day = _parse_date(m[0])
        if day:
            return day, line[m.end():].strip(" ：:，,")
    return today.isoformat(), line.strip()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _task_text(entry, field) -> str:
    if field == "category":
        return "\n".join(c for c in entry["category"] if c)
    return entry.get(field) or ""


def _progress_line(p) -> str:
    return f"{p.get('date') or ''} {p.get('text') or ''}".strip()


def _norm(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def short_value(value) -> str:
    if isinstance(value, dict):
        value = f"{value.get('date')} {value.get('text')}"
    if isinstance(value, list):
        value = "；".join(value)
    text = str(value or "（空）").replace("\n", " ")
    return text if len(text) <= 30 else text[:29] + "…"


def _item(base, table, record_id, field, old, new, status, reason) -> dict:
    return {**base, "table": table, "record_id": record_id, "field": field, "label": LABELS.get(field, field or "整行"),
            "old": old, "new": new, "status": status, "reason": reason}
