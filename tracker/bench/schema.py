"""A fresh schema for the benchmark: the shipped migrations, or the models while migrations lag."""
from __future__ import annotations

import logging

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker.db import Base, db

# What a migration that lags the models would miss; other differences (types as
# reflected by SQLite, say) do not change what the benchmark measures.
MISSING = ("add_table", "add_column", "add_index")


def missing_in_database() -> list[str]:
    """The tables, columns and indexes the models have and the database lacks."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the comparison logs every difference
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    out = []
    for diff in diffs:
        first = diff[0] if isinstance(diff, list) else diff
        if first[0] in MISSING:
            obj = first[-1]
            out.append(f"{first[0]} {getattr(obj, 'name', obj)}")
    return out


def create() -> str:
    """Runs the migrations; falls back to create_all when they miss part of the models. Says which."""
    from sqlalchemy import text

    from tracker.plans.cli import upgrade_schema

    upgrade_schema()
    missing = missing_in_database()
    if not missing:
        return "schema: Alembic migrations (tracker init)"
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(db.engine)
    shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
    return f"schema: Base.metadata.create_all — the migrations lag the models ({len(missing)} missing: {shown})"
