"""Benchmark for the 任务台账 page over 50,000 entries; every figure a ratio against a floor of the same run.

The database (temp folder): a county (汇总单位) with 500 units × 100 tasks = 50,000 entries,
one 工作举措 each and a progress line on every other entry.

- ledger_open_50k: building the LedgerPage and painting it once. Floor: a bare QTableView over a
  QStandardItemModel of 1,000 rows × 10 columns, built and painted. Target: ratio ≤ 4.
- ledger_search_keystroke_{pinyin,trigram,like}: typing "zcjd", "政策解读" or "培训" into an empty search box
  one character at a time (model.set_filters and a repaint); the slowest key against the bare query that key
  needs (the FTS5 MATCH, or the LIKE for one or two characters, straight on entry_fts). Target: ratio ≤ 2.
- ledger_sort_{due,leader}: core.ledger.query_ids(db, sort=…) of all 50,000 entries against bare SQL:
  for each the one statement that gives the same order
  (checked): by e.leader, and by the stored due column with the 序号 tie-break. Target: ratio ≤ 2.
- ledger_scroll_50k: scrolling the page from top to bottom in 100 steps (windows fetched on demand).
  Floor: the same scroll of a bare QTableView over a minimal 50,000-row model. Target: ratio ≤ 3.
- ledger_rss: resident memory of a child process after opening the page once, searching, sorting and
  scrolling, against a child process
  holding, with bare sqlite3, the same data the page keeps (all entry ids twice — two sort orders — and the
  search text and pinyin of every entry) after a QApplication and the bare table. Target: ratio ≤ 2.
- search_cache_load_50k: core.ledger.search.TextCache.load (the search text held in memory) against a bare
  SELECT of the same rows. Target: ratio ≤ 3.
- search_index_build_50k (child process): core.ledger.search.rebuild (gathering each entry's text, pinyin)
  against bare pypinyin of every indexed text's Chinese runs (each distinct run once) inserted into a bare
  FTS5 trigram table in a file beside the ledger. Target: ratio ≤ 2.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ledger.py
"""

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import ratio, timed

UNITS, TASKS = 500, 100
PHRASES = ("做好政策解读", "加强平台建设", "推进基层政务公开标准化", "组织开展政务公开培训", "开展政策评价",
           "规范政府网站信息发布", "落实重大行政决策公开", "完善依申请公开办理", "强化政务新媒体管理", "公众代表列席会议")
DEADLINES = ("2024年12月底前", "每年3月31日前", "长期坚持", "文件公开后3个工作日内", "2024年6月底前", "")


def build_db(path: Path) -> None:
    """The 50,000-entry county database."""
    from core import records, settings
    from db.connection import open_db

    db = open_db(path)
    settings.set_profile(db, "博山区人民政府办公室", "县政府办公室", "汇总单位")
    with db.atomic():
        plan = records.insert(db, "plans", {"year": 2024, "title": "2024年政务公开工作方案", "issued": "2024-03-01"})
        tasks = [
            records.stamp(db, {"plan_id": plan["id"], "position": i, "seq": str(i + 1),
                               "category": json.dumps([PHRASES[i % 10][:4] + "类", PHRASES[(i // 10) % 10]], ensure_ascii=False),
                               "requirement": f"第{i + 1}项：{PHRASES[i % 10]}，{PHRASES[(i * 3) % 10]}工作",
                               "units": "各镇（街道）", "deadline": DEADLINES[i % len(DEADLINES)]})
            for i in range(TASKS)
        ]
        db["tasks"].insert_all(tasks)
        statuses = ("未开始", "推进中", "已完成", "长期坚持")
        entries = [
            records.stamp(db, {"task_id": t["id"], "unit": f"第{u + 1}镇", "year": 2024, "role": "落实",
                               "status": statuses[(u + i) % 4], "leader": f"领导{(u * 7 + i) % 97}", "office": "党政办"})
            for u in range(UNITS) for i, t in enumerate(tasks)
        ]
        db["entries"].insert_all(entries, batch_size=5000)
        db["measures"].insert_all(
            (records.stamp(db, {"entry_id": e["id"], "position": 0, "text": f"{PHRASES[n % 10]}举措{n % 1000}"}) for n, e in enumerate(entries)),
            batch_size=5000,
        )
        db["progress"].insert_all(
            (records.stamp(db, {"entry_id": e["id"], "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", "text": f"已完成第{n % 500}批信息发布"})
             for n, e in enumerate(entries) if n % 2 == 0),
            batch_size=5000,
        )
    db.conn.close()


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise OSError("no VmRSS in /proc/self/status")


def bare_table(app):
    """A function building and painting a bare QTableView over a 1,000 × 10 QStandardItemModel."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    keep = []

    def run():
        view = QTableView()
        model = QStandardItemModel(1000, 10, view)
        for r in range(1000):
            for c in range(10):
                model.setData(model.index(r, c), f"第{r}行第{c}列：推进政务公开")
        view.setModel(model)
        view.resize(1400, 800)
        view.show()
        app.processEvents()
        view.close()
        keep.append(view)

    return run


def bare_scroll_view(app, rows: int):
    """A bare QTableView over a minimal model of `rows` × 10 computed strings, shown."""
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QTableView

    class Bare(QAbstractTableModel):
        def rowCount(self, parent=None):
            return rows

        def columnCount(self, parent=None):
            return 10

        def data(self, index, role=Qt.DisplayRole):
            return f"第{index.row()}行第{index.column()}列" if role == Qt.DisplayRole else None

    view = QTableView()
    view.setModel(Bare(view))
    view.resize(1400, 800)
    view.show()
    app.processEvents()
    return view


def scroller(app, view):
    bar = view.verticalScrollBar()

    def scroll():
        for step in range(101):
            bar.setValue(bar.maximum() * step // 100)
            app.processEvents()
        bar.setValue(0)
        app.processEvents()

    return scroll


def bare_search_sql(term: str) -> tuple[str, list]:
    """The bare query straight on entry_fts for one typed word (FTS5 MATCH from three characters, else LIKE)."""
    latin = term.isascii() and term.isalnum()
    if len(term) >= 3:
        column = "{text pinyin}" if latin else "text"
        return "SELECT entry_id FROM entry_fts WHERE entry_fts MATCH ?", [f'{column} : "{term}"']
    # With ESCAPE, as the search writes it: SQLite 3.40's trigram index answers a plain LIKE of fewer than
    # three Chinese characters with no rows at all; ESCAPE makes it scan the table instead.
    if latin and len(term) == 2:  # two letters: the pinyin initials too
        return ("SELECT entry_id FROM entry_fts WHERE text LIKE ? ESCAPE '\\' OR pinyin LIKE ? ESCAPE '\\'",
                [f"%{term}%", f"% %{term}%"])
    return "SELECT entry_id FROM entry_fts WHERE text LIKE ? ESCAPE '\\'", [f"%{term}%"]


# The bare SQL giving the order query_ids(sort="due") gives: dated entries by due date, ties and
# the undated ones after them in 序号 order (the stored due column of core.ledger.due).
DUE_FLOOR_SQL = """SELECT e.id FROM entries e JOIN tasks t ON t.id = e.task_id
    WHERE e.deleted = 0 AND e.selection != 'dropped'
    ORDER BY e.due IS NULL, e.due, e.year DESC, coalesce(t.plan_id, ''), t.position, t.seq, e.id"""
LEADER_FLOOR_SQL = """SELECT e.id FROM entries e JOIN tasks t ON t.id = e.task_id
    WHERE e.deleted = 0 AND e.selection != 'dropped' ORDER BY e.leader, t.position"""


def main() -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from core import ledger
    from core.ledger import search
    from gui.pages.ledger import LedgerPage
    from gui.session import Session

    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    path = tmp / "ledger.sqlite3"
    # Built in a child process, so the resident memory measured below is the window's alone.
    subprocess.run([sys.executable, __file__, "--build", str(path)], check=True)

    QCoreApplication.setOrganizationName("zwgk-bench")
    QCoreApplication.setApplicationName("bench-ledger")
    app = QApplication.instance() or QApplication([])
    bare_open = bare_table(app)
    bare_open()
    session = Session(path)
    db = session.db
    today = date(2024, 7, 10)

    pages = []

    def open_page():
        page = LedgerPage(session, today=today)
        page.resize(1400, 800)
        page.show()
        app.processEvents()
        if len(pages) > 0:
            pages.pop(0).close()
        pages.append(page)

    ratio("ledger_open_50k", open_page, bare_open, target=4, repeat=9)
    page = pages[-1]
    assert page.model.rowCount() == UNITS * TASKS, page.model.rowCount()
    while page.model.text_cache is None:  # read in the background while the user looks at the page
        app.processEvents()
        time.sleep(0.005)

    for name, text in (("pinyin", "zcjd"), ("trigram", "政策解读"), ("like", "培训")):
        prefixes = [text[:end] for end in range(1, len(text) + 1)]
        ours, floors = {p: [] for p in prefixes}, {p: [] for p in prefixes}
        for _ in range(5):  # interleaved: one typing of the word, then the bare query of every key
            for prefix in prefixes:
                ours[prefix].append(timed(lambda: (page.model.set_filters({**page.filters(), "search": prefix}), app.processEvents())))
            page.model.set_filters({**page.filters(), "search": ""})
            for prefix in prefixes:
                sql, params = bare_search_sql(prefix)
                floors[prefix].append(timed(lambda: db.execute(sql, params).fetchall()))
        median = {p: sorted(v)[len(v) // 2] for p, v in ours.items()}
        slowest = max(prefixes, key=median.get)
        ratio(f"ledger_search_keystroke_{name}", median[slowest], sorted(floors[slowest])[2], target=2,
              note=f"slowest key: {slowest!r}")
    page.model.set_filters({**page.filters(), "search": ""})

    by_due = ledger.query_ids(db, {}, sort="due", today=today)  # also brings the stored due dates up to date
    assert by_due == [r[0] for r in db.execute(DUE_FLOOR_SQL)], "the floor must give the same order"
    ratio("ledger_sort_due", lambda: ledger.query_ids(db, {}, sort="due", today=today),
          lambda: db.execute(DUE_FLOOR_SQL).fetchall(), target=2, repeat=5)
    by_leader = ledger.query_ids(db, {}, sort="leader", today=today)
    assert by_leader == [r[0] for r in db.execute(LEADER_FLOOR_SQL)], "the floor must give the same order"
    ratio("ledger_sort_leader", lambda: ledger.query_ids(db, {}, sort="leader", today=today),
          lambda: db.execute(LEADER_FLOOR_SQL).fetchall(), target=2, repeat=5)

    bare_view = bare_scroll_view(app, UNITS * TASKS)
    ratio("ledger_scroll_50k", scroller(app, page.view), scroller(app, bare_view), target=3, repeat=3)
    bare_view.close()
    page.close()
    pages.clear()
    ours_rss = float(subprocess.run([sys.executable, __file__, "--rss", str(path)], capture_output=True, text=True,
                                    check=True).stdout.split()[-1])
    ratio("ledger_rss", ours_rss, bare_rss(path), target=2, unit="MB")

    ratio("search_cache_load_50k", lambda: search.TextCache.load(db),
          lambda: db.execute("SELECT entry_id, text, pinyin FROM entry_fts").fetchall(), target=3, repeat=5)
    session.close()


BARE_RSS = """
import sqlite3, sys
sys.path.insert(0, sys.argv[2])
from PySide6.QtWidgets import QApplication
from bench_ledger import bare_table, rss_mb
app = QApplication([])
bare_table(app)()
conn = sqlite3.connect(sys.argv[1])
kept = [conn.execute("SELECT id FROM entries ORDER BY leader").fetchall(), conn.execute("SELECT id FROM entries ORDER BY unit").fetchall(),
        conn.execute("SELECT entry_id, text, pinyin FROM entry_fts").fetchall()]
print(rss_mb())
"""


def bare_rss(path: Path) -> float:
    """The resident memory (MB) of a bare process holding the page's data (see ledger_rss)."""
    out = subprocess.run([sys.executable, "-c", BARE_RSS, str(path), str(Path(__file__).parent)],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def bare_index(db, folder: Path):
    """A function: bare pypinyin of every indexed text into a fresh FTS5 trigram table in a file of `folder`."""
    import sqlite3

    import re

    from pypinyin import Style, lazy_pinyin

    rows = db.execute("SELECT entry_id, text FROM entry_fts").fetchall()
    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

    def run():
        target = folder / "bare-index.sqlite3"
        target.unlink(missing_ok=True)
        conn = sqlite3.connect(target)
        conn.execute("PRAGMA journal_mode=WAL")  # as the ledger's own connection
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE VIRTUAL TABLE bare USING fts5(entry_id UNINDEXED, text, pinyin, tokenize='trigram')")
        with conn:
            out, known = [], {}
        for entry_id, text in rows:  # each run of Chinese converted once (a dict), as any indexer would
            full, initials = [], []
            for run in han.findall(text):
                if run not in known:
                    syllables = lazy_pinyin(run, style=Style.NORMAL)
                    known[run] = ("".join(syllables), "".join(s[0] for s in syllables if s))
                full.append(known[run][0])
                initials.append(known[run][1])
            out.append((entry_id, text, "".join(full) + " " + "".join(initials)))
        conn.executemany("INSERT INTO bare VALUES (?, ?, ?)", out)
        conn.close()

    return run


def page_rss(path: Path) -> None:
    """Print the resident memory (MB) of a process that opened one LedgerPage, searched, sorted and scrolled.

    A child process of its own: the benchmark above opens the page several times, and a closed page's
    memory is not all given back (measured: about 50 MB a page), which is not what a user's window holds.
    """
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from gui.pages.ledger import LedgerPage
    from gui.session import Session

    QCoreApplication.setOrganizationName("zwgk-bench")
    QCoreApplication.setApplicationName("bench-ledger")
    app = QApplication.instance() or QApplication([])
    bare_table(app)()
    session = Session(path)
    page = LedgerPage(session, today=date(2024, 7, 10))
    page.resize(1400, 800)
    page.show()
    app.processEvents()
    while page.model.text_cache is None:
        app.processEvents()
        time.sleep(0.005)
    for text in ("zcjd", "政策解读", "培训"):
        for end in range(1, len(text) + 1):
            page.model.set_filters({**page.filters(), "search": text[:end]})
            app.processEvents()
    page.model.set_filters({**page.filters(), "search": ""})
    header = page.view.horizontalHeader()
    for column in (5, 6):
        header.setSortIndicator(column, Qt.AscendingOrder)
        app.processEvents()
    scroller(app, page.view)()
    print(rss_mb())
    session.close()


def build_and_index(path: Path) -> None:
    """Build the database and time its search index against a bare one (run in a child process)."""
    from core.ledger import search
    from db.connection import open_db

    build_db(path)
    db = open_db(path)
    search.refresh(db)

    def ours():
        search._run_pinyin.cache_clear()  # a cold build: no pinyin remembered from the last run
        search.rebuild(db)

    ratio("search_index_build_50k", ours, bare_index(db, path.parent), target=2, repeat=3)
    db.conn.close()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build_and_index(Path(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--rss":
        page_rss(Path(sys.argv[2]))
    else:
        main()
