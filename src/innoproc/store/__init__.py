"""innoproc.store: cases in a relational database (PostgreSQL, SQLite, any SQLAlchemy supports).

Needs the ``store`` extra (SQLAlchemy 2 and Alembic; ``postgres`` adds the PostgreSQL
driver): ``pip install 'innoproc[store,postgres]'``.

```pycon
>>> from datetime import datetime
>>> import innoproc
>>> from innoproc.store import CaseStore
>>> store = CaseStore("sqlite://")
>>> store.create_schema()
>>> case = innoproc.open_case("innovation-partnership", reference="2025/1",
...                           authority="Eksempel kommune")
>>> _ = case.record("need-description", at=datetime(2025, 1, 6, tzinfo=innoproc.OSLO),
...                 by="Owner", summary="Safe night-time supervision", functional=True)
>>> store.add(case).revision
1
>>> with store.edit("2025/1") as case:
...     _ = case.apply("start-market-dialogue", at=datetime(2025, 1, 7, tzinfo=innoproc.OSLO),
...                    by="Procurement manager")
>>> [(c.reference, c.state, c.revision) for c in store.find(state="market-dialogue")]
[('2025/1', 'market-dialogue', 2)]
>>> store.close()

```
"""

try:
    import alembic  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    from innoproc._errors import MissingDependency

    raise MissingDependency("innoproc.store", "SQLAlchemy 2 and Alembic", "store") from exc

from innoproc._errors import (
    CaseNotFound,
    ConcurrencyConflict,
    DeletionRefused,
    DuplicateCase,
    SchemaVersionError,
)
from innoproc.store._store import (
    CaseStore,
    CaseSummary,
    Edit,
    Hook,
    HookFailure,
    SaveResult,
    StoreAudit,
)
from innoproc.store._tables import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "CaseNotFound",
    "CaseStore",
    "CaseSummary",
    "ConcurrencyConflict",
    "DeletionRefused",
    "DuplicateCase",
    "Edit",
    "Hook",
    "HookFailure",
    "SaveResult",
    "SchemaVersionError",
    "StoreAudit",
]
