"""Alembic's environment for innoproc's case store schema.

``CaseStore.create_schema`` and ``CaseStore.upgrade_schema`` run it with their own
connection. From the command line, point an Alembic configuration at these scripts::

    [alembic]
    script_location = innoproc.store:migrations
    sqlalchemy.url = postgresql+psycopg://user@host/cases

and run ``alembic -c innoproc-store.ini upgrade head`` (``--sql`` writes the SQL instead).
The schema version is kept in the table ``innoproc_schema_version``, apart from a host's
own Alembic history.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from innoproc.store._tables import VERSION_TABLE, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    _offline()
else:
    _online()
