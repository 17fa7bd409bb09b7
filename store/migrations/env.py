"""Alembic environment: runs against the engine given in config.attributes (store.db.migrate)."""

from alembic import context

from store.schema import Base

config = context.config
target_metadata = Base.metadata
MIGRATION_LOCK = 0x6761707572  # "gapur": the advisory lock one replica holds while it migrates PostgreSQL


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # Alembic's batch operations (docs: "Dealing with Referencing Foreign Keys") recreate a SQLite table: copy,
        # drop, rename. With foreign keys on, the drop cascades to every row that refers to the table (0003's
        # downgrade emptied assessments), so they are off while migrating. SQLite ignores the pragma inside a
        # transaction: it is set on the driver's connection before Alembic's transaction begins.
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            # Alembic commits SQLite after each step unless told its DDL is transactional (it is): one transaction
            # makes an upgrade all or nothing, and a replica waiting for the lock never starts in the middle of one.
            context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                              transactional_ddl=True)  # fmt: skip
            with context.begin_transaction():
                if not sqlite:
                    # Replicas starting at once each upgrade the schema: the first takes this lock and migrates, the
                    # others wait for its commit, then find the schema at head. (SQLite's BEGIN IMMEDIATE does the same.)
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("a migration left rows that refer to rows no longer there; nothing was changed")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
