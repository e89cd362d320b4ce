"""The county's pages with 30 units: 单位名册, 检查考核, the merged ledger's 单位 column, and the
figures of who has reported being the same on the 数据交换 page, in the summary workbook and in
`units list`."""

import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from core import ledger, records, settings
from core.county import inspections
from core.county import roster
from core.exchange.packs import pack, unpack
from tests.conftest import run_cli
from tests.gui.conftest import wait_idle

COUNTY = "博山区人民政府办公室"
TOWNS = [f"{n}镇" for n in ("池上", "域城", "白塔", "石马", "源泉", "八陡", "山头", "南博", "北博", "西冶", "东冶", "古窑")]
STREETS = [f"{n}街道" for n in ("城东", "城西", "城南", "城北", "孝妇河", "凤凰山", "岳阳", "颜山")]
DEPTS = [f"区{n}" for n in ("司法局", "财政局", "教育和体育局", "卫生健康局", "民政局", "水利局", "审计局", "统计局", "商务局", "医疗保障局")]
TASKS = [("1", "各镇（街道）", "2024年6月底前"), ("2", "各镇人民政府", "2024年12月底前"), ("3", "县政府各部门", "2024年5月底前"),
         ("4", "各部门单位", "长期坚持"), ("5", "区司法局牵头，各镇（街道）落实", "2024年10月底前"), ("6", "各镇办", "2024年3月底前")]
REPORTING = ["城东街道", "池上镇", "区司法局", "域城镇", "区财政局"]


@pytest.fixture
def county(tmp_path):
    """A county with 30 units on the roster; five of them have sent a 报送包."""
    from db.connection import open_db
    from gui.session import Session

    s = Session(tmp_path / "county" / "ledger.sqlite3")
    db = s.db
    settings.set_profile(db, COUNTY, "县政府办公室", "汇总单位", county="博山区")
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作要点", "issued": "2024-03-01",
                                            "report_dates": json.dumps([{"what": "工作台账", "date": "2024-05-31"}])})
        for position, (seq, units, deadline) in enumerate(TASKS):
            records.insert(db, "tasks", {"plan_id": plan["id"], "position": position, "seq": seq, "category": '["重点任务"]',
                                         "requirement": f"第{seq}项工作要求", "units": units, "deadline": deadline})
    for name in TOWNS:
        roster.add_unit(db, name, "镇")
    for name in STREETS:
        roster.add_unit(db, name, "街道")
    for name in DEPTS:
        roster.add_unit(db, name, "部门")
    for i, name in enumerate(REPORTING):
        task = tmp_path / f"{name}-任务包.zwgk"
        pack(db, s.db_path, "task", task, unit=name)
        path = tmp_path / name / "ledger.sqlite3"
        unit = open_db(path)
        kind = roster.list_units(db)[[u["name"] for u in roster.list_units(db)].index(name)]["kind"]
        settings.set_profile(unit, name, kind, "填报单位", county="博山区")
        unpack(unit, path, [task])
        entries = ledger.list_entries(unit)
        with unit.atomic():
            records.update(unit, "entries", entries[0]["id"], {"status": "已完成", "completed_on": "2024-05-20"})
        if i % 2:
            ledger.add_progress(unit, entries[-1]["id"], "2024-05-25", "推进中")
        report = tmp_path / "inbox" / f"{name}-报送包.zwgk"
        pack(unit, path, "report", report)
        unit.conn.close()
    unpack(db, s.db_path, [tmp_path / "inbox"])
    inspections.add_finding(db, "城东街道", "2024-04-10", "季度检查", "政策解读栏目更新不及时", "主动公开", 2, "2024-05-10")
    inspections.add_finding(db, "池上镇", (date.today() - timedelta(days=20)).isoformat(), "日常抽测", "索引号错误", "主动公开", 1,
                            (date.today() + timedelta(days=10)).isoformat())
    inspections.add_finding(db, "区财政局", (date.today() - timedelta(days=2)).isoformat(), "日常抽测", "预决算公开不完整", "主动公开", 1,
                            (date.today() + timedelta(days=30)).isoformat())
    yield s
    s.close()


def test_who_has_reported_is_the_same_in_the_three_places(qtbot, county, tmp_path):
    from gui.pages.exchange import ExchangePage

    page = ExchangePage(county)
    qtbot.addWidget(page)
    wait_idle(qtbot)
    m = page.state_model
    on_page = {m.value(r, 0): (int(m.value(r, 1)), int(m.value(r, 2)), int(m.value(r, 3)), m.value(r, 4))
               for r in range(m.rowCount()) if int(m.value(r, 1))}

    out = tmp_path / "汇总.xlsx"
    from core.export import export

    export(county.db, "summary", "xlsx", out, year=2024)
    ws = load_workbook(out).active
    in_book = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1] and row[1] != "合计":
            in_book[row[1]] = (row[2], row[3], row[7], row[10])

    listed = json.loads(run_cli("units", "list", "--year", "2024", "--json", db_path=county.db_path).stdout)["units"]
    in_cli = {u["name"]: (u["entries"], u["done"], u["overdue"], u["last_report"] or "未报送") for u in listed if u["entries"]}

    assert set(on_page) == set(REPORTING)
    assert on_page == in_book == in_cli
    assert all(v[3] == date.today().isoformat() for v in on_page.values())  # the 报送包 came today
    late = {u["name"] for u in listed if u["late"]}
    assert late and not (late & set(REPORTING)) and "山头镇" in late


def test_units_page_with_30_units(qtbot, county, tmp_path):
    from gui.pages.units import BLUE, RED, YELLOW, UnitsPage

    page = UnitsPage(county)
    qtbot.addWidget(page)
    wait_idle(qtbot)
    m = page.model
    assert m.rowCount() == 30
    rows = {m.rows[r]["unit"]: r for r in range(m.rowCount())}
    tasks = {m.value(r, 0): int(m.value(r, 2)) for r in range(m.rowCount())}
    # 各镇（街道）+各镇人民政府+执法 clause+各镇办 for towns; streets lack 各镇人民政府; departments 2, 司法局 3.
    assert tasks["池上镇"] == 4 and tasks["城东街道"] == 3 and tasks["区财政局"] == 2 and tasks["区司法局"] == 3
    assert m.tint(m.rows[rows["城东街道"]]) == RED  # correction overdue
    assert m.tint(m.rows[rows["池上镇"]]) == YELLOW  # correction behind schedule
    assert m.tint(m.rows[rows["区财政局"]]) == BLUE  # correction in progress
    assert m.tint(m.rows[rows["山头镇"]]) == RED  # nothing arrived after 5月31日
    assert m.value(rows["山头镇"], 12) == "逾期未报"
    page.resize(1024, 700)
    page.show()
    page.grab().save("/tmp/county_units_page.png")

    out = tmp_path / "packs"
    page.pack_into(str(out))
    wait_idle(qtbot)
    assert len(list(out.glob("*-任务包.zwgk"))) == 30


def test_inspections_page_both_sides(qtbot, county, tmp_path, monkeypatch):
    from gui.pages.inspections import InspectionsPage

    page = InspectionsPage(county)
    qtbot.addWidget(page)
    wait_idle(qtbot)
    assert page.finding_model.rowCount() == 3
    states = {f["unit"]: f["state"] for f in page.finding_model.rows}
    assert states == {"城东街道": "overdue", "池上镇": "behind", "区财政局": "open"}
    page.year.setValue(2024)
    wait_idle(qtbot)
    scores = {u["name"]: (u["score"], u["rank"]) for u in page.score_model.rows}
    assert len(scores) == 30 and scores["城东街道"] == (98, 30)
    page.resize(1024, 700)
    page.show()
    page.grab().save("/tmp/county_inspections_page.png")
    page.write_notice("2024Q2", str(tmp_path / "通报.docx"))
    wait_idle(qtbot)
    assert (tmp_path / "通报.docx").stat().st_size > 0


def test_merged_ledger_has_a_unit_column_and_filter(qtbot, county):
    from gui.ledger_model import COLUMNS
    from gui.pages.ledger import LedgerPage

    page = LedgerPage(county)
    qtbot.addWidget(page)
    column = [c[0] for c in COLUMNS].index("unit")
    header = page.view.horizontalHeader()
    assert not header.isSectionHidden(column) and header.visualIndex(column) == 0
    units = {page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())}
    assert units == set(REPORTING)
    page.unit.setCurrentIndex(page.unit.findData("池上镇"))
    assert {page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())} == {"池上镇"}
    page.unit.setCurrentIndex(0)
    page.model.sort(column)
    names = [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]
    assert names == sorted(names)
    page.resize(1024, 700)
    page.show()
    page.grab().save("/tmp/county_ledger_page.png")


def test_a_unit_sees_its_findings_and_records_the_correction(qtbot, county, tmp_path):
    """The unit's side: the finding arrives in its 任务包, shows red, and the correction goes back."""
    from gui.pages.inspections import InspectionsPage
    from gui.session import Session

    task = tmp_path / "城东-任务包.zwgk"
    pack(county.db, county.db_path, "task", task, unit="城东街道")
    unit = Session(tmp_path / "城东街道" / "ledger.sqlite3")
    try:
        unpack(unit.db, unit.db_path, [task])
        page = InspectionsPage(unit)
        qtbot.addWidget(page)
        wait_idle(qtbot)
        assert not page.add_button.isVisibleTo(page) and not page.score_group.isVisibleTo(page)
        assert page.fix_button.text() == "登记整改…"
        [finding] = page.finding_model.rows
        assert finding["unit"] == "城东街道" and finding["state"] == "overdue"
        inspections.fix(unit.db, finding["id"], "2024-05-09", "已补充解读材料", "http://www.boshan.gov.cn/x")
        page.show()  # a hidden page would only refresh once shown
        unit.publish({"inspections"})
        wait_idle(qtbot)
        assert page.finding_model.rows[0]["state"] == "fixed"
        report = tmp_path / "城东-报送包.zwgk"
        pack(unit.db, unit.db_path, "report", report)
    finally:
        unit.close()
    unpack(county.db, county.db_path, [report])
    mine = inspections.list_findings(county.db, unit="城东街道")[0]
    assert mine["corrected_on"] == "2024-05-09" and mine["evidence"] == "http://www.boshan.gov.cn/x"
