"""设置 → 模板: export a form's template, change it in Word/WPS, load it back, or go back to the shipped one."""

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton, QVBoxLayout, QWidget

from core.export import templates
from gui.errors import show_error


# What a user may write in each template, in plain words: (what to type, what it becomes).
UNIT_FIELDS = (("{{ unit }}", "本单位名称，如 城东街道"), ("{{ year }}", "年度，如 2024"), ("{{ date }}", "导出当天，如 2024年5月31日"))
PLAN_FIELDS = (("{{ a.theme }}", "活动主题"), ("{{ a.time }}", "开展时间"), ("{{ a.place }}", "开展地点"), ("{{ a.content }}", "活动内容"),
               ("{{ a.audience }}", "活动对象"), ("{{ a.signup }}", "报名方式"), ("{{ a.contact }}", "联系人"), ("{{ a.phone }}", "联系方式"))
REPORT_FIELDS = (("{{ a.theme }}", "活动主题"), ("{{ a.held_on }}", "开展日期"), ("{{ a.place }}", "开展地点"), ("{{ a.content }}", "活动内容"),
                 ("{{ a.audience }}", "活动对象"), ("{{ a.participants }}", "参加人数"), ("{{ a.opinions }}", "征集意见数"),
                 ("{{ a.answered }}", "答复意见数"), ("{{ a.adopted }}", "采纳意见数"), ("{{ a.due }}", "报送时限"),
                 ("{{ a.note }}", "开展情况"), ("{{ a.links }}", "相关链接"), ("{{ a.contact }}", "联系人"), ("{{ a.phone }}", "联系方式"))
REPEAT = ("每项活动一张表：表格前一段写 {%p for a in activities %}，表格后一段写 {%p endfor %}，"
          "这两段之间的内容按活动逐项重复，请不要删除。")
REQUEST_FIELDS = (("{{ no }}", "申请编号，如 2024-001"), ("{{ received }}", "收到日期"), ("{{ channel }}", "收到方式"),
                  ("{{ applicant }}", "申请人类别"), ("{{ name }}", "申请人姓名或名称"), ("{{ contact }}", "申请人联系方式"),
                  ("{{ content }}", "所需信息"), ("{{ form }}", "获取形式"), ("{{ due }}", "法定答复期限"),
                  ("{{ consult_start }}", "征求意见起始日"), ("{{ consult_end }}", "征求意见截止日"), ("{{ replied }}", "答复日期"),
                  ("{{ result }}", "办理结果"), ("{{ reason }}", "答复理由和依据"), ("{{ note }}", "备注"))
FIELD_HELP = {
    "ledger": (UNIT_FIELDS + (("{{ table }}", "台账表格，程序按所选的列生成；这一段只能有这一个标记"),), ""),
    "activity_plan": (UNIT_FIELDS + PLAN_FIELDS, REPEAT),
    "activity_report": (UNIT_FIELDS + REPORT_FIELDS, REPEAT),
    "annual_report": (UNIT_FIELDS, "表二、表三、表四和各部分文字由程序按“年度报告”页的内容填入。"),
    **{name: (UNIT_FIELDS + REQUEST_FIELDS, "") for name in templates.TEMPLATES if name.startswith("request_")},
}


def field_help(name: str) -> str:
    """The fields template `name` may use, as Chinese rich text with an example."""
    fields, note = FIELD_HELP.get(name, ((), ""))
    rows = "".join(f"<tr><td><code>{escape(code)}</code></td><td>{escape(meaning)}</td></tr>" for code, meaning in fields)
    example = "例如写“填报单位：{{ unit }}”，导出时就成为“填报单位：城东街道”。"
    return (
        "<p>模板里用双花括号括起的英文是<b>填写位置</b>，导出时程序把它换成对应的内容；其余文字、字体、列宽都可以在 Word/WPS 里随意修改。"
        f"{escape(example)}</p><table cellspacing='0' cellpadding='2'>{rows}</table>"
        + (f"<p>{escape(note)}</p>" if note else "")
        + "<p>填写位置的拼写（包括花括号和空格）请保持原样；载入时程序会检查模板，发现问题会说明是哪里。</p>"
    )


class TemplatesTab(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.list = QListWidget()
        intro = QLabel(
            "导出的表单按下列 Word 模板填写。可以先导出模板，在 Word/WPS 中修改文字、列宽或加入单位标志，再载入使用。"
        )
        intro.setWordWrap(True)
        self.fields = QLabel()
        self.fields.setWordWrap(True)
        self.fields.setTextFormat(Qt.RichText)
        self.list.currentRowChanged.connect(lambda _row: self.fields.setText(field_help(self.current_name())))
        self.buttons = {}
        row = QHBoxLayout()
        for key, text, slot in (
            ("export", "导出模板…", self.export_template),
            ("load", "载入修改后的模板…", self.load_template),
            ("reset", "恢复默认模板", self.reset_template),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.fields)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        current = max(self.list.currentRow(), 0)
        self.list.clear()
        for name, title in templates.TEMPLATES.items():
            state = "自定义" if templates.is_custom(self.session.db_path, name) else "默认"
            self.list.addItem(f"{title}（{state}）")
        self.list.setCurrentRow(current)

    def current_name(self) -> str:
        return list(templates.TEMPLATES)[max(self.list.currentRow(), 0)]

    def export_template(self, _checked=False, path: str | None = None) -> None:
        name = self.current_name()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出模板", f"{templates.TEMPLATES[name]}模板.docx", "Word 文档 (*.docx)")
        if path:
            try:
                templates.export_template(self.session.db_path, name, path)
            except Exception as exc:
                show_error(self, exc)

    def load_template(self, _checked=False, path: str | None = None) -> None:
        name = self.current_name()
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "载入模板", "", "Word 文档 (*.docx)")
        if not path:
            return
        try:
            templates.load_template(self.session.db_path, name, path)
        except Exception as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.session.status_message.emit(f"已载入{templates.TEMPLATES[name]}模板，之后导出将使用它。")

    def reset_template(self) -> None:
        name = self.current_name()
        if templates.reset_template(self.session.db_path, name):
            self.refresh()
        else:
            QMessageBox.information(self, "恢复默认模板", "该表单正在使用默认模板。")
