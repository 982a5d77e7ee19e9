"""Alembic environment: batch mode for SQLite, the app's metadata for autogenerate and `alembic check`."""

from alembic import context

from asahi_desk.store.engine import make_engine
from asahi_desk.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # noqa: ANN001
    # Each migration and its version stamp in one transaction (also when run by the alembic command
    # line); the app's upgrade_to_head wraps the whole upgrade in one outer transaction besides.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    section = config.get_section(config.config_ini_section, {})
    db = context.get_x_argument(as_dictionary=True).get("db") or section["sqlalchemy.url"]
    engine = make_engine(db)  # the app's engine: on SQLite it emits BEGIN itself, so DDL is transactional
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
