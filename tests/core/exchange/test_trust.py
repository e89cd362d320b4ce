"""Who sent a package: pinned Ed25519 keys, forged 任务包, the HMAC migration, recipients."""

import base64
import json
import re
import zipfile

from core import ledger, records, settings
from core.exchange.packs import pack, unpack
from core.exchange import package_format as fmt
from core.exchange import signing
from db.connection import open_db
from tests.core.exchange.conftest import COUNTY, OTHER, UNIT, counts


def issue(county, unit, tmp_path, name=UNIT, file="task.zwgk", **kw):
    path = tmp_path / file
    pack(county, county.path, "task", path, unit=name)
    report = unpack(unit, unit.path, [path], **kw)
    return path, report


def members(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def forge(genuine, target, change_data, signer=None, manifest_change=None):
    """A package built from everything `genuine` contains: data.json changed by change_data(data),
    hashes and sizes recomputed; kept signature (signer None) or re-signed with `signer`."""
    parts = members(genuine)
    manifest = json.loads(parts.pop("manifest.json"))
    data = json.loads(parts["data.json"])
    change_data(data)
    parts["data.json"] = json.dumps(data, ensure_ascii=False).encode()
    manifest["members"] = {n: fmt.sha256(b) for n, b in sorted(parts.items())}
    manifest["sizes"] = {n: len(b) for n, b in sorted(parts.items())}
    manifest["total_bytes"] = sum(manifest["sizes"].values())
    if manifest_change:
        manifest_change(manifest)
    if signer is not None:
        manifest.pop("legacy_hmac", None)
        manifest["signature"] = None
        manifest.update(signer(manifest))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for name, content in parts.items():
            zf.writestr(name, content)
    return target


def rewrite_everything(data):
    for task in data["tables"]["tasks"]:
        task.update(requirement="全部改写", rev=task["rev"] + 5)
    for entry in data["tables"]["entries"]:
        entry.update(status="已完成", rev=entry["rev"] + 5)


def attacker(tmp_path):
    db = open_db(tmp_path / "attacker" / "ledger.sqlite3")
    return db, signing.signer(db)


# ---- the 任务包 ---------------------------------------------------------------------------


def test_a_task_package_carries_no_key_and_pins_the_county(county, unit, tmp_path):
    path, report = issue(county, unit, tmp_path)
    assert report["refused"] == 0
    data = json.loads(members(path)["data.json"])
    assert "unit_key" not in data and set(data) == {"tables"}
    [detail] = report["details"]
    assert detail["signer"] == {"office": COUNTY, "fingerprint": signing.own_identity(county)["fingerprint"],
                                "new": True, "how": "first_use"}
    pinned = signing.pinned_county(unit)
    assert pinned["office"] == COUNTY and pinned["public_key"] == signing.own_public_key(county)
    _, again = issue(county, unit, tmp_path, file="task2.zwgk")
    assert again["details"][0]["signer"]["new"] is False and again["details"][0]["signer"]["how"] == "pinned"


def test_a_task_package_forged_from_an_earlier_genuine_one_is_refused(county, unit, tmp_path):
    genuine, _ = issue(county, unit, tmp_path)
    before = counts(unit)
    statuses = sorted(e["status"] for e in ledger.list_entries(unit))
    bad, sign = attacker(tmp_path)
    kept_signature = forge(genuine, tmp_path / "f1.zwgk", rewrite_everything)
    own_key = forge(genuine, tmp_path / "f2.zwgk", rewrite_everything, signer=sign)
    renamed = forge(genuine, tmp_path / "f3.zwgk", rewrite_everything, signer=sign,
                    manifest_change=lambda m: m.update(sender="博山区人民政府办公室（新）"))
    result = unpack(unit, unit.path, [kept_signature, own_key, renamed])
    errors = [d["error"] for d in result["details"]]
    assert result["refused"] == 3
    assert "签名核验失败" in errors[0]
    for error in errors[1:]:
        assert "签名密钥与本机登记的" in error and f"请打电话给县政务公开科（{COUNTY}）核对指纹" in error
    assert counts(unit) == before
    assert sorted(e["status"] for e in ledger.list_entries(unit)) == statuses
    assert signing.pinned_county(unit)["public_key"] == signing.own_public_key(county)
    bad.conn.close()


def test_the_window_asks_before_pinning_a_first_key(county, unit, tmp_path):
    path = tmp_path / "task.zwgk"
    pack(county, county.path, "task", path, unit=UNIT)
    before = counts(unit)
    asked = unpack(unit, unit.path, [path], accept_new=set())
    [detail] = asked["details"]
    assert asked["refused"] == 1 and "首次收到" in detail["error"] and "核对指纹" in detail["error"]
    assert detail["new_key"]["public_key"] == signing.own_public_key(county)
    assert detail["new_key"]["fingerprint"] == signing.own_identity(county)["fingerprint"]
    assert counts(unit) == before and signing.pinned_county(unit) is None
    confirmed = unpack(unit, unit.path, [path], accept_new={detail["new_key"]["public_key"]})
    assert confirmed["refused"] == 0 and signing.pinned_county(unit) is not None


# ---- the 报送包 ---------------------------------------------------------------------------


def test_the_county_pins_each_unit_and_refuses_another_key_naming_whom_to_call(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    first = tmp_path / "r1.zwgk"
    pack(unit, unit.path, "report", first)
    result = unpack(county, county.path, [first])
    assert result["refused"] == 0 and result["details"][0]["signer"]["new"] is True
    assert signing.pinned(county, UNIT)["public_key"] == signing.own_public_key(unit)
    # the unit's key file is lost (a new PC without the backup): a new key, refused until replaced
    signing.key_path(unit).unlink()
    second = tmp_path / "r2.zwgk"
    pack(unit, unit.path, "report", second)
    before = counts(county)
    refused = unpack(county, county.path, [second])
    error = refused["details"][0]["error"]
    assert refused["refused"] == 1 and "请打电话给“城东街道”核对指纹" in error and "设置 → 密钥" in error
    assert counts(county) == before
    signing.forget(county, UNIT)  # the explicit act in 设置 → 密钥 (or `keys forget`)
    assert unpack(county, county.path, [second])["refused"] == 0
    assert signing.pinned(county, UNIT)["public_key"] == signing.own_public_key(unit)


def test_a_report_using_another_units_pinned_key_is_refused(county, unit, other_unit, tmp_path):
    issue(county, unit, tmp_path)
    issue(county, other_unit, tmp_path, OTHER, file="task-other.zwgk")
    real = tmp_path / "r.zwgk"
    pack(unit, unit.path, "report", real)
    assert unpack(county, county.path, [real])["refused"] == 0

    def claim_other(data):
        for entry in data["tables"]["entries"]:
            entry["unit"] = OTHER

    forged = forge(real, tmp_path / "as-other.zwgk", claim_other, signer=signing.signer(unit),
                   manifest_change=lambda m: m.update(sender=OTHER))
    error = unpack(county, county.path, [forged])["details"][0]["error"]
    assert "本机为“城东街道”登记的签名密钥" in error


def test_a_report_for_another_county_office_is_refused(county, unit, tmp_path):
    issue(county, unit, tmp_path)
    settings.put(unit, "exchange.county", "淄川区政府办公室")
    path = tmp_path / "r.zwgk"
    pack(unit, unit.path, "report", path)
    before = counts(county)
    error = unpack(county, county.path, [path])["details"][0]["error"]
    assert "是报给“淄川区政府办公室”的" in error and "别名" in error
    assert counts(county) == before
    settings.set_profile(county, COUNTY, "县政府办公室", "汇总单位", aliases=["淄川区政府办公室"])
    assert unpack(county, county.path, [path])["refused"] == 0


# ---- the private key never travels ------------------------------------------------------


def private_forms(db) -> list[bytes]:
    pem = signing.key_path(db).read_bytes()
    body = b"".join(line for line in pem.splitlines() if not line.startswith(b"-----"))
    raw = base64.b64decode(body)[-32:]  # PKCS#8 ends with the 32-byte seed
    return [pem, body, raw, raw.hex().encode(), base64.b64encode(raw)]


def test_no_package_ever_holds_a_private_key(county, unit, tmp_path):
    task, _ = issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    ledger.add_progress(unit, entry["id"], "2024-07-01", "召开专题会议")
    report = tmp_path / "r.zwgk"
    pack(unit, unit.path, "report", report)
    secrets = private_forms(county) + private_forms(unit)
    for path in (task, report):
        blobs = [path.read_bytes(), *members(path).values()]
        for blob in blobs:
            for secret in secrets:
                assert secret not in blob, f"{path.name} holds a private key"
    manifest = json.loads(members(report)["manifest.json"])
    assert set(manifest["signer"]) == {"alg", "public_key", "fingerprint"}


# ---- migration from the format-1 HMAC keys ----------------------------------------------


def upgraded_pair(county, unit, tmp_path):
    """Both offices as after an upgrade: the unit imported a format-1 任务包 (plan, entries and
    the HMAC key it carried); neither has pinned an Ed25519 key yet."""
    path = tmp_path / "seed.zwgk"
    pack(county, county.path, "task", path, unit=UNIT)
    unpack(unit, unit.path, [path])
    key = "5a" * 32
    with unit.atomic():
        unit.execute("DELETE FROM office_keys")
        unit.execute("INSERT INTO unit_keys(unit, key, created_at) VALUES (?, ?, ?)", [UNIT, key, records.utc_now()])
    with county.atomic():
        county.execute("DELETE FROM office_keys")
        county.execute("INSERT INTO unit_keys(unit, key, created_at) VALUES (?, ?, ?)", [UNIT, key, records.utc_now()])
    return key


def test_the_first_new_packages_after_the_upgrade_need_the_old_hmac_key(county, unit, tmp_path):
    key = upgraded_pair(county, unit, tmp_path)
    assert signing.issued_units(county) == [UNIT]  # the format-1 key counts as a 任务包 issued
    task = tmp_path / "t.zwgk"
    pack(county, county.path, "task", task, unit=UNIT)
    manifest = json.loads(members(task)["manifest.json"])
    assert signing.hmac_verify(manifest, key)
    # a first new-style 任务包 from someone without the old key is refused, even on the command line
    bad, sign = attacker(tmp_path)
    forged = forge(task, tmp_path / "forged.zwgk", rewrite_everything, signer=sign)
    error = unpack(unit, unit.path, [forged])["details"][0]["error"]
    assert "没有用双方原有的密钥签名" in error and signing.pinned_county(unit) is None
    genuine = unpack(unit, unit.path, [task])
    assert genuine["refused"] == 0 and genuine["details"][0]["signer"]["how"] == "legacy_hmac"
    assert signing.pinned_county(unit)["pinned_how"] == "legacy_hmac"
    report = tmp_path / "r.zwgk"
    pack(unit, unit.path, "report", report)
    assert signing.hmac_verify(json.loads(members(report)["manifest.json"]), key)
    no_hmac = forge(report, tmp_path / "r-forged.zwgk", lambda d: None, signer=sign)
    assert "没有用双方原有的密钥签名" in unpack(county, county.path, [no_hmac])["details"][0]["error"]
    merged = unpack(county, county.path, [report])
    assert merged["refused"] == 0 and merged["details"][0]["signer"]["how"] == "legacy_hmac"
    assert signing.pinned(county, UNIT)["public_key"] == signing.own_public_key(unit)
    bad.conn.close()


def test_format_1_packages_are_refused_with_an_upgrade_message(county, unit, tmp_path):
    path, _ = issue(county, unit, tmp_path)
    old = forge(path, tmp_path / "old.zwgk", lambda d: None, manifest_change=lambda m: m.update(format_version=1))
    error = unpack(unit, unit.path, [old])["details"][0]["error"]
    assert re.search("旧版本程序生成.*升级", error)


# ---- memory -----------------------------------------------------------------------------


def test_a_45_mb_report_imports_with_memory_far_under_100_mb(county, unit, tmp_path):
    import os
    import tracemalloc

    from core.ledger import attachments

    issue(county, unit, tmp_path)
    entry = ledger.list_entries(unit)[0]
    progress = ledger.add_progress(unit, entry["id"], "2024-07-01", "活动录像")
    video = tmp_path / "录像.mp4"
    video.write_bytes(os.urandom(45 << 20))
    stored = attachments.add_file(unit, unit.path, progress["id"], video)["stored_name"]
    path = tmp_path / "big.zwgk"
    pack(unit, unit.path, "report", path)
    assert path.stat().st_size > 45 << 20
    tracemalloc.start()
    try:
        result = unpack(county, county.path, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result["refused"] == 0, result
    assert (county.path.parent / "ledger-attachments" / stored).read_bytes() == video.read_bytes()
    assert peak < 24 << 20, peak  # the attachment is streamed to disk, never held whole
