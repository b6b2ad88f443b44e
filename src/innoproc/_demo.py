"""A realistic innovation partnership case, walked from needs to purchase.

Used by ``python -m innoproc demo``; the test suite runs it too. It shows refused steps with
every unmet precondition, in English or Norwegian bokmål.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from innoproc._api import open_case
from innoproc._engine.case import Case
from innoproc._errors import StepRefused
from innoproc._storage import dumps, loads
from innoproc._time import OSLO

_HEAD = {
    "en": "Innovation partnership {ref} ({authority}): {title}",
    "nb": "Innovasjonspartnerskap {ref} ({authority}): {title}",
}
_FACT = {"en": "recorded fact", "nb": "registrert faktum"}
_STEP = {"en": "applied", "nb": "utført"}
_REFUSED = {"en": "REFUSED", "nb": "AVVIST"}
_END = {
    "en": "Final state: {state} after {n} history entries; the stored JSON ({size} characters) "
    "reloads to the same case.",
    "nb": "Sluttilstand: {state} etter {n} historikkoppføringer; lagret JSON ({size} tegn) "
    "leses inn igjen til samme sak.",
}


class _Walk:
    """Applies and records steps on a case, printing what happens."""

    def __init__(self, case: Case, lang: str, out: Callable[[str], None]) -> None:
        self.case = case
        self.lang = lang
        self.out = out
        self.clock = datetime(2024, 1, 8, 9, 0, tzinfo=OSLO)
        self.refusals = 0

    def at(self, days: float) -> datetime:
        self.clock = self.clock + timedelta(days=days)
        return self.clock

    def fact(self, days: float, by: str, name: str, **payload: Any) -> None:
        entry = self.case.record(name, at=self.at(days), by=by, **payload)
        self.out(f"{entry.at:%Y-%m-%d}  {_FACT[self.lang]}: {name}")

    def step(self, days: float, by: str, event: str, **payload: Any) -> None:
        when = self.at(days)
        before = dumps(self.case)
        try:
            entry = self.case.apply(event, at=when, by=by, **payload)
        except StepRefused as refused:
            self.refusals += 1
            assert dumps(self.case) == before, "a refused step must leave the case unchanged"
            self.out(f"{when:%Y-%m-%d}  {_REFUSED[self.lang]}: {event}")
            for line in refused.assessment.explain(self.lang).splitlines()[1:]:
                self.out(f"            {line}")
            return
        self.out(
            f"{entry.at:%Y-%m-%d}  {_STEP[self.lang]}: {event}  [{entry.source} -> {entry.target}]"
        )


def run_demo(lang: str = "en", out: Callable[[str], None] = print) -> Case:
    """Walk a smart home-care innovation partnership from needs to purchase; return the case."""
    case = open_case(
        "innovation-partnership",
        reference="2024/0173",
        authority="Eksempel kommune",
        title="Digital night-time supervision in home care",
        estimated_value_nok=38_000_000,
    )
    out(
        _HEAD[lang].format(
            ref=case.reference, authority=case.authority, title=case.details["title"]
        )
    )
    out("")
    w = _Walk(case, lang, out)
    pm = "Procurement manager"

    # Needs: asking for the market dialogue before the need is written down is refused.
    w.step(0, pm, "start-market-dialogue")
    w.fact(
        3,
        "Head of home care",
        "need-description",
        summary="Residents need safe night-time supervision without being woken by visits.",
        functional=True,
        why_new_solution="Existing sensors cannot tell a fall from normal movement.",
    )
    w.step(1, pm, "start-market-dialogue")

    # Market dialogue: no product on the market does this.
    w.fact(
        40,
        pm,
        "market-dialogue-outcome",
        solution_available=False,
        participants=11,
        summary="Eleven suppliers; none offers a proven solution.",
    )
    # Publishing too early: not anchored, documents missing, time limit too short.
    w.at(2)
    w.step(
        0,
        pm,
        "publish-notice",
        notice_sent=w.clock,
        request_deadline=w.clock + timedelta(days=21),
    )
    w.fact(
        5,
        "Chief municipal executive",
        "leadership-decision",
        decided_by="Chief municipal executive",
        decision="Decision 2024/88",
        long_term_strategy=True,
    )
    w.fact(
        10,
        pm,
        "procurement-documents",
        minimum_requirements=("Works offline for 12 hours", "Privacy by design (GDPR art. 25)"),
        award_criteria=("Quality 60 %", "Price 40 %"),
        ipr_arrangements=True,
        rd_capacity_criteria=True,
        negotiation_rules=True,
        purchase_terms=True,
        phases=3,
        termination_foreseen=True,
        partner_reduction_foreseen=True,
        max_rd_value=Decimal("6000000"),
        estimated_purchase_value=Decimal("32000000"),
    )
    w.fact(
        1,
        pm,
        "proportionality-assessment",
        proportionate=True,
        reasoning="Purchase about five times the R&D, usual for care technology.",
    )
    w.at(1)
    w.step(
        0,
        pm,
        "publish-notice",
        notice_sent=w.clock,
        request_deadline=(w.clock + timedelta(days=35)).replace(hour=12),
    )

    # Competition: five qualify, three are invited; two rounds of negotiation.
    w.step(
        36,
        pm,
        "invite-candidates",
        qualified=5,
        invited=3,
        candidates=("Nordlys Care AS", "Fjord Sensor AS", "Vake Health AS"),
    )
    w.fact(
        20,
        pm,
        "negotiation-round",
        round=1,
        changed_minimum_requirements=False,
        changed_award_criteria=False,
    )
    w.fact(
        20,
        pm,
        "negotiation-round",
        round=2,
        changed_minimum_requirements=False,
        changed_award_criteria=False,
        specification_changed=True,
        all_informed=True,
    )
    w.step(5, pm, "call-final-tenders")
    w.step(
        21,
        pm,
        "award",
        partners=("Nordlys Care AS", "Fjord Sensor AS"),
        award_basis="best-price-quality-ratio",
        separate_rd=True,
        performance_levels=("Detects 95 % of falls", "Under 1 false alarm per resident-month"),
        maximum_cost=Decimal("30000000"),
    )

    # Development: three phases with intermediate targets.
    w.fact(
        90,
        "Project board",
        "phase-evaluation",
        phase=1,
        targets_met=True,
        instalment=Decimal("1000000"),
    )
    w.step(1, pm, "start-next-phase", instalment=Decimal("1000000"))
    w.fact(
        120,
        "Project board",
        "phase-evaluation",
        phase=2,
        targets_met=True,
        notes="Fjord Sensor AS missed the false-alarm target.",
    )
    w.step(1, pm, "reduce-partners", remaining=("Nordlys Care AS",))
    w.step(1, pm, "start-next-phase")
    w.fact(150, "Project board", "phase-evaluation", phase=3, targets_met=True)

    # Purchase: above the agreed maximum cost is refused; within it, bought without a new tender.
    w.step(10, pm, "purchase", price=Decimal("31500000"), performance_levels_met=True)
    w.step(5, pm, "purchase", price=Decimal("29400000"), performance_levels_met=True)

    text = dumps(case)
    assert dumps(loads(text)) == text
    out("")
    out(_END[lang].format(state=case.state, n=case.revision, size=len(text)))
    return case
