"""佐证材料包: a sub-folder per task with copies of its files, links, and an index workbook."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from core import ledger
from core.ledger import attachments
from core.export import evidence
from core.errors import UserError
from tests.core.export.sample_data import fill_ledger


@pytest.fixture
def filled(town_db, tmp_path):
    db_path = tmp_path / "ledger.sqlite3"
    ids = fill_ledger(town_db)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8photo")
    notice = tmp_path / "通知:第1期?.pdf"  # a name Windows refuses
    notice.write_bytes(b"%PDF-notice")
    first = ledger.get_entry(town_db, ids[0])["progress"][0]["id"]
    attachments.add_file(town_db, db_path, first, photo)
    attachments.add_file(town_db, db_path, first, notice)
    attachments.add_link(town_db, first, "https://www.gov.cn/zhengce/1.html", "政策图解第1期")
    second = ledger.get_entry(town_db, ids[1])["progress"][0]["id"]
    gone = attachments.add_file(town_db, db_path, second, photo)
    (attachments.folder(db_path) / gone["stored_name"]).unlink()  # lost from the attachment folder
    return town_db, db_path, ids


def test_bundle_layout_and_index(filled, tmp_path):
    db, db_path, ids = filled
    out = tmp_path / "佐证.zip"
    info = evidence.write_bundle(db, db_path, out, year=2024)
    assert (info["tasks"], info["files"], info["missing"], info["links"]) == (3, 2, 1, 1)
    root = "城东街道-2024年政务公开佐证材料"
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert f"{root}/{evidence.INDEX_NAME}" in names
        folders = sorted(n for n in names if n.endswith("/"))
        assert folders == [f"{root}/1_丰富解读形式/", f"{root}/2_政府开放活动/", f"{root}/3_依申请公开/"]
        assert zf.read(f"{root}/1_丰富解读形式/现场照片.jpg") == b"\xff\xd8photo"
        assert zf.read(f"{root}/1_丰富解读形式/通知_第1期_.pdf") == b"%PDF-notice"
        links = zf.read(f"{root}/1_丰富解读形式/链接.txt").decode("utf-8-sig")
        assert "政策图解第1期" in links and "https://www.gov.cn/zhengce/1.html" in links
        assert not [n for n in names if n.startswith(f"{root}/2_政府开放活动/") and not n.endswith("/")]
        for name in names:  # every path is one Windows accepts
            assert not set(name) & set('<>:"\\|?*')
        index = load_workbook(io.BytesIO(zf.read(f"{root}/{evidence.INDEX_NAME}")))["佐证材料索引"]
    rows = [[c.value for c in row] for row in index.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert list(evidence.INDEX_HEADERS) == [c.value for c in index[3]]
    assert rows[0][4] == "2024-06-01 完成图解1期"
    assert rows[0][5].splitlines() == ["1_丰富解读形式/现场照片.jpg", "1_丰富解读形式/通知_第1期_.pdf"]
    assert "https://www.gov.cn/zhengce/1.html" in rows[0][6]
    assert rows[1][5] == "2_政府开放活动/现场照片.jpg（文件缺失）"
    assert rows[2][4] == "（无进展记录）" and rows[2][5] == "（无）"
    assert index["A1"].value == "2024年政务公开工作佐证材料索引"
    # copied, never moved: the attachment folder still holds its files
    assert len([p for p in attachments.folder(db_path).iterdir() if p.is_file()]) == 2


def test_bundle_refuses_bad_targets_and_empty_years(filled, tmp_path):
    db, db_path, _ = filled
    with pytest.raises(UserError, match=r"\.zip"):
        evidence.write_bundle(db, db_path, tmp_path / "x.rar", year=2024)
    with pytest.raises(UserError, match="2030年度没有台账任务"):
        evidence.write_bundle(db, db_path, tmp_path / "x.zip", year=2030)
    assert not (tmp_path / "x.zip").exists()


def test_task_folder_names_are_windows_safe_and_unique():
    assert evidence.task_folder({"seq": "5", "category": ["做好政策公开与解读回应"], "requirement": "x"}) == "5_做好政策公开与解读回应"
    assert evidence.task_folder({"seq": "6", "category": [], "requirement": "公开*报告/年度?" + "很长" * 40}).startswith("6_公开_报告_年度_")
    assert len(evidence.task_folder({"seq": "7", "category": ["长" * 100]})) <= evidence.MAX_FOLDER
    taken: set = set()
    assert [evidence._unique("a", taken), evidence._unique("A", taken)] == ["a", "A (2)"]
    assert evidence.windows_name("CON") == "_CON"


def test_cli_export_evidence(cli, tmp_path):
    import json

    from tests.cli.test_export_cli import _setup

    assert cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位").returncode == 0
    missing_year = cli("export", "evidence", "--year", "2030", "--out", tmp_path / "none.zip")
    assert missing_year.returncode == 2 and "没有台账任务" in missing_year.stderr and "Traceback" not in missing_year.stderr
    _setup(cli)
    out = tmp_path / "e.zip"
    done = cli("export", "evidence", "--year", "2024", "--out", out, "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["path"] == str(out) and info["tasks"] == 3 and zipfile.is_zipfile(out)
    no_format = cli("export", "ledger", "--out", tmp_path / "l.xlsx")
    assert no_format.returncode == 2 and "--format" in no_format.stderr
