"""Applications, appeals and the annual report's figures travel in the 报送包; the county sums
three units; a package may not carry another unit's or invalid records."""

from datetime import date

from core.register import annual_report as ar
from core.register import requests
from core.exchange.packs import pack, unpack
from core.exchange import package_format as fmt
from tests.core.exchange.conftest import UNIT, unit_db

TODAY = date(2026, 6, 1)


def issue(county, unit, tmp_path, name):
    path = tmp_path / f"task-{name}.zwgk"
    pack(county, county.path, "task", path, unit=name)
    assert unpack(unit, unit.path, [path])["refused"] == 0


def register(db, n, applicant="自然人"):
    for i in range(n):
        item, _ = requests.add(db, {"received": f"2024-0{i + 3}-01", "channel": "网络", "applicant": applicant,
                                    "content": f"申请{i}"}, today=TODAY)
        requests.update(db, item["id"], {"replied": f"2024-0{i + 3}-15", "result": "1"}, today=TODAY)
    return item


def test_county_sums_three_units_from_their_report_packages(county, tmp_path):
    units = []
    for n, (name, applicant) in enumerate((("城东街道", "自然人"), ("城西街道", "商业企业"), ("山头街道", "自然人")), start=1):
        db = unit_db(tmp_path, name)
        issue(county, db, tmp_path, name)
        last = register(db, n, applicant)
        ar.set_value(db, 2024, "t2.行政处罚", str(n))
        if n == 2:
            requests.add_appeal(db, last["id"], "复议", "维持")
        path = tmp_path / f"report-{name}.zwgk"
        pack(db, db.path, "report", path)
        result = unpack(county, county.path, [path])
        assert result["rejected"] == 0, result
        units.append(db)
    data = ar.county_data(county, 2024)
    rows = {r["code"]: r["values"] for r in data["table3"]["rows"]}
    assert rows["new"] == [4, 2, 0, 0, 0, 0, 6] and rows["1"] == [4, 2, 0, 0, 0, 0, 6]
    assert data["table4"]["复议"] == [1, 0, 0, 0, 1]
    assert data["table2"]["行政处罚"] == 6
    assert [u["name"] for u in data["units"]] == ["城东街道", "城西街道", "山头街道"]
    one = ar.report_data(county, 2024, "城西街道")
    assert {r["code"]: r["values"] for r in one["table3"]["rows"]}["new"] == [0, 2, 0, 0, 0, 0, 2]
    for db in units:
        db.conn.close()


def test_another_units_or_invalid_records_are_rejected(county, unit, tmp_path, monkeypatch):
    issue(county, unit, tmp_path, UNIT)
    register(unit, 1)
    ar.set_value(unit, 2024, "t2.行政许可", "3")
    original = fmt.write_package

    def tampered(target, kind, sender, recipient, created_at, data, *rest):
        """The unit's own program, signing with its own key, but with records it must not send."""
        tables = data["tables"]
        good = tables["requests"][0]
        tables["requests"] = [good, dict(good, id="x-1", unit="山头街道"),
                              dict(good, id="x-2", replied="2024-01-01"),      # a reply before receipt
                              dict(good, id="x-3", result="9.9")]
        tables["report_values"] = [{**tables["report_values"][0], "value": "-3"}]
        return original(target, kind, sender, recipient, created_at, data, *rest)

    monkeypatch.setattr(fmt, "write_package", tampered)
    monkeypatch.setattr("core.exchange.packs.mark_sent", lambda db, tables: None)
    forged = tmp_path / "forged.zwgk"
    pack(unit, unit.path, "report", forged)
    good = fmt.read_package(forged).tables["requests"][0]
    result = unpack(county, county.path, [forged])
    assert result["rejected"] == 4, result
    reasons = " ".join(i["reason"] for i in result["details"][0]["items"])
    assert "早于收到日期" in reasons and "办理结果" in reasons and "负数" in reasons and "山头街道" in reasons
    assert [r[0] for r in county.execute("SELECT id FROM requests")] == [good["id"]]
