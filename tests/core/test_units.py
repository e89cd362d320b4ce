"""责任单位: parsing units and roles, and deciding whether a task applies to an office."""

import json

import pytest

from core.units import guess_kind, match_units, name_key, names_match, parse_units

TOWN = {"name": "源泉镇", "aliases": ["源泉镇人民政府"], "kind": "镇", "county": "博山区"}
STREET = {"name": "城东街道", "aliases": ["城东街道办事处"], "kind": "街道", "county": "博山区"}
DEPT = {"name": "博山区司法局", "aliases": [], "kind": "部门", "county": "博山区"}
OFFICE = {"name": "博山区人民政府办公室", "aliases": [], "kind": "县政府办公室", "county": "博山区"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("区财政局、区人力资源和社会保障局", [("区财政局", "责任"), ("区人力资源和社会保障局", "责任")]),
        ("区财政局，区税务局", [("区财政局", "责任"), ("区税务局", "责任")]),
        ("区财政局;区税务局；区统计局,区商务局", [("区财政局", "责任"), ("区税务局", "责任"), ("区统计局", "责任"),
                                         ("区商务局", "责任")]),
        ("区司法局牵头，各行政执法主体和各镇（街道）具体落实",
         [("区司法局", "牵头"), ("各行政执法主体", "落实"), ("各镇（街道）", "落实")]),
        ("区经济发展局牵头、有关职能部门落实", [("区经济发展局", "牵头"), ("有关职能部门", "落实")]),
        ("区经济发展局牵头，各职能部门落实", [("区经济发展局", "牵头"), ("各职能部门", "落实")]),
        ("区司法局牵头，区财政局配合", [("区司法局", "牵头"), ("区财政局", "配合")]),
        ("区市场监管局牵头，有关职能部门落实，各镇", [("区市场监管局", "牵头"), ("有关职能部门", "落实"), ("各镇", "责任")]),
        ("各镇（街道），区政府有关部门单位", [("各镇（街道）", "责任"), ("区政府有关部门单位", "责任")]),
        ("各镇（街、区）", [("各镇（街、区）", "责任")]),
        ("区发展和改革委员会、区工业和信息化局等相关部门单位",
         [("区发展和改革委员会", "责任"), ("区工业和信息化局", "责任"), ("相关部门单位", "责任")]),
        ("区管委会办公室牵头、区管委会重大行政决策承办部门单位具体落实区管委会重大行政决策公开相关工作，",
         [("区管委会办公室", "牵头"), ("区管委会重大行政决策承办部门单位", "落实")]),
        ("区管委会各部门负责做好本单位重大行政举措相关公开工作", [("区管委会各部门", "责任")]),
        ("区工委宣传部、各部门", [("区工委宣传部", "责任"), ("各部门", "责任")]),
        ("区政府各 部门单位", [("区政府各部门单位", "责任")]),
        ("重大政策\n起草单位", [("重大政策起草单位", "责任")]),
        ("区卫生健康局协助", [("区卫生健康局", "配合")]),
        ("区财政局 区税务局", [("区财政局", "责任"), ("区税务局", "责任")]),
        ("区财政局\n区税务局", [("区财政局", "责任"), ("区税务局", "责任")]),
        ("区人力资源 和社会保障局", [("区人力资源和社会保障局", "责任")]),
        ("牵头单位：区财政局；配合单位：区税务局、各镇", [("区财政局", "牵头"), ("区税务局", "配合"), ("各镇", "配合")]),
        ("各镇人民政府、街道办事处", [("各镇人民政府", "责任"), ("街道办事处", "责任")]),
        ("区委宣传部(区政府新闻办)", [("区委宣传部（区政府新闻办）", "责任")]),
        ("", []),
    ],
)
def test_parse_units(text, expected):
    assert [(u.text, u.role) for u in parse_units(text)] == expected


def test_parenthesised_list_of_units():
    text = ("各镇（街道）、区政府各部门单位，特别是与宏观经济和民生关系密切的区政府部门（区发展和改革委员会、"
            "区教育和体育局、区科学技术局、区医疗保障分局）")
    units = parse_units(text)
    texts = [u.text for u in units]
    assert texts[:2] == ["各镇（街道）", "区政府各部门单位"]
    assert "区科学技术局" in texts and "区医疗保障分局" in texts
    assert not any("（" in t and "、" in t and t != "各镇（街道）" for t in texts)


# (units cell, profile, applies, maybe, role)
MATCHES = [
    ("各镇（街道）", TOWN, True, False, "责任"),
    ("各镇（街道）", STREET, True, False, "责任"),
    ("各镇（街道）", DEPT, False, False, ""),
    ("区政府各部门单位", DEPT, True, False, "责任"),
    ("区政府各部门单位", TOWN, False, False, ""),
    ("区政府各部门单位", STREET, False, False, ""),
    ("区政府有关部门单位", DEPT, True, False, "责任"),
    ("区政府有关部门单位", TOWN, False, False, ""),
    ("县政府有关部门", DEPT, True, False, "责任"),
    ("各部门单位", DEPT, True, False, "责任"),
    ("各职能部门", DEPT, True, False, "责任"),
    ("各镇人民政府", TOWN, True, False, "责任"),
    ("各镇人民政府", STREET, False, False, ""),
    ("各镇办", TOWN, True, False, "责任"),
    ("各镇办", STREET, True, False, "责任"),
    ("各镇街区", STREET, True, False, "责任"),
    ("各镇街区", TOWN, True, False, "责任"),
    ("各镇（街、区）政府（办事处、管委）", STREET, True, False, "责任"),
    ("各街道办事处", STREET, True, False, "责任"),
    ("各街道办事处", TOWN, False, False, ""),
    ("各乡镇（街道）", TOWN, True, False, "责任"),
    ("各有关单位", DEPT, True, False, "责任"),
    ("各有关单位", TOWN, False, True, "责任"),
    ("区司法局牵头，各行政执法主体和各镇（街道）具体落实", DEPT, True, False, "牵头"),
    ("区司法局牵头，各行政执法主体和各镇（街道）具体落实", STREET, True, False, "落实"),
    ("各行政执法主体具体落实", TOWN, True, False, "落实"),
    ("各行政执法主体具体落实", {**DEPT, "name": "区财政局"}, False, True, "落实"),
    ("区经济发展局牵头，各职能部门落实", DEPT, True, False, "落实"),
    ("区经济发展局牵头，各职能部门落实", TOWN, False, False, ""),
    ("区经济发展局牵头、有关职能部门落实", DEPT, True, False, "落实"),
    ("区市场监管局牵头，有关职能部门落实，各镇", TOWN, True, False, "责任"),
    ("区司法局", DEPT, True, False, "责任"),
    ("司法局", DEPT, True, False, "责任"),
    ("博山区司法局牵头，区财政局配合", DEPT, True, False, "牵头"),
    ("区财政局牵头，区司法局配合", DEPT, True, False, "配合"),
    ("区财政局", DEPT, False, False, ""),
    ("城东街道办事处", STREET, True, False, "责任"),
    ("城东街道", STREET, True, False, "责任"),
    ("城西街道", STREET, False, False, ""),
    ("源泉镇人民政府", TOWN, True, False, "责任"),
    ("区政府办公室", OFFICE, True, False, "责任"),
    ("区政府办公室", DEPT, False, False, ""),
    ("重大政策起草单位", DEPT, False, True, "责任"),
    ("重大政策起草单位", TOWN, False, True, "责任"),
    ("舆情涉及部门单位", DEPT, False, True, "责任"),
    ("行政规范性文件制定部门具体落实", DEPT, False, True, "落实"),
    ("各镇，各部门", TOWN, True, False, "责任"),
    ("各镇，各部门", DEPT, True, False, "责任"),
    ("各镇（街道）、区行政审批服务局", DEPT, False, False, ""),
    ("各镇（街道）、区行政审批服务局", {**DEPT, "name": "区行政审批服务局"}, True, False, "责任"),
    ("区发展和改革委员会、区工业和信息化局等相关部门单位", DEPT, True, False, "责任"),
    ("区发展和改革委员会、区工业和信息化局等相关部门单位", TOWN, False, False, ""),
    ("", TOWN, False, True, "责任"),
    ("各镇人民政府、街道办事处", STREET, True, False, "责任"),
    ("区司法局、镇（街道）", STREET, True, False, "责任"),
    ("区委宣传部（区政府新闻办）", {**DEPT, "name": "区政府新闻办"}, True, False, "责任"),
    ("牵头单位：区司法局；配合单位：区财政局、各镇", TOWN, True, False, "配合"),
    ("各级各部门", TOWN, True, False, "责任"),
    ("市直各部门", DEPT, True, False, "责任"),
]


@pytest.mark.parametrize("text, profile, applies, maybe, role", MATCHES)
def test_match(text, profile, applies, maybe, role):
    m = match_units(text, profile)
    assert (m.applies, m.maybe, m.role) == (applies, maybe, role), m
    assert m.reason and not m.reason.isascii()


def test_reasons_name_the_group_and_kind():
    m = match_units("各镇（街道）、区政府各部门单位", STREET)
    assert m.reason == "“各镇（街道）”包括街道"
    m = match_units("区政府各部门单位", DEPT)
    assert "包括部门" in m.reason
    m = match_units("区司法局牵头，各行政执法主体和各镇（街道）具体落实", DEPT)
    assert "区司法局" in m.reason and "牵头" in m.reason
    m = match_units("区政府各部门单位", TOWN)
    assert "不包括镇" in m.reason


@pytest.mark.parametrize(
    "a, b",
    [("城东街道", "城东街道办事处"), ("区司法局", "博山区司法局"), ("司法局", "区司法局"),
     ("区发展和改革委员会", "博山区发展改革委员会"), ("区生态环境分局", "区生态环境局"),
     ("区市场监督管理局", "区市场监管局"), ("源泉镇", "源泉镇人民政府"), ("区政府办公室", "博山区人民政府办公室"),
     ("区教育和体育局", "淄博市博山区教育和体育局")],
)
def test_loose_names(a, b):
    assert name_key(a, "博山区") == name_key(b, "博山区")
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("区财政局", "区司法局"), ("城东街道", "城西街道"), ("开发区管委会", "高新区管委会"),
                                  ("区市场监督管理局", "区场监督管理局")])
def test_different_names(a, b):
    assert name_key(a) != name_key(b)


def test_aliases():
    profile = {"name": "区人力资源和社会保障局", "aliases": ["区人社局"], "kind": "部门"}
    assert names_match("区人社局", profile)
    assert match_units("区人社局牵头", profile).role == "牵头"


@pytest.mark.parametrize("name, kind", [("源泉镇", "镇"), ("城东街道办事处", "街道"), ("城东街道", "街道"),
                                        ("博山区人民政府办公室", "县政府办公室"), ("区司法局", "部门")])
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind
    assert match_units("区政府各部门单位", {"name": name}).applies is (kind in ("部门", "县政府办公室"))


def test_sample_plan_units(samples):
    tasks = json.loads((samples / "boshan-2024-expected.json").read_text(encoding="utf-8"))["tasks"]
    town = [t["seq"] for t in tasks if match_units(t["units"], STREET).applies]
    # every task whose units mention 各镇（街道） applies to a 街道, nothing else does
    assert town == [t["seq"] for t in tasks if "各镇（街道）" in t["units"]]
    roles = {t["seq"]: match_units(t["units"], STREET).role for t in tasks}
    assert roles["22"] == "落实" and roles["1"] == "责任"
    dept = {t["seq"] for t in tasks if match_units(t["units"], DEPT).applies}
    assert "22" in dept and "4" in dept and "2" not in dept
    assert match_units(tasks[21]["units"], DEPT).role == "牵头"
    wsj = {"name": "博山区卫生健康局", "aliases": [], "kind": "部门", "county": "博山区"}
    assert match_units(tasks[14]["units"], wsj).reason.startswith("责任单位中点名本单位")
