"""Declaring procedures: states, events, facts and preconditions.

A procedure is declared as data and checked when it is built: unknown states or
preconditions, unreachable states and non-final states with no way out raise
``innoproc.InvalidDefinition`` naming the culprit. The compiled ``transitions``
machine is built once per procedure and shared by every case of it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Union

import attrs

from innoproc._engine.assessment import Advice, Finding, Shortfall, check_kind
from innoproc._engine.fields import Field, Payload
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord
from innoproc._errors import InnoprocError, InvalidDefinition, shown
from innoproc._i18n import Plain
from innoproc._text import Source, Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from transitions import Machine

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _check_name(kind: str, name: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidDefinition(
            f"{kind} name must be lower-case words joined by hyphens "
            f"(like 'market-dialogue'), got {name!r}",
            str(name),
        )


_NO_STEPS: tuple[StepRecord, ...] = ()
_NO_FACTS: tuple[FactRecord, ...] = ()


class Context:
    """What a precondition's test sees: the case's facts and history, the event and payload.

    Tests read facts through ``fact`` and ``facts``, steps through ``steps``,
    ``last_step`` and ``count``, the event's fields through ``payload``, the moment the step
    takes effect through ``at`` and the case's ``details``. Asking for a fact or an event the
    procedure does not declare is a mistake in the declaration and raises
    ``InvalidDefinition`` naming it (a typo would otherwise make a rule that can never be
    met).
    """

    __slots__ = (
        "_facts",
        "_facts_by",
        "_history",
        "_procedure",
        "_steps_by",
        "at",
        "details",
        "event",
        "payload",
        "state",
    )

    def __init__(
        self,
        *,
        procedure: Procedure,
        state: str,
        event: str,
        payload: Payload,
        at: datetime,
        facts: Mapping[str, FactRecord],
        history: Sequence[HistoryEntry],
        details: Mapping[str, Any],
        facts_by: Mapping[str, Sequence[FactRecord]] | None = None,
        steps_by: Mapping[str, Sequence[StepRecord]] | None = None,
    ) -> None:
        self._procedure = procedure
        self.state = state
        self.event = event
        self.payload = payload
        self.at = at
        self.details = details
        self._facts = facts
        self._history = history
        if facts_by is None or steps_by is None:
            facts_by, steps_by = index(history)
        self._facts_by = facts_by
        self._steps_by = steps_by

    @property
    def procedure(self) -> Procedure:
        """The procedure (and version) the case is judged by."""
        return self._procedure

    def _fact_name(self, name: str) -> None:
        if name not in self._procedure._facts:
            raise InvalidDefinition(
                f"{self._procedure.id}: a precondition reads fact {shown(name)}, which the "
                f"procedure does not declare (its facts: {', '.join(self._procedure._facts)})",
                str(name),
            )

    def _event_name(self, name: str) -> None:
        if name not in self._procedure._events:
            raise InvalidDefinition(
                f"{self._procedure.id}: a precondition reads event {shown(name)}, which the "
                f"procedure does not declare (its events: {', '.join(self._procedure._events)})",
                str(name),
            )

    def fact(self, name: str) -> FactRecord | None:
        """The latest record of fact ``name``, or ``None`` if it was never recorded."""
        found = self._facts.get(name)
        if found is None:
            self._fact_name(name)
        return found

    def facts(self, name: str) -> tuple[FactRecord, ...]:
        """Every record of fact ``name``, oldest first."""
        found = self._facts_by.get(name)
        if found is None:
            self._fact_name(name)
            return _NO_FACTS
        return tuple(found)

    def last_fact(self, name: str, **where: object) -> FactRecord | None:
        """The latest record of fact ``name`` whose payload has every value in ``where``
        (``ctx.last_fact("phase-evaluation", phase=2)``), or ``None``. Cheap: the records
        are read from the latest back, without a copy of the history."""
        found = self._facts_by.get(name)
        if found is None:
            self._fact_name(name)
            return None
        for record in reversed(found):
            if all(record.payload.get(key) == value for key, value in where.items()):
                return record
        return None

    def steps(self, event: str | None = None) -> tuple[StepRecord, ...]:
        """Every applied step (of ``event`` only, if given), oldest first."""
        if event is None:
            return tuple(e for e in self._history if isinstance(e, StepRecord))
        found = self._steps_by.get(event)
        if found is None:
            self._event_name(event)
            return _NO_STEPS
        return tuple(found)

    def last_step(self, *events: str) -> StepRecord | None:
        """The latest step of any of ``events``, or ``None`` (cheap: no copy of the history)."""
        latest: StepRecord | None = None
        for event in events:
            found = self._steps_by.get(event)
            if found is None:
                self._event_name(event)
            elif latest is None or found[-1].seq > latest.seq:
                latest = found[-1]
        return latest

    def count(self, event: str) -> int:
        """How many times ``event`` has been applied (cheap: no copy of the history)."""
        found = self._steps_by.get(event)
        if found is None:
            self._event_name(event)
            return 0
        return len(found)

    @property
    def history(self) -> Sequence[HistoryEntry]:
        """The whole history of the case, oldest first."""
        return self._history


def index(
    history: Iterable[HistoryEntry],
) -> tuple[dict[str, list[FactRecord]], dict[str, list[StepRecord]]]:
    """Facts and steps of a history by name, each oldest first."""
    facts_by: dict[str, list[FactRecord]] = {}
    steps_by: dict[str, list[StepRecord]] = {}
    for entry in history:
        if isinstance(entry, FactRecord):
            facts_by.setdefault(entry.fact, []).append(entry)
        elif isinstance(entry, StepRecord):
            steps_by.setdefault(entry.event, []).append(entry)
    return facts_by, steps_by


#: What a precondition's test returns: ``True``/``None`` when met, ``False`` or a
#: ``Shortfall`` (with particulars) when not.
Verdict = Union[bool, None, Shortfall]  # noqa: UP007 - a runtime alias on 3.10
Test = Callable[[Context], Verdict]


def _fields(value: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(value)


def _facts(value: Iterable[FactType]) -> tuple[FactType, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _preconditions(value: Iterable[Precondition]) -> tuple[Precondition, ...]:
    return tuple(value)


@attrs.frozen
class FactType:
    """A kind of fact a case can record, such as a leadership decision or a market-dialogue outcome.

    ``fields`` declare the payload; ``title`` names it (a ``Text``: English, translated by
    the catalogues).
    """

    name: str
    title: Text
    fields: tuple[Field, ...] = attrs.field(default=(), converter=_fields)
    doc: str = ""
    field_map: Mapping[str, Field] = attrs.field(init=False, repr=False, eq=False)
    """The fields by name."""

    def __attrs_post_init__(self) -> None:
        _check_name("fact", self.name)
        _check_fields(f"fact {self.name!r}", self.fields)
        object.__setattr__(self, "field_map", {f.name: f for f in self.fields})


_RESERVED = frozenset({"at", "by", "expected_revision", "event", "fact", "self"})


def _check_fields(owner: str, fields: Iterable[Field]) -> None:
    seen: set[str] = set()
    for field in fields:
        if not isinstance(field, Field):
            raise InvalidDefinition(f"{owner}: {field!r} is not a Field", owner)
        if not field.name.isidentifier():
            raise InvalidDefinition(
                f"{owner}: field name {field.name!r} must be a Python identifier", field.name
            )
        if field.name in _RESERVED:
            raise InvalidDefinition(
                f"{owner}: field name {field.name!r} is reserved by Case.apply/record",
                field.name,
            )
        if field.name in seen:
            raise InvalidDefinition(f"{owner}: field {field.name!r} declared twice", field.name)
        seen.add(field.name)


@attrs.frozen(repr=False)
class Precondition:
    """A rule that must hold before an event may be applied.

    Each precondition has a stable ``code`` (users store and test against it), the rule (a
    ``Text`` in English, translated by the catalogues), its legal or programme ``source``, and a
    ``test`` that looks at a ``Context``. ``reads`` lists the fact types the test looks at (they
    are declared on every procedure that uses the precondition); ``uses`` lists the event fields
    it needs (it is not assessed until they are given). ``kind`` says what the rule is:
    ``"legal"`` (a legal requirement, the default), ``"programme"`` (a funding programme's
    requirement) or ``"practice"`` (good practice: reported as advice, never blocking).

    ```pycon
    >>> from innoproc import Precondition, Source, Text
    >>> p = Precondition(
    ...     code="budget-approved",
    ...     rule=Text(en="The budget must be approved.", nb="Budsjettet må være vedtatt."),
    ...     source=Source("Municipal finance regulations", "§ 4"),
    ...     test=lambda ctx: ctx.fact("budget-approval") is not None,
    ...     kind="programme",
    ... )
    >>> p
    <precondition budget-approved>

    ```
    """

    code: str
    rule: Text
    source: Source
    test: Test = attrs.field(eq=False)
    reads: tuple[FactType, ...] = attrs.field(default=(), converter=_facts)
    uses: tuple[str, ...] = attrs.field(default=(), converter=_names)
    kind: str = "legal"

    def __attrs_post_init__(self) -> None:
        _check_name("precondition code", self.code)
        check_kind(f"precondition {self.code!r}", self.kind)
        if not callable(self.test):
            raise InvalidDefinition(f"precondition {self.code!r}: test must be callable", self.code)

    @property
    def blocking(self) -> bool:
        """True when an unmet rule blocks the step (legal and programme requirements)."""
        return self.kind != "practice"

    def cited(self, source: Source, *, kind: str | None = None) -> Precondition:
        """The same rule cited to another ``source`` (a rule shared by procedures that rest
        on different instruments, such as the innovation partnership and PCP), and, where it
        has another standing there, of another ``kind``."""
        return attrs.evolve(self, source=source, kind=self.kind if kind is None else kind)

    def evaluate(self, ctx: Context) -> Finding | None:
        """Run the test; ``None`` when the rule is met, else a ``Finding``.

        A test that fails with an exception of its own is a defect of the declaration:
        it raises ``InvalidDefinition`` naming the precondition (the case is unchanged).
        """
        try:
            verdict = self.test(ctx)
        except InnoprocError:
            raise
        except Exception as exc:
            raise InvalidDefinition(
                f"precondition {self.code!r} failed with {type(exc).__name__}: {shown(exc)}",
                self.code,
            ) from exc
        if verdict is True or verdict is None:
            return None
        if verdict is False:
            return Finding(self.code, self.rule, self.source, kind=self.kind)
        if isinstance(verdict, Shortfall):
            return Finding(
                self.code,
                self.rule,
                verdict.source or self.source,
                verdict.text,
                verdict.details,
                kind="practice" if isinstance(verdict, Advice) else self.kind,
            )
        raise InvalidDefinition(
            f"precondition {self.code!r}: test must return bool, None or Shortfall, "
            f"got {shown(verdict)}",
            self.code,
        )

    def __repr__(self) -> str:
        return f"<precondition {self.code}>"


@attrs.frozen
class State:
    """A state of a procedure. Exactly one is ``initial``; ``final`` states end a case.

    ``group`` gathers states that belong together (the diverging and converging halves of
    one diamond, say) for diagrams and tables; it does not change how the case moves.
    """

    name: str
    title: Text
    initial: bool = False
    final: bool = False
    group: str | None = None
    doc: str = ""

    def __attrs_post_init__(self) -> None:
        _check_name("state", self.name)
        if self.initial and self.final:
            raise InvalidDefinition(
                f"state {self.name!r} cannot be both initial and final", self.name
            )


def _sources(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Event:
    """A step that moves a case from one of ``source`` states to ``dest``.

    ``dest=None`` keeps the case in its state (a reflexive step, such as starting the next
    development phase); only such steps may start from a final state. ``requires`` are the
    preconditions checked before the step; the step's payload is declared by ``fields``.
    """

    name: str
    title: Text
    source: tuple[str, ...] = attrs.field(converter=_sources)
    dest: str | None
    requires: tuple[Precondition, ...] = attrs.field(default=(), converter=_preconditions)
    fields: tuple[Field, ...] = attrs.field(default=(), converter=_fields)
    doc: str = ""
    field_map: Mapping[str, Field] = attrs.field(init=False, repr=False, eq=False)
    """The fields by name."""

    def __attrs_post_init__(self) -> None:
        _check_name("event", self.name)
        _check_fields(f"event {self.name!r}", self.fields)
        object.__setattr__(self, "field_map", {f.name: f for f in self.fields})
        if not self.source:
            raise InvalidDefinition(f"event {self.name!r} has no source state", self.name)


class Procedure:
    """A declared procedure: states, events, facts and the preconditions guarding its events.

    Building it checks the definition. ``version`` numbers the rules: a case keeps the
    version it was opened under (``Case.procedure``) and is judged by it until it is
    explicitly moved to a later one (``Case.upgrade``); ``released`` is the date a version
    came into use and ``changes`` says what changed from the version before. ``state_map``
    renames the states of the version before, where a state was renamed.

    The ``transitions`` machine is compiled on first use and shared by every case of the
    procedure; the table of which event leads from which state to which is read from it.
    """

    __slots__ = (
        "_events",
        "_facts",
        "_from_state",
        "_lock",
        "_machine",
        "_preconditions",
        "_states",
        "_table",
        "changes",
        "description",
        "id",
        "origin",
        "released",
        "source",
        "state_map",
        "title",
        "version",
    )

    def __init__(
        self,
        id: str,
        *,
        title: Text,
        source: Source,
        states: Sequence[State],
        events: Sequence[Event],
        facts: Sequence[FactType] = (),
        description: str = "",
        origin: object = None,
        version: int = 1,
        released: date | None = None,
        changes: Text | None = None,
        state_map: Mapping[str, str] | None = None,
    ) -> None:
        _check_name("procedure id", id)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidDefinition(
                f"{id}: version must be a whole number of at least 1, got {shown(version)}", id
            )
        if released is not None and (
            isinstance(released, datetime) or not isinstance(released, date)
        ):
            raise InvalidDefinition(f"{id}: released must be a date, got {shown(released)}", id)
        #: The object that declared this procedure, if any (a funding scheme declares the
        #: procedure its applications follow).
        self.origin = origin
        self.id = id
        self.title = title
        self.source = source
        self.description = description
        self.version = version
        self.released = released
        self.changes = changes
        self._states: dict[str, State] = {}
        for state in states:
            if state.name in self._states:
                raise InvalidDefinition(f"{id}: state {state.name!r} declared twice", state.name)
            self._states[state.name] = state
        self.state_map: Mapping[str, str] = MappingProxyType(dict(state_map or {}))
        for old, new in self.state_map.items():
            if new not in self._states:
                raise InvalidDefinition(
                    f"{id}: state_map renames {old!r} to unknown state {new!r}", new
                )
        self._events: dict[str, Event] = {}
        for event in events:
            if event.name in self._events:
                raise InvalidDefinition(f"{id}: event {event.name!r} declared twice", event.name)
            self._events[event.name] = event
        self._facts: dict[str, FactType] = {}
        self._preconditions: dict[str, Precondition] = {}
        for fact in facts:
            self._add_fact(fact)
        for event in events:
            for pre in event.requires:
                self._add_precondition(event, pre)
        self._from_state: dict[str, tuple[Event, ...]] = {
            name: tuple(e for e in self._events.values() if name in e.source)
            for name in self._states
        }
        self._machine: Machine | None = None
        self._table: dict[str, dict[str, str]] | None = None
        self._lock = threading.Lock()
        self._check()

    # -- building -----------------------------------------------------------------------

    def _add_fact(self, fact: FactType) -> None:
        known = self._facts.get(fact.name)
        if known is not None and known != fact:
            raise InvalidDefinition(
                f"{self.id}: two different facts are named {fact.name!r}", fact.name
            )
        self._facts[fact.name] = fact

    def _add_precondition(self, event: Event, pre: Precondition) -> None:
        if not isinstance(pre, Precondition):
            raise InvalidDefinition(
                f"{self.id}: event {event.name!r} requires {pre!r}, which is not a Precondition",
                str(pre),
            )
        known = self._preconditions.get(pre.code)
        if known is not None and known is not pre and known != pre:
            raise InvalidDefinition(
                f"{self.id}: two different preconditions have the code {pre.code!r}", pre.code
            )
        self._preconditions[pre.code] = pre
        for fact in pre.reads:
            self._add_fact(fact)
        field_names = {f.name for f in event.fields}
        for name in pre.uses:
            if name not in field_names:
                raise InvalidDefinition(
                    f"{self.id}: precondition {pre.code!r} uses field {name!r}, "
                    f"which event {event.name!r} does not declare",
                    pre.code,
                )

    def _check(self) -> None:
        initial = [s.name for s in self._states.values() if s.initial]
        if len(initial) != 1:
            raise InvalidDefinition(
                f"{self.id}: exactly one initial state is needed, found {initial or 'none'}",
                self.id,
            )
        for event in self._events.values():
            for name in (*event.source, *((event.dest,) if event.dest else ())):
                if name not in self._states:
                    raise InvalidDefinition(
                        f"{self.id}: event {event.name!r} names unknown state {name!r}", name
                    )
            for name in event.source:
                if self._states[name].final and event.dest not in (None, name):
                    raise InvalidDefinition(
                        f"{self.id}: event {event.name!r} leaves final state {name!r}", name
                    )
        reached = {initial[0]}
        frontier = [initial[0]]
        while frontier:
            here = frontier.pop()
            for event in self._from_state[here]:
                there = event.dest or here
                if there not in reached:
                    reached.add(there)
                    frontier.append(there)
        for name, state in self._states.items():
            if name not in reached:
                raise InvalidDefinition(f"{self.id}: state {name!r} is unreachable", name)
            if not state.final and not any(
                (e.dest or name) != name for e in self._from_state[name]
            ):
                raise InvalidDefinition(
                    f"{self.id}: state {name!r} is not final but has no way out", name
                )

    @property
    def machine(self) -> Machine:
        """The shared ``transitions`` machine of this procedure (built once, on first use).

        It holds the states and transitions as declared; innoproc reads its transition
        table from it (``targets``) and hosts may attach callbacks to a machine of their own
        built the same way (see the store's hooks).
        """
        if self._machine is None:
            with self._lock:
                if self._machine is None:
                    self._machine = self.build_machine()
        return self._machine

    def build_machine(self, **options: Any) -> Machine:
        """A new ``transitions`` machine of this procedure, with no model; ``options`` go to
        ``transitions.Machine`` (callbacks such as ``after_state_change``)."""
        from transitions import Machine

        states = [{"name": s.name, "final": s.final} for s in self._states.values()]
        transitions = [
            {"trigger": e.name, "source": list(e.source), "dest": e.dest or "="}
            for e in self._events.values()
        ]
        return Machine(
            model=None,
            states=states,
            transitions=transitions,
            initial=self.initial,
            auto_transitions=False,
            send_event=True,
            **options,
        )

    def targets(self, state: str) -> Mapping[str, str]:
        """The events possible from ``state`` and the state each leads to, as compiled by the
        ``transitions`` machine (read once, then kept)."""
        table = self._table
        if table is None:
            machine = self.machine
            compiled: dict[str, dict[str, str]] = {name: {} for name in self._states}
            for name, event in machine.events.items():
                for source, moves in event.transitions.items():
                    for move in moves:
                        compiled[source][name] = move.dest if move.dest is not None else source
            self._table = table = compiled
        return table[state]

    # -- reading ------------------------------------------------------------------------

    @property
    def initial(self) -> str:
        """The name of the initial state."""
        return next(s.name for s in self._states.values() if s.initial)

    @property
    def states(self) -> Mapping[str, State]:
        """The states by name, in declaration order."""
        return MappingProxyType(self._states)

    @property
    def events(self) -> Mapping[str, Event]:
        """The events by name, in declaration order."""
        return MappingProxyType(self._events)

    @property
    def facts(self) -> Mapping[str, FactType]:
        """The fact types a case of this procedure can record, by name."""
        return MappingProxyType(self._facts)

    @property
    def preconditions(self) -> Mapping[str, Precondition]:
        """Every precondition used by an event, by code."""
        return MappingProxyType(self._preconditions)

    def events_from(self, state: str) -> tuple[Event, ...]:
        """The events possible from ``state``, in declaration order."""
        return self._from_state[state]

    def __repr__(self) -> str:
        return (
            f"<procedure {self.id} version {self.version}: {len(self._states)} states, "
            f"{len(self._events)} events>"
        )

    def _repr_html_(self) -> str:
        from innoproc._display import procedure_html

        return procedure_html(self)

    def __reduce_ex__(self, protocol: Any) -> str | tuple[Any, ...]:
        """Built-in procedures pickle by id and version (for runs on other processes);
        others by value."""
        from innoproc._storage import builtin_procedure

        if builtin_procedure(self.id, self.version) is self:
            return (builtin_procedure, (self.id, self.version))
        return super().__reduce_ex__(protocol)

    def __getstate__(self) -> dict[str, Any]:
        # The lock and the compiled machine are rebuilt on the other side.
        state = {name: getattr(self, name) for name in self.__slots__}
        state["_lock"] = None
        state["_machine"] = None
        state["_table"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._lock = threading.Lock()


def titled(spec: State | Event | FactType | None, name: str | None) -> Text | Plain:
    """What a reader calls a state, step or fact: its title, else (for one the procedure
    does not declare) its name as it is."""
    return spec.title if spec is not None else Plain(name)
