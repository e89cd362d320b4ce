"""Counted duties (计数事项): things a unit must do a number of times a year.

Targets live in table duty_targets (year, name, target); a year without rows uses
DEFAULT_TARGETS. Progress counts the progress lines tagged with the duty (progress.duty)
on the year's entries; for 解读形式 it counts distinct tagged lines' texts, since the
duty is about different forms (文字, 图解, 视频 …), not repeats.
"""

from core import settings
from core.errors import UserError

DEFAULT_TARGETS = (
    ("政策评价", 2),
    ("政务公开培训", 1),
    ("政策解读形式", 3),
    ("主要负责人听取汇报", 1),
    ("公众代表列席会议", 5),
)
DISTINCT_TEXT = {"政策解读形式"}
MAX_TARGET = 999


def names(db, year: int) -> list[str]:
    """The duty names tracked in `year`."""
    return [t["name"] for t in targets(db, year)]


def targets(db, year: int) -> list[dict]:
    """[{name, target}] for `year`: the stored rows, else the defaults."""
    rows = [dict(r) for r in db.query("SELECT name, target FROM duty_targets WHERE year = ? ORDER BY rowid", [int(year)])]
    return rows or [{"name": n, "target": t} for n, t in DEFAULT_TARGETS]


def set_target(db, year: int, name: str, target) -> None:
    """Set (or add) the yearly target of one duty; a year's defaults are stored on first change."""
    name = (name or "").strip()
    if not name:
        raise UserError("计数事项名称不能为空，例如“政策评价”。")
    try:
        value = int(str(target).strip())
    except ValueError:
        raise UserError(f"“{name}”的目标次数“{target}”不是整数，请填写 0 到 {MAX_TARGET} 之间的数字。") from None
    if not 0 <= value <= MAX_TARGET:
        raise UserError(f"“{name}”的目标次数须在 0 到 {MAX_TARGET} 之间。")
    with db.atomic():
        _store_defaults(db, int(year))
        db.execute(
            "INSERT INTO duty_targets(year, name, target) VALUES (?, ?, ?) ON CONFLICT(year, name) DO UPDATE SET target = excluded.target",
            [int(year), name, value],
        )


def remove_target(db, year: int, name: str) -> None:
    """Stop tracking one duty in `year`."""
    with db.atomic():
        _store_defaults(db, int(year))
        db.execute("DELETE FROM duty_targets WHERE year = ? AND name = ?", [int(year), name])


def _store_defaults(db, year: int) -> None:
    """Write the default targets for `year` if it has none yet (so edits keep the others)."""
    if db.execute("SELECT 1 FROM duty_targets WHERE year = ? LIMIT 1", [year]).fetchone() is None:
        db.conn.executemany("INSERT INTO duty_targets(year, name, target) VALUES (?, ?, ?)", [(year, n, t) for n, t in DEFAULT_TARGETS])


def progress(db, year: int, unit: str | None = None) -> list[dict]:
    """[{name, target, done, met}] for `year`, counting tagged progress lines of visible entries."""
    where, params = ["p.deleted = 0", "e.deleted = 0", "e.year = ?", "p.duty != ''"], [int(year)]
    shown = settings.visible_unit(db, unit)
    if shown:
        where.append("e.unit = ?")
        params.append(shown)
    counts: dict = {}
    texts: dict = {}
    for duty, text in db.execute(
        f"SELECT p.duty, p.text FROM progress p JOIN entries e ON e.id = p.entry_id WHERE {' AND '.join(where)}", params
    ):
        counts[duty] = counts.get(duty, 0) + 1
        texts.setdefault(duty, set()).add(text.strip())
    out = []
    for t in targets(db, year):
        done = len(texts.get(t["name"], ())) if t["name"] in DISTINCT_TEXT else counts.get(t["name"], 0)
        out.append({"name": t["name"], "target": t["target"], "done": done, "met": done >= t["target"]})
    return out
