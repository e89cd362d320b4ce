"""Key/value settings kept in the database, and this office's profile."""

import json
import uuid

from core.errors import UserError
from core.vocab import COUNTY_OFFICE, OFFICE_ROLES
from core.text import normalise_nested

KINDS = ("镇", "街道", "部门", "县政府办公室")
ROLES = OFFICE_ROLES


def get(db, key: str, default=None):
    """The JSON value stored under `key`, or `default`."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def put(db, key: str, value) -> None:
    """Store `value` (JSON-serialisable; its texts normalised) under `key`."""
    value = normalise_nested(value)
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )


def device_id(db) -> str:
    """This installation's id, created on first use; breaks ties when merging."""
    value = get(db, "device_id")
    if not value:
        value = uuid.uuid4().hex[:12]
        with db.atomic():
            put(db, "device_id", value)
    return value


def profile(db) -> dict | None:
    """This office's profile, or None before the first start has asked for it."""
    return get(db, "profile")


def set_profile(db, name: str, kind: str, role: str, aliases=(), county: str = "") -> dict:
    """Validate and store this office's profile."""
    name = (name or "").strip()
    if not name:
        raise UserError("本单位名称不能为空，请填写单位全称，例如“城东街道办事处”。")
    if kind not in KINDS:
        raise UserError(f"单位类型“{kind}”无效，请选择：{'、'.join(KINDS)}。")
    if role not in ROLES:
        raise UserError(f"角色“{role}”无效，请选择：{'、'.join(ROLES)}。")
    value = {
        "name": name,
        "aliases": [a.strip() for a in aliases if a and a.strip() and a.strip() != name],
        "kind": kind,
        "county": (county or "").strip(),
        "role": role,
    }
    with db.atomic():
        put(db, "profile", value)
    return value


def author(db) -> dict:
    """Who a local change is made by: the office's name and this device."""
    p = profile(db) or {}
    return {"unit": p.get("name", ""), "device": device_id(db)}


def is_county(db) -> bool:
    """Whether this office is a 汇总单位 (the county office collecting every unit's ledger):
    the one place that decides it."""
    return (profile(db) or {}).get("role") == COUNTY_OFFICE


def visible_unit(db, unit: str | None = None) -> str | None:
    """The unit whose records to show: `unit` if given, else this office's own; None (every
    unit) for a 汇总单位, which sees all the ledgers it has collected."""
    if unit:
        return unit
    if is_county(db):
        return None
    return (profile(db) or {}).get("name") or None
