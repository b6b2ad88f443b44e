"""Whole funding calls: applications scored and ranked, funded within the budget, and each
funded project continued into its procedure case.

One run of a ``CallScenario`` is one call: every application runs from draft to assessment
(seeded by its own number, derived from the run's seed and its index only), then the
assessed applications are ranked by weighed score (``Portfolio.ranking``) and funded in that
order through ``Portfolio.fund`` until a grant no longer fits the budget (refused with the
``budget-available`` finding: the rest are rejected), then each funded application opens its
project case (``open_project_case``) which runs the procedure's scenario, and finally the
application is followed up and closed. Everything after the assessments is a deterministic
step, so a call gives the same result on any executor.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import mean, median
from typing import Any

import attrs

from innoproc._engine.case import Case
from innoproc._engine.history import StepRecord
from innoproc._errors import PreconditionFailed
from innoproc._portfolio import Portfolio, open_project_case
from innoproc._schemes.model import Round, Scheme
from innoproc._simulate import START, Scenario, Sim, dataframe

_DAY = 86400.0

#: Days between the last assessment and the decision on the grants.
DECISION_DAYS = 14


def close_application(sim: Sim, scheme: Scheme, outcome: str) -> None:
    """Hold the scheme's follow-ups, submit its deliverables and close with ``outcome``."""
    for f in scheme.follow_ups:
        sim.wait(30, 120)
        sim.record("follow-up-held", code=f.code)
    for d in scheme.deliverables:
        sim.record("deliverable-submitted", code=d.code)
    sim.apply("close", outcome=outcome)


class CallScenario:
    """A funding call to simulate as a whole (made by ``innoproc.scenarios.funding_call``).

    ``application`` drives each application from draft to assessment; ``project`` (or
    ``None`` for a scheme that leads to no procedure) drives each funded project's case.
    ``outcomes`` weighs how a funded project that did not fail closes.
    """

    def __init__(
        self,
        scheme: Scheme,
        *,
        round: Round,
        applications: int,
        budget: Decimal,
        application: Scenario,
        project: Scenario | None,
        outcomes: tuple[tuple[str, float], ...],
        name: str = "",
    ) -> None:
        self.scheme = scheme
        self.round = round
        self.applications = applications
        self.budget = budget
        self.application = application
        self.project = project
        self.outcomes = outcomes
        self.name = name or f"{scheme.id} call"

    def _start(self) -> datetime:
        if self.round.deadline is not None:
            return self.round.deadline - timedelta(days=30)
        return START

    def run(self, seed: int, index: int = 0) -> CallRun:
        """One seeded call: the same seed always gives the same call."""
        scheme = self.scheme
        rng = random.Random(seed)
        draws = [(rng.getrandbits(63), rng.getrandbits(63)) for _ in range(self.applications)]
        start = self._start()
        sims: list[Sim] = []
        for i, (app_seed, _) in enumerate(draws):
            case = Case(
                scheme.application,
                reference=f"{scheme.id}-{i + 1:05d}",
                authority=scheme.owners[0],
            )
            sim = Sim(case, random.Random(app_seed), start)
            self.application.drive(sim, stop=("assessed",))
            sims.append(sim)
        by_reference = {s.case.reference: (i, s) for i, s in enumerate(sims)}
        decision = max((s.clock for s in sims), default=start) + timedelta(days=DECISION_DAYS)

        # The grants: a deterministic step in rank order.
        portfolio = Portfolio(
            scheme, (s.case for s in sims), round=self.round.name, budget=self.budget
        )
        ranks: dict[str, tuple[int, int]] = {}
        granted: dict[str, Decimal] = {}
        budget_refused: str | None = None
        for rank, (case, score) in enumerate(portfolio.ranking(), start=1):
            ranks[case.reference] = (rank, score)
            sim = by_reference[case.reference][1]
            sim.clock = decision
            if budget_refused is None:
                sought = _sought(case)
                try:
                    portfolio.fund(case, sought, at=decision, by="Steering group")
                except PreconditionFailed as exc:
                    if "budget-available" not in exc.codes:  # pragma: no cover - defensive
                        raise
                    budget_refused = case.reference
                else:
                    sim.steps += 1
                    granted[case.reference] = sought
                    continue
            sim.apply("reject", reason="Others ranked higher; the budget is spent")

        # The funded projects, each in its own procedure case, then the follow-up.
        results: list[ApplicationResult] = []
        for i, sim in enumerate(sims):
            case = sim.case
            grant = granted.get(case.reference, Decimal(0))
            project_case: Case | None = None
            project_cost = Decimal(0)
            bought: datetime | None = None
            completed = False
            if grant and self.project is not None:
                project_case = open_project_case(
                    case,
                    reference=f"{case.reference}-P",
                    at=decision,
                    by="simulation",
                    procedure_id=self.project.procedure.id,
                )
                project_sim = Sim(project_case, random.Random(draws[i][1]), decision, funding=grant)
                self.project.drive(project_sim)
                project_cost = project_sim.cost
                bought = self.project.purchased_at(project_case)
                completed = project_case.state == self.project.completion
                sim.clock = max(sim.clock, project_sim.clock)
            if grant:
                close_application(sim, scheme, self._outcome(sim, project_case, completed))
            submitted = _submitted(case) or start
            placed = ranks.get(case.reference)
            results.append(
                ApplicationResult(
                    run=index,
                    reference=case.reference,
                    end=case.state,
                    eligible=_took(case, "confirm-eligibility"),
                    assessed=_took(case, "assess"),
                    score=None if placed is None else placed[1],
                    rank=None if placed is None else placed[0],
                    sought=_sought(case),
                    granted=grant,
                    budget_refused=case.reference == budget_refused,
                    project=None if project_case is None else project_case.procedure_id,
                    project_end=None if project_case is None else project_case.state,
                    purchased=bought is not None,
                    completed=completed,
                    purchase_days=None
                    if bought is None
                    else (bought - submitted).total_seconds() / _DAY,
                    days=(sim.clock - submitted).total_seconds() / _DAY,
                    cost=grant + project_cost,
                    steps=case.revision + (0 if project_case is None else project_case.revision),
                )
            )
        return CallRun(index, seed, self.budget, tuple(results))

    def _outcome(self, sim: Sim, project: Case | None, completed: bool) -> str:
        """How a funded application closes: drawn by the weights; a project that did not
        complete its procedure closes as ``dropped`` where the scheme has that outcome."""
        weights = [(o, w) for o, w in self.outcomes if w > 0]
        if project is not None:
            if not completed and "dropped" in self.scheme.outcomes:
                return "dropped"
            weights = [(o, w) for o, w in weights if o != "dropped"]
        if not weights:
            return self.scheme.outcomes[0]
        return sim.rng.choices([o for o, _ in weights], [w for _, w in weights])[0]

    def __repr__(self) -> str:
        project = "no project case" if self.project is None else self.project.name
        return (
            f"<CallScenario {self.name}: {self.applications} applications, budget NOK "
            f"{self.budget:,}, funded projects continue as {project}>"
        )


def _sought(case: Case) -> Decimal:
    value = case.facts["application"].get("amount_sought")
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _submitted(case: Case) -> datetime | None:
    for entry in case.history:
        if isinstance(entry, StepRecord) and entry.event == "submit":
            return entry.at
    return None


def _took(case: Case, event: str) -> bool:
    return any(isinstance(e, StepRecord) and e.event == event for e in case.history)


@attrs.frozen
class ApplicationResult:
    """One application of a simulated call, and its project.

    ``end`` is where the application ended (``closed`` after a grant, ``rejected``,
    ``refused`` as not eligible); ``rank`` its place in the ranking of assessed applications;
    ``budget_refused`` is true for the one grant the budget-available rule refused.
    ``purchase_days`` counts from the submission to the project's purchase step, ``days`` to
    where the application (and its project) ended; ``cost`` is the grant plus what the
    project spent (NOK).
    """

    run: int
    reference: str
    end: str
    eligible: bool
    assessed: bool
    score: int | None
    rank: int | None
    sought: Decimal
    granted: Decimal
    budget_refused: bool
    project: str | None
    project_end: str | None
    purchased: bool
    completed: bool
    purchase_days: float | None
    days: float
    cost: Decimal
    steps: int

    @property
    def funded(self) -> bool:
        """True when the application got a grant."""
        return self.granted > 0


@attrs.frozen
class CallRun:
    """One simulated call: every application, with counts and money."""

    index: int
    seed: int
    budget: Decimal
    applications: tuple[ApplicationResult, ...]

    @property
    def funded(self) -> int:
        """How many applications got a grant."""
        return sum(a.funded for a in self.applications)

    @property
    def granted(self) -> Decimal:
        """The sum of the grants (never more than the budget)."""
        return sum((a.granted for a in self.applications), Decimal(0))

    @property
    def purchases(self) -> int:
        """How many funded projects reached their purchase step."""
        return sum(a.purchased for a in self.applications)

    @property
    def completions(self) -> int:
        """How many funded projects reached their procedure's completion."""
        return sum(a.completed for a in self.applications)

    def record(self) -> dict[str, Any]:
        """The call as one flat record (amounts in NOK as Decimal)."""
        apps = self.applications
        bought = [a for a in apps if a.purchased]
        days = [a.purchase_days for a in bought if a.purchase_days is not None]
        return {
            "run": self.index,
            "seed": self.seed,
            "applications": len(apps),
            "eligible": sum(a.eligible for a in apps),
            "assessed": sum(a.assessed for a in apps),
            "funded": self.funded,
            "purchases": self.purchases,
            "completions": self.completions,
            "budget": self.budget,
            "granted": self.granted,
            "budget_share": float(self.granted / self.budget) if self.budget else 0.0,
            "budget_refused": any(a.budget_refused for a in apps),
            "median_days_to_purchase": median(days) if days else None,
            "cost_to_purchase": sum((a.cost for a in bought), Decimal(0)),
            "cost": sum((a.cost for a in apps), Decimal(0)),
        }


_CALL_COLUMNS: dict[str, str] = {
    "run": "int64",
    "seed": "int64",
    "applications": "int64",
    "eligible": "int64",
    "assessed": "int64",
    "funded": "int64",
    "purchases": "int64",
    "completions": "int64",
    "budget": "float64",
    "granted": "float64",
    "budget_share": "float64",
    "budget_refused": "bool",
    "median_days_to_purchase": "float64",
    "cost_to_purchase": "float64",
    "cost": "float64",
}

_APPLICATION_COLUMNS: dict[str, str] = {
    "run": "int64",
    "reference": "string",
    "end": "string",
    "eligible": "bool",
    "assessed": "bool",
    "score": "Int64",
    "rank": "Int64",
    "sought": "float64",
    "granted": "float64",
    "budget_refused": "bool",
    "project": "string",
    "project_end": "string",
    "purchased": "bool",
    "completed": "bool",
    "purchase_days": "float64",
    "days": "float64",
    "cost": "float64",
    "steps": "int64",
}

#: The measures of ``CallResult.summary``, in order, with how to read each from a run.
_MEASURES: tuple[str, ...] = (
    "applications",
    "eligible",
    "assessed",
    "funded",
    "purchases",
    "completions",
    "granted",
    "budget_share",
    "median_days_to_purchase",
    "cost_to_purchase",
)


@attrs.frozen
class CallResult:
    """All runs of a simulated call: how many applications reach a grant, a purchase and
    completion, at what cost and after how long, and how much of the budget was used.

    ``to_dataframe()`` has one row per call, ``applications_dataframe()`` one per
    application; ``summary()`` is a flat table of measures; plots are in
    ``innoproc.plots``.
    """

    scenario: str
    budget: Decimal
    seed: int
    runs: tuple[CallRun, ...]
    seconds: float

    def records(self) -> list[dict[str, Any]]:
        """One flat record per call (amounts as Decimal)."""
        return [r.record() for r in self.runs]

    def applications(self) -> list[dict[str, Any]]:
        """One flat record per application of every call (amounts as Decimal)."""
        return [attrs.asdict(a) for r in self.runs for a in r.applications]

    def to_dataframe(self) -> Any:
        """One row per simulated call, numeric columns (NOK as floats). Needs pandas."""
        return dataframe(self.records(), _CALL_COLUMNS, "to_dataframe")

    def applications_dataframe(self) -> Any:
        """One row per application of every call, numeric columns. Needs pandas."""
        return dataframe(self.applications(), _APPLICATION_COLUMNS, "applications_dataframe")

    def summary(self) -> list[dict[str, Any]]:
        """One flat record per measure (``measure``, ``mean``, ``min``, ``max`` over the
        calls): applications, eligible, assessed, funded, purchases, completions, granted,
        budget_share, median_days_to_purchase, cost_to_purchase."""
        records = self.records()
        out: list[dict[str, Any]] = []
        for measure in _MEASURES:
            values = [float(r[measure]) for r in records if r[measure] is not None]
            out.append(
                {
                    "measure": measure,
                    "mean": round(mean(values), 2) if values else None,
                    "min": round(min(values), 2) if values else None,
                    "max": round(max(values), 2) if values else None,
                }
            )
        return out

    def mean(self, measure: str) -> float:
        """The mean of one measure of ``summary`` over the calls (0 with no values)."""
        for row in self.summary():
            if row["measure"] == measure:
                return float(row["mean"] or 0.0)
        from innoproc._errors import UnknownParameter

        raise UnknownParameter(measure, "summary", _MEASURES)

    @property
    def ends(self) -> dict[str, int]:
        """How many applications (over all calls) ended in each state, most first."""
        return dict(Counter(a.end for r in self.runs for a in r.applications).most_common())

    def funnel(self) -> Mapping[str, float]:
        """Mean count per call at each stage: applications, eligible, assessed, funded,
        purchases, completions."""
        stages = ("applications", "eligible", "assessed", "funded", "purchases", "completions")
        rows = {row["measure"]: row["mean"] or 0.0 for row in self.summary()}
        return {s: rows[s] for s in stages}

    def __repr__(self) -> str:
        funnel = self.funnel()
        return (
            f"<CallResult {self.scenario}: {len(self.runs)} calls, "
            f"{funnel['applications']:g} applications, {funnel['funded']:g} funded, "
            f"{funnel['purchases']:g} reached purchase (means), budget NOK {self.budget:,}>"
        )

    def _repr_html_(self) -> str:
        from innoproc._display import call_html

        return call_html(self)
