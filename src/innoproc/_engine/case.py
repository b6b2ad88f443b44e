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

from innoproc._engine.assessment import Assessment, Finding
from innoproc._engine.declare import Context, Event, Procedure
from innoproc._engine.fields import Payload, validate_payload
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord
from innoproc._errors import (
    ChronologyError,
    ConcurrencyConflict,
    InvalidPayload,
    PreconditionFailed,
    TransitionNotAllowed,
    UnknownEvent,
    UnknownFact,
)
from innoproc._time import OSLO, require_aware


class _Token:
    """A throw-away model handed to the shared machine, so a failure never touches the case."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def _check_actor(by: object) -> str:
    if not isinstance(by, str) or not by.strip():
        raise InvalidPayload(f"'by' must name the actor (a non-empty str), got {by!r}", "by")
    return by


def _check_json(value: object, path: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidPayload(f"{path} must be a finite number, got {value!r}", path)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_json(item, f"{path}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidPayload(f"{path} keys must be str, got {key!r}", path)
            _check_json(item, f"{path}.{key}")
        return
    raise InvalidPayload(
        f"{path} must be JSON data (str, int, float, bool, None, list, dict), got {value!r}", path
    )


def _freeze(value: Any) -> Any:
    """JSON data made read-only all the way down: objects become read-only mappings and
    arrays tuples, so a case's details cannot be changed behind its history's back."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def thaw(value: Any) -> Any:
    """Frozen details back to plain JSON data (lists and dicts)."""
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    return value


class Case:
    """One case of a procedure: its identity, its history, and the state that follows from it.

    Create cases with ``innoproc.open_case`` (or ``innoproc.loads``). Ask what may
    happen with ``check`` and ``available``, record what preconditions look at with
    ``record``, and move the case with ``apply``.
    """

    __slots__ = (
        "_authority",
        "_details",
        "_encoded",
        "_facts",
        "_history",
        "_lock",
        "_procedure",
        "_reference",
        "_state",
    )

    def __init__(
        self,
        procedure: Procedure,
        *,
        reference: str,
        authority: str,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(reference, str) or not reference.strip():
            raise InvalidPayload(
                f"'reference' must be a non-empty str, got {reference!r}", "reference"
            )
        if not isinstance(authority, str) or not authority.strip():
            raise InvalidPayload(
                f"'authority' must be a non-empty str, got {authority!r}", "authority"
            )
        details = dict(details or {})
        _check_json(details, "details")
        self._procedure = procedure
        self._reference = reference
        self._authority = authority
        self._details: Mapping[str, Any] = _freeze(details)
        self._history: list[HistoryEntry] = []
        self._facts: dict[str, FactRecord] = {}
        self._state = procedure.initial
        self._lock = threading.Lock()
        #: The JSON of each history entry, written by ``dumps`` once and kept (private).
        self._encoded: list[str] = []

    # -- identity and derived state -------------------------------------------------------

    @property
    def procedure(self) -> Procedure:
        """The procedure this case follows."""
        return self._procedure

    @property
    def procedure_id(self) -> str:
        """The id of the procedure this case follows."""
        return self._procedure.id

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
        """Every applied step and recorded fact, oldest first."""
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
        event = self._procedure._events.get(name)
        if event is None:
            raise UnknownEvent(name, self._procedure.id, tuple(self._procedure._events))
        return event

    def _assess(
        self, event: Event, payload: Payload, missing: tuple[str, ...], at: datetime
    ) -> Assessment:
        state = self._state
        allowed = state in event.source
        target = (event.dest or state) if allowed else None
        if not allowed:
            return Assessment(
                self._procedure.id,
                event.name,
                state,
                False,
                None,
                event.source,
                missing=missing,
            )
        ctx = Context(
            state=state,
            event=event.name,
            payload=payload,
            at=at,
            facts=self._facts,
            history=self._history,
            details=self._details,
        )
        met: list[str] = []
        unmet: list[Finding] = []
        unassessed: list[str] = []
        for pre in event.requires:
            if missing and any(name in missing for name in pre.uses):
                unassessed.append(pre.code)
                continue
            finding = pre.evaluate(ctx)
            if finding is None:
                met.append(pre.code)
            else:
                unmet.append(finding)
        return Assessment(
            self._procedure.id,
            event.name,
            state,
            True,
            target,
            event.source,
            tuple(met),
            tuple(unmet),
            missing,
            tuple(unassessed),
        )

    def check(self, event: str, *, at: datetime | None = None, **payload: Any) -> Assessment:
        """Assess ``event`` with ``payload`` now (or ``at``), without changing the case.

        Every precondition is evaluated and every unmet one is reported; required fields
        not given are listed in ``missing``. Unknown events raise ``UnknownEvent``;
        unknown fields or wrong types raise ``InvalidPayload``.
        """
        spec = self._event(event)
        when = datetime.now(OSLO) if at is None else require_aware("at", at)
        clean, missing = validate_payload(spec.field_map, payload, f"event {event!r}")
        with self._lock:
            return self._assess(spec, clean, missing, when)

    def available(self, *, at: datetime | None = None) -> tuple[Assessment, ...]:
        """The events possible from the current state, each with its assessment.

        No payload is given, so events that need fields list them in ``missing``.
        """
        when = datetime.now(OSLO) if at is None else require_aware("at", at)
        result = []
        with self._lock:
            for spec in self._procedure.events_from(self._state):
                missing = tuple(f.name for f in spec.fields if f.required)
                result.append(self._assess(spec, MappingProxyType({}), missing, when))
        return tuple(result)

    # -- changing -----------------------------------------------------------------------

    def _stamp(self, at: datetime, by: object, expected_revision: int | None) -> str:
        """Check the entry's time, actor and the caller's revision (with the lock held)."""
        if expected_revision is not None and expected_revision != len(self._history):
            raise ConcurrencyConflict(self._reference, expected_revision, len(self._history))
        if self._history and at < self._history[-1].at:
            raise ChronologyError(at, self._history[-1].at)
        return _check_actor(by)

    def apply(
        self,
        event: str,
        *,
        at: datetime,
        by: str,
        expected_revision: int | None = None,
        **payload: Any,
    ) -> StepRecord:
        """Apply ``event`` at the aware instant ``at`` by actor ``by``; return its record.

        Raises ``TransitionNotAllowed`` if the event is not possible from the current
        state, ``PreconditionFailed`` (with ``.unmet``) if any precondition is unmet,
        and ``InvalidPayload`` for missing, unknown or mistyped fields. With
        ``expected_revision``, raises ``ConcurrencyConflict`` if the case has changed
        since the caller read it. A refused or failing step leaves the case exactly as it
        was. Safe to call from several threads.
        """
        spec = self._event(event)
        require_aware("at", at)
        clean, missing = validate_payload(spec.field_map, payload, f"event {event!r}")
        with self._lock:
            return self._apply(spec, at, by, expected_revision, clean, missing)

    def _apply(
        self,
        spec: Event,
        at: datetime,
        by: object,
        expected_revision: int | None,
        clean: Payload,
        missing: tuple[str, ...],
    ) -> StepRecord:
        event = spec.name
        actor = self._stamp(at, by, expected_revision)
        assessment = self._assess(spec, clean, missing, at)
        if not assessment.allowed:
            raise TransitionNotAllowed(assessment)
        if missing:
            raise InvalidPayload(
                f"event {event!r} requires field(s): {', '.join(missing)}", missing[0]
            )
        if assessment.unmet:
            raise PreconditionFailed(assessment)
        token = _Token(self._state)
        if not self._procedure.machine.events[event].trigger(token):
            raise TransitionNotAllowed(assessment)  # pragma: no cover - the machine agrees
        entry = StepRecord(
            len(self._history) + 1, at, actor, event, self._state, token.state, clean
        )
        self._history.append(entry)
        self._state = token.state
        return entry

    def record(
        self,
        fact: str,
        *,
        at: datetime,
        by: str,
        expected_revision: int | None = None,
        **payload: Any,
    ) -> FactRecord:
        """Record fact ``fact`` (a decision, an outcome, a document) at ``at`` by ``by``.

        Every field the fact declares as required must be given; a later record of the same
        fact supersedes the earlier one for preconditions, and both stay in the history.
        ``expected_revision`` works as in ``apply``.
        """
        spec = self._procedure._facts.get(fact)
        if spec is None:
            raise UnknownFact(fact, self._procedure.id, tuple(self._procedure._facts))
        require_aware("at", at)
        clean, missing = validate_payload(spec.field_map, payload, f"fact {fact!r}")
        if missing:
            raise InvalidPayload(
                f"fact {fact!r} requires field(s): {', '.join(missing)}", missing[0]
            )
        with self._lock:
            actor = self._stamp(at, by, expected_revision)
            entry = FactRecord(len(self._history) + 1, at, actor, fact, clean)
            self._history.append(entry)
            self._facts[fact] = entry
            return entry

    def snapshot(self) -> tuple[str, tuple[HistoryEntry, ...]]:
        """The state and the history read together, consistent even while others write."""
        with self._lock:
            return self._state, tuple(self._history)

    # -- replay (used by loading) -------------------------------------------------------

    def _replay(self, entry: HistoryEntry) -> None:
        """Append an already validated entry and fold it into the state and facts."""
        self._history.append(entry)
        if isinstance(entry, FactRecord):
            self._facts[entry.fact] = entry
        else:
            self._state = entry.target

    def __str__(self) -> str:
        from innoproc._display import case_text

        return case_text(self)

    def _repr_html_(self) -> str:
        from innoproc._display import case_html

        return case_html(self)

    def __repr__(self) -> str:
        return (
            f"<Case {self._reference!r} ({self._procedure.id}) state={self._state!r} "
            f"revision={len(self._history)}>"
        )
