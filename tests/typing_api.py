"""Type-checks the public API under mypy --strict (run by .ci/run; pytest does not collect it).

Nothing here is executed by the tests: it exists so that a change to a public signature that
would break users' type-checked code fails CI.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import innoproc
from innoproc import (
    Assessment,
    Case,
    Context,
    Event,
    FactRecord,
    FactType,
    Field,
    Finding,
    HistoryEntry,
    Precondition,
    Procedure,
    Shortfall,
    Source,
    State,
    StepRecord,
    Text,
)


def own_rule(ctx: Context) -> Shortfall | None:
    record: FactRecord | None = ctx.fact("budget-approval")
    return None if record is not None else Shortfall("No approval.", "Ingen godkjenning.")


def declare() -> Procedure:
    t = Text(en="Trial", nb="Utprøving")
    fact = FactType("budget-approval", t, fields=(Field("amount", "amount"),))
    rule = Precondition(
        code="budget-approved",
        rule=t,
        source=Source("Local rules", "§ 1"),
        test=own_rule,
        reads=(fact,),
    )
    return Procedure(
        "trial",
        title=t,
        source=Source("Local rules"),
        states=(State("idea", t, initial=True), State("done", t, final=True)),
        events=(Event("finish", t, source="idea", dest="done", requires=(rule,)),),
    )


def use(at: datetime) -> tuple[str, int, bool]:
    registry: Mapping[str, Procedure] = innoproc.procedures()
    case: Case = innoproc.open_case(
        registry["innovation-partnership"], reference="1", authority="A"
    )
    assessment: Assessment = case.check("start-market-dialogue", at=at)
    findings: tuple[Finding, ...] = assessment.unmet
    messages = [f.message("nb") for f in findings]
    step: StepRecord = case.apply("cancel", at=at, by="Clerk", reason="x")
    history: tuple[HistoryEntry, ...] = case.history
    text: str = innoproc.dumps(case)
    again: Case = innoproc.loads(text, procedures=[declare()])
    try:
        again.apply("cancel", at=at, by="Clerk", reason="again")
    except innoproc.PreconditionFailed as refused:
        codes: tuple[str, ...] = refused.codes
        messages.extend(codes)
    except innoproc.TransitionNotAllowed as wrong:
        messages.append(wrong.assessment.explain())
    return step.target, len(history) + len(messages), assessment.ok


def analyse() -> tuple[float, float, str]:
    from innoproc import scenarios
    from innoproc.testing import Clock, Compliance

    cases: innoproc.SimulationResult = innoproc.simulate(scenarios.triple_diamond(), 10)
    calls: innoproc.CallResult = innoproc.simulate(
        scenarios.funding_call("stimulab-2018", applications=20), 2
    )
    built = scenarios.build("stimulab-2018", applications=20)
    names = [p.name for p in scenarios.parameters("triple-diamond")]
    clock: innoproc.Clock = Clock()
    compliance = Compliance(clock)
    when = clock.advance(days=1)
    return cases.share("completed"), calls.mean("funded"), f"{built!r}{names}{compliance}{when}"


def use_notices(data: bytes, at: datetime) -> tuple[bool, int]:
    from innoproc import eforms

    try:
        notice: eforms.Notice = eforms.read_notice(data, max_bytes=1_000_000)
    except innoproc.NoticeFormatError as error:
        where: str = error.where
        return False, len(where)
    check: eforms.NoticeCheck = eforms.check_notice(notice)
    lots: tuple[eforms.LotCheck, ...] = check.lots
    limits: tuple[eforms.Limit, ...] = tuple(limit for lot in lots for limit in lot.limits)
    earliest: list[datetime] = [limit.earliest for limit in limits]
    text: str = check.explain("nb")
    if notice.procedure_type == "innovation":
        opened: eforms.CaseFromNotice = eforms.open_case_from_notice(notice, at=at, by="Analyst")
        case: Case = opened.case
        text += case.reference
    return check.ok, len(earliest) + len(text)


def store(at: datetime) -> list[str]:
    from datetime import timedelta

    from innoproc.store import CaseStore, CaseSummary, HookFailure, SaveResult

    def notify(case: Case, entry: HistoryEntry) -> None:
        print(case.reference, entry.name)

    with CaseStore("sqlite://", procedures=[declare()]) as cases:
        cases.create_schema()
        cases.subscribe(notify, kind="step", names=["cancel"])
        added: SaveResult = cases.add(innoproc.open_case("trial", reference="1", authority="A"))
        with cases.edit("1") as case:
            case.apply("finish", at=at, by="Clerk")
        loaded: Case = cases.get("1")
        result: SaveResult = cases.save(loaded, expected_revision=loaded.revision)
        failures: tuple[HookFailure, ...] = result.hook_failures
        due: list[CaseSummary] = cases.due(within=timedelta(days=14), at=at)
        limits: tuple[innoproc.TimeLimit, ...] = innoproc.time_limits(loaded, at=at)
        return [added.case.reference, *(c.reference for c in due), *(t.code for t in limits)] + [
            str(f.error) for f in failures
        ]
