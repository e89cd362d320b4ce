"""The program's version and those of the libraries it stands on."""

from importlib import metadata

__version__ = "0.1.0"

LIBRARIES = ("PySide6-Essentials", "openpyxl", "python-docx", "docxtpl", "sqlite-utils", "pypinyin")


def versions() -> dict:
    """Program, Python, SQLite and library versions, for selftest and diagnostics."""
    import sqlite3
    import sys

    info = {"program": __version__, "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}
    for name in LIBRARIES:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "未安装"
    return info
