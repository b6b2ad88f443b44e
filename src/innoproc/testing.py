"""Compliance helpers for test suites: assert that a case complied, or failed with given codes.

Plain functions, usable with any test runner; each raises ``AssertionError`` with a
readable explanation (the audit or assessment in plain language). The pytest plugin
(installed with innoproc, see ``innoproc.pytest_plugin``) offers them as fixtures.

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
from datetime import datetime
from typing import Any

from innoproc._audit import AuditReport, audit
from innoproc._engine.assessment import Assessment
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure

__all__ = ["assert_allowed", "assert_complies", "assert_refused", "assert_violates"]

Procedures = Mapping[str, Procedure] | Iterable[Procedure] | None


def _report(case: Case | str | bytes, procedures: Procedures) -> AuditReport:
    return audit(case, procedures=procedures)


def assert_complies(
    case: Case | str | bytes, *, procedures: Procedures = None, lang: str = "en"
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
    lang: str = "en",
) -> AuditReport:
    """Assert that an audit finds the given codes (exactly those, unless ``exactly=False``)."""
    if not codes:
        raise ValueError("name at least one code; use assert_complies for none")
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
    lang: str = "en",
    **payload: Any,
) -> Assessment:
    """Assert that ``event`` would be refused now with exactly these unmet codes.

    With no codes, any refusal (including "not possible in this state") passes.
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
    case: Case, event: str, *, at: datetime | None = None, lang: str = "en", **payload: Any
) -> Assessment:
    """Assert that ``event`` may be applied now (its explanation says why not, if not)."""
    assessment = case.check(event, at=at, **payload)
    if not assessment.ok:
        raise AssertionError(assessment.explain(lang))
    return assessment
