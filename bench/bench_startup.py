"""Start-up: process start → main window shown, with a 20,000-entry ledger, against a bare PySide6 window."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, county_ledger_db, report

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1200, 760); w.show()
QTimer.singleShot(0, lambda: (print(f"shown {time.time():.6f}", flush=True), app.quit()))
app.exec()
"""


def time_to_shown(cmd, env) -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120).stdout
    line = next(l for l in out.splitlines() if l.startswith("shown "))
    return float(line.split()[1]) - start


def best(cmd, env, repeat=5) -> float:
    return min(time_to_shown(cmd, env) for _ in range(repeat))


def main():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZWGK_QUIT_WHEN_SHOWN": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        db = county_ledger_db(Path(tmp) / "county.sqlite3")
        time_to_shown([sys.executable, "main.py", "--db", str(db)], env)  # warm the OS file cache
        app = best([sys.executable, "main.py", "--db", str(db)], env)
        bare = best([sys.executable, "-c", BARE_WINDOW], env)
    report("startup_20000_entries", app, bare, target=4)


if __name__ == "__main__":
    main()
