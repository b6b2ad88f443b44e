"""The innovation partnership procedure (Directive 2014/24/EU art. 31; Norway: forskrift om
offentlige anskaffelser, part III, § 13-1).

Phases as practitioners name them: needs (behovsavklaring) -> market dialogue
(markedsdialog) -> competition (notice, qualification, negotiation, award) -> development in
successive phases with intermediate targets -> purchase without a new tender. A case ends
purchased, terminated (after a phase) or cancelled (before award).

Two versions are kept. Version 1 (released 25 November 2026) is frozen: its cases are judged
by it forever. Version 2 (27 November 2026) carries the legal review's corrections (DOMAIN
§6, facts V1-V16): the EEA threshold decides whether the 30-day request time limit applies,
the market dialogue is recommended rather than compulsory, candidate limits and staged
reduction of tenders must be announced, the documents must state the estimated value,
instalments and the conditions for termination and reduction, the notice says whether there
will be one or several partners, and FOA § 7-9 applies to notices from 1 January 2024.

The Norwegian sections carrying art. 31(2)-(7) could not be confirmed (DOMAIN V1): the
directive's article is cited, with the regulation's part III.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from innoproc._engine.assessment import Advice, Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._errors import UnknownThreshold
from innoproc._sources import (
    DIRECTIVE_2014_24,
    FOA,
    MINISTRY_TIME_LIMITS,
)
from innoproc._text import Source, Text
from innoproc._time import OSLO
from innoproc.deadlines import NORWAY, describe, period
from innoproc.rules import (
    LEADERSHIP_ANCHORING,
    MARKET_DIALOGUE_HELD,
    NEED_DESCRIBED,
    NEED_DESCRIPTION,
    NO_MARKET_SOLUTION,
    NO_MARKET_SOLUTION_EVIDENCED,
    found,
    recorded,
)
from innoproc.thresholds import AUTHORITY_KINDS, CONTRACT_KINDS, eea_threshold


def _art31(paragraph: str) -> Source:
    return DIRECTIVE_2014_24.at(f"art. 31{paragraph}")


#: Minimum time limit for requests to participate, in days (art. 31(1) fourth subparagraph;
#: no reduction exists for the innovation partnership, DOMAIN V3).
REQUEST_TIME_LIMIT_DAYS = 30
#: Minimum number of candidates where the authority limits the number invited (art. 65(2)).
MINIMUM_CANDIDATES = 3
#: The only award criterion allowed (art. 31(1) fourth subparagraph, with art. 67).
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
    return 1 + ctx.count("start-next-phase")


def current_partners(ctx: Context) -> tuple[str, ...]:
    """The partners after the award and any later reductions."""
    step = ctx.last_step("award", "reduce-partners")
    if step is None:
        return ()
    return tuple(step.payload["partners" if step.event == "award" else "remaining"])


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
    source=_art31("(1) second subparagraph"),
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
    source=_art31("(2) and (6)"),
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


# Art. 31(1) fourth subparagraph: the minimum time limit for receipt of requests to
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
    source=_art31(
        "(1) fourth subparagraph; counted under forskrift om tidsfrister i EØS-avtalen "
        "(Regulation 1182/71 art. 3), forskrift om offentlige anskaffelser § 7-6"
    ),
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


# Art. 31(1) first and fourth subparagraphs: requests to participate may be submitted until
# the time limit; candidates are selected only after it has passed, so no operator is cut off
# early.
REQUEST_PERIOD_ENDED = Precondition(
    code="request-period-ended",
    rule=Text(
        en="Candidates may be invited only after the time limit for requests to participate.",
        nb="Kandidater kan først inviteres etter fristen for forespørsel om å delta.",
    ),
    source=_art31("(1) fourth subparagraph"),
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
    source=DIRECTIVE_2014_24.at("art. 65(2)"),
    test=_minimum_candidates,
    uses=("qualified", "invited"),
)


def _negotiation_scope(ctx: Context) -> Shortfall | None:
    rounds = ctx.facts("negotiation-round")
    called = ctx.last_step("call-final-tenders")
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
        if called is not None and r.seq > called.seq:
            problems.append(
                (
                    f"round {n} negotiated the final tenders",
                    f"runde {n} forhandlet om endelige tilbud",
                )
            )
    shortfall = found(problems)
    if shortfall is not None and any(
        r.get("changed_minimum_requirements") or r.get("changed_award_criteria") for r in rounds
    ):
        # What the authority can do: the criteria cannot be changed by negotiation, so the
        # competition must be cancelled (with a good reason) and announced again.
        shortfall = Shortfall(
            f"{shortfall.en} {_REANNOUNCE[0]}",
            f"{shortfall.nb} {_REANNOUNCE[1]}",
            **shortfall.details,
        )
    return shortfall


_REANNOUNCE = (
    "The authority can cancel the competition and announce it again with the changed "
    "minimum requirements or award criteria.",
    "Oppdragsgiveren kan avlyse konkurransen og kunngjøre den på nytt med de endrede "
    "minstekravene eller tildelingskriteriene.",
)


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
    source=_art31("(3) and (4)"),
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


# Art. 31(1) fourth subparagraph: contracts are awarded on the sole basis of the best
# price-quality ratio in accordance with art. 67.
AWARD_BASIS = Precondition(
    code="award-basis",
    rule=Text(
        en=f"The award must be made on the best price-quality ratio only "
        f"('{BEST_PRICE_QUALITY_RATIO}').",
        nb=f"Tildeling skal skje bare på grunnlag av beste forhold mellom pris og kvalitet "
        f"('{BEST_PRICE_QUALITY_RATIO}').",
    ),
    source=_art31("(1) fourth subparagraph, with art. 67"),
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


# Art. 31(1) third subparagraph: the partnership may be set up with one partner or with
# several partners conducting separate research and development activities.
PARTNERS = Precondition(
    code="partners",
    rule=Text(
        en="The partnership must have one partner, or several conducting separate R&D activities.",
        nb="Partnerskapet må ha én partner, eller flere som utfører separate FoU-aktiviteter.",
    ),
    source=_art31("(1) third subparagraph"),
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

# -- version 2: the legal review's corrections -------------------------------------------------
#
# Rules of version 1 stay as they are (its cases are judged by them); version 2 uses the rules
# below where the review found version 1 wrong or stricter than the law, and the unchanged
# rules of version 1 everywhere else.

_DOCUMENTS_V2_FIELDS = (
    *(
        f
        for f in PROCUREMENT_DOCUMENTS.fields
        if f.name not in ("termination_foreseen", "partner_reduction_foreseen")
    ),
    Field(
        "instalments",
        "boolean",
        doc="The remuneration is paid in instalments, phase by phase (art. 31(2)).",
    ),
    Field(
        "termination_foreseen",
        "boolean",
        doc="The authority may terminate the partnership after a phase.",
    ),
    Field(
        "termination_conditions",
        "text",
        required=False,
        doc="The conditions on which the authority may terminate after a phase.",
    ),
    Field(
        "partner_reduction_foreseen",
        "boolean",
        doc="The authority may reduce the number of partners after a phase.",
    ),
    Field(
        "reduction_conditions",
        "text",
        required=False,
        doc="The conditions on which the authority may reduce the number of partners.",
    ),
    Field(
        "authority_kind",
        "text",
        choices=AUTHORITY_KINDS,
        doc="The kind of contracting authority, for the EEA threshold: central-government "
        "or sub-central.",
    ),
    Field(
        "contract_kind",
        "text",
        choices=CONTRACT_KINDS,
        doc="The kind of contract, for the EEA threshold: supplies, services or works.",
    ),
    Field(
        "environment_weight",
        "integer",
        required=False,
        doc="How much climate and environmental considerations weigh among the award "
        "criteria, in per cent (FOA § 7-9).",
    ),
    Field(
        "environment_in_requirements",
        "boolean",
        required=False,
        doc="Climate and environmental requirements in the specification replace the award "
        "criterion, as justified in the documents (FOA § 7-9 fourth paragraph).",
    ),
    Field(
        "environment_insignificant",
        "boolean",
        required=False,
        doc="The procurement's climate footprint and environmental impact are insignificant, "
        "as justified in the documents (FOA § 7-9 fifth paragraph).",
    ),
)

PROCUREMENT_DOCUMENTS_V2 = FactType(
    "procurement-documents",
    PROCUREMENT_DOCUMENTS.title,
    fields=_DOCUMENTS_V2_FIELDS,
    doc="The procurement documents, with what version 2 of the procedure asks of them.",
)

NEGOTIATION_ROUND_V2 = FactType(
    "negotiation-round",
    NEGOTIATION_ROUND.title,
    fields=(
        *NEGOTIATION_ROUND.fields,
        Field("tenders_before", "integer", required=False, doc="Tenders in this round."),
        Field(
            "tenders_after",
            "integer",
            required=False,
            doc="Tenders going on after the round (fewer when tenders were reduced).",
        ),
        Field(
            "reduced_by_award_criteria",
            "boolean",
            required=False,
            doc="A reduction applied the award criteria announced.",
        ),
    ),
)


def _reading(pre: Precondition, *facts: FactType) -> Precondition:
    """The same rule reading version 2's fact types (it reads them by name)."""
    return attrs.evolve(pre, reads=facts)


MINIMUM_REQUIREMENTS_STATED_V2 = _reading(MINIMUM_REQUIREMENTS_STATED, PROCUREMENT_DOCUMENTS_V2)
PHASES_REMAINING_V2 = _reading(PHASES_REMAINING, PROCUREMENT_DOCUMENTS_V2)
DEVELOPMENT_COMPLETED_V2 = _reading(
    DEVELOPMENT_COMPLETED, PROCUREMENT_DOCUMENTS_V2, PHASE_EVALUATION
)
NEGOTIATION_SCOPE_V2 = _reading(NEGOTIATION_SCOPE, NEGOTIATION_ROUND_V2)

_DOCUMENT_ELEMENTS_V2: tuple[tuple[str, str, str], ...] = (
    *_DOCUMENT_ELEMENTS,
    (
        "instalments",
        "remuneration in instalments, phase by phase",
        "vederlag i avdrag, fase for fase",
    ),
)


def _documents_complete_v2(ctx: Context) -> Shortfall | None:
    docs = recorded(ctx, PROCUREMENT_DOCUMENTS_V2)
    if isinstance(docs, Shortfall):
        return docs
    lacking = [
        (en, nb)
        for name, en, nb in _DOCUMENT_ELEMENTS_V2
        if not docs.get(name) or (name == "phases" and not isinstance(docs.get(name), int))
    ]
    phases = docs.get("phases")
    if isinstance(phases, int) and phases < 1:
        lacking.append(("at least one development phase", "minst én utviklingsfase"))
    rd, purchase = docs.get("max_rd_value"), docs.get("estimated_purchase_value")
    if not isinstance(rd, Decimal) or not isinstance(purchase, Decimal) or rd <= 0 or purchase <= 0:
        lacking.append(
            (
                "the estimated value: the maximum value of the R&D in all phases and the "
                "estimated value of the purchase, both above zero",
                "anslått verdi: maksimal verdi av forskning og utvikling i alle faser og anslått "
                "verdi av kjøpet, begge over null",
            )
        )
    for flag, text, en, nb in (
        (
            "termination_foreseen",
            "termination_conditions",
            "the conditions for terminating the partnership after a phase",
            "vilkårene for å avslutte partnerskapet etter en fase",
        ),
        (
            "partner_reduction_foreseen",
            "reduction_conditions",
            "the conditions for reducing the number of partners",
            "vilkårene for å redusere antall partnere",
        ),
    ):
        conditions = docs.get(text)
        if docs.get(flag) is True and not (isinstance(conditions, str) and conditions.strip()):
            lacking.append((en, nb))
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


# Art. 31(1) second subparagraph (the need), 31(2) (phases, intermediate targets, instalments;
# termination and reduction only where the documents state the possibility AND its conditions,
# DOMAIN V8), 31(6) (R&D capacity criteria; IPR arrangements), art. 5 with FOA § 5-4 (the
# estimated value is the maximum R&D value of all phases plus the estimated purchase value,
# DOMAIN V9); DFØ's guidance lists the same contents of the documents.
DOCUMENTS_COMPLETE_V2 = Precondition(
    code="documents-complete",
    rule=Text(
        en="The procurement documents must cover the need, contract terms with IPR, "
        "selection criteria on R&D capacity, award criteria, negotiation, the purchase, the "
        "development phases with instalments, the estimated value, and the conditions for "
        "any termination or reduction of partners.",
        nb="Anskaffelsesdokumentene må dekke behovet, kontraktsvilkår med immaterielle "
        "rettigheter, kvalifikasjonskrav om forskning og utvikling, tildelingskriterier, "
        "forhandlingene, kjøpet, utviklingsfasene med avdrag, anslått verdi og vilkårene for "
        "en eventuell avslutning eller reduksjon av antall partnere.",
    ),
    source=_art31("(1), (2) and (6), with art. 5 and forskrift om offentlige anskaffelser § 5-4"),
    test=_documents_complete_v2,
    reads=(PROCUREMENT_DOCUMENTS_V2, NEED_DESCRIPTION),
)


def estimated_value(ctx: Context) -> Decimal | None:
    """The procurement's estimated value: the maximum R&D value of all phases plus the
    estimated value of the purchase (art. 5; FOA § 5-4), or ``None`` before it is stated."""
    docs = ctx.fact("procurement-documents")
    if docs is None:
        return None
    rd, purchase = docs.get("max_rd_value"), docs.get("estimated_purchase_value")
    if not isinstance(rd, Decimal) or not isinstance(purchase, Decimal):
        return None
    return rd + purchase


def _request_time_limit_v2(ctx: Context) -> Shortfall | None:
    sent = ctx.payload["notice_sent"]
    docs = ctx.fact("procurement-documents")
    value = estimated_value(ctx)
    authority = docs.get("authority_kind") if docs is not None else None
    contract = docs.get("contract_kind") if docs is not None else None
    if value is not None and isinstance(authority, str) and isinstance(contract, str):
        day = sent.astimezone(OSLO).date()
        try:
            threshold = eea_threshold(day, authority=authority, contract=contract)
        except UnknownThreshold:
            threshold = None  # before 2016: judged by the minimum, as above the thresholds
        if threshold is not None and value < threshold.amount:
            unverified = "" if threshold.verified else " (figure not confirmed)"
            return Advice(
                f"The estimated value, NOK {value:,}, is below the EEA threshold of NOK "
                f"{threshold.amount:,} in force on {day.isoformat()}{unverified}: no statutory "
                "minimum time limit applies, but the time limit must fit the contract's "
                "complexity and the time suppliers need to prepare their requests.",
                f"Anslått verdi, NOK {value:,}, er under EØS-terskelverdien på NOK "
                f"{threshold.amount:,} som gjaldt {day.isoformat()}{unverified}: ingen "
                "lovfestet minstefrist gjelder, men fristen må stå i forhold til kontraktens "
                "kompleksitet og tiden leverandørene trenger for å forberede forespørslene.",
                source=MINISTRY_TIME_LIMITS.at("«Frister», del II"),
                value=value,
                threshold=threshold.amount,
            )
    return _request_time_limit(ctx)


# Art. 31(1) fourth subparagraph: at least 30 days from the date the contract notice is sent,
# with no reduction (DOMAIN V3), computed as in version 1. This is a rule of part III of the
# regulation, which applies at or above the EEA threshold in force on the day the notice is
# sent (FOA § 5-3); below it there is no statutory minimum and the time limit must fit the
# contract's complexity (DOMAIN V4): reported as advice, never a refusal.
REQUEST_TIME_LIMIT_V2 = Precondition(
    code="request-time-limit",
    rule=REQUEST_TIME_LIMIT.rule,
    source=REQUEST_TIME_LIMIT.source,
    test=_request_time_limit_v2,
    reads=(PROCUREMENT_DOCUMENTS_V2,),
    uses=("notice_sent", "request_deadline"),
)


def _notice_dates(ctx: Context) -> Shortfall | None:
    sent, deadline = ctx.payload["notice_sent"], ctx.payload["request_deadline"]
    problems: list[tuple[str, str]] = []
    if sent > ctx.at:
        problems.append(
            (
                f"the notice is said to be sent {describe(sent)}, after the step "
                f"({describe(ctx.at)})",
                f"kunngjøringen oppgis sendt {describe(sent)}, etter steget ({describe(ctx.at)})",
            )
        )
    previous = ctx.last_step(*ctx.procedure.events)
    if previous is not None and sent < previous.at:
        problems.append(
            (
                f"the notice is said to be sent {describe(sent)}, before the case reached its "
                f"present stage ({describe(previous.at)})",
                f"kunngjøringen oppgis sendt {describe(sent)}, før saken kom til dette trinnet "
                f"({describe(previous.at)})",
            )
        )
    if deadline <= ctx.at:
        problems.append(
            (
                f"the time limit for requests ({describe(deadline)}) has already passed",
                f"fristen for forespørsler ({describe(deadline)}) har allerede gått ut",
            )
        )
    return found(problems, sent=sent, deadline=deadline)


# Art. 31(1) fourth subparagraph counts the time limit from the day the notice is sent, so the
# date given must be the notice's: not later than the step that publishes it, not before the
# case reached the stage it is published from, and with the time limit still open.
NOTICE_DATES = Precondition(
    code="notice-dates",
    rule=Text(
        en="The notice's dispatch date must agree with the step: sent no later than the step "
        "and no earlier than the case's present stage, with the time limit for requests still "
        "open.",
        nb="Datoen kunngjøringen ble sendt, må stemme med steget: ikke senere enn steget og "
        "ikke før saken kom til dette trinnet, og fristen for forespørsler må fortsatt være "
        "åpen.",
    ),
    source=_art31("(1) fourth subparagraph"),
    test=_notice_dates,
    uses=("notice_sent", "request_deadline"),
)


def _candidate_limit_announced(ctx: Context) -> Shortfall | None:
    low, high = ctx.payload.get("min_candidates"), ctx.payload.get("max_candidates")
    if low is None and high is None:
        return None  # the number of candidates is not limited
    problems: list[tuple[str, str]] = []
    if low is None or low < MINIMUM_CANDIDATES:
        problems.append(
            (
                f"the minimum number of candidates must be stated and at least "
                f"{MINIMUM_CANDIDATES} (given: {low})",
                f"minste antall kandidater må oppgis og være minst {MINIMUM_CANDIDATES} "
                f"(oppgitt: {low})",
            )
        )
    if high is not None and low is not None and high < low:
        problems.append(
            (
                f"the maximum ({high}) is below the minimum ({low})",
                f"maksimum ({high}) er lavere enn minimum ({low})",
            )
        )
    criteria = ctx.payload.get("selection_criteria")
    if not (isinstance(criteria, str) and criteria.strip()):
        problems.append(
            (
                "the objective criteria for choosing among qualified candidates are not stated",
                "de objektive kriteriene for å velge blant kvalifiserte kandidater er ikke oppgitt",
            )
        )
    return found(problems, minimum=low, maximum=high)


# Art. 65(2): where the authority limits the number of candidates it invites, the contract
# notice states the objective and non-discriminatory criteria, the minimum number (at least
# three for the innovation partnership) and, where appropriate, the maximum (DOMAIN V5).
CANDIDATE_LIMIT_ANNOUNCED = Precondition(
    code="candidate-limit-announced",
    rule=Text(
        en=f"A limit on the number of candidates must be announced in the notice, with its "
        f"objective criteria and a minimum of at least {MINIMUM_CANDIDATES} (and any maximum).",
        nb=f"En begrensning av antall kandidater må kunngjøres, med objektive kriterier og et "
        f"minimum på minst {MINIMUM_CANDIDATES} (og eventuelt et maksimum).",
    ),
    source=DIRECTIVE_2014_24.at("art. 65(2)"),
    test=_candidate_limit_announced,
)


def _minimum_candidates_v2(ctx: Context) -> Shortfall | None:
    qualified, invited = ctx.payload["qualified"], ctx.payload["invited"]
    notice = ctx.last_step("publish-notice")
    announced = notice.payload if notice is not None else {}
    low, high = announced.get("min_candidates"), announced.get("max_candidates")
    if invited < 1:
        return Shortfall("No candidate is invited.", "Ingen kandidat er invitert.", invited=invited)
    if invited > qualified:
        return Shortfall(
            f"{invited} invited but only {qualified} qualified: no one else may be added.",
            f"{invited} invitert, men bare {qualified} kvalifisert: ingen andre kan legges til.",
            invited=invited,
            qualified=qualified,
        )
    if invited == qualified:
        return None  # every qualified candidate is invited (also when fewer than the minimum)
    if low is None:
        return Shortfall(
            f"{invited} of {qualified} qualified candidates are invited, but the notice "
            "announced no limit on their number.",
            f"{invited} av {qualified} kvalifiserte kandidater er invitert, men kunngjøringen "
            "varslet ingen begrensning av antallet.",
            invited=invited,
            qualified=qualified,
        )
    if invited < low:
        return Shortfall(
            f"{invited} of {qualified} qualified candidates are invited, fewer than the "
            f"minimum of {low} announced.",
            f"{invited} av {qualified} kvalifiserte kandidater er invitert, færre enn minimum "
            f"på {low} som ble kunngjort.",
            invited=invited,
            qualified=qualified,
            minimum=low,
        )
    if high is not None and invited > high:
        return Shortfall(
            f"{invited} candidates are invited, more than the maximum of {high} announced.",
            f"{invited} kandidater er invitert, flere enn maksimum på {high} som ble kunngjort.",
            invited=invited,
            maximum=high,
        )
    return None


# Art. 65(2), DOMAIN V5: the number may be limited only as announced in the notice (criteria,
# a minimum of at least three, any maximum); where fewer qualify than the minimum, the
# procedure goes on with those who qualify, and no one else may be added.
MINIMUM_CANDIDATES_V2 = Precondition(
    code="minimum-candidates",
    rule=Text(
        en="Candidates may be limited only as the notice announced (never below its minimum of "
        f"at least {MINIMUM_CANDIDATES}, nor above its maximum); where fewer qualify, all "
        "who qualify are invited and no one else.",
        nb="Antall kandidater kan bare begrenses slik kunngjøringen varslet (aldri under "
        f"minimum på minst {MINIMUM_CANDIDATES} eller over maksimum); kvalifiserer færre, "
        "inviteres alle som kvalifiserer og ingen andre.",
    ),
    source=DIRECTIVE_2014_24.at("art. 65(2)"),
    test=_minimum_candidates_v2,
    uses=("qualified", "invited"),
)


def _staged_reduction(ctx: Context) -> Shortfall | None:
    notice = ctx.last_step("publish-notice")
    announced = notice is not None and notice.payload.get("staged_reduction") is True
    problems: list[tuple[str, str]] = []
    remaining: int | None = None
    for r in ctx.facts("negotiation-round"):
        before, after = r.get("tenders_before"), r.get("tenders_after")
        if not isinstance(before, int) or not isinstance(after, int):
            continue
        remaining = after
        if after >= before:
            continue
        n = r.get("round")
        if not announced:
            problems.append(
                (
                    f"round {n} reduced the tenders from {before} to {after}, but the notice did "
                    "not announce reduction in successive stages",
                    f"runde {n} reduserte tilbudene fra {before} til {after}, men kunngjøringen "
                    "varslet ikke reduksjon i flere trinn",
                )
            )
        if r.get("reduced_by_award_criteria") is not True:
            problems.append(
                (
                    f"round {n} reduced the tenders without applying the award criteria",
                    f"runde {n} reduserte tilbudene uten å bruke tildelingskriteriene",
                )
            )
        if after < 2 <= before:
            problems.append(
                (
                    f"round {n} left {after} tender, so the final stage has no competition",
                    f"runde {n} etterlot {after} tilbud, så siste trinn har ingen konkurranse",
                )
            )
    return found(problems, remaining=remaining)


# Art. 31(5): negotiations may take place in successive stages to reduce the number of tenders
# by applying the award criteria, only if the notice (or the invitation or the documents) said
# the option would be used; art. 66: enough tenders must remain in the final stage for genuine
# competition in so far as there are enough (DOMAIN V7). innoproc reads "genuine competition"
# as at least two tenders where at least two were there to reduce from.
STAGED_REDUCTION = Precondition(
    code="staged-reduction",
    rule=Text(
        en="Tenders may be reduced in successive stages only if the notice announced it, by "
        "applying the award criteria, and leaving enough tenders for genuine competition in "
        "the final stage.",
        nb="Antall tilbud kan bare reduseres i flere trinn hvis kunngjøringen varslet det, ved "
        "å bruke tildelingskriteriene, og slik at det er nok tilbud igjen til reell "
        "konkurranse i siste trinn.",
    ),
    source=_art31("(5), with art. 66"),
    test=_staged_reduction,
    reads=(NEGOTIATION_ROUND_V2,),
)

#: The award bases a step may name: the best price-quality ratio, and its form of a fixed
#: price with competition on quality alone (art. 67(2), DOMAIN V6); the others are refused.
AWARD_BASES = (BEST_PRICE_QUALITY_RATIO, "quality-at-fixed-price", "lowest-price", "lowest-cost")
_ALLOWED_BASES = (BEST_PRICE_QUALITY_RATIO, "quality-at-fixed-price")


def _award_basis_v2(ctx: Context) -> Shortfall | None:
    basis = ctx.payload["award_basis"]
    if basis not in _ALLOWED_BASES:
        return Shortfall(
            f"The award basis given is {basis!r}.",
            f"Oppgitt grunnlag for tildeling er {basis!r}.",
            award_basis=basis,
        )
    return None


# Art. 31(1) fourth subparagraph with art. 67: the best price-quality ratio only; a fixed price
# with competition on quality alone is a form of it (art. 67(2) last subparagraph; DOMAIN V6).
AWARD_BASIS_V2 = Precondition(
    code="award-basis",
    rule=Text(
        en="The contract may be awarded only on the best price-quality ratio (which includes "
        "a fixed price with competition on quality alone).",
        nb="Kontrakten kan bare tildeles på grunnlag av beste forhold mellom pris eller "
        "kostnad og kvalitet (som omfatter fast pris med konkurranse bare på kvalitet).",
    ),
    source=_art31("(1) fourth subparagraph, with art. 67(2)"),
    test=_award_basis_v2,
    uses=("award_basis",),
)


def _partners_v2(ctx: Context) -> Shortfall | None:
    problem = _partners(ctx)
    if problem is not None:
        return problem
    notice = ctx.last_step("publish-notice")
    planned = notice.payload.get("partners") if notice is not None else None
    partners = ctx.payload["partners"]
    if planned == "one" and len(partners) != 1:
        return Shortfall(
            f"The notice announced one partner; {len(partners)} are named.",
            f"Kunngjøringen varslet én partner; {len(partners)} er oppgitt.",
            planned=planned,
            named=len(partners),
        )
    return None


# Art. 31(1) third subparagraph: one partner, or several conducting separate R&D activities;
# the notice says which (DOMAIN V7), and the award keeps to it.
PARTNERS_V2 = Precondition(
    code="partners",
    rule=Text(
        en="The partnership must have one partner, or several conducting separate R&D "
        "activities, as the notice announced.",
        nb="Partnerskapet må ha én partner, eller flere som utfører separate FoU-aktiviteter, "
        "slik kunngjøringen varslet.",
    ),
    source=_art31("(1) third subparagraph"),
    test=_partners_v2,
    uses=("partners",),
)


def _foreseen_with_conditions(
    code: str, flag: str, conditions: str, en: str, nb: str
) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        docs = ctx.fact("procurement-documents")
        stated = docs.get(conditions) if docs is not None else None
        if docs is None or docs.get(flag) is not True:
            return Shortfall(
                "The procurement documents did not reserve this right.",
                "Anskaffelsesdokumentene forbeholdt ikke denne retten.",
            )
        if not (isinstance(stated, str) and stated.strip()):
            return Shortfall(
                "The procurement documents reserved the right but did not state its conditions.",
                "Anskaffelsesdokumentene forbeholdt retten, men angav ikke vilkårene for den.",
            )
        return None

    return Precondition(
        code=code,
        rule=Text(en=en, nb=nb),
        source=_art31("(2) third subparagraph"),
        test=test,
        reads=(PROCUREMENT_DOCUMENTS_V2,),
    )


# Art. 31(2) third subparagraph: termination after a phase, or a reduction of the partners,
# only where the documents indicated the possibility AND the conditions for its use (V8).
TERMINATION_FORESEEN_V2 = _foreseen_with_conditions(
    "termination-foreseen",
    "termination_foreseen",
    "termination_conditions",
    "The partnership may be terminated after a phase only if the documents reserved the right "
    "and stated its conditions.",
    "Partnerskapet kan bare avsluttes etter en fase hvis anskaffelsesdokumentene forbeholdt "
    "denne retten og angav vilkårene for den.",
)
REDUCTION_FORESEEN_V2 = _foreseen_with_conditions(
    "reduction-foreseen",
    "partner_reduction_foreseen",
    "reduction_conditions",
    "The number of partners may be reduced only if the documents reserved the right and "
    "stated its conditions.",
    "Antall partnere kan bare reduseres hvis anskaffelsesdokumentene forbeholdt denne retten "
    "og angav vilkårene for den.",
)

#: The day FOA § 7-9 (climate and environmental considerations weighted at least 30 %) came
#: into force: it applies to procurements announced from then on.
CLIMATE_RULE_FROM = date(2024, 1, 1)
CLIMATE_MINIMUM_WEIGHT = 30


def _climate_environment(ctx: Context) -> Shortfall | None:
    day = ctx.payload["notice_sent"].astimezone(OSLO).date()
    if day < CLIMATE_RULE_FROM:
        return None  # the rule applies to notices from 1 January 2024
    docs = ctx.fact("procurement-documents")
    if docs is None:
        return None  # documents-complete reports that the documents are missing
    if docs.get("environment_in_requirements") is True:
        return None
    if docs.get("environment_insignificant") is True:
        return None
    weight = docs.get("environment_weight")
    if isinstance(weight, int) and weight >= CLIMATE_MINIMUM_WEIGHT:
        return None
    return Shortfall(
        f"The notice is sent {day.isoformat()}; climate and environmental considerations "
        f"weigh {weight if weight is not None else 'nothing stated'}"
        f"{' %' if weight is not None else ''}. Unless the documents justify climate and "
        "environmental requirements in the specification instead, or an insignificant "
        f"footprint, they must weigh at least {CLIMATE_MINIMUM_WEIGHT} %.",
        f"Kunngjøringen sendes {day.isoformat()}; klima- og miljøhensyn vektes "
        f"{weight if weight is not None else 'ikke oppgitt'}{' %' if weight is not None else ''}. "
        "Med mindre anskaffelsesdokumentene begrunner klima- og miljøkrav i kravspesifikasjonen "
        "i stedet, eller et uvesentlig klimaavtrykk, må de vektes minst "
        f"{CLIMATE_MINIMUM_WEIGHT} %.",
        weight=weight,
        minimum=CLIMATE_MINIMUM_WEIGHT,
    )


# Forskrift om offentlige anskaffelser § 7-9 as in force from 1 January 2024 (DOMAIN V15),
# for procurements announced from that day: climate and environmental considerations weigh at
# least 30 % (second paragraph), unless replaced by requirements in the specification where
# that clearly gives a better effect, justified in the documents (fourth paragraph), or the
# footprint is insignificant, justified in the documents (fifth paragraph). The text was read
# as DFØ quotes it in its guidance; the amending regulation's id was not found.
CLIMATE_ENVIRONMENT = Precondition(
    code="climate-environment",
    rule=Text(
        en="From 1 January 2024, climate and environmental considerations must weigh at least "
        "30 % in the award, unless requirements in the specification replace them or the "
        "footprint is insignificant, as justified in the documents.",
        nb="Fra 1. januar 2024 skal klima- og miljøhensyn vektes med minst 30 prosent, med "
        "mindre klima- og miljøkrav i kravspesifikasjonen erstatter dem eller klimaavtrykket "
        "er uvesentlig, begrunnet i anskaffelsesdokumentene.",
    ),
    source=FOA.at("§ 7-9 (i kraft 1. januar 2024)"),
    test=_climate_environment,
    reads=(PROCUREMENT_DOCUMENTS_V2,),
    uses=("notice_sent",),
)

# -- the procedure -----------------------------------------------------------------------------

_BEFORE_AWARD = ("needs", "market-dialogue", "tendering", "negotiation", "final-tenders")
_TITLE = Text(en="Innovation partnership", nb="Innovasjonspartnerskap")
_SOURCE = _art31("; forskrift om offentlige anskaffelser del III, § 13-1")
_DESCRIPTION = (
    "Develop an innovative product, service or works with one or more partners in "
    "successive phases, then buy the result without a new competition."
)

_STATES = (
    State("needs", Text(en="Needs", nb="Behovsavklaring"), initial=True),
    State("market-dialogue", Text(en="Market dialogue", nb="Markedsdialog")),
    State("tendering", Text(en="Requests to participate", nb="Forespørsler om å delta")),
    State("negotiation", Text(en="Negotiation", nb="Forhandling")),
    State("final-tenders", Text(en="Final tenders", nb="Endelige tilbud")),
    State("development", Text(en="Development", nb="Utvikling")),
    State("purchased", Text(en="Purchased", nb="Kjøpt"), final=True),
    State("terminated", Text(en="Terminated", nb="Avsluttet"), final=True),
    State("cancelled", Text(en="Cancelled", nb="Avlyst"), final=True),
)

_START_MARKET_DIALOGUE = Event(
    "start-market-dialogue",
    Text(en="Start the market dialogue", nb="Start markedsdialogen"),
    source="needs",
    dest="market-dialogue",
    requires=(NEED_DESCRIBED,),
)
_NOTICE_FIELDS = (
    Field("notice_sent", "datetime", doc="When the contract notice is sent."),
    Field("request_deadline", "datetime", doc="Time limit for requests to participate."),
)
_INVITE_FIELDS = (
    Field("qualified", "integer", doc="Candidates meeting the selection criteria."),
    Field("invited", "integer", doc="Candidates invited to submit tenders."),
    Field("candidates", "texts", required=False, doc="Names of those invited."),
)
_AWARD_FIELDS = (
    Field("partners", "texts", doc="The partner or partners."),
    Field("award_basis", "text", doc="Must be 'best-price-quality-ratio'."),
    Field("separate_rd", "boolean", required=False, doc="Several partners: separate R&D."),
    Field("performance_levels", "texts", doc="Agreed performance levels."),
    Field("maximum_cost", "amount", doc="Agreed maximum cost of the purchase."),
)
_PURCHASE = Event(
    "purchase",
    Text(en="Buy the result", nb="Kjøp resultatet"),
    source="development",
    dest="purchased",
    requires=(DEVELOPMENT_COMPLETED, PURCHASE_CONDITIONS),
    fields=(
        Field("price", "amount", doc="The price of the purchase."),
        Field("performance_levels_met", "boolean", doc="The result meets the levels."),
    ),
)
_CANCEL = Event(
    "cancel",
    Text(en="Cancel the procedure before award", nb="Avlys konkurransen"),
    source=_BEFORE_AWARD,
    dest="cancelled",
    fields=(Field("reason", "text"),),
)


def _development_events(
    phases_remaining: Precondition,
    reduction: Precondition,
    termination: Precondition,
    purchase: Event,
) -> tuple[Event, ...]:
    return (
        Event(
            "start-next-phase",
            Text(en="Start the next development phase", nb="Start neste utviklingsfase"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, PHASE_TARGETS_MET, phases_remaining),
            fields=(Field("instalment", "amount", required=False),),
        ),
        Event(
            "reduce-partners",
            Text(en="Reduce the number of partners", nb="Reduser antall partnere"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, reduction, PARTNERS_REDUCED),
            fields=(Field("remaining", "texts", doc="The partners who continue."),),
        ),
        Event(
            "terminate",
            Text(en="Terminate the partnership after a phase", nb="Avslutt partnerskapet"),
            source="development",
            dest="terminated",
            requires=(PHASE_EVALUATED, termination),
            fields=(Field("reason", "text"),),
        ),
        purchase,
    )


INNOVATION_PARTNERSHIP_V1 = Procedure(
    "innovation-partnership",
    title=_TITLE,
    source=_SOURCE,
    description=_DESCRIPTION,
    version=1,
    released=date(2026, 11, 25),
    states=_STATES,
    events=(
        _START_MARKET_DIALOGUE,
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
            fields=_NOTICE_FIELDS,
        ),
        Event(
            "invite-candidates",
            Text(en="Invite selected candidates to tender", nb="Inviter utvalgte kandidater"),
            source="tendering",
            dest="negotiation",
            requires=(REQUEST_PERIOD_ENDED, MINIMUM_CANDIDATES_RULE),
            fields=_INVITE_FIELDS,
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
            fields=_AWARD_FIELDS,
        ),
        *_development_events(PHASES_REMAINING, REDUCTION_FORESEEN, TERMINATION_FORESEEN, _PURCHASE),
        _CANCEL,
    ),
    facts=(PROCUREMENT_DOCUMENTS, PROPORTIONALITY_ASSESSMENT, NEGOTIATION_ROUND, PHASE_EVALUATION),
)

INNOVATION_PARTNERSHIP = Procedure(
    "innovation-partnership",
    title=_TITLE,
    source=_SOURCE,
    description=_DESCRIPTION,
    version=2,
    released=date(2026, 11, 27),
    changes=Text(
        en="Corrections after a legal review: the 30-day time limit applies at or above the "
        "EEA threshold in force when the notice is sent (advice below it); the market "
        "dialogue is recommended, not compulsory; limits on candidates and staged reduction "
        "of tenders must be announced; the documents must state the estimated value, "
        "instalments and the conditions for termination and reduction; the notice says "
        "whether there will be one or several partners; climate and environment weigh at "
        "least 30 % from 2024 (FOA § 7-9); the notice's dispatch date must agree with the step.",
        nb="Rettelser etter en juridisk gjennomgang: 30-dagersfristen gjelder når verdien er "
        "på eller over EØS-terskelverdien som gjelder når kunngjøringen sendes (råd under "
        "den); markedsdialog anbefales, men er ikke påkrevd; begrensning av kandidater og "
        "reduksjon av tilbud i trinn må kunngjøres; anskaffelsesdokumentene må oppgi anslått "
        "verdi, avdrag og vilkårene for avslutning og reduksjon; kunngjøringen sier om det "
        "blir én eller flere partnere; klima og miljø vektes minst 30 prosent fra 2024 (FOA "
        "§ 7-9); datoen kunngjøringen ble sendt, må stemme med steget.",
    ),
    states=_STATES,
    events=(
        _START_MARKET_DIALOGUE,
        Event(
            "publish-notice",
            Text(en="Publish the contract notice", nb="Kunngjør konkurransen"),
            source=("needs", "market-dialogue"),
            dest="tendering",
            requires=(
                LEADERSHIP_ANCHORING,
                NEED_DESCRIBED,
                NO_MARKET_SOLUTION_EVIDENCED,
                MARKET_DIALOGUE_HELD,
                MINIMUM_REQUIREMENTS_STATED_V2,
                DOCUMENTS_COMPLETE_V2,
                PROPORTIONALITY,
                CLIMATE_ENVIRONMENT,
                REQUEST_TIME_LIMIT_V2,
                NOTICE_DATES,
                CANDIDATE_LIMIT_ANNOUNCED,
            ),
            fields=(
                *_NOTICE_FIELDS,
                Field(
                    "partners",
                    "text",
                    choices=("one", "several"),
                    doc="Whether the partnership will have one partner or several.",
                ),
                Field(
                    "staged_reduction",
                    "boolean",
                    required=False,
                    doc="Tenders may be reduced in successive stages during negotiation.",
                ),
                Field(
                    "min_candidates",
                    "integer",
                    required=False,
                    doc="The minimum number of candidates invited, where their number is "
                    "limited (at least 3).",
                ),
                Field(
                    "max_candidates",
                    "integer",
                    required=False,
                    doc="The maximum number of candidates invited, if any.",
                ),
                Field(
                    "selection_criteria",
                    "text",
                    required=False,
                    doc="The objective criteria for choosing among qualified candidates.",
                ),
            ),
        ),
        Event(
            "invite-candidates",
            Text(
                en="Invite selected candidates to tender",
                nb="Inviter utvalgte leverandører til å levere tilbud",
            ),
            source="tendering",
            dest="negotiation",
            requires=(REQUEST_PERIOD_ENDED, MINIMUM_CANDIDATES_V2),
            fields=_INVITE_FIELDS,
        ),
        Event(
            "call-final-tenders",
            Text(en="Call for final tenders", nb="Be om endelige tilbud"),
            source="negotiation",
            dest="final-tenders",
            requires=(NEGOTIATION_SCOPE_V2, STAGED_REDUCTION),
        ),
        Event(
            "award",
            Text(en="Award and establish the partnership", nb="Tildel og etabler partnerskapet"),
            source="final-tenders",
            dest="development",
            requires=(NEGOTIATION_SCOPE_V2, AWARD_BASIS_V2, PARTNERS_V2),
            fields=(
                _AWARD_FIELDS[0],
                Field(
                    "award_basis",
                    "text",
                    choices=AWARD_BASES,
                    doc="The basis of the award: best-price-quality-ratio or "
                    "quality-at-fixed-price.",
                ),
                *_AWARD_FIELDS[2:],
            ),
        ),
        *_development_events(
            PHASES_REMAINING_V2,
            REDUCTION_FORESEEN_V2,
            TERMINATION_FORESEEN_V2,
            attrs.evolve(_PURCHASE, requires=(DEVELOPMENT_COMPLETED_V2, PURCHASE_CONDITIONS)),
        ),
        _CANCEL,
    ),
    facts=(
        PROCUREMENT_DOCUMENTS_V2,
        PROPORTIONALITY_ASSESSMENT,
        NEGOTIATION_ROUND_V2,
        PHASE_EVALUATION,
    ),
)
