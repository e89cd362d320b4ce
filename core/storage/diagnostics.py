"""A diagnostics package for the county's IT staff: logs and facts about the installation.

The zip holds the log files and a JSON report (versions, platform, profile name, schema
migrations applied, table row counts, integrity, backups, disk space) — never the database
and never any ledger content.
"""

import json
import logging
import platform
import shutil
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

from core.errors import UserError
from core.storage import health, housekeeping, snapshots
from core.storage.atomic import atomic_path
from core.storage.logs import log_dir
from core.version import versions
from db.connection import read_only_connection

log = logging.getLogger(__name__)

MAX_LOG_BYTES = 20 * 1024 * 1024


def default_name() -> str:
    """A file name for the diagnostics package: 诊断信息-YYYYMMDD-HHMMSS.zip."""
    return f"诊断信息-{datetime.now().strftime('%Y%m%d-%H%M%S')}.zip"


def report(db_path) -> dict:
    """Facts about this installation and its database (no ledger content)."""
    db_path = Path(db_path)
    info = {
        "created": datetime.now().isoformat(timespec="seconds"),
        "versions": versions(),
        "platform": platform.platform(),
        "database": str(db_path),
        "database_size": db_path.stat().st_size if db_path.is_file() else None,
        "disk_free_mb": _free_mb(db_path.parent),
        "backups": [{k: b[k] for k in ("name", "label", "created", "size")} for b in snapshots.list_backups(db_path)],
        "damaged_copies": [p.name for p in health.damaged_copies(db_path)],
    }
    info.update(_database_facts(db_path))
    return info


def _free_mb(folder: Path):
    try:
        return shutil.disk_usage(folder).free // (1 << 20)
    except OSError:
        return None


def _database_facts(db_path: Path) -> dict:
    """Profile name, migrations, table counts, integrity and clock of the database (read-only)."""
    if not db_path.is_file():
        return {"integrity": "数据库文件不存在"}
    facts = {}
    try:
        problems = health.quick_check(db_path)
        facts["integrity"] = "ok" if not problems else problems
        if problems:
            return facts
        facts["foreign_keys"] = health.foreign_key_problems(db_path) or "ok"
        conn = read_only_connection(db_path)
        try:
            facts.update(_read_facts(conn))
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        facts["error"] = f"{type(exc).__name__}: {exc}"
    return facts


def _read_facts(conn) -> dict:
    import sqlite_utils

    db = sqlite_utils.Database(conn, execute_plugins=False)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    migrations = []
    if "_sqlite_migrations" in tables:
        migrations = [
            {"set": r[0], "name": r[1], "applied_at": r[2]}
            for r in conn.execute("SELECT migration_set, name, applied_at FROM _sqlite_migrations ORDER BY rowid")
        ]
    profile = {}
    if "settings" in tables:
        row = conn.execute("SELECT value FROM settings WHERE key = 'profile'").fetchone()
        value = json.loads(row[0]) if row else None
        if isinstance(value, dict):
            profile = {k: value.get(k) for k in ("name", "kind", "role", "county")}
    return {
        "profile": profile,
        "migrations": migrations,
        "table_counts": counts,
        "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
        "newest_change": housekeeping.newest_change(db) if "entries" in tables else None,
        "clock_warning": housekeeping.clock_warning(db) if "entries" in tables else None,
    }


def write_diagnostics(db_path, out) -> dict:
    """Write the diagnostics zip to `out` (a file, or a folder to put 诊断信息-….zip in).

    Returns {"path", "logs"}.
    """
    out = Path(out)
    if out.is_dir():
        out = out / default_name()
    if out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    info = report(db_path)
    logs = _log_files(db_path)
    try:
        with atomic_path(out) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("report.json", json.dumps(info, ensure_ascii=False, indent=1))
                for path in logs:
                    zf.write(path, "logs/" + path.name)
                zf.writestr("说明.txt", _readme(info))
    except OSError as exc:
        raise UserError(f"无法写入诊断信息“{out}”：{exc.strerror or exc}。请换一个保存位置重试。") from exc
    log.info("diagnostics written to %s", out)
    return {"path": str(out), "logs": [p.name for p in logs]}


def _log_files(db_path) -> list[Path]:
    folder = log_dir(db_path)
    if not folder.is_dir():
        return []
    found, total = [], 0
    for path in sorted(folder.glob("*.log*"), key=lambda p: p.stat().st_mtime, reverse=True):
        total += path.stat().st_size
        if total > MAX_LOG_BYTES:
            break
        found.append(path)
    return found


def _readme(info: dict) -> str:
    return (
        "政务公开工作台账 诊断信息\n"
        f"生成时间：{info['created']}\n"
        f"程序版本：{info['versions'].get('program')}\n"
        "本压缩包只含运行日志和环境信息（report.json），不含台账数据库。\n"
        "请发给县政务公开科技术人员。\n"
    )
