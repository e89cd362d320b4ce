import pytest

from core import atomic


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
