"""The innovation partnership procedure (Directive 2014/24/EU art. 31; Norway: FOA part III).

Phases as practitioners name them: needs (behovsavklaring) -> market dialogue
(markedsdialog) -> competition (notice, qualification, negotiation, award) -> development in
successive phases with intermediate targets -> purchase without a new tender. A case ends
purchased, terminated (after a phase) or cancelled (before award).

The Norwegian section numbers of the rules are not confirmed in the project's domain notes:
the Norwegian source is cited as "FOA del III" until they are.
"""

from __future__ import annotations

from decimal import Decimal

from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._text import Source, Text
from innoproc.deadlines import NORWAY, describe, period
from innoproc.rules import (
    LEADERSHIP_ANCHORING,
    NEED_DESCRIBED,
    NEED_DESCRIPTION,
    NO_MARKET_SOLUTION,
    found,
    recorded,
)


def _art31(paragraph: str) -> Source:
    return Source("Directive 2014/24/EU", f"art. 31{paragraph}")


#: Minimum time limit for requests to participate, in days (art. 31(1) third subparagraph).
REQUEST_TIME_LIMIT_DAYS = 30
#: Minimum number of candidates where the authority limits the number invited (art. 65(2)).
MINIMUM_CANDIDATES = 3
#: The only award criterion allowed (art. 31(1) last subparagraph, with art. 67).
BEST_PRICE_QUALITY_RATIO = "best-price-quality-ratio"

# -- facts -----------------------------------------------------------------------------------

PROCUREMENT_DOCUMENTS = FactType(
    "procurement-documents",
    Text(en="The procurement documents", nb="Konkurransegrunnlaget"),
    fields=(
        Field("minimum_requirements", "texts", doc="Elements that are minimum requirements."),
        Field("award_criteria", "texts", doc="The award criteria."),
        Field("ipr_arrangements", "boolean", doc="Contract terms include IPR arrangements."),
        Field(
            "rd_capacity_criteria",
            "boolean",
            doc="Selection criteria on R&D capacity and on developing and implementing "
            "innovative solutions.",
        ),
        Field("negotiation_rules", "boolean", doc="How negotiation rounds and selection work."),
        Field("purchase_terms", "boolean", doc="How the purchase of the result will be made."),
        Field(
            "phases",
            "integer",
            doc="Number of development phases, each with intermediate targets and instalments.",
        ),
        Field(
            "termination_foreseen",
            "boolean",
            doc="Whether, and on what conditions, the authority may terminate after a phase.",
        ),
        Field(
            "partner_reduction_foreseen",
            "boolean",
            doc="Whether, and on what conditions, the authority may reduce the partners.",
        ),
        Field("max_rd_value", "amount", doc="Maximum value of the R&D in all phases (NOK)."),
        Field("estimated_purchase_value", "amount", doc="Estimated value of the purchase (NOK)."),
    ),
)

PROPORTIONALITY_ASSESSMENT = FactType(
    "proportionality-assessment",
    Text(en="Assessment of proportionality", nb="Vurdering av forholdsmessighet"),
    fields=(
        Field(
            "proportionate",
            "boolean",
            doc="The purchase value is not disproportionate to the development investment, "
            "and the phases reflect the degree of innovation.",
        ),
        Field("reasoning", "text", doc="Why."),
    ),
)

NEGOTIATION_ROUND = FactType(
    "negotiation-round",
    Text(en="A negotiation round", nb="En forhandlingsrunde"),
    fields=(
        Field("round", "integer"),
        Field("changed_minimum_requirements", "boolean"),
        Field("changed_award_criteria", "boolean"),
        Field("specification_changed", "boolean", required=False),
        Field(
            "all_informed",
            "boolean",
            required=False,
            doc="All remaining tenderers were told in writing of changes and given time.",
        ),
    ),
)

PHASE_EVALUATION = FactType(
    "phase-evaluation",
    Text(en="Evaluation of a development phase", nb="Evaluering av en utviklingsfase"),
    fields=(
        Field("phase", "integer"),
        Field("targets_met", "boolean", doc="The intermediate targets of the phase were met."),
        Field("instalment", "amount", required=False, doc="Instalment paid for the phase."),
        Field("notes", "text", required=False),
    ),
)

# -- derived facts (folds over the history) ------------------------------------------------


def current_phase(ctx: Context) -> int:
    """The development phase the case is in: 1 + the number of 'start-next-phase' steps."""
    return 1 + len(ctx.steps("start-next-phase"))


def current_partners(ctx: Context) -> tuple[str, ...]:
    """The partners after the award and any later reductions."""
    partners: tuple[str, ...] = ()
    for step in ctx.steps():
        if step.event == "award":
            partners = tuple(step.payload["partners"])
        elif step.event == "reduce-partners":
            partners = tuple(step.payload["remaining"])
    return partners


# -- preconditions ---------------------------------------------------------------------------


def _minimum_requirements(ctx: Context) -> Shortfall | bool | None:
    docs = recorded(ctx, PROCUREMENT_DOCUMENTS)
    return docs if isinstance(docs, Shortfall) else bool(docs.get("minimum_requirements"))


# Art. 31(1) second subparagraph: the documents indicate which elements of the description
# define the minimum requirements to be met by all tenders.
MINIMUM_REQUIREMENTS_STATED = Precondition(
    code="minimum-requirements-stated",
    rule=Text(
        en="The documents must state which elements are minimum requirements.",
        nb="Konkurransegrunnlaget må angi hvilke elementer som er minstekrav.",
    ),
    source=_art31("(1)"),
    test=_minimum_requirements,
    reads=(PROCUREMENT_DOCUMENTS,),
)

_DOCUMENT_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("award_criteria", "award criteria", "tildelingskriterier"),
    (
        "ipr_arrangements",
        "IPR arrangements in the contract terms",
        "immaterielle rettigheter i kontraktsvilkårene",
    ),
    (
        "rd_capacity_criteria",
        "selection criteria on R&D capacity",
        "kvalifikasjonskrav om FoU-kapasitet",
    ),
    (
        "negotiation_rules",
        "how negotiation and selection work",
        "hvordan forhandling og utvelgelse skjer",
    ),
    ("purchase_terms", "how the purchase will be made", "hvordan kjøpet skal skje"),
    ("phases", "development phases with intermediate targets", "utviklingsfaser med delmål"),
)


def _documents_complete(ctx: Context) -> Shortfall | None:
    docs = recorded(ctx, PROCUREMENT_DOCUMENTS)
    if isinstance(docs, Shortfall):
        return docs
    lacking = [
        (en, nb)
        for name, en, nb in _DOCUMENT_ELEMENTS
        if not docs.get(name) or (name == "phases" and not isinstance(docs.get(name), int))
    ]
    phases = docs.get("phases")
    if isinstance(phases, int) and phases < 1:
        lacking.append(("at least one development phase", "minst én utviklingsfase"))
    if ctx.fact("need-description") is None:
        lacking.append(
            ("the need and why new solutions are needed", "behovet og hvorfor nye løsninger trengs")
        )
    if lacking:
        return Shortfall(
            "Missing: " + "; ".join(en for en, _ in lacking) + ".",
            "Mangler: " + "; ".join(nb for _, nb in lacking) + ".",
            missing=tuple(en for en, _ in lacking),
        )
    return None


# DFØ guidance on innovation partnership, with art. 31(2) (phases, intermediate targets,
# instalments, termination and reduction conditions) and 31(6) (IPR; R&D capacity criteria).
DOCUMENTS_COMPLETE = Precondition(
    code="documents-complete",
    rule=Text(
        en="The procurement documents must cover the need, contract terms with IPR, "
        "selection criteria on R&D capacity, award criteria, negotiation, the purchase and "
        "the development phases.",
        nb="Konkurransegrunnlaget må dekke behovet, kontraktsvilkår med immaterielle "
        "rettigheter, kvalifikasjonskrav om FoU-kapasitet, tildelingskriterier, forhandling, "
        "kjøpet og utviklingsfasene.",
    ),
    source=Source(
        "Directive 2014/24/EU art. 31(2) and (6); DFØ guidance (anskaffelser.no)",
        "",
    ),
    test=_documents_complete,
    reads=(PROCUREMENT_DOCUMENTS, NEED_DESCRIPTION),
)


def _proportionality(ctx: Context) -> Shortfall | None:
    assessment = recorded(ctx, PROPORTIONALITY_ASSESSMENT)
    if isinstance(assessment, Shortfall):
        return assessment
    if assessment.get("proportionate") is not True:
        return Shortfall(
            "The recorded assessment found the structure or value disproportionate.",
            "Den registrerte vurderingen fant strukturen eller verdien uforholdsmessig.",
        )
    return None


# Art. 31(7): the structure, duration and value of the phases reflect the degree of
# innovation, and the estimated value of the purchase is not disproportionate to the
# investment required for development.
PROPORTIONALITY = Precondition(
    code="proportionality",
    rule=Text(
        en="The value of the purchase must not be disproportionate to the development "
        "investment, and the phases must reflect the degree of innovation.",
        nb="Verdien av kjøpet må ikke være uforholdsmessig i forhold til "
        "utviklingsinvesteringen, og fasene må gjenspeile graden av innovasjon.",
    ),
    source=_art31("(7)"),
    test=_proportionality,
    reads=(PROPORTIONALITY_ASSESSMENT,),
)


def _request_time_limit(ctx: Context) -> Shortfall | None:
    sent = ctx.payload["notice_sent"]
    deadline = ctx.payload["request_deadline"]
    minimum = period(sent, REQUEST_TIME_LIMIT_DAYS, "days", calendar=NORWAY)
    if deadline < minimum.end:
        moved_en = moved_nb = ""
        if minimum.extended:
            moved_en = (
                f" (day {REQUEST_TIME_LIMIT_DAYS} is {minimum.nominal_last_day.isoformat()}, "
                "a Saturday, Sunday or public holiday, so the period runs to the next working day)"
            )
            moved_nb = (
                f" (dag {REQUEST_TIME_LIMIT_DAYS} er {minimum.nominal_last_day.isoformat()}, "
                "en lørdag, søndag eller helligdag, så fristen løper til neste virkedag)"
            )
        return Shortfall(
            f"The notice is sent {describe(sent)}, so the earliest allowed time limit is the "
            f"end of {minimum.last_day.isoformat()}{moved_en}; the time limit given is "
            f"{describe(deadline)}.",
            f"Kunngjøringen sendes {describe(sent)}, så tidligste tillatte frist er slutten av "
            f"{minimum.last_day.isoformat()}{moved_nb}; oppgitt frist er {describe(deadline)}.",
            earliest=minimum.end,
            given=deadline,
        )
    return None


# Art. 31(1) third subparagraph: the minimum time limit for receipt of requests to
# participate is 30 days from the date the contract notice is sent. Computed under
# Regulation (EEC, Euratom) No 1182/71 (FOA § 7-6; Directive 2014/24/EU recital 106): the
# period starts the day after the notice is sent, ends at the end of its 30th day, and moves
# to the next working day in Norway when that day is a Saturday, Sunday or public holiday.
REQUEST_TIME_LIMIT = Precondition(
    code="request-time-limit",
    rule=Text(
        en=f"The time limit for requests to participate must be at least "
        f"{REQUEST_TIME_LIMIT_DAYS} days from the date the contract notice is sent, counted "
        "under Regulation 1182/71.",
        nb=f"Fristen for forespørsel om å delta må være minst {REQUEST_TIME_LIMIT_DAYS} "
        "dager fra datoen kunngjøringen sendes, regnet etter forskrift om tidsfrister.",
    ),
    source=Source("Directive 2014/24/EU art. 31(1); Regulation 1182/71 art. 3; FOA", "§ 7-6"),
    test=_request_time_limit,
    uses=("notice_sent", "request_deadline"),
)


def _request_period_ended(ctx: Context) -> Shortfall | None:
    published = ctx.steps("publish-notice")
    if not published:  # pragma: no cover - the state machine requires the notice first
        return Shortfall("The notice has not been published.", "Kunngjøringen er ikke publisert.")
    deadline = published[-1].payload["request_deadline"]
    if ctx.at < deadline:
        return Shortfall(
            f"The time limit is {deadline.isoformat()}; it is now {ctx.at.isoformat()}.",
            f"Fristen er {deadline.isoformat()}; nå er det {ctx.at.isoformat()}.",
            deadline=deadline,
        )
    return None


# Art. 31(1): requests to participate may be submitted until the time limit; candidates are
# selected only after it has passed, so no operator is cut off early.
REQUEST_PERIOD_ENDED = Precondition(
    code="request-period-ended",
    rule=Text(
        en="Candidates may be invited only after the time limit for requests to participate.",
        nb="Kandidater kan først inviteres etter fristen for forespørsel om å delta.",
    ),
    source=_art31("(1)"),
    test=_request_period_ended,
)


def _minimum_candidates(ctx: Context) -> Shortfall | None:
    qualified = ctx.payload["qualified"]
    invited = ctx.payload["invited"]
    if invited < 1:
        return Shortfall("No candidate is invited.", "Ingen kandidat er invitert.", invited=invited)
    if invited > qualified:
        return Shortfall(
            f"{invited} invited but only {qualified} qualified.",
            f"{invited} invitert, men bare {qualified} kvalifisert.",
            invited=invited,
            qualified=qualified,
        )
    if invited < qualified and invited < MINIMUM_CANDIDATES:
        return Shortfall(
            f"The number is limited to {invited} of {qualified} qualified candidates.",
            f"Antallet er begrenset til {invited} av {qualified} kvalifiserte kandidater.",
            invited=invited,
            qualified=qualified,
            minimum=MINIMUM_CANDIDATES,
        )
    return None


# Art. 65(2) (applied to innovation partnerships by art. 31(1) and 65(1)): where the number
# of candidates is limited, the minimum is three, and in any event enough for genuine
# competition. Where fewer qualify, all who qualify may be invited.
MINIMUM_CANDIDATES_RULE = Precondition(
    code="minimum-candidates",
    rule=Text(
        en=f"When the number of candidates is limited, at least {MINIMUM_CANDIDATES} must be "
        "invited, and never more than qualified.",
        nb=f"Når antallet kandidater begrenses, må minst {MINIMUM_CANDIDATES} inviteres, og "
        "aldri flere enn som er kvalifisert.",
    ),
    source=Source("Directive 2014/24/EU", "art. 65(2)"),
    test=_minimum_candidates,
    uses=("qualified", "invited"),
)


def _negotiation_scope(ctx: Context) -> Shortfall | None:
    rounds = ctx.facts("negotiation-round")
    called = ctx.steps("call-final-tenders")
    problems: list[tuple[str, str]] = []
    if not rounds:
        problems.append(
            ("no negotiation round is recorded", "ingen forhandlingsrunde er registrert")
        )
    for r in rounds:
        n = r.get("round")
        if r.get("changed_minimum_requirements"):
            problems.append(
                (f"round {n} changed the minimum requirements", f"runde {n} endret minstekravene")
            )
        if r.get("changed_award_criteria"):
            problems.append(
                (f"round {n} changed the award criteria", f"runde {n} endret tildelingskriteriene")
            )
        if r.get("specification_changed") and r.get("all_informed") is not True:
            problems.append(
                (
                    f"round {n} changed the specifications without informing all tenderers",
                    f"runde {n} endret spesifikasjonene uten å informere alle tilbyderne",
                )
            )
        if called and r.seq > called[-1].seq:
            problems.append(
                (
                    f"round {n} negotiated the final tenders",
                    f"runde {n} forhandlet om endelige tilbud",
                )
            )
    return found(problems)


# Art. 31(3): initial and subsequent tenders are negotiated, except the final tender;
# minimum requirements and award criteria are not negotiated. Art. 31(4): equal treatment;
# all tenderers are informed in writing of changes to the technical specifications and given
# time to modify their tenders.
NEGOTIATION_SCOPE = Precondition(
    code="negotiation-scope",
    rule=Text(
        en="Initial and later tenders must be negotiated but not the final tender; minimum "
        "requirements and award criteria may not be negotiated; every tenderer must be "
        "told of changes.",
        nb="Første og senere tilbud skal forhandles, men ikke det endelige tilbudet; "
        "minstekrav og tildelingskriterier kan ikke forhandles; alle tilbydere skal "
        "informeres om endringer.",
    ),
    source=Source("Directive 2014/24/EU", "art. 31(3) and (4)"),
    test=_negotiation_scope,
    reads=(NEGOTIATION_ROUND,),
)


def _award_basis(ctx: Context) -> Shortfall | None:
    basis = ctx.payload["award_basis"]
    if basis != BEST_PRICE_QUALITY_RATIO:
        return Shortfall(
            f"The award basis given is {basis!r}.",
            f"Oppgitt tildelingsgrunnlag er {basis!r}.",
            award_basis=basis,
        )
    return None


# Art. 31(1) last subparagraph: contracts are awarded on the sole basis of the best
# price-quality ratio in accordance with art. 67.
AWARD_BASIS = Precondition(
    code="award-basis",
    rule=Text(
        en=f"The award must be made on the best price-quality ratio only "
        f"('{BEST_PRICE_QUALITY_RATIO}').",
        nb=f"Tildeling skal skje bare på grunnlag av beste forhold mellom pris og kvalitet "
        f"('{BEST_PRICE_QUALITY_RATIO}').",
    ),
    source=Source("Directive 2014/24/EU", "art. 31(1) and art. 67"),
    test=_award_basis,
    uses=("award_basis",),
)


def _partners(ctx: Context) -> Shortfall | None:
    partners = ctx.payload["partners"]
    if not partners:
        return Shortfall("No partner is named.", "Ingen partner er oppgitt.")
    if len(set(partners)) != len(partners):
        return Shortfall("A partner is named twice.", "En partner er oppgitt to ganger.")
    if len(partners) > 1 and ctx.payload.get("separate_rd") is not True:
        return Shortfall(
            f"{len(partners)} partners are named but separate R&D activities are not "
            "confirmed (field 'separate_rd').",
            f"{len(partners)} partnere er oppgitt, men separate FoU-aktiviteter er ikke "
            "bekreftet (feltet 'separate_rd').",
        )
    return None


# Art. 31(1) last subparagraph: the partnership may be set up with one partner or with
# several partners conducting separate research and development activities.
PARTNERS = Precondition(
    code="partners",
    rule=Text(
        en="The partnership must have one partner, or several conducting separate R&D activities.",
        nb="Partnerskapet må ha én partner, eller flere som utfører separate FoU-aktiviteter.",
    ),
    source=_art31("(1)"),
    test=_partners,
    uses=("partners",),
)


def _phase_evaluation(ctx: Context) -> Shortfall | None:
    phase = current_phase(ctx)
    for record in reversed(ctx.facts("phase-evaluation")):
        if record.get("phase") == phase:
            return None
    return Shortfall(
        f"Phase {phase} has not been evaluated (fact 'phase-evaluation' with phase={phase}).",
        f"Fase {phase} er ikke evaluert (faktum 'phase-evaluation' med phase={phase}).",
        phase=phase,
    )


def _latest_evaluation(ctx: Context) -> tuple[int, bool | None]:
    phase = current_phase(ctx)
    for record in reversed(ctx.facts("phase-evaluation")):
        if record.get("phase") == phase:
            return phase, record.get("targets_met") is True
    return phase, None


# Art. 31(2): the partnership is structured in successive phases; at the end of each phase
# the authority assesses the intermediate targets and decides, on that basis, what follows.
PHASE_EVALUATED = Precondition(
    code="phase-evaluated",
    rule=Text(
        en="The current development phase must have been evaluated against its "
        "intermediate targets.",
        nb="Gjeldende utviklingsfase må være evaluert mot sine delmål.",
    ),
    source=_art31("(2)"),
    test=_phase_evaluation,
    reads=(PHASE_EVALUATION,),
)


def _phase_targets_met(ctx: Context) -> Shortfall | None:
    phase, met = _latest_evaluation(ctx)
    if met is None:
        return Shortfall(
            f"Phase {phase} has not been evaluated.", f"Fase {phase} er ikke evaluert.", phase=phase
        )
    if not met:
        return Shortfall(
            f"The evaluation of phase {phase} found the targets not met.",
            f"Evalueringen av fase {phase} fant at delmålene ikke er nådd.",
            phase=phase,
        )
    return None


PHASE_TARGETS_MET = Precondition(
    code="phase-targets-met",
    rule=Text(
        en="The intermediate targets of the current phase must have been met.",
        nb="Delmålene for gjeldende fase må være nådd.",
    ),
    source=_art31("(2)"),
    test=_phase_targets_met,
    reads=(PHASE_EVALUATION,),
)


def _phases_remaining(ctx: Context) -> Shortfall | None:
    docs = ctx.fact("procurement-documents")
    planned = docs.get("phases") if docs is not None else None
    phase = current_phase(ctx)
    if not isinstance(planned, int) or phase >= planned:
        return Shortfall(
            f"Phase {phase} is the last of the {planned} phases in the documents.",
            f"Fase {phase} er den siste av {planned} faser i konkurransegrunnlaget.",
            phase=phase,
            planned=planned,
        )
    return None


# Art. 31(2): the phases follow the sequence of steps in the research and innovation process
# set out in the documents; a further phase exists only if the documents provided for it.
PHASES_REMAINING = Precondition(
    code="phases-remaining",
    rule=Text(
        en="A next phase may start only if the documents provide for it.",
        nb="En ny fase kan bare starte hvis konkurransegrunnlaget åpner for den.",
    ),
    source=_art31("(2)"),
    test=_phases_remaining,
    reads=(PROCUREMENT_DOCUMENTS,),
)


def _foreseen(code: str, field: str, en: str, nb: str) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        docs = ctx.fact("procurement-documents")
        if docs is None or docs.get(field) is not True:
            return Shortfall(
                "The procurement documents did not provide for it.",
                "Konkurransegrunnlaget åpnet ikke for det.",
            )
        return None

    return Precondition(
        code=code,
        rule=Text(en=en, nb=nb),
        source=_art31("(2)"),
        test=test,
        reads=(PROCUREMENT_DOCUMENTS,),
    )


# Art. 31(2) second subparagraph: after each phase the authority may terminate the
# partnership or, with several partners, reduce their number by terminating individual
# contracts, provided the documents indicated these possibilities and their conditions.
TERMINATION_FORESEEN = _foreseen(
    "termination-foreseen",
    "termination_foreseen",
    "The partnership may be terminated after a phase only if the documents provided for it.",
    "Partnerskapet kan bare avsluttes etter en fase hvis konkurransegrunnlaget åpnet for det.",
)
REDUCTION_FORESEEN = _foreseen(
    "reduction-foreseen",
    "partner_reduction_foreseen",
    "The number of partners may be reduced only if the documents provided for it.",
    "Antall partnere kan bare reduseres hvis konkurransegrunnlaget åpnet for det.",
)


def _remaining_partners(ctx: Context) -> Shortfall | None:
    current = current_partners(ctx)
    remaining = ctx.payload["remaining"]
    strangers = [p for p in remaining if p not in current]
    if strangers or not remaining or len(set(remaining)) >= len(current):
        return Shortfall(
            f"The partners are {', '.join(current)}; the remaining ones must be fewer, at "
            f"least one, and among them (given: {', '.join(remaining) or 'none'}).",
            f"Partnerne er {', '.join(current)}; de gjenværende må være færre, minst én, og "
            f"blant dem (oppgitt: {', '.join(remaining) or 'ingen'}).",
            current=current,
            remaining=tuple(remaining),
        )
    return None


PARTNERS_REDUCED = Precondition(
    code="partners-reduced",
    rule=Text(
        en="A reduction must keep at least one of the current partners and drop at least one.",
        nb="En reduksjon må beholde minst én av de nåværende partnerne og fjerne minst én.",
    ),
    source=_art31("(2)"),
    test=_remaining_partners,
    uses=("remaining",),
)


def _development_completed(ctx: Context) -> Shortfall | None:
    docs = ctx.fact("procurement-documents")
    planned = docs.get("phases") if docs is not None else None
    phase, met = _latest_evaluation(ctx)
    if not isinstance(planned, int) or phase < planned or met is not True:
        return Shortfall(
            f"The case is in phase {phase} of {planned}; the last phase must be evaluated "
            "with its targets met.",
            f"Saken er i fase {phase} av {planned}; siste fase må være evaluert med delmålene "
            "nådd.",
            phase=phase,
            planned=planned,
        )
    return None


DEVELOPMENT_COMPLETED = Precondition(
    code="development-completed",
    rule=Text(
        en="The purchase may be made only after the last development phase has met its targets.",
        nb="Kjøpet kan først gjøres når siste utviklingsfase har nådd sine delmål.",
    ),
    source=_art31("(2)"),
    test=_development_completed,
    reads=(PROCUREMENT_DOCUMENTS, PHASE_EVALUATION),
)


def _purchase_conditions(ctx: Context) -> Shortfall | None:
    awards = ctx.steps("award")
    maximum: Decimal | None = awards[-1].payload.get("maximum_cost") if awards else None
    price: Decimal = ctx.payload["price"]
    problems: list[tuple[str, str]] = []
    if ctx.payload["performance_levels_met"] is not True:
        problems.append(
            (
                "the result does not meet the agreed performance levels",
                "resultatet oppfyller ikke de avtalte ytelsesnivåene",
            )
        )
    if maximum is None or price > maximum:
        problems.append(
            (
                f"the price {price} exceeds the agreed maximum cost {maximum}",
                f"prisen {price} overstiger avtalt maksimal kostnad {maximum}",
            )
        )
    return found(problems, listed=False, price=price, maximum_cost=maximum)


# Art. 31(2) first subparagraph: the authority may acquire the resulting supplies, services
# or works provided they correspond to the performance levels and maximum costs agreed; it
# then buys without a new competition (art. 31(1) and (2)).
PURCHASE_CONDITIONS = Precondition(
    code="purchase-conditions",
    rule=Text(
        en="The result may be bought only if it meets the agreed performance levels and "
        "maximum cost.",
        nb="Resultatet kan bare kjøpes hvis det oppfyller avtalte ytelsesnivåer og maksimal "
        "kostnad.",
    ),
    source=_art31("(2)"),
    test=_purchase_conditions,
    uses=("price", "performance_levels_met"),
)

# -- the procedure ---------------------------------------------------------------------------

_BEFORE_AWARD = ("needs", "market-dialogue", "tendering", "negotiation", "final-tenders")

INNOVATION_PARTNERSHIP = Procedure(
    "innovation-partnership",
    title=Text(en="Innovation partnership", nb="Innovasjonspartnerskap"),
    source=Source("Directive 2014/24/EU art. 31; FOA", "del III", verified=True),
    description=(
        "Develop an innovative product, service or works with one or more partners in "
        "successive phases, then buy the result without a new competition."
    ),
    states=(
        State("needs", Text(en="Needs", nb="Behovsavklaring"), initial=True),
        State("market-dialogue", Text(en="Market dialogue", nb="Markedsdialog")),
        State("tendering", Text(en="Requests to participate", nb="Forespørsler om å delta")),
        State("negotiation", Text(en="Negotiation", nb="Forhandling")),
        State("final-tenders", Text(en="Final tenders", nb="Endelige tilbud")),
        State("development", Text(en="Development", nb="Utvikling")),
        State("purchased", Text(en="Purchased", nb="Kjøpt"), final=True),
        State("terminated", Text(en="Terminated", nb="Avsluttet"), final=True),
        State("cancelled", Text(en="Cancelled", nb="Avlyst"), final=True),
    ),
    events=(
        Event(
            "start-market-dialogue",
            Text(en="Start the market dialogue", nb="Start markedsdialogen"),
            source="needs",
            dest="market-dialogue",
            requires=(NEED_DESCRIBED,),
        ),
        Event(
            "publish-notice",
            Text(en="Publish the contract notice", nb="Kunngjør konkurransen"),
            source="market-dialogue",
            dest="tendering",
            requires=(
                LEADERSHIP_ANCHORING,
                NEED_DESCRIBED,
                NO_MARKET_SOLUTION,
                MINIMUM_REQUIREMENTS_STATED,
                DOCUMENTS_COMPLETE,
                PROPORTIONALITY,
                REQUEST_TIME_LIMIT,
            ),
            fields=(
                Field("notice_sent", "datetime", doc="When the contract notice is sent."),
                Field("request_deadline", "datetime", doc="Time limit for requests."),
            ),
        ),
        Event(
            "invite-candidates",
            Text(en="Invite selected candidates to tender", nb="Inviter utvalgte kandidater"),
            source="tendering",
            dest="negotiation",
            requires=(REQUEST_PERIOD_ENDED, MINIMUM_CANDIDATES_RULE),
            fields=(
                Field("qualified", "integer", doc="Candidates meeting the selection criteria."),
                Field("invited", "integer", doc="Candidates invited to submit tenders."),
                Field("candidates", "texts", required=False, doc="Names of those invited."),
            ),
        ),
        Event(
            "call-final-tenders",
            Text(en="Call for final tenders", nb="Be om endelige tilbud"),
            source="negotiation",
            dest="final-tenders",
            requires=(NEGOTIATION_SCOPE,),
        ),
        Event(
            "award",
            Text(en="Award and establish the partnership", nb="Tildel og etabler partnerskapet"),
            source="final-tenders",
            dest="development",
            requires=(NEGOTIATION_SCOPE, AWARD_BASIS, PARTNERS),
            fields=(
                Field("partners", "texts", doc="The partner or partners."),
                Field("award_basis", "text", doc="Must be 'best-price-quality-ratio'."),
                Field(
                    "separate_rd", "boolean", required=False, doc="Several partners: separate R&D."
                ),
                Field("performance_levels", "texts", doc="Agreed performance levels."),
                Field("maximum_cost", "amount", doc="Agreed maximum cost of the purchase."),
            ),
        ),
        Event(
            "start-next-phase",
            Text(en="Start the next development phase", nb="Start neste utviklingsfase"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, PHASE_TARGETS_MET, PHASES_REMAINING),
            fields=(Field("instalment", "amount", required=False),),
        ),
        Event(
            "reduce-partners",
            Text(en="Reduce the number of partners", nb="Reduser antall partnere"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, REDUCTION_FORESEEN, PARTNERS_REDUCED),
            fields=(Field("remaining", "texts", doc="The partners who continue."),),
        ),
        Event(
            "terminate",
            Text(en="Terminate the partnership after a phase", nb="Avslutt partnerskapet"),
            source="development",
            dest="terminated",
            requires=(PHASE_EVALUATED, TERMINATION_FORESEEN),
            fields=(Field("reason", "text"),),
        ),
        Event(
            "purchase",
            Text(en="Buy the result", nb="Kjøp resultatet"),
            source="development",
            dest="purchased",
            requires=(DEVELOPMENT_COMPLETED, PURCHASE_CONDITIONS),
            fields=(
                Field("price", "amount", doc="The price of the purchase."),
                Field("performance_levels_met", "boolean", doc="The result meets the levels."),
            ),
        ),
        Event(
            "cancel",
            Text(en="Cancel the procedure before award", nb="Avlys konkurransen"),
            source=_BEFORE_AWARD,
            dest="cancelled",
            fields=(Field("reason", "text"),),
        ),
    ),
    facts=(PROCUREMENT_DOCUMENTS, PROPORTIONALITY_ASSESSMENT, NEGOTIATION_ROUND, PHASE_EVALUATION),
)
