"""Broken and hostile roster / scoring-rule workbooks through `units import` and `score rules`.

Every file ends with exit 0 (a readable, valid sheet) or exit 2 and one Chinese line, never a
traceback, and a refused file leaves the database exactly as it was.
"""

import io
import random

import pytest
from openpyxl import Workbook

from tests.robustness import corpus
from tests.robustness.conftest import content_hash
from tests.robustness.test_hostile_input import CHINESE, run_in_process


def _book(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROSTER = _book([("单位名称", "类型", "别名", "联系人", "联系电话"), ("城东街道", "街道", "城东街道办事处", "王敏", "0533-4180001"),
                ("池上镇", "镇", "", "", ""), ("区司法局", "部门", "", "", "")])
RULES = _book([("指标", "分值", "扣分规则"), ("主动公开", 10, "发布不及时每次扣5分"), ("年报", 10, "逾期扣5分")])
BAD_ROWS = [
    [("单位名称", "类型"), ("城东街道", "乡")],
    [("单位名称", "类型"), ("x" * 5000, "镇")],
    [("单位名称", "类型"), ("=cmd|' /C calc'!A0", "部门"), ("城东街道", "街道"), ("城东街道", "街道")],
    [("单位名称", "类型"), ("城东街道", ""), ("", "镇")],
    [("指标", "分值"), ("主动公开", "1e999")],
    [("指标", "分值"), ("主动公开", -3)],
    [("指标", "分值"), ("主动公开", "NaN")],
]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county-files")
    db = folder / "county.sqlite3"
    code, _, err = run_in_process(["profile", "set", "--name", "博山区政府办公室", "--kind", "县政府办公室", "--role", "汇总单位",
                                   "--db", str(db)])
    assert code == 0, err
    return folder, db


def cases(folder, mutations=40, kinds=corpus.NOT_DOCUMENT_KINDS):
    rng = random.Random(15)
    out = []
    for label, source, command in (("roster", ROSTER, ("units", "import")), ("rules", RULES, ("score", "rules"))):
        for i in range(mutations):
            mutation = rng.choice(corpus.ZIP_MUTATIONS)
            data, _ = mutation(rng, source)
            out.append((folder / f"{label}-{i:02d}-{mutation.__name__}.xlsx", data, command))
        for kind in kinds:
            data, _ = corpus.not_a_document(rng, kind)
            out.append((folder / f"{label}-{kind}.xlsx", data, command))
    for i, rows in enumerate(BAD_ROWS):
        command = ("score", "rules") if rows[0][0] == "指标" else ("units", "import")
        out.append((folder / f"bad-{i}.xlsx", _book(rows), command))
    return out


def refusal_problems(db, workbooks) -> list[str]:
    problems = []
    for path, data, command in workbooks:
        path.write_bytes(data)
        before = content_hash(db)
        code, out, err = run_in_process([*command, str(path), "--db", str(db)])
        after = content_hash(db)
        if "Traceback" in err or "程序内部错误" in err or code not in (0, 2):
            problems.append(f"{path.name}: exit {code} {err.strip()[-200:]}")
        if code == 2:
            if len(err.strip().splitlines()) != 1 or not CHINESE.search(err):
                problems.append(f"{path.name}: stderr {err.strip()[:200]!r}")
            if after != before:
                problems.append(f"{path.name}: refused but the database changed")
        if path.name.startswith("bad-") and code != 2:
            problems.append(f"{path.name}: a wrong sheet was accepted")
    return problems


def test_a_few_hostile_workbooks_are_refused_cleanly(county):
    """Quick tier: every wrong sheet, a few damaged files and a few that are no workbook at all."""
    folder, db = county
    (folder / "quick").mkdir()
    assert refusal_problems(db, cases(folder / "quick", mutations=4, kinds=("empty", "ole-encrypted", "zip-junk"))) == []


@pytest.mark.slow
def test_hostile_workbooks_are_refused_cleanly(county):
    folder, db = county
    assert refusal_problems(db, cases(folder)) == []
