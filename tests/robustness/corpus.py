"""A seeded generator of broken and hostile input files (nothing binary is committed).

generate(folder, sources, seed) writes the corpus and returns Case records: which command
reads the file, and what a correct program does with it:
    "error"  — must be refused: exit 2 with one Chinese line on stderr;
    "either" — may be refused (exit 2) or read (exit 0) — then the result must be sane;
    "valid"  — a well-formed file: must be read (exit 0) and give a sane result.
"""

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
BOMB_BYTES = 300 * 1024 * 1024  # uncompressed size of the zip-bomb member (~300 KB compressed)


@dataclass
class Case:
    path: Path
    command: str  # parse-plan, import-plan, unpack, roundtrip-xlsx, restore
    expect: str  # error, either, valid
    label: str  # what was done to the file


# ------------------------------------------------------------------ well-formed generated files

CHINESE = "政务公开工作台账信息发布解读回应平台建设规范标准化乡镇街道部门落实推进年度考核"
UNITS = ("各镇（街道）", "区司法局牵头，各镇（街道）具体落实", "区政府各部门单位", "城东街道", "各有关单位")
DEADLINES = ("2024年12月底前", "长期坚持", "每年3月31日前", "信息形成之日起20个工作日内", "6月底前", "")


def _text(rng, n):
    return "".join(rng.choice(CHINESE) for _ in range(n))


def plan_rows(rng, count):
    """Rows of a task table: (序号, 工作任务, 工作要求, 责任单位, 时限要求)."""
    rows = []
    for i in range(1, count + 1):
        rows.append((str(i), _text(rng, rng.randint(4, 12)), _text(rng, rng.randint(10, 80)), rng.choice(UNITS), rng.choice(DEADLINES)))
    return rows


def make_docx(rng, rows=None, huge_cell=0) -> bytes:
    """A small plan as .docx: title, 文号 and a task table."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("博山区人民政府办公室关于印发2024年政务公开工作要点的通知")
    doc.add_paragraph("博政办字〔2024〕14号")
    rows = rows or plan_rows(rng, rng.randint(3, 15))
    table = doc.add_table(rows=1, cols=5)
    for cell, title in zip(table.rows[0].cells, ("序号", "工作任务", "工作要求", "责任单位", "时限要求")):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    if huge_cell:
        table.rows[-1].cells[2].text = _text(rng, 50) * (huge_cell // 50)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def make_xlsx(rng, rows=None, huge_cells=0, extra_rows=0) -> bytes:
    """A small task table as .xlsx."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年政务公开重点工作任务分解表"])
    ws.append(["序号", "工作任务", "工作要求", "责任单位", "时限要求"])
    for row in rows or plan_rows(rng, rng.randint(3, 15)):
        ws.append(list(row))
    for i in range(huge_cells):
        ws.append([str(1000 + i), "超长", _text(rng, 30) * 1000, "各镇（街道）", "长期坚持"])
    for i in range(extra_rows):
        ws.append([str(2000 + i), "任务", "要求", "各镇（街道）", "长期坚持"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ zip-level helpers


def read_zip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_zip(entries) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def main_part(entries) -> str:
    """The member a reader parses first (document.xml, sheet1.xml, data.json, the database)."""
    names = [n for n, _ in entries]
    for candidate in ("word/document.xml", "xl/worksheets/sheet1.xml", "data.json", "ledger.sqlite3", "manifest.json"):
        if candidate in names:
            return candidate
    return names[0]


def replace_entry(entries, name, data):
    return [(n, data if n == name else d) for n, d in entries]


# ------------------------------------------------------------------ mutations: (rng, data) -> (bytes, expect)


def m_truncate(rng, data):
    return data[: rng.randrange(1, max(len(data) - 22, 2))], "error"


def m_flip_bits(rng, data):
    out = bytearray(data)
    for _ in range(rng.choice((1, 3, 16, 64))):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out), "either"


def m_zero_block(rng, data):
    out = bytearray(data)
    start = rng.randrange(len(out))
    out[start : start + 512] = b"\x00" * len(out[start : start + 512])
    return bytes(out), "either"


def m_xml_cut(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    body = dict(entries)[name]
    return write_zip(replace_entry(entries, name, body[: rng.randrange(1, max(len(body), 2))])), "either"


def m_xml_garbage(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    body = dict(entries)[name]
    pos = rng.randrange(len(body) or 1)
    junk = rng.choice((b"<<&&", b"</w:tbl>", b"\xff\xfe\x00", b"]]>", b"<!--", b"&#0;", b"\"'<>"))
    return write_zip(replace_entry(entries, name, body[:pos] + junk + body[pos:])), "either"


def m_drop_entry(rng, data):
    entries = read_zip(data)
    drop = rng.choice(entries)[0]
    return write_zip([e for e in entries if e[0] != drop]), "either"


def m_rename_main(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    return write_zip([(n + ".bak" if n == name else n, d) for n, d in entries]), "either"


def m_traversal_entry(rng, data):
    entries = read_zip(data)
    evil = rng.choice(("../../evil.txt", "/tmp/evil-zwgk.txt", "attachments/../../evil.txt", "C:/evil.txt", "a\\..\\..\\evil.txt"))
    return write_zip(entries + [(evil, b"pwned")]), "either"


def m_duplicate_entry(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in entries:
            zf.writestr(n, d)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr(name, b"<x/>")
    return buf.getvalue(), "either"


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n"
)


def m_billion_laughs(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    body = LAUGHS + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    return write_zip(replace_entry(entries, name, body)), "either"


def m_external_entity(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    body = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>'
    )
    return write_zip(replace_entry(entries, name, body)), "either"


def m_deep_nesting(rng, data):
    entries = read_zip(data)
    name = main_part(entries)
    depth = rng.choice((5_000, 100_000))
    body = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:body></w:document>"
    return write_zip(replace_entry(entries, name, body)), "either"


def m_json_garbage(rng, data):
    """For packages: data.json/manifest.json replaced by hostile JSON."""
    entries = read_zip(data)
    name = rng.choice([n for n, _ in entries if n.endswith(".json")] or [main_part(entries)])
    body = rng.choice(
        (
            b"[" * 100_000 + b"]" * 100_000,
            b'{"format": "zwgk-package", "version": 1e999}',
            b'{"a": "' + b"x" * 5_000_000 + b'"}',
            "中文但不是JSON".encode("gbk"),
            b"null",
            b'{"tasks": [{"id": null}]}',
        )
    )
    return write_zip(replace_entry(entries, name, body)), "either"


ZIP_MUTATIONS = (
    m_truncate, m_flip_bits, m_zero_block, m_xml_cut, m_xml_garbage, m_drop_entry, m_rename_main,
    m_traversal_entry, m_duplicate_entry, m_billion_laughs, m_external_entity, m_deep_nesting,
)
RAW_MUTATIONS = (m_truncate, m_flip_bits, m_zero_block)


# ------------------------------------------------------------------ files that are not what their name says


def not_a_document(rng, kind):
    """(bytes, label) of a file that is not an Office file at all."""
    choices = {
        "empty": b"",
        "gbk": ("关于印发政务公开工作要点的通知\n序号 工作任务 责任单位\n" * 20).encode("gbk"),
        "utf16": "序号\t工作任务\n1\t公开\n".encode("utf-16"),
        "html": "<html><body><table><tr><td>序号</td></tr></table></body></html>".encode(),
        "ole": OLE_MAGIC + bytes(rng.randrange(256) for _ in range(4096)),
        "ole-encrypted": OLE_MAGIC + b"\x00" * 40 + "EncryptedPackage".encode("utf-16-le") + bytes(2000),
        "pdf": b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2000)),
        "png": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(500)),
        "random": bytes(rng.randrange(256) for _ in range(rng.choice((1, 10, 4096)))),
        "zip-empty": write_zip([]),
        "zip-junk": write_zip([("hello.txt", "你好".encode())]),
        "nul": b"\x00" * 10000,
    }
    return choices[kind], kind


NOT_DOCUMENT_KINDS = ("empty", "gbk", "utf16", "html", "ole", "ole-encrypted", "pdf", "png", "random", "zip-empty", "zip-junk", "nul")


def bomb(sources_zip: bytes) -> bytes:
    """`sources_zip` with its main part replaced by a BOMB_BYTES member of spaces (≈1000:1)."""
    entries = read_zip(sources_zip)
    name = main_part(entries)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in entries:
            if n != name:
                zf.writestr(n, d)
        info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            chunk = b"<w:t>" + b" " * (1 << 20)
            for _ in range(BOMB_BYTES // len(chunk)):
                out.write(chunk)
    return buf.getvalue()


# ------------------------------------------------------------------ the corpus


PLAN_COMMANDS = ("parse-plan", "import-plan")


def generate(folder: Path, sources: dict, seed: int = 8, per_source: int = 60) -> list[Case]:
    """Write the corpus into `folder`.

    sources: {"docx": bytes, "xlsx": bytes (plan samples), "zwgk": bytes (a task package),
    "ledger_xlsx": bytes (an exported ledger), "backup_zip": bytes, "backup_db": bytes} — any may be absent.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    counter = iter(range(1_000_000))

    def add(data: bytes, suffix: str, command: str, expect: str, label: str):
        path = folder / f"{next(counter):05d}-{label.replace('/', '_')}{suffix}"
        path.write_bytes(data)
        cases.append(Case(path, command, expect, label))

    plan_sources = []
    if "docx" in sources:
        plan_sources.append(("sample-docx", sources["docx"], ".docx"))
        plan_sources.append(("gen-docx", make_docx(rng), ".docx"))
    if "xlsx" in sources:
        plan_sources.append(("sample-xlsx", sources["xlsx"], ".xlsx"))
        plan_sources.append(("gen-xlsx", make_xlsx(rng), ".xlsx"))

    # well-formed generated plans, including huge cells and many rows
    for i in range(12):
        cmd = PLAN_COMMANDS[i % 2]
        add(make_docx(rng), ".docx", cmd, "valid", "gen-docx-valid")
        add(make_xlsx(rng), ".xlsx", cmd, "valid", "gen-xlsx-valid")
    add(make_docx(rng, huge_cell=2_000_000), ".docx", "parse-plan", "either", "docx-huge-cell")
    add(make_xlsx(rng, huge_cells=60), ".xlsx", "parse-plan", "either", "xlsx-huge-cells")
    add(make_xlsx(rng, extra_rows=5_000), ".xlsx", "parse-plan", "either", "xlsx-5000-rows")

    # mutated plans
    for name, data, suffix in plan_sources:
        for i in range(per_source * 2):
            mutation = rng.choice(ZIP_MUTATIONS)
            mutated, expect = mutation(rng, data)
            add(mutated, suffix, PLAN_COMMANDS[i % 4 == 3], expect, f"{name}-{mutation.__name__[2:]}")
    # not documents, under every plan extension
    for suffix in (".docx", ".xlsx", ".doc", ".xls", ".wps", ".pdf", ".html"):
        for kind in NOT_DOCUMENT_KINDS:
            data, label = not_a_document(rng, kind)
            add(data, suffix, "parse-plan", "error" if suffix in (".docx", ".xlsx") or kind in ("empty", "nul", "random") else "either", f"not-{label}")

    # packages
    if "zwgk" in sources:
        add(sources["zwgk"], ".zwgk", "unpack", "valid", "package-valid")
        for i in range(per_source * 3):
            mutation = rng.choice(ZIP_MUTATIONS + (m_json_garbage, m_json_garbage))
            mutated, expect = mutation(rng, sources["zwgk"])
            add(mutated, ".zwgk", "unpack", expect, f"zwgk-{mutation.__name__[2:]}")
        for kind in NOT_DOCUMENT_KINDS:
            data, label = not_a_document(rng, kind)
            add(data, ".zwgk", "unpack", "error", f"zwgk-not-{label}")

    # ledger spreadsheets edited in Excel
    if "ledger_xlsx" in sources:
        for i in range(per_source * 2):
            mutation = rng.choice(ZIP_MUTATIONS)
            mutated, expect = mutation(rng, sources["ledger_xlsx"])
            add(mutated, ".xlsx", "roundtrip-xlsx", expect, f"ledger-xlsx-{mutation.__name__[2:]}")
        for kind in NOT_DOCUMENT_KINDS:
            data, label = not_a_document(rng, kind)
            add(data, ".xlsx", "roundtrip-xlsx", "error", f"ledger-not-{label}")
        add(make_xlsx(rng), ".xlsx", "roundtrip-xlsx", "either", "ledger-foreign-xlsx")

    # backups
    if "backup_zip" in sources:
        for i in range(per_source * 2):
            mutation = rng.choice(ZIP_MUTATIONS + (m_json_garbage,))
            mutated, expect = mutation(rng, sources["backup_zip"])
            add(mutated, ".zip", "restore", expect, f"backup-zip-{mutation.__name__[2:]}")
    if "backup_db" in sources:
        for i in range(per_source):
            mutation = rng.choice(RAW_MUTATIONS)
            mutated, expect = mutation(rng, sources["backup_db"])
            add(mutated, ".sqlite3", "restore", expect, f"backup-db-{mutation.__name__[2:]}")
    for kind in NOT_DOCUMENT_KINDS:
        data, label = not_a_document(rng, kind)
        add(data, ".zip", "restore", "error", f"backup-not-{label}")

    # zip bombs, one per reader
    for key, suffix, command in (("docx", ".docx", "parse-plan"), ("xlsx", ".xlsx", "parse-plan"), ("zwgk", ".zwgk", "unpack"),
                                 ("ledger_xlsx", ".xlsx", "roundtrip-xlsx"), ("backup_zip", ".zip", "restore")):
        if key in sources:
            add(bomb(sources[key]), suffix, command, "error", f"{key}-zip-bomb")
    return cases
