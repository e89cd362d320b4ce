"""What a plan reader produces: the plan's metadata and its task rows."""

from dataclasses import asdict, dataclass, field


@dataclass
class ParsedTask:
    """One row of the 重点工作任务分解表, after merges, fill-down and repair."""

    seq: str
    category: list
    requirement: str
    units: str = ""
    deadline: str = ""
    filled: list = field(default_factory=list)  # fields inferred from the row above (not merges)
    source: str = ""  # where it was read, e.g. "表1 第3行" or "第2页 第3行" (for the preview)
    joined: list = field(default_factory=list)  # fields joined back after a page/table break cut them
    page: int | None = None  # the PDF page the row starts on
    implied_deadline: str = ""  # deadline quoted from the requirement when the row has none

    def as_json(self) -> dict:
        """The task in the shape of `parse-plan --json`."""
        return {
            "seq": self.seq,
            "category": list(self.category),
            "requirement": self.requirement,
            "units": self.units,
            "deadline": self.deadline,
            "filled": list(self.filled),
        } | self._extra_json()

    def _extra_json(self) -> dict:
        """Fields added to the CLI contract, present only when they say something."""
        extra = {}
        if self.joined:
            extra["joined"] = list(self.joined)
        if self.implied_deadline:
            extra["deadline_from_requirement"] = self.implied_deadline
        if self.page is not None:
            extra["page"] = self.page
        return extra


@dataclass
class ParsedPlan:
    """A plan as read from one file: metadata, tasks and warnings for the user."""

    title: str = ""
    year: int | None = None
    doc_no: str = ""
    issuer: str = ""
    issued: str | None = None  # YYYY-MM-DD
    report_dates: list = field(default_factory=list)  # [{"what": ..., "date": "YYYY-MM-DD"}]
    tasks: list = field(default_factory=list)  # [ParsedTask]
    warnings: list = field(default_factory=list)
    source_name: str = ""
    source_sha256: str = ""

    def as_json(self) -> dict:
        """The plan in the shape of `parse-plan --json` (plus report_dates)."""
        return {
            "title": self.title,
            "year": self.year,
            "doc_no": self.doc_no,
            "issuer": self.issuer,
            "issued": self.issued,
            "report_dates": list(self.report_dates),
            "tasks": [t.as_json() for t in self.tasks],
            "warnings": list(self.warnings),
        }


@dataclass
class Cell:
    """One grid position of a table: its text and the id of the source cell covering it.

    Positions covered by one merged cell (gridSpan, vMerge, merged range, colspan/rowspan)
    share the same `key`; `text` is the merged cell's text at each of them.
    """

    text: str
    key: object


@dataclass
class Block:
    """A piece of the document body in reading order: a paragraph's text or a table grid."""

    kind: str  # "p" or "table"
    text: str = ""
    rows: list = field(default_factory=list)  # list of list[Cell] for tables
    name: str = ""  # e.g. "表3", a sheet name or "第2页"
    page: int | None = None  # PDF page number of a table


def plan_dict(plan: ParsedPlan) -> dict:
    """Plain dict copy of a ParsedPlan (for debugging and tests)."""
    return asdict(plan)
