"""Building 任务包 / 报送包 from the database, and importing packages into it.

County (汇总单位) → unit: a 任务包 holds every plan and task and the unit's pre-created entries
(with their measures). Unit (填报单位) → county: a 报送包 holds the unit's entries, measures,
progress, events, activities and attachments. Each is signed with its sender's own Ed25519 key
(core.exchange.signing); the receiver pins that key on first use and refuses any other later.
Each imported file is one transaction: a refused or failing file changes nothing, and the
files before it stay imported.
"""

import json
import logging
from pathlib import Path

from core import records, settings
from core.county import roster
from core.errors import UserError
import core.exchange.package_format as fmt
import core.exchange.signing as signing
from core.exchange.merge import Merger, empty_report, mark_sent, without_derived
from core.export.common import sanitize_file_name
from core.ledger import assignment
from core.ledger.due import refresh_due
from core.paths import beside_db
from core.plan import doubles
from core.storage.snapshots import backup_before
from core.text import printable
from core.vocab import COUNTY_OFFICE, FILING_OFFICE

log = logging.getLogger(__name__)

COUNTY = COUNTY_OFFICE
UNIT = FILING_OFFICE
COUNTY_NAME_KEY = "exchange.county"
REPORT_KEYS = ("new", "updated", "unchanged", "conflicts", "rejected")


# ---- packing ----------------------------------------------------------------------------


def pack(db, db_path, kind: str, out, unit: str | None = None) -> dict:
    """Write a 任务包 (kind "task", for `unit`) or a 报送包 (kind "report"); return a summary."""
    if kind == "task":
        return pack_task(db, db_path, out, unit)
    if kind == "report":
        return pack_report(db, db_path, out)
    raise UserError(f"数据包类型“{kind}”无效，请选择 task（任务包）或 report（报送包）。")


def pack_task(db, db_path, out, unit: str | None) -> dict:
    """The 任务包 for `unit`: plans, tasks and the unit's pre-created entries, signed by this county."""
    me = _profile(db, COUNTY, "导出任务包")
    unit = (unit or "").strip()
    if not unit:
        raise UserError("请用 --unit 指定任务包发给哪个单位，例如 --unit 城东街道。")
    if unit == me["name"]:
        raise UserError("任务包是发给各填报单位的，不能发给本单位自己。请指定接收单位的名称。")
    tables = {
        "plans": _rows(db, "SELECT * FROM plans ORDER BY id"),
        "tasks": _rows(db, "SELECT * FROM tasks ORDER BY plan_id, position, id"),
    }
    if not any(r["deleted"] == 0 for r in tables["plans"]):
        raise UserError("本机还没有工作方案，无法导出任务包。请先导入县里的工作方案。")
    tables["entries"] = _entries(db, unit)
    tables["measures"] = _children(db, "measures", [e["id"] for e in tables["entries"]])
    sign = signing.signer(db, signing.legacy_key_for(db, signing.UNIT_ROLE, unit))
    tables["inspections"] = _rows(db, "SELECT * FROM inspections WHERE unit = ? ORDER BY id", [unit])
    with db.atomic():
        signing.note_issued(db, unit)
        ledger = _task_sheet(tables)
        manifest = fmt.write_package(out, "task", me["name"], unit, _now(), {"tables": tables}, ledger, {}, sign)
        mark_sent(db, tables)
        note_pack(db, unit, Path(out).name)
    return _summary(out, manifest)


def pack_report(db, db_path, out) -> dict:
    """The 报送包 of this unit: its ledger, progress, activities and evidence, signed."""
    me = _profile(db, UNIT, "导出报送包")
    unit = me["name"]
    recipient = settings.get(db, COUNTY_NAME_KEY)
    if not recipient:
        raise UserError("本机还没有导入县里下发的任务包，不知道报送包应报给谁，无法导出。请先导入任务包。")
    entries = _entries(db, unit)
    entry_ids = [e["id"] for e in entries]
    tables = {"entries": entries}
    for table in ("measures", "progress", "events"):
        tables[table] = _children(db, table, entry_ids)
    tables["activities"] = _rows(db, "SELECT * FROM activities WHERE unit = ? ORDER BY id", [unit])
    tables["corrections"] = _rows(db, "SELECT * FROM corrections WHERE unit = ? ORDER BY id", [unit])
    tables["attachments"] = _attachments_of(db, [p["id"] for p in tables["progress"]], [a["id"] for a in tables["activities"]])
    for table in ("requests", "request_appeals", "report_values"):  # 依申请公开台账 and the annual report
        tables[table] = _rows(db, f"SELECT * FROM {table} WHERE unit = ? ORDER BY id", [unit])
    files, missing = _attachment_files(db_path, tables["attachments"])
    extra = {"missing_files": missing} if missing else None
    sign = signing.signer(db, signing.legacy_key_for(db, signing.COUNTY_ROLE, recipient))
    with db.atomic():
        manifest = fmt.write_package(out, "report", unit, recipient, _now(), {"tables": tables},
                                     _report_sheet(db, unit, tables), files, sign, extra)
        mark_sent(db, tables)
    return _summary(out, manifest)


def _summary(out, manifest) -> dict:
    return {
        "file": str(out), "kind": manifest["kind"], "sender": manifest["sender"],
        "recipient": manifest["recipient"], "counts": manifest["counts"],
        "attachments": sum(1 for name in manifest["members"] if name.startswith(fmt.ATTACHMENT_DIR)),
        "missing_files": manifest.get("missing_files", []),
        "fingerprint": manifest["signer"]["fingerprint"],
    }


def _rows(db, sql, params=()) -> list[dict]:
    return [dict(r) for r in db.query(sql, list(params))]


def _entries(db, unit: str) -> list[dict]:
    """The unit's entries as packed: without the due date this database computes (never exchanged)."""
    return [without_derived("entries", r) for r in _rows(db, "SELECT * FROM entries WHERE unit = ? ORDER BY id", [unit])]


def _children(db, table, entry_ids) -> list[dict]:
    rows = []
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows += _rows(db, f"SELECT * FROM [{table}] WHERE entry_id IN ({marks}) ORDER BY id", chunk)
    return rows


def _attachments_of(db, progress_ids, activity_ids) -> list[dict]:
    rows = []
    for column, ids in (("progress_id", progress_ids), ("activity_id", activity_ids)):
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows += _rows(db, f"SELECT * FROM attachments WHERE {column} IN ({marks}) ORDER BY id", chunk)
    unique = {r["id"]: r for r in rows}
    return list(unique.values())


def _attachment_files(db_path, attachments) -> tuple[dict, list]:
    """{stored_name: bytes} of the live file attachments found on disk, and the names missing."""
    folder = beside_db(db_path, "attachments") if db_path else None
    files, missing = {}, []
    for row in attachments:
        name = row.get("stored_name") or ""
        if row.get("kind") != "file" or row.get("deleted") or not name:
            continue
        path = folder / name if folder else None
        if path is not None and path.is_file() and "/" not in name and "\\" not in name:
            files[name] = path.read_bytes()
        else:
            missing.append(name)
    return files, missing


# ---- readable ledger inside the package -------------------------------------------------


def _report_sheet(db, unit, tables) -> bytes:
    """The unit's ledger as the forms engineer's .xlsx, or a plain sheet if that is unavailable."""
    import tempfile

    from core.export import ledger_xlsx  # openpyxl: loaded only when a 报送包 is written

    if tables["entries"]:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "ledger.xlsx"
            try:
                ledger_xlsx.write_xlsx(db, target, unit=unit)
                return target.read_bytes()
            except UserError:
                pass
    return _plain_sheet(["单位", "任务编号", "状态", "完成时间", "备注"], widths=[16, 38, 10, 12, 30], rows=[[e["unit"], e["task_id"], e["status"], e["completed_on"] or "", e["note"]] for e in tables["entries"]])


def _task_sheet(tables) -> bytes:
    """The plan's tasks as a plain readable sheet."""
    plans = {p["id"]: p["title"] for p in tables["plans"]}
    rows = [
        [plans.get(t["plan_id"], ""), t["seq"], "／".join(json.loads(t["category"] or "[]")), t["requirement"], t["units"], t["deadline"]]
        for t in tables["tasks"] if not t["deleted"]
    ]
    return _plain_sheet(["方案", "序号", "工作任务", "工作要求", "责任单位", "时限要求"], rows, [18, 6, 22, 60, 30, 18])


def _plain_sheet(header, rows, widths=None) -> bytes:
    """A simple readable sheet: bold header, set widths, wrapped text, header repeated when printed."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "工作任务"
    ws.append(header)
    for row in rows:
        ws.append([_safe_cell(v) for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths or [16] * len(header), start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe_cell(value):
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# ---- importing --------------------------------------------------------------------------


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def package_files(paths) -> list[Path]:
    """The .zwgk files named by `paths`, folders expanded (sorted), duplicates dropped."""
    found, seen = [], set()
    for raw in paths:
        p = Path(raw)
        items = sorted(p.glob("*" + fmt.SUFFIX)) if p.is_dir() else [p]
        for item in items:
            key = str(item.resolve()) if item.exists() else str(item)
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def unpack(db, db_path, paths, dry_run: bool = False, progress=None, accept_new=None) -> dict:
    """Import packages, one transaction each; return the merged report.

    Report: {"new","updated","unchanged","conflicts","rejected","refused","details":[per file]}.
    Each detail: {"file","kind","sender","new",…,"error","items":[conflicts and rejections],
    "signer": {"office","fingerprint","new","how"}} ("new": its key was pinned by this import).
    accept_new: None pins a key seen for the first time (the command line: trust on first use,
    the fingerprint is in the report); a set of public keys the user confirmed (the window) refuses
    any other new key, with "new_key" {"office","fingerprint","public_key"} in that file's detail.
    """
    files = package_files(paths)
    if not files:
        raise UserError("没有找到要导入的数据包（.zwgk 文件）。请选择数据包文件或包含数据包的文件夹。")
    _profile(db, None, "导入数据包")
    if not dry_run and db_path:
        _backup(db_path)
    total = {**{k: 0 for k in REPORT_KEYS}, "refused": 0, "dry_run": dry_run, "details": []}
    for index, path in enumerate(files):
        if progress is not None:
            progress(index, len(files), f"正在导入 {path.name}（{index + 1}/{len(files)}）…")
        detail = import_file(db, db_path, path, dry_run, accept_new)
        total["details"].append(detail)
        if detail["error"]:
            total["refused"] += 1
        for key in REPORT_KEYS:
            total[key] += detail[key]
    if not dry_run:
        # once for the whole batch: entries whose status, events, task or plan the packages changed
        # (the schema's triggers marked them stale, so a package that failed midway leaves none wrong)
        with db.atomic():
            refresh_due(db)
    if progress is not None:
        progress(len(files), len(files), "导入完成")
    return total


def import_file(db, db_path, path, dry_run: bool = False, accept_new=None) -> dict:
    """Import one package; a refusal is returned in the detail's "error" (nothing changed).

    The signature is checked on the manifest alone, before any other member is inflated.
    """
    path = Path(path)
    detail = {"file": path.name, "path": str(path), "kind": None, "sender": None, "error": None, "signer": None,
              **empty_report()}
    me = settings.profile(db) or {}
    decided = {}

    def verify(pkg):
        detail["kind"], detail["sender"] = pkg.kind, pkg.sender
        decided["owner"], decided["trust"] = check_trust(db, pkg, me, accept_new)

    try:
        pkg = fmt.read_package(path, verify=verify)
        detail["signer"] = decided["trust"].as_detail()
        detail.update(apply_package(db, db_path, pkg, dry_run, decided))
    except signing.NewKey as exc:
        detail["error"] = exc.message
        detail["new_key"] = {**exc.trust.as_detail(), "public_key": exc.trust.public_key}
    except UserError as exc:
        detail["error"] = exc.message
    except Exception as exc:  # noqa: BLE001 - one unreadable package must never stop the batch
        log.exception("importing %s failed", path)
        detail["error"] = (f"数据包“{path.name}”无法导入（{type(exc).__name__}），未做任何更改。"
                           "请让对方用本程序重新导出；如仍不行，请把此文件交给技术人员。")
    detail["result"] = result_text(detail, dry_run)
    return detail


def result_text(detail: dict, dry_run: bool = False) -> str:
    """What happened to one package, in plain words: 已导入 only when nothing was refused."""
    if detail.get("error"):
        return f"未导入：{detail['error']}"
    head = "试运行" if dry_run else "已导入"
    if detail.get("rejected"):
        head = ("试运行：" if dry_run else "部分导入：") + f"拒绝 {detail['rejected']} 条"
    if detail.get("conflicts"):
        head += f"，冲突 {detail['conflicts']} 条待处理"
    return head


def apply_package(db, db_path, pkg: fmt.Package, dry_run: bool = False, decided: dict | None = None) -> dict:
    """Check a read package's trust (unless `decided` by check_trust already) and merge it in one
    transaction (rolled back on a dry run); a key seen for the first time is pinned in it."""
    me = settings.profile(db) or {}
    settings.device_id(db)
    if decided is None:
        decided = dict(zip(("owner", "trust"), check_trust(db, pkg, me)))
    owner, trust = decided["owner"], decided["trust"]
    created: list[Path] = []
    try:
        with db.atomic():
            if trust.new:
                signing.pin(db, trust.office, trust.role, trust.public_key, trust.how, pkg.path.name)
            if pkg.kind == "task":
                settings.put(db, COUNTY_NAME_KEY, pkg.sender)
            merger = Merger(db, pkg.kind, owner, pkg.path.name)
            report = merger.apply(pkg.tables)
            if pkg.kind == "task":
                report["adopted"] = _adopt(db, merger)
                report["assignment"] = _assign(db, merger)
            if not dry_run:
                created = _store_attachments(db_path, pkg, merger)
                _log_package(db, pkg, report)
            else:
                raise _DryRun()
    except _DryRun:
        pass
    except BaseException:
        for file in created:
            file.unlink(missing_ok=True)
        raise
    return report


def check_trust(db, pkg: fmt.Package, me: dict, accept_new=None) -> tuple[str, "signing.Trust"]:
    """Refuse a package this office must not import (wrong role, recipient or signer); return whose
    records it may carry and the signing decision. Needs only the manifest."""
    label = pkg.path.name
    mine = (me.get("name"), *me.get("aliases", []))
    if pkg.sender in mine:
        raise UserError(f"“{label}”是本单位自己导出的数据包，无需导入。")
    if pkg.kind == "report":
        if me.get("role") != COUNTY:
            raise UserError(f"“{label}”是报送包，应由汇总单位（县政务公开科）导入；本机是填报单位。如需开始填报，请导入任务包。")
        if pkg.recipient not in mine:
            raise UserError(f"报送包“{label}”是报给“{pkg.recipient}”的，本机是“{me.get('name')}”，已拒绝。"
                            f"请确认文件没有选错；如“{pkg.recipient}”就是本单位，请在“设置 → 本单位”中把它添加为别名。")
        if pkg.sender not in signing.issued_units(db) and signing.pinned(db, pkg.sender) is None:
            raise UserError(f"本机没有向“{pkg.sender}”发放过任务包，不能导入其报送包“{label}”，已拒绝。请先向该单位导出任务包。")
        return pkg.sender, signing.plan_trust(db, pkg.manifest, label, signing.UNIT_ROLE, pkg.sender, accept_new)
    if me.get("role") != UNIT:
        raise UserError(f"“{label}”是任务包，应由填报单位导入；本机是汇总单位。")
    if pkg.recipient not in mine:
        raise UserError(f"任务包“{label}”是发给“{pkg.recipient}”的，本单位是“{me.get('name')}”。请向县政务公开科索取本单位的任务包。")
    return pkg.recipient, signing.plan_trust(db, pkg.manifest, label, signing.COUNTY_ROLE, pkg.sender, accept_new)


def combine(first: dict, second: dict) -> dict:
    """The report of an unpack with the files imported again in `second` (after the user confirmed
    their keys) replaced by their new details, totals recounted."""
    redone = {d["path"]: d for d in second["details"]}
    details = [redone.get(d["path"], d) for d in first["details"]]
    total = {**{k: sum(d[k] for d in details) for k in REPORT_KEYS}, "refused": sum(1 for d in details if d["error"]),
             "dry_run": first["dry_run"], "details": details}
    return total


def _adopt(db, merger: Merger) -> list[dict]:
    """Fold a plan this unit imported from the file itself into the same plan just received."""
    return doubles.adopt_received(db, merger.accepted["plans"])


def _assign(db, merger: Merger) -> dict | None:
    """On a unit, create its entries for the plans just received (core.ledger.assignment)."""
    plan_ids = sorted(merger.accepted["plans"])
    results = [assignment.assign_entries(db, plan_id) for plan_id in plan_ids
               if db.execute("SELECT deleted FROM plans WHERE id = ?", [plan_id]).fetchone() == (0,)]
    return {"plans": len(results), "created": sum(len(r.get("created", [])) for r in results)}


def _store_attachments(db_path, pkg: fmt.Package, merger: Merger) -> list[Path]:
    """Copy the accepted attachment files into the attachment folder; return the new files."""
    if not db_path or not pkg.attachments:
        return []
    folder = beside_db(db_path, "attachments")
    wanted = {}
    for row in pkg.tables.get("attachments", []):
        if isinstance(row, dict) and row.get("id") in merger.accepted["attachments"] \
                and row.get("stored_name") in pkg.attachments:
            wanted[row["stored_name"]] = row.get("sha256") or ""
    created = []
    for name, digest in sorted(wanted.items()):
        fmt.check_stored_name(name)
        if digest and pkg.manifest["members"][fmt.ATTACHMENT_DIR + name] != digest:
            raise UserError(f"数据包“{pkg.path.name}”中的附件“{name}”与记录的校验值不符，已拒绝整个数据包。请让对方重新导出。")
        target = folder / name
        if target.exists():
            continue
        pkg.attachments.copy_to(name, target)  # streamed in chunks, its sha256 checked again
        created.append(target)
    return created


def _log_package(db, pkg: fmt.Package, report: dict) -> None:
    digest = fmt.file_sha256(pkg.path)
    counts = {k: report[k] for k in REPORT_KEYS}
    db.execute(
        "INSERT OR IGNORE INTO exchange_log(package_sha256, file_name, kind, sender, recipient, created_at, imported_at, report)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [digest, pkg.path.name, pkg.kind, pkg.sender, pkg.recipient, pkg.manifest["created_at"], _now(), json.dumps(counts)],
    )


def _backup(db_path) -> None:
    """A copy of the database before merging."""
    backup_before(db_path, "merge")


def _profile(db, role: str | None, action: str) -> dict:
    me = settings.profile(db)
    if not me:
        raise UserError(f"尚未设置本单位信息，无法{action}。请先运行 profile set 或在“设置”页填写。")
    if role and me.get("role") != role:
        raise UserError(f"只有{role}可以{action}；本机是{me.get('role')}。如角色有误，请在“设置”页修改。")
    return me


def _now() -> str:
    return records.utc_now()


# ---------------------------------------------------------------- 任务包 for every unit


def note_pack(db, unit: str, file_name: str) -> None:
    """Remember that a 任务包 for `unit` was written now (the caller holds the transaction)."""
    db.execute("INSERT INTO pack_log(unit, file_name, created_at) VALUES (?, ?, ?)",
               [unit, file_name, records.utc_now()])


def pack_file_name(unit: str) -> str:
    """A file name holding the unit's name, safe on Windows: 城东街道-任务包.zwgk."""
    return sanitize_file_name(f"{unit}-任务包") + ".zwgk"


def pack_all(db, db_path, out_dir, year=None, progress=None) -> list[dict]:
    """One 任务包 per roster unit that has tasks, written into `out_dir`; their summaries."""
    roster.require_county(db, "导出任务包")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"“{folder}”不是文件夹，请给出保存任务包的文件夹。")
    counts = roster.task_counts(db, year)
    units = [u["name"] for u in roster.list_units(db) if counts.get(u["name"], {}).get("tasks")]
    if not units:
        raise UserError("单位名册中没有需要任务包的单位：请先在“单位名册”中添加单位（或导入名册），并导入县里的工作方案。")
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for unit in units:
        name = pack_file_name(unit)
        if name.lower() in names:
            raise UserError(f"单位“{unit}”与“{names[name.lower()]}”的文件名相同，请在名册中修改其中一个名称。")
        names[name.lower()] = unit
    results = []
    for index, unit in enumerate(units):
        if progress is not None:
            progress(index, len(units), f"正在导出“{unit}”的任务包（{index + 1}/{len(units)}）…")
        results.append({**pack_task(db, db_path, folder / pack_file_name(unit), unit), "unit": unit})
    return results
