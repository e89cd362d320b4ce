"""The shared samples read exactly as their expected JSON."""

import json
import re

import pytest

from core.plan import read_plan

FIELDS = ("seq", "category", "requirement", "units", "deadline")


def _fold(value):
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    if isinstance(value, list):
        return [_fold(v) for v in value]
    return value


@pytest.mark.parametrize("name", ["boshan-2024-plan.docx", "boshan-2024-tasks.xlsx"])
def test_sample_reads_as_expected(samples, name):
    expected = json.loads((samples / "boshan-2024-expected.json").read_text(encoding="utf-8"))["tasks"]
    plan = read_plan(samples / name)
    got = [{k: _fold(v) for k, v in t.as_json().items() if k in FIELDS} for t in plan.tasks]
    want = [{k: _fold(t[k]) for k in FIELDS} for t in expected]
    assert len(got) == 67
    assert got == want
    assert plan.warnings == []


def test_sample_metadata(samples):
    plan = read_plan(samples / "boshan-2024-plan.docx")
    assert plan.title == "2024年博山区政务公开工作方案"
    assert plan.year == 2024
    assert plan.doc_no == "博政办字〔2024〕14号"
    assert plan.issuer == "博山区人民政府办公室"
    assert plan.issued == "2024-06-24"
    assert {"what": "政府开放活动计划安排", "date": "2024-07-08"} in plan.report_dates
    assert len(plan.source_sha256) == 64


def test_sample_json_shape(samples):
    data = read_plan(samples / "boshan-2024-plan.docx").as_json()
    for key in ("title", "year", "doc_no", "issuer", "issued", "tasks", "warnings"):
        assert key in data
    assert set(data["tasks"][0]) == {"seq", "category", "requirement", "units", "deadline", "filled"}


def test_progress_is_reported(samples):
    seen = []
    read_plan(samples / "boshan-2024-tasks.xlsx", progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)
