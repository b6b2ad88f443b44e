"""The store's tables at the current schema version, as SQLAlchemy Core metadata.

The migrations in ``migrations/versions`` build exactly these tables, step by step; a test
compares the migrated database with this metadata.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

from innoproc._time import require_aware

#: The schema version these tables are at; ``migrations/versions/schema_<n>.py`` leads to it.
SCHEMA_VERSION = 2

#: The table in which the schema version is kept (Alembic's version table, under a name of
#: its own so that it never meets a host's own Alembic history).
VERSION_TABLE = "innoproc_schema_version"

#: The longest reference, authority, procedure id, state, event or fact name the store
#: keeps in an indexed column.
NAME_LENGTH = 255


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant, stored in UTC (a naive UTC value where the database, like SQLite,
    keeps no time zone) and read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = require_aware("at", value).astimezone(timezone.utc)
        return utc if dialect.name != "sqlite" else utc.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if found.tzinfo is None:
            return found.replace(tzinfo=timezone.utc)
        return found.astimezone(timezone.utc)


metadata = MetaData()

#: One row per case: what the queries of a case worker look at, and the case document's
#: header (the JSON of ``innoproc.dumps`` without its history, kept as text).
cases = Table(
    "innoproc_cases",
    metadata,
    Column("reference", String(NAME_LENGTH), primary_key=True),
    Column("procedure", String(NAME_LENGTH), nullable=False),
    Column("procedure_version", Integer, nullable=False, server_default="1"),
    Column("state", String(NAME_LENGTH), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("authority", String(NAME_LENGTH), nullable=False),
    Column("opened", UTCDateTime(), nullable=False),
    Column("next_due", UTCDateTime(), nullable=True),
    Column("next_due_code", String(NAME_LENGTH), nullable=True),
    Column("header", Text, nullable=False),
    Index("ix_innoproc_cases_procedure_state", "procedure", "state"),
    Index("ix_innoproc_cases_state", "state"),
    Index("ix_innoproc_cases_authority", "authority"),
    Index("ix_innoproc_cases_next_due", "next_due"),
)

#: One row per history entry, append-only: the primary key (reference, seq) is what makes
#: the second of two concurrent writers fail.
history = Table(
    "innoproc_history",
    metadata,
    Column(
        "reference",
        String(NAME_LENGTH),
        ForeignKey("innoproc_cases.reference", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", Text, nullable=False),
    Column("entry", Text, nullable=False),
    Index("ix_innoproc_history_name", "name"),
    Index("ix_innoproc_history_at", "at"),
)
