"""Who sent a package: each office's Ed25519 key pair, the keys it has pinned, and the old HMAC keys.

Trust model (details in docs/exchange-format.md):
- Every office generates one Ed25519 key pair on first use. The private key is a file beside the
  database (`<db stem>-office.key`); it is copied into a full backup .zip and never into a package.
- Every package names its signer's public key in the manifest and is signed with the private key
  over the canonical manifest (which lists the sha256 and size of every member).
- The receiver pins the key of each office on first use (table office_keys): a unit pins the one
  county that sends it 任务包; the county pins each unit by name. A later package signed with
  another key is refused with a message naming whom to call; replacing a pinned key is an explicit
  act (设置 → 密钥, or `keys forget`).
- Migration from the HMAC keys of format 1 (table unit_keys): while a pair of offices still shares
  one, every package also carries an HMAC with it, and the first new-style package from that
  office is pinned only if that HMAC verifies.

Everything cryptographic lives here; core.exchange.packs calls plan_trust() and pin().
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError
from core.exchange.package_format import canonical

ALG = "ed25519"
COUNTY_ROLE = "county"  # the office that sends this unit its 任务包 (pinned on a unit)
UNIT_ROLE = "unit"  # a unit whose 报送包 this county imports (pinned on a county)
KEY_FILE_SUFFIX = "-office.key"

_MEMORY_KEYS: dict[int, bytes] = {}  # in-memory databases (tests, dry runs): no file to keep a key beside


# ---- this office's key pair -------------------------------------------------------------


def key_file(db_path) -> Path:
    """The private key file that belongs to the database file at `db_path`."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}{KEY_FILE_SUFFIX}"


def key_path(db) -> Path | None:
    """The private key file beside the database of `db` (None for an in-memory database)."""
    from db.connection import db_file

    path = db_file(db)
    return key_file(path) if path else None


def _load_private(db):
    """This office's private key, generated and saved on first use."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(db)
    if path is None:
        seed = _MEMORY_KEYS.setdefault(id(db.conn), secrets.token_bytes(32))
        return Ed25519PrivateKey.from_private_bytes(seed)
    return load_or_create(path)


def load_or_create(path: Path):
    """The private key in the file at `path`, generated and saved there if there is none yet."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if path.is_file():
        return _read_key_file(path)
    key = Ed25519PrivateKey.generate()
    _write_key_file(path, key)
    return key


def _read_key_file(path: Path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise UserError(
            f"本单位的签名私钥文件“{path}”已损坏或无法读取，无法签发或核验数据包。"
            "请从“备份到U盘”生成的 .zip 备份恢复；如无备份，删除该文件后程序会生成新密钥，"
            "并须请县政务公开科和各单位在“设置 → 密钥”中更换登记的密钥。"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError(f"“{path}”不是本程序的签名私钥文件。请从备份恢复，或删除该文件后重新生成。")
    return key


def _write_key_file(path: Path, key) -> None:
    import os

    from cryptography.hazmat.primitives import serialization

    from core.storage.atomic import write_bytes

    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_bytes(path, pem)
    try:
        os.chmod(path, 0o600)
    except OSError:  # a file system without modes (FAT stick): the file is still only local
        pass


def ensure_own_key(db) -> str:
    """Make sure this office has its key pair (called at start-up); return its public key (hex)."""
    return own_public_key(db)


def own_public_key(db) -> str:
    """This office's public key as 64 hex digits."""
    from cryptography.hazmat.primitives import serialization

    raw = _load_private(db).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def fingerprint(public_key: str) -> str:
    """A key's short fingerprint to read out by phone: 4 groups of 4 digits ("0123 4567 8901 2345")."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).digest()
    digits = f"{int.from_bytes(digest[:8], 'big') % 10**16:016d}"
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def own_identity(db) -> dict:
    """{"office", "public_key", "fingerprint", "key_file"} of this office."""
    from core import settings

    public = own_public_key(db)
    path = key_path(db)
    return {"office": (settings.profile(db) or {}).get("name", ""), "public_key": public,
            "fingerprint": fingerprint(public), "key_file": str(path) if path else None}


# ---- signing ----------------------------------------------------------------------------


def _body(manifest: dict, *without: str) -> bytes:
    return canonical({k: v for k, v in manifest.items() if k not in ("signature", *without)})


def hmac_sign(manifest: dict, key: str) -> str:
    """HMAC-SHA256 (hex) with an old format-1 key over the manifest minus signature and legacy_hmac."""
    return hmac.new(bytes.fromhex(key), _body(manifest, "legacy_hmac"), hashlib.sha256).hexdigest()


def hmac_verify(manifest: dict, key: str) -> bool:
    """True when the manifest's legacy_hmac was made with the old key `key`."""
    value = manifest.get("legacy_hmac")
    return isinstance(value, str) and hmac.compare_digest(value, hmac_sign(manifest, key))


def signer(db, legacy_key: str | None = None):
    """A sign(manifest) for package_format.write_package: names this office's public key, adds the
    HMAC with `legacy_key` (while the receiver may still hold only that) and returns the fields to
    add, the Ed25519 signature last."""
    return signer_with(_load_private(db), legacy_key)


def signer_with(private, legacy_key: str | None = None):
    """signer() for a given Ed25519 private key object."""

    def sign(manifest: dict) -> dict:
        from cryptography.hazmat.primitives import serialization

        public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
        manifest["signer"] = {"alg": ALG, "public_key": public, "fingerprint": fingerprint(public)}
        if legacy_key:
            manifest["legacy_hmac"] = hmac_sign(manifest, legacy_key)
        return {"signer": manifest["signer"], **({"legacy_hmac": manifest["legacy_hmac"]} if legacy_key else {}),
                "signature": private.sign(_body(manifest)).hex()}

    return sign


def signer_key(manifest: dict) -> str | None:
    """The public key (hex) the manifest says it is signed with, or None if malformed."""
    info = manifest.get("signer")
    if not isinstance(info, dict) or info.get("alg") != ALG:
        return None
    key = info.get("public_key")
    return key if _is_hex(key, 64) else None


def verify(manifest: dict, public_key: str) -> bool:
    """True when the manifest's Ed25519 signature was made with `public_key`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signature = manifest.get("signature")
    if not _is_hex(signature, 128) or not _is_hex(public_key, 64):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signature), _body(manifest))
    except (InvalidSignature, ValueError):
        return False
    return True


def _is_hex(value, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and all(c in "0123456789abcdef" for c in value)


# ---- old HMAC keys (format 1, table unit_keys) ------------------------------------------


def legacy_key(db, unit: str) -> str | None:
    """The format-1 HMAC key kept for `unit` (county: one per unit; unit: its own), or None."""
    row = db.execute("SELECT key FROM unit_keys WHERE unit = ?", [unit]).fetchone()
    return row[0] if row else None


# ---- pinned keys (table office_keys) ----------------------------------------------------


def pinned(db, office: str) -> dict | None:
    """The pinned key row of `office` (with a public key), or None."""
    row = db.execute("SELECT * FROM office_keys WHERE office = ? AND public_key IS NOT NULL", [office]).fetchone()
    return _row(db, row) if row else None


def pinned_county(db) -> dict | None:
    """On a unit: the key of the county office that sends it 任务包, or None before the first one."""
    row = db.execute("SELECT * FROM office_keys WHERE role = ? AND public_key IS NOT NULL ORDER BY pinned_at LIMIT 1",
                     [COUNTY_ROLE]).fetchone()
    return _row(db, row) if row else None


def holder_of(db, public_key: str) -> str | None:
    """The office `public_key` is pinned for, or None."""
    row = db.execute("SELECT office FROM office_keys WHERE public_key = ?", [public_key]).fetchone()
    return row[0] if row else None


def list_pinned(db) -> list[dict]:
    """Every office this one exchanges with: pinned keys, and (county) units issued a 任务包."""
    cursor = db.execute("SELECT * FROM office_keys ORDER BY role, office")
    return [_row(db, r, cursor.description) for r in cursor.fetchall()]


def _row(db, row, description=None) -> dict:
    names = [d[0] for d in (description or db.execute("SELECT * FROM office_keys LIMIT 0").description)]
    item = dict(zip(names, row))
    item["fingerprint"] = fingerprint(item["public_key"]) if item.get("public_key") else None
    item["role_name"] = "县政务公开科（任务包）" if item["role"] == COUNTY_ROLE else "填报单位（报送包）"
    return item


def pin(db, office: str, role: str, public_key: str, how: str, source: str = "") -> None:
    """Pin `public_key` for `office` (inside the caller's transaction)."""
    from core.records import utc_now

    db.execute(
        "INSERT INTO office_keys(office, role, public_key, pinned_at, pinned_how, source) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(office) DO UPDATE SET role = excluded.role, public_key = excluded.public_key,"
        " pinned_at = excluded.pinned_at, pinned_how = excluded.pinned_how, source = excluded.source",
        [office, role, public_key, utc_now(), how, source],
    )


def note_issued(db, unit: str) -> None:
    """On the county: remember that a 任务包 was issued to `unit` (its key is pinned later)."""
    from core.records import utc_now

    db.execute(
        "INSERT INTO office_keys(office, role, issued_at) VALUES (?, ?, ?)"
        " ON CONFLICT(office) DO UPDATE SET issued_at = excluded.issued_at",
        [unit, UNIT_ROLE, utc_now()],
    )


def issued_units(db) -> list[str]:
    """Units the county has issued a 任务包 to (now or under format 1)."""
    rows = db.execute(
        "SELECT office FROM office_keys WHERE role = ? AND issued_at IS NOT NULL UNION SELECT unit FROM unit_keys",
        [UNIT_ROLE],
    ).fetchall()
    return sorted(r[0] for r in rows)


def forget(db, office: str) -> dict:
    """Drop the pinned key of `office` (an explicit act): its next package asks to be pinned again."""
    current = pinned(db, office)
    if current is None:
        known = "、".join(r["office"] for r in list_pinned(db) if r.get("public_key")) or "无"
        raise UserError(f"本机没有登记“{office}”的签名密钥（已登记：{known}）。请检查单位名称。")
    with db.atomic():
        db.execute("UPDATE office_keys SET public_key = NULL, pinned_at = NULL, pinned_how = NULL, source = NULL"
                   " WHERE office = ?", [office])
        db.execute("DELETE FROM office_keys WHERE office = ? AND issued_at IS NULL", [office])
    return {"office": office, "forgotten": current["fingerprint"]}


# ---- deciding whether to trust a package ------------------------------------------------


@dataclass
class Trust:
    """What checking a package's signature decided: who signed it and whether to pin the key."""

    office: str  # the office whose key signed it (the pinned name)
    role: str  # COUNTY_ROLE or UNIT_ROLE: the signer's role
    public_key: str
    fingerprint: str
    new: bool  # the key is not pinned yet: pin it when the package is applied
    how: str  # "pinned", "legacy_hmac" or "first_use"

    def as_detail(self) -> dict:
        return {"office": self.office, "fingerprint": self.fingerprint, "new": self.new, "how": self.how}


class NewKey(UserError):
    """A package signed by a key not yet pinned, refused until the user confirms its fingerprint."""

    def __init__(self, message: str, trust: Trust):
        super().__init__(message)
        self.trust = trust


def plan_trust(db, manifest: dict, label: str, signer_role: str, office: str, accept_new=None) -> Trust:
    """Check the signature of the manifest of `label`, signed by `office` in `signer_role`.

    Refuses (UserError) an unsigned or altered manifest, a key other than the pinned one, a key
    pinned for another office, and a first package failing the old HMAC key. accept_new: None
    accepts a new key (first use, as on the command line); else a set of public keys the user
    confirmed, and any other new key raises NewKey.
    """
    public = signer_key(manifest)
    if public is None or not manifest.get("signature"):
        raise UserError(f"数据包“{label}”没有签名，无法确认来源，已拒绝。请让对方用本程序的最新版本重新导出。")
    if not verify(manifest, public):
        raise UserError(f"数据包“{label}”签名核验失败：导出后被改动过或已损坏，已拒绝。请让对方重新导出并发送。")
    if signer_role == COUNTY_ROLE:
        current = pinned_county(db)
        whom = f"县政务公开科（{current['office']}）" if current else ""
    else:
        current = pinned(db, office)
        whom = f"“{office}”"
    if current is not None:
        if current["public_key"] != public:
            raise UserError(
                f"数据包“{label}”的签名密钥与本机登记的{whom}密钥不同（登记的指纹 {current['fingerprint']}，"
                f"此包 {fingerprint(public)}），可能是伪造的，已拒绝。请打电话给{whom}核对指纹；"
                f"如对方确实换了电脑或重装了程序，请在“设置 → 密钥”中更换登记的密钥后重新导入。"
            )
        return Trust(current["office"], signer_role, public, current["fingerprint"], False, "pinned")
    other = holder_of(db, public)
    if other is not None and other != office:
        raise UserError(f"数据包“{label}”自称来自“{office}”，但使用的是本机为“{other}”登记的签名密钥，已拒绝。"
                        f"请打电话给“{office}”和“{other}”核实。")
    old = legacy_key_for(db, signer_role, office)
    how = "first_use"
    if old is not None:
        if not hmac_verify(manifest, old):
            raise UserError(
                f"数据包“{label}”是升级后收到的{('县政务公开科' if signer_role == COUNTY_ROLE else f'“{office}”')}的第一个新版数据包，"
                "但没有用双方原有的密钥签名，无法确认来源，已拒绝。请打电话核实；对方应使用升级后的本程序重新导出。"
            )
        how = "legacy_hmac"
    trust = Trust(office, signer_role, public, fingerprint(public), True, how)
    if accept_new is not None and public not in accept_new:
        raise NewKey(f"首次收到“{office}”的签名密钥（指纹 {trust.fingerprint}），请先打电话核对指纹并确认后再导入。", trust)
    return trust


def legacy_key_for(db, peer_role: str, peer: str) -> str | None:
    """The format-1 key this office shares with `peer`: on a county the key it issued to that unit;
    on a unit (peer_role COUNTY_ROLE) its own key, received in a format-1 任务包."""
    if peer_role == UNIT_ROLE:
        return legacy_key(db, peer)
    row = db.execute("SELECT key FROM unit_keys ORDER BY created_at LIMIT 1").fetchone()
    return row[0] if row else None
