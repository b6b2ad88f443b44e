"""The recorder: every SQL statement of the store, and nothing about cases' meaning.

It writes and reads rows (a case row, history rows) on any database SQLAlchemy supports.
Optimistic concurrency is the database's own: history rows have the primary key
(reference, seq), so of two writers that read the same revision the second one's first
insert is refused by the database, whatever the timing; that refusal (an integrity error)
becomes ``ConcurrencyConflict``. The case row is updated in the same transaction, only where
its revision is still the one read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import attrs
from sqlalchemy import Connection, Engine, Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from innoproc._errors import CaseNotFound, ConcurrencyConflict, DuplicateCase
from innoproc.store._tables import cases, history


@attrs.frozen
class CaseRow:
    """What the store writes into the case table."""

    reference: str
    procedure: str
    procedure_version: int
    state: str
    revision: int
    authority: str
    opened: datetime
    next_due: datetime | None
    next_due_code: str | None
    header: str

    def values(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class EntryRow:
    """What the store writes into the history table for one entry."""

    seq: int
    kind: str
    name: str
    at: datetime
    actor: str
    entry: str


class _Lost(Exception):
    """The case row was not at the revision read (raised and caught inside ``append``)."""


#: The columns a summary of a case is made of, in the order of ``CaseSummary``'s fields.
SUMMARY = (
    cases.c.reference,
    cases.c.procedure,
    cases.c.procedure_version,
    cases.c.state,
    cases.c.revision,
    cases.c.authority,
    cases.c.opened,
    cases.c.next_due,
    cases.c.next_due_code,
)


class Recorder:
    """Rows in and out of one database, through a SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sqlite = engine.dialect.name == "sqlite"

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: committed at the end, rolled back on any error.

        SQLite takes its write lock at the start (``BEGIN IMMEDIATE``), so a writer waits
        for another (up to the driver's busy timeout) instead of failing half-way.
        """
        with self.engine.connect() as conn, conn.begin():
            if self._sqlite and not conn.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    # -- writing --------------------------------------------------------------------------

    def insert_cases(self, cases_: Sequence[tuple[CaseRow, Sequence[EntryRow]]]) -> None:
        """Insert new cases and their histories in one transaction; ``DuplicateCase`` (and
        nothing written) if a reference is taken."""
        try:
            with self.writing() as conn:
                conn.execute(insert(cases), [row.values() for row, _ in cases_])
                entries = [e for row, rows in cases_ for e in _entries(row.reference, rows)]
                if entries:
                    conn.execute(insert(history), entries)
        except IntegrityError:
            references = [row.reference for row, _ in cases_]
            taken = self.stored(references)
            if taken:
                raise DuplicateCase(next(r for r in references if r in taken)) from None
            raise

    def append(
        self,
        reference: str,
        expected_revision: int,
        changes: Mapping[str, Any],
        entries: Sequence[EntryRow],
    ) -> None:
        """Append ``entries`` to a case stored at ``expected_revision`` and update its row.

        The history rows go in first, so the database's key decides between two writers;
        the loser gets ``ConcurrencyConflict`` (``CaseNotFound`` if the case is gone) and
        nothing of its save is written.
        """
        try:
            with self.writing() as conn:
                conn.execute(insert(history), _entries(reference, entries))
                done = conn.execute(
                    update(cases)
                    .where(cases.c.reference == reference, cases.c.revision == expected_revision)
                    .values(**changes)
                )
                if done.rowcount != 1:
                    raise _Lost
        except (IntegrityError, _Lost) as exc:
            actual = self.revision(reference)
            if actual is None:
                raise CaseNotFound(reference) from None
            if actual == expected_revision:  # pragma: no cover - history ahead of its case row
                raise exc
            raise ConcurrencyConflict(reference, expected_revision, actual) from None

    def delete_case(self, reference: str, expected_revision: int) -> None:
        """Delete a case stored at ``expected_revision`` with its history."""
        with self.writing() as conn:
            done = conn.execute(
                delete(cases).where(
                    cases.c.reference == reference, cases.c.revision == expected_revision
                )
            )
            if done.rowcount == 1:
                # The foreign key cascades where the database enforces it (PostgreSQL);
                # SQLite enforces foreign keys only when asked to, so delete explicitly.
                conn.execute(delete(history).where(history.c.reference == reference))
                return
        actual = self.revision(reference)
        if actual is None:
            raise CaseNotFound(reference)
        raise ConcurrencyConflict(reference, expected_revision, actual)

    def set_attention(
        self, reference: str, revision: int, next_due: datetime | None, code: str | None
    ) -> bool:
        """Set a case's next time limit, if the case is still at ``revision``."""
        with self.writing() as conn:
            done = conn.execute(
                update(cases)
                .where(cases.c.reference == reference, cases.c.revision == revision)
                .values(next_due=next_due, next_due_code=code)
            )
            return done.rowcount == 1

    # -- reading --------------------------------------------------------------------------

    def stored(self, references: Sequence[str]) -> set[str]:
        """Which of ``references`` are stored."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(references), 500):
                chunk = references[i : i + 500]
                query = select(cases.c.reference).where(cases.c.reference.in_(chunk))
                found.update(conn.execute(query).scalars())
        return found

    def revision(self, reference: str) -> int | None:
        """The stored revision of a case, or ``None`` when it is not stored."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(cases.c.revision).where(cases.c.reference == reference)
            ).scalar_one_or_none()
            return found

    def document(self, reference: str) -> tuple[str, int, list[str]] | None:
        """A case's header, revision and history entries' JSON, or ``None``.

        One statement reads the case row and its history up to the row's revision, so the
        two agree whatever is being written meanwhile.
        """
        query = (
            select(cases.c.header, cases.c.revision, history.c.entry)
            .select_from(
                cases.outerjoin(
                    history,
                    (history.c.reference == cases.c.reference)
                    & (history.c.seq <= cases.c.revision),
                )
            )
            .where(cases.c.reference == reference)
            .order_by(history.c.seq)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return None
        header, revision, _ = rows[0]
        return header, revision, [entry for _, _, entry in rows if entry is not None]

    def documents(self, batch: int = 200) -> Iterator[tuple[str, str, int, list[str]]]:
        """Every stored case (reference, header, revision, entries' JSON), by reference,
        read in batches so that memory stays bounded however many cases there are."""
        after: str | None = None
        while True:
            query = select(cases.c.reference, cases.c.header, cases.c.revision)
            if after is not None:
                query = query.where(cases.c.reference > after)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(cases.c.reference).limit(batch)).all()
                if not rows:
                    return
                refs = [r.reference for r in rows]
                entries: dict[str, list[str]] = {ref: [] for ref in refs}
                found = conn.execute(
                    select(history.c.reference, history.c.seq, history.c.entry)
                    .where(history.c.reference.in_(refs))
                    .order_by(history.c.reference, history.c.seq)
                )
                limits = {r.reference: r.revision for r in rows}
                for ref, seq, entry in found:
                    if seq <= limits[ref]:
                        entries[ref].append(entry)
            for r in rows:
                yield r.reference, r.header, r.revision, entries[r.reference]
            after = refs[-1]

    def summaries(self, query: Select[Any]) -> list[tuple[Any, ...]]:
        """The summary rows a query selects."""
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]

    def count(self) -> int:
        """How many cases are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def _entries(reference: str, entries: Sequence[EntryRow]) -> list[dict[str, Any]]:
    return [{"reference": reference, **attrs.asdict(e)} for e in entries]
