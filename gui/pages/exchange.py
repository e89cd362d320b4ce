"""数据交换 page: export 任务包 / 报送包, import many packages at once, see each unit's state,
review conflicts, and bring back a ledger .xlsx edited in Excel/WPS."""

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.exchange import merge, roundtrip
from core.county.roster import report_status
from core.vocab import COUNTY_OFFICE
from db.schema import TABLE_NAMES
from gui.changes import PACKAGE, ChangeWatch
from gui.errors import show_error
from gui.widgets import role_int, row_table
from gui.worker import run_task

PACKAGE_FILTER = "数据包 (*.zwgk)"
KIND_NAMES = {"task": "任务包", "report": "报送包", None: "—"}
ROLE_COUNTY = COUNTY_OFFICE
SIZE_ROWS = 200
DISPLAY, TOOLTIP, BACKGROUND = role_int(Qt.DisplayRole), role_int(Qt.ToolTipRole), role_int(Qt.BackgroundRole)


class RecordsModel(QAbstractTableModel):
    """A read-only table of dicts: columns are (title, key or function of the row)."""

    def __init__(self, columns, parent=None, tint=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []
        self.tint = tint

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> str:
        getter = self.columns[column][1]
        value = getter(self.rows[row]) if callable(getter) else self.rows[row].get(getter)
        return "" if value is None else str(value)

    def data(self, index, role=Qt.DisplayRole):
        role = role_int(role)  # asked for every cell and role while a county's table of 2,000 units is sized
        if role not in (DISPLAY, TOOLTIP, BACKGROUND) or not index.isValid():
            return None
        if role != BACKGROUND:
            return self.value(index.row(), index.column())
        if self.tint:
            color = self.tint(self.rows[index.row()])
            return QColor(color) if color else None
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.columns[section][0]
        return None


def _report_tint(detail: dict):
    """Red for a refused package, yellow for one whose records were partly rejected."""
    if detail["error"]:
        return "#fde2e1"
    return "#fff4ce" if detail.get("rejected") else None


def _table(model) -> QTableView:
    view = row_table(model)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    # Columns fit the rows on screen and the first SIZE_ROWS others, not all 1,000 Qt reads by default:
    # sizing a county's 2,000-unit table on the main thread took seconds each time it was shown.
    view.horizontalHeader().setResizeContentsPrecision(SIZE_ROWS)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def _result_text(detail: dict) -> str:
    from core.exchange.packs import result_text

    return detail.get("result") or result_text(detail, bool(detail.get("dry_run")))


REPORT_COLUMNS = [
    ("文件", "file"), ("类型", lambda d: KIND_NAMES.get(d["kind"], d["kind"])), ("发送单位", "sender"),
    ("新增", "new"), ("更新", "updated"), ("未变", "unchanged"), ("冲突", "conflicts"), ("拒绝", "rejected"),
    ("结果", _result_text),
]
STATE_COLUMNS = [
    ("单位", "unit"), ("台账条数", "entries"), ("已完成", "done"), ("逾期", "overdue"),
    ("最近报送", lambda s: (s["last_report"] or "")[:10] or "未报送"), ("报送次数", "reports"),
    ("已发任务包", lambda s: "是" if s["has_key"] else "否"),
    ("任务包日期", lambda s: s.get("task_pack") or ""), ("应报日期", lambda s: s.get("report_due") or ""),
    ("迟报", lambda s: "逾期未报" if s.get("late") else ""),
]
CONFLICT_COLUMNS = [
    ("编号", "seq"), ("数据", lambda c: TABLE_NAMES.get(c["table"], c["table"])),
    ("单位", lambda c: c["kept"].get("unit") or c["lost"].get("unit") or ""),
    ("不同的字段", lambda c: "、".join(c["fields"]) or "（仅版本不同）"),
    ("保留的版本", lambda c: f"第{c['kept'].get('rev')}版 {c['kept'].get('updated_by', '')}"),
    ("落选的版本", lambda c: f"第{c['lost'].get('rev')}版 {c['lost'].get('updated_by', '')}"),
    ("来源", "source"), ("时间", lambda c: (c["at"] or "")[:19].replace("T", " ")),
]
CHANGE_COLUMNS = [
    ("行", "row"), ("序号", "seq"), ("栏目", "label"), ("原值", lambda c: roundtrip.short_value(c["old"])),
    ("新值", lambda c: roundtrip.short_value(c["new"])), ("处理", lambda c: roundtrip.STATUS_NAMES[c["status"]]), ("说明", "reason"),
]
CHANGE_TINTS = {"conflict": "#fde2e1", "invalid": "#fde2e1", "uncertain": "#fff4cc", "change": "#e6f4ea", "unmatched": "#fff4cc"}


# ---- background jobs (each opens its own connection) --------------------------------------


def _with_worker_db(session, fn, *args, **kwargs):
    db = session.open_worker_db()
    try:
        return fn(db, *args, **kwargs)
    finally:
        db.conn.close()


def import_job(session, paths, accept_new=frozenset(), progress=None):
    """Import packages on a worker connection; keys seen for the first time only if in `accept_new`."""
    from core.exchange.packs import unpack

    return _with_worker_db(session, unpack, session.db_path, paths, progress=progress, accept_new=set(accept_new))


def pack_job(session, kind, out, unit=None):
    from core.exchange.packs import pack

    return _with_worker_db(session, pack, session.db_path, kind, out, unit)


def pack_many_job(session, folder, progress=None):
    """One 任务包 per roster unit that has tasks (core.exchange.packs.pack_all)."""
    from core.exchange.packs import pack_all

    return _with_worker_db(session, pack_all, session.db_path, folder, progress=progress)


def states_job(session):
    """Who has reported (core.county.roster.report_status), computed on a worker connection."""
    return _with_worker_db(session, report_status)


def roster_names(db) -> list[str]:
    from core.county.roster import list_units

    return [u["name"] for u in list_units(db)]


def read_changes_job(session, path, unit=None):
    return _with_worker_db(session, roundtrip.read_changes, path, unit=unit)


def apply_changes_job(session, result, accept_uncertain, accept_unmatched=False):
    return _with_worker_db(session, roundtrip.apply_changes, result, accept_uncertain=accept_uncertain,
                           accept_unmatched=accept_unmatched)


# ---- dialogs ------------------------------------------------------------------------------


class RoundtripDialog(QDialog):
    """Shows the changed cells of an edited ledger workbook and asks before applying them."""

    def __init__(self, result: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("核对表格中的改动")
        self.resize(900, 480)
        self.accept_uncertain = False
        c = result["counts"]
        summary = QLabel(
            f"“{result['file']}”：可应用的改动 {c['change']} 处，冲突 {c['conflict']} 处（不会覆盖），无效 {c['invalid']} 处，"
            f"不导入 {c['ignored']} 处，待确认 {c['uncertain']} 处，未匹配 {c['unmatched']} 行。"
        )
        summary.setWordWrap(True)
        self.model = RecordsModel(CHANGE_COLUMNS, self, tint=lambda ch: CHANGE_TINTS.get(ch["status"]))
        self.model.set_rows(result["changes"])
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("应用改动", QDialogButtonBox.AcceptRole)
        self.apply_button.setEnabled(c["change"] > 0)
        self.all_button = buttons.addButton("连同待确认的一起应用", QDialogButtonBox.AcceptRole)
        self.all_button.setVisible(c["uncertain"] > 0)
        self.all_button.clicked.connect(lambda: setattr(self, "accept_uncertain", True))
        # New rows typed in Excel (no record id) are never applied unless the user asks here.
        offers = sum(1 for ch in result["changes"] if ch["status"] == "unmatched" and ch["table"] == "progress" and ch["entry_id"])
        self.unmatched_box = QCheckBox(f"把 {offers} 行新增的行作为其上方任务的一条完成情况添加")
        self.unmatched_box.setVisible(offers > 0)
        self.unmatched_box.toggled.connect(lambda on: self.apply_button.setEnabled(c["change"] > 0 or on))
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(_table(self.model), 1)
        layout.addWidget(self.unmatched_box)
        layout.addWidget(buttons)

    @property
    def accept_unmatched(self) -> bool:
        """Whether the user chose to add the new rows as progress lines."""
        return self.unmatched_box.isChecked()


# ---- the page -------------------------------------------------------------------------------


class ExchangePage(QWidget):
    # What it shows (gui.changes): each unit's ledger and reports, conflicts, the office's role.
    SHOWS = frozenset({"exchange", "roster", "plan", "entries", "progress", "profile", "calendar"})

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._generation = 0  # only the newest unit states are shown
        self.setAcceptDrops(True)
        self.last_report: dict | None = None

        self.role_label = QLabel()
        self.role_label.setWordWrap(True)
        self.export_task_button = QPushButton("导出任务包…")
        self.export_all_button = QPushButton("为名册中所有单位导出…")
        self.export_report_button = QPushButton("导出报送包…")
        self.import_button = QPushButton("导入数据包…")
        self.import_folder_button = QPushButton("导入文件夹…")
        self.roundtrip_button = QPushButton("导入修改后的台账表格…")
        self.export_task_button.clicked.connect(self.export_task)
        self.export_all_button.clicked.connect(self.export_all)
        self.export_report_button.clicked.connect(self.export_report)
        self.import_button.clicked.connect(self.choose_files)
        self.import_folder_button.clicked.connect(self.choose_folder)
        self.roundtrip_button.clicked.connect(self.choose_workbook)
        buttons = QHBoxLayout()
        for b in (self.export_task_button, self.export_all_button, self.export_report_button, self.import_button,
                  self.import_folder_button, self.roundtrip_button):
            buttons.addWidget(b)
        buttons.addStretch()

        self.report_model = RecordsModel(REPORT_COLUMNS, self, tint=_report_tint)
        self.report_view = _table(self.report_model)
        self.report_label = QLabel("把数据包（.zwgk）拖到这里，或点“导入数据包…”。可一次选择多个文件或整个文件夹。")
        self.report_label.setWordWrap(True)
        self.items_label = QLabel()
        self.items_label.setWordWrap(True)
        self.items_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.report_view.selectionModel().selectionChanged.connect(self.show_items)
        self.state_model = RecordsModel(STATE_COLUMNS, self, tint=lambda s: "#fde2e1" if s["overdue"] else None)
        self.state_view = _table(self.state_model)
        self.conflict_model = RecordsModel(CONFLICT_COLUMNS, self)
        self.conflict_view = _table(self.conflict_model)
        self.restore_button = QPushButton("恢复落选的版本")
        self.dismiss_button = QPushButton("保留当前版本")
        self.restore_button.clicked.connect(self.restore_selected)
        self.dismiss_button.clicked.connect(self.dismiss_selected)

        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(_group("本次导入结果", self.report_label, self.report_view, self.items_label))
        self.state_group = _group("各单位报送情况", self.state_view)
        splitter.addWidget(self.state_group)
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.restore_button)
        conflict_buttons.addWidget(self.dismiss_button)
        conflict_buttons.addStretch()
        splitter.addWidget(_group("冲突（两边都修改过的记录）", self.conflict_view, conflict_buttons))

        layout = QVBoxLayout(self)
        layout.addWidget(self.role_label)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.watch = ChangeWatch(self, session, self.SHOWS, lambda _changes: self.refresh())
        self.refresh()

    # ---- state ------------------------------------------------------------------------

    def is_county(self) -> bool:
        return (self.session.profile or {}).get("role") == ROLE_COUNTY

    def refresh(self) -> None:
        """Re-read roles, unit states and conflicts from the database."""
        county = self.is_county()
        p = self.session.profile or {}
        if not p:
            self.role_label.setText("请先在“设置”页填写本单位信息。")
        elif county:
            self.role_label.setText(f"{p['name']}（汇总单位）：向各单位导出任务包，导入各单位的报送包并汇总。")
        else:
            self.role_label.setText(f"{p['name']}（填报单位）：导入县里下发的任务包，填报后导出报送包报县。")
        for b in (self.export_task_button, self.export_all_button):
            b.setVisible(county)
        self.export_report_button.setVisible(not county)
        self.state_group.setVisible(county)
        self._generation += 1
        generation = self._generation
        if county:
            run_task(self, "正在统计各单位报送情况…", states_job, self.session, modal=False,
                     on_done=lambda rows: self._show_states(rows, generation))
        else:
            self.state_model.set_rows([])
        self.conflict_model.set_rows(merge.list_conflicts(self.session.db))

    def _show_states(self, rows, generation=None) -> None:
        import shiboken6

        if shiboken6.isValid(self) and generation in (None, self._generation):
            self.state_model.set_rows(rows)

    # ---- exporting --------------------------------------------------------------------

    def export_task(self) -> None:
        units = roster_names(self.session.db)
        if not units:
            QMessageBox.information(self, "导出任务包", "单位名册中还没有单位。请先在“单位名册”页添加单位或导入名册，再导出任务包。")
            return
        unit, ok = QInputDialog.getItem(self, "导出任务包", "接收单位（单位名册中的单位）：", units, 0, False)
        if not ok or not unit.strip():
            return
        path, _ = QFileDialog.getSaveFileName(self, "保存任务包", f"{unit.strip()}-任务包.zwgk", PACKAGE_FILTER)
        if path:
            self.export_package("task", path, unit.strip())

    def export_all(self) -> None:
        if not roster_names(self.session.db):
            QMessageBox.information(self, "导出任务包", "单位名册中还没有单位。请先在“单位名册”页添加单位或导入名册。")
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存任务包的文件夹")
        if folder:
            run_task(self, "正在导出任务包…", pack_many_job, self.session, folder, on_done=lambda results: (
                self.session.status_message.emit(f"已导出 {len(results)} 个任务包到 {folder}"), self.refresh()))

    def export_report(self) -> None:
        name = (self.session.profile or {}).get("name", "本单位")
        path, _ = QFileDialog.getSaveFileName(self, "保存报送包", f"{name}-报送包.zwgk", PACKAGE_FILTER)
        if path:
            self.export_package("report", path)

    def export_package(self, kind: str, path, unit: str | None = None) -> None:
        """Write one package in the background and say where it went."""
        if not str(path).lower().endswith(".zwgk"):
            path = f"{path}.zwgk"
        run_task(self, "正在导出数据包…", pack_job, self.session, kind, path, unit, on_done=self._exported)

    def _exported(self, summary: dict) -> None:
        missing = f"（{len(summary['missing_files'])} 个附件文件缺失，未能打包）" if summary["missing_files"] else ""
        self.session.status_message.emit(f"已导出{KIND_NAMES[summary['kind']]}：{summary['file']}{missing}")
        self.refresh()

    # ---- importing --------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择数据包", "", PACKAGE_FILTER)
        if paths:
            self.import_paths(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择包含数据包的文件夹")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths) -> None:
        """Import packages (files or folders) in the background; a package signed by a key seen
        for the first time is held back until its fingerprint is confirmed; then show the report."""
        run_task(self, "正在导入数据包…", import_job, self.session, [str(p) for p in paths], on_done=self.confirm_new_keys)

    def confirm_new_keys(self, report: dict) -> None:
        """Ask to confirm the fingerprints of the keys seen for the first time; import those files again."""
        pending = {}
        for detail in report["details"]:
            if detail.get("new_key"):
                pending.setdefault(detail["new_key"]["public_key"], (detail["new_key"], []))[1].append(detail["path"])
        if not pending or not self.ask_to_pin([key for key, _ in pending.values()]):
            self.show_report(report)
            return
        from core.exchange.packs import combine

        paths = [path for _, files in pending.values() for path in files]
        run_task(self, "正在导入数据包…", import_job, self.session, paths, set(pending),
                 on_done=lambda second: self.show_report(combine(report, second)))

    def ask_to_pin(self, keys: list[dict]) -> bool:
        """The first package from an office: show each new key's fingerprint to compare by phone."""
        whom = "该单位" if self.is_county() else "县政务公开科"
        lines = [f"    {k['office']}：{k['fingerprint']}" + ("（已用原有密钥核验）" if k.get("how") == "legacy_hmac" else "")
                 for k in keys[:15]]
        if len(keys) > 15:
            lines.append(f"    ……另有 {len(keys) - 15} 个单位")
        answer = QMessageBox.question(
            self, "核对签名密钥",
            f"第一次收到以下单位的数据包，其签名密钥指纹为：\n\n" + "\n".join(lines) + "\n\n"
            f"请打电话给{whom}，请对方在“设置 → 密钥”中念出其本单位密钥指纹，一致后再确认。\n"
            "确认后本机将登记这些密钥，今后只接受用它们签名的数据包；选“否”则这些数据包不导入。是否确认并导入？",
        )
        return answer == QMessageBox.Yes

    def show_report(self, report: dict) -> None:
        self.last_report = report
        self.report_model.set_rows(report["details"])
        self.report_label.setText(
            f"共 {len(report['details'])} 个文件：新增 {report['new']}，更新 {report['updated']}，未变 {report['unchanged']}，"
            f"冲突 {report['conflicts']}，拒绝 {report['rejected']}，未导入的文件 {report['refused']}。"
            + ("被拒绝的记录没有写入台账，选中文件可在下方看到每一条及原因；请让发送单位核对后重新导出。"
               if report["rejected"] else "")
            + ("冲突的另一版本已保留在冲突列表中。" if report["conflicts"] else "")
        )
        self._show_items_tooltip(report)
        first = next((i for i, d in enumerate(report["details"]) if d["error"] or d.get("rejected")), None)
        if first is not None:
            self.report_view.selectRow(first)
        self.session.publish(PACKAGE, initiator=self)
        self.refresh()

    def show_items(self, *_args) -> None:
        """The rejections and conflicts of the selected file, below the report table."""
        rows = self.report_view.selectionModel().selectedRows()
        if not rows:
            self.items_label.setText("")
            return
        detail = self.report_model.rows[rows[0].row()]
        items = detail.get("items", [])
        lines = [f"{'拒绝' if i['what'] == 'rejected' else '冲突'}：{i['reason']}" for i in items[:12]]
        if len(items) > 12:
            lines.append(f"……另有 {len(items) - 12} 条")
        self.items_label.setText("\n".join(lines) or (detail["error"] or "此文件没有被拒绝或冲突的记录。"))

    def _show_items_tooltip(self, report: dict) -> None:
        lines = []
        for detail in report["details"]:
            for item in detail.get("items", [])[:20]:
                lines.append(f"{detail['file']}：{item['reason']}")
        self.report_view.setToolTip("\n".join(lines[:60]))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if self.drop_paths(paths):
            event.acceptProposedAction()

    def drop_paths(self, paths) -> bool:
        """Import dropped packages and folders; a dropped .xlsx goes to the round trip."""
        workbooks = [p for p in paths if str(p).lower().endswith(".xlsx")]
        packages = [p for p in paths if p not in workbooks]
        if packages:
            self.import_paths(packages)
        elif workbooks:
            self.roundtrip_file(workbooks[0])
        return bool(paths)

    # ---- conflicts --------------------------------------------------------------------

    def selected_conflict(self) -> dict | None:
        rows = self.conflict_view.selectionModel().selectedRows()
        return self.conflict_model.rows[rows[0].row()] if rows else None

    def restore_selected(self) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            QMessageBox.information(self, "恢复", "请先在冲突列表中选择一条。")
            return
        try:
            merge.restore_conflict(self.session.db, conflict["seq"])
        except Exception as exc:  # shown to the user, not raised into Qt
            show_error(self, exc)
            return
        self.session.status_message.emit(f"已恢复冲突 {conflict['seq']} 中落选的版本")
        self.session.publish(PACKAGE, initiator=self)
        self.refresh()

    def dismiss_selected(self) -> None:
        conflict = self.selected_conflict()
        if conflict is not None:
            merge.dismiss_conflict(self.session.db, conflict["seq"])
            self.refresh()

    # ---- Excel round trip -------------------------------------------------------------

    def choose_workbook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择修改后的台账表格", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.roundtrip_file(path)

    def roundtrip_file(self, path, unit=None) -> None:
        def failed(exc):
            if isinstance(exc, roundtrip.UnitNeeded):
                self.ask_unit_then_roundtrip(path)
            else:
                show_error(self, exc)

        run_task(self, "正在对照表格中的改动…", read_changes_job, self.session, str(path), unit,
                 on_done=self.confirm_changes, on_error=failed)

    def ask_unit_then_roundtrip(self, path) -> None:
        """A workbook a unit made by hand: ask whose ledger it is, then compare it with that unit's entries.
        (The units come from report_status, which computes every unit's due dates: in the worker.)"""

        def ask(states):
            units = [s["unit"] for s in states]
            unit, ok = QInputDialog.getItem(
                self, "这份表格属于哪个单位？", f"“{Path(path).name}”不是本程序导出的表格，请选择它所属的单位：", units, 0, False)
            if ok and unit:
                self.roundtrip_file(path, unit)

        run_task(self, "正在读取单位名单…", states_job, self.session, on_done=ask)

    def confirm_changes(self, result: dict) -> None:
        if not result["changes"]:
            QMessageBox.information(self, "核对表格", f"“{result['file']}”与台账一致，没有需要导入的改动。")
            return
        dialog = RoundtripDialog(result, self)
        if dialog.exec() != QDialog.Accepted:
            return
        run_task(self, "正在应用改动…", apply_changes_job, self.session, result, dialog.accept_uncertain, dialog.accept_unmatched,
                 on_done=self._changes_applied)

    def _changes_applied(self, applied: int) -> None:
        self.session.status_message.emit(f"已从表格应用 {applied} 处改动")
        self.session.publish({"entries", "progress"}, initiator=self)
        self.refresh()


def _group(title: str, *parts) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for part in parts:
        if isinstance(part, QWidget):
            layout.addWidget(part)
        else:
            layout.addLayout(part)
    return box
