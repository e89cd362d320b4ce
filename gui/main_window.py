"""The main window: navigation, pages, menus and status bar."""

import importlib
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.version import __version__
from gui.pages import PAGES
from gui.help import add_help_actions, read_only_banner, show_undo_state
from gui.session import Session


class MainWindow(QMainWindow):
    def __init__(self, db_path, ask_profile=True):
        super().__init__()
        self.session = Session(db_path)
        self.ask_profile = ask_profile
        self.setWindowTitle("政务公开工作台账")
        self.pages: dict[int, QWidget] = {}

        self.nav = QListWidget()
        self.nav.addItems([title for title, _, _ in PAGES])
        self.nav.setFixedWidth(120)
        self.nav.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item { padding: 10px 8px; }")
        self.stack = QStackedWidget()
        for _ in PAGES:
            self.stack.addWidget(QWidget())
        self.nav.currentRowChanged.connect(self.show_page)

        central = QWidget()
        outer = QVBoxLayout(central)  # a read-only banner above the pages
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.read_only_banner = read_only_banner(self.session)
        outer.addWidget(self.read_only_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)

        self.undo_label = QLabel()
        self.statusBar().addPermanentWidget(self.undo_label)
        self.unit_label = QLabel()
        self.statusBar().addPermanentWidget(self.unit_label)
        self.session.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session.changed.connect(self._on_changes)
        self._build_menus()
        self._update_unit_label()
        self._restore_geometry()
        if self.session.read_only:  # a second copy: nothing that changes the ledger
            for action in (self.import_action, self.select_action, self.undo_action, self.redo_action):
                action.setEnabled(False)
        self.nav.setCurrentRow(0)
        self.setAcceptDrops(True)

    def show_page(self, index: int) -> QWidget:
        """Switch to page `index`, building it the first time."""
        page = self.pages.get(index)
        if page is None:
            _, module, name = PAGES[index]
            page = getattr(importlib.import_module(module), name)(self.session, self)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[index] = page
            if hasattr(page, "undo_stack"):
                page.undo_stack.indexChanged.connect(lambda _i, p=page: show_undo_state(self.undo_label, p.undo_stack))
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        return page

    def page(self, title: str) -> QWidget:
        """The page named `title`, shown."""
        return self.show_page([t for t, _, _ in PAGES].index(title))

    def after_show(self) -> None:
        """First-start questions, asked once the window is on screen."""
        if self.ask_profile and not self.session.profile:
            from gui.profile_dialog import ProfileDialog

            if ProfileDialog(self.session.db, self, first_start=True).exec():
                self.session.publish({"profile"}, initiator=self)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.import_action = self._action(file_menu, "导入方案(&I)…", QKeySequence.Open, self.import_plan)
        self.select_action = self._action(file_menu, "选择本单位任务(&T)…", QKeySequence("Ctrl+T"), lambda: self.select_tasks())
        self.export_action = self._action(file_menu, "导出(&E)…", QKeySequence("Ctrl+E"), lambda: __import__("gui.export_dialog", fromlist=["x"]).open_export_dialog(self))
        self._action(file_menu, "导出佐证材料包(&Z)…", None, lambda: __import__("gui.export_dialog", fromlist=["x"]).export_evidence(self))
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", QKeySequence("Ctrl+Q"), self.close)

        edit_menu = bar.addMenu("编辑(&E)")
        self.undo_action = self._action(edit_menu, "撤销(&U)", QKeySequence.Undo, self.undo)
        self.redo_action = self._action(edit_menu, "重做(&R)", QKeySequence("Ctrl+Y"), self.redo)
        self._action(edit_menu, "查找(&F)", QKeySequence.Find, self.focus_search)

        go_menu = bar.addMenu("转到(&G)")
        for index, (title, _, _) in enumerate(PAGES):
            self._action(go_menu, title, QKeySequence(f"Ctrl+{index + 1}"), lambda _=False, i=index: self.show_page(i))

        help_menu = bar.addMenu("帮助(&H)")
        add_help_actions(self, help_menu)
        self._action(help_menu, "导出诊断信息(&D)…", None, lambda: importlib.import_module("gui.backup_tab").export_diagnostics(self))
        self._action(help_menu, "关于(&A)", None, self.about)

    def _action(self, menu, text, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def import_plan(self) -> None:
        from gui.import_dialog import choose_and_import

        choose_and_import(self)

    def dragEnterEvent(self, event) -> None:
        if self._dropped_plan(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_plan(event)
        if path:
            from gui.import_dialog import choose_and_import

            choose_and_import(self, path)

    @staticmethod
    def _dropped_plan(event):
        from gui.import_dialog import PLAN_SUFFIXES

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        return paths[0] if len(paths) == 1 and Path(paths[0]).suffix.lower() in PLAN_SUFFIXES else None

    def select_tasks(self, show_maybe=False) -> None:
        from core.errors import UserError
        from gui.task_selection_dialog import TaskSelectionDialog

        try:
            dialog = TaskSelectionDialog(self.session, self, show_maybe=show_maybe)
        except UserError as exc:
            QMessageBox.warning(self, "无法选择任务", str(exc))
            return
        dialog.exec()

    def undo(self) -> None:
        page = self.stack.currentWidget()
        if hasattr(page, "undo"):
            page.undo()

    def redo(self) -> None:
        page = self.stack.currentWidget()
        if hasattr(page, "redo"):
            page.redo()

    def focus_search(self) -> None:
        page = self.page("任务台账")
        if hasattr(page, "focus_search"):
            page.focus_search()

    def about(self) -> None:
        from core.version import versions

        info = versions()
        QMessageBox.about(
            self,
            "关于政务公开工作台账",
            f"<h3>政务公开工作台账 {__version__}</h3>"
            f"<p>乡镇（街道）、县直部门政务公开工作任务台账的离线管理工具。</p>"
            f"<p>数据库：{self.session.db_path}</p>"
            f"<p>Python {info['python']}，SQLite {info['sqlite']}，Qt（PySide6）{info['PySide6-Essentials']}</p>",
        )

    def _on_changes(self, changes) -> None:
        if changes.touches({"profile"}):
            self._update_unit_label()

    def _update_unit_label(self) -> None:
        p = self.session.profile
        self.unit_label.setText(f"{p['name']} · {p['role']}" if p else "未设置本单位")

    def _restore_geometry(self) -> None:
        state = QSettings().value("main_window/geometry")
        if state is None or not self.restoreGeometry(state):
            self.resize(QSize(1200, 760))

    def closeEvent(self, event) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.session.close()
        super().closeEvent(event)
