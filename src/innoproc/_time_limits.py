"""The time limits a case's own history sets, and which of them still need attention.

Each procedure dates its time limits differently: the innovation partnership's contract
notice states the time limit for requests to participate, a pre-commercial procurement's
call states the tender deadline, a funding scheme's round has a deadline for applications
and a funded project has follow-up meetings and deliverables. ``time_limits`` reads them
from the history, so a host (and ``innoproc.store``) can ask "what falls due, and when?"
of any case without knowing its procedure.

One small function per procedure, looked up by procedure id in ``_RULES`` (applications
to funding schemes are recognised by their scheme); a procedure without an entry has no
time limits yet. The triple diamond has none: the only date in it, the call deadline, is
given with the proposal itself and checked at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import attrs

from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._engine.history import FactRecord, HistoryEntry, StepRecord
from innoproc._errors import InvalidPayload, shown
from innoproc._text import Source, Text
from innoproc._time import require_aware
from innoproc.deadlines import end_of_day, schedule

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._schemes.model import Scheme

#: What a time limit is: a deadline set in the procedure, a follow-up meeting of a funded
#: project, or something a funded project must deliver.
Kind = Literal["deadline", "follow-up", "deliverable"]


@attrs.frozen
class TimeLimit:
    """A time limit of one case: what falls due (``code``, ``title``) and when (``due``).

    ``kind`` is ``"deadline"`` (a time limit the procedure itself sets, such as the time
    limit for requests to participate), ``"follow-up"`` (a follow-up meeting of a funded
    project) or ``"deliverable"``. ``done`` is true once the time limit needs no more
    attention: the step that closes the period has been taken, the meeting held, the
    deliverable submitted, or the case has moved past the stage the limit belongs to.
    ``source`` is the rule or programme text the time limit comes from.
    """

    reference: str
    code: str
    title: Text
    due: datetime
    kind: Kind
    done: bool
    source: Source


def time_limits(case: Case, *, at: datetime | None = None) -> tuple[TimeLimit, ...]:
    """Every time limit ``case``'s history sets, earliest first, each marked ``done`` or not.

    With ``at``, only the history up to ``at`` is read: the time limits as they stood then.
    A procedure that sets no dates gives ``()``.

    ```pycon
    >>> from datetime import datetime
    >>> import innoproc
    >>> app = innoproc.open_application(
    ...     "innovation-norway-partnership-2020", reference="IN-17", applicant="Bodø kommune",
    ...     kind="municipality", publicly_funded=True, public_tasks=True,
    ...     procurement_rules=True, at=datetime(2020, 4, 1, tzinfo=innoproc.OSLO), by="Clerk")
    >>> [(t.code, t.kind, t.due.isoformat(), t.done) for t in innoproc.time_limits(app)]
    [('submission-deadline', 'deadline', '2020-04-16T17:00:00+02:00', False)]

    ```
    """
    if not isinstance(case, Case):
        raise InvalidPayload(f"'case' must be an innoproc Case, got {shown(case)}", "case")
    history: Sequence[HistoryEntry] = case.snapshot()[1]
    if at is not None:
        require_aware("at", at)
        history = [e for e in history if e.at <= at]
    rule = _rule_for(case.procedure)
    if rule is None:
        return ()
    state = case.procedure.initial
    for entry in history:
        if isinstance(entry, StepRecord):
            state = entry.target
    found = rule(_View(case.reference, case.procedure, history, state))
    return tuple(sorted(found, key=lambda limit: limit.due))


@attrs.frozen
class _View:
    """A case as it stood after ``history``: what the per-procedure rules read."""

    reference: str
    procedure: Procedure
    history: Sequence[HistoryEntry]
    state: str

    def steps(self, event: str) -> list[StepRecord]:
        return [e for e in self.history if isinstance(e, StepRecord) and e.event == event]

    def facts(self, fact: str) -> list[FactRecord]:
        return [e for e in self.history if isinstance(e, FactRecord) and e.fact == fact]

    def source(self, precondition: str) -> Source:
        """The source of one of the procedure's preconditions (the procedure's own source
        when a procedure of the same id does not declare it)."""
        found = self.procedure.preconditions.get(precondition)
        return found.source if found is not None else self.procedure.source


# -- the procurement procedures -------------------------------------------------------------

_REQUESTS = Text("Time limit for requests to participate")
_TENDERS = Text("Tender deadline")
_APPLICATIONS = Text("Application deadline")


def _innovation_partnership(view: _View) -> list[TimeLimit]:
    # The contract notice states the time limit for requests to participate; candidates are
    # invited only after it (Directive 2014/24/EU art. 31(1), the precondition
    # 'request-period-ended'), so it needs attention while the case is in 'tendering'.
    notices = view.steps("publish-notice")
    if not notices:
        return []
    return [
        TimeLimit(
            view.reference,
            "request-deadline",
            _REQUESTS,
            notices[-1].payload["request_deadline"],
            "deadline",
            view.state != "tendering",
            view.source("request-period-ended"),
        )
    ]


def _pre_commercial_procurement(view: _View) -> list[TimeLimit]:
    # The call states the tender deadline; phase 1 is awarded only after it (COM(2007) 799
    # section 3, the precondition 'tenders-closed').
    calls = view.steps("publish-call")
    if not calls:
        return []
    return [
        TimeLimit(
            view.reference,
            "tender-deadline",
            _TENDERS,
            calls[-1].payload["tender_deadline"],
            "deadline",
            view.state != "call-for-tenders",
            view.source("tenders-closed"),
        )
    ]


# -- applications to funding schemes --------------------------------------------------------


def funded_schedule(
    scheme: Scheme, reference: str, history: Sequence[HistoryEntry]
) -> list[TimeLimit]:
    """The follow-ups and deliverables of a funded application, due instants computed from
    the grant (and the kickoff actually held), in the order ``Portfolio.schedule`` lists them.

    ``done`` marks the meetings held and the deliverables submitted.
    """
    funded = [e for e in history if isinstance(e, StepRecord) and e.event == "fund"]
    if not funded:
        return []
    step = funded[-1]
    start = step.at
    facts = [e for e in history if isinstance(e, FactRecord)]
    held = {str(r.get("code")): r.at for r in facts if r.fact == "follow-up-held"}
    delivered = {str(r.get("code")) for r in facts if r.fact == "deliverable-submitted"}
    end: datetime | None = None
    if "project_end" in step.payload:
        end = end_of_day(step.payload["project_end"])
    elif scheme.project_length is not None:
        end = schedule(start, scheme.project_length, 1)[0]
    anchors: dict[str, datetime | None] = {"funding": start, "end": end}
    result: list[TimeLimit] = []
    for f in scheme.follow_ups:
        base = anchors.get(f.anchor)
        if f.anchor == "kickoff":
            base = held.get("kickoff", anchors.get("kickoff"))
        if base is None:
            continue
        due = schedule(base, f.after, 1)[0]
        anchors[f.code] = due
        if f.code == "kickoff":
            anchors["kickoff"] = due
        result.append(
            TimeLimit(
                reference,
                f.code,
                f.title,
                due,
                "follow-up",
                f.code in held,
                f.source or scheme.source,
            )
        )
    for d in scheme.deliverables:
        due_at = anchors.get(d.due)
        if due_at is not None:
            result.append(
                TimeLimit(
                    reference,
                    d.code,
                    d.title,
                    due_at,
                    "deliverable",
                    d.code in delivered,
                    d.source or scheme.source,
                )
            )
    return sorted(result, key=lambda item: item.due)


def _application(scheme: Scheme, view: _View) -> list[TimeLimit]:
    result: list[TimeLimit] = []
    applied = view.facts("application")
    if applied:
        # The round's deadline, checked by the precondition 'submitted-in-time' on 'submit'.
        name = applied[-1].get("round")
        deadline = next((r.deadline for r in scheme.rounds if r.name == name), None)
        if deadline is not None:
            result.append(
                TimeLimit(
                    view.reference,
                    "submission-deadline",
                    _APPLICATIONS,
                    deadline,
                    "deadline",
                    view.state != "draft",
                    scheme.source,
                )
            )
    closed = view.procedure.states[view.state].final
    for item in funded_schedule(scheme, view.reference, view.history):
        result.append(attrs.evolve(item, done=True) if closed and not item.done else item)
    return result


_Rule = Callable[[_View], list[TimeLimit]]

#: The time limits of each procedure, by procedure id.
_RULES: dict[str, _Rule] = {
    "innovation-partnership": _innovation_partnership,
    "pre-commercial-procurement": _pre_commercial_procurement,
}


def _rule_for(procedure: Procedure) -> _Rule | None:
    found = _RULES.get(procedure.id)
    if found is not None:
        return found
    from innoproc._schemes.model import Scheme

    origin = procedure.origin
    if isinstance(origin, Scheme):
        scheme: Scheme = origin
        return lambda view: _application(scheme, view)
    return None
