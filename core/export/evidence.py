"""佐证材料包: a year's evidence gathered for the county's inspection, as one .zip.

Inside one folder named after the unit and year: a sub-folder per task ("序号_任务", names
Windows accepts) holding copies of that task's evidence files and a 链接.txt of its web links,
and 佐证材料索引.xlsx listing every task, its progress lines and its evidence. The files are
copied out of the attachment folder (never moved); one that is missing there is listed in
the index as missing, so the bundle is still written.
"""

import io
import zipfile
from datetime import date
from pathlib import Path

from core import ledger
from core.ledger import attachments
from core.errors import UserError

INDEX_NAME = "佐证材料索引.xlsx"
LINKS_NAME = "链接.txt"
MAX_FOLDER = 40  # characters of a task folder's name (Windows paths stay short)
INDEX_HEADERS = ("序号", "工作任务", "工作要求", "状态", "完成情况（进展）", "佐证文件", "佐证链接", "所在文件夹")
INDEX_WIDTHS = (8, 24, 40, 10, 40, 36, 36, 24)


def windows_name(text: str, limit: int = MAX_FOLDER) -> str:
    """`text` as a file or folder name Windows accepts, at most `limit` characters."""
    from core.export.common import sanitize_file_name

    name = sanitize_file_name(" ".join(str(text or "").split()))[:limit].rstrip(". ")
    return name or "未命名"


def task_folder(entry: dict) -> str:
    """The sub-folder of one task: 序号_任务 (the task's most specific category, else its requirement)."""
    task = (entry.get("category") or [""])[-1] or entry.get("requirement") or ""
    return windows_name(f"{entry.get('seq') or ''}_{task}")


def _unique(name: str, taken: set) -> str:
    """`name`, or `name (2)`, `name (3)`… when already taken (compared as Windows does, ignoring case)."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    taken.add(candidate.lower())
    return candidate


def _evidence(db, progress_ids: list[str]) -> dict:
    """{progress_id: [attachment rows]} of the live evidence of those progress lines."""
    out: dict = {}
    for start in range(0, len(progress_ids), 500):
        chunk = progress_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT * FROM attachments WHERE deleted = 0 AND progress_id IN ({marks}) ORDER BY updated_at, id", chunk
        ):
            out.setdefault(row["progress_id"], []).append(dict(row))
    return out


def plan_bundle(db, db_path, year=None, unit=None) -> dict:
    """What the bundle will hold: {"root", "unit", "year", "tasks": [...]}.

    Each task: entry, folder, progress (lines), files [{name, arcname, source, missing}],
    links [{date, name, url}].
    """
    from core.export.common import unit_and_year

    unit_name, year = unit_and_year(db, year, unit)
    entries = ledger.list_entries(db, year=year, unit=unit)
    if not entries:
        raise UserError(f"{year}年度没有台账任务，无法整理佐证材料。请先导入方案，或用 --year 指定其他年度。")
    multi = len({e["unit"] for e in entries}) > 1
    evidence = _evidence(db, [p["id"] for e in entries for p in e["progress"]])
    store = attachments.folder(db_path) if db_path else None
    root = windows_name(f"{unit_name}-{year}年政务公开佐证材料", 60)
    folders: set = set()
    tasks = []
    for entry in entries:
        name = task_folder(entry) if not multi else windows_name(f"{entry['unit']}_{task_folder(entry)}")
        folder = _unique(name, folders)
        taken: set = {LINKS_NAME.lower()}
        files, links = [], []
        for line in entry["progress"]:
            for a in evidence.get(line["id"], []):
                if a["kind"] == "link":
                    links.append({"date": line["date"], "name": a["name"], "url": a["url"]})
                    continue
                source = store / a["stored_name"] if store and a.get("stored_name") else None
                arcname = f"{root}/{folder}/{_unique(attachments.safe_name(a['name']), taken)}"
                files.append({"name": a["name"], "arcname": arcname, "source": source,
                              "missing": source is None or not source.is_file(), "date": line["date"]})
        tasks.append({"entry": entry, "folder": folder, "progress": entry["progress"], "files": files, "links": links})
    return {"root": root, "unit": unit_name, "year": year, "tasks": tasks}


def _links_text(task: dict) -> str:
    lines = [f"{task['entry'].get('seq') or ''} {(task['entry'].get('requirement') or '')[:60]}", ""]
    for link in task["links"]:
        lines.append(f"{link['date'] or ''}　{link['name']}")
        lines.append(f"　{link['url']}")
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on older Windows shows it as lines


def index_book(bundle: dict) -> bytes:
    """佐证材料索引.xlsx: one row per task with its progress lines, files and links."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from core.export.common import BODY_FONT, TITLE_FONT
    from core.export.xlsx_form import new_book, page_setup, set_text

    wb = new_book()
    ws = wb.active
    ws.title = "佐证材料索引"
    side = Side(style="thin", color="000000")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(vertical="center", wrap_text=True)
    last = get_column_letter(len(INDEX_HEADERS))
    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], f"{bundle['year']}年政务公开工作佐证材料索引")
    ws["A1"].font, ws["A1"].alignment = Font(name=TITLE_FONT, size=18), Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{last}2")
    set_text(ws["A2"], f"单位：{bundle['unit']}")
    ws["A2"].font = Font(name=BODY_FONT, size=12)
    for col, (title, width) in enumerate(zip(INDEX_HEADERS, INDEX_WIDTHS), start=1):
        cell = ws.cell(row=3, column=col)
        set_text(cell, title)
        cell.font, cell.alignment, cell.border = Font(name="黑体", size=11), Alignment(horizontal="center", vertical="center", wrap_text=True), border
        ws.column_dimensions[get_column_letter(col)].width = width
    font = Font(name=BODY_FONT, size=10.5)
    for row_no, task in enumerate(bundle["tasks"], start=4):
        e = task["entry"]
        progress = "\n".join(f"{p['date'] or ''} {p['text'] or ''}".strip() for p in task["progress"])
        files = "\n".join(f["arcname"].split("/", 1)[1] + ("（文件缺失）" if f["missing"] else "") for f in task["files"])
        links = "\n".join(f"{link['name']} {link['url']}" if link["name"] != link["url"] else link["url"] for link in task["links"])
        values = [e.get("seq"), " / ".join(e.get("category") or []), e.get("requirement"), e.get("status"),
                  progress or "（无进展记录）", files or "（无）", links or "（无）", task["folder"]]
        lines = max(1, *(str(v or "").count("\n") + 1 for v in values))
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=col)
            set_text(cell, value)
            cell.font, cell.alignment, cell.border = font, wrap, border
        ws.row_dimensions[row_no].height = max(30, 15 * lines + 6)
    page_setup(ws, landscape=True, title_rows="3:3")
    ws.freeze_panes = "A4"
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue()


def write_bundle(db, db_path, target, year=None, unit=None) -> dict:
    """Write the year's 佐证材料包 to `target` (.zip, atomically); returns what it holds."""
    from core.storage.atomic import atomic_path

    target = Path(target)
    if target.suffix.lower() != ".zip":
        raise UserError(f"输出文件“{target.name}”应以 .zip 结尾（佐证材料包是一个压缩文件）。")
    if target.is_dir():
        raise UserError(f"“{target}”是一个文件夹，请给出文件名，例如 佐证材料.zip。")
    bundle = plan_bundle(db, db_path, year, unit)
    root = bundle["root"]
    copied = missing = 0
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{root}/{INDEX_NAME}", index_book(bundle))
        for task in bundle["tasks"]:
            zf.writestr(zipfile.ZipInfo(f"{root}/{task['folder']}/", date_time=_now()), "")
            for f in task["files"]:
                if f["missing"]:
                    missing += 1
                    continue
                try:
                    zf.write(f["source"], f["arcname"])
                except OSError as exc:
                    raise UserError(f"读取佐证文件“{f['name']}”失败：{exc.strerror or exc}。请关闭占用它的程序后重试。") from exc
                copied += 1
            if task["links"]:
                zf.writestr(f"{root}/{task['folder']}/{LINKS_NAME}", _links_text(task).encode("utf-8-sig"))
    return {"form": "evidence", "path": str(target), "year": bundle["year"], "unit": bundle["unit"], "tasks": len(bundle["tasks"]),
            "files": copied, "missing": missing, "links": sum(len(t["links"]) for t in bundle["tasks"]), "root": root}


def _now() -> tuple:
    today = date.today()
    return (today.year, today.month, today.day, 0, 0, 0)


def default_name(unit: str, year: int, today: date | None = None) -> str:
    """城东街道-2024年佐证材料-20241210.zip."""
    today = today or date.today()
    return windows_name(f"{unit}-{year}年佐证材料-{today.strftime('%Y%m%d')}", 80) + ".zip"
