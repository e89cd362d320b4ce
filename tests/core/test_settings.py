import pytest

from core import settings
from core.errors import UserError


def test_profile_is_none_until_set(db):
    assert settings.profile(db) is None


def test_set_profile_stores_trimmed_values(db):
    settings.set_profile(db, " 城东街道 ", "街道", "填报单位", aliases=["城东街道办事处", " ", "城东街道"], county="博山区")
    assert settings.profile(db) == {
        "name": "城东街道",
        "aliases": ["城东街道办事处"],
        "kind": "街道",
        "county": "博山区",
        "role": "填报单位",
    }


@pytest.mark.parametrize(
    "name, kind, role, fragment",
    [("", "镇", "填报单位", "名称不能为空"), ("某镇", "乡", "填报单位", "单位类型"), ("某镇", "镇", "管理员", "角色")],
)
def test_set_profile_refuses_bad_values_and_keeps_the_old(db, name, kind, role, fragment):
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    with pytest.raises(UserError, match=fragment):
        settings.set_profile(db, name, kind, role)
    assert settings.profile(db)["name"] == "城东街道"


def test_device_id_is_stable(db):
    assert settings.device_id(db) == settings.device_id(db)
    assert len(settings.device_id(db)) == 12


def test_visible_unit_is_own_unit_for_a_filer_and_everyone_for_the_county(db):
    assert settings.visible_unit(db) is None  # no profile yet
    settings.set_profile(db, "城东街道", "街道", "填报单位")
    assert settings.visible_unit(db) == "城东街道"
    assert settings.visible_unit(db, "甲镇") == "甲镇"
    settings.set_profile(db, "博山区人民政府办公室", "县政府办公室", "汇总单位")
    assert settings.visible_unit(db) is None
    assert settings.visible_unit(db, "甲镇") == "甲镇"
