"""The county's roster of units (单位名册) and who has reported (报送情况).

A 汇总单位 keeps the list of units it sends the plan to: name, kind (镇 / 街道 / 部门), other
names, contact. Which tasks a unit has follows core.units.match_units, the same rule a unit
applies to itself when it imports the plan, so groups such as 各镇（街道） expand to the
roster's towns and sub-districts and 县政府各部门 to its departments.

`report_status` is the one computation of "who has reported": the 数据交换 page, the summary
workbook and `units list` all read it. Entry counts are one SQL aggregate over the due dates
stored on the entries (core.ledger.due.fresh_due).
"""

import json
import re
from collections import Counter
from datetime import date

from core import records, settings
from core.errors import UserError
from core.text import normalise

KINDS = ("镇", "街道", "部门")
MAX_NAME = 60
MAX_ALIASES = 10
IMPORT_HEADERS = {"name": ("单位名称", "单位", "名称"), "kind": ("类型", "单位类型", "类别"),
                  "aliases": ("别名", "其他名称", "简称"), "contact": ("联系人",), "phone": ("联系电话", "电话", "联系方式")}
MAX_IMPORT_ROWS = 5000
DONE = "已完成"


# ---------------------------------------------------------------- the roster


def list_units(db) -> list[dict]:
    """The roster in name order: {id, name, kind, aliases, contact, phone}."""
    rows = db.execute("SELECT id, name, kind, aliases, contact, phone FROM roster_units WHERE deleted = 0 ORDER BY name")
    return [{"id": r[0], "name": r[1], "kind": r[2], "aliases": json.loads(r[3] or "[]"), "contact": r[4], "phone": r[5]}
            for r in rows]


def require_county(db, action: str) -> dict:
    me = settings.profile(db)
    if not me:
        raise UserError(f"尚未设置本单位信息，无法{action}。请先运行 profile set 或在“设置”页填写。")
    if not settings.is_county(db):
        raise UserError(f"只有汇总单位（县政务公开科）可以{action}；本机是{me.get('role')}。如角色有误，请在“设置”页修改。")
    return me


def check_unit(name, kind, aliases=(), contact="", phone="", where: str = "") -> dict:
    """A roster row validated: one Chinese sentence (prefixed by `where`) for what is wrong."""
    name = normalise(str(name or "")).strip()
    kind = normalise(str(kind or "")).strip()
    if not name:
        raise UserError(f"{where}单位名称为空，请填写单位全称，例如“城东街道办事处”。")
    if len(name) > MAX_NAME or re.search(r"[\n\r\t]", name):
        raise UserError(f"{where}单位名称“{name[:20]}…”过长或含换行，请填写 {MAX_NAME} 字以内的单位全称。")
    if kind not in KINDS:
        raise UserError(f"{where}单位“{name}”的类型“{kind}”无效，请填写：{'、'.join(KINDS)}。")
    if isinstance(aliases, str):
        aliases = re.split(r"[、，,;；\n]", aliases)
    clean = []
    for alias in aliases or ():
        alias = normalise(str(alias or "")).strip()
        if alias and alias != name and alias not in clean:
            if len(alias) > MAX_NAME:
                raise UserError(f"{where}单位“{name}”的别名“{alias[:20]}…”过长，请填写 {MAX_NAME} 字以内。")
            clean.append(alias)
    if len(clean) > MAX_ALIASES:
        raise UserError(f"{where}单位“{name}”的别名超过 {MAX_ALIASES} 个，请只保留常用的名称。")
    contact = normalise(str(contact or "")).strip()[:40]
    phone = normalise(str(phone or "")).strip()
    if phone and not re.fullmatch(r"[0-9０-９\-－ ()（）+转、,，/]{3,40}", phone):
        raise UserError(f"{where}单位“{name}”的联系电话“{phone[:20]}”无效，请只填写数字和“-”。")
    return {"name": name, "kind": kind, "aliases": clean, "contact": contact, "phone": phone}


def add_unit(db, name, kind, aliases=(), contact="", phone="") -> dict:
    """Add a unit to the roster, or update its kind/aliases/contact if the name is there."""
    require_county(db, "维护单位名册")
    row = check_unit(name, kind, aliases, contact, phone)
    with db.atomic():
        _check_not_county(db, row["name"], "")
        return _upsert(db, row)[0]


def _check_not_county(db, name: str, where: str) -> None:
    me = settings.profile(db) or {}
    if name == me.get("name") or name in (me.get("aliases") or []):
        raise UserError(f"{where}“{name}”是本单位（汇总单位）自己，不需要列入单位名册。")


def _upsert(db, row: dict) -> tuple[dict, str]:
    """(the stored row, "added" | "updated" | "unchanged")."""
    fields = {"kind": row["kind"], "aliases": json.dumps(row["aliases"], ensure_ascii=False),
              "contact": row["contact"], "phone": row["phone"], "deleted": 0}
    found = db.execute("SELECT id FROM roster_units WHERE name = ?", [row["name"]]).fetchone()
    if found is None:
        stored = records.insert(db, "roster_units", {"name": row["name"], **fields})
        return {**row, "id": stored["id"]}, "added"
    changed = records.update(db, "roster_units", found[0], fields)
    return {**row, "id": found[0]}, "updated" if changed else "unchanged"


def remove_unit(db, name: str) -> None:
    """Take a unit off the roster (its ledger and findings stay)."""
    require_county(db, "维护单位名册")
    found = db.execute("SELECT id FROM roster_units WHERE name = ? AND deleted = 0", [name]).fetchone()
    if found is None:
        raise UserError(f"单位名册中没有“{name}”，请核对名称。")
    with db.atomic():
        records.delete(db, "roster_units", found[0])


def import_units(db, path) -> dict:
    """Read a roster .xlsx (header row: 单位名称 | 类型 | 别名 | 联系人 | 联系电话) in one transaction.

    Every row is validated first; a wrong row refuses the whole file with its row number.
    Returns {"added", "updated", "unchanged", "rows"}.
    """
    from pathlib import Path

    require_county(db, "导入单位名册")
    rows = _read_sheet(Path(path), IMPORT_HEADERS, ("name", "kind"), "单位名册")
    checked, seen = [], {}
    for number, values in rows:
        where = f"第{number}行："
        row = check_unit(values.get("name"), values.get("kind"), values.get("aliases") or "",
                         values.get("contact"), values.get("phone"), where)
        if row["name"] in seen:
            raise UserError(f"{where}单位“{row['name']}”与第{seen[row['name']]}行重复，请删除重复的一行后重新导入。")
        seen[row["name"]] = number
        _check_not_county(db, row["name"], where)
        checked.append(row)
    if not checked:
        raise UserError("单位名册表格中没有单位，请在标题行下逐行填写单位名称和类型。")
    counts = {"added": 0, "updated": 0, "unchanged": 0, "rows": len(checked)}
    with db.atomic():
        for row in checked:
            counts[_upsert(db, row)[1]] += 1
    return counts


def _read_sheet(path, headers: dict, required: tuple, what: str) -> list[tuple[int, dict]]:
    """[(row number, {key: value})] of the first sheet whose header row names the `required` columns.

    The file is untrusted: its zip and XML are checked as a plan's are (core.plan.xlsx_reader),
    and anything openpyxl cannot read becomes one Chinese refusal.
    """
    import warnings

    from core.plan.xlsx_reader import _check_parts

    if not path.is_file():
        raise UserError(f"找不到文件“{path}”，请检查路径。")
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"“{path.name}”不是 .xlsx 表格，请在 Excel 或 WPS 中另存为 .xlsx 后再导入{what}。")
    from openpyxl import load_workbook

    try:
        _check_parts(path)  # inside: a damaged zip directory is refused like a damaged workbook
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True)
            try:
                for ws in wb.worksheets:
                    rows = ws.iter_rows(values_only=True)
                    for number, header in enumerate(rows, start=1):
                        columns = _header_columns(header, headers)
                        if all(k in columns for k in required):
                            return _data_rows(rows, columns, number)
                        if number >= 10:
                            break
            finally:
                wb.close()
    except UserError:
        raise
    except Exception as exc:
        raise UserError(f"无法读取“{path.name}”（{type(exc).__name__}）：文件已损坏或不是 Excel 表格，"
                        f"请在 WPS/Excel 中打开后另存为 .xlsx 再导入{what}。") from None
    names = "、".join(headers[k][0] for k in required)
    raise UserError(f"“{path.name}”中没有找到{what}的标题行（应有“{names}”列），请按模板填写后重新导入。")


def _header_columns(header, headers: dict) -> dict:
    columns = {}
    for index, cell in enumerate(header or ()):
        text = re.sub(r"\s+", "", normalise(str(cell or "")))
        for key, names in headers.items():
            if text in names and key not in columns:
                columns[key] = index
    return columns


def _data_rows(rows, columns: dict, header_number: int) -> list[tuple[int, dict]]:
    out = []
    for number, values in enumerate(rows, start=header_number + 1):
        if number - header_number > MAX_IMPORT_ROWS:
            raise UserError(f"表格超过 {MAX_IMPORT_ROWS} 行，请检查是否选错了文件。")
        picked = {k: (values[i] if i < len(values) else None) for k, i in columns.items()}
        if all(v is None or str(v).strip() == "" for v in picked.values()):
            continue
        out.append((number, picked))
    return out


# ---------------------------------------------------------------- tasks per unit


def unit_profile(unit: dict, county: str = "") -> dict:
    """The profile core.units.match_units expects, for a roster unit."""
    return {"name": unit["name"], "aliases": unit.get("aliases") or [], "kind": unit["kind"], "county": county}


def _plan_tasks(db, year=None) -> list:
    where, params = ["t.deleted = 0", "p.deleted = 0"], []
    if year:
        where.append("coalesce(p.year, CAST(substr(p.issued, 1, 4) AS INTEGER)) = ?")
        params.append(int(year))
    return db.execute(f"SELECT t.id, t.units FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE {' AND '.join(where)}",
                      params).fetchall()


_COUNT_CACHE: dict = {}


def task_counts(db, year=None) -> dict:
    """{unit name: {"tasks", "maybe"}} for every roster unit: what its 任务包 will give it."""
    from core.units import match_units

    key = (_db_file(db), year, _fingerprint(db))
    if key in _COUNT_CACHE:
        return _COUNT_CACHE[key]
    county = (settings.profile(db) or {}).get("county", "")
    # Plans repeat the same 责任单位 text on many tasks: match each distinct text once per unit.
    texts = Counter(text for _, text in _plan_tasks(db, year))
    counts = {}
    for unit in list_units(db):
        profile = unit_profile(unit, county)
        n = maybe = 0
        for text, times in texts.items():
            match = match_units(text, profile)
            n += times * match.applies
            maybe += times * ((not match.applies) and match.maybe)
        counts[unit["name"]] = {"tasks": n, "maybe": maybe}
    if len(_COUNT_CACHE) > 32:
        _COUNT_CACHE.clear()
    _COUNT_CACHE[key] = counts
    return counts


def _db_file(db) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else ""


def _fingerprint(db) -> tuple:
    """Changes whenever a plan, a task, the roster or the profile changes."""
    parts = []
    for table in ("plans", "tasks", "roster_units"):
        parts.append(tuple(db.execute(f"SELECT count(*), max(updated_at), sum(rev) FROM {table}").fetchone()))
    parts.append(json.dumps(settings.profile(db) or {}, sort_keys=True, ensure_ascii=False))
    return tuple(parts)


def suggest_units(db) -> list[dict]:
    """Units named outright in the plans' 责任单位 and not yet on the roster: {name, kind, tasks}."""
    from core.units import guess_kind, names_match, parse_units

    me = settings.profile(db) or {}
    county = me.get("county", "")
    roster = [unit_profile(u, county) for u in list_units(db)]
    found: dict[str, dict] = {}
    for _, text in _plan_tasks(db):
        for unit in parse_units(text):
            if unit.kind != "named" or len(unit.text) < 3:
                continue
            if names_match(unit.text, me) or any(names_match(unit.text, p) for p in roster):
                continue
            kind = guess_kind(unit.text)
            item = found.setdefault(unit.text, {"name": unit.text, "kind": "部门" if kind == "县政府办公室" else kind, "tasks": 0})
            item["tasks"] += 1
    return sorted(found.values(), key=lambda u: (-u["tasks"], u["name"]))


# ---------------------------------------------------------------- who has reported


def report_status(db, year=None, today: date | None = None, with_tasks: bool = True) -> list[dict]:
    """One row per unit known to this office (roster, ledgers, packages), in name order.

    Keys: unit, kind, in_roster, tasks, maybe, task_pack (date the last 任务包 was written),
    has_key, entries, done, 推进中, 未开始, 长期坚持, overdue, last_report (created_at of the
    newest 报送包 imported), last_imported, reports, activities, activities_held, report_due
    (the plan's date for the ledger), late (that date passed and no 报送包 arrived), and at a
    填报单位 last_recorded (the last progress or completion date of its own entries).
    """
    today = today or date.today()
    year = int(year) if year else None
    units: dict[str, dict] = {}

    def state(name):
        found = units.get(name)
        if found is not None:
            return found
        return units.setdefault(name, {
            "unit": name, "kind": "", "in_roster": False, "tasks": 0, "maybe": 0, "task_pack": None, "has_key": False,
            "entries": 0, "done": 0, "推进中": 0, "未开始": 0, "长期坚持": 0, "overdue": 0, "last_report": None,
            "last_imported": None, "reports": 0, "activities": 0, "activities_held": 0, "report_due": None, "late": False,
            "last_recorded": None})

    roster = db.execute("SELECT name, kind FROM roster_units WHERE deleted = 0").fetchall()
    for name, kind in roster:
        s = state(name)
        s["kind"], s["in_roster"] = kind, True
    if with_tasks and roster:
        for name, counts in task_counts(db, year).items():
            state(name).update(counts)
    from core.exchange import signing

    for name in signing.issued_units(db):
        state(name)["has_key"] = True
    for name, last in db.execute("SELECT unit, max(created_at) FROM pack_log GROUP BY unit"):
        state(name)["task_pack"] = last[:10]
    shown = settings.visible_unit(db)  # None at a 汇总单位: every unit; else this office's own
    _count_entries(db, year, today, state, shown)
    where, params = "deleted = 0" + (" AND year = ?" if year else ""), [year] if year else []
    if shown:
        where, params = where + " AND unit = ?", params + [shown]
        _last_recorded(db, year, shown, state)
    for name, n, held in db.execute(
            f"SELECT unit, count(*), sum(held_on IS NOT NULL) FROM activities WHERE {where} GROUP BY unit", params):
        s = state(name)
        s["activities"], s["activities_held"] = n, held or 0
    for sender, last, imported, n in db.execute(
            "SELECT sender, max(created_at), max(imported_at), count(*) FROM exchange_log WHERE kind = 'report' GROUP BY sender"):
        s = state(sender)
        s["last_report"], s["last_imported"], s["reports"] = last, imported, n
    due = ledger_report_date(db, year)
    for s in units.values():
        s["report_due"] = due
        expected = s["tasks"] or s["has_key"] or s["task_pack"] or s["entries"]
        s["late"] = bool(due and due < today.isoformat() and not s["last_report"] and expected)
    return sorted(units.values(), key=lambda s: s["unit"])


def _count_entries(db, year, today: date, state, shown=None) -> None:
    """Entry counts per unit: one aggregate over the stored due dates (core.ledger.due.fresh_due)."""
    from core.ledger.due import fresh_due

    where, params = "e.deleted = 0 AND e.selection != 'dropped'", []
    if year:
        where += " AND e.year = ?"
        params.append(year)
    if shown:
        where += " AND e.unit = ?"
        params.append(shown)
    today = today.isoformat()
    due = fresh_due(db, today)
    rows = db.execute(
        f"""SELECT e.unit, count(*), sum(e.status = '已完成'), sum(e.status = '推进中'), sum(e.status = '未开始'),
                   sum(e.status = '长期坚持'), sum(e.status != '已完成' AND {due} < ?)
            FROM entries e WHERE {where} GROUP BY e.unit""", [today, *params]).fetchall()
    for unit, n, done, doing, todo, standing, overdue in rows:
        s = state(unit)
        s["entries"], s["done"], s["推进中"], s["未开始"], s["长期坚持"], s["overdue"] = (
            n, done or 0, doing or 0, todo or 0, standing or 0, overdue or 0)


def _last_recorded(db, year, unit, state) -> None:
    """At a 填报单位: the last date it recorded progress or a completion (its own 最近报送日期)."""
    where, params = "e.deleted = 0 AND e.selection != 'dropped' AND e.unit = ?", [unit]
    if year:
        where, params = where + " AND e.year = ?", params + [year]
    row = db.execute(
        f"""SELECT max(d) FROM (SELECT max(p.date) AS d FROM progress p JOIN entries e ON e.id = p.entry_id
                                WHERE p.deleted = 0 AND {where}
                                UNION ALL SELECT max(e.completed_on) FROM entries e WHERE {where})""",
        params + params).fetchone()
    if row and row[0]:
        state(unit)["last_recorded"] = row[0][:10]


def ledger_report_date(db, year=None) -> str | None:
    """The plan's date for sending the ledger back (工作台账于5月31日前报…), earliest; None if none."""
    where, params = "deleted = 0", []
    if year:
        where += " AND coalesce(year, CAST(substr(issued, 1, 4) AS INTEGER)) = ?"
        params.append(year)
    dates, ledger_dates = [], []
    for (text,) in db.execute(f"SELECT report_dates FROM plans WHERE {where}", params):
        try:
            items = json.loads(text or "[]")
        except ValueError:
            continue
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(item.get("date", ""))):
                dates.append(item["date"])
                if "台账" in str(item.get("what", "")):
                    ledger_dates.append(item["date"])
    chosen = ledger_dates or dates
    return min(chosen) if chosen else None


def unit_rows(db, year=None, today: date | None = None) -> list[dict]:
    """The rows of `units list --json`: the roster's units (and any other unit that reported)."""
    out = []
    for s in report_status(db, year, today):
        out.append({"name": s["unit"], "kind": s["kind"], "tasks": s["tasks"], "maybe": s["maybe"],
                    "task_pack": s["task_pack"], "last_report": (s["last_report"] or "")[:10] or None,
                    "entries": s["entries"], "done": s["done"], "overdue": s["overdue"], "late": s["late"],
                    "in_roster": s["in_roster"], "report_due": s["report_due"]})
    return out
