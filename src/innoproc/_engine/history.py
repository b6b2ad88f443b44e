"""History entries: every applied step, every recorded fact and every move to a newer version
of the procedure.

Each entry has ``at``, the moment it takes effect (what rules judge by), and ``entered_at``,
the moment it was entered into the case. They are the same unless a decision was entered
late: then ``at`` is the date the decision was made and ``entered_at`` when it was entered.
Entries are kept in the order they were entered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from innoproc._engine.fields import EMPTY, Payload


def _entered(value: datetime | None) -> datetime:
    """The entry time as given; ``None`` (entered when it takes effect) is replaced by ``at``
    once the entry is built."""
    return value  # type: ignore[return-value]


class _Entered:
    """An entry entered when it takes effect unless told otherwise."""

    __slots__ = ()
    at: datetime

    def __attrs_post_init__(self) -> None:
        if getattr(self, "entered_at", None) is None:
            object.__setattr__(self, "entered_at", self.at)


@attrs.frozen
class StepRecord(_Entered):
    """An applied step: ``event`` moved the case from ``source`` to ``target``.

    ``seq`` is the entry's position in the history (1-based), ``at`` the aware instant it
    takes effect, ``by`` the actor, ``payload`` the step's validated fields, ``entered_at``
    when it was entered (the same as ``at`` unless entered late).
    """

    kind: ClassVar[str] = "step"

    seq: int
    at: datetime
    by: str
    event: str
    source: str
    target: str
    payload: Payload
    entered_at: datetime = attrs.field(default=None, converter=_entered)

    @property
    def name(self) -> str:
        """The event's name (the same as ``event``)."""
        return self.event


@attrs.frozen
class FactRecord(_Entered):
    """A recorded fact (a decision, an outcome, a document) that preconditions look at."""

    kind: ClassVar[str] = "fact"

    seq: int
    at: datetime
    by: str
    fact: str
    payload: Payload
    entered_at: datetime = attrs.field(default=None, converter=_entered)

    @property
    def name(self) -> str:
        """The fact's name (the same as ``fact``)."""
        return self.fact

    def get(self, field: str, default: object = None) -> object:
        """The value of one payload field, or ``default`` if it was not given."""
        return self.payload.get(field, default)


@attrs.frozen
class UpgradeRecord(_Entered):
    """The case moved from version ``from_version`` of its procedure to ``to_version``.

    Entries before it were judged by the earlier version's rules, entries after it by the
    later one's (``Case.upgrade``).
    """

    kind: ClassVar[str] = "upgrade"
    name: ClassVar[str] = "upgrade"
    payload: ClassVar[Payload] = EMPTY

    seq: int
    at: datetime
    by: str
    from_version: int
    to_version: int
    entered_at: datetime = attrs.field(default=None, converter=_entered)


#: One entry of a case's history.
HistoryEntry = StepRecord | FactRecord | UpgradeRecord


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(cls, name).__set__ for name in names)


_new = object.__new__
_STEP = _setters(
    StepRecord, ("seq", "at", "by", "event", "source", "target", "payload", "entered_at")
)
_FACT = _setters(FactRecord, ("seq", "at", "by", "fact", "payload", "entered_at"))


def make_step(
    seq: int,
    at: datetime,
    by: str,
    event: str,
    source: str,
    target: str,
    payload: Payload,
    entered_at: datetime,
) -> StepRecord:
    """A ``StepRecord`` from values already checked (``entered_at`` given: ``at`` when the
    step was entered when it took effect): the engine's and the loader's fast path, the same
    object ``StepRecord(...)`` builds."""
    entry: StepRecord = _new(StepRecord)
    s_seq, s_at, s_by, s_event, s_source, s_target, s_payload, s_entered = _STEP
    s_seq(entry, seq)
    s_at(entry, at)
    s_by(entry, by)
    s_event(entry, event)
    s_source(entry, source)
    s_target(entry, target)
    s_payload(entry, payload)
    s_entered(entry, entered_at)
    return entry


def make_fact(
    seq: int, at: datetime, by: str, fact: str, payload: Payload, entered_at: datetime
) -> FactRecord:
    """A ``FactRecord`` from values already checked, as ``make_step``."""
    entry: FactRecord = _new(FactRecord)
    s_seq, s_at, s_by, s_fact, s_payload, s_entered = _FACT
    s_seq(entry, seq)
    s_at(entry, at)
    s_by(entry, by)
    s_fact(entry, fact)
    s_payload(entry, payload)
    s_entered(entry, entered_at)
    return entry
