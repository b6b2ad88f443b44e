"""Realistic cases of each built-in procedure, walked from start to end.

Used by ``python -m innoproc demo [PROCEDURE]``; the test suite runs them too. Each shows
refused steps with every unmet precondition, in English, Norwegian bokmål or nynorsk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from innoproc._api import open_case, open_follow_on
from innoproc._engine.case import Case
from innoproc._errors import StepRefused
from innoproc._i18n import Plain, Short, resolve
from innoproc._storage import dumps, loads
from innoproc._text import Text
from innoproc._time import OSLO

_HEAD = "{procedure} {ref} ({authority}): {title}"
_FACT = Text("{day}  recorded: {fact}")
_STEP = Text("{day}  done: {event}  [{source} → {target}]")
_REFUSED = Text("{day}  REFUSED: {event}")
_FOLLOW_ON = Text("{day}  follow-on case: {procedure} {ref}")
_END = Text(
    "Final state: {state}, after {n} history entries; the stored JSON ({size} characters) "
    "reads back to the same case."
)


def _case_title(lang: str | None, en: str, nb: str, nn: str) -> str:
    """The demo case's title as the authority would write it in the reader's language (the
    title is the user's own data, not a text of innoproc's)."""
    return {"en": en, "nb": nb, "nn": nn}.get(resolve(lang), en)


class _Walk:
    """Applies and records steps on a case, printing what happens."""

    def __init__(
        self, case: Case, lang: str | None, out: Callable[[str], None], start: datetime
    ) -> None:
        self.case = case
        self.lang = lang
        self.out = out
        self.clock = start
        self.refusals = 0
        title = case.procedure.title.get(lang)
        details = case.details
        out(
            _HEAD.format(
                procedure=title,
                ref=case.reference,
                authority=case.authority,
                title=details.get("title", ""),
            )
        )
        out("")

    def say(self, text: Text, **values: Any) -> None:
        self.out(text.with_values(**values).get(self.lang))

    def end(self) -> Case:
        text = dumps(self.case)
        assert dumps(loads(text)) == text
        self.out("")
        state = self.case.procedure.states[self.case.state].title
        self.say(_END, state=state, n=self.case.revision, size=len(text))
        return self.case

    def after(self, days: float) -> datetime:
        self.clock = self.clock + timedelta(days=days)
        return self.clock

    def fact(self, days: float, by: str, name: str, **payload: Any) -> None:
        entry = self.case.record(name, at=self.after(days), by=by, **payload)
        title = self.case.procedure.facts[name].title
        self.say(_FACT, day=Short(entry.at.astimezone(OSLO).date()), fact=title)

    def step(self, days: float, by: str, event: str, **payload: Any) -> None:
        when = self.after(days)
        before = dumps(self.case)
        procedure = self.case.procedure
        title = procedure.events[event].title
        try:
            entry = self.case.apply(event, at=when, by=by, **payload)
        except StepRefused as refused:
            self.refusals += 1
            assert dumps(self.case) == before, "a refused step must leave the case unchanged"
            self.say(_REFUSED, day=Short(when.astimezone(OSLO).date()), event=title)
            lines = refused.assessment.explain(self.lang).splitlines()
            for line in lines[1:] or lines:
                self.out(f"              {line.strip() if len(lines) == 1 else line}")
            return
        self.say(
            _STEP,
            day=Short(entry.at.astimezone(OSLO).date()),
            event=title,
            source=procedure.states[entry.source].title,
            target=procedure.states[entry.target].title,
        )


def innovation_partnership(lang: str | None, out: Callable[[str], None]) -> Case:
    """Walk a smart home-care innovation partnership from needs to purchase; return the case."""
    case = open_case(
        "innovation-partnership",
        reference="2024/0173",
        authority="Eksempel kommune",
        title=_case_title(
            lang,
            "Digital night-time supervision in home care",
            "Digitalt nattilsyn i hjemmetjenesten",
            "Digitalt nattilsyn i heimetenesta",
        ),
        estimated_value_nok=38_000_000,
    )
    w = _Walk(case, lang, out, datetime(2024, 1, 8, 9, 0, tzinfo=OSLO))
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
    w.after(2)
    notice: dict[str, Any] = {
        "partners": "several",
        "staged_reduction": True,
        "min_candidates": 3,
        "max_candidates": 5,
        "selection_criteria": "Experience with care technology and R&D capacity",
    }
    w.step(
        0,
        pm,
        "publish-notice",
        notice_sent=w.clock,
        request_deadline=w.clock + timedelta(days=21),
        **notice,
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
        instalments=True,
        termination_foreseen=True,
        termination_conditions="A phase that misses its intermediate targets may end the contract.",
        partner_reduction_foreseen=True,
        reduction_conditions="After each phase, the partners are ranked by the award criteria.",
        max_rd_value=Decimal("6000000"),
        estimated_purchase_value=Decimal("32000000"),
        authority_kind="sub-central",
        contract_kind="services",
        environment_weight=30,
    )
    w.fact(
        1,
        pm,
        "proportionality-assessment",
        proportionate=True,
        reasoning="Purchase about five times the R&D, usual for care technology.",
    )
    w.after(1)
    w.step(
        0,
        pm,
        "publish-notice",
        notice_sent=w.clock,
        request_deadline=(w.clock + timedelta(days=35)).replace(hour=12),
        **notice,
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
        tenders_before=3,
        tenders_after=3,
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
        tenders_before=3,
        tenders_after=2,
        reduced_by_award_criteria=True,
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

    return w.end()


def pre_commercial_procurement(lang: str | None, out: Callable[[str], None]) -> Case:
    """Walk a PCP through three phases with down-selection; return the PCP case."""
    case = open_case(
        "pre-commercial-procurement",
        reference="PCP-2025-02",
        authority="Eksempel helseforetak",
        title=_case_title(
            lang,
            "Rehabilitation at home after stroke",
            "Rehabilitering hjemme etter hjerneslag",
            "Rehabilitering heime etter hjerneslag",
        ),
    )
    w = _Walk(case, lang, out, datetime(2025, 1, 6, 9, 0, tzinfo=OSLO))
    pm = "PCP lead"
    w.fact(
        0,
        "Clinic head",
        "need-description",
        functional=True,
        summary="Patients need guided rehabilitation at home in the first months.",
    )
    w.fact(
        45,
        pm,
        "market-dialogue-outcome",
        solution_available=False,
        participants=14,
        summary="Open market consultation: no solution covers home rehabilitation.",
    )
    call = {
        "cpv_codes": ("73110000-6", "48000000-8"),
        "benefits_exclusive_to_procurer": True,
        "procurer_pays_in_full": True,
        "ipr_stays_with_suppliers": True,
        "procurer_free_use_rights": True,
        "third_party_licences": True,
        "open_transparent_selection": True,
        "terms_published_in_advance": True,
        "no_preferential_follow_on": True,
        "market_price": True,
        "evaluation_criteria": ("Clinical value 50 %", "Feasibility 30 %", "Price 20 %"),
        "rd_share": 40,
    }
    w.fact(10, pm, "pcp-call-documents", **call)
    # R&D as less than half the contract, and the procurer taking every benefit while paying
    # in full: outside the R&D exemption, refused.
    w.step(1, pm, "publish-call", tender_deadline=w.clock + timedelta(days=45))
    w.fact(
        2,
        pm,
        "pcp-call-documents",
        **{**call, "rd_share": 85, "benefits_exclusive_to_procurer": False},
    )
    w.step(1, pm, "publish-call", tender_deadline=w.clock + timedelta(days=45))
    w.step(
        60,
        pm,
        "award-phase-1",
        suppliers=("Aktiv AS", "Bølge AS", "Cura AS", "Dyna AS", "Etter AS", "Frisk AS"),
    )
    w.step(
        90,
        pm,
        "start-prototyping",
        by_published_evaluation=True,
        suppliers=("Aktiv AS", "Cura AS", "Frisk AS"),
    )
    # A newcomer cannot join a later phase: suppliers come from the previous phase.
    w.step(
        180,
        pm,
        "start-original-development",
        by_published_evaluation=True,
        suppliers=("Aktiv AS", "Gamma AS"),
    )
    w.step(
        1,
        pm,
        "start-original-development",
        by_published_evaluation=True,
        suppliers=("Aktiv AS", "Frisk AS"),
    )
    w.step(
        210,
        pm,
        "complete",
        by_published_evaluation=True,
        results="Both test series met the clinical targets with 40 patients each.",
    )
    # PCP never buys volumes: refused, with the way forward.
    w.step(5, pm, "buy-commercial-volumes")
    follow_on = open_follow_on(
        case, "innovation-partnership", reference="IP-2026-01", at=w.after(1), by=pm
    )
    w.say(
        _FOLLOW_ON,
        day=Short(w.clock.date()),
        procedure=follow_on.procedure.title,
        ref=Plain(follow_on.reference),
    )
    return w.end()


def triple_diamond(lang: str | None, out: Callable[[str], None]) -> Case:
    """Walk a #StimuLab project from proposal through the three diamonds; return the case."""
    case = open_case(
        "triple-diamond",
        reference="StimuLab-2018-07",
        authority="Eksempel kommune",
        title=_case_title(
            lang,
            "One front door for families with children with special needs",
            "Én inngang for familier med barn med særskilte behov",
            "Éin inngang for familiar med born med særskilde behov",
        ),
    )
    w = _Walk(case, lang, out, datetime(2018, 3, 5, 10, 0, tzinfo=OSLO))
    lead = "Project owner"
    difi = "#StimuLab"
    w.step(0, lead, "submit-proposal", round="2018-1")
    w.fact(
        20,
        difi,
        "prequalification-assessment",
        user_need=True,
        own_resources=True,
        innovation_potential=True,
        societal_benefit=5,
        gain_potential=4,
        learning_transfer=4,
        complex_collaboration=True,
    )
    # Not anchored with top management yet: refused.
    w.step(1, difi, "prequalify")
    w.fact(
        6,
        "Chief municipal executive",
        "leadership-decision",
        decided_by="Chief municipal executive",
        decision="Decision 2018/31",
    )
    w.step(1, difi, "prequalify")
    w.fact(
        30,
        lead,
        "working-method-commitment",
        open_exploratory=True,
        insight_first=True,
        involve_users=True,
        holistic=True,
        early_prototyping=True,
        visualisation=True,
    )
    w.step(14, "Steering group", "grant", amount=Decimal("1500000"), decided_by="SG 2018-04")
    w.fact(
        7,
        difi,
        "supplier-competence",
        service_design=True,
        benefit_realisation=True,
        change_management=True,
    )
    w.step(
        60,
        lead,
        "sign-contract",
        supplier="Tjenestedesign AS",
        service_owner="Eksempel kommune, oppvekst",
    )
    w.step(30, lead, "converge-diagnosis")
    # Skipping ahead to delivery is not possible.
    w.step(1, lead, "complete")
    w.fact(
        10,
        lead,
        "change-annex",
        anchored=True,
        problem_understanding="Families meet eleven services that do not talk together.",
    )
    w.step(0, lead, "finish-diagnosis")
    w.step(40, lead, "converge-concept")
    w.fact(5, lead, "user-involvement", participants=23, concepts_tested=3)
    w.step(1, lead, "finish-explore-define")
    # Testing shows the diagnosis missed the schools: design work iterates, and it is recorded.
    w.step(20, lead, "revisit-explore-define", reason="Schools were left out of the concepts")
    w.step(15, lead, "converge-concept")
    w.step(1, lead, "finish-explore-define")
    w.step(40, lead, "converge-delivery")
    w.fact(10, lead, "prototype-test", prototype="Shared family plan", tested_with_users=True)
    w.fact(30, lead, "experience-shared", where="Digdir's network for service design")
    w.step(1, lead, "complete")
    return w.end()


DEMOS: dict[str, Callable[[str | None, Callable[[str], None]], Case]] = {
    "innovation-partnership": innovation_partnership,
    "pre-commercial-procurement": pre_commercial_procurement,
    "triple-diamond": triple_diamond,
}


def run_demo(
    procedure: str = "innovation-partnership",
    lang: str | None = None,
    out: Callable[[str], None] = print,
) -> Case:
    """Run the demo of ``procedure`` in ``lang``, writing lines to ``out``; return the case."""
    return DEMOS[procedure](lang, out)
