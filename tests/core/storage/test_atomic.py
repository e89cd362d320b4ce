import pytest

from core.storage import atomic


def test_write_replaces_target_and_leaves_no_temp(tmp_path):
    target = tmp_path / "子目录 带空格" / "台账.xlsx"
    atomic.write_bytes(target, b"first")
    atomic.write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["台账.xlsx"]


def test_failure_keeps_old_file_and_removes_temp(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_locked_target_is_a_user_error(tmp_path, monkeypatch):
    import os

    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(atomic.UserError, match="正被其他程序"):
        atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"


def test_written_files_get_the_usual_permissions(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        target = tmp_path / "报送表.docx"
        atomic.write_bytes(target, b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def _enospc(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_full_disk_at_the_write_call_is_told_and_leaves_no_file(tmp_path, monkeypatch):
    from pathlib import Path

    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(Path, "write_bytes", _enospc)
    with pytest.raises(atomic.UserError, match="磁盘空间不足") as caught:
        atomic.write_bytes(target, b"PK")
    assert "\n" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_an_old_file_survives_a_full_disk(tmp_path, monkeypatch):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    with pytest.raises(atomic.UserError, match="磁盘空间不足"):
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            _enospc()
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_a_locked_file_and_a_read_only_medium_are_told_apart(tmp_path, monkeypatch):
    import os

    target = tmp_path / "a.xlsx"

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(atomic.UserError, match="文件被占用"):
        atomic.write_bytes(target, b"PK")
    monkeypatch.undo()

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(atomic.UserError, match="只读"):
        atomic.write_bytes(target, b"PK")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_an_empty_or_cut_short_result_is_refused(tmp_path):
    for name, data in (("a.pdf", b""), ("b.pdf", b"%PDF-1.4 no trailer"), ("c.xlsx", b"PK\x03\x04 cut"), ("d.docx", b"")):
        target = tmp_path / name
        with pytest.raises(atomic.UserError, match="无法保存"):
            with atomic.atomic_path(target) as tmp:
                tmp.write_bytes(data)
        assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    atomic.write_bytes(tmp_path / "empty.txt", b"")  # an empty copy is allowed where asked for
    assert (tmp_path / "empty.txt").read_bytes() == b""


def test_writers_export_through_a_mocked_full_disk(ledger_export_db, tmp_path, monkeypatch):
    """Every core writer, with ENOSPC at its write call, leaves no file (the tmpfs test does it for real)."""
    from pathlib import Path

    from core.export import export

    monkeypatch.setattr(Path, "write_bytes", _enospc)
    for form, fmt in (("ledger", "xlsx"), ("ledger", "docx"), ("open-activity-plan", "docx"), ("summary", "xlsx")):
        out = tmp_path / "out" / f"{form}.{fmt}"
        with pytest.raises(atomic.UserError, match="磁盘空间不足"):
            export(ledger_export_db, form, fmt, out, year=2024)
        assert not out.exists()


@pytest.fixture
def ledger_export_db(town_db):
    from tests.core.export.sample_data import add_activities, fill_ledger

    fill_ledger(town_db)
    add_activities(town_db)
    return town_db
