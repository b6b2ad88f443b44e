"""Auditing a case: replay its history through its procedure and report every breach.

This is how a case imported from another system is checked, and how a test suite asserts
that a recorded case complied: each step is re-assessed with exactly the history that came
before it, as if it were applied anew.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from innoproc._engine.assessment import Finding
from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure, titled
from innoproc._engine.fields import EMPTY
from innoproc._engine.history import StepRecord, UpgradeRecord
from innoproc._engine.upgrade import assess_upgrade
from innoproc._i18n import Plain, Series
from innoproc._storage import read_document
from innoproc._text import Source, Text

_ORDER_RULE = Text(
    "Each step must be possible from the state the case is in, and lead where the procedure says."
)
_HEADER_RULE = Text("The stored state and revision must follow from the history.")
_TIME_RULE = Text("History entries must be in time order.")
_UPGRADE_RULE = Text(
    "A case moves only to a later version of its procedure, one step at a time, and only "
    "where everything in it can be mapped."
)
_HEAD = Text("Case {ref} ({procedure}): {steps}, {violations}.")
_DOCUMENT = Text("the document")
_UPGRADE_TITLE = Text("move to a later version of the procedure")
_ENTRY = Text("entry {seq} ({title})")
_SOURCE = Text("Source")
# The procedure itself is the source of the order of its steps (its title and version head
# the report).
_ORDER_SOURCE = Source("The order of the procedure's steps")
_RULES = {
    "state-mismatch": _HEADER_RULE,
    "revision-mismatch": _HEADER_RULE,
    "out-of-time-order": _TIME_RULE,
    "upgrade-out-of-order": _UPGRADE_RULE,
}
# What was found, for the reader; the reader's own wording of the stored document's fault
# (in English, with the values) stays in the finding's details under "message".
_FOUND = {
    "state-mismatch": Text("The stored state does not follow from the history."),
    "revision-mismatch": Text("The stored revision does not match the history."),
    "out-of-time-order": Text("Entry {seq} is not in time order."),
    "upgrade-out-of-order": Text(
        "Entry {seq} moves the case from a version of its procedure it is not at."
    ),
}


@attrs.frozen
class Violation:
    """One breach found by ``audit``: the entry (``seq``, ``name``) and its findings.

    ``kind`` is ``"order"`` (a step not possible where it was taken or leading elsewhere, an
    entry out of time order, or a header that does not follow from the history),
    ``"precondition"`` (a step taken with unmet preconditions), ``"upgrade"`` (a move to
    another version that could not have been made) or, in ``AuditReport.advice``,
    ``"advice"`` (good practice not followed, which never makes a case non-compliant).
    ``seq`` is ``None`` for the document header; ``title`` is what the reader calls the
    entry (the step's title).
    """

    seq: int | None
    name: str | None
    kind: str
    findings: tuple[Finding, ...]
    title: Text | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the findings."""
        return tuple(f.code for f in self.findings)


@attrs.frozen
class AuditReport:
    """The result of ``audit``: every violation, in history order."""

    procedure_id: str
    reference: str
    steps_checked: int
    violations: tuple[Violation, ...]
    advice: tuple[Violation, ...] = ()
    #: The procedure's title, for the reader.
    procedure_title: Text | None = None

    @property
    def ok(self) -> bool:
        """True when the case complied with its procedure throughout."""
        return not self.violations

    @property
    def codes(self) -> tuple[str, ...]:
        """Every violated code, in order, without repeats."""
        return tuple(dict.fromkeys(c for v in self.violations for c in v.codes))

    def __bool__(self) -> bool:
        return self.ok

    def explain(self, lang: str | None = None) -> str:
        """The report in plain language, one line per finding, in ``lang`` (``None``: the
        process's default language)."""
        procedure = self.procedure_title or Plain(self.procedure_id)
        lines = [
            _HEAD.with_values(
                ref=Plain(self.reference),
                procedure=procedure,
                steps=Text("{n} step checked", plural="{n} steps checked", n=self.steps_checked),
                violations=Text("{n} violation", plural="{n} violations", n=len(self.violations)),
            ).get(lang)
        ]
        for v in self.violations:
            if v.seq is None:
                where = _DOCUMENT
            else:
                where = _ENTRY.with_values(seq=Plain(v.seq), title=v.title or Plain(v.name or ""))
            for finding in v.findings:
                lines.append(f"  - {where.get(lang)}: [{finding.code}] {finding.message(lang)}")
                lines.append(f"    {_SOURCE.get(lang)}: {finding.source.cite(lang)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        from innoproc._display import audit_html

        return audit_html(self)


def _state(procedure: Procedure, name: str | None) -> Text | Plain:
    return titled(procedure.states.get(name) if name is not None else None, name)


def _replay_violations(case: Case) -> tuple[int, list[Violation], list[Violation]]:
    """Replay ``case``'s history through its procedure, as ``apply`` and ``upgrade`` would.

    Each step is assessed with exactly the history before it; a step that was not possible
    where it was taken, or that does not lead where the procedure says, breaks the order; a
    step with unmet preconditions breaks them; an upgrade that could not have been made is
    refused. The replay follows the history as written, so that later entries are judged in
    the state the document says they were taken in.
    """
    replay = case._fresh()
    violations: list[Violation] = []
    advice: list[Violation] = []
    steps = 0
    for entry in case.history:
        procedure = replay._procedure
        order_source = _ORDER_SOURCE
        if isinstance(entry, StepRecord):
            steps += 1
            spec = procedure._events[entry.event]
            # Where the step goes is read from the procedure's table first: a step that was
            # not possible, or went elsewhere, breaks the order and its rules are not run
            # (running them for each of many such steps would make the audit quadratic).
            target = procedure.targets(replay.state).get(entry.event)
            if target is None:
                finding = Finding(
                    "step-out-of-order",
                    _ORDER_RULE,
                    order_source,
                    Text(
                        "The step was taken in the state “{state}”; it is possible from: "
                        "{possible}.",
                        state=_state(procedure, replay.state),
                        possible=Series(_state(procedure, name) for name in spec.source),
                    ),
                    {"state": replay.state, "possible_from": spec.source},
                )
                violations.append(
                    Violation(entry.seq, entry.event, "order", (finding,), spec.title)
                )
            elif target != entry.target or entry.source != replay.state:
                finding = Finding(
                    "step-out-of-order",
                    _ORDER_RULE,
                    order_source,
                    Text(
                        "From “{state}” the step leads to “{target}”; the history says it went "
                        "from “{source}” to “{recorded}”.",
                        state=_state(procedure, replay.state),
                        target=_state(procedure, target),
                        source=_state(procedure, entry.source),
                        recorded=_state(procedure, entry.target),
                    ),
                    {"expected": target, "recorded": entry.target},
                )
                violations.append(
                    Violation(entry.seq, entry.event, "order", (finding,), spec.title)
                )
            else:
                assessment = replay._assess(spec, entry.payload or EMPTY, (), entry.at)
                if assessment.unmet:
                    violations.append(
                        Violation(
                            entry.seq, entry.event, "precondition", assessment.unmet, spec.title
                        )
                    )
                if assessment.advice:
                    advice.append(
                        Violation(entry.seq, entry.event, "advice", assessment.advice, spec.title)
                    )
            replay._replay(entry)
        elif isinstance(entry, UpgradeRecord):
            later = case.procedure_at(entry.seq + 1)
            report = assess_upgrade(procedure, later, replay.state, replay._facts)
            if not report.ok:
                violations.append(
                    Violation(entry.seq, "upgrade", "upgrade", report.unmet, _UPGRADE_TITLE)
                )
            replay._replay(entry, later)
        else:
            replay._replay(entry)
    return steps, violations, advice


def audit(
    case_or_text: Case | str | bytes,
    *,
    procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
) -> AuditReport:
    """Replay a case's history through its procedure and report every breach.

    Give a ``Case``, or the JSON text of one (then a document whose steps are out of
    order or whose header does not follow from its history is read anyway, and those
    problems are reported too). Each step is assessed with the history before it, under the
    version of the procedure in force for it; every unmet precondition, every step out of
    order and every upgrade that could not have been made is a ``Violation`` with codes and
    sources. Facts are not judged: they are what the steps are judged on. A case complies
    exactly when replaying its history through ``apply``, ``record`` and ``upgrade`` would
    succeed entry by entry, with the same results.

    ```pycon
    >>> import innoproc
    >>> case = innoproc.open_case("innovation-partnership", reference="1", authority="A")
    >>> innoproc.audit(case).ok
    True

    ```
    """
    header: list[Violation] = []
    if isinstance(case_or_text, Case):
        case = case_or_text
    else:
        case, problems = read_document(case_or_text, procedures=procedures, strict=False)
        source = Source("The header and history of the stored case")
        for p in problems:
            if p.code in _RULES:
                finding = Finding(
                    p.code,
                    _RULES[p.code],
                    source,
                    _FOUND[p.code].with_values(seq=Plain(p.seq)),
                    {"path": p.path, "message": p.message},
                )
                name = None if p.seq is None else case.history[p.seq - 1].name
                event = case.procedure.events.get(name) if name is not None else None
                title = event.title if event is not None else None
                header.append(Violation(p.seq, name, "order", (finding,), title))
    steps, violations, advice = _replay_violations(case)
    merged = sorted(
        [*header, *violations], key=lambda v: (v.seq is None, v.seq if v.seq is not None else 0)
    )
    return AuditReport(
        case.procedure_id,
        case.reference,
        steps,
        tuple(merged),
        tuple(advice),
        case.procedure.title,
    )
