"""Creating and upgrading the store's schema with Alembic, the SQLAlchemy ecosystem's
migration tool, running the migration scripts shipped in ``innoproc/store/migrations``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Engine

from innoproc._engine.declare import Procedure
from innoproc._errors import SchemaVersionError
from innoproc.store._tables import SCHEMA_VERSION, VERSION_TABLE

#: Where Alembic finds the scripts: the ``migrations`` folder of this package.
SCRIPT_LOCATION = "innoproc.store:migrations"


def _revision(version: int) -> str:
    return f"{version:04d}"


def version_of(connection: Connection) -> int | None:
    """The schema version of the database (``None`` when the store has no schema there)."""
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    found = context.get_current_revision()
    return None if found is None else int(found)


def upgrade(
    engine: Engine,
    *,
    to: int = SCHEMA_VERSION,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
) -> None:
    """Run the migrations up to schema version ``to`` in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    attributes: dict[str, Any] = config.attributes
    attributes["procedures"] = procedures
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # Python's sqlite3 runs DDL outside transactions unless one is begun by hand;
            # begun here, a failing migration leaves the database as it was.
            connection.exec_driver_sql("BEGIN")
        attributes["connection"] = connection
        try:
            command.upgrade(config, _revision(to))
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def check(engine: Engine) -> None:
    """Raise ``SchemaVersionError`` unless the database is at this innoproc's version."""
    with engine.connect() as connection:
        found = version_of(connection)
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(found, SCHEMA_VERSION)
