"""Importing the county's plan: readers for .docx/.xlsx/HTML/legacy files, table logic, storage.

Public entry points:
- read_plan(path, progress=None) -> ParsedPlan
- plan_import.import_plan(db, path_or_parsed) -> dict report
"""


def read_plan(path, progress=None):
    """Read a plan file into a ParsedPlan (see core.plan.reader.read_plan)."""
    from core.plan.reader import read_plan as _read

    return _read(path, progress)
