"""Compliance helpers for test suites: assert that a case complied, or failed with given codes.

Plain functions, usable with any test runner; each raises ``AssertionError`` with a
readable explanation (the audit or assessment in plain language). ``Clock`` is an aware
clock that only moves when told to, and ``Compliance`` binds the helpers to one, so that
what a test checks never depends on the day it runs. The pytest plugin (installed with
innoproc, see ``innoproc.pytest_plugin``) offers them as the fixtures ``innoproc_clock``,
``innoproc_compliance`` and ``innoproc_open_case``.

```pycon
>>> import innoproc
>>> from innoproc.testing import assert_complies
>>> report = assert_complies(innoproc.open_case("triple-diamond", reference="1", authority="A"))
>>> report.ok
True

```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from innoproc._audit import AuditReport, audit
from innoproc._engine.assessment import Assessment
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._errors import InvalidParameter, NaiveDatetimeError
from innoproc._text import Text
from innoproc._time import OSLO

__all__ = [
    "DEFAULT_START",
    "Clock",
    "Compliance",
    "assert_allowed",
    "assert_complies",
    "assert_refused",
    "assert_violates",
]

#: Where ``Clock()`` starts: Monday 6 January 2025, 09:00 in Europe/Oslo.
DEFAULT_START = datetime(2025, 1, 6, 9, 0, tzinfo=OSLO)


class Clock:
    """An aware clock for tests: starts at ``start`` (default ``DEFAULT_START``) and only
    moves when told to, so a test reads the same on any day.

    ```pycon
    >>> from innoproc.testing import Clock
    >>> clock = Clock()
    >>> clock.now.isoformat()
    '2025-01-06T09:00:00+01:00'
    >>> clock.advance(days=2, hours=1).isoformat()
    '2025-01-08T10:00:00+01:00'

    ```
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if not isinstance(start, datetime):
            raise InvalidParameter("start", start, Text("an aware datetime"))
        if start.tzinfo is None or start.tzinfo.utcoffset(start) is None:
            raise NaiveDatetimeError("start", start)
        self.now = start

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        """Move the clock forward and return the new time (never backwards: a case's
        history is kept in time order)."""
        for name, value in (("days", days), ("hours", hours), ("minutes", minutes)):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not value >= 0  # also NaN
            ):
                raise InvalidParameter(name, value, Text("a number of at least 0"))
        try:
            self.now += timedelta(days=days, hours=hours, minutes=minutes)
        except (OverflowError, ValueError):
            raise InvalidParameter(
                "days", days, Text("a step that keeps the clock before the year 10000")
            ) from None
        return self.now

    def __repr__(self) -> str:
        return f"<Clock {self.now.isoformat()}>"


Procedures = Mapping[str, Procedure] | Iterable[Procedure] | None


def _report(case: Case | str | bytes, procedures: Procedures) -> AuditReport:
    return audit(case, procedures=procedures)


def assert_complies(
    case: Case | str | bytes, *, procedures: Procedures = None, lang: str | None = None
) -> AuditReport:
    """Assert that a case (or its JSON) complied with its procedure throughout."""
    report = _report(case, procedures)
    if not report.ok:
        raise AssertionError("the case did not comply:\n" + report.explain(lang))
    return report


def assert_violates(
    case: Case | str | bytes,
    *codes: str,
    exactly: bool = True,
    procedures: Procedures = None,
    lang: str | None = None,
) -> AuditReport:
    """Assert that an audit finds the given codes (exactly those, unless ``exactly=False``)."""
    if not codes:
        raise InvalidParameter(
            "codes",
            codes,
            Text("at least one code (use assert_complies for none)"),
        )
    report = _report(case, procedures)
    found = set(report.codes)
    wanted = set(codes)
    missing = wanted - found
    extra = found - wanted if exactly else set()
    if missing or extra:
        lines = []
        if missing:
            lines.append(f"expected but not found: {', '.join(sorted(missing))}")
        if extra:
            lines.append(f"found but not expected: {', '.join(sorted(extra))}")
        raise AssertionError("; ".join(lines) + "\n" + report.explain(lang))
    return report


def assert_refused(
    case: Case,
    event: str,
    *codes: str,
    at: datetime | None = None,
    lang: str | None = None,
    **payload: Any,
) -> Assessment:
    """Assert that ``event`` would be refused at ``at`` with exactly these unmet codes.

    With no codes, any refusal (including "not possible in this state") passes. Without
    ``at`` the case is checked at the real time now; give ``at`` (or use ``Compliance``
    with a ``Clock``) so the test does not depend on the day it runs.
    """
    assessment = case.check(event, at=at, **payload)
    if assessment.ok:
        raise AssertionError(f"{event!r} was expected to be refused, but may be applied")
    if codes and set(assessment.codes) != set(codes):
        raise AssertionError(
            f"{event!r} was refused with {', '.join(assessment.codes) or 'no unmet code'}, "
            f"expected {', '.join(codes)}:\n{assessment.explain(lang)}"
        )
    return assessment


def assert_allowed(
    case: Case, event: str, *, at: datetime | None = None, lang: str | None = None, **payload: Any
) -> Assessment:
    """Assert that ``event`` may be applied now (its explanation says why not, if not)."""
    assessment = case.check(event, at=at, **payload)
    if not assessment.ok:
        raise AssertionError(assessment.explain(lang))
    return assessment


class Compliance:
    """The assertion helpers bound to a ``Clock``: ``assert_refused`` and
    ``assert_allowed`` check at ``clock.now`` unless given ``at``.

    ```pycon
    >>> import innoproc
    >>> from innoproc.testing import Clock, Compliance
    >>> compliance = Compliance(Clock())
    >>> case = innoproc.open_case("innovation-partnership", reference="T-2", authority="A")
    >>> compliance.assert_refused(case, "start-market-dialogue", "need-described")
    <Assessment start-market-dialogue in needs: refused, unmet need-described>

    ```
    """

    def __init__(self, clock: Clock | None = None, *, lang: str | None = None) -> None:
        if clock is not None and not isinstance(clock, Clock):
            raise InvalidParameter("clock", clock, Text("a test clock (Clock)"))
        Text("x").get(lang)  # an unknown language raises UnknownLanguage
        self.clock = clock if clock is not None else Clock()
        self.lang = lang

    def assert_complies(
        self, case: Case | str | bytes, *, procedures: Procedures = None
    ) -> AuditReport:
        """``assert_complies`` in this helper's language."""
        return assert_complies(case, procedures=procedures, lang=self.lang)

    def assert_violates(
        self,
        case: Case | str | bytes,
        *codes: str,
        exactly: bool = True,
        procedures: Procedures = None,
    ) -> AuditReport:
        """``assert_violates`` in this helper's language."""
        return assert_violates(case, *codes, exactly=exactly, procedures=procedures, lang=self.lang)

    def assert_refused(
        self, case: Case, event: str, *codes: str, at: datetime | None = None, **payload: Any
    ) -> Assessment:
        """``assert_refused`` at ``at``, by default the clock's ``now``."""
        when = self.clock.now if at is None else at
        return assert_refused(case, event, *codes, at=when, lang=self.lang, **payload)

    def assert_allowed(
        self, case: Case, event: str, *, at: datetime | None = None, **payload: Any
    ) -> Assessment:
        """``assert_allowed`` at ``at``, by default the clock's ``now``."""
        when = self.clock.now if at is None else at
        return assert_allowed(case, event, at=when, lang=self.lang, **payload)

    def __repr__(self) -> str:
        return f"<Compliance at {self.clock.now.isoformat()}>"
