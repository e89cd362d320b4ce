"""The one record validator: every field of every synced table, hostile attachment names and links."""

import pytest

from core import ledger, records
from core import text as core_text
from core.ledger import attachments
from core.errors import UserError
from core.exchange import validate
from core.exchange.packs import unpack
from tests.core.exchange.test_packs import issue, report_from

STAMP = {"rev": 1, "updated_at": "2024-07-01T08:00:00.000001+00:00", "updated_by": "城东街道", "device": "abc123", "deleted": 0}
ENTRY = {"id": "e1", "task_id": "t1", "unit": "城东街道", "year": 2024, "status": "推进中", "role": "落实",
         "selection": "auto", "completed_on": None, "note": "第一行\n第二行\t缩进", "duties": "[]", **STAMP}

HOSTILE_NAMES = [
    "../../../etc/passwd", "C:\\Windows\\System32\\calc.exe", "\\\\host\\share\\x.exe", "C:calc.exe", "/etc/passwd",
    "a/b.txt", "..", ".", "a..b", "CON", "con", "aux.txt", "AUX.txt:stream", "nul.tar.gz", "COM1", "com9.pdf",
    "LPT1", "lpt3.doc", "CON .txt", "PRN", "报告.", "报告 ", " 报告", "x\x00y.pdf", "x\ny.pdf", "a" * 121, "",
    "a<b>.txt", "what?.doc", "a|b", 'q"x.doc',
]
HOSTILE_LINKS = ["file:///etc/passwd", "\\\\host\\share\\x.exe", "javascript:alert(1)", "ftp://host/x", "http://",
                 "smb://host/share", "https:///nohost", "http://a b.com/", "data:text/html,<b>x</b>", ""]


def test_a_valid_entry_passes():
    assert validate.check_record("entries", ENTRY) is None


@pytest.mark.parametrize("field, value, words", [
    ("status", "黑客状态", "状态"), ("completed_on", "not-a-date", "完成日期"), ("completed_on", "2024-02-30", "完成日期"),
    ("completed_on", "1700-01-01", "完成日期"), ("year", "abc", "年度"), ("year", 20245, "年度"), ("year", True, "年度"),
    ("note", "a\x00b", "控制字符"), ("note", "a\x1bb", "控制字符"), ("note", "a\rb", "控制字符"), ("note", "x" * 20001, "超过"),
    ("id", ["a", "b"], "编号"), ("id", "", "编号"), ("task_id", {"x": 1}, "所属任务"), ("rev", 2 ** 63, "版本号"),
    ("rev", 0, "版本号"), ("rev", "1", "版本号"), ("rev", 1.5, "版本号"), ("deleted", 2, "删除标记"),
    ("updated_at", "yesterday", "修改时间"), ("updated_at", ["2024"], "修改时间"), ("role", "老板", "角色"),
    ("selection", "all", "选取方式"), ("duties", "{}", "列表"), ("duties", "[", "列表"), ("extra_column", [1], "extra_column"),
    ("extra_column", "a\x07", "控制字符"), ("extra_column", 2 ** 64, "extra_column"),
])
def test_each_bad_field_is_named_in_the_reason(field, value, words):
    reason = validate.check_record("entries", {**ENTRY, field: value})
    assert reason is not None and words in reason


def test_required_fields_and_non_records():
    for field in ("id", "rev", "updated_at", "task_id", "unit", "year"):
        reason = validate.check_record("entries", {k: v for k, v in ENTRY.items() if k != field})
        assert reason and reason.startswith("缺少")
    assert validate.check_record("entries", ["not", "a", "record"])
    assert validate.check_record("secrets", {"id": "x"})
    good, bad = validate.screen("entries", [ENTRY, {**ENTRY, "id": "e2", "status": "x"}, 7])
    assert good == [ENTRY] and [r for r, _ in bad] == [{**ENTRY, "id": "e2", "status": "x"}, 7]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_stored_names_are_refused(name):
    assert core_text.stored_name_problem(name)
    row = {"id": "a1", "progress_id": "p1", "kind": "file", "name": "x", "stored_name": name, **STAMP}
    assert validate.check_record("attachments", row)


@pytest.mark.parametrize("name", ["abcd1234-解读.png", "12345678-2024年工作要点（定稿）.docx", "a" * 120, "CONSOLE.txt",
                                  "com10.txt", "report.v2.pdf", "LPT.doc"])
def test_plain_file_names_pass(name):
    assert core_text.stored_name_problem(name) is None


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_only_http_links_pass(url):
    assert core_text.url_problem(url)
    row = {"id": "a1", "progress_id": "p1", "kind": "link", "name": "x", "url": url, **STAMP}
    assert validate.check_record("attachments", row)


def test_safe_name_never_makes_a_name_the_validator_refuses():
    for raw in [*HOSTILE_NAMES, "报告..docx", "a" * 300 + ".pdf", "CON.txt", "file.", "..\\..\\x"]:
        stored = "abcd1234-" + attachments.safe_name(raw)
        assert core_text.stored_name_problem(stored) is None, (raw, stored)


def _hostile_report(county, unit, tmp_path, rows, monkeypatch):
    """A genuine 报送包 whose unit database holds attachment records with the given fields."""
    from core.exchange import package_format as fmt

    monkeypatch.setattr(fmt, "_printable_row", lambda row: row)  # a hostile sender's writer cleans nothing
    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "发布解读")
    with unit.atomic():
        for fields in rows:
            # Stored raw, as a hostile sender's own program would: records.insert would normalise them.
            row = {**records.stamp(unit, {"progress_id": progress["id"], "name": "证据"}), **fields}
            unit["attachments"].insert(row, alter=False)
    return report_from(unit, tmp_path)


def test_a_report_with_hostile_attachments_imports_the_rest_and_says_so(county, unit, tmp_path, monkeypatch):
    rows = [{"kind": "file", "stored_name": n, "sha256": "", "size": 1} for n in HOSTILE_NAMES if n] + \
           [{"kind": "link", "url": u} for u in HOSTILE_LINKS] + [{"kind": "link", "url": "https://www.gov.cn/zhengce"}]
    path = _hostile_report(county, unit, tmp_path, rows, monkeypatch)
    result = unpack(county, county.path, [path])
    detail = result["details"][0]
    assert detail["error"] is None
    assert detail["rejected"] == len(rows) - 1
    assert detail["result"] == f"部分导入：拒绝 {len(rows) - 1} 条"
    assert all(i["what"] == "rejected" and i["table"] == "attachments"
               and ("附件文件名" in i["reason"] or "链接" in i["reason"]) for i in detail["items"])
    stored = county.execute("SELECT kind, url, stored_name FROM attachments").fetchall()
    assert stored == [("link", "https://www.gov.cn/zhengce", "")]
    assert county.execute("SELECT count(*) FROM progress").fetchone()[0] == 1  # the rest of the package applied
    folder = attachments.folder(county.path).resolve()
    for (name,) in county.execute("SELECT stored_name FROM attachments WHERE kind = 'file'"):
        assert (folder / name).resolve().parent == folder


def test_the_window_opens_only_files_inside_the_attachment_folder(tmp_path):
    db_path = tmp_path / "ledger.sqlite3"
    folder = attachments.folder(db_path)
    folder.mkdir(parents=True)
    (folder / "abcd1234-ok.pdf").write_bytes(b"%PDF")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (folder / "abcd1234-link.txt").symlink_to(outside)
    good = {"kind": "file", "name": "ok.pdf", "stored_name": "abcd1234-ok.pdf"}
    assert attachments.location(db_path, good) == str((folder / "abcd1234-ok.pdf").resolve())
    for name in ["../secret.txt", "abcd1234-link.txt", "..", "C:\\x.exe", "CON"]:
        with pytest.raises(UserError, match="不予打开"):
            attachments.location(db_path, {"kind": "file", "name": "x", "stored_name": name})
    for url in ["file:///etc/passwd", "\\\\host\\share\\x.exe", "javascript:alert(1)"]:
        with pytest.raises(UserError, match="不予打开"):
            attachments.location(db_path, {"kind": "link", "name": "x", "url": url})
    assert attachments.location(db_path, {"kind": "link", "name": "x", "url": "https://a.gov.cn/x"}) == "https://a.gov.cn/x"


def _package_with(unit, tmp_path, monkeypatch, name, change):
    """A genuine, correctly signed 报送包 whose tables pass through change(tables) before writing."""
    from core.exchange import package_format as fmt

    original = fmt.write_package

    def altered(target, kind, sender, recipient, created_at, data, *rest):
        change(data["tables"])
        return original(target, kind, sender, recipient, created_at, data, *rest)

    with monkeypatch.context() as m:
        m.setattr(fmt, "write_package", altered)
        m.setattr(fmt, "_printable_row", lambda row: row)  # a hostile sender's writer cleans nothing
        m.setattr("core.exchange.packs.mark_sent", lambda db, tables: None)
        return report_from(unit, tmp_path, name)


def test_bad_field_values_are_rejected_one_by_one_and_the_batch_goes_on(county, unit, tmp_path, monkeypatch):
    """Status, dates, year, NUL and a rev over 2^63 are rejected row by row; a list id refuses its package only."""
    issue(county, unit, tmp_path)
    entries = ledger.list_entries(unit)
    ledger.add_progress(unit, entries[0]["id"], "2024-07-01", "正常的进展")

    def bad_values(tables):
        rows = sorted(tables["entries"], key=lambda r: r["id"] != entries[0]["id"])  # rows[0]: the one with progress
        rows[1].update(status="黑客状态")
        rows.append({**rows[0], "id": "bad-date", "completed_on": "not-a-date"})
        rows.append({**rows[0], "id": "bad-year", "year": "abc"})
        rows.append({**rows[0], "id": "bad-nul", "note": "a\x00b"})
        rows.append({**rows[0], "id": "big-rev", "rev": 2 ** 63 + 5})
        tables["entries"] = rows

    def list_id(tables):
        tables["measures"].append({"id": ["a", "list"], "entry_id": tables["entries"][0]["id"], "rev": 1, "text": "x",
                                   "updated_at": "2024-07-01T00:00:00+00:00", "updated_by": "x", "device": "d", "deleted": 0})

    values = _package_with(unit, tmp_path, monkeypatch, "values.zwgk", bad_values)
    listed = _package_with(unit, tmp_path, monkeypatch, "list.zwgk", list_id)
    good = report_from(unit, tmp_path, "good.zwgk")
    result = unpack(county, county.path, [values, listed, good])
    first, second, third = result["details"]
    assert first["error"] is None and first["rejected"] == 5 and first["result"] == "部分导入：拒绝 5 条"
    reasons = " ".join(i["reason"] for i in first["items"])
    for words in ("状态“黑客状态”无效", "完成日期应为", "年度应为", "备注含有控制字符", "版本号应为"):
        assert words in reasons
    assert second["error"] and "已拒绝" in second["error"] and second["result"].startswith("未导入")
    assert third["error"] is None and third["result"] == "已导入"
    assert county.execute("SELECT count(*) FROM entries WHERE id IN ('bad-date', 'bad-year', 'bad-nul', 'big-rev')").fetchone()[0] == 0
    assert county.execute("SELECT count(*) FROM entries WHERE status NOT IN ('未开始', '推进中', '已完成', '长期坚持')").fetchone()[0] == 0
    assert county.execute("SELECT count(*) FROM progress").fetchone()[0] == 1


def test_restore_refuses_a_backup_holding_an_invalid_record(tmp_path):
    import sqlite3

    from core import settings
    from core.storage import backup
    from core.storage import snapshots
    from db.connection import open_db

    path = tmp_path / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "要点"})
        task = records.insert(db, "tasks", {"plan_id": plan["id"], "requirement": "任务"})
        records.insert(db, "entries", {"task_id": task["id"], "unit": "城东街道", "year": 2024})
    db.conn.close()
    copy = snapshots.backup_before(path, "import")
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE entries SET status = '黑客状态'")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="不合格的记录.*状态“黑客状态”无效"):
        backup.restore(path, copy)
    db = open_db(path)
    assert db.execute("SELECT status FROM entries").fetchone() == ("未开始",)
    db.conn.close()


def test_the_excel_round_trip_marks_values_the_validator_refuses(county, unit, tmp_path):
    from tests.core.exchange.test_roundtrip import TODAY, edit, export, find_row

    from core.exchange import roundtrip
    from openpyxl import load_workbook

    issue(county, unit, tmp_path)
    path = export(unit, tmp_path / "台账.xlsx")
    entry = ledger.list_entries(unit)[0]
    row = find_row(load_workbook(path)["工作任务台账"], entry["seq"])
    edit(path, {f"J{row}": "1800-01-01", f"F{row}": "长" * 5000, f"K{row}": "正常的备注"})
    result = roundtrip.roundtrip(unit, path, today=TODAY)
    by_field = {c["field"]: c for c in result["changes"]}
    assert by_field["completed_on"]["status"] == "invalid" and "完成日期" in by_field["completed_on"]["reason"]
    assert by_field["leader"]["status"] == "invalid" and "超过" in by_field["leader"]["reason"]
    assert by_field["note"]["status"] == "change" and result["applied"] == 1
    stored = unit["entries"].get(entry["id"])
    assert (stored["completed_on"], stored["leader"], stored["note"]) == (None, "", "正常的备注")
