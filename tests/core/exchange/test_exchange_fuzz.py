"""Fuzz: random field types and values in otherwise valid, correctly signed 报送包, and damaged bytes.

Whatever arrives, importing never fails with an internal error (exit 1), and nothing stored at the
county breaks the record schema (core.exchange.validate) or the plain invariants checked here.
"""

import itertools
import json
import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from core import ledger, settings
from core.ledger import activities
from core.ledger import attachments
from core.exchange import package_format as fmt
from core.exchange import packs, validate
from core.exchange.packs import pack, unpack
from db.connection import open_db
from db.schema import SYNCED_TABLES
from tests.conftest import run_cli
from tests.core.exchange.conftest import COUNTY, UNIT, make_plan

_NEWER = itertools.count(1000)
INTERNAL = "无法导入（"  # the words of the catch-all for an unexpected failure (core.exchange.packs)
TABLES = ("entries", "measures", "progress", "events", "activities", "attachments", "plans", "tasks", "bogus")
FIELDS = sorted({f for t in SYNCED_TABLES for f in validate.schema(t)[0]} |
                {"id", "rev", "updated_at", "updated_by", "device", "deleted", "zz_unknown"})
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(), st.text(max_size=12),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["黑客状态", "not-a-date", "2024-13-45", "abc", "../../etc/passwd", "CON", "aux.txt:s", "file:///etc/passwd",
                     "\\\\host\\share\\x.exe", "9999-01-01", "2024-07-01", "a\x00b", "已完成", "link", "file", "[1]", "[", "e-0"]),
)


def _fields_of(table: str) -> list:
    """The fields a mutation of `table` picks from: its own, mostly, and now and then any other."""
    spec = validate.schema(table)
    own = sorted(spec[0]) if spec else []
    return own * 4 + ["id", "rev", "updated_at", "deleted", "zz_unknown"] + FIELDS


MUTATION = st.sampled_from(TABLES).flatmap(lambda table: st.tuples(
    st.just(table), st.integers(0, 3), st.sampled_from(_fields_of(table)), VALUES,
    st.sampled_from(["set", "set", "set", "drop", "copy"])))


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    """A county that issued a 任务包 to a unit with a little of everything in its ledger."""
    root = tmp_path_factory.mktemp("fuzz")
    county = open_db(root / "county" / "ledger.sqlite3")
    settings.set_profile(county, COUNTY, "县政府办公室", "汇总单位", county="博山区")
    make_plan(county)
    county.path = root / "county" / "ledger.sqlite3"
    unit = open_db(root / "unit" / "ledger.sqlite3")
    settings.set_profile(unit, UNIT, "街道", "填报单位", county="博山区")
    unit.path = root / "unit" / "ledger.sqlite3"
    task = root / "task.zwgk"
    pack(county, county.path, "task", task, unit=UNIT)
    assert unpack(unit, unit.path, [task])["refused"] == 0
    for entry in ledger.list_entries(unit):
        ledger.update_entry(unit, entry["id"], {"status": "推进中", "note": "备注"})
        ledger.set_measures(unit, entry["id"], ["举措一", "举措二"])
        progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "进展")
        ledger.add_event(unit, entry["id"], "2024-06-01", "事项")
        attachments.add_link(unit, progress["id"], "https://www.example.gov.cn/a.html")
        source = root / f"{entry['id'][:8]}.pdf"
        source.write_bytes(b"%PDF evidence")
        attachments.add_file(unit, unit.path, progress["id"], source)
    activities.add(unit, {"theme": "政府开放日", "time_text": "7月", "place": "街道办", "content": "参观",
                          "audience": "群众", "contact": "张三", "phone": "0533-1234567"})
    yield {"county": county, "unit": unit, "root": root}
    county.conn.close()
    unit.conn.close()


def mutate(tables: dict, mutations) -> None:
    """Apply (table, index, field, value, mode) mutations to a package's tables in place."""
    for table, index, field, value, mode in mutations:
        rows = tables.setdefault(table, [])
        if not rows:
            rows.append({"id": "new-row", "rev": 1, "updated_at": "2024-07-01T00:00:00+00:00", "updated_by": UNIT,
                         "device": "d", "deleted": 0})
        row = rows[index % len(rows)]
        if mode == "copy":
            row = {**row, "id": f"copy-{len(rows)}"}
            rows.append(row)
        if mode == "drop":
            row.pop(field, None)
        else:
            row[field] = value
        if field != "rev" and isinstance(row.get("rev"), int) and not isinstance(row["rev"], bool):
            row["rev"] += next(_NEWER)  # a newer version, so the merge would really store it


def fuzzed_report(unit, path, mutations, monkeypatch) -> None:
    """Pack the unit's genuine 报送包 (signed as packs signs it) with its tables mutated first."""
    original = fmt.write_package

    def altered(target, kind, sender, recipient, created_at, data, *rest):
        mutate(data["tables"], mutations)
        return original(target, kind, sender, recipient, created_at, data, *rest)

    with monkeypatch.context() as m:
        m.setattr(fmt, "write_package", altered)
        m.setattr(packs, "mark_sent", lambda db, tables: None)
        m.setattr(packs, "_report_sheet", lambda db, unit, tables: b"ledger")
        pack(unit, unit.path, "report", path)


def assert_nothing_invalid_stored(db) -> None:
    for table in SYNCED_TABLES:
        cursor = db.execute(f"SELECT * FROM [{table}]")
        columns = [c[0] for c in cursor.description]
        for values in cursor:
            row = dict(zip(columns, values))
            assert validate.check_record(table, row) is None, (table, row)
    assert db.execute("SELECT count(*) FROM entries WHERE status NOT IN ('未开始', '推进中', '已完成', '长期坚持')"
                      " OR typeof(year) != 'integer' OR typeof(rev) != 'integer'").fetchone()[0] == 0
    folder = attachments.folder(db.path).resolve()
    for (name,) in db.execute("SELECT stored_name FROM attachments WHERE kind = 'file'"):
        assert (folder / name).resolve().parent == folder
    for (url,) in db.execute("SELECT url FROM attachments WHERE kind = 'link'"):
        assert url.startswith(("http://", "https://"))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=5))
def test_random_field_values_never_crash_and_are_never_stored(offices, mutations, monkeypatch):
    path = offices["root"] / "fuzzed.zwgk"
    try:
        fuzzed_report(offices["unit"], path, mutations, monkeypatch)
    except (ValueError, TypeError, OverflowError):
        return  # JSON cannot even hold this value: no package to import
    detail = unpack(offices["county"], offices["county"].path, [path])["details"][0]
    assert detail["error"] is None or INTERNAL not in detail["error"], detail["error"]
    json.dumps(detail, ensure_ascii=False)  # the report itself can always be printed with --json
    if detail["error"] is None and detail["rejected"] == 0:
        assert detail["result"] == "已导入"
    elif detail["error"] is None:
        assert detail["result"].startswith("部分导入")
    assert_nothing_invalid_stored(offices["county"])


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6), cut=st.booleans())
def test_damaged_package_bytes_are_refused_in_words(offices, flips, cut):
    good = offices["root"] / "good.zwgk"
    if not good.exists():
        pack(offices["unit"], offices["unit"].path, "report", good)
    data = bytearray(good.read_bytes())
    for where, byte in flips:
        data[min(int(where * len(data)), len(data) - 1)] = byte
    if cut:
        data = data[: len(data) // 2]
    damaged = offices["root"] / "damaged.zwgk"
    damaged.write_bytes(bytes(data))
    detail = unpack(offices["county"], offices["county"].path, [damaged])["details"][0]
    assert detail["error"] is None or INTERNAL not in detail["error"], detail["error"]
    assert_nothing_invalid_stored(offices["county"])


def test_a_batch_of_fuzzed_packages_through_the_command_line_never_exits_1(offices, monkeypatch, tmp_path):
    rnd = random.Random(11)
    values = [None, True, -1, 2 ** 64, 1.5, "", "黑客状态", "not-a-date", [1], {"a": 1}, "../x", "CON", "file:///x", "a\x00"]
    paths = []
    for n in range(6):
        mutations = [(rnd.choice(TABLES[:6]), rnd.randrange(4), rnd.choice(FIELDS), rnd.choice(values), "set") for _ in range(3)]
        path = tmp_path / f"f{n}.zwgk"
        fuzzed_report(offices["unit"], path, mutations, monkeypatch)
        paths.append(path)
    db_copy = tmp_path / "county.sqlite3"
    shutil.copyfile(offices["county"].path, db_copy)
    offices["county"].conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copyfile(offices["county"].path, db_copy)
    result = run_cli("unpack", *paths, "--json", db_path=db_copy)
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert len(report["details"]) == len(paths)
