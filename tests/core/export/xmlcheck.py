"""Reading written .docx/.xlsx files back as raw XML."""

import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def part(path, name):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(name))


def runs_without_east_asian_font(root):
    """Runs with text whose rPr does not name w:eastAsia."""
    bad = []
    for run in root.iter(f"{{{W}}}r"):
        if run.find("w:t", NS) is None:
            continue
        fonts = run.find("w:rPr/w:rFonts", NS)
        if fonts is None or not fonts.get(f"{{{W}}}eastAsia"):
            bad.append("".join(run.itertext()))
    return bad


def text_of(element):
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))
