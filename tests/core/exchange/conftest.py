"""Fixtures for the exchange tests: a county and a unit database with a small plan."""

import json
import zipfile

import pytest

from core import records, settings
from db.connection import open_db

COUNTY = "博山区政府办公室"
UNIT = "城东街道"
OTHER = "山头街道"
TASKS = [
    ("1", ["加强政策解读"], "围绕重大政策开展多元化解读，形式不少于3种", "各镇（街道）", "2024年年底前"),
    ("2", ["推进基层政务公开标准化"], "更新完善基层政务公开事项标准目录", "各镇（街道）", "2024年10月底前"),
    ("3", ["做好政府信息公开年报"], "按时发布政府信息公开工作年度报告", "区政府各部门单位", "每年1月31日前"),
]


def make_plan(db) -> dict:
    """Insert a plan with three tasks; returns {"plan": id, "tasks": [ids]}."""
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作要点", "issued": "2024-06-24"})
        ids = []
        for position, (seq, category, requirement, units, deadline) in enumerate(TASKS):
            row = records.insert(db, "tasks", {"plan_id": plan["id"], "position": position, "seq": seq,
                                               "category": json.dumps(category, ensure_ascii=False),
                                               "requirement": requirement, "units": units, "deadline": deadline})
            ids.append(row["id"])
    return {"plan": plan["id"], "tasks": ids}


@pytest.fixture
def county(tmp_path):
    """A county (汇总单位) database file holding the plan."""
    path = tmp_path / "county" / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, COUNTY, "县政府办公室", "汇总单位", county="博山区")
    db.plan = make_plan(db)
    db.path = path
    yield db
    db.conn.close()


def unit_db(tmp_path, name=UNIT):
    path = tmp_path / name / "ledger.sqlite3"
    db = open_db(path)
    settings.set_profile(db, name, "街道", "填报单位", county="博山区")
    db.path = path
    return db


@pytest.fixture
def unit(tmp_path):
    """A unit (填报单位) database file with no plan yet."""
    db = unit_db(tmp_path)
    yield db
    db.conn.close()


@pytest.fixture
def other_unit(tmp_path):
    db = unit_db(tmp_path, OTHER)
    yield db
    db.conn.close()


def rewrite_zip(src, dst, change):
    """Copy the zip `src` to `dst`, passing each (name, bytes) through change() → [(name, bytes)]."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            for name, data in change(info.filename, zin.read(info)):
                zout.writestr(name, data)
    return dst


def counts(db) -> dict:
    """Rows per synced table and conflicts, to show that nothing changed."""
    tables = ("plans", "tasks", "entries", "measures", "progress", "attachments", "events", "activities", "conflicts", "unit_keys")
    return {t: db.execute(f"SELECT count(*), coalesce(sum(rev), 0) FROM [{t}]" if t not in ("conflicts", "unit_keys")
                          else f"SELECT count(*) FROM [{t}]").fetchone() for t in tables}
