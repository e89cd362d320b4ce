import json
import zipfile

from openpyxl import load_workbook

from db.connection import open_db
from tests.core.export.sample_data import fill_ledger


def _setup(cli):
    assert cli("profile", "set", "--name", "城东街道", "--kind", "街道", "--role", "填报单位").returncode == 0
    db = open_db(cli.db_path)
    fill_ledger(db)
    db.conn.close()


def test_activity_add_report_list(cli):
    _setup(cli)
    added = cli("activity", "add", "--theme", "营商环境体验官", "--time", "2024年7月中旬", "--place", "便民服务中心",
                "--content", "座谈", "--audience", "企业代表10人", "--contact", "李明", "--phone", "0533-4181234", "--json")
    assert added.returncode == 0, added.stderr
    activity_id = json.loads(added.stdout)["id"]
    rep = cli("activity", "report", activity_id[:8], "--date", "2024-07-15", "--participants", "12", "--opinions", "8",
              "--adopted", "5", "--answered", "8", "--note", "现场答复")
    assert rep.returncode == 0 and "2024-07-22" in rep.stdout
    listed = json.loads(cli("activity", "list", "--json").stdout)["activities"]
    assert listed[0]["id"] == activity_id and listed[0]["time_text"] == "7月中旬" and listed[0]["report_due"] == "2024-07-22"
    bad = cli("activity", "add", "--theme", "T", "--time", "下旬", "--place", "P", "--content", "C", "--audience", "A",
              "--contact", "N", "--phone", "0533-1")
    assert bad.returncode == 2 and "月份" in bad.stderr and "Traceback" not in bad.stderr
    assert cli("activity", "report", "nosuchid", "--date", "2024-07-15", "--participants", "1", "--opinions", "1", "--adopted", "1").returncode == 2


def test_export_every_form_and_format(cli, tmp_path):
    _setup(cli)
    added = cli("activity", "add", "--theme", "开放日", "--time", "2024年7月", "--place", "P", "--content", "C",
                "--audience", "A", "--contact", "N", "--phone", "13800000000", "--json")
    cli("activity", "report", json.loads(added.stdout)["id"], "--date", "2024-07-10", "--participants", "3", "--opinions", "1", "--adopted", "1")
    for form, fmts in {"ledger": ("xlsx", "docx", "pdf"), "open-activity-plan": ("docx", "xlsx", "pdf"),
                       "open-activity-report": ("docx", "xlsx"), "summary": ("xlsx",)}.items():
        for fmt in fmts:
            out = tmp_path / f"{form}.{fmt}"
            done = cli("export", form, "--format", fmt, "--out", out, "--year", "2024", "--json")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["path"] == str(out)
            if fmt == "pdf":
                assert out.read_bytes()[:5] == b"%PDF-"
            else:
                assert zipfile.is_zipfile(out)
    assert load_workbook(tmp_path / "ledger.xlsx")["_zwgk"].sheet_state == "hidden"


def test_export_columns_option_and_errors(cli, tmp_path):
    _setup(cli)
    out = tmp_path / "l.xlsx"
    assert cli("export", "ledger", "--format", "xlsx", "--out", out, "--columns", "seq,measure").returncode == 0
    assert [c.value for c in load_workbook(out)["工作任务台账"][3]] == ["序号", "工作举措", "记录编号（请勿修改）"]
    bad = cli("export", "ledger", "--format", "xlsx", "--out", tmp_path / "l.docx")
    assert bad.returncode == 2 and "扩展名" in bad.stderr
    bad = cli("export", "summary", "--format", "docx", "--out", tmp_path / "s.docx")
    assert bad.returncode == 2 and "不能导出为 docx" in bad.stderr
    bad = cli("export", "open-activity-plan", "--format", "docx", "--out", tmp_path / "p.docx")
    assert bad.returncode == 2 and "开放活动" in bad.stderr
    assert not (tmp_path / "p.docx").exists()
