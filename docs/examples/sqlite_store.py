"""An example store: innoproc cases in SQLite with an optimistic revision check.

This is the intended pattern for a host system, end to end against a real database (the
standard library's sqlite3). Copy it and adapt it to your database: the ideas are

- one row per case, holding ``innoproc.dumps(case)`` and the case's revision;
- read the case and remember the revision you read;
- apply steps with ``expected_revision`` so a concurrent change in this process is caught;
- write back with ``UPDATE ... WHERE revision = <the revision read>``: if no row matched,
  another clerk saved first, and :class:`innoproc.ConcurrencyConflict` is raised with
  nothing lost: reload and try again.

The history entries are also written to their own table, so a host can query them with SQL;
the JSON document stays the truth that ``innoproc.loads`` replays.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import innoproc

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    reference  TEXT PRIMARY KEY,
    procedure  TEXT NOT NULL,
    state      TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    document   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    reference  TEXT NOT NULL REFERENCES cases(reference),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    PRIMARY KEY (reference, seq)
);
"""


class CaseStore:
    """Cases in one SQLite database file (or ``":memory:"``)."""

    def __init__(self, path: str, procedures: Iterable[innoproc.Procedure] | None = None) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.executescript(SCHEMA)
        self.procedures = list(procedures or [])

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        cursor = self.db.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def add(self, case: innoproc.Case) -> None:
        """Store a new case; a reference already stored raises sqlite3.IntegrityError."""
        with self._transaction() as cur:
            cur.execute(
                "INSERT INTO cases VALUES (?, ?, ?, ?, ?)",
                (
                    case.reference,
                    case.procedure_id,
                    case.state,
                    case.revision,
                    innoproc.dumps(case),
                ),
            )
            self._write_history(cur, case, start=0)

    def get(self, reference: str) -> innoproc.Case:
        """Load a case; its ``revision`` is the one to pass back to :meth:`save`."""
        row = self.db.execute(
            "SELECT document FROM cases WHERE reference = ?", (reference,)
        ).fetchone()
        if row is None:
            raise KeyError(reference)
        return innoproc.loads(row[0], procedures=self.procedures)

    def save(self, case: innoproc.Case, *, read_revision: int) -> None:
        """Write back a case read at ``read_revision``, or raise ConcurrencyConflict."""
        with self._transaction() as cur:
            cur.execute(
                "UPDATE cases SET state = ?, revision = ?, document = ? "
                "WHERE reference = ? AND revision = ?",
                (case.state, case.revision, innoproc.dumps(case), case.reference, read_revision),
            )
            if cur.rowcount != 1:
                row = cur.execute(
                    "SELECT revision FROM cases WHERE reference = ?", (case.reference,)
                ).fetchone()
                raise innoproc.ConcurrencyConflict(
                    case.reference, read_revision, row[0] if row else -1
                )
            self._write_history(cur, case, start=read_revision)

    def _write_history(self, cur: sqlite3.Cursor, case: innoproc.Case, start: int) -> None:
        cur.executemany(
            "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?)",
            [
                (case.reference, e.seq, e.kind, e.name, e.at.isoformat(), e.by)
                for e in case.history[start:]
            ],
        )

    def in_state(self, state: str) -> list[str]:
        """The references of the cases in ``state``."""
        rows = self.db.execute(
            "SELECT reference FROM cases WHERE state = ? ORDER BY reference", (state,)
        )
        return [r[0] for r in rows]

    def audit_all(self) -> dict[str, innoproc.AuditReport]:
        """Audit every stored case (as for an import from another system)."""
        rows = self.db.execute("SELECT reference, document FROM cases ORDER BY reference")
        return {ref: innoproc.audit(doc, procedures=self.procedures) for ref, doc in rows}

    def document(self, reference: str) -> dict[str, object]:
        """The stored JSON document, parsed (for inspection)."""
        row = self.db.execute(
            "SELECT document FROM cases WHERE reference = ?", (reference,)
        ).fetchone()
        parsed: dict[str, object] = json.loads(row[0])
        return parsed
