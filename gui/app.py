"""Starting the window: the QApplication, Chinese translations, the icon, the database."""

import argparse
import logging
import os
import sys
import time

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core.errors import UserError
from core.paths import default_db_path, resources_dir

log = logging.getLogger(__name__)


def create_application(argv) -> QApplication:
    """A QApplication speaking Chinese, with the program's name and icon."""
    app = QApplication(argv)
    app.setApplicationName("zwgk-ledger")
    app.setApplicationDisplayName("政务公开工作台账")
    app.setOrganizationName("zwgk")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.png")))
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
    app._translator = translator  # keep it alive as long as the app
    return app


def run_gui(argv) -> int:
    """Open the main window on the database named by --db, $ZWGK_DB or the default."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--debug", action="store_true")
    args, _ = parser.parse_known_args(argv)
    db_path = args.db or default_db_path()

    from core.storage.logs import setup_logging

    app = create_application([sys.argv[0]])
    try:
        setup_logging(db_path, logging.DEBUG if args.debug else logging.INFO)
    except OSError:
        pass  # a read-only data folder must not stop the window; the error dialog still works
    from gui.errors import install_excepthook
    from gui.main_window import MainWindow

    install_excepthook()
    from gui.startup_checks import prepare  # one window per ledger, integrity check, leftovers (#8)

    if not os.environ.get("ZWGK_QUIT_WHEN_SHOWN") and not prepare(db_path):
        return 2
    try:
        window = MainWindow(db_path)
    except UserError as exc:
        QMessageBox.critical(None, "无法打开台账", str(exc))
        return 2
    _ensure_signing_key(window)
    window.show()
    if os.environ.get("ZWGK_QUIT_WHEN_SHOWN"):  # start-up benchmark: report the moment of first paint
        QTimer.singleShot(0, lambda: (print(f"shown {time.time():.6f}", flush=True), app.quit()))
    else:
        window.after_show()
    return app.exec()


def _ensure_signing_key(window) -> None:
    """Each office's Ed25519 key pair is made on its first start (core.exchange.signing)."""
    from core.exchange import signing

    try:
        signing.ensure_own_key(window.session.db)
    except UserError as exc:  # a damaged key file: say so; the window still opens
        QMessageBox.warning(window, "签名密钥", str(exc))
