"""The innoproc pytest plugin, registered through the ``pytest11`` entry point.

Fixtures (all prefixed, so they never clash with a project's own):

- ``innoproc_clock``: an aware ``innoproc.testing.Clock`` at 2025-01-06 09:00 Europe/Oslo
  that only moves when told to (``innoproc_clock.now``, ``innoproc_clock.advance(days=3)``);
- ``innoproc_compliance``: the helpers of ``innoproc.testing`` bound to that clock
  (``assert_complies``, ``assert_violates``, ``assert_refused``, ``assert_allowed``), so
  checks do not depend on the day the test runs;
- ``innoproc_open_case``: opens cases of any procedure with fresh references.

The unprefixed ``compliance`` and ``open_test_case`` still work for this release and warn
(``DeprecationWarning``).

A failed comparison with an ``Assessment`` or an ``AuditReport`` is explained in plain
language (``pytest_assertrepr_compare``), and a failed test whose frame holds a refused
assessment or a failing audit report shows its unmet rules in an "innoproc" section.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Generator
from typing import Any

import pytest

from innoproc._api import open_case
from innoproc._audit import AuditReport
from innoproc._engine.assessment import Assessment
from innoproc._engine.case import Case
from innoproc.testing import Clock, Compliance


@pytest.fixture
def innoproc_clock() -> Clock:
    """A clock at 2025-01-06 09:00 in Europe/Oslo that moves only when told to."""
    return Clock()


@pytest.fixture
def innoproc_compliance(innoproc_clock: Clock) -> Compliance:
    """The compliance helpers, checking at ``innoproc_clock.now`` unless given ``at``."""
    return Compliance(innoproc_clock)


@pytest.fixture
def innoproc_open_case() -> Callable[..., Case]:
    """Open cases with references test-1, test-2, ... and authority 'Test authority'."""
    counter = iter(range(1, 1_000_000))

    def make(procedure: Any, **details: Any) -> Case:
        return open_case(
            procedure, reference=f"test-{next(counter)}", authority="Test authority", **details
        )

    return make


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"the fixture {old!r} is deprecated and will be removed in the next release; use {new!r}",
        DeprecationWarning,
        stacklevel=2,
    )


@pytest.fixture
def compliance(innoproc_compliance: Compliance) -> Compliance:
    """Deprecated: use ``innoproc_compliance``."""
    _deprecated("compliance", "innoproc_compliance")
    return innoproc_compliance


@pytest.fixture
def open_test_case(innoproc_open_case: Callable[..., Case]) -> Callable[..., Case]:
    """Deprecated: use ``innoproc_open_case``."""
    _deprecated("open_test_case", "innoproc_open_case")
    return innoproc_open_case


def _failing(value: object) -> bool:
    return isinstance(value, (Assessment, AuditReport)) and not value.ok


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """Explain audit reports and assessments when a comparison with them fails."""
    sides = [side for side in (left, right) if isinstance(side, (Assessment, AuditReport))]
    if not sides:
        return None
    lines = [f"{left!r} {op} {right!r}"]
    for side in sides:
        lines.append("")
        lines.extend(side.explain().splitlines())
    return lines


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """After a failed assertion, explain the refused assessments and failing audit reports
    the test held in its local variables."""
    outcome = yield
    excinfo = call.excinfo
    if call.when != "call" or excinfo is None or not excinfo.errisinstance(AssertionError):
        return
    here = str(getattr(item, "path", ""))
    frame = None
    tb: Any = excinfo.tb
    while tb is not None:  # the innermost frame in the test's own file
        if tb.tb_frame.f_code.co_filename == here:
            frame = tb.tb_frame
        tb = tb.tb_next
    if frame is None:
        return
    seen: set[int] = set()
    texts = []
    for name, value in frame.f_locals.items():
        if _failing(value) and id(value) not in seen:
            seen.add(id(value))
            texts.append(f"{name}: {value.explain()}")
    if texts:
        outcome.get_result().sections.append(("innoproc", "\n".join(texts)))
