"""Cleaning text already stored in a database with core.text.normalise.

Used by the migration that cleans what was stored before every entry point normalised its
text, and by restore (a backup may hold text written by an older version).
"""

import json
import sqlite3

from core.text import has_forbidden, normalise

# FTS5 keeps its index in shadow tables named after the virtual table; they are rebuilt, not cleaned.
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


def clean_value(value):
    """A stored cell with bad characters removed: plain text, or JSON text whose strings hold them.

    Outer spaces are kept (the stored value changes only where a character was bad). Other
    values come back unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in '[{"' and "\\u" in value:  # JSON writes a control character as an escape
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None
        if isinstance(decoded, (list, dict, str)):
            cleaned = _clean_json(decoded)
            if cleaned != decoded:
                return json.dumps(cleaned, ensure_ascii=False)
    return normalise(value, strip=False) if has_forbidden(value) else value


def _clean_json(value):
    if isinstance(value, str):
        return normalise(value, strip=False)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    return value


def text_columns(conn) -> dict[str, list[str]]:
    """{table: [its TEXT columns]} of the ordinary tables (virtual tables and their shadows left out)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
    found = {}
    for name, _sql in rows:
        if name in virtual or any(name == v + s for v in virtual for s in _SHADOW_SUFFIXES):
            continue
        cols = [c[1] for c in conn.execute(f"PRAGMA table_info([{name}])").fetchall()
                if "CHAR" in (c[2] or "").upper() or "TEXT" in (c[2] or "").upper() or not c[2]]
        if cols:
            found[name] = cols
    return found


def clean_database(conn: sqlite3.Connection) -> int:
    """Clean every text column of every table in place (no new revisions); returns cells changed.

    Each cell is read and cleaned once; only the rows that change are written.
    """
    without_rowid = {name for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                     if "WITHOUT ROWID" in (sql or "").upper()}
    changed = 0
    for table, cols in text_columns(conn).items():
        if table in without_rowid:
            changed += _clean_by_column(conn, table, cols)
            continue
        names = ", ".join(f"[{c}]" for c in cols)
        updates = []
        for rowid, *values in conn.execute(f"SELECT rowid, {names} FROM [{table}]"):
            cleaned = [clean_value(v) for v in values]
            if cleaned != values:
                changed += sum(1 for a, b in zip(values, cleaned) if a != b)
                updates.append((*cleaned, rowid))
        if updates:
            sets = ", ".join(f"[{c}] = ?" for c in cols)
            conn.executemany(f"UPDATE [{table}] SET {sets} WHERE rowid = ?", updates)
    return changed


def _clean_by_column(conn: sqlite3.Connection, table: str, cols: list[str]) -> int:
    """The same for a table without rowids, one UPDATE per column."""
    conn.create_function("zwgk_clean_text", 1, clean_value, deterministic=True)
    changed = 0
    for col in cols:
        cursor = conn.execute(
            f"UPDATE [{table}] SET [{col}] = zwgk_clean_text([{col}]) WHERE [{col}] IS NOT zwgk_clean_text([{col}])"
        )
        changed += max(cursor.rowcount, 0)
    return changed
