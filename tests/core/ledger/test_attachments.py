"""core.ledger.attachments: copying evidence files safely, links, bad files."""

import hashlib

import pytest

from core import ledger
from core.ledger import attachments
from core.errors import UserError
from tests.ledger_fixtures import make_ledger


@pytest.fixture
def progress_id(town_db):
    ids = make_ledger(town_db)
    return ledger.add_progress(town_db, ids["1"], "2024-07-01", "发布解读")["id"]


def db_path(db):
    return db.execute("PRAGMA database_list").fetchone()[2]


def test_file_is_copied_with_safe_name(town_db, progress_id, tmp_path):
    src = tmp_path / "通知:第1期?.pdf"
    src.write_bytes(b"%PDF-1.4 evidence")
    row = attachments.add_file(town_db, db_path(town_db), progress_id, src)
    assert row["name"] == "通知:第1期?.pdf"
    assert row["stored_name"].endswith("通知_第1期_.pdf")
    stored = attachments.folder(db_path(town_db)) / row["stored_name"]
    assert stored.read_bytes() == b"%PDF-1.4 evidence"
    assert row["sha256"] == hashlib.sha256(b"%PDF-1.4 evidence").hexdigest() and row["size"] == 17
    assert attachments.location(db_path(town_db), row) == str(stored)
    assert [a["id"] for a in attachments.of_progress(town_db, progress_id)] == [row["id"]]


@pytest.mark.parametrize("name,expected", [
    ("CON.txt", "_CON.txt"), ("a<b>c|d.doc", "a_b_c_d.doc"), ("报告. ", "报告"), ("nul", "_nul"), ("", "附件"),
    ("x" * 200 + ".docx", "x" * 75 + ".docx"),
])
def test_safe_name(name, expected):
    assert attachments.safe_name(name) == expected


def test_missing_big_and_folder_refused(town_db, progress_id, tmp_path):
    path = db_path(town_db)
    with pytest.raises(UserError, match="找不到文件"):
        attachments.add_file(town_db, path, progress_id, tmp_path / "gone.jpg")
    big = tmp_path / "big.mp4"
    with open(big, "wb") as f:
        f.truncate(3 * 1024 * 1024)  # sparse; the limit is lowered for the test
    with pytest.raises(UserError, match="超过"):
        attachments.add_file(town_db, path, progress_id, big, max_bytes=2 * 1024 * 1024)
    with pytest.raises(UserError, match="不是文件"):
        attachments.add_file(town_db, path, progress_id, tmp_path)
    assert town_db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    folder = attachments.folder(path)
    assert not folder.exists() or not any(folder.iterdir())


def test_unreadable_file_refused(town_db, progress_id, tmp_path):
    import os

    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("needs a non-root POSIX user to make a file unreadable")
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"x")
    locked.chmod(0)
    with pytest.raises(UserError, match="无法读取"):
        attachments.add_file(town_db, db_path(town_db), progress_id, locked)


def test_links(town_db, progress_id):
    row = attachments.add_link(town_db, progress_id, "www.example.gov.cn/art/1.html", "解读页面")
    assert row["url"] == "http://www.example.gov.cn/art/1.html" and row["name"] == "解读页面"
    assert attachments.location("unused.db", row) == row["url"]
    for bad in ("", "javascript:alert(1)", "ftp://x/y", "不是网址"):
        with pytest.raises(UserError):
            attachments.add_link(town_db, progress_id, bad)


def test_missing_copied_file_is_explained(town_db, progress_id, tmp_path):
    src = tmp_path / "照片.jpg"
    src.write_bytes(b"jpg")
    row = attachments.add_file(town_db, db_path(town_db), progress_id, src)
    (attachments.folder(db_path(town_db)) / row["stored_name"]).unlink()
    with pytest.raises(UserError, match="attachments"):
        attachments.location(db_path(town_db), row)


def test_progress_must_exist(town_db, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("x")
    with pytest.raises(UserError, match="进展"):
        attachments.add_file(town_db, db_path(town_db), "no-such-progress", src)
