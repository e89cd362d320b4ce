"""Benchmark for backups; every figure a ratio against a floor of the same run (bench/common.py: ratio).

On a county ledger of 20,100 entries (common.county_ledger_db) with 40 attachment files of 256 KB:
- backup_copy: core.storage.backup.backup_before (backup API + journal switch + quick_check + rename + prune).
  Floor: a bare sqlite3 Connection.backup() to a file in the same run. Target: ratio ≤ 3.
- backup_archive: core.storage.backup.export_archive (snapshot, zip with sha256 manifest, testzip).
  Floor: zipfile writing the same database file and attachments. Target: ratio ≤ 3.
- restore_archive: core.storage.backup.restore of that zip (full validation, integrity_check, kept-aside copy).
  Floor: extracting the zip, PRAGMA integrity_check of its database, a backup() of the current ledger aside and
  one backup() of the extracted database into the ledger. Target: ratio ≤ 5 (measured 4.2-4.5x): a restore also
  validates every record and cleans the stored text, which the floor does not.
- daily_backup_check_100: 100 daily_backup() calls when today's copy already exists (the cost at every start,
  about 0.1 ms). Floor: 100 bare stat() of the ledger and globs of the backup folder for today's copy.
  Target: ratio ≤ 6.

Run: .venv/bin/python bench/bench_backup.py
"""

import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from common import county_ledger_db, ratio


def main() -> None:
    from core.storage import backup
    from core.storage import snapshots

    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        db_path = county_ledger_db(work / "ledger.sqlite3")
        folder = snapshots.attachments_dir(db_path)
        folder.mkdir()
        for i in range(40):
            (folder / f"证明材料{i}.jpg").write_bytes(bytes(range(256)) * 1024)

        def bare_copy():
            src, dest = sqlite3.connect(db_path), sqlite3.connect(work / "bare.sqlite3")
            src.backup(dest)
            dest.close()
            src.close()

        ratio("backup_copy", lambda: snapshots.backup_before(db_path, "import"), bare_copy, target=3, repeat=5)

        def bare_zip():
            with zipfile.ZipFile(work / "bare.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(db_path, "ledger.sqlite3")
                for p in sorted(folder.iterdir()):
                    zf.write(p, "attachments/" + p.name, compress_type=zipfile.ZIP_STORED)

        out = work / "out"
        out.mkdir()
        ratio("backup_archive", lambda: backup.export_archive(db_path, out / "b.zip"), bare_zip, target=3, repeat=3)

        def bare_restore():
            target = work / "bare-extract"
            shutil.rmtree(target, ignore_errors=True)
            with zipfile.ZipFile(out / "b.zip") as zf:
                zf.extractall(target)
            src = sqlite3.connect(target / "ledger.sqlite3")
            assert src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # a restore checks what it puts in
            current, aside = sqlite3.connect(db_path), sqlite3.connect(work / "bare-aside.sqlite3")
            current.backup(aside)  # and keeps the ledger it replaces
            aside.close()
            src.backup(current)
            current.close()
            src.close()

        ratio("restore_archive", lambda: backup.restore(db_path, out / "b.zip"), bare_restore, target=5, repeat=3)

        snapshots.daily_backup(db_path)
        backups = snapshots.backup_dir(db_path)
        today = snapshots.now().strftime("%Y%m%d")

        def bare_check():
            for _ in range(100):
                db_path.stat().st_size > 0 and any(backups.glob(f"daily-{today}-*.sqlite3"))

        def daily_checks():
            for _ in range(100):
                assert snapshots.daily_backup(db_path) is None

        ratio("daily_backup_check_100", daily_checks, bare_check, target=6, repeat=5)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
