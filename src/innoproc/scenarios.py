"""Ready-made scenarios for the built-in procedures and funding schemes.

Each factory takes the probabilities, durations and costs an analyst wants to vary and
returns a ``innoproc.Scenario`` for ``innoproc.simulate``. The defaults are
illustrations, not statistics: set them from your own experience.

```pycon
>>> import innoproc
>>> from innoproc import scenarios
>>> found_often = scenarios.innovation_partnership(market_solution=0.9)
>>> result = innoproc.simulate(found_often, runs=200, seed=7)
>>> result.share("cancelled") > 0.8
True

```
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

import attrs

from innoproc._procedures import procedures
from innoproc._schemes import schemes
from innoproc._simulate import Scenario, Sim
from innoproc._time import OSLO

__all__ = [
    "funding_application",
    "innovation_partnership",
    "pre_commercial_procurement",
    "triple_diamond",
]

_NAMES = ("Aktiv AS", "Bølge AS", "Cura AS", "Dyna AS", "Eik AS", "Fjell AS", "Gnist AS", "Hav AS")


# -- innovation partnership --------------------------------------------------------------------


@attrs.frozen
class _IP:
    market_solution: float
    phases: int
    phase_miss: float
    over_budget: float
    maximum_cost: Decimal
    instalment: Decimal


def _ip_needs(p: _IP, sim: Sim) -> None:
    sim.wait(20, 60)
    sim.record("need-description", summary="A need", functional=True)
    sim.apply("start-market-dialogue")


def _ip_dialogue(p: _IP, sim: Sim) -> None:
    sim.wait(30, 90)
    found = sim.chance(p.market_solution)
    sim.record("market-dialogue-outcome", solution_available=found)
    if found:
        sim.apply("cancel", reason="A product on the market meets the need")
        return
    sim.record("leadership-decision", decided_by="Chief executive", decision="D-1")
    sim.record(
        "procurement-documents",
        minimum_requirements=("Requirement",),
        award_criteria=("Quality", "Price"),
        ipr_arrangements=True,
        rd_capacity_criteria=True,
        negotiation_rules=True,
        purchase_terms=True,
        phases=p.phases,
        instalments=True,
        termination_foreseen=True,
        termination_conditions="Targets missed in a phase",
        partner_reduction_foreseen=True,
        reduction_conditions="Ranked by the award criteria after each phase",
        max_rd_value=p.instalment * p.phases,
        estimated_purchase_value=p.maximum_cost,
        authority_kind="sub-central",
        contract_kind="services",
        environment_weight=30,
    )
    sim.record("proportionality-assessment", proportionate=True, reasoning="Assessed")
    sent = sim.clock
    sim.apply(
        "publish-notice",
        notice_sent=sent,
        request_deadline=sent + _days(35),
        partners="several",
        min_candidates=3,
        selection_criteria="R&D capacity",
    )


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def _ip_tendering(p: _IP, sim: Sim) -> None:
    sim.wait(36, 40)
    qualified = sim.rng.randint(1, 8)
    invited = qualified if qualified <= 3 else sim.rng.randint(3, min(qualified, 5))
    sim.apply("invite-candidates", qualified=qualified, invited=invited)


def _ip_negotiation(p: _IP, sim: Sim) -> None:
    for n in range(1, sim.rng.randint(1, 3) + 1):
        sim.wait(14, 30)
        sim.record(
            "negotiation-round",
            round=n,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
        )
    sim.apply("call-final-tenders")


def _ip_final(p: _IP, sim: Sim) -> None:
    sim.wait(20, 40)
    partners = tuple(sim.rng.sample(_NAMES, sim.rng.randint(1, 3)))
    sim.apply(
        "award",
        partners=partners,
        award_basis="best-price-quality-ratio",
        separate_rd=len(partners) > 1,
        performance_levels=("Level",),
        maximum_cost=p.maximum_cost,
    )


def _ip_development(p: _IP, sim: Sim) -> None:
    phase = 1 + sum(1 for e in sim.case.history if e.name == "start-next-phase")
    sim.wait(90, 180)
    sim.spend(p.instalment)
    met = not sim.chance(p.phase_miss)
    sim.record("phase-evaluation", phase=phase, targets_met=met)
    if not met:
        sim.apply("terminate", reason=f"Phase {phase} missed its targets")
    elif phase < p.phases:
        sim.apply("start-next-phase")
    else:
        price = p.maximum_cost * Decimal(1.15 if sim.chance(p.over_budget) else 0.9)
        if not sim.apply("purchase", price=price.quantize(Decimal(1)), performance_levels_met=True):
            sim.apply("terminate", reason="The price exceeds the agreed maximum")
        else:
            sim.spend(price)


def innovation_partnership(
    *,
    market_solution: float = 0.2,
    phases: int = 3,
    phase_miss: float = 0.15,
    over_budget: float = 0.1,
    maximum_cost: Decimal | int = 30_000_000,
    instalment: Decimal | int = 2_000_000,
) -> Scenario:
    """An innovation partnership from needs to purchase.

    ``market_solution``: the chance the market dialogue finds a product (the case is then
    cancelled); ``phase_miss``: the chance a phase misses its intermediate targets (the
    partnership is then terminated); ``over_budget``: the chance the final price exceeds the
    agreed maximum (the purchase is refused and the partnership terminated). Costs are the
    phase instalments and the purchase price.
    """
    p = _IP(
        market_solution, phases, phase_miss, over_budget, Decimal(maximum_cost), Decimal(instalment)
    )
    return Scenario(
        procedures()["innovation-partnership"],
        {
            "needs": partial(_ip_needs, p),
            "market-dialogue": partial(_ip_dialogue, p),
            "tendering": partial(_ip_tendering, p),
            "negotiation": partial(_ip_negotiation, p),
            "final-tenders": partial(_ip_final, p),
            "development": partial(_ip_development, p),
        },
        name="innovation-partnership",
    )


# -- pre-commercial procurement ----------------------------------------------------------------


@attrs.frozen
class _PCP:
    market_solution: float
    suppliers: tuple[int, int, int]
    supplier_failure: float
    phase_cost: tuple[Decimal, Decimal, Decimal]


_CALL = {
    "cpv_codes": ("73110000-6",),
    "benefits_exclusive_to_procurer": False,
    "procurer_pays_in_full": True,
    "ipr_stays_with_suppliers": True,
    "procurer_free_use_rights": True,
    "open_transparent_selection": True,
    "terms_published_in_advance": True,
    "no_preferential_follow_on": True,
    "market_price": True,
    "evaluation_criteria": ("Value", "Price"),
    "rd_share": 80,
}


def _pcp_preparation(p: _PCP, sim: Sim) -> None:
    sim.wait(60, 120)
    sim.record("need-description", summary="A need", functional=True)
    found = sim.chance(p.market_solution)
    sim.record("market-dialogue-outcome", solution_available=found)
    if found:
        sim.apply("cancel", reason="A solution exists on the market")
        return
    sim.record("pcp-call-documents", **_CALL)
    sim.apply("publish-call", tender_deadline=sim.clock + _days(45))


def _pcp_call(p: _PCP, sim: Sim) -> None:
    sim.wait(46, 60)
    sim.apply("award-phase-1", suppliers=_NAMES[: p.suppliers[0]])


def _pcp_phase(p: _PCP, index: int, event: str, sim: Sim) -> None:
    current = [s for s in _current(sim)]
    sim.wait(90, 210)
    sim.spend(p.phase_cost[index] * len(current))
    viable = [s for s in current if not sim.chance(p.supplier_failure)]
    if index == 2:
        if viable:
            sim.apply("complete", by_published_evaluation=True)
        else:
            sim.apply("terminate", reason="No supplier completed the test series")
        return
    keep = tuple(viable[: p.suppliers[index + 1]])
    if not sim.apply(event, suppliers=keep, by_published_evaluation=True):
        sim.apply("terminate", reason="Too few suppliers left for a competition")


def _current(sim: Sim) -> tuple[str, ...]:
    for entry in reversed(sim.case.history):
        if entry.name in ("award-phase-1", "start-prototyping", "start-original-development"):
            return tuple(entry.payload["suppliers"])
    return ()


def pre_commercial_procurement(
    *,
    market_solution: float = 0.1,
    suppliers: tuple[int, int, int] = (6, 4, 2),
    supplier_failure: float = 0.2,
    phase_cost: tuple[int, int, int] = (300_000, 1_000_000, 2_500_000),
) -> Scenario:
    """A PCP through its three phases with down-selection.

    ``suppliers`` are the numbers contracted in phases 1, 2 and 3 (at most 8);
    ``supplier_failure`` the chance each supplier fails a phase (too few left ends the PCP);
    ``phase_cost`` what each supplier is paid per phase.
    """
    p = _PCP(market_solution, suppliers, supplier_failure, tuple(Decimal(c) for c in phase_cost))  # type: ignore[arg-type]
    return Scenario(
        procedures()["pre-commercial-procurement"],
        {
            "preparation": partial(_pcp_preparation, p),
            "call-for-tenders": partial(_pcp_call, p),
            "solution-design": partial(_pcp_phase, p, 0, "start-prototyping"),
            "prototyping": partial(_pcp_phase, p, 1, "start-original-development"),
            "original-development": partial(_pcp_phase, p, 2, "complete"),
        },
        name="pre-commercial-procurement",
    )


# -- triple diamond ---------------------------------------------------------------------------


@attrs.frozen
class _TD:
    late: float
    prequalified: float
    deferred: float
    committed: float
    revisit: float
    grant: Decimal


_COMMITTED = {
    k: True
    for k in (
        "open_exploratory",
        "insight_first",
        "involve_users",
        "holistic",
        "early_prototyping",
        "visualisation",
    )
}


#: When the #StimuLab call of 2018 was published; its first round closed on 9 March 2018.
_TD_CALL = datetime(2018, 2, 6, 9, 0, tzinfo=OSLO)


def _td_proposal(p: _TD, sim: Sim) -> None:
    # The proposal is judged against the call's own deadline (9 March 2018), so the run is
    # set in the call's time.
    sim.clock = _TD_CALL
    sim.wait(32 if sim.chance(p.late) else 10)
    if not sim.apply("submit-proposal", round="2018-1"):
        sim.apply("withdraw", reason="Missed the deadline")


def _td_prequalification(p: _TD, sim: Sim) -> None:
    sim.wait(14, 30)
    passes = sim.chance(p.prequalified)
    sim.record(
        "prequalification-assessment",
        user_need=True,
        own_resources=True,
        innovation_potential=passes,
    )
    sim.record("leadership-decision", decided_by="Head", decision="D")
    if passes:
        sim.apply("prequalify")
    elif sim.chance(p.deferred):
        sim.apply("defer")
    else:
        sim.apply("reject", reason="Not convincing enough")


def _td_deferred(p: _TD, sim: Sim) -> None:
    sim.wait(150, 200)
    sim.apply("reject", reason="Not taken up")


def _td_dialogue(p: _TD, sim: Sim) -> None:
    sim.wait(30, 60)
    if sim.chance(p.committed):
        sim.record("working-method-commitment", **_COMMITTED)
        sim.apply("grant", amount=p.grant, decided_by="Steering group")
        sim.spend(p.grant)
    else:
        sim.apply("reject", reason="Could not commit to the working method")


def _td_procurement(p: _TD, sim: Sim) -> None:
    sim.wait(45, 90)
    sim.record(
        "supplier-competence", service_design=True, benefit_realisation=True, change_management=True
    )
    sim.apply("sign-contract", supplier="Design AS", service_owner="Service owner")


def _td_step(event: str, p: _TD, sim: Sim) -> None:
    sim.wait(20, 45)
    state = sim.case.state
    if state == "diagnose-converge":
        sim.record("change-annex", problem_understanding="Shared", anchored=True)
    elif state == "explore-define-converge":
        if sim.chance(p.revisit):
            sim.apply("revisit-diagnosis", reason="New insight")
            return
        sim.record("user-involvement", participants=sim.rng.randint(5, 30), concepts_tested=3)
    elif state == "develop-deliver-converge":
        sim.record("prototype-test", prototype="Prototype", tested_with_users=True)
        sim.record("experience-shared", where="Network")
    sim.apply(event)


def triple_diamond(
    *,
    late: float = 0.05,
    prequalified: float = 0.4,
    deferred: float = 0.3,
    committed: float = 0.8,
    revisit: float = 0.25,
    grant: Decimal | int = 1_500_000,
) -> Scenario:
    """A #StimuLab project from proposal to completion.

    ``late``: the chance a proposal misses the deadline; ``prequalified``: the chance it
    passes prequalification (otherwise ``deferred`` of the rest are deferred, the others
    rejected); ``committed``: the chance the dialogue ends in commitment and a grant;
    ``revisit``: the chance diamond 2 sends the work back to the diagnosis.
    """
    p = _TD(late, prequalified, deferred, committed, revisit, Decimal(grant))
    handlers = {
        "proposal": partial(_td_proposal, p),
        "prequalification": partial(_td_prequalification, p),
        "deferred": partial(_td_deferred, p),
        "dialogue": partial(_td_dialogue, p),
        "procurement": partial(_td_procurement, p),
        "diagnose-diverge": partial(_td_step, "converge-diagnosis", p),
        "diagnose-converge": partial(_td_step, "finish-diagnosis", p),
        "explore-define-diverge": partial(_td_step, "converge-concept", p),
        "explore-define-converge": partial(_td_step, "finish-explore-define", p),
        "develop-deliver-diverge": partial(_td_step, "converge-delivery", p),
        "develop-deliver-converge": partial(_td_step, "complete", p),
    }
    return Scenario(procedures()["triple-diamond"], handlers, name="triple-diamond")


# -- funding applications -----------------------------------------------------------------------


@attrs.frozen
class _App:
    scheme: str
    ineligible: float
    must_fail: float
    funded: float
    grant: Decimal
    outcomes: tuple[tuple[str, float], ...]


def _app_draft(p: _App, sim: Sim) -> None:
    scheme = schemes()[p.scheme]
    deadline = scheme.rounds[0].deadline
    if deadline is not None:
        sim.clock = deadline - _days(sim.rng.uniform(1, 20))
    kind = "company" if sim.chance(p.ineligible) else scheme.eligibility.kinds[0]
    sim.record(
        "application",
        round=scheme.rounds[0].name,
        applicant="Applicant",
        kind=kind,
        publicly_funded=True,
        public_tasks=True,
        procurement_rules=True,
    )
    sim.apply("submit")


def _app_submitted(p: _App, sim: Sim) -> None:
    sim.wait(7, 30)
    if not sim.apply("confirm-eligibility"):
        sim.apply("refuse", reason="Not eligible")


def _app_eligible(p: _App, sim: Sim) -> None:
    scheme = schemes()[p.scheme]
    sim.wait(14, 40)
    fails = sim.chance(p.must_fail)
    scores = {c.field: (not fails) if c.must else sim.rng.randint(0, 5) for c in scheme.criteria}
    sim.record("criteria-assessment", **scores)
    if not sim.apply("assess"):
        sim.apply("reject", reason="A must criterion is not met")


def _app_assessed(p: _App, sim: Sim) -> None:
    sim.wait(14, 30)
    if sim.chance(p.funded):
        sim.apply("fund", amount=p.grant)
        sim.spend(p.grant)
    else:
        sim.apply("reject", reason="Others ranked higher")


def _app_following(p: _App, sim: Sim) -> None:
    scheme = schemes()[p.scheme]
    for f in scheme.follow_ups:
        sim.wait(30, 120)
        sim.record("follow-up-held", code=f.code)
    for d in scheme.deliverables:
        sim.record("deliverable-submitted", code=d.code)
    names = [o for o, _ in p.outcomes]
    weights = [w for _, w in p.outcomes]
    sim.apply("close", outcome=sim.rng.choices(names, weights)[0])


def funding_application(
    scheme: str,
    *,
    ineligible: float = 0.05,
    must_fail: float = 0.2,
    funded: float = 0.4,
    grant: Decimal | int = 200_000,
    outcomes: dict[str, float] | None = None,
) -> Scenario:
    """An application to a built-in scheme, from draft to closing.

    ``ineligible``: the chance the applicant may not apply; ``must_fail``: the chance a must
    criterion fails; ``funded``: the chance an assessed application is funded; ``outcomes``
    weighs the closing outcomes (default: equal among the scheme's outcomes).
    """
    chosen = schemes()[scheme]
    weights = outcomes or {o: 1.0 for o in chosen.outcomes}
    p = _App(scheme, ineligible, must_fail, funded, Decimal(grant), tuple(weights.items()))
    return Scenario(
        chosen.application,
        {
            "draft": partial(_app_draft, p),
            "submitted": partial(_app_submitted, p),
            "eligible": partial(_app_eligible, p),
            "assessed": partial(_app_assessed, p),
            "following-up": partial(_app_following, p),
        },
        name=f"{scheme} application",
    )
