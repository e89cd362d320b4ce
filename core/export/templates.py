"""The docxtpl templates the .docx forms are filled from: shipped ones, and a user's own.

A user exports a template, changes it in Word/WPS (wording, widths, a logo) and loads it back;
it is kept in the templates folder beside the database and used from then on.
"""

import shutil
import zipfile
from pathlib import Path

from core.errors import UserError

TEMPLATES = {
    "activity_plan": "政府开放活动计划安排报送表",
    "activity_report": "政府开放活动开展情况报送表",
    "ledger": "工作任务台账",
    "annual_report": "政府信息公开工作年度报告",
    "request_receipt": "政府信息公开申请登记表及接收回执",
    "request_correction": "政府信息公开申请补正告知书",
    "request_extension": "政府信息公开申请延期答复告知书",
    "request_consult": "政府信息公开征求意见书",
    "request_reply_1": "政府信息公开申请答复书（予以公开）",
    "request_reply_2": "政府信息公开申请答复书（部分公开）",
    "request_reply_3": "政府信息公开申请答复书（不予公开）",
    "request_reply_4": "政府信息公开申请答复书（无法提供）",
    "request_reply_5": "政府信息公开申请答复书（不予处理）",
    "request_reply_6": "政府信息公开申请答复书（其他处理）",
}
# What the documents of an application may name (core.export.request_docs fills them all).
REQUEST_VARIABLES = {"unit", "year", "date", "no", "received", "channel", "applicant", "name", "contact", "content",
                     "form", "due", "note", "consult_start", "consult_end", "replied", "result", "reason"}
# Variables each template may use; the ones listed in REQUIRED must be present.
VARIABLES = {
    "activity_plan": {"unit", "activities", "year", "date"},
    "activity_report": {"unit", "activities", "year", "date"},
    "ledger": {"unit", "year", "date", "table"},
    "annual_report": {"unit", "year", "date"},
    **{name: REQUEST_VARIABLES for name in TEMPLATES if name.startswith("request_")},
}
REQUIRED = {"activity_plan": {"activities"}, "activity_report": {"activities"}, "ledger": {"table"}, "annual_report": {"year"},
            **{name: {"no"} for name in TEMPLATES if name.startswith("request_")}}
TABLE_MARKER = "〔ZWGK-LEDGER-TABLE〕"


def _check_name(name: str) -> str:
    if name not in TEMPLATES:
        raise UserError(f"没有名为“{name}”的模板，可选：{'、'.join(TEMPLATES)}。")
    return name


def shipped_path(name: str) -> Path:
    """The template shipped with the program."""
    from core.paths import resources_dir

    return resources_dir() / "templates" / f"{_check_name(name)}.docx"


def user_folder(db_path) -> Path:
    """Where a user's own templates live: the templates folder beside the database."""
    from core.paths import beside_db

    return beside_db(db_path, "templates")


def user_path(db_path, name: str) -> Path:
    return user_folder(db_path) / f"{_check_name(name)}.docx"


def template_path(db_path, name: str) -> Path:
    """The template in use: the user's if loaded, else the shipped one."""
    if db_path is not None:
        mine = user_path(db_path, name)
        if mine.is_file():
            return mine
    return shipped_path(name)


def is_custom(db_path, name: str) -> bool:
    """True when the user has loaded their own template for `name`."""
    return db_path is not None and user_path(db_path, name).is_file()


def export_template(db_path, name: str, target) -> Path:
    """Copy the template in use to `target` so the user can edit it."""
    from core.storage.atomic import atomic_path

    source = template_path(db_path, name)
    target = Path(target)
    if target.suffix.lower() != ".docx":
        raise UserError("模板须保存为 .docx 文件，请把文件名改为 .docx 结尾。")
    with atomic_path(target, expect_size=Path(source).stat().st_size) as tmp:
        shutil.copyfile(source, tmp)
    return target


def validate_template(name: str, source) -> set:
    """Check `source` is a .docx that docxtpl renders with this template's variables.

    Returns the variables it uses; raises UserError saying what is wrong otherwise.
    """
    source = Path(source)
    if not source.is_file():
        raise UserError(f"找不到模板文件“{source}”，请检查路径。")
    if source.suffix.lower() != ".docx" or not zipfile.is_zipfile(source):
        raise UserError(f"“{source.name}”不是 .docx 文件：请在 Word/WPS 中“另存为”Word 文档（*.docx）后再载入。")
    try:
        with zipfile.ZipFile(source) as zf:
            if "word/document.xml" not in zf.namelist():
                raise UserError(f"“{source.name}”不是 Word 文档（缺少正文），请另存为 .docx 后再载入。")
        from docxtpl import DocxTemplate

        tpl = DocxTemplate(str(source))
        used = set(tpl.get_undeclared_template_variables())
    except UserError:
        raise
    except Exception as exc:
        raise UserError(
            f"模板“{source.name}”无法解析：{type(exc).__name__}: {exc}。请检查 {{{{ }}}} 和 {{% %}} 标记是否成对、未被拆开。"
        ) from exc
    unknown = used - VARIABLES[name]
    if unknown:
        raise UserError(
            f"模板“{source.name}”用了程序不认识的变量：{'、'.join(sorted(unknown))}。可用变量：{'、'.join(sorted(VARIABLES[name]))}。"
        )
    missing = REQUIRED[name] - used
    if missing:
        raise UserError(
            f"模板“{source.name}”缺少必需的标记 {{{{ {'、'.join(sorted(missing))} }}}}（用于填入表格），请从导出的模板上修改，不要删除这些标记。"
        )
    _trial_render(name, source)
    return used


def _trial_render(name: str, source: Path) -> None:
    """Render `source` once with sample data, so a broken template is refused now, not at export."""
    import tempfile

    sample = {"theme": "示例", "time": "7月中旬", "place": "示例", "content": "示例", "audience": "示例", "signup": "",
              "contact": "示例", "phone": "0533-0000000", "held_on": "2024-07-15", "participants": 1, "opinions": 0,
              "answered": 0, "adopted": 0, "due": "2024-07-22", "note": "", "links": ""}
    context = {"unit": "示例单位", "year": 2024, "date": "2024年7月1日", "activities": [sample], "table": TABLE_MARKER}
    with tempfile.TemporaryDirectory() as folder:
        try:
            render(source, context, Path(folder) / "trial.docx")
        except UserError:
            raise
        except Exception as exc:
            raise UserError(f"模板“{source.name}”填充示例数据时出错：{exc}。请从导出的模板重新修改。") from exc


def load_template(db_path, name: str, source) -> Path:
    """Validate `source` and keep it as this database's template for `name`."""
    from core.storage.atomic import atomic_path

    validate_template(name, source)
    target = user_path(db_path, name)
    with atomic_path(target, expect_size=Path(source).stat().st_size) as tmp:
        shutil.copyfile(source, tmp)
    return target


def reset_template(db_path, name: str) -> bool:
    """Go back to the shipped template; True if a user template was removed."""
    path = user_path(db_path, name)
    if path.is_file():
        path.unlink()
        return True
    return False


def render(template, context: dict, target, post=None) -> None:
    """Fill `template` with `context` (escaped) and save it to `target` atomically.

    `post(document)` may change the rendered python-docx Document before it is saved.
    """
    from docxtpl import DocxTemplate

    from core.storage.atomic import atomic_path

    import io

    from core.text import printable

    tpl = DocxTemplate(str(template))
    tpl.render(_printable(context, printable), autoescape=True)
    if post is not None:
        post(tpl.docx)
    buffer = io.BytesIO()  # built in memory: a full disk then fails at one plain write (core.storage.atomic)
    tpl.save(buffer)
    with atomic_path(target) as tmp:
        tmp.write_bytes(buffer.getbuffer())


def _printable(value, guard):
    """`value` (a template context) with every text in it passed through `guard`."""
    if isinstance(value, str):
        return guard(value)
    if isinstance(value, dict):
        return {k: _printable(v, guard) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v, guard) for v in value]
    return value
