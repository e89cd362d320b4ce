"""Searching the ledger: Chinese substrings, full pinyin and pinyin initials.

The index lives in `entry_fts` (migration m002): one row per entry with its searchable
text and a pinyin column holding the full pinyin without spaces and the initials
("政策解读" → "zhengcejiedu zcjd"). Triggers queue changed entries in `search_dirty`;
`refresh` computes the pinyin (pypinyin, at write time) before every search, so rows
written by any part of the program (imports, merges) are found.

Queries of three characters or more use the FTS5 trigram index; shorter ones fall back
to LIKE over the same table.
"""

import re
from functools import lru_cache

_ASCII_QUERY = re.compile(r"^[0-9a-z]+$")
_LATIN_RUNS = re.compile(r"[0-9a-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[0-9a-zA-Z]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
CHUNK = 2000


def refresh(db) -> int:
    """Re-index the entries queued in search_dirty; return how many were processed."""
    ids = [row[0] for row in db.execute("SELECT entry_id FROM search_dirty LIMIT ?", [CHUNK]).fetchall()]
    done = 0
    while ids:
        with db.atomic():
            _reindex(db, ids)
            db.execute(f"DELETE FROM search_dirty WHERE entry_id IN ({_marks(ids)})", ids)
        done += len(ids)
        ids = [row[0] for row in db.execute("SELECT entry_id FROM search_dirty LIMIT ?", [CHUNK]).fetchall()]
    return done


def pending(db) -> int:
    """How many entries wait to be re-indexed."""
    return db.execute("SELECT count(*) FROM search_dirty").fetchone()[0]


def rebuild(db) -> int:
    """Queue every entry and re-index them all (after a restore or a damaged index).

    The index table is dropped and made again from its own stored definition: an FTS5 table
    deletes row by row, updating its index each time (9 s for 50,000 entries, most of a rebuild).
    """
    with db.atomic():
        definition = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entry_fts'").fetchone()[0]
        db.execute("DROP TABLE entry_fts")
        db.execute(definition)
        db.execute("DELETE FROM search_rowids")
        db.execute("INSERT OR IGNORE INTO search_dirty SELECT id FROM entries")
    return refresh(db)


def _reindex(db, ids: list[str]) -> None:
    """Replace the index rows of `ids` with fresh text and pinyin (deleted entries drop out)."""
    marks = _marks(ids)
    old = db.execute(f"SELECT fts_rowid FROM search_rowids WHERE entry_id IN ({marks})", ids).fetchall()
    if old:
        db.conn.executemany("DELETE FROM entry_fts WHERE rowid = ?", old)
        db.execute(f"DELETE FROM search_rowids WHERE entry_id IN ({marks})", ids)
    rows = db.execute(
        f"""
        SELECT e.id, t.seq, t.category, t.requirement, e.leader, e.office, e.handler,
               (SELECT group_concat(m.text, ' ') FROM measures m WHERE m.entry_id = e.id AND m.deleted = 0),
               t.deadline, e.note,
               (SELECT group_concat(p.text, ' ') FROM progress p WHERE p.entry_id = e.id AND p.deleted = 0)
        FROM entries e JOIN tasks t ON t.id = e.task_id
        WHERE e.deleted = 0 AND e.id IN ({marks})
        """,
        ids,
    ).fetchall()
    base = (db.execute("SELECT max(rowid) FROM entry_fts").fetchone()[0] or 0) + 1
    fts_rows, map_rows = [], []
    for n, row in enumerate(rows):
        key_text, more_text = _entry_text(row)
        fts_rows.append((base + n, row[0], f"{key_text} {more_text}".strip(), pinyin_key(key_text)))
        map_rows.append((row[0], base + n))
    db.conn.executemany("INSERT INTO entry_fts(rowid, entry_id, text, pinyin) VALUES (?, ?, ?, ?)", fts_rows)
    db.conn.executemany("INSERT INTO search_rowids(entry_id, fts_rowid) VALUES (?, ?)", map_rows)


def _entry_text(row) -> tuple[str, str]:
    """(key text, other text) of one entry row.

    Key text — task, measures, people — is also searchable by pinyin; the other text
    (时限要求, 备注, progress) by Chinese only, which keeps the index small.
    """
    import json

    try:
        category = " ".join(json.loads(row[2] or "[]"))
    except ValueError:
        category = row[2] or ""
    key = [row[1], category, row[3], row[4], row[5], row[6], row[7]]
    more = [row[8], row[9], row[10]]
    return " ".join(p for p in key if p), " ".join(p for p in more if p)


def pinyin_key(text: str) -> str:
    """Full pinyin without spaces, a space, then the initials, of the Chinese in `text`.

    Each run of characters is converted on its own, so words keep pypinyin's phrase
    readings ("解读" → "jiedu"); ASCII letters and digits are kept as they are.
    """
    fulls, initials = [], []
    for run in _RUNS.findall(text or ""):
        full, first = _run_pinyin(run)
        fulls.append(full)
        initials.append(first)
    return "".join(fulls) + " " + "".join(initials)


@lru_cache(maxsize=50000)
def _run_pinyin(run: str) -> tuple[str, str]:
    """(full pinyin, initials) of one run of letters/Chinese characters."""
    if not _HAN.search(run):
        low = run.lower()
        return low, low
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def match_clause(db, query: str) -> tuple[str, list]:
    """An SQL condition on entries `e` that keeps the entries matching `query`, with params.

    Words separated by spaces must all match. Returns ("", []) for an empty query.
    """
    terms = _terms(query)
    if not terms:
        return "", []
    parts, params = [], []
    fts = _is_fts(db)
    for term in terms:
        sql, p = _term_clause(term, fts)
        parts.append(sql)
        params.extend(p)
    return " AND ".join(parts), params


def _term_clause(term: str, fts: bool) -> tuple[str, list]:
    """The condition for one search word (see _reach for what it is compared with)."""
    reach = _reach(term)
    if fts and len(term) >= 3:
        column = "{text pinyin}" if reach == FULL_PINYIN else "text"
        phrase = '"' + term.replace('"', '""') + '"'
        return "e.id IN (SELECT entry_id FROM entry_fts WHERE entry_fts MATCH ?)", [f"{column} : {phrase}"]
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    if reach == FULL_PINYIN:  # only without FTS5: LIKE over both columns
        return (
            "e.id IN (SELECT entry_id FROM entry_fts WHERE text LIKE ? ESCAPE '\\' OR pinyin LIKE ? ESCAPE '\\')",
            [like, like],
        )
    if reach == INITIALS:
        # The pinyin column is "full pinyin, one space, initials": "% %zc%" looks in the initials.
        return (
            "e.id IN (SELECT entry_id FROM entry_fts WHERE text LIKE ? ESCAPE '\\' OR pinyin LIKE ? ESCAPE '\\')",
            [like, f"% %{escaped}%"],
        )
    return "e.id IN (SELECT entry_id FROM entry_fts WHERE text LIKE ? ESCAPE '\\')", [like]


TEXT, INITIALS, FULL_PINYIN = "text", "initials", "full pinyin"


def _reach(term: str) -> str:
    """What a search word is compared with, besides the text itself.

    Letters and digits: from two, the pinyin initials (zc → 政策); from three, the full pinyin as
    well (jiedu → 解读). One letter, or two against the full pinyin, would match nearly every
    entry (every Chinese text has a z- or an -an somewhere), which helps nobody.
    """
    if len(term) < 2 or not _ASCII_QUERY.match(term):
        return TEXT
    return INITIALS if len(term) == 2 else FULL_PINYIN


def _is_fts(db) -> bool:
    """Whether the index is an FTS5 trigram table (else only LIKE works)."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entry_fts'").fetchone()
    return bool(row and "fts5" in (row[0] or "").lower())


def search_ids(db, query: str) -> list[str]:
    """Ids of the (not deleted) entries matching `query`, after refreshing the index."""
    refresh(db)
    clause, params = match_clause(db, query)
    if not clause:
        return []
    return [row[0] for row in db.execute(f"SELECT e.id FROM entries e WHERE e.deleted = 0 AND {clause}", params)]


def _terms(query: str) -> list[str]:
    """The search words of `query`, lower-cased; every one must match."""
    return [t for t in (query or "").strip().lower().split() if t]


class TextCache:
    """The index rows held in memory, for search as you type.

    Scanning 50,000 strings in Python takes about 10 ms where the SQLite query for a common word
    takes 40–70 ms, and a word typed on from the previous one (政策 → 政策解) only needs the
    previous matches scanned. The answers are those of matching_ids: every word a substring of
    the entry's text, or — for letters and digits — of its pinyin (see _reach).
    """

    def __init__(self, rows=()):
        self.ids: list[str] = []
        self.texts: list[str] = []  # what words of TEXT reach are compared with
        self.initials: list[str] = []  # INITIALS: the text's own Latin runs and the pinyin initials
        self.fulls: list[str] = []  # FULL_PINYIN: the initials list, then the full pinyin
        for entry_id, text, pinyin in rows:
            text = (text or "").lower()
            full, _, initials = (pinyin or "").partition(" ")
            # A word of only letters and digits can only match inside such a run of the text,
            # so the Chinese is left out of what it is compared with.
            latin = " ".join(_LATIN_RUNS.findall(text)) + "\x00"
            self.ids.append(entry_id)
            self.texts.append(text)
            self.initials.append(latin + initials)
            self.fulls.append(full)
        self._last: tuple[list, list] | None = None  # (terms, matching positions) of the last query
        self.position_of = {entry_id: i for i, entry_id in enumerate(self.ids)}
        self._order_key, self._order_positions = None, []

    @classmethod
    def load(cls, db) -> "TextCache":
        """The current index of `db` (refreshed first)."""
        refresh(db)
        return cls(db.execute("SELECT entry_id, text, pinyin FROM entry_fts"))

    def matching_ids(self, query: str) -> set[str] | None:
        """Ids of the entries matching `query`; None for an empty query."""
        found = self.matching_positions(query)
        return None if found is None else {self.ids[i] for i in found}

    def matching_positions(self, query: str) -> list[int] | None:
        """Positions (in self.ids) of the entries matching `query`; None for an empty query."""
        terms = _terms(query)
        if not terms:
            return None
        found = self._narrowed_from_last(terms)
        for term in terms:
            found = self._scan(term, found)
        self._last = (terms, found)
        return found

    def keep(self, ordered_ids: list[str], positions: list[int]) -> list[str]:
        """The ids of `ordered_ids` whose cache positions are among `positions`, in their order."""
        if self._order_key is not ordered_ids:  # the positions of a list are looked up once
            where = self.position_of
            self._order_key, self._order_positions = ordered_ids, [where.get(i, -1) for i in ordered_ids]
        mask = bytearray(len(self.ids) + 1)  # the last slot (index -1) stays 0: ids not in the cache
        for p in positions:
            mask[p] = 1
        return [i for i, p in zip(ordered_ids, self._order_positions) if mask[p]]

    def _narrowed_from_last(self, terms):
        """Positions that can still match: the last matches when every earlier word is kept or lengthened."""
        if self._last is not None:
            old_terms, old_found = self._last
            if len(terms) >= len(old_terms) and all(
                old in new and _reach(old) == _reach(new) for old, new in zip(old_terms, terms)
            ):
                return old_found
        return None

    def _scan(self, term: str, among) -> list[int]:
        reach = _reach(term)
        texts = self.texts if reach == TEXT else self.initials
        if reach == FULL_PINYIN:  # the short initials first, the long full pinyin where they miss
            fulls = self.fulls
            if among is None:
                return [i for i, text in enumerate(texts) if term in text or term in fulls[i]]
            return [i for i in among if term in texts[i] or term in fulls[i]]
        if among is None:
            return [i for i, text in enumerate(texts) if term in text]
        return [i for i in among if term in texts[i]]


def matching_ids(db, query: str, refresh_up_to: int | None = None) -> set[str] | None:
    """Ids of the indexed entries matching `query` (None for an empty query), straight from the index.

    Deleted entries are not in the index once refreshed; callers intersect with their own list.
    With `refresh_up_to`, a backlog larger than that is left for a background refresh (the window
    must not freeze re-indexing a merge of thousands of entries); the answer may then lag.
    """
    terms = _terms(query)
    if not terms:
        return None
    if refresh_up_to is None or pending(db) <= refresh_up_to:
        refresh(db)
    fts = _is_fts(db)
    found = None
    for term in terms:
        sql, params = _term_clause(term, fts)
        inner = sql[len("e.id IN ("):-1]
        ids = {row[0] for row in db.execute(inner, params)}
        found = ids if found is None else found & ids
    return found


def _marks(items) -> str:
    return ",".join("?" * len(items))
