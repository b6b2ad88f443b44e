"""History entries: every applied step and every recorded fact of a case."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from innoproc._engine.fields import Payload


@attrs.frozen
class StepRecord:
    """An applied step: ``event`` moved the case from ``source`` to ``target``.

    ``seq`` is the entry's position in the history (1-based), ``at`` an aware instant,
    ``by`` the actor, ``payload`` the step's validated fields.
    """

    kind: ClassVar[str] = "step"

    seq: int
    at: datetime
    by: str
    event: str
    source: str
    target: str
    payload: Payload

    @property
    def name(self) -> str:
        """The event's name (the same as ``event``)."""
        return self.event


@attrs.frozen
class FactRecord:
    """A recorded fact (a decision, an outcome, a document) that preconditions look at."""

    kind: ClassVar[str] = "fact"

    seq: int
    at: datetime
    by: str
    fact: str
    payload: Payload

    @property
    def name(self) -> str:
        """The fact's name (the same as ``fact``)."""
        return self.fact

    def get(self, field: str, default: object = None) -> object:
        """The value of one payload field, or ``default`` if it was not given."""
        return self.payload.get(field, default)


#: One entry of a case's history.
HistoryEntry = StepRecord | FactRecord
