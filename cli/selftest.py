"""`selftest`: open the database, build the main window offscreen, print versions."""

import os
import platform
import sys


def register(sub, common):
    p = sub.add_parser("selftest", help="自检：打开数据库、离屏构建主窗口并显示版本", parents=[common])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(ctx):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from core.version import versions

    db = ctx.db
    tables = sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))

    from PySide6.QtWidgets import QApplication

    from gui.app import create_application
    from gui.main_window import MainWindow

    app = QApplication.instance() or create_application([sys.argv[0]])
    window = MainWindow(ctx.db_path, ask_profile=False)
    window.show()
    app.processEvents()
    ok = window.isVisible()
    window.close()
    info = {**versions(), "platform": platform.platform(), "db": str(ctx.db_path), "tables": len(tables), "window": ok}
    if ctx.args.json:
        ctx.print_json(info)
    else:
        for key, value in info.items():
            print(f"{key}: {value}")
    return 0 if ok else 1
