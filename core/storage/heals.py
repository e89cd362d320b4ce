"""Repairs of data stored by older versions that need the domain's rules.

They are a migration set of their own ("zwgk-heal"), applied after the schema migrations of
db.schema, so that db/ needs no domain code and each repair runs against the current schema.
Each runs once per database; every one is safe to run on data that needs no repair.
"""

from sqlite_utils.migrations import Migrations

from core.plan import doubles
from core.storage.stored_text import clean_database

heals = Migrations("zwgk-heal")


@heals()
def m011_heal_double_plans(db):
    """One plan per office: fold a plan a unit imported from the file into the same plan its
    任务包 brought (entries of the same task merged, every progress line and attachment kept,
    fields set differently on both sides kept in table conflicts). See core.plan.doubles."""
    doubles.heal(db)


@heals()
def m020_clean_stored_text(db):
    """Text stored before every entry point normalised it: Word's \\x0b and other control characters
    removed from every text column (core.text.normalise), so no export can fail on them."""
    clean_database(db.conn)


def apply(db) -> None:
    """Run the repairs this database has not had yet."""
    heals.apply(db)
