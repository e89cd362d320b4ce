import pytest

from tests.core.export.sample_data import add_activities, fill_ledger


@pytest.fixture
def ledger_db(town_db):
    """A town's database with a small 2024 ledger and two open activities."""
    fill_ledger(town_db)
    add_activities(town_db)
    return town_db
