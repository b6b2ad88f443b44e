"""The innoproc pytest plugin, registered through the ``pytest11`` entry point.

Fixtures:

- ``compliance``: the helpers of ``innoproc.testing`` (``compliance.assert_complies(case)``,
  ``assert_violates``, ``assert_refused``, ``assert_allowed``);
- ``innoproc_clock``: an aware clock in Europe/Oslo for writing histories
  (``clock.now``, ``clock.advance(days=3)``);
- ``open_test_case``: opens cases of any procedure with fresh references.

It also explains failed comparisons of audit reports and assessments in plain language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from innoproc import testing
from innoproc._api import open_case
from innoproc._audit import AuditReport
from innoproc._engine.assessment import Assessment
from innoproc._engine.case import Case
from innoproc._time import OSLO


class Clock:
    """An aware clock for tests: starts at ``start`` and only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, days: float = 0, hours: float = 0) -> datetime:
        """Move the clock forward and return the new time."""
        self.now += timedelta(days=days, hours=hours)
        return self.now


@pytest.fixture
def compliance() -> SimpleNamespace:
    """The compliance helpers of ``innoproc.testing``."""
    return SimpleNamespace(
        assert_complies=testing.assert_complies,
        assert_violates=testing.assert_violates,
        assert_refused=testing.assert_refused,
        assert_allowed=testing.assert_allowed,
    )


@pytest.fixture
def innoproc_clock() -> Clock:
    """A clock at 2025-01-06 09:00 in Europe/Oslo."""
    return Clock(datetime(2025, 1, 6, 9, 0, tzinfo=OSLO))


@pytest.fixture
def open_test_case() -> Callable[..., Case]:
    """Open cases with references test-1, test-2, ... and authority 'Test authority'."""
    counter = iter(range(1, 1_000_000))

    def make(procedure: Any, **details: Any) -> Case:
        return open_case(
            procedure, reference=f"test-{next(counter)}", authority="Test authority", **details
        )

    return make


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """Explain audit reports and assessments when a comparison with them fails."""
    for side in (left, right):
        if isinstance(side, (AuditReport, Assessment)):
            return [f"{type(side).__name__} {op} {right!r}:", *side.explain().splitlines()]
    return None
