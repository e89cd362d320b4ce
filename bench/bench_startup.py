"""Start-up: process start → main window shown (offscreen), with a 20,000-entry ledger.

- startup_20000_entries: `main.py --db …` until the main window is shown. Floor: a bare PySide6 process
  showing a QMainWindow holding a QTableView, in the same run (interleaved). Target: ratio ≤ 4.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Seconds, county_ledger_db, ratio

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1200, 760)
view = QTableView(); view.setModel(QStandardItemModel(50, 10, view)); w.setCentralWidget(view)
w.show()
QTimer.singleShot(0, lambda: (print(f"shown {time.time():.6f}", flush=True), app.quit()))
app.exec()
"""


def time_to_shown(cmd, env) -> Seconds:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120).stdout
    line = next(l for l in out.splitlines() if l.startswith("shown "))
    return Seconds(float(line.split()[1]) - start)


def main():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZWGK_QUIT_WHEN_SHOWN": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        db = county_ledger_db(Path(tmp) / "county.sqlite3")
        app = [sys.executable, "main.py", "--db", str(db)]
        bare = [sys.executable, "-c", BARE_WINDOW]
        time_to_shown(app, env)  # warm the OS file cache for both
        time_to_shown(bare, env)
        ratio("startup_20000_entries", lambda: time_to_shown(app, env), lambda: time_to_shown(bare, env), target=4, repeat=7)


if __name__ == "__main__":
    main()
