"""The runtime case: one procurement case driven through a declared procedure.

The history is the truth: the state and the facts are a fold over the history, and a refused
or failing step appends nothing, so the case stays exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from innoproc import _limits
from innoproc._engine.assessment import Assessment, Finding
from innoproc._engine.declare import Context, Event, Procedure
from innoproc._engine.fields import Payload, validate_payload
from innoproc._engine.history import (
    FactRecord,
    HistoryEntry,
    StepRecord,
    UpgradeRecord,
    make_fact,
    make_step,
)
from innoproc._engine.upgrade import UpgradeReport, assess_upgrade
from innoproc._errors import (
    ChronologyError,
    ConcurrencyConflict,
    InvalidArgument,
    InvalidDefinition,
    InvalidPayload,
    PreconditionFailed,
    TransitionNotAllowed,
    UnknownEvent,
    UnknownFact,
    UnknownProcedure,
    UpgradeRefused,
    _named,
    shown,
)
from innoproc._limits import thaw
from innoproc._time import OSLO

__all__ = ["Case", "thaw"]

_MAX_TEXT = _limits.MAX_TEXT
_NO_DETAILS: Mapping[str, Any] = _limits.json_data({}, "details", 2)
#: The initial state of each procedure seen, by identity (a declaration never changes).
_INITIAL: dict[int, tuple[Procedure, str]] = {}
_get_ident = threading.get_ident


def _name(argument: str, value: object) -> str:
    if type(value) is str and value.isascii() and len(value) <= _MAX_TEXT and value.strip():
        return value  # the common case: an exact, short, ASCII str
    clean = _limits.text(value, argument)
    if not clean.strip():
        raise InvalidPayload(f"{argument!r} must be a non-empty str, got {shown(value)}", argument)
    return clean


def _now(at: datetime | None) -> datetime:
    return datetime.now(OSLO) if at is None else _limits.instant(at, "at")


class Case:
    """One case of a procedure: its identity, its history, and the state that follows from it.

    Create cases with ``innoproc.open_case`` (or ``innoproc.loads``). Ask what may
    happen with ``check`` and ``available``, record what preconditions look at with
    ``record``, and move the case with ``apply``. A case is safe to share between threads;
    ``copy.copy`` and ``copy.deepcopy`` give an independent case (pickle is refused: store
    a case with ``innoproc.dumps``).
    """

    # _versions: the procedure of each version the case has been under, oldest first, with the
    # seq of its first entry (the versions a stored history is written in); _encoded: how
    # many history entries ``dumps`` has written as JSON, and that JSON (the entries joined by
    # commas), kept so that each entry is written once; or, for a case loaded from a sealed
    # document and not written since, the number of its entries, the document and the state
    # it stated; _judging: the thread judging the case's preconditions now, if any;
    # _problems: how many problems ``loads(..., for_audit=True)`` let through (such a case
    # is not sealed: a sealed document is read without the checks that found them).
    _procedure: Procedure
    _versions: list[tuple[int, Procedure]]
    _history: list[HistoryEntry]
    _facts: dict[str, FactRecord]
    _facts_by: dict[str, list[FactRecord]]
    _steps_by: dict[str, list[StepRecord]]
    _state: str
    _lock: threading.RLock
    _judging: int | None
    _encoded: tuple[int, str, str | None]
    _problems: int

    __slots__ = (
        "_authority",
        "_details",
        "_encoded",
        "_facts",
        "_facts_by",
        "_history",
        "_judging",
        "_lock",
        "_problems",
        "_procedure",
        "_reference",
        "_state",
        "_steps_by",
        "_versions",
    )

    def __init__(
        self,
        procedure: Procedure,
        *,
        reference: str,
        authority: str,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(procedure, Procedure):
            raise InvalidArgument(
                f"'procedure' must be a Procedure, got {shown(procedure)}", "procedure"
            )
        self._reference = _name("reference", reference)
        self._authority = _name("authority", authority)
        if details is None:
            details = {}
        elif not isinstance(details, Mapping):
            raise InvalidPayload(f"'details' must be a mapping, got {shown(details)}", "details")
        self._details: Mapping[str, Any] = _limits.json_data(details, "details", 2)
        self._init_history(procedure)

    # -- identity and derived state -------------------------------------------------------

    @property
    def procedure(self) -> Procedure:
        """The procedure (and version) this case follows now."""
        return self._procedure

    @property
    def procedure_id(self) -> str:
        """The id of the procedure this case follows."""
        return self._procedure.id

    @property
    def version(self) -> int:
        """The version of the procedure the case is judged by now."""
        return self._procedure.version

    @property
    def opened_version(self) -> int:
        """The version of the procedure the case was opened under."""
        return self._versions[0][1].version

    @property
    def reference(self) -> str:
        """The authority's own reference for the case (a case number)."""
        return self._reference

    @property
    def authority(self) -> str:
        """The contracting authority running the case."""
        return self._authority

    @property
    def details(self) -> Mapping[str, Any]:
        """Free-form descriptive details given when the case was opened (read-only all the
        way down: objects are read-only mappings, arrays tuples)."""
        return self._details

    @property
    def state(self) -> str:
        """The name of the current state."""
        return self._state

    @property
    def closed(self) -> bool:
        """True when the case is in a final state."""
        return self._procedure._states[self._state].final

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        """Every applied step, recorded fact and upgrade, in the order entered."""
        return tuple(self._history)

    @property
    def revision(self) -> int:
        """A number that advances with every change (the number of history entries)."""
        return len(self._history)

    @property
    def facts(self) -> Mapping[str, FactRecord]:
        """The latest record of each fact recorded so far, by fact name (read-only)."""
        return MappingProxyType(self._facts)

    # -- asking -------------------------------------------------------------------------

    def _event(self, name: str) -> Event:
        event = self._procedure._events.get(name) if isinstance(name, str) else None
        if event is None:
            raise UnknownEvent(_named(name), self._procedure.id, tuple(self._procedure._events))
        return event

    def _judge(
        self, event: Event, payload: Payload, missing: tuple[str, ...], at: datetime
    ) -> tuple[str | None, list[str], list[Finding], list[Finding], list[str]]:
        """Judge ``event`` (with the lock held): the state it leads to (``None`` when it is
        not possible from the current state), and the codes met, the findings unmet and the
        advice, and the codes not assessed for want of fields. The case is not changed."""
        procedure = self._procedure
        state = self._state
        target = procedure.targets(state).get(event.name)
        met: list[str] = []
        unmet: list[Finding] = []
        advice: list[Finding] = []
        unassessed: list[str] = []
        if target is None:
            return None, met, unmet, advice, unassessed
        ctx = Context(
            procedure=procedure,
            state=state,
            event=event.name,
            payload=payload,
            at=at,
            facts=self._facts,
            history=self._history,
            details=self._details,
            facts_by=self._facts_by,
            steps_by=self._steps_by,
        )
        outer = self._judging
        self._judging = _get_ident()
        try:
            for pre in event.requires:
                if missing and any(name in missing for name in pre.uses):
                    unassessed.append(pre.code)
                    continue
                # A rule that is met needs no Finding: ``evaluate`` is asked only for the
                # others (and for a test that fails, which it turns into InvalidDefinition).
                try:
                    verdict = pre.test(ctx)
                except Exception:
                    verdict = False
                if verdict is True or verdict is None:
                    met.append(pre.code)
                    continue
                finding = pre.evaluate(ctx)
                if finding is None:
                    met.append(pre.code)
                elif finding.blocking:
                    unmet.append(finding)
                else:
                    advice.append(finding)
        finally:
            self._judging = outer
        return target, met, unmet, advice, unassessed

    def _assess(
        self, event: Event, payload: Payload, missing: tuple[str, ...], at: datetime
    ) -> Assessment:
        """Assess ``event`` (with the lock held); the case is not changed."""
        target, met, unmet, advice, unassessed = self._judge(event, payload, missing, at)
        return self._assessment(event, target, missing, met, unmet, advice, unassessed)

    def _assessment(
        self,
        event: Event,
        target: str | None,
        missing: tuple[str, ...],
        met: list[str],
        unmet: list[Finding],
        advice: list[Finding],
        unassessed: list[str],
    ) -> Assessment:
        procedure_id = self._procedure.id
        if target is None:
            return Assessment(
                procedure_id,
                event.name,
                self._state,
                False,
                None,
                event.source,
                missing=missing,
                procedure=self._procedure,
            )
        return Assessment(
            procedure_id,
            event.name,
            self._state,
            True,
            target,
            event.source,
            tuple(met),
            tuple(unmet),
            missing,
            tuple(unassessed),
            tuple(advice),
            procedure=self._procedure,
        )

    def check(self, event: str, *, at: datetime | None = None, **payload: Any) -> Assessment:
        """Assess ``event`` with ``payload`` now (or ``at``), without changing the case.

        Every precondition is evaluated and every unmet one is reported; required fields
        not given are listed in ``missing``. Unknown events raise ``UnknownEvent``;
        unknown fields or wrong types raise ``InvalidPayload``.
        """
        spec = self._event(event)
        when = _now(at)
        clean, missing = validate_payload(spec.field_map, payload, "event", event)
        with self._lock:
            return self._assess(spec, clean, missing, when)

    def available(self, *, at: datetime | None = None) -> tuple[Assessment, ...]:
        """The events possible from the current state, each with its assessment.

        No payload is given, so events that need fields list them in ``missing``.
        """
        when = _now(at)
        result = []
        with self._lock:
            for spec in self._procedure.events_from(self._state):
                missing = tuple(f.name for f in spec.fields if f.required)
                result.append(self._assess(spec, MappingProxyType({}), missing, when))
        return tuple(result)

    def check_upgrade(self, to: Procedure | int | None = None) -> UpgradeReport:
        """What in this case does not fit another version of its procedure (the latest
        built-in version when ``to`` is ``None``; a version number, or a ``Procedure``).

        Blocking findings (``unmet``) name what cannot be mapped (the current state, a
        recorded fact or field the new version does not know); ``advice`` names facts to
        record again because the new version asks more of them, and the rules that are new.
        """
        target = self._resolve(to)
        with self._lock:
            return assess_upgrade(self._procedure, target, self._state, self._facts)

    def _resolve(self, to: Procedure | int | None) -> Procedure:
        if isinstance(to, Procedure):
            if to.id != self._procedure.id:
                raise InvalidArgument(
                    f"'to' must be a version of {self._procedure.id!r}, got {to.id!r}", "to"
                )
            return to
        if to is not None and (isinstance(to, bool) or not isinstance(to, int)):
            raise InvalidArgument(
                f"'to' must be a version number or a Procedure, got {shown(to)}", "to"
            )
        # Versions of built-in procedures (and of the built-in schemes' applications) are
        # found by number; give your own procedures as a Procedure.
        from innoproc._procedures import find_version

        found = find_version(self._procedure.id, to)
        if found is None:
            raise UnknownProcedure(self._procedure.id, (str(self.version),), to)
        return found

    # -- changing -----------------------------------------------------------------------

    def _stamp(
        self,
        at: datetime,
        entered_at: datetime | None,
        by: object,
        expected_revision: int | None,
    ) -> tuple[datetime, datetime, str]:
        """Check an entry's times, actor and the caller's revision (with the lock held)."""
        judging = self._judging
        if judging is not None and judging == _get_ident():
            raise InvalidDefinition(
                f"a precondition tried to change case {self._reference!r} while it was being "
                "judged; preconditions may only read a case",
                self._procedure.id,
            )
        if expected_revision is not None:
            if isinstance(expected_revision, bool) or not isinstance(expected_revision, int):
                raise InvalidArgument(
                    f"'expected_revision' must be an int, got {shown(expected_revision)}",
                    "expected_revision",
                )
            if expected_revision != len(self._history):
                raise ConcurrencyConflict(self._reference, expected_revision, len(self._history))
        actor = _name("by", by)
        if entered_at is None:
            entered = at
        else:
            entered = _limits.instant(entered_at, "entered_at")
            if at > entered:
                raise ChronologyError(at, entered, "at", "effective")
        # Instants are kept with fixed UTC offsets, so this compares real time, also across a
        # daylight-saving change.
        if self._history and entered < self._history[-1].entered_at:
            raise ChronologyError(
                entered,
                self._history[-1].entered_at,
                "at" if entered_at is None else "entered_at",
            )
        return at, entered, actor

    def apply(
        self,
        event: str,
        *,
        at: datetime,
        by: str,
        entered_at: datetime | None = None,
        expected_revision: int | None = None,
        **payload: Any,
    ) -> StepRecord:
        """Apply ``event`` at the aware instant ``at`` by actor ``by``; return its record.

        Raises ``TransitionNotAllowed`` if the event is not possible from the current
        state, ``PreconditionFailed`` (with ``.unmet``) if any precondition is unmet,
        and ``InvalidPayload`` for missing, unknown or mistyped fields. With
        ``expected_revision``, raises ``ConcurrencyConflict`` if the case has changed
        since the caller read it. ``entered_at`` is the moment the step is entered when it
        is entered late (``at`` being when it happened, what the rules judge by). A refused
        or failing step leaves the case exactly as it was. Safe to call from several threads.
        """
        spec = self._event(event)
        when = _limits.instant(at, "at")
        clean, missing = validate_payload(spec.field_map, payload, "event", event)
        with self._lock:
            when, entered, actor = self._stamp(when, entered_at, by, expected_revision)
            target, met, unmet, advice, unassessed = self._judge(spec, clean, missing, when)
            if target is None:
                raise TransitionNotAllowed(
                    self._assessment(spec, target, missing, met, unmet, advice, unassessed)
                )
            if missing:
                raise InvalidPayload(
                    f"event {event!r} requires field(s): {', '.join(missing)}", missing[0]
                )
            if unmet:
                raise PreconditionFailed(
                    self._assessment(spec, target, missing, met, unmet, advice, unassessed)
                )
            entry = make_step(
                len(self._history) + 1,
                when,
                actor,
                spec.name,
                self._state,
                target,
                clean,
                entered,
            )
            self._append(entry)
            return entry

    def record(
        self,
        fact: str,
        *,
        at: datetime,
        by: str,
        entered_at: datetime | None = None,
        expected_revision: int | None = None,
        **payload: Any,
    ) -> FactRecord:
        """Record fact ``fact`` (a decision, an outcome, a document) at ``at`` by ``by``.

        Every field the fact declares as required must be given; a later record of the same
        fact supersedes the earlier one for preconditions, and both stay in the history.
        A decision entered late carries its own date as ``at`` and the moment of entry as
        ``entered_at``. ``expected_revision`` works as in ``apply``.
        """
        spec = self._procedure._facts.get(fact) if isinstance(fact, str) else None
        if spec is None:
            raise UnknownFact(_named(fact), self._procedure.id, tuple(self._procedure._facts))
        when = _limits.instant(at, "at")
        clean, missing = validate_payload(spec.field_map, payload, "fact", fact)
        if missing:
            raise InvalidPayload(
                f"fact {fact!r} requires field(s): {', '.join(missing)}", missing[0]
            )
        with self._lock:
            when, entered, actor = self._stamp(when, entered_at, by, expected_revision)
            entry = make_fact(len(self._history) + 1, when, actor, spec.name, clean, entered)
            self._append(entry)
            return entry

    def upgrade(
        self,
        to: Procedure | int | None = None,
        *,
        at: datetime,
        by: str,
        entered_at: datetime | None = None,
        expected_revision: int | None = None,
    ) -> UpgradeRecord:
        """Move the case to a later version of its procedure (the latest when ``to`` is
        ``None``), as an entry in its history; return the entry.

        What came before stays judged by the earlier version; what comes after is judged by
        the new one. Refused with ``UpgradeRefused`` (nothing changes) when ``check_upgrade``
        finds something that cannot be mapped, or when ``to`` is not later than the case's
        version.
        """
        target = self._resolve(to)
        when = _limits.instant(at, "at")
        with self._lock:
            when, entered, actor = self._stamp(when, entered_at, by, expected_revision)
            report = assess_upgrade(self._procedure, target, self._state, self._facts)
            if not report.ok:
                raise UpgradeRefused(report)
            entry = UpgradeRecord(
                len(self._history) + 1,
                when,
                actor,
                self._procedure.version,
                target.version,
                entered if entered is not when else None,
            )
            self._append(entry, target)
            return entry

    def _append(self, entry: HistoryEntry, upgrade_to: Procedure | None = None) -> None:
        """Append an entry and fold it into the state, facts and indexes (lock held)."""
        self._history.append(entry)
        if isinstance(entry, FactRecord):
            self._facts[entry.fact] = entry
            found = self._facts_by.get(entry.fact)
            if found is None:
                self._facts_by[entry.fact] = [entry]
            else:
                found.append(entry)
        elif isinstance(entry, StepRecord):
            self._state = entry.target
            steps = self._steps_by.get(entry.event)
            if steps is None:
                self._steps_by[entry.event] = [entry]
            else:
                steps.append(entry)
        else:
            assert upgrade_to is not None
            self._state = upgrade_to.state_map.get(self._state, self._state)
            self._procedure = upgrade_to
            self._versions.append((entry.seq + 1, upgrade_to))

    def snapshot(self) -> tuple[str, tuple[HistoryEntry, ...]]:
        """The state and the history read together, consistent even while others write."""
        with self._lock:
            return self._state, tuple(self._history)

    def procedure_at(self, seq: int) -> Procedure:
        """The procedure (version) entry ``seq`` of the history was judged by (for an
        upgrade entry: the version it left)."""
        found = self._versions[0][1]
        for first, procedure in self._versions:
            if first > seq:
                break
            found = procedure
        return found

    # -- replay (used by loading and auditing) ------------------------------------------

    @classmethod
    def _read(
        cls, procedure: Procedure, reference: str, authority: str, details: Mapping[str, Any]
    ) -> Case:
        """An empty case from a document whose details were checked and made read-only as
        they were read (``_limits.json_data``): they are not walked a second time."""
        case = cls(procedure, reference=reference, authority=authority)
        case._details = details if details else _NO_DETAILS
        return case

    @classmethod
    def _trusted(
        cls, procedure: Procedure, reference: str, authority: str, details: Mapping[str, Any]
    ) -> Case:
        """An empty case from a document the host sealed: identity taken as written."""
        case = cls.__new__(cls)
        case._reference = reference
        case._authority = authority
        case._details = _limits.json_data(details, "details", 2) if details else _NO_DETAILS
        case._init_history(procedure)
        return case

    def _fresh(self) -> Case:
        """An empty case with this case's identity and details, under the version it was
        opened under (for replaying its history)."""
        case = Case.__new__(Case)
        case._reference = self._reference
        case._authority = self._authority
        case._details = self._details
        case._init_history(self._versions[0][1])
        return case

    def _init_history(self, procedure: Procedure) -> None:
        self._procedure = procedure
        self._versions = [(1, procedure)]
        self._history = []
        self._facts = {}
        self._facts_by = {}
        self._steps_by = {}
        known = _INITIAL.get(id(procedure))
        if known is None or known[0] is not procedure:
            known = (procedure, procedure.initial)
            if len(_INITIAL) < 1000:
                _INITIAL[id(procedure)] = known
        self._state = known[1]
        self._lock = threading.RLock()
        self._judging = None
        self._encoded = (0, "", None)
        self._problems = 0

    def _extend(self, entries: list[HistoryEntry]) -> None:
        """Append already validated facts and steps (no upgrades) and fold them in, as
        ``_append`` does one by one (loading a stored case)."""
        history = self._history
        facts = self._facts
        facts_by = self._facts_by
        steps_by = self._steps_by
        state = self._state
        for entry in entries:
            history.append(entry)
            if type(entry) is FactRecord:
                name = entry.fact
                facts[name] = entry
                found = facts_by.get(name)
                if found is None:
                    facts_by[name] = [entry]
                else:
                    found.append(entry)
            else:
                assert type(entry) is StepRecord
                state = entry.target
                steps = steps_by.get(entry.event)
                if steps is None:
                    steps_by[entry.event] = [entry]
                else:
                    steps.append(entry)
        self._state = state

    def _replay(self, entry: HistoryEntry, upgrade_to: Procedure | None = None) -> None:
        """Append an already validated entry and fold it into the state and facts."""
        self._append(entry, upgrade_to)

    # -- copies -------------------------------------------------------------------------

    def __copy__(self) -> Case:
        with self._lock:
            twin = Case.__new__(Case)
            twin._reference = self._reference
            twin._authority = self._authority
            twin._details = self._details  # read-only all the way down
            twin._procedure = self._procedure
            twin._versions = list(self._versions)
            twin._history = list(self._history)  # entries are immutable
            twin._facts = dict(self._facts)
            twin._facts_by = {k: list(v) for k, v in self._facts_by.items()}
            twin._steps_by = {k: list(v) for k, v in self._steps_by.items()}
            twin._state = self._state
            twin._encoded = self._encoded  # immutable
            twin._lock = threading.RLock()
            twin._judging = None
            twin._problems = self._problems
            return twin

    def __deepcopy__(self, memo: dict[int, Any]) -> Case:
        # Everything a case holds is immutable but its lists, which the copy makes anew.
        return self.__copy__()

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise InvalidArgument(
            f"a Case cannot be pickled; store it with innoproc.dumps(case) and read it back "
            f"with innoproc.loads (case {self._reference!r})",
            "case",
        )

    def __str__(self) -> str:
        from innoproc._display import case_text

        return case_text(self)

    def _repr_html_(self) -> str:
        from innoproc._display import case_html

        return case_html(self)

    def __repr__(self) -> str:
        return (
            f"<Case {self._reference!r} ({self._procedure.id} v{self._procedure.version}) "
            f"state={self._state!r} revision={len(self._history)}>"
        )
