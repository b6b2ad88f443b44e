"""Ready-made scenarios for the built-in procedures, funding applications and whole calls.

Each factory takes the probabilities, durations and costs an analyst wants to vary and
returns a scenario for ``innoproc.simulate``. The defaults are illustrations, not
statistics: set them from your own experience. Every parameter is checked (a probability
must lie from 0 to 1), and ``parameters(id)`` lists each scenario's parameters with their
ranges, defaults and meaning; ``build(id, **parameters)`` makes a scenario by its id.

```pycon
>>> import innoproc
>>> from innoproc import scenarios
>>> found_often = scenarios.innovation_partnership(market_solution=0.9)
>>> result = innoproc.simulate(found_often, runs=200, seed=7)
>>> result.share("cancelled") > 0.8
True
>>> scenarios.innovation_partnership(market_solution=1.5)
Traceback (most recent call last):
...
innoproc._errors.InvalidParameter: 'market_solution' must be a probability from 0 to 1 ..., got 1.5

```

A whole call: applications scored and ranked, funded until the budget is spent, and each
funded project continued in its procedure case:

```pycon
>>> call = scenarios.funding_call("stimulab-2018", applications=300)
>>> result = innoproc.simulate(call, runs=3, seed=1)
>>> all(run.granted <= 10_000_000 for run in result.runs)
True

```
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, Literal

import attrs

from innoproc import _limits
from innoproc._call import CallScenario, close_application
from innoproc._errors import (
    InnoprocError,
    InvalidParameter,
    UnknownParameter,
    UnknownScenario,
    UnknownScheme,
    _named,
)
from innoproc._i18n import Plain
from innoproc._procedures import procedures
from innoproc._schemes import schemes
from innoproc._schemes.model import Scheme
from innoproc._simulate import PROBABILITY, Scenario, Sim, check_probability
from innoproc._text import Text
from innoproc._time import OSLO

__all__ = [
    "Parameter",
    "build",
    "funding_application",
    "funding_call",
    "ids",
    "innovation_partnership",
    "parameters",
    "pre_commercial_procurement",
    "triple_diamond",
]

_NAMES = ("Aktiv AS", "Bølge AS", "Cura AS", "Dyna AS", "Eik AS", "Fjell AS", "Gnist AS", "Hav AS")

Kind = Literal["probability", "count", "amount", "counts", "amounts", "weights"]

# -- the texts of this module, in one place --------------------------------------------------

_EXPECTED: dict[str, Text] = {
    "count": Text("a whole number from {low}{to}"),
    "amount": Text("an amount in NOK of at least {low}"),
    "counts": Text("{n} whole numbers from {low}{to}, comma-separated"),
    "amounts": Text("{n} amounts in NOK of at least {low}, comma-separated"),
    "weights": Text("weights per outcome (outcome:weight,...), none negative, not all 0"),
    "to": Text(" to {high}"),
}
_RANGE: dict[str, Text] = {
    "probability": Text("probability 0-1"),
    "count": Text("whole number {low}{to}"),
    "amount": Text("NOK, at least {low}"),
    "counts": Text("{n} whole numbers {low}{to}"),
    "amounts": Text("{n} amounts in NOK"),
    "weights": Text("outcome:weight,..."),
    "to": Text("-{high}"),
}
_OUTCOME_OF = Text("weights of outcomes the scheme has ({known})")
_GRANT_RANGE = Text("at least grant_min ({low})")
_NO_BUDGET = Text("an amount in NOK: the scheme states no budget, so give one")


@attrs.frozen
class Parameter:
    """A parameter of a ready-made scenario: its name, kind, range, default and meaning.

    ``kind`` is ``probability`` (0 to 1), ``count`` (a whole number from ``low`` to
    ``high``), ``amount`` (NOK, at least ``low``), ``counts`` / ``amounts`` (``size`` of
    them) or ``weights`` (a weight per outcome). A default of ``None`` is explained in
    ``default_text`` (for example "the call's budget").
    """

    name: str
    kind: Kind
    default: object
    help: Text
    low: int = 0
    high: int | None = None
    size: int = 1
    default_text: Text | None = None

    def describe(self, lang: str | None = None) -> str:
        """The kind and range in a few words, in ``lang`` (for help texts)."""
        return self._fill(_RANGE).get(lang)

    def _expected(self) -> Text:
        if self.kind == "probability":
            return PROBABILITY
        return self._fill(_EXPECTED)

    def _fill(self, table: dict[str, Text]) -> Text:
        to = "" if self.high is None else table["to"].with_values(high=Plain(self.high))
        return table[self.kind].with_values(low=Plain(self.low), to=to, n=Plain(self.size))

    def default_shown(self, lang: str | None = None) -> str:
        """The default as a user would write it (or what ``None`` stands for)."""
        value = self.default
        if value is None:
            return self.default_text.get(lang) if self.default_text else "-"
        if isinstance(value, tuple):
            return ",".join(str(v) for v in value)
        if isinstance(value, dict):
            return ",".join(f"{k}:{v:g}" for k, v in value.items())
        return str(value)

    def check(self, value: object) -> Any:
        """``value`` checked and normalised (amounts as ``Decimal``, probabilities as
        floats); ``InvalidParameter`` naming the parameter when it is out of range."""
        if value is None and self.default is None:
            return None
        if self.kind == "probability":
            return check_probability(self.name, value)
        if self.kind == "count":
            return self._count(value, value)
        if self.kind == "amount":
            return self._amount(value, value)
        if self.kind in ("counts", "amounts"):
            if not isinstance(value, (tuple, list)) or len(value) != self.size:
                raise InvalidParameter(self.name, value, self._expected())
            one = self._count if self.kind == "counts" else self._amount
            return tuple(one(v, value) for v in value)
        return self._weights(value)

    def parse(self, text: str) -> Any:
        """A value written on the command line (``--set NAME=TEXT``), checked."""
        text = text.strip().replace("_", "")
        try:
            if self.kind == "probability":
                return self.check(float(text))
            if self.kind == "count":
                return self.check(int(text))
            if self.kind == "amount":
                return self.check(Decimal(text))
            if self.kind == "counts":
                return self.check(tuple(int(v) for v in text.split(",")))
            if self.kind == "amounts":
                return self.check(tuple(Decimal(v) for v in text.split(",")))
            pairs = [item.rsplit(":", 1) for item in text.split(",")]
            return self.check({k.strip(): float(v) for k, v in pairs})
        except InvalidParameter:
            raise
        except (ValueError, InvalidOperation):
            raise InvalidParameter(self.name, text, self._expected()) from None

    def _count(self, value: object, whole: object) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < self.low
            or (self.high is not None and value > self.high)
        ):
            raise InvalidParameter(self.name, whole, self._expected())
        return value

    def _amount(self, value: object, whole: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise InvalidParameter(self.name, whole, self._expected())
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite() or amount < self.low:
            raise InvalidParameter(self.name, whole, self._expected())
        try:
            return _limits.amount(amount, self.name)  # no more digits than a case stores
        except InnoprocError:
            raise InvalidParameter(self.name, whole, self._expected()) from None

    def _weights(self, value: object) -> dict[str, float]:
        if not isinstance(value, Mapping) or not value:
            raise InvalidParameter(self.name, value, self._expected())
        out: dict[str, float] = {}
        for key, weight in value.items():
            if (
                not isinstance(key, str)
                or isinstance(weight, bool)
                or not isinstance(weight, (int, float))
                or not math.isfinite(weight)
                or weight < 0
            ):
                raise InvalidParameter(self.name, value, self._expected())
            out[key] = float(weight)
        if sum(out.values()) <= 0:
            raise InvalidParameter(self.name, value, self._expected())
        return out


def _checked(parameters: tuple[Parameter, ...], values: Mapping[str, object]) -> dict[str, Any]:
    return {p.name: p.check(values[p.name]) for p in parameters}


def _days(n: float) -> timedelta:
    return timedelta(days=n)


# -- innovation partnership --------------------------------------------------------------------

IP_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "market_solution",
        "probability",
        0.2,
        Text("the chance the market dialogue finds a product (the case is cancelled)"),
    ),
    Parameter(
        "phases",
        "count",
        3,
        Text("development phases"),
        low=1,
        high=10,
    ),
    Parameter(
        "phase_miss",
        "probability",
        0.15,
        Text("the chance a phase misses its targets (the partnership is terminated)"),
    ),
    Parameter(
        "over_budget",
        "probability",
        0.1,
        Text("the chance the final price exceeds the agreed maximum (purchase refused)"),
    ),
    Parameter(
        "maximum_cost",
        "amount",
        30_000_000,
        Text("the agreed maximum cost of the purchase"),
        low=1,
    ),
    Parameter(
        "instalment",
        "amount",
        2_000_000,
        Text("what each development phase costs"),
    ),
)


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
    phase instalments and the purchase price. Raises ``InvalidParameter`` naming a parameter
    out of its range.
    """
    v = _checked(IP_PARAMETERS, locals())
    p = _IP(**v)
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
        purchase="purchase",
        completion="purchased",
    )


# -- pre-commercial procurement ----------------------------------------------------------------

PCP_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "market_solution",
        "probability",
        0.1,
        Text("the chance phase 0 finds a solution on the market (the PCP is cancelled)"),
    ),
    Parameter(
        "suppliers",
        "counts",
        (6, 4, 2),
        Text("suppliers contracted in phases 1, 2 and 3"),
        low=1,
        high=8,
        size=3,
    ),
    Parameter(
        "supplier_failure",
        "probability",
        0.2,
        Text("the chance each supplier fails a phase (too few left ends the PCP)"),
    ),
    Parameter(
        "phase_cost",
        "amounts",
        (300_000, 1_000_000, 2_500_000),
        Text("what each supplier is paid per phase"),
        size=3,
    ),
)


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
    current = list(_current(sim))
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
    phase_cost: tuple[Decimal | int, Decimal | int, Decimal | int] = (
        300_000,
        1_000_000,
        2_500_000,
    ),
) -> Scenario:
    """A PCP through its three phases with down-selection.

    ``suppliers`` are the numbers contracted in phases 1, 2 and 3 (1 to 8 each);
    ``supplier_failure`` the chance each supplier fails a phase (too few left ends the PCP);
    ``phase_cost`` what each supplier is paid per phase.
    """
    p = _PCP(**_checked(PCP_PARAMETERS, locals()))
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
        completion="completed",
    )


# -- triple diamond ---------------------------------------------------------------------------

TD_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "late",
        "probability",
        0.05,
        Text("the chance a proposal misses the deadline"),
    ),
    Parameter(
        "prequalified",
        "probability",
        0.4,
        Text("the chance a proposal is prequalified"),
    ),
    Parameter(
        "deferred",
        "probability",
        0.3,
        Text("the chance a proposal not prequalified is deferred (else rejected)"),
    ),
    Parameter(
        "committed",
        "probability",
        0.8,
        Text("the chance the dialogue ends in commitment and a grant"),
    ),
    Parameter(
        "revisit",
        "probability",
        0.25,
        Text("the chance diamond 2 sends the work back to the diagnosis"),
    ),
    Parameter(
        "grant",
        "amount",
        1_500_000,
        Text("the steering group's grant"),
        low=1,
    ),
)


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
    if sim.funding is not None:
        # A funded project was in time for its call; its proposal is entered in the round
        # after the summer, for which the call gives no deadline.
        sim.wait(10)
        if not sim.apply("submit-proposal", round="2018-2"):
            sim.apply("withdraw", reason="Missed the deadline")
        return
    # The proposal is judged against the call's own deadline (9 March 2018), so the run is
    # set in the call's time.
    sim.clock = _TD_CALL
    sim.wait(32 if sim.chance(p.late) else 10)
    if not sim.apply("submit-proposal", round="2018-1"):
        sim.apply("withdraw", reason="Missed the deadline")


def _td_prequalification(p: _TD, sim: Sim) -> None:
    sim.wait(14, 30)
    # A funded project passed the call's must criteria already.
    passes = sim.funding is not None or sim.chance(p.prequalified)
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
        if sim.funding is not None:  # the call's grant, counted by the call
            sim.apply("grant", amount=sim.funding, decided_by="Steering group")
        else:
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
    ``revisit``: the chance diamond 2 sends the work back to the diagnosis. As the project
    of a funded application in a simulated call, the proposal is in time and prequalified
    and the grant is the call's.
    """
    p = _TD(**_checked(TD_PARAMETERS, locals()))
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
    return Scenario(
        procedures()["triple-diamond"],
        handlers,
        name="triple-diamond",
        purchase="sign-contract",
        completion="completed",
    )


# -- funding applications -----------------------------------------------------------------------

_INELIGIBLE = Parameter(
    "ineligible",
    "probability",
    0.05,
    Text("the chance the applicant may not apply"),
)
_MUST_FAIL = Parameter(
    "must_fail",
    "probability",
    0.2,
    Text("the chance a must criterion fails"),
)
_OUTCOMES = Parameter(
    "outcomes",
    "weights",
    None,
    Text("how funded projects close, weighed"),
    default_text=Text("equal weights"),
)

APPLICATION_PARAMETERS: tuple[Parameter, ...] = (
    _INELIGIBLE,
    _MUST_FAIL,
    Parameter(
        "funded",
        "probability",
        0.4,
        Text("the chance an assessed application is funded"),
    ),
    Parameter("grant", "amount", 200_000, Text("each grant"), low=1),
    _OUTCOMES,
)


@attrs.frozen
class _App:
    scheme: Scheme
    ineligible: float
    must_fail: float
    funded: float
    grant: Decimal
    outcomes: tuple[tuple[str, float], ...]
    sought: tuple[Decimal, Decimal] | None = None


def _app_draft(p: _App, sim: Sim) -> None:
    scheme = p.scheme
    deadline = scheme.rounds[0].deadline
    if deadline is not None:
        sim.clock = deadline - _days(sim.rng.uniform(1, 20))
    kind = "company" if sim.chance(p.ineligible) else scheme.eligibility.kinds[0]
    extra: dict[str, Any] = {}
    if p.sought is not None:
        low, high = p.sought
        amount = sim.rng.uniform(float(low), float(high))
        extra["amount_sought"] = max(low, Decimal(round(amount, -4)))
    sim.record(
        "application",
        round=scheme.rounds[0].name,
        applicant="Applicant",
        kind=kind,
        publicly_funded=True,
        public_tasks=True,
        procurement_rules=True,
        **extra,
    )
    sim.apply("submit")


def _app_submitted(p: _App, sim: Sim) -> None:
    sim.wait(7, 30)
    if not sim.apply("confirm-eligibility"):
        sim.apply("refuse", reason="Not eligible")


def _app_eligible(p: _App, sim: Sim) -> None:
    sim.wait(14, 40)
    fails = sim.chance(p.must_fail)
    scores = {c.field: (not fails) if c.must else sim.rng.randint(0, 5) for c in p.scheme.criteria}
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
    names = [o for o, _ in p.outcomes]
    weights = [w for _, w in p.outcomes]
    close_application(sim, p.scheme, sim.rng.choices(names, weights)[0])


def _scheme(scheme: object) -> Scheme:
    if isinstance(scheme, Scheme):
        return scheme
    found = schemes().get(scheme) if isinstance(scheme, str) else None
    if found is None:
        raise UnknownScheme(_named(scheme), tuple(schemes()))
    return found


def _outcome_weights(scheme: Scheme, outcomes: object) -> tuple[tuple[str, float], ...]:
    weights = _OUTCOMES.check(outcomes) or {o: 1.0 for o in scheme.outcomes}
    unknown = [o for o in weights if o not in scheme.outcomes]
    if unknown:
        known = ", ".join(scheme.outcomes)
        raise InvalidParameter(
            "outcomes",
            outcomes,
            _OUTCOME_OF.with_values(known=known),
        )
    return tuple(weights.items())


def _application_scenario(p: _App, *, funding: bool, name: str) -> Scenario:
    handlers = {
        "draft": partial(_app_draft, p),
        "submitted": partial(_app_submitted, p),
        "eligible": partial(_app_eligible, p),
    }
    if funding:
        handlers["assessed"] = partial(_app_assessed, p)
        handlers["following-up"] = partial(_app_following, p)
    return Scenario(p.scheme.application, handlers, name=name)


def funding_application(
    scheme: str | Scheme,
    *,
    ineligible: float = 0.05,
    must_fail: float = 0.2,
    funded: float = 0.4,
    grant: Decimal | int = 200_000,
    outcomes: dict[str, float] | None = None,
) -> Scenario:
    """One application to a scheme, from draft to closing, on its own (no budget).

    ``ineligible``: the chance the applicant may not apply; ``must_fail``: the chance a must
    criterion fails; ``funded``: the chance an assessed application is funded; ``outcomes``
    weighs the closing outcomes (default: equal among the scheme's outcomes). For a whole
    call with its budget, use ``funding_call``.
    """
    chosen = _scheme(scheme)
    v = _checked(APPLICATION_PARAMETERS[:-1], locals())
    p = _App(chosen, outcomes=_outcome_weights(chosen, outcomes), **v)
    return _application_scenario(p, funding=True, name=f"{chosen.id} application")


# -- whole calls ------------------------------------------------------------------------------

CALL_PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "applications",
        "count",
        100,
        Text("applications per call"),
        low=1,
        high=1_000_000,
    ),
    Parameter(
        "budget",
        "amount",
        None,
        Text("the call's budget"),
        low=1,
        default_text=Text("the scheme's budget"),
    ),
    _INELIGIBLE,
    _MUST_FAIL,
    Parameter(
        "grant_min",
        "amount",
        None,
        Text("the smallest amount sought"),
        low=1,
        default_text=Text("5 % of the budget"),
    ),
    Parameter(
        "grant_max",
        "amount",
        None,
        Text("the largest amount sought"),
        low=1,
        default_text=Text("20 % of the budget"),
    ),
    _OUTCOMES,
)


def funding_call(
    scheme: str | Scheme,
    *,
    applications: int = 100,
    budget: Decimal | int | None = None,
    ineligible: float = 0.05,
    must_fail: float = 0.2,
    grant_min: Decimal | int | None = None,
    grant_max: Decimal | int | None = None,
    outcomes: dict[str, float] | None = None,
    round: str | None = None,
    project: Scenario | None = None,
) -> CallScenario:
    """A whole call of ``scheme``: ``applications`` applications, scored on the scheme's
    criteria, ranked, and funded in rank order until a grant no longer fits ``budget``
    (default: the round's or scheme's budget); each funded project continues in its
    procedure case (the scheme's ``leads_to``), run by ``project`` (default: the ready-made
    scenario of that procedure), then is followed up and closed.

    Each application asks for an amount between ``grant_min`` and ``grant_max`` (default:
    5 % and 20 % of the budget). ``simulate(funding_call(...), runs=...)`` gives a
    ``CallResult``: per call how many applications were funded, reached a purchase and
    completed, the grants against the budget, and the days and cost to purchase.
    """
    chosen = _scheme(scheme)
    the_round = chosen.round(round)
    v = _checked(CALL_PARAMETERS[:-1], locals())
    money = v["budget"]
    if money is None:
        money = the_round.budget if the_round.budget is not None else chosen.budget
    if money is None:
        raise InvalidParameter("budget", None, _NO_BUDGET)
    low = v["grant_min"] if v["grant_min"] is not None else (money * Decimal("0.05")).quantize(1)
    high = v["grant_max"] if v["grant_max"] is not None else (money * Decimal("0.2")).quantize(1)
    if high < low:
        raise InvalidParameter(
            "grant_max",
            high,
            _GRANT_RANGE.with_values(low=low),
        )
    if project is not None and not isinstance(project, Scenario):
        raise InvalidParameter(
            "project",
            project,
            Text("a Scenario of the funded project's procedure"),
        )
    if project is None and chosen.leads_to is not None:
        factory = _PROCEDURES.get(chosen.leads_to)
        project = factory[0]() if factory is not None else None
    p = _App(
        chosen,
        ineligible=v["ineligible"],
        must_fail=v["must_fail"],
        funded=0.0,
        grant=low,
        outcomes=_outcome_weights(chosen, outcomes),
        sought=(low, high),
    )
    return CallScenario(
        chosen,
        round=the_round,
        applications=v["applications"],
        budget=money,
        application=_application_scenario(p, funding=False, name=f"{chosen.id} application"),
        project=project,
        outcomes=p.outcomes,
        name=f"{chosen.id} call",
    )


# -- by id --------------------------------------------------------------------------------------

_PROCEDURES: dict[str, tuple[Callable[..., Scenario], tuple[Parameter, ...], tuple[str, ...]]] = {
    # id: (factory, its parameters, those that matter for the project of a funded application)
    "innovation-partnership": (
        innovation_partnership,
        IP_PARAMETERS,
        tuple(p.name for p in IP_PARAMETERS),
    ),
    "pre-commercial-procurement": (
        pre_commercial_procurement,
        PCP_PARAMETERS,
        tuple(p.name for p in PCP_PARAMETERS),
    ),
    "triple-diamond": (triple_diamond, TD_PARAMETERS, ("committed", "revisit")),
}

_APPLICATION_SUFFIX = "-application"


def ids() -> tuple[str, ...]:
    """The ids ``build`` knows: each procedure, each built-in scheme (a whole call) and each
    scheme's application procedure (one application on its own)."""
    return (
        *_PROCEDURES,
        *schemes(),
        *(f"{s}{_APPLICATION_SUFFIX}" for s in schemes()),
    )


def _project_parameters(scheme: Scheme) -> tuple[Parameter, ...]:
    entry = _PROCEDURES.get(scheme.leads_to or "")
    if entry is None:
        return ()
    return tuple(p for p in entry[1] if p.name in entry[2])


def parameters(scenario_id: str) -> tuple[Parameter, ...]:
    """The parameters of the scenario ``scenario_id`` (see ``ids``), in order.

    For a whole call these are the call's own followed by those of the procedure its
    funded projects follow.

    ```pycon
    >>> from innoproc import scenarios
    >>> [p.name for p in scenarios.parameters("triple-diamond")]
    ['late', 'prequalified', 'deferred', 'committed', 'revisit', 'grant']
    >>> [p.name for p in scenarios.parameters("stimulab-2018")][-2:]
    ['committed', 'revisit']

    ```
    """
    if not isinstance(scenario_id, str):
        raise UnknownScenario(_named(scenario_id), ids())
    if scenario_id in _PROCEDURES:
        return _PROCEDURES[scenario_id][1]
    if scenario_id in schemes():
        return CALL_PARAMETERS + _project_parameters(schemes()[scenario_id])
    base = scenario_id.removesuffix(_APPLICATION_SUFFIX)
    if scenario_id.endswith(_APPLICATION_SUFFIX) and base in schemes():
        return APPLICATION_PARAMETERS
    raise UnknownScenario(scenario_id, ids())


def build(scenario_id: str, **values: Any) -> Scenario | CallScenario:
    """The scenario ``scenario_id`` (see ``ids``) with ``values`` for its parameters.

    An unknown id raises ``UnknownScenario``, an unknown parameter ``UnknownParameter``
    (both list the valid ones), a value out of range ``InvalidParameter``.

    ```pycon
    >>> from innoproc import scenarios
    >>> scenarios.build("stimulab-2018", applications=50, committed=0.9)
    <CallScenario stimulab-2018 call: 50 applications, budget NOK 10,000,000, ...>
    >>> scenarios.build("triple-diamond", revist=0.5)
    Traceback (most recent call last):
    ...
    innoproc._errors.UnknownParameter: scenario 'triple-diamond' has no parameter 'revist'; ...

    ```
    """
    known = parameters(scenario_id)
    names = tuple(p.name for p in known)
    for name in values:
        if name not in names:
            raise UnknownParameter(name, scenario_id, names)
    if scenario_id in _PROCEDURES:
        return _PROCEDURES[scenario_id][0](**values)
    if scenario_id in schemes():
        scheme = schemes()[scenario_id]
        call_names = {p.name for p in CALL_PARAMETERS}
        own = {k: v for k, v in values.items() if k in call_names}
        rest = {k: v for k, v in values.items() if k not in call_names}
        project = None
        if scheme.leads_to in _PROCEDURES:
            project = _PROCEDURES[scheme.leads_to][0](**rest)
        return funding_call(scheme, project=project, **own)
    return funding_application(scenario_id.removesuffix(_APPLICATION_SUFFIX), **values)
