"""The ledger domain (工作台账): entries and their due dates, edits, search, carry-over, duties,
attachments, activities and the overview figures.

`from core import ledger` gives the everyday API of the three central modules, so callers
write ledger.list_entries(…), ledger.DueCalculator, ledger.update_entry(…). Modules inside
this package import from the submodules themselves, never from this facade.
"""

from core.calendar.dates import parse_user_date
from core.ledger.due import SOON_WORKDAYS, DueCalculator, add_working_days, open_events
from core.ledger.edits import (
    EDITABLE, MAX_TEXT, add_event, add_measure, add_progress, add_progress_with_evidence, close_event,
    measures_of, remove_event, remove_progress, restore_record, set_measures, update_entry, validate_changes,
)
from core.ledger.entries import (
    DUE_WINDOWS, FIELD_NAMES, SORTS, categories, fetch_rows, filter_sql, find_by_seq, get_entry, history,
    list_entries, query_ids, roles, units, years,
)
from core.vocab import OVERDUE, STATUSES

__all__ = [
    "parse_user_date", "SOON_WORKDAYS", "DueCalculator", "add_working_days", "open_events",
    "EDITABLE", "MAX_TEXT", "add_event", "add_measure", "add_progress", "add_progress_with_evidence", "close_event",
    "measures_of", "remove_event", "remove_progress", "restore_record", "set_measures", "update_entry", "validate_changes",
    "DUE_WINDOWS", "FIELD_NAMES", "SORTS", "categories", "fetch_rows", "filter_sql", "find_by_seq", "get_entry", "history",
    "list_entries", "query_ids", "roles", "units", "years", "OVERDUE", "STATUSES",
]
