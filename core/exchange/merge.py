"""The merge rules: what a package may change, which version wins, what is kept as a conflict.

Rules (see docs/exchange-format.md):
- Records are matched by uuid. The county owns plans and tasks; each unit owns its entries,
  their measures/progress/events/attachments, and its activities. A package may only carry
  records its sender may change (a 报送包: the sender's entry family and activities; a
  任务包: plans, tasks and the recipient's entry family). Anything else is rejected.
- Of two versions of one record the higher (rev, updated_at, device) wins, so the result does
  not depend on the order packages arrive in, and importing a package twice changes nothing.
  Deletions are tombstones (deleted = 1) and obey the same rule: a later edit wins.
- sync_base remembers the last version exchanged for each record. A losing version that is
  neither that base nor an older version from the winner's own installation is a conflict:
  kept in table `conflicts` for the user to review and restore.
"""

import json
import sqlite3

from core.errors import UserError
from core.text import normalise
import core.exchange.validate as validate
from core.ledger.due import refresh_due
from db.schema import DERIVED_COLUMNS, SYNCED_TABLES, TABLE_NAMES

SYNC_FIELDS = ("id", "rev", "updated_at", "updated_by", "device", "deleted")
ENTRY_CHILDREN = ("measures", "progress", "events")
CHUNK = 500
REQUEST_TABLES = ("requests", "request_appeals", "report_values")


def stamp(row) -> tuple:
    """The version order key: (rev, updated_at, device)."""
    return (row["rev"], row["updated_at"], row["device"])


def empty_report() -> dict:
    """A merge report with every count at zero."""
    return {"new": 0, "updated": 0, "unchanged": 0, "conflicts": 0, "rejected": 0, "items": []}


class Merger:
    """Applies one package's records to the database (the caller holds the transaction)."""

    def __init__(self, db, kind: str, owner: str, source: str = ""):
        self.db, self.kind, self.owner, self.source = db, kind, owner, source
        self.report = empty_report()
        self.accepted: dict[str, set] = {t: set() for t in SYNCED_TABLES}
        self.entry_task: dict[str, str] = {}  # accepted incoming entry id -> task id
        self.now = _now()

    # ---- public -------------------------------------------------------------------------

    def apply(self, tables: dict) -> dict:
        """Merge every table of `tables` ({table: [record]}); return the report."""
        unknown = sorted(set(tables) - set(SYNCED_TABLES), key=str)
        for table in unknown:
            for row in tables[table] if isinstance(tables[table], list) else []:
                self.reject(table, row, f"数据表“{table}”不在交换范围内")
        for table in SYNCED_TABLES:
            rows, invalid = validate.screen(table, tables.get(table) or [])
            for row, reason in invalid:
                self.reject(table, row, f"{TABLE_NAMES[table]}记录的{reason}，未导入此条")
            if rows:
                self.merge_table(table, _dedupe(rows))
        return self.report

    # ---- one table ----------------------------------------------------------------------

    def merge_table(self, table: str, rows: list) -> None:
        columns = table_columns(self.db, table)
        ids = [r["id"] for r in rows]
        local = self.load(table, ids, _owner_columns(table))
        base = self.load_base(table, ids)
        allowed = self.allowed_rows(table, rows, local)
        writes, base_writes = [], []
        for row in allowed:
            record = row if row.keys() <= columns else {k: v for k, v in row.items() if k in columns}
            outcome = self.decide(table, record, local.get(row["id"]), base.get(row["id"]))
            if outcome in ("new", "updated"):
                writes.append(record)
            if base.get(row["id"]) != stamp(record):
                base_writes.append((table, row["id"], *stamp(record)))
            self.accepted[table].add(row["id"])
            if table == "entries":
                self.entry_task[row["id"]] = row.get("task_id")
        self.write(table, writes, set(local))
        if base_writes:
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO sync_base(table_name, record_id, rev, updated_at, device) VALUES (?, ?, ?, ?, ?)",
                base_writes,
            )

    def decide(self, table: str, incoming: dict, local: dict | None, base: tuple | None) -> str:
        """Count one record as new / updated / unchanged / conflict; return what to do."""
        mine = stamp(incoming)
        if local is None:
            self.report["new"] += 1
            return "new"
        theirs = stamp(local)
        if mine == theirs or mine == base:
            self.report["unchanged"] += 1
            return "unchanged"
        if mine > theirs:
            if theirs != base and local["device"] != incoming["device"]:
                self.conflict(table, kept=incoming, lost_id=incoming["id"])
            else:
                self.report["updated"] += 1
            return "updated"
        if incoming["device"] != local["device"]:
            self.conflict(table, kept=None, lost_id=incoming["id"], lost=incoming)
            return "kept"
        self.report["unchanged"] += 1
        return "unchanged"

    def conflict(self, table, kept, lost_id, lost=None) -> None:
        """Keep the losing version in `conflicts` (full rows, as JSON)."""
        current = without_derived(table, next(self.db.query(f"SELECT * FROM [{table}] WHERE id = ?", [lost_id])))
        if lost is None:  # the incoming version wins; the local one is lost
            kept_row, lost_row = kept, current
        else:
            kept_row, lost_row = current, lost
        self.db.execute(
            "INSERT INTO conflicts(table_name, record_id, kept, lost, source, at) VALUES (?, ?, ?, ?, ?, ?)",
            [table, lost_id, _dump(kept_row), _dump(lost_row), self.source, self.now],
        )
        self.report["conflicts"] += 1
        self.report["items"].append({
            "what": "conflict", "table": table, "id": lost_id,
            "reason": f"{TABLE_NAMES.get(table, table)}记录两边都有修改，保留了较新的版本，另一版本可在冲突列表中查看和恢复",
        })

    def reject(self, table: str, row, reason: str) -> None:
        record_id = row.get("id") if isinstance(row, dict) else None
        self.report["rejected"] += 1
        self.report["items"].append({"what": "rejected", "table": str(table),
                                     "id": record_id if isinstance(record_id, str) else None, "reason": reason})

    # ---- ownership ----------------------------------------------------------------------

    def allowed_rows(self, table: str, rows: list, local: dict) -> list:
        """The rows the sender may change; the others are rejected and listed."""
        if table in ("plans", "tasks"):
            if self.kind != "task":
                for row in rows:
                    self.reject(table, row, "报送包不能修改方案和任务（方案和任务由县政务公开科统一下发）")
                return []
            if table == "tasks":
                return self.tasks_with_plan(rows)
            return rows
        if table == "entries":
            return self.allowed_entries(rows, local)
        if table in ENTRY_CHILDREN:
            return self.allowed_children(table, rows, local)
        if table == "attachments":
            return self.allowed_attachments(rows, local)
        if table == "activities":
            return self.allowed_activities(rows, local)
        if table in REQUEST_TABLES:
            return self.allowed_unit_records(table, rows, local)
        if table == "inspections":
            return self.allowed_inspections(rows, local)
        if table == "corrections":
            return self.allowed_corrections(rows, local)
        return []

    def tasks_with_plan(self, rows: list) -> list:
        plans = self.existing_ids("plans", {r.get("plan_id") for r in rows if r.get("plan_id")}) | self.accepted["plans"]
        out = []
        for row in rows:
            if row.get("plan_id") and row["plan_id"] not in plans:
                self.reject("tasks", row, "任务所属的方案不存在")
            else:
                out.append(row)
        return out

    def allowed_entries(self, rows: list, local: dict) -> list:
        task_ids = {r.get("task_id") for r in rows}
        tasks = self.existing_ids("tasks", task_ids) | self.accepted["tasks"]
        taken = self.entries_by_task(task_ids)
        out = []
        for row in rows:
            existing = local.get(row["id"])
            if row.get("unit") != self.owner or (existing and existing["unit"] != self.owner):
                self.reject("entries", row, f"台账记录属于“{row.get('unit') or (existing or {}).get('unit')}”，不能由此数据包修改")
            elif row.get("task_id") not in tasks:
                self.reject("entries", row, "台账记录对应的任务不在本机的方案中（对方可能直接导入了方案文件而不是任务包）")
            elif taken.get(row["task_id"], row["id"]) != row["id"]:
                self.reject("entries", row, "同一任务已有该单位的另一条台账记录，请核对后手工合并")
            else:
                taken[row["task_id"]] = row["id"]
                out.append(row)
        return out

    def allowed_children(self, table: str, rows: list, local: dict) -> list:
        parents = {r.get("entry_id") for r in rows} | {l["entry_id"] for l in local.values()}
        owned = self.owned_entries(parents)
        out = []
        for row in rows:
            existing = local.get(row["id"])
            if row.get("entry_id") not in owned or (existing and existing["entry_id"] not in owned):
                self.reject(table, row, f"{TABLE_NAMES[table]}所属的台账记录不属于“{self.owner}”或不存在")
            else:
                out.append(row)
        return out

    def allowed_attachments(self, rows: list, local: dict) -> list:
        records = list(rows) + list(local.values())
        progress = self.owned_progress({r.get("progress_id") for r in records if r.get("progress_id")})
        activities = self.owned_activities({r.get("activity_id") for r in records if r.get("activity_id")})
        out = []
        for row in rows:
            checks = [row] + ([local[row["id"]]] if row["id"] in local else [])
            if all(_attachment_owned(r, progress, activities) for r in checks):
                out.append(row)
            else:
                self.reject("attachments", row, f"附件所属的进展或活动不属于“{self.owner}”或不存在")
        return out

    def allowed_activities(self, rows: list, local: dict) -> list:
        out = []
        for row in rows:
            existing = local.get(row["id"])
            if self.kind != "report" or row.get("unit") != self.owner or (existing and existing["unit"] != self.owner):
                self.reject("activities", row, f"开放活动只能由举办单位“{row.get('unit')}”报送")
            else:
                out.append(row)
        return out

    def allowed_unit_records(self, table: str, rows: list, local: dict) -> list:
        """Applications, their appeals and the annual report's figures: only the unit's own, in a
        报送包, each record valid (core.register.requests / core.register.annual_report say why not)."""
        from core.calendar import workdays
        from core.register.annual_report import validate_incoming as report_problem
        from core.register.requests import validate_incoming as request_problem

        cal = workdays.load_calendar(self.db)
        requests_owned = set()
        if table == "request_appeals":
            wanted = {r.get("request_id") for r in rows if r.get("request_id")}
            requests_owned = {i for i in wanted if i in self.accepted["requests"]} | {
                r[0] for chunk in _chunks(list(wanted)) for r in self.db.execute(
                    f"SELECT id FROM requests WHERE id IN ({','.join('?' * len(chunk))}) AND unit = ?", [*chunk, self.owner])}
        out = []
        for row in rows:
            existing = local.get(row["id"])
            name = TABLE_NAMES[table]
            if self.kind != "report" or row.get("unit") != self.owner or (existing and existing["unit"] != self.owner):
                self.reject(table, row, f"{name}记录只能由“{row.get('unit')}”自己报送")
                continue
            problem = report_problem(row) if table == "report_values" else request_problem(table, row, cal)
            if problem is None and table == "request_appeals" and row.get("request_id") not in requests_owned:
                problem = "复议/诉讼所属的申请不属于该单位或不存在"
            if problem:
                self.reject(table, row, f"{name}记录无效：{problem}")
            else:
                out.append(row)
        return out

    def allowed_inspections(self, rows: list, local: dict) -> list:
        """Findings come from the county, in the 任务包 of the unit they concern, with valid fields."""
        out = []
        for row in rows:
            existing = local.get(row["id"])
            if self.kind != "task" or row.get("unit") != self.owner or (existing and existing["unit"] != self.owner):
                self.reject("inspections", row, f"检查问题只能由县政务公开科在“{row.get('unit')}”的任务包中下发")
            elif (problem := _invalid(_check_finding, row)):
                self.reject("inspections", row, f"检查问题数据无效：{problem}")
            else:
                out.append(row)
        return out

    def allowed_corrections(self, rows: list, local: dict) -> list:
        """Corrections come from the unit, for its own findings, in its 报送包."""
        findings = {r.get("inspection_id") for r in rows}
        owned = {i for i in findings if i in self.accepted["inspections"]}
        for chunk in _chunks([i for i in findings - owned if i]):
            marks = ",".join("?" * len(chunk))
            owned |= {r[0] for r in self.db.execute(
                f"SELECT id FROM inspections WHERE id IN ({marks}) AND unit = ?", [*chunk, self.owner])}
        out = []
        for row in rows:
            existing = local.get(row["id"])
            if self.kind != "report" or row.get("unit") != self.owner or (existing and existing["unit"] != self.owner):
                self.reject("corrections", row, f"整改情况只能由“{row.get('unit')}”在本单位的报送包中报送")
            elif row.get("inspection_id") not in owned:
                self.reject("corrections", row, f"整改情况对应的检查问题不存在或不属于“{self.owner}”")
            elif (problem := _invalid(_check_correction, row)):
                self.reject("corrections", row, f"整改情况数据无效：{problem}")
            else:
                out.append(row)
        return out

    def owned_entries(self, ids: set) -> set:
        ids = {i for i in ids if i}
        owned = {i for i in ids if i in self.accepted["entries"]}
        rest = list(ids - owned)
        for chunk in _chunks(rest):
            marks = ",".join("?" * len(chunk))
            owned |= {r[0] for r in self.db.execute(
                f"SELECT id FROM entries WHERE id IN ({marks}) AND unit = ?", [*chunk, self.owner])}
        return owned

    def owned_progress(self, ids: set) -> set:
        parent = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            parent.update(self.db.execute(f"SELECT id, entry_id FROM progress WHERE id IN ({marks})", chunk).fetchall())
        owned_entries = self.owned_entries(set(parent.values()))
        return {p for p, e in parent.items() if e in owned_entries}

    def owned_activities(self, ids: set) -> set:
        owned = set()
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            owned |= {r[0] for r in self.db.execute(
                f"SELECT id FROM activities WHERE id IN ({marks}) AND unit = ?", [*chunk, self.owner])}
        return owned

    def entries_by_task(self, task_ids: set) -> dict:
        """{task_id: entry id} for the owner's existing entries of these tasks."""
        found = {}
        for chunk in _chunks([t for t in task_ids if t]):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(
                f"SELECT task_id, id FROM entries WHERE task_id IN ({marks}) AND unit = ?", [*chunk, self.owner]).fetchall())
        return found

    # ---- batch I/O ----------------------------------------------------------------------

    def existing_ids(self, table: str, ids: set) -> set:
        found = set()
        for chunk in _chunks([i for i in ids if i]):
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self.db.execute(f"SELECT id FROM [{table}] WHERE id IN ({marks})", chunk)}
        return found

    def load(self, table: str, ids: list, extra: tuple) -> dict:
        """{id: {rev, updated_at, device, *extra}} for the rows of `table` among `ids`."""
        cols = ["id", "rev", "updated_at", "device", *extra]
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            cursor = self.db.execute(f"SELECT {', '.join(cols)} FROM [{table}] WHERE id IN ({marks})", chunk)
            for values in cursor:
                found[values[0]] = dict(zip(cols, values))
        return found

    def load_base(self, table: str, ids: list) -> dict:
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            cursor = self.db.execute(
                f"SELECT record_id, rev, updated_at, device FROM sync_base WHERE table_name = ? AND record_id IN ({marks})",
                [table, *chunk])
            for record_id, rev, updated_at, device in cursor:
                found[record_id] = (rev, updated_at, device)
        return found

    def write(self, table: str, rows: list, existing: set) -> None:
        """INSERT new rows and UPDATE existing ones with executemany, grouped by column sets.

        (Not an upsert: an outer ON CONFLICT would override the OR IGNORE of other modules' triggers.)
        """
        groups: dict[tuple, list] = {}
        # Text from a package is normalised like any other (control characters, Word line breaks);
        # outer spaces are kept so a row stays as its sender stored it.
        rows = [{k: normalise(v, strip=False) if isinstance(v, str) else v for k, v in row.items()} for row in rows]
        for row in rows:
            groups.setdefault((row["id"] in existing, tuple(row)), []).append(row)
        for (update, cols), group in groups.items():
            if update:
                sets = ", ".join(f"[{c}] = ?" for c in cols if c != "id")
                sql = f"UPDATE [{table}] SET {sets} WHERE id = ?"
                values = [tuple(v for k, v in r.items() if k != "id") + (r["id"],) for r in group]
            else:
                names = ", ".join(f"[{c}]" for c in cols)
                sql = f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(cols))})"
                values = [tuple(r.values()) for r in group]
            try:
                self.db.conn.executemany(sql, values)
            except (sqlite3.InterfaceError, sqlite3.ProgrammingError) as exc:  # a list or object as a value
                raise UserError(
                    f"数据包“{self.source}”中的{TABLE_NAMES.get(table, table)}数据含有无法识别的格式，整个数据包未导入。"
                    "请让对方用本程序重新导出。"
                ) from exc
            except sqlite3.IntegrityError as exc:
                raise UserError(
                    f"数据包“{self.source}”中的{TABLE_NAMES.get(table, table)}数据不完整或相互矛盾（{exc}），整个数据包未导入。"
                    "请让对方用本程序重新导出。"
                ) from exc


def merge_records(db, kind: str, owner: str, tables: dict, source: str = "") -> dict:
    """Merge `tables` from a package of `kind` whose owned records belong to `owner`.

    One transaction: on any error nothing is changed.
    """
    with db.atomic():
        report = Merger(db, kind, owner, source).apply(tables)
        refresh_due(db)
        return report


def mark_sent(db, tables: dict) -> None:
    """Remember the versions just packed as the common base with the recipient."""
    rows = [(table, r["id"], r["rev"], r["updated_at"], r["device"]) for table, records in tables.items() for r in records]
    with db.atomic():
        db.conn.executemany(
            "INSERT OR REPLACE INTO sync_base(table_name, record_id, rev, updated_at, device) VALUES (?, ?, ?, ?, ?)", rows)


def list_conflicts(db, include_resolved: bool = False) -> list[dict]:
    """The kept conflicts, newest first, with a short summary of what differs."""
    where = "" if include_resolved else "WHERE resolved = 0"
    out = []
    for row in db.query(f"SELECT * FROM conflicts {where} ORDER BY seq DESC"):
        kept, lost = json.loads(row["kept"]), json.loads(row["lost"])
        out.append({
            "seq": row["seq"], "table": row["table_name"], "record_id": row["record_id"],
            "source": row["source"], "at": row["at"], "resolved": bool(row["resolved"]),
            "fields": differing_fields(kept, lost), "kept": kept, "lost": lost,
        })
    return out


def differing_fields(kept: dict, lost: dict) -> list[str]:
    """The non-sync fields whose values differ between two versions."""
    keys = (set(kept) | set(lost)) - set(SYNC_FIELDS) - {"updated_by"}
    return sorted(k for k in keys if kept.get(k) != lost.get(k)) + (["deleted"] if kept.get("deleted") != lost.get("deleted") else [])


def restore_conflict(db, seq: int) -> dict:
    """Make the lost version of conflict `seq` current again, as a new local revision."""
    from core import records

    row = db.execute("SELECT table_name, record_id, lost, resolved FROM conflicts WHERE seq = ?", [seq]).fetchone()
    if row is None:
        raise UserError(f"找不到编号为 {seq} 的冲突记录，请刷新冲突列表后重试。")
    table, record_id, lost_json, resolved = row
    if resolved:
        raise UserError(f"冲突 {seq} 已处理过，无需再次恢复。")
    lost = json.loads(lost_json)
    columns = table_columns(db, table)
    changes = {k: v for k, v in lost.items() if k in columns and (k not in SYNC_FIELDS or k == "deleted")}
    with db.atomic():
        if db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [record_id]).fetchone() is None:
            raise UserError("该冲突对应的记录已不存在，无法恢复。")
        changed = records.update(db, table, record_id, changes)
        db.execute("UPDATE conflicts SET resolved = 1 WHERE seq = ?", [seq])
        refresh_due(db)
    return {"seq": seq, "table": table, "record_id": record_id, "changed": sorted(changed)}


def dismiss_conflict(db, seq: int) -> None:
    """Mark conflict `seq` as reviewed, keeping the current version."""
    with db.atomic():
        db.execute("UPDATE conflicts SET resolved = 1 WHERE seq = ?", [seq])


_COLUMNS_CACHE: dict = {}


def table_columns(db, table: str) -> set:
    """The column names of `table` in this database that records exchange (derived ones left out)."""
    key = (id(db.conn), table)
    if key not in _COLUMNS_CACHE:
        derived = set(DERIVED_COLUMNS.get(table, ()))
        _COLUMNS_CACHE[key] = {r[1] for r in db.execute(f"PRAGMA table_info([{table}])")} - derived
    return _COLUMNS_CACHE[key]


def without_derived(table: str, row: dict) -> dict:
    """`row` without the columns this database computes for itself (db.schema.DERIVED_COLUMNS)."""
    derived = DERIVED_COLUMNS.get(table)
    return {k: v for k, v in row.items() if k not in derived} if derived else row


def _check_finding(row):
    from core.county.inspections import check_finding

    check_finding(row)


def _check_correction(row):
    from core.county.inspections import check_correction

    check_correction(row)


def _invalid(check, row) -> str:
    """The refusal `check` gives for an arriving row, or '' when it is valid."""
    try:
        check(row)
    except UserError as exc:
        return exc.message
    return ""


def _owner_columns(table: str) -> tuple:
    if table in ("entries", "activities", "inspections", "corrections", *REQUEST_TABLES):
        return ("unit",)
    if table in ENTRY_CHILDREN:
        return ("entry_id",)
    if table == "attachments":
        return ("progress_id", "activity_id")
    return ()


def _attachment_owned(row, progress: set, activities: set) -> bool:
    if row.get("progress_id"):
        return row["progress_id"] in progress
    if row.get("activity_id"):
        return row["activity_id"] in activities
    return False


def _dedupe(rows: list) -> list:
    """One row per id: the highest version if a package lists an id twice."""
    best = {}
    for row in rows:
        if row["id"] not in best or stamp(row) > stamp(best[row["id"]]):
            best[row["id"]] = row
    return list(best.values())


def _chunks(items: list, size: int = CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _dump(row) -> str:
    return json.dumps(dict(row), ensure_ascii=False, sort_keys=True)


def _now() -> str:
    from core.records import utc_now

    return utc_now()
