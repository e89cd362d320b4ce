"""Benchmark for backups; prints JSON lines {"name","value","unit","floor","ratio","target","target_on"}.

On a county ledger of 20,100 entries (common.county_ledger_db) with 40 attachment files of 256 KB:
- backup_copy: core.storage.backup.backup_before (backup API + journal switch + quick_check + rename + prune).
  Floor: a bare sqlite3 Connection.backup() to a file in the same run. Target: ratio ≤ 3.
- backup_archive: core.storage.backup.export_archive (snapshot, zip with sha256 manifest, testzip).
  Floor: zipfile writing the same database file and attachments. Target: ratio ≤ 3.
- restore_archive: core.storage.backup.restore of that zip (full validation, integrity_check, kept-aside copy).
  Floor: extracting the zip and one backup() of its database into the ledger. Target: ≤ 5 s.
- daily_backup_check: daily_backup() when today's copy already exists (the cost at every start). Target ≤ 0.01 s.

Run: .venv/bin/python bench/bench_backup.py
"""

import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from common import best_of, best_of_pair, county_ledger_db, report


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

        floor, value = best_of_pair(bare_copy, lambda: snapshots.backup_before(db_path, "import"), 5)
        report("backup_copy", value, floor, target=3, target_on="ratio")

        def bare_zip():
            with zipfile.ZipFile(work / "bare.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(db_path, "ledger.sqlite3")
                for p in sorted(folder.iterdir()):
                    zf.write(p, "attachments/" + p.name, compress_type=zipfile.ZIP_STORED)

        out = work / "out"
        out.mkdir()
        floor, value = best_of_pair(bare_zip, lambda: backup.export_archive(db_path, out / "b.zip"), 3)
        report("backup_archive", value, floor, target=3, target_on="ratio")

        def bare_restore():
            target = work / "bare-extract"
            shutil.rmtree(target, ignore_errors=True)
            with zipfile.ZipFile(out / "b.zip") as zf:
                zf.extractall(target)
            src, dest = sqlite3.connect(target / "ledger.sqlite3"), sqlite3.connect(db_path)
            src.backup(dest)
            dest.close()
            src.close()

        floor, value = best_of_pair(bare_restore, lambda: backup.restore(db_path, out / "b.zip"), 3)
        report("restore_archive", value, floor, target=5, target_on="value")

        snapshots.daily_backup(db_path)
        report("daily_backup_check", best_of(lambda: snapshots.daily_backup(db_path), 5), None, target=0.01, target_on="value")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
