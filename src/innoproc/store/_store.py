"""The case store: cases in a relational database, with optimistic concurrency and hooks."""

from __future__ import annotations

import logging
import types
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import attrs
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import ArgumentError

from innoproc._audit import AuditReport, audit
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._engine.history import HistoryEntry, StepRecord
from innoproc._errors import (
    CaseFormatError,
    CaseNotFound,
    ConcurrencyConflict,
    DeletionRefused,
    DuplicateCase,
    InvalidPayload,
    MissingDependency,
    SchemaVersionError,
    shown,
)
from innoproc._i18n import Plain
from innoproc._storage import dumps, loads
from innoproc._text import Text
from innoproc._time import OSLO, require_aware
from innoproc.store import _schema
from innoproc.store._documents import attention, join_document, procedure_version, split_document
from innoproc.store._recorder import SUMMARY, CaseRow, EntryRow, Recorder
from innoproc.store._tables import NAME_LENGTH, SCHEMA_VERSION, cases

_log = logging.getLogger("innoproc.store")

#: A hook: called with the case and one newly committed history entry.
Hook = Callable[[Case, HistoryEntry], object]

Procedures = Mapping[str, Procedure] | Iterable[Procedure] | None


@attrs.frozen
class HookFailure:
    """A hook that raised: which hook, on which entry, and the exception. The save it
    followed is committed all the same."""

    hook: Hook
    entry: HistoryEntry
    error: Exception


@attrs.frozen
class SaveResult:
    """What a save (or an add, or an import) committed.

    ``entries`` are the history entries written by it, oldest first (empty when there was
    nothing new to write); ``revision`` is the stored revision now; ``hook_failures`` lists
    the hooks that raised after the commit.
    """

    case: Case
    revision: int
    entries: tuple[HistoryEntry, ...]
    hook_failures: tuple[HookFailure, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every hook ran without raising."""
        return not self.hook_failures


@attrs.frozen
class CaseSummary:
    """One stored case as the case list shows it, read from its row alone.

    ``next_due`` is the earliest time limit of the case not yet done (in Europe/Oslo) and
    ``next_due_code`` its code (see ``innoproc.time_limits``); both are ``None`` when the
    case has none or is closed.
    """

    reference: str
    procedure: str
    procedure_version: int
    state: str
    revision: int
    authority: str
    opened: datetime
    next_due: datetime | None
    next_due_code: str | None


_HEAD = Text("{checked}: {failed} with violations, {unreadable} that could not be read.")
_UNREADABLE = Text("{ref}: could not be read: {problem}")


@attrs.frozen
class StoreAudit:
    """The result of ``CaseStore.audit``: how many cases were checked, the reports of those
    that broke their procedure, and the cases that could not be read at all."""

    checked: int
    failed: tuple[AuditReport, ...]
    unreadable: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        """True when every stored case could be read and complied with its procedure."""
        return not self.failed and not self.unreadable

    def explain(self, lang: str | None = None) -> str:
        """The audit in plain language: a summary line, then each failing case's report, in
        ``lang`` (``None``: the process's default language)."""
        lines = [
            _HEAD.with_values(
                checked=Text("{n} case checked", plural="{n} cases checked", n=self.checked),
                failed=Plain(len(self.failed)),
                unreadable=Plain(len(self.unreadable)),
            ).get(lang)
        ]
        lines += [report.explain(lang) for report in self.failed]
        lines += [
            _UNREADABLE.with_values(ref=Plain(ref), problem=Plain(message)).get(lang)
            for ref, message in self.unreadable
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()


@attrs.define
class _Subscription:
    hook: Hook
    kind: str | None
    names: frozenset[str] | None

    def wants(self, entry: HistoryEntry) -> bool:
        if self.kind is not None and entry.kind != self.kind:
            return False
        return self.names is None or entry.name in self.names


class Edit:
    """A unit of work on one stored case: ``with store.edit(reference) as case:``.

    Entering loads the case and remembers its revision; leaving the block normally saves
    everything applied or recorded in it in one transaction, or raises
    ``ConcurrencyConflict`` (nothing written) if someone else saved the case meanwhile.
    Leaving by an exception (a refused step, say) saves nothing. ``result`` is the
    ``SaveResult`` of the save.
    """

    def __init__(self, store: CaseStore, reference: str) -> None:
        self.store = store
        self.reference = reference
        self.case: Case | None = None
        self.revision: int | None = None
        self.result: SaveResult | None = None

    def __enter__(self) -> Case:
        self.case = self.store.get(self.reference)
        self.revision = self.case.revision
        return self.case

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        if exc_type is None and self.case is not None and self.revision is not None:
            self.result = self.store.save(self.case, expected_revision=self.revision)


class CaseStore:
    """Cases in a relational database: PostgreSQL, SQLite or any other SQLAlchemy supports.

    ``database`` is a SQLAlchemy URL (``"postgresql+psycopg://user@host/db"``,
    ``"sqlite:///cases.db"``) or an ``Engine`` of the host's; an engine the store created is
    disposed of by ``close``, and ``engine_options`` are passed on to SQLAlchemy's
    ``create_engine``. ``procedures`` adds the host's own procedure declarations, as
    for ``innoproc.loads``. ``deletable`` is the host's rule for deleting cases (given the
    case, true when it may be deleted); without it, ``delete`` refuses every case.

    Each case is a row (reference, procedure and its version, state, revision, authority,
    opened, the next time limit needing attention) and its history one row per entry, never
    changed once written. The case's JSON (``innoproc.dumps``) is the import and export
    format, and loading replays it through ``innoproc.loads``.
    """

    def __init__(
        self,
        database: str | Engine,
        *,
        procedures: Procedures = None,
        deletable: Callable[[Case], bool] | None = None,
        **engine_options: Any,
    ) -> None:
        if isinstance(database, Engine):
            self._engine, self._owned = database, False
        elif isinstance(database, str):
            try:
                self._engine, self._owned = create_engine(database, **engine_options), True
            except ArgumentError as exc:
                raise InvalidPayload(
                    "'database' must be a SQLAlchemy database URL such as "
                    f"'postgresql+psycopg://user@host/cases' or 'sqlite:///cases.db' ({exc})",
                    "database",
                ) from None
            except ImportError as exc:
                raise MissingDependency(
                    f"the database {shown(database.split(':', 1)[0])}",
                    f"its driver ({exc})",
                    "postgres",
                ) from exc
        else:
            raise InvalidPayload(
                f"'database' must be a database URL or an SQLAlchemy Engine, got {shown(database)}",
                "database",
            )
        self.procedures = procedures
        self.deletable = deletable
        self._recorder = Recorder(self._engine)
        self._subscriptions: list[_Subscription] = []
        self._checked = False

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for the host's own queries joining the store's tables)."""
        return self._engine

    def close(self) -> None:
        """Close the database connections (dispose of the engine, if the store created it)."""
        if self._owned:
            self._engine.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CaseStore {self._engine.url.render_as_string(hide_password=True)}>"

    # -- schema -----------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The store's schema version in the database (``None`` if it has none yet)."""
        with self._engine.connect() as connection:
            return _schema.version_of(connection)

    def create_schema(self) -> None:
        """Create the store's tables at the current schema version.

        Does nothing if they are there at the current version; raises
        ``SchemaVersionError`` if they are at another version (see ``upgrade_schema``).
        """
        found = self.schema_version()
        if found is None:
            _schema.upgrade(self._engine, procedures=self.procedures)
        elif found != SCHEMA_VERSION:
            raise SchemaVersionError(found, SCHEMA_VERSION)
        self._checked = True

    def upgrade_schema(self) -> None:
        """Bring the tables to the current schema version, from any earlier one (or from
        none), with Alembic in one transaction. Stored cases are kept and keep loading."""
        found = self.schema_version()
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaVersionError(found, SCHEMA_VERSION)
        if found != SCHEMA_VERSION:
            _schema.upgrade(self._engine, procedures=self.procedures)
        self._checked = True

    def _ready(self) -> Recorder:
        if not self._checked:
            _schema.check(self._engine)
            self._checked = True
        return self._recorder

    # -- cases --------------------------------------------------------------------------------

    def add(self, case: Case) -> SaveResult:
        """Store a new case with its history; ``DuplicateCase`` if the reference is taken.

        ``opened`` is the instant of its first history entry, or now if it has none.
        """
        return self.add_many([case])[0]

    def add_many(self, cases_: Iterable[Case]) -> tuple[SaveResult, ...]:
        """Store new cases in one transaction (an import from another system, say).

        All or nothing: if a reference is taken, or given twice, ``DuplicateCase`` names
        it and no case is stored. Hooks run for every entry after the commit.
        """
        recorder = self._ready()
        prepared: list[tuple[Case, CaseRow, tuple[HistoryEntry, ...], list[EntryRow]]] = []
        seen: set[str] = set()
        for case in cases_:
            row, entries, rows = self._new_row(case)
            if case.reference in seen:
                raise DuplicateCase(case.reference)
            seen.add(case.reference)
            prepared.append((case, row, entries, rows))
        if not prepared:
            return ()
        recorder.insert_cases([(row, rows) for _, row, _, rows in prepared])
        return tuple(
            SaveResult(case, len(entries), entries, self._notify(case, entries))
            for case, _, entries, _ in prepared
        )

    def _new_row(self, case: Case) -> tuple[CaseRow, tuple[HistoryEntry, ...], list[EntryRow]]:
        header, fragments, entries = self._cut(case)
        for name, value in (
            ("reference", case.reference),
            ("authority", case.authority),
            ("procedure", case.procedure_id),
        ):
            _fits(name, value)
        due, code = attention(case)
        row = CaseRow(
            reference=case.reference,
            procedure=case.procedure_id,
            procedure_version=procedure_version(case),
            state=_state(case, entries),
            revision=len(entries),
            authority=case.authority,
            opened=entries[0].at if entries else datetime.now(timezone.utc),
            next_due=due,
            next_due_code=code,
            header=header,
        )
        return row, entries, _rows(entries, fragments)

    def get(self, reference: str) -> Case:
        """Load a stored case (``CaseNotFound`` if there is none).

        Its ``revision`` is the one to give back to ``save`` as ``expected_revision``.
        """
        found = self._ready().document(_reference(reference))
        if found is None:
            raise CaseNotFound(reference)
        header, _, entries = found
        return loads(join_document(header, entries), procedures=self.procedures)

    def __contains__(self, reference: object) -> bool:
        return isinstance(reference, str) and self._ready().revision(reference) is not None

    def __len__(self) -> int:
        return self._ready().count()

    def save(self, case: Case, *, expected_revision: int) -> SaveResult:
        """Write the entries ``case`` gained since it was read at ``expected_revision``.

        The save succeeds only if the stored case is still at ``expected_revision``;
        otherwise it raises ``ConcurrencyConflict`` and writes nothing: reload the case,
        look again, and retry if the step still makes sense. The new history rows and the
        case row are written in one transaction. Hooks run after the commit. A case with
        nothing new is not written at all.
        """
        recorder = self._ready()
        if not isinstance(case, Case):
            raise InvalidPayload(f"'case' must be an innoproc Case, got {case!r}", "case")
        header, fragments, entries = self._cut(case)
        if (
            isinstance(expected_revision, bool)
            or not isinstance(expected_revision, int)
            or not 0 <= expected_revision <= len(entries)
        ):
            raise InvalidPayload(
                f"'expected_revision' must be the revision the case was read at (a whole "
                f"number from 0 to {len(entries)}), got {expected_revision!r}",
                "expected_revision",
            )
        if expected_revision == len(entries):
            return SaveResult(case, expected_revision, ())
        new = entries[expected_revision:]
        due, code = attention(case)
        changes = {
            "state": _state(case, entries),
            "revision": len(entries),
            "procedure_version": procedure_version(case),
            "header": header,
            "next_due": due,
            "next_due_code": code,
        }
        recorder.append(
            case.reference,
            expected_revision,
            changes,
            _rows(new, fragments[expected_revision:]),
        )
        return SaveResult(case, len(entries), new, self._notify(case, new))

    def edit(self, reference: str) -> Edit:
        """A unit of work: ``with store.edit(reference) as case:`` loads the case, and saves
        what the block did when it ends (or raises ``ConcurrencyConflict``)."""
        return Edit(self, reference)

    def delete(self, reference: str, *, expected_revision: int) -> None:
        """Delete a stored case and its history, if the store's ``deletable`` rule allows it.

        Raises ``DeletionRefused`` when the rule says no (or the store has none),
        ``ConcurrencyConflict`` if the case changed since it was read at
        ``expected_revision``, ``CaseNotFound`` if it is not stored.
        """
        case = self.get(reference)
        if self.deletable is None:
            raise DeletionRefused(reference, "the store has no rule that allows deleting cases")
        if not self.deletable(case):
            raise DeletionRefused(
                reference, f"the store's deletion rule does not allow it (state {case.state!r})"
            )
        if case.revision != expected_revision:
            raise ConcurrencyConflict(reference, expected_revision, case.revision)
        self._recorder.delete_case(reference, expected_revision)

    def import_case(self, text: str | bytes) -> SaveResult:
        """Store a case from its JSON (as ``innoproc.dumps`` writes it, from this or another
        system). The document is read by ``innoproc.loads``: anything malformed or out of
        order raises ``CaseFormatError`` and nothing is stored."""
        return self.add(loads(text, procedures=self.procedures))

    def export_case(self, reference: str) -> str:
        """A stored case as JSON text (``innoproc.dumps``)."""
        return dumps(self.get(reference))

    def audit(self) -> StoreAudit:
        """Replay every stored case through its procedure (``innoproc.audit``).

        Cases are read in batches, so memory stays bounded. A case whose rows do not make
        a readable document (a row changed by hand, a procedure this store is not given)
        is listed in ``unreadable`` with the reason.
        """
        checked = 0
        failed: list[AuditReport] = []
        unreadable: list[tuple[str, str]] = []
        for reference, header, _, entries in self._ready().documents():
            checked += 1
            try:
                report = audit(join_document(header, entries), procedures=self.procedures)
            except CaseFormatError as exc:
                unreadable.append((reference, str(exc)))
                continue
            if not report.ok:
                failed.append(report)
        return StoreAudit(checked, tuple(failed), tuple(unreadable))

    # -- queries ------------------------------------------------------------------------------

    def find(
        self,
        *,
        procedure: str | None = None,
        state: str | None = None,
        authority: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """The stored cases of a procedure, in a state, of an authority (any combination),
        by reference; each read from its row, without loading its history."""
        query = _filtered(procedure=procedure, state=state, authority=authority)
        return self._summaries(query.order_by(cases.c.reference), limit)

    def due(
        self,
        *,
        within: timedelta = timedelta(days=14),
        at: datetime | None = None,
        procedure: str | None = None,
        authority: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """The open cases whose next time limit falls within ``within`` from ``at`` (now by
        default), the earliest first: an indexed lookup on the stored next time limit."""
        start = _now("at", at)
        if not isinstance(within, timedelta) or within < timedelta(0):
            raise InvalidPayload(
                f"'within' must be a timedelta of zero or more, got {within!r}", "within"
            )
        query = _filtered(procedure=procedure, authority=authority).where(
            cases.c.next_due >= start, cases.c.next_due <= start + within
        )
        return self._summaries(query.order_by(cases.c.next_due, cases.c.reference), limit)

    def overdue(
        self,
        *,
        at: datetime | None = None,
        procedure: str | None = None,
        authority: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """The open cases whose next time limit has passed at ``at`` (now by default), the
        longest overdue first."""
        query = _filtered(procedure=procedure, authority=authority).where(
            cases.c.next_due < _now("at", at)
        )
        return self._summaries(query.order_by(cases.c.next_due, cases.c.reference), limit)

    def refresh_time_limits(self) -> int:
        """Recompute every stored case's next time limit; return how many changed.

        Needed only when the way time limits are computed changed (a new innoproc, a new
        version of a host's procedure) or after a schema upgrade run with ``--sql``: every
        save keeps the case it writes current.
        """
        recorder = self._ready()
        changed = 0
        stored = select(cases.c.reference, cases.c.next_due, cases.c.next_due_code)
        before = {ref: (due, code) for ref, due, code in recorder.summaries(stored)}
        for reference, header, revision, entries in recorder.documents():
            try:
                case = loads(join_document(header, entries), procedures=self.procedures)
            except CaseFormatError as exc:
                _log.warning("case %r: next time limit not computed: %s", reference, exc)
                continue
            now = attention(case)
            if now != before.get(reference) and recorder.set_attention(reference, revision, *now):
                changed += 1
        return changed

    def _summaries(self, query: Any, limit: int | None) -> list[CaseSummary]:
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise InvalidPayload(
                    f"'limit' must be a whole number of at least 1, got {limit!r}", "limit"
                )
            query = query.limit(limit)
        return [_summary(row) for row in self._ready().summaries(query)]

    # -- hooks --------------------------------------------------------------------------------

    def subscribe(
        self,
        hook: Hook,
        *,
        kind: Literal["step", "fact"] | None = None,
        names: Iterable[str] | None = None,
    ) -> None:
        """Call ``hook(case, entry)`` once for each history entry this store commits.

        ``kind`` (``"step"`` or ``"fact"``) and ``names`` (event or fact names) narrow what
        the hook is called for. Hooks run after the commit, in the thread that saved, in the
        order they were subscribed; a hook that raises is logged (logger
        ``innoproc.store``) and listed in the ``SaveResult``'s ``hook_failures``, and never
        undoes the commit. Hooks must not change the case.
        """
        if not callable(hook):
            raise InvalidPayload(f"'hook' must be callable, got {hook!r}", "hook")
        if kind not in (None, "step", "fact"):
            raise InvalidPayload(f"'kind' must be 'step', 'fact' or None, got {kind!r}", "kind")
        if isinstance(names, str):
            names = (names,)
        chosen = None if names is None else frozenset(names)
        self._subscriptions = [*self._subscriptions, _Subscription(hook, kind, chosen)]

    def unsubscribe(self, hook: Hook) -> None:
        """Stop calling ``hook`` (every subscription of it)."""
        self._subscriptions = [s for s in self._subscriptions if s.hook != hook]

    def _notify(self, case: Case, entries: tuple[HistoryEntry, ...]) -> tuple[HookFailure, ...]:
        subscriptions = self._subscriptions
        if not subscriptions:
            return ()
        failures: list[HookFailure] = []
        for entry in entries:
            for sub in subscriptions:
                if not sub.wants(entry):
                    continue
                try:
                    sub.hook(case, entry)
                except Exception as exc:
                    _log.error(
                        "hook %r failed on case %r, entry %d (%s %r); the save is committed",
                        sub.hook,
                        case.reference,
                        entry.seq,
                        entry.kind,
                        entry.name,
                        exc_info=exc,
                    )
                    failures.append(HookFailure(sub.hook, entry, exc))
        return tuple(failures)

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _cut(case: Case) -> tuple[str, list[str], tuple[HistoryEntry, ...]]:
        """The case's header and entries' JSON, and the entries they were written from."""
        if not isinstance(case, Case):
            raise InvalidPayload(f"'case' must be an innoproc Case, got {case!r}", "case")
        header, fragments = split_document(dumps(case))
        # Another thread may have extended the case since dumps read it: keep what was dumped.
        return header, fragments, case.history[: len(fragments)]


def _state(case: Case, entries: tuple[HistoryEntry, ...]) -> str:
    for entry in reversed(entries):
        if isinstance(entry, StepRecord):
            return entry.target
    return case.procedure.initial


def _rows(entries: tuple[HistoryEntry, ...], fragments: list[str]) -> list[EntryRow]:
    rows = []
    for entry, text in zip(entries, fragments, strict=True):
        _fits("entry name", entry.name)
        rows.append(EntryRow(entry.seq, entry.kind, entry.name, entry.at, entry.by, text))
    return rows


def _fits(name: str, value: str) -> None:
    if len(value) > NAME_LENGTH:
        raise InvalidPayload(
            f"the case store keeps a {name} of at most {NAME_LENGTH} characters, got one of "
            f"{len(value)}",
            name,
        )


def _reference(reference: object) -> str:
    if not isinstance(reference, str):
        raise InvalidPayload(f"'reference' must be a str, got {reference!r}", "reference")
    return reference


def _now(name: str, at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(OSLO)
    if not isinstance(at, datetime):
        raise InvalidPayload(f"{name!r} must be an aware datetime, got {at!r}", name)
    return require_aware(name, at)


def _filtered(**equal: str | None) -> Any:
    query = select(*SUMMARY)
    for column, value in equal.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidPayload(f"{column!r} must be a str, got {value!r}", column)
        query = query.where(cases.c[column] == value)
    return query


def _summary(row: tuple[Any, ...]) -> CaseSummary:
    reference, procedure, version, state, revision, authority, opened, due, code = row
    return CaseSummary(
        reference,
        procedure,
        version,
        state,
        revision,
        authority,
        opened.astimezone(OSLO),
        None if due is None else due.astimezone(OSLO),
        code,
    )
