"""HMAC-SHA256 signing of package manifests, with one key per unit kept in table unit_keys.

The county generates a key per unit and sends it inside that unit's 任务包; the unit keeps
it and signs its 报送包 with it. The signature covers the manifest minus its signature,
and the manifest lists the sha256 of every member, so it covers the whole package.
"""

import hashlib
import hmac
import secrets

from core.errors import UserError
from core.exchange.package_format import canonical


def new_key() -> str:
    """A fresh random 256-bit key, as hex."""
    return secrets.token_hex(32)


def get_key(db, unit: str) -> str | None:
    """The key stored for `unit`, or None."""
    row = db.execute("SELECT key FROM unit_keys WHERE unit = ?", [unit]).fetchone()
    return row[0] if row else None


def ensure_key(db, unit: str) -> str:
    """The key for `unit`, generated and stored on first use (county side)."""
    from core.records import utc_now

    key = get_key(db, unit)
    if key is None:
        key = new_key()
        db.execute("INSERT INTO unit_keys(unit, key, created_at) VALUES (?, ?, ?)", [unit, key, utc_now()])
    return key


def install_key(db, unit: str, key: str) -> None:
    """Store the key received in a 任务包 (unit side); refuse a different key for the same unit."""
    from core.records import utc_now

    current = get_key(db, unit)
    if current == key:
        return
    if current is not None:
        raise UserError(
            f"此任务包携带的“{unit}”签名密钥与本机已保存的不同，已拒绝。"
            "请向县政务公开科核实该任务包是否为其发出的最新任务包。"
        )
    db.execute("INSERT INTO unit_keys(unit, key, created_at) VALUES (?, ?, ?)", [unit, key, utc_now()])


def sign(manifest: dict, key: str) -> str:
    """HMAC-SHA256 (hex) over the canonical manifest without its signature."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return hmac.new(bytes.fromhex(key), canonical(body), hashlib.sha256).hexdigest()


def verify(manifest: dict, key: str) -> bool:
    """True when the manifest's signature was made with `key`."""
    signature = manifest.get("signature")
    if not isinstance(signature, str) or not signature:
        return False
    return hmac.compare_digest(signature, sign(manifest, key))


def known_units(db) -> list[str]:
    """Units that hold a key (the county has issued them a 任务包)."""
    return [row[0] for row in db.execute("SELECT unit FROM unit_keys ORDER BY unit")]
