"""The ledger's SQLite file: schema, migrations, connection."""
