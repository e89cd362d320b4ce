import re

import pytest

from core.errors import UserError
from core.exchange import signing
from db.connection import open_db


def test_fingerprint_is_four_groups_of_four_digits_and_tells_keys_apart(db):
    public = signing.own_public_key(db)
    fp = signing.fingerprint(public)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", fp)
    assert signing.fingerprint(public) == fp
    assert signing.fingerprint("00" * 32) != fp
    assert signing.own_identity(db)["fingerprint"] == fp


def test_own_key_is_made_once_beside_the_database_and_survives_reopening(tmp_path):
    path = tmp_path / "office" / "ledger.sqlite3"
    db = open_db(path)
    public = signing.ensure_own_key(db)
    key_file = path.parent / "ledger-office.key"
    assert signing.key_path(db) == key_file
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    db.conn.close()
    again = open_db(path)
    assert signing.own_public_key(again) == public
    again.conn.close()
    other = open_db(tmp_path / "other" / "ledger.sqlite3")
    assert signing.own_public_key(other) != public
    other.conn.close()


def test_a_damaged_key_file_is_a_chinese_refusal(tmp_path):
    db = open_db(tmp_path / "ledger.sqlite3")
    signing.key_path(db).write_bytes(b"not a key")
    with pytest.raises(UserError, match="私钥文件.*已损坏"):
        signing.own_public_key(db)
    db.conn.close()


def test_signature_verifies_only_with_its_key_and_unchanged_manifest(db, tmp_path):
    manifest = {"kind": "report", "members": {"data.json": "ab"}, "signature": None}
    manifest.update(signing.signer(db)(manifest))
    public = signing.own_public_key(db)
    assert manifest["signer"]["public_key"] == public and signing.signer_key(manifest) == public
    assert signing.verify(manifest, public)
    other = open_db(tmp_path / "x" / "ledger.sqlite3")
    assert not signing.verify(manifest, signing.own_public_key(other))
    other.conn.close()
    assert not signing.verify({**manifest, "members": {"data.json": "cd"}}, public)
    assert not signing.verify({**manifest, "signature": None}, public)
    assert not signing.verify({**manifest, "signature": "zz"}, public)


def test_legacy_hmac_covers_the_manifest_and_the_new_signer(db):
    key = "ab" * 32
    manifest = {"kind": "task", "members": {}, "signature": None}
    manifest.update(signing.signer(db, key)(manifest))
    assert signing.hmac_verify(manifest, key)
    assert signing.verify(manifest, signing.own_public_key(db))
    assert not signing.hmac_verify(manifest, "cd" * 32)
    swapped = {**manifest, "signer": {**manifest["signer"], "public_key": "00" * 32}}
    assert not signing.hmac_verify(swapped, key)


def test_pin_list_and_forget(db):
    public = signing.own_public_key(db)
    with db.atomic():
        signing.note_issued(db, "城东街道")
        signing.pin(db, "城东街道", signing.UNIT_ROLE, public, "first_use", "r.zwgk")
    [row] = signing.list_pinned(db)
    assert row["office"] == "城东街道" and row["fingerprint"] == signing.fingerprint(public) and row["issued_at"]
    assert signing.holder_of(db, public) == "城东街道"
    assert signing.forget(db, "城东街道")["forgotten"] == row["fingerprint"]
    assert signing.pinned(db, "城东街道") is None
    assert signing.issued_units(db) == ["城东街道"]  # the 任务包 it was issued is still known
    with pytest.raises(UserError, match="没有登记“城东街道”的签名密钥"):
        signing.forget(db, "城东街道")
