"""Housekeeping around the ledger: leftover temporary files, remembered output folders, the
computer's clock against the newest change, attachment files gone missing."""

import logging
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from core.paths import beside_db
from core.storage.atomic import write_text
from db.schema import SYNCED_TABLES

log = logging.getLogger(__name__)


def cleanup_temp_files(db_path, extra_dirs=(), min_age=0.0) -> list[Path]:
    """Delete leftover temporary dot-files (`.*.part`, `.restore-*`) of interrupted writes.

    Looks in the database's folder, its backups/attachments folders and `extra_dirs`
    (plus the output folders remembered by `remember_output_dir`); only files older than
    `min_age` seconds. Returns what was removed.
    """
    db_path = Path(db_path)
    folders = [db_path.parent, beside_db(db_path, "backups"), beside_db(db_path, "attachments"), *map(Path, extra_dirs)]
    folders += remembered_output_dirs(db_path)
    removed, now = [], time.time()
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if not _is_temp(item.name):
                continue
            try:
                if now - item.lstat().st_mtime < min_age:
                    continue
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item)
                else:
                    item.unlink()
                removed.append(item)
            except OSError as exc:
                log.info("could not remove %s: %s", item, exc)
    if removed:
        log.info("removed %d leftover temporary files", len(removed))
    return removed


def _is_temp(name: str) -> bool:
    return name.startswith(".") and (name.endswith(".part") or name.startswith(".restore-") or name.startswith(".archive-"))


def _output_dirs_file(db_path) -> Path:
    return beside_db(db_path, "logs") / "output-dirs.txt"


def remember_output_dir(db_path, folder) -> None:
    """Note a folder files were written to, so start-up cleans temp files left there by a crash."""
    try:
        record = _output_dirs_file(db_path)
        known = [str(p) for p in remembered_output_dirs(db_path)]
        folder = str(Path(folder).resolve())
        if folder in known:
            return
        write_text(record, "\n".join([folder, *known][:20]) + "\n")
    except OSError as exc:
        log.info("could not remember output folder %s: %s", folder, exc)


def remembered_output_dirs(db_path) -> list[Path]:
    """The output folders noted by `remember_output_dir`, newest first."""
    record = _output_dirs_file(db_path)
    try:
        return [Path(line) for line in record.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return []


def newest_change(db) -> str | None:
    """The newest updated_at of any synced record (UTC ISO text), or None."""
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    parts = [f"SELECT MAX(updated_at) FROM {t}" for t in SYNCED_TABLES if t in names]
    if not parts:
        return None
    values = [db.execute(p).fetchone()[0] for p in parts]
    values = [v for v in values if v]
    return max(values) if values else None


def clock_warning(db, now=None) -> str | None:
    """A Chinese warning if this computer's clock is earlier than the newest change in the ledger."""
    newest = newest_change(db)
    if not newest:
        return None
    now = now or datetime.now(timezone.utc)
    try:
        latest = datetime.fromisoformat(newest)
    except ValueError:
        return None
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=timezone.utc)
    if now >= latest:
        return None
    return (
        f"电脑时钟（{now.astimezone().strftime('%Y-%m-%d %H:%M')}）早于台账中最新的修改时间"
        f"（{latest.astimezone().strftime('%Y-%m-%d %H:%M')}）。修改仍会保存，但请核对系统日期和时间，"
        "否则与其他单位交换数据时的先后顺序可能出错。"
    )


def missing_attachments(db, db_path) -> list[str]:
    """Stored names of file attachments whose file is absent from the attachment folder."""
    folder = beside_db(db_path, "attachments")
    rows = db.execute("SELECT stored_name FROM attachments WHERE kind = 'file' AND deleted = 0 AND stored_name != ''").fetchall()
    return [name for (name,) in rows if not (folder / name).is_file()]


def attachments_warning(db, db_path) -> str | None:
    """A Chinese warning when attachment files (or the whole folder) are missing."""
    missing = missing_attachments(db, db_path)
    if not missing:
        return None
    folder = beside_db(db_path, "attachments")
    where = "附件文件夹不存在" if not folder.is_dir() else f"附件文件夹中缺少 {len(missing)} 个文件"
    return (
        f"{where}（{folder}），{len(missing)} 个附件暂时无法打开；台账记录本身完好。"
        "请把附件文件夹放回原处，或从含附件的备份（.zip）恢复。"
    )
