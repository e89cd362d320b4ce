"""Restoring the ledger and archiving it: manual .zip backups with attachments, validated restore.

A manual backup is ONE .zip: the database snapshot, the attachment folder, this office's
private signing key (core.exchange.signing) and a manifest with sha256 of every file; restoring
it validates everything before replacing anything. Restoring a backup of another office
(another name, or a county's into a unit) replaces this office's identity: it is refused unless
forced (the window asks first; the command line needs --force).
"""

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from core.errors import UserError, storage_error
from core.exchange import signing
from core.exchange.package_format import is_plain_file_name
from core.exchange.validate import check_database
from core.storage import health, housekeeping, snapshots, zips
from core.storage.atomic import atomic_path
from core.storage.health import one_line
from core.storage.snapshots import attachments_dir, backup_dir, has_ledger, list_backups, snapshot
from core.storage.stored_text import clean_database
from core.version import versions
from db.connection import crash_point, open_db, read_only_connection
from db.schema import migration_names

log = logging.getLogger(__name__)


ARCHIVE_FORMAT = "zwgk-backup"


ARCHIVE_VERSION = 2  # 2: holds the office's private signing key (office.key)


ARCHIVE_DB_NAME = "ledger.sqlite3"


ARCHIVE_KEY_NAME = "office.key"  # this office's private signing key, restored beside the database


ARCHIVE_SUFFIX = ".zip"


MANIFEST_NAME = "manifest.json"


MAX_MANIFEST_BYTES = 8 * 1024 * 1024


MAX_ENTRIES = 200_000


MAX_RATIO = 200  # uncompressed / compressed beyond this (for big members) is a zip bomb


def check_snapshot(path, thorough=False) -> list[str]:
    """Why the database file at `path` cannot be restored ([] if it can).

    thorough: PRAGMA integrity_check (indexes too) and every row read back as valid text,
    as done before a restore; otherwise quick_check only.
    """
    try:
        problems = health.quick_check(path)
        if problems:
            return problems
        missing = health.missing_tables(path)
        if missing:
            return [f"缺少台账数据表：{'、'.join(missing)}"]
        problems = _newer_schema(path)
        if not problems and thorough:
            problems = _read_everything(path)
        return problems
    except (sqlite3.Error, OSError, ValueError) as exc:
        return [f"无法读取：{exc}"]


def _read_everything(path) -> list[str]:
    """integrity_check plus reading every row (catches damaged text that quick_check misses)."""
    conn = read_only_connection(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        if rows != ["ok"]:
            return [f"integrity_check: {rows[0]}"]
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for _ in conn.execute(f'SELECT * FROM "{name}"'):
                pass
        fk = health.foreign_key_problems(path)
        if fk:
            return fk[:1]
        return [f"含有不合格的记录：{p}" for p in check_database(conn, limit=1)]
    except (sqlite3.Error, ValueError) as exc:
        return [f"数据已损坏（{health.one_line(exc, 80)}）"]
    finally:
        conn.close()


def _newer_schema(path) -> list[str]:
    known = set(migration_names())
    conn = read_only_connection(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'zwgk'")]
    finally:
        conn.close()
    unknown = [n for n in names if n not in known]
    if unknown:
        return [f"备份来自更新版本的程序（含本程序不认识的数据库升级 {unknown[0]}），请先升级本程序"]
    return []


def newest_good_backup(db_path) -> dict | None:
    """The newest automatic copy that passes check_snapshot, or None."""
    for b in list_backups(db_path):
        if not check_snapshot(b["path"]):
            return b
    return None


def restore(db_path, source, force: bool = False) -> dict:
    """Replace the ledger at `db_path` with the backup `source` (.sqlite3 copy or .zip archive).

    Everything is validated before anything is replaced; the current state is kept as a
    `replaced-…` copy first. A backup of another office raises OtherOffice unless `force`.
    Returns {"restored", "replaced", "attachments"}.
    """
    db_path, source = Path(db_path), Path(source)
    if not source.is_file():
        raise UserError(f"找不到备份文件“{source}”。请检查路径后重试。")
    if source.resolve() == db_path.resolve():
        raise UserError("不能用台账文件本身恢复自己。请选择备份文件夹中的副本或 .zip 备份。")
    with open(source, "rb") as f:
        head = f.read(16)
    if head == b"SQLite format 3\x00":
        return _restore_snapshot(db_path, source, force)
    if head[:4] == b"PK\x03\x04" or zipfile.is_zipfile(source):
        return restore_archive(db_path, source, force=force)
    raise UserError(f"“{source.name}”不是台账备份（既不是数据库副本，也不是 .zip 备份包）。请选择正确的备份文件。")


def _restore_snapshot(db_path: Path, source: Path, force: bool = False) -> dict:
    staging = _staging_dir(db_path)
    try:
        copy = staging / ARCHIVE_DB_NAME
        _stage_copy(source, copy)
        _require_good(copy, source.name)
        check_identity(db_path, copy, source.name, force, source=source)
        replaced = _replace_database(db_path, copy)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"restored": str(source), "replaced": str(replaced) if replaced else None, "attachments": None}


def _stage_copy(source: Path, copy: Path) -> None:
    """Copy a user-chosen database file into the staging folder without touching it."""
    try:
        src = read_only_connection(source)
        try:
            dest = sqlite3.connect(str(copy))
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            src.close()
    except (sqlite3.DatabaseError, ValueError) as exc:
        raise UserError(
            f"备份文件“{source.name}”已损坏或不是台账数据库（{health.one_line(exc, 80)}），未做任何更改。请选择其他备份。"
        ) from exc


def _require_good(copy: Path, shown_name: str) -> None:
    problems = check_snapshot(copy, thorough=True)
    if problems:
        raise UserError(f"备份“{shown_name}”不能使用：{one_line(problems[0], 120)}。台账未做任何更改，请选择其他备份。")


def _staging_dir(db_path: Path) -> Path:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".restore-", dir=db_path.parent))


def _replace_database(db_path: Path, good_copy: Path) -> Path | None:
    """Put the validated `good_copy` in place of the ledger; return the kept-aside old state."""
    _clean_text(good_copy)
    replaced = None
    if db_path.exists() and db_path.stat().st_size > 0:
        if health.quick_check(db_path):
            replaced = health.set_aside(db_path)
        else:
            stamp = snapshots.now().strftime("%Y%m%d-%H%M%S-%f")
            replaced = snapshot(db_path, backup_dir(db_path) / f"replaced-{stamp}.sqlite3")
    crash_point("before-replace")
    if db_path.exists():
        _copy_into_live(good_copy, db_path)
    else:
        for suffix in health.SIDE_FILES:
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(good_copy, db_path)
    open_db(db_path).conn.close()  # brings an older backup up to the current schema
    log.info("database %s restored (old state kept as %s)", db_path, replaced)
    return replaced


def _clean_text(copy: Path) -> None:
    """Normalise the text in a staged copy before it goes live (a backup may hold bad characters)."""
    conn = sqlite3.connect(str(copy))
    try:
        with conn:
            clean_database(conn)
    finally:
        conn.close()


def _copy_into_live(good_copy: Path, db_path: Path) -> None:
    """Overwrite the live database in one SQLite transaction (other connections stay valid)."""
    try:
        src = sqlite3.connect(str(good_copy))
        dest = sqlite3.connect(str(db_path), timeout=30)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
    except sqlite3.Error as exc:
        err = storage_error(exc)
        if err is not None:
            raise err from exc
        raise UserError(f"无法写入台账文件（{exc}），台账保持原样。请关闭其他正在使用台账的窗口后重试。") from exc


def default_archive_name(db_path) -> str:
    """A file name for a manual backup: 台账备份-<单位>-YYYYMMDD-HHMMSS.zip."""
    unit = _profile_name(db_path) or "本单位"
    unit = re.sub(r'[\\/:*?"<>|\s]+', "", unit)[:30] or "本单位"
    return f"台账备份-{unit}-{snapshots.now().strftime('%Y%m%d-%H%M%S')}{ARCHIVE_SUFFIX}"


def _profile_name(db_path) -> str:
    try:
        conn = read_only_connection(db_path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'profile'").fetchone()
        finally:
            conn.close()
        return (json.loads(row[0]) or {}).get("name", "") if row else ""
    except (sqlite3.Error, OSError, ValueError, AttributeError):
        return ""


def export_archive(db_path, out, progress=None) -> dict:
    """Write ONE .zip holding the database snapshot, the attachments and a sha256 manifest.

    `out` may be a folder (e.g. a USB stick): the file is then named default_archive_name().
    Returns {"path", "files", "size", "missing"} (missing: attachments referenced but absent).
    """
    db_path, out = Path(db_path), Path(out)
    if not has_ledger(db_path):
        raise UserError(f"台账文件“{db_path}”不存在或为空，没有可备份的内容。")
    if out.is_dir():
        out = out / default_archive_name(db_path)
    if out.suffix.lower() != ARCHIVE_SUFFIX:
        out = out.with_name(out.name + ARCHIVE_SUFFIX)
    work = Path(tempfile.mkdtemp(prefix=".archive-", dir=db_path.parent))
    try:
        snap = snapshot(db_path, work / ARCHIVE_DB_NAME)
        attachments = _attachment_files(db_path)
        key = _key_file(db_path, create=True)
        total = len(attachments) + 1
        files = []
        try:
            with atomic_path(out) as tmp:
                with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                    files.append(_add_file(zf, snap, ARCHIVE_DB_NAME, zipfile.ZIP_DEFLATED))
                    if key.is_file():
                        files.append(_add_file(zf, key, ARCHIVE_KEY_NAME, zipfile.ZIP_DEFLATED))
                    for i, (name, path) in enumerate(attachments, start=1):
                        if progress:
                            progress(i, total, f"正在打包附件 {name}")
                        files.append(_add_file(zf, path, "attachments/" + name, zipfile.ZIP_STORED))
                    missing = _missing_attachments(db_path)
                    zf.writestr(MANIFEST_NAME, json.dumps(_manifest(db_path, files, missing), ensure_ascii=False, indent=1))
                _verify_written(tmp)
        except OSError as exc:
            err = storage_error(exc)
            if err is not None:
                raise err from exc
            raise UserError(f"无法写入备份文件“{out}”：{exc.strerror or exc}。请检查U盘是否写保护或空间是否足够。") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    housekeeping.remember_output_dir(db_path, out.parent)
    log.info("archive backup written to %s (%d files)", out, len(files))
    return {"path": str(out), "files": len(files), "size": out.stat().st_size, "missing": missing}


def _attachment_files(db_path) -> list[tuple[str, Path]]:
    folder = attachments_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
            found.append((path.relative_to(folder).as_posix(), path))
    return found


def _missing_attachments(db_path) -> list[str]:
    try:
        conn = read_only_connection(db_path)
        try:
            rows = conn.execute(
                "SELECT stored_name FROM attachments WHERE kind = 'file' AND deleted = 0 AND stored_name != ''"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    folder = attachments_dir(db_path)
    return [name for (name,) in rows if not (folder / name).is_file()]


def _add_file(zf: zipfile.ZipFile, path: Path, name: str, method) -> dict:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo.from_file(path, name)
    info.compress_type = method
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _manifest(db_path, files, missing) -> dict:
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "created": snapshots.now().isoformat(timespec="seconds"),
        "program": versions()["program"],
        "unit": _profile_name(db_path),
        "database": ARCHIVE_DB_NAME,
        "files": files,
        "missing_attachments": missing,
    }


def _verify_written(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
    if bad is not None:
        raise UserError(f"备份文件写入后校验失败（{bad}），请换一个保存位置重试。")


def read_manifest(zf: zipfile.ZipFile, shown_name: str) -> dict:
    """The validated manifest of an opened archive; UserError says what is wrong."""
    bad = f"“{shown_name}”不是完整的台账备份包"
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UserError(f"{bad}（文件数量异常：{len(infos)}），未做任何更改。")
    try:
        info = zf.getinfo(MANIFEST_NAME)
    except KeyError:
        raise UserError(f"{bad}（缺少清单 {MANIFEST_NAME}），未做任何更改。请选择由本程序“备份到文件”生成的 .zip。") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise UserError(f"{bad}（清单过大），未做任何更改。")
    try:
        with zf.open(info) as f:
            manifest = json.loads(f.read(MAX_MANIFEST_BYTES + 1).decode("utf-8"))
    except (ValueError, *zips.READ_ERRORS) as exc:  # UnicodeDecodeError is a ValueError
        raise UserError(f"{bad}（清单无法读取：{type(exc).__name__}），未做任何更改。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise UserError(f"{bad}（清单格式不对），未做任何更改。")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > ARCHIVE_VERSION:
        raise UserError(f"“{shown_name}”由更新版本的程序生成，请先升级本程序再恢复。")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(_valid_file_entry(f) for f in files):
        raise UserError(f"{bad}（清单中的文件列表无效），未做任何更改。")
    names = [f["name"] for f in files]
    if ARCHIVE_DB_NAME not in names or len(set(names)) != len(names):
        raise UserError(f"{bad}（清单中缺少数据库或有重复文件），未做任何更改。")
    members = {i.filename for i in infos if not i.is_dir()}
    if members != set(names) | {MANIFEST_NAME}:
        extra = sorted(members - set(names) - {MANIFEST_NAME}) or sorted(set(names) - members)
        raise UserError(f"{bad}（包内文件与清单不符：{extra[0][:80]}），未做任何更改。")
    by_name = {i.filename: i for i in infos}
    for f in files:
        i = by_name[f["name"]]
        if i.file_size != f["size"]:
            raise UserError(f"{bad}（“{f['name'][:80]}”的大小与清单不符），未做任何更改。")
        if i.flag_bits & 0x1:
            raise UserError(f"{bad}（含加密文件），未做任何更改。")
        if i.file_size > (1 << 20) and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UserError(f"{bad}（“{f['name'][:80]}”压缩比异常，疑似压缩炸弹），未做任何更改。")
    return manifest


def _valid_file_entry(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    name, size, digest = entry.get("name"), entry.get("size"), entry.get("sha256")
    if not isinstance(name, str) or not isinstance(size, int) or size < 0 or not isinstance(digest, str):
        return False
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        return False
    return name in (ARCHIVE_DB_NAME, ARCHIVE_KEY_NAME) or _safe_member(name)


def _safe_member(name: str) -> bool:
    """An attachment path that stays inside the attachment folder on every platform."""
    if not name.startswith("attachments/") or "\\" in name or "\x00" in name or ":" in name:
        return False
    parts = name.split("/")[1:]
    return bool(parts) and all(is_plain_file_name(p) for p in parts) and len(name) <= 1024


def restore_archive(db_path, source, progress=None, force: bool = False) -> dict:
    """Validate the .zip backup `source` fully, then replace the database, the attachment folder
    and (if the backup holds it) the private signing key."""
    db_path, source = Path(db_path), Path(source)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UserError(f"“{source.name}”不是有效的 .zip 备份包（{type(exc).__name__}），未做任何更改。请选择其他备份。") from exc
    staging = _staging_dir(db_path)
    try:
        with zf:
            manifest = read_manifest(zf, source.name)
            _check_space(db_path, sum(f["size"] for f in manifest["files"]))
            _extract_all(zf, manifest["files"], staging, source.name, progress)
        _require_good(staging / ARCHIVE_DB_NAME, source.name)
        check_identity(db_path, staging / ARCHIVE_DB_NAME, source.name, force, backup_key=staging / ARCHIVE_KEY_NAME)
        old_attachments = _swap_attachments(db_path, staging / "attachments")
        try:
            replaced = _replace_database(db_path, staging / ARCHIVE_DB_NAME)
        except BaseException:
            _undo_swap(db_path, old_attachments)
            raise
        _restore_key(db_path, staging / ARCHIVE_KEY_NAME)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {
        "restored": str(source),
        "replaced": str(replaced) if replaced else None,
        "attachments": str(old_attachments) if old_attachments else None,
        "files": len(manifest["files"]),
    }


def _check_space(db_path: Path, needed: int) -> None:
    free = shutil.disk_usage(db_path.parent).free
    if needed * 2 + (64 << 20) > free:
        raise UserError(
            f"磁盘空间不足：恢复需要约 {needed * 2 // (1 << 20) + 64} MB，可用 {free // (1 << 20)} MB。"
            "台账未做任何更改，请清理磁盘空间后重试。"
        )


def _extract_all(zf, files, staging: Path, shown_name: str, progress) -> None:
    for i, entry in enumerate(files, start=1):
        if progress:
            progress(i, len(files), f"正在校验 {entry['name']}")
        target = staging / entry["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with zf.open(entry["name"]) as src, open(target, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    size += len(chunk)
                    if size > entry["size"]:
                        raise UserError(f"“{shown_name}”中的“{entry['name'][:80]}”比清单记录的大，未做任何更改。")
                    digest.update(chunk)
                    dst.write(chunk)
        except zips.READ_ERRORS as exc:
            raise UserError(f"“{shown_name}”已损坏（“{entry['name'][:80]}”无法解压），未做任何更改。请换一个备份。") from exc
        except OSError as exc:
            err = storage_error(exc)
            if err is not None:
                raise err from exc
            raise UserError(f"“{shown_name}”无法解压（{exc.strerror or exc}），未做任何更改。") from exc
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise UserError(f"“{shown_name}”中的“{entry['name'][:80]}”校验值不符（文件已损坏或被改动），未做任何更改。请换一个备份。")


def _swap_attachments(db_path: Path, new_folder: Path) -> Path | None:
    """Move the current attachment folder aside and the restored one into place."""
    current = attachments_dir(db_path)
    aside = None
    if current.exists():
        aside = current.with_name(f"{current.name}.replaced-{snapshots.now().strftime('%Y%m%d-%H%M%S-%f')}")
        os.replace(current, aside)
    if new_folder.is_dir():
        os.replace(new_folder, current)
    return aside


def _undo_swap(db_path: Path, aside: Path | None) -> None:
    current = attachments_dir(db_path)
    if current.exists():
        shutil.rmtree(current, ignore_errors=True)
    if aside is not None and aside.exists():
        os.replace(aside, current)


class OtherOffice(UserError):
    """The backup belongs to another office (or another role): restoring it needs a confirmation."""


def _key_file(db_path, create: bool = False) -> Path:
    """This office's private key file; made first if `create` (a full backup always holds one)."""
    path = signing.key_file(db_path)
    if create and not path.exists():
        signing.load_or_create(path)
    return path


def _identity(path) -> dict | None:
    """{"name","aliases","role"} of the profile stored in the database at `path`, or None."""
    try:
        conn = read_only_connection(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'profile'").fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row else None
    except (sqlite3.Error, OSError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("name") else None


def identity_problem(db_path, backup_db) -> str | None:
    """Why restoring the database `backup_db` over `db_path` replaces this office's identity
    (another office's name, or another role), or None when it is this office's own backup."""
    db_path = Path(db_path)
    current = _identity(db_path) if has_ledger(db_path) else None
    theirs = _identity(backup_db)
    if current is None or theirs is None:
        return None
    names = {current["name"], *current.get("aliases", [])}
    if theirs["name"] in names and theirs.get("role") == current.get("role"):
        return None
    return (f"这是“{theirs['name']}”（{theirs.get('role', '')}）的备份，本机是“{current['name']}”（{current.get('role', '')}）；"
            "恢复后本机将换成对方的单位信息、台账和签名密钥")


def check_identity(db_path, backup_db, shown_name: str, force: bool, source=None, backup_key=None) -> None:
    """Refuse (OtherOffice) to restore another office's backup unless `force`.

    This ledger's own automatic copies, and an archive holding this office's own private key,
    are this office's whatever their profile says (a renamed office restores its old state)."""
    if force or (source is not None and Path(source).resolve().parent == backup_dir(db_path).resolve()):
        return
    current_key = _key_file(db_path)
    if backup_key is not None and backup_key.is_file() and current_key.is_file() \
            and backup_key.read_bytes() == current_key.read_bytes():
        return
    problem = identity_problem(db_path, backup_db)
    if problem and not force:
        raise OtherOffice(f"{problem}，已停止，台账未做任何更改。如确需恢复“{shown_name}”，请在窗口中确认，或在命令行加 --force。")


def _restore_key(db_path: Path, staged: Path) -> None:
    """Put the private key restored from a backup beside the database (the old one kept aside)."""
    if not staged.is_file():
        return  # an older backup without the key: this office keeps its current key
    target = _key_file(db_path)
    if target.is_file():
        if target.read_bytes() == staged.read_bytes():
            return
        os.replace(target, target.with_name(f"{target.name}.replaced-{snapshots.now().strftime('%Y%m%d-%H%M%S-%f')}"))
    os.replace(staged, target)
