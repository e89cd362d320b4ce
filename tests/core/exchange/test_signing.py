import pytest

from core.errors import UserError
from core.exchange import signing


def test_signature_verifies_only_with_the_same_key_and_manifest():
    key, other = signing.new_key(), signing.new_key()
    manifest = {"kind": "report", "members": {"data.json": "ab"}, "signature": None}
    manifest["signature"] = signing.sign(manifest, key)
    assert signing.verify(manifest, key)
    assert not signing.verify(manifest, other)
    assert not signing.verify({**manifest, "members": {"data.json": "cd"}}, key)
    assert not signing.verify({**manifest, "signature": None}, key)


def test_keys_are_created_once_per_unit(db):
    first = signing.ensure_key(db, "城东街道")
    assert signing.ensure_key(db, "城东街道") == first
    assert signing.ensure_key(db, "山头街道") != first
    assert signing.known_units(db) == ["山头街道", "城东街道"] or set(signing.known_units(db)) == {"山头街道", "城东街道"}


def test_a_unit_refuses_a_different_key_for_itself(db):
    key = signing.new_key()
    signing.install_key(db, "城东街道", key)
    signing.install_key(db, "城东街道", key)
    with pytest.raises(UserError, match="签名密钥与本机已保存的不同"):
        signing.install_key(db, "城东街道", signing.new_key())
    assert signing.get_key(db, "城东街道") == key
