"""The migrations build the schema from empty, and it matches the models exactly."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from tracker import create_app
from tracker.db import Base, db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new database of the kind the suite runs on."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    from tracker.config import normalise_database_url

    url = normalise_database_url(database_url)
    name = f"tracker_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_init_builds_the_schema_from_empty_and_it_matches_the_models(empty_database_url):
    from tracker.plans.cli import upgrade_schema

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade_schema()
        upgrade_schema()  # a second run is a no-op
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
