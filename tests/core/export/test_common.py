from datetime import date

import pytest

from core.errors import UserError
from core.export.common import check_output, default_file_name, is_formula_like, ledger_columns, sanitize_file_name


def test_default_file_name():
    assert default_file_name("ledger", "城东街道", 2024, "xlsx", date(2024, 5, 31)) == "城东街道-2024年政务公开工作台账-20240531.xlsx"
    name = default_file_name("open-activity-plan", 'a/b:c*?"<>|', 2024, "docx", date(2024, 7, 1))
    assert name == "a_b_c______-2024年政府开放活动计划安排报送表-20240701.docx"


def test_sanitize_reserved_and_trailing():
    assert sanitize_file_name("CON") == "_CON"
    assert sanitize_file_name("台账. ") == "台账"
    assert sanitize_file_name("") == "导出"


def test_formula_like():
    assert all(is_formula_like(t) for t in ("=1", "+1", "-x", "@a"))
    assert not any(is_formula_like(t) for t in ("1", "文本", None, 5))


def test_check_output(tmp_path):
    with pytest.raises(UserError):
        check_output(tmp_path / "a.xlsx", "csv")
    with pytest.raises(UserError, match="扩展名"):
        check_output(tmp_path / "a.xls", "xlsx")


def test_ledger_columns_default(town_db):
    assert ledger_columns(town_db)[:4] == ["seq", "category", "requirement", "measure"]
