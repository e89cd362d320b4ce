"""core.storage.diagnostics: logs and versions for IT staff, never the database."""

import json
import logging
import zipfile

from core import settings
from core.storage import diagnostics
from core.storage.logs import setup_logging
from db.connection import open_db


def test_diagnostics_zip_has_report_and_logs_but_no_data(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    with db.atomic():
        db["plans"].insert({"id": "p1", "title": "秘密标题不应外泄", "updated_at": "2024-01-01"})
    db.conn.close()
    log_file = setup_logging(path)
    logging.getLogger("test").info("一条日志")
    for h in logging.getLogger().handlers:
        h.flush()
    result = diagnostics.write_diagnostics(path, tmp_path)
    with zipfile.ZipFile(result["path"]) as zf:
        names = zf.namelist()
        report = json.loads(zf.read("report.json"))
        everything = b"".join(zf.read(n) for n in names)
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(log_file)]:
        root.removeHandler(h)
        h.close()
    assert "logs/zwgk.log" in names
    assert not any(n.endswith((".sqlite3", ".db")) for n in names)
    assert "秘密标题不应外泄".encode() not in everything
    assert report["profile"]["name"] == "城东街道"
    assert report["table_counts"]["plans"] == 1
    assert report["migrations"][0]["name"] == "m001_initial"
    assert report["versions"]["program"]
    assert report["integrity"] == "ok"


def test_diagnostics_of_a_damaged_ledger_still_works(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 3000)
    out = tmp_path / "d"
    result = diagnostics.write_diagnostics(path, out)
    assert result["path"].endswith("d.zip")
    with zipfile.ZipFile(result["path"]) as zf:
        report = json.loads(zf.read("report.json"))
    assert report["integrity"] != "ok"
