from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from store.db import make_engine, migrate
from store.schema import Base


def test_upgrade_from_empty_to_head_creates_every_table(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= {"organizations", "assessments", "answers", "answer_changes"}
    migrate(engine)  # a second run is a no-op
    engine.dispose()


def test_models_and_migrations_agree(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"
