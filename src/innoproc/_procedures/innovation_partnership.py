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
from innoproc._i18n import Day, Series
from innoproc._sources import (
    DIRECTIVE_2014_24,
    FOA,
    MINISTRY_TIME_LIMITS,
)
from innoproc._text import Text
from innoproc._time import OSLO
from innoproc.deadlines import NORWAY, period
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
    Text("The procurement documents"),
    fields=(
        Field("minimum_requirements", "texts", doc="Elements that are minimum requirements."),
        Field("award_criteria", "texts", doc="The award criteria."),
        Field(
            "ipr_arrangements",
            "boolean",
            doc="Contract terms include IPR arrangements.",
            title="IPR arrangements",
        ),
        Field(
            "rd_capacity_criteria",
            "boolean",
            doc="Selection criteria on R&D capacity and on developing and implementing "
            "innovative solutions.",
            title="Selection criteria on R&D capacity",
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
        Field(
            "max_rd_value",
            "amount",
            doc="Maximum value of the R&D in all phases (NOK).",
            title="Maximum R&D value",
        ),
        Field("estimated_purchase_value", "amount", doc="Estimated value of the purchase (NOK)."),
    ),
)

PROPORTIONALITY_ASSESSMENT = FactType(
    "proportionality-assessment",
    Text("Assessment of proportionality"),
    fields=(
        Field(
            "proportionate",
            "boolean",
            doc="The purchase value is not disproportionate to the development investment, "
            "and the phases reflect the degree of innovation.",
        ),
        Field("reasoning", "text", doc="Why the assessment concludes as it does."),
    ),
)

NEGOTIATION_ROUND = FactType(
    "negotiation-round",
    Text("A negotiation round"),
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
    Text("Evaluation of a development phase"),
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
    rule=Text("The documents must state which elements are minimum requirements."),
    source=DIRECTIVE_2014_24.at("art. 31(1) second subparagraph"),
    test=_minimum_requirements,
    reads=(PROCUREMENT_DOCUMENTS,),
)

_DOCUMENT_ELEMENTS: tuple[tuple[str, Text], ...] = (
    ("award_criteria", Text("award criteria")),
    ("ipr_arrangements", Text("IPR arrangements in the contract terms")),
    ("rd_capacity_criteria", Text("selection criteria on R&D capacity")),
    ("negotiation_rules", Text("how negotiation and selection work")),
    ("purchase_terms", Text("how the purchase will be made")),
    ("phases", Text("development phases with intermediate targets")),
)
_AT_LEAST_ONE_PHASE = Text("at least one development phase")
_NEED_AND_WHY = Text("the need and why new solutions are needed")


def _missing(lacking: list[Text]) -> Shortfall:
    return Shortfall(
        Text("Missing: {items}.", items=Series(lacking, "semicolon")),
        missing=tuple(t.get("en") for t in lacking),
    )


def _documents_complete(ctx: Context) -> Shortfall | None:
    docs = recorded(ctx, PROCUREMENT_DOCUMENTS)
    if isinstance(docs, Shortfall):
        return docs
    lacking = [
        text
        for name, text in _DOCUMENT_ELEMENTS
        if not docs.get(name) or (name == "phases" and not isinstance(docs.get(name), int))
    ]
    phases = docs.get("phases")
    if isinstance(phases, int) and phases < 1:
        lacking.append(_AT_LEAST_ONE_PHASE)
    if ctx.fact("need-description") is None:
        lacking.append(_NEED_AND_WHY)
    return _missing(lacking) if lacking else None


# DFØ guidance on innovation partnership, with art. 31(2) (phases, intermediate targets,
# instalments, termination and reduction conditions) and 31(6) (IPR; R&D capacity criteria).
DOCUMENTS_COMPLETE = Precondition(
    code="documents-complete",
    rule=Text(
        "The procurement documents must cover the need, contract terms with IPR, "
        "selection criteria on R&D capacity, award criteria, negotiation, the purchase and "
        "the development phases."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(2) and (6)"),
    test=_documents_complete,
    reads=(PROCUREMENT_DOCUMENTS, NEED_DESCRIPTION),
)


def _proportionality(ctx: Context) -> Shortfall | None:
    assessment = recorded(ctx, PROPORTIONALITY_ASSESSMENT)
    if isinstance(assessment, Shortfall):
        return assessment
    if assessment.get("proportionate") is not True:
        return Shortfall(
            Text("The recorded assessment found the structure or value disproportionate.")
        )
    return None


# Art. 31(7): the structure, duration and value of the phases reflect the degree of
# innovation, and the estimated value of the purchase is not disproportionate to the
# investment required for development.
PROPORTIONALITY = Precondition(
    code="proportionality",
    rule=Text(
        "The value of the purchase must not be disproportionate to the development "
        "investment, and the phases must reflect the degree of innovation."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(7)"),
    test=_proportionality,
    reads=(PROPORTIONALITY_ASSESSMENT,),
)


def _request_time_limit(ctx: Context) -> Shortfall | None:
    sent = ctx.payload["notice_sent"]
    deadline = ctx.payload["request_deadline"]
    minimum = period(sent, REQUEST_TIME_LIMIT_DAYS, "days", calendar=NORWAY)
    if deadline < minimum.end:
        values = {"sent": sent, "last_day": minimum.last_day, "given": deadline}
        if minimum.extended:
            nominal = minimum.nominal_last_day
            text = Text(
                "The notice is sent {sent}, so the earliest allowed time limit is the end of "
                "{last_day}: day {days}, {nominal}, is not a working day, so the period runs to "
                "the next working day. The time limit given is {given}.",
                days=REQUEST_TIME_LIMIT_DAYS,
                nominal=Day(nominal, NORWAY.names(nominal.year).get(nominal)),
                **values,
            )
        else:
            text = Text(
                "The notice is sent {sent}, so the earliest allowed time limit is the end of "
                "{last_day}; the time limit given is {given}.",
                **values,
            )
        return Shortfall(text, earliest=minimum.end, given=deadline)
    return None


# Art. 31(1) fourth subparagraph: the minimum time limit for receipt of requests to
# participate is 30 days from the date the contract notice is sent. Computed under
# Regulation (EEC, Euratom) No 1182/71 (FOA § 7-6; Directive 2014/24/EU recital 106): the
# period starts the day after the notice is sent, ends at the end of its 30th day, and moves
# to the next working day in Norway when that day is a Saturday, Sunday or public holiday.
REQUEST_TIME_LIMIT = Precondition(
    code="request-time-limit",
    rule=Text(
        "The time limit for requests to participate must be at least {days} days from the "
        "date the contract notice is sent, counted under the regulation on time limits "
        "(Regulation 1182/71).",
        days=REQUEST_TIME_LIMIT_DAYS,
    ),
    source=DIRECTIVE_2014_24.at(
        "art. 31(1) fourth subparagraph; counted under forskrift om tidsfrister i EØS-avtalen "
        "(Regulation 1182/71 art. 3), forskrift om offentlige anskaffelser § 7-6"
    ),
    test=_request_time_limit,
    uses=("notice_sent", "request_deadline"),
)


def _request_period_ended(ctx: Context) -> Shortfall | None:
    published = ctx.steps("publish-notice")
    if not published:  # pragma: no cover - the state machine requires the notice first
        return Shortfall(Text("The notice has not been published."))
    deadline = published[-1].payload["request_deadline"]
    if ctx.at < deadline:
        return Shortfall(
            Text("The time limit is {deadline}; it is now {now}.", deadline=deadline, now=ctx.at),
            deadline=deadline,
        )
    return None


# Art. 31(1) first and fourth subparagraphs: requests to participate may be submitted until
# the time limit; candidates are selected only after it has passed, so no operator is cut off
# early.
REQUEST_PERIOD_ENDED = Precondition(
    code="request-period-ended",
    rule=Text("Candidates may be invited only after the time limit for requests to participate."),
    source=DIRECTIVE_2014_24.at("art. 31(1) fourth subparagraph"),
    test=_request_period_ended,
)


def _minimum_candidates(ctx: Context) -> Shortfall | None:
    qualified = ctx.payload["qualified"]
    invited = ctx.payload["invited"]
    if invited < 1:
        return Shortfall(Text("No candidate is invited."), invited=invited)
    if invited > qualified:
        return Shortfall(
            Text(
                "{invited} are invited but only {qualified} qualified.",
                invited=invited,
                qualified=qualified,
            ),
            invited=invited,
            qualified=qualified,
        )
    if invited < qualified and invited < MINIMUM_CANDIDATES:
        return Shortfall(
            Text(
                "The number is limited to {invited} of {qualified} qualified candidates.",
                invited=invited,
                qualified=qualified,
            ),
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
        "When the number of candidates is limited, at least {minimum} must be invited, and "
        "never more than qualified.",
        minimum=MINIMUM_CANDIDATES,
    ),
    source=DIRECTIVE_2014_24.at("art. 65(2)"),
    test=_minimum_candidates,
    uses=("qualified", "invited"),
)


def _negotiation_scope(ctx: Context) -> Shortfall | None:
    rounds = ctx.facts("negotiation-round")
    called = ctx.last_step("call-final-tenders")
    problems: list[Text] = []
    if not rounds:
        problems.append(Text("no negotiation round is recorded"))
    for r in rounds:
        n = r.get("round")
        if r.get("changed_minimum_requirements"):
            problems.append(Text("round {n} changed the minimum requirements", n=n))
        if r.get("changed_award_criteria"):
            problems.append(Text("round {n} changed the award criteria", n=n))
        if r.get("specification_changed") and r.get("all_informed") is not True:
            problems.append(
                Text("round {n} changed the specifications without informing all tenderers", n=n)
            )
        if called is not None and r.seq > called.seq:
            problems.append(Text("round {n} negotiated the final tenders", n=n))
    shortfall = found(problems)
    if shortfall is not None and any(
        r.get("changed_minimum_requirements") or r.get("changed_award_criteria") for r in rounds
    ):
        # What the authority can do: the criteria cannot be changed by negotiation, so the
        # competition must be cancelled (with a good reason) and announced again.
        shortfall = Shortfall(
            Text(
                "{problems} The authority can cancel the competition and announce it again "
                "with the changed minimum requirements or award criteria.",
                problems=shortfall.text,
            ),
            **shortfall.details,
        )
    return shortfall


# Art. 31(3): initial and subsequent tenders are negotiated, except the final tender;
# minimum requirements and award criteria are not negotiated. Art. 31(4): equal treatment;
# all tenderers are informed in writing of changes to the technical specifications and given
# time to modify their tenders.
NEGOTIATION_SCOPE = Precondition(
    code="negotiation-scope",
    rule=Text(
        "Initial and later tenders must be negotiated but not the final tender; minimum "
        "requirements and award criteria may not be negotiated; every tenderer must be "
        "told of changes."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(3) and (4)"),
    test=_negotiation_scope,
    reads=(NEGOTIATION_ROUND,),
)


def _award_basis(ctx: Context) -> Shortfall | None:
    basis = ctx.payload["award_basis"]
    if basis != BEST_PRICE_QUALITY_RATIO:
        return Shortfall(
            Text("The award basis given is “{basis}”.", basis=basis), award_basis=basis
        )
    return None


# Art. 31(1) fourth subparagraph: contracts are awarded on the sole basis of the best
# price-quality ratio in accordance with art. 67.
AWARD_BASIS = Precondition(
    code="award-basis",
    rule=Text(
        "The award must be made on the best price-quality ratio only (“{basis}”).",
        basis=BEST_PRICE_QUALITY_RATIO,
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) fourth subparagraph, with art. 67"),
    test=_award_basis,
    uses=("award_basis",),
)


def _partners(ctx: Context) -> Shortfall | None:
    partners = ctx.payload["partners"]
    if not partners:
        return Shortfall(Text("No partner is named."))
    if len(set(partners)) != len(partners):
        return Shortfall(Text("A partner is named twice."))
    if len(partners) > 1 and ctx.payload.get("separate_rd") is not True:
        return Shortfall(
            Text(
                "{n} partners are named, but it is not confirmed that they conduct separate "
                "R&D activities.",
                n=len(partners),
            )
        )
    return None


# Art. 31(1) third subparagraph: the partnership may be set up with one partner or with
# several partners conducting separate research and development activities.
PARTNERS = Precondition(
    code="partners",
    rule=Text(
        "The partnership must have one partner, or several conducting separate R&D activities."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) third subparagraph"),
    test=_partners,
    uses=("partners",),
)


def _phase_evaluation(ctx: Context) -> Shortfall | None:
    phase = current_phase(ctx)
    if ctx.last_fact("phase-evaluation", phase=phase) is not None:
        return None
    return Shortfall(Text("Phase {phase} has not been evaluated.", phase=phase), phase=phase)


def _latest_evaluation(ctx: Context) -> tuple[int, bool | None]:
    phase = current_phase(ctx)
    record = ctx.last_fact("phase-evaluation", phase=phase)
    return phase, None if record is None else record.get("targets_met") is True


# Art. 31(2): the partnership is structured in successive phases; at the end of each phase
# the authority assesses the intermediate targets and decides, on that basis, what follows.
PHASE_EVALUATED = Precondition(
    code="phase-evaluated",
    rule=Text(
        "The current development phase must have been evaluated against its intermediate targets."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
    test=_phase_evaluation,
    reads=(PHASE_EVALUATION,),
)


def _phase_targets_met(ctx: Context) -> Shortfall | None:
    phase, met = _latest_evaluation(ctx)
    if met is None:
        return Shortfall(Text("Phase {phase} has not been evaluated.", phase=phase), phase=phase)
    if not met:
        return Shortfall(
            Text("The evaluation of phase {phase} found the targets not met.", phase=phase),
            phase=phase,
        )
    return None


PHASE_TARGETS_MET = Precondition(
    code="phase-targets-met",
    rule=Text("The intermediate targets of the current phase must have been met."),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
    test=_phase_targets_met,
    reads=(PHASE_EVALUATION,),
)


_NO_PHASES = Text("No procurement documents setting out the development phases are recorded.")


def _phases_remaining(ctx: Context) -> Shortfall | None:
    docs = ctx.fact("procurement-documents")
    planned = docs.get("phases") if docs is not None else None
    phase = current_phase(ctx)
    if not isinstance(planned, int):
        return Shortfall(_NO_PHASES, phase=phase, planned=planned)
    if phase >= planned:
        return Shortfall(
            Text(
                "Phase {phase} is the last of the {planned} phases in the documents.",
                phase=phase,
                planned=planned,
            ),
            phase=phase,
            planned=planned,
        )
    return None


# Art. 31(2): the phases follow the sequence of steps in the research and innovation process
# set out in the documents; a further phase exists only if the documents provided for it.
PHASES_REMAINING = Precondition(
    code="phases-remaining",
    rule=Text("A next phase may start only if the documents provide for it."),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
    test=_phases_remaining,
    reads=(PROCUREMENT_DOCUMENTS,),
)


def _foreseen(code: str, field: str, rule: Text) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        docs = ctx.fact("procurement-documents")
        if docs is None or docs.get(field) is not True:
            return Shortfall(Text("The procurement documents did not provide for it."))
        return None

    return Precondition(
        code=code,
        rule=rule,
        source=DIRECTIVE_2014_24.at("art. 31(2)"),
        test=test,
        reads=(PROCUREMENT_DOCUMENTS,),
    )


# Art. 31(2) second subparagraph: after each phase the authority may terminate the
# partnership or, with several partners, reduce their number by terminating individual
# contracts, provided the documents indicated these possibilities and their conditions.
TERMINATION_FORESEEN = _foreseen(
    "termination-foreseen",
    "termination_foreseen",
    Text("The partnership may be terminated after a phase only if the documents provided for it."),
)
REDUCTION_FORESEEN = _foreseen(
    "reduction-foreseen",
    "partner_reduction_foreseen",
    Text("The number of partners may be reduced only if the documents provided for it."),
)


def _remaining_partners(ctx: Context) -> Shortfall | None:
    current = current_partners(ctx)
    remaining = ctx.payload["remaining"]
    strangers = [p for p in remaining if p not in current]
    if strangers or not remaining or len(set(remaining)) >= len(current):
        return Shortfall(
            Text(
                "The partners are {current}; those who continue must be fewer, at least one, "
                "and among them (given: {remaining}).",
                current=Series(current),
                remaining=Series(remaining),
            ),
            current=current,
            remaining=tuple(remaining),
        )
    return None


PARTNERS_REDUCED = Precondition(
    code="partners-reduced",
    rule=Text("A reduction must keep at least one of the current partners and drop at least one."),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
    test=_remaining_partners,
    uses=("remaining",),
)


def _development_completed(ctx: Context) -> Shortfall | None:
    docs = ctx.fact("procurement-documents")
    planned = docs.get("phases") if docs is not None else None
    phase, met = _latest_evaluation(ctx)
    if not isinstance(planned, int):
        return Shortfall(_NO_PHASES, phase=phase, planned=planned)
    if phase < planned or met is not True:
        return Shortfall(
            Text(
                "The case is in phase {phase} of {planned}; the last phase must be evaluated "
                "with its targets met.",
                phase=phase,
                planned=planned,
            ),
            phase=phase,
            planned=planned,
        )
    return None


DEVELOPMENT_COMPLETED = Precondition(
    code="development-completed",
    rule=Text(
        "The purchase may be made only after the last development phase has met its targets."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
    test=_development_completed,
    reads=(PROCUREMENT_DOCUMENTS, PHASE_EVALUATION),
)


def _purchase_conditions(ctx: Context) -> Shortfall | None:
    award = ctx.last_step("award")
    maximum: Decimal | None = award.payload.get("maximum_cost") if award is not None else None
    price: Decimal = ctx.payload["price"]
    problems: list[Text] = []
    if ctx.payload["performance_levels_met"] is not True:
        problems.append(Text("the result does not meet the agreed performance levels"))
    if maximum is None:
        problems.append(Text("no maximum cost was agreed at the award"))
    elif price > maximum:
        problems.append(
            Text(
                "the price {price} exceeds the agreed maximum cost {maximum}",
                price=price,
                maximum=maximum,
            )
        )
    return found(problems, listed=False, price=price, maximum_cost=maximum)


# Art. 31(2) first subparagraph: the authority may acquire the resulting supplies, services
# or works provided they correspond to the performance levels and maximum costs agreed; it
# then buys without a new competition (art. 31(1) and (2)).
PURCHASE_CONDITIONS = Precondition(
    code="purchase-conditions",
    rule=Text(
        "The result may be bought only if it meets the agreed performance levels and maximum cost."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(2)"),
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

_DOCUMENT_ELEMENTS_V2: tuple[tuple[str, Text], ...] = (
    *_DOCUMENT_ELEMENTS,
    (
        "instalments",
        Text("remuneration in instalments, phase by phase"),
    ),
)
_ESTIMATED_VALUE = Text(
    "the estimated value: the maximum value of the R&D in all phases and the estimated value "
    "of the purchase, both above zero"
)
_CONDITIONS: tuple[tuple[str, str, Text], ...] = (
    (
        "termination_foreseen",
        "termination_conditions",
        Text("the conditions for terminating the partnership after a phase"),
    ),
    (
        "partner_reduction_foreseen",
        "reduction_conditions",
        Text("the conditions for reducing the number of partners"),
    ),
)


def _documents_complete_v2(ctx: Context) -> Shortfall | None:
    docs = recorded(ctx, PROCUREMENT_DOCUMENTS_V2)
    if isinstance(docs, Shortfall):
        return docs
    lacking = [
        text
        for name, text in _DOCUMENT_ELEMENTS_V2
        if not docs.get(name) or (name == "phases" and not isinstance(docs.get(name), int))
    ]
    phases = docs.get("phases")
    if isinstance(phases, int) and phases < 1:
        lacking.append(_AT_LEAST_ONE_PHASE)
    rd, purchase = docs.get("max_rd_value"), docs.get("estimated_purchase_value")
    if not isinstance(rd, Decimal) or not isinstance(purchase, Decimal) or rd <= 0 or purchase <= 0:
        lacking.append(_ESTIMATED_VALUE)
    for flag, field, text in _CONDITIONS:
        conditions = docs.get(field)
        if docs.get(flag) is True and not (isinstance(conditions, str) and conditions.strip()):
            lacking.append(text)
    if ctx.fact("need-description") is None:
        lacking.append(_NEED_AND_WHY)
    return _missing(lacking) if lacking else None


# Art. 31(1) second subparagraph (the need), 31(2) (phases, intermediate targets, instalments;
# termination and reduction only where the documents state the possibility AND its conditions,
# DOMAIN V8), 31(6) (R&D capacity criteria; IPR arrangements), art. 5 with FOA § 5-4 (the
# estimated value is the maximum R&D value of all phases plus the estimated purchase value,
# DOMAIN V9); DFØ's guidance lists the same contents of the documents.
DOCUMENTS_COMPLETE_V2 = Precondition(
    code="documents-complete",
    rule=Text(
        "The procurement documents must cover the need, contract terms with IPR, "
        "selection criteria on R&D capacity, award criteria, negotiation, the purchase, the "
        "development phases with instalments, the estimated value, and the conditions for "
        "any termination or reduction of partners."
    ),
    source=DIRECTIVE_2014_24.at(
        "art. 31(1), (2) and (6), with art. 5 and forskrift om offentlige anskaffelser § 5-4"
    ),
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
            text = Text(
                "The estimated value, {value}, is below the EEA threshold of {threshold} in "
                "force on {day}: no statutory minimum time limit applies, but the time limit "
                "must fit the contract's complexity and the time suppliers need to prepare "
                "their requests.",
                value=value,
                threshold=threshold.amount,
                day=day,
            )
            if not threshold.verified:
                text = Text(
                    "{advice} (The threshold's figure could not be confirmed.)", advice=text
                )
            return Advice(
                text,
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
    problems: list[Text] = []
    if sent > ctx.at:
        problems.append(
            Text(
                "the notice is said to be sent {sent}, after the step ({step})",
                sent=sent,
                step=ctx.at,
            )
        )
    previous = ctx.last_step(*ctx.procedure.events)
    if previous is not None and sent < previous.at:
        problems.append(
            Text(
                "the notice is said to be sent {sent}, before the case reached its present "
                "stage ({stage})",
                sent=sent,
                stage=previous.at,
            )
        )
    if deadline <= ctx.at:
        problems.append(
            Text("the time limit for requests ({deadline}) has already passed", deadline=deadline)
        )
    return found(problems, sent=sent, deadline=deadline)


# Art. 31(1) fourth subparagraph counts the time limit from the day the notice is sent, so the
# date given must be the notice's: not later than the step that publishes it, not before the
# case reached the stage it is published from, and with the time limit still open.
NOTICE_DATES = Precondition(
    code="notice-dates",
    rule=Text(
        "The notice's dispatch date must agree with the step: sent no later than the step "
        "and no earlier than the case's present stage, with the time limit for requests still "
        "open."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) fourth subparagraph"),
    test=_notice_dates,
    uses=("notice_sent", "request_deadline"),
)


def _candidate_limit_announced(ctx: Context) -> Shortfall | None:
    low, high = ctx.payload.get("min_candidates"), ctx.payload.get("max_candidates")
    if low is None and high is None:
        return None  # the number of candidates is not limited
    problems: list[Text] = []
    if low is None:
        problems.append(
            Text(
                "the minimum number of candidates is not stated (it must be at least {minimum})",
                minimum=MINIMUM_CANDIDATES,
            )
        )
    elif low < MINIMUM_CANDIDATES:
        problems.append(
            Text(
                "the minimum number of candidates must be at least {minimum} (given: {low})",
                minimum=MINIMUM_CANDIDATES,
                low=low,
            )
        )
    if high is not None and low is not None and high < low:
        problems.append(
            Text("the maximum ({high}) is below the minimum ({low})", high=high, low=low)
        )
    criteria = ctx.payload.get("selection_criteria")
    if not (isinstance(criteria, str) and criteria.strip()):
        problems.append(
            Text("the objective criteria for choosing among qualified candidates are not stated")
        )
    return found(problems, minimum=low, maximum=high)


# Art. 65(2): where the authority limits the number of candidates it invites, the contract
# notice states the objective and non-discriminatory criteria, the minimum number (at least
# three for the innovation partnership) and, where appropriate, the maximum (DOMAIN V5).
CANDIDATE_LIMIT_ANNOUNCED = Precondition(
    code="candidate-limit-announced",
    rule=Text(
        "A limit on the number of candidates must be announced in the notice, with its "
        "objective criteria and a minimum of at least {minimum} (and any maximum).",
        minimum=MINIMUM_CANDIDATES,
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
        return Shortfall(Text("No candidate is invited."), invited=invited)
    if invited > qualified:
        return Shortfall(
            Text(
                "{invited} are invited but only {qualified} qualified: no one else may be added.",
                invited=invited,
                qualified=qualified,
            ),
            invited=invited,
            qualified=qualified,
        )
    if invited == qualified:
        return None  # every qualified candidate is invited (also when fewer than the minimum)
    if low is None:
        return Shortfall(
            Text(
                "{invited} of {qualified} qualified candidates are invited, but the notice "
                "announced no limit on their number.",
                invited=invited,
                qualified=qualified,
            ),
            invited=invited,
            qualified=qualified,
        )
    if invited < low:
        return Shortfall(
            Text(
                "{invited} of {qualified} qualified candidates are invited, fewer than the "
                "minimum of {low} announced.",
                invited=invited,
                qualified=qualified,
                low=low,
            ),
            invited=invited,
            qualified=qualified,
            minimum=low,
        )
    if high is not None and invited > high:
        return Shortfall(
            Text(
                "{invited} candidates are invited, more than the maximum of {high} announced.",
                invited=invited,
                high=high,
            ),
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
        "Candidates may be limited only as the notice announced (never below its minimum of at "
        "least {minimum}, nor above its maximum); where fewer qualify, all who qualify are "
        "invited and no one else.",
        minimum=MINIMUM_CANDIDATES,
    ),
    source=DIRECTIVE_2014_24.at("art. 65(2)"),
    test=_minimum_candidates_v2,
    uses=("qualified", "invited"),
)


def _staged_reduction(ctx: Context) -> Shortfall | None:
    notice = ctx.last_step("publish-notice")
    announced = notice is not None and notice.payload.get("staged_reduction") is True
    problems: list[Text] = []
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
                Text(
                    "round {n} reduced the tenders from {before} to {after}, but the notice did "
                    "not announce reduction in successive stages",
                    n=n,
                    before=before,
                    after=after,
                )
            )
        if r.get("reduced_by_award_criteria") is not True:
            problems.append(
                Text("round {n} reduced the tenders without applying the award criteria", n=n)
            )
        if after < 2 <= before:
            problems.append(
                Text(
                    "round {n} left {after} tender, so the final stage has no competition",
                    n=n,
                    after=after,
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
        "Tenders may be reduced in successive stages only if the notice announced it, by "
        "applying the award criteria, and leaving enough tenders for genuine competition in "
        "the final stage."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(5), with art. 66"),
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
            Text("The award basis given is “{basis}”.", basis=basis), award_basis=basis
        )
    return None


# Art. 31(1) fourth subparagraph with art. 67: the best price-quality ratio only; a fixed price
# with competition on quality alone is a form of it (art. 67(2) last subparagraph; DOMAIN V6).
AWARD_BASIS_V2 = Precondition(
    code="award-basis",
    rule=Text(
        "The contract may be awarded only on the best price-quality ratio (which includes "
        "a fixed price with competition on quality alone)."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) fourth subparagraph, with art. 67(2)"),
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
            Text("The notice announced one partner; {n} are named.", n=len(partners)),
            planned=planned,
            named=len(partners),
        )
    return None


# Art. 31(1) third subparagraph: one partner, or several conducting separate R&D activities;
# the notice says which (DOMAIN V7), and the award keeps to it.
PARTNERS_V2 = Precondition(
    code="partners",
    rule=Text(
        "The partnership must have one partner, or several conducting separate R&D "
        "activities, as the notice announced."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) third subparagraph"),
    test=_partners_v2,
    uses=("partners",),
)


def _foreseen_with_conditions(code: str, flag: str, conditions: str, rule: Text) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        docs = ctx.fact("procurement-documents")
        stated = docs.get(conditions) if docs is not None else None
        if docs is None or docs.get(flag) is not True:
            return Shortfall(Text("The procurement documents did not reserve this right."))
        if not (isinstance(stated, str) and stated.strip()):
            return Shortfall(
                Text(
                    "The procurement documents reserved the right but did not state its conditions."
                )
            )
        return None

    return Precondition(
        code=code,
        rule=rule,
        source=DIRECTIVE_2014_24.at("art. 31(2) third subparagraph"),
        test=test,
        reads=(PROCUREMENT_DOCUMENTS_V2,),
    )


# Art. 31(2) third subparagraph: termination after a phase, or a reduction of the partners,
# only where the documents indicated the possibility AND the conditions for its use (V8).
TERMINATION_FORESEEN_V2 = _foreseen_with_conditions(
    "termination-foreseen",
    "termination_foreseen",
    "termination_conditions",
    Text(
        "The partnership may be terminated after a phase only if the documents reserved the "
        "right and stated its conditions."
    ),
)
REDUCTION_FORESEEN_V2 = _foreseen_with_conditions(
    "reduction-foreseen",
    "partner_reduction_foreseen",
    "reduction_conditions",
    Text(
        "The number of partners may be reduced only if the documents reserved the right and "
        "stated its conditions."
    ),
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
    if weight is None:
        text = Text(
            "The notice is sent {day}, and the documents state no weight for climate and "
            "environmental considerations. Unless they justify climate and environmental "
            "requirements in the specification instead, or an insignificant footprint, these "
            "considerations must weigh at least {minimum} %.",
            day=day,
            minimum=CLIMATE_MINIMUM_WEIGHT,
        )
    else:
        text = Text(
            "The notice is sent {day}, and climate and environmental considerations weigh "
            "{weight} %. Unless the documents justify climate and environmental requirements in "
            "the specification instead, or an insignificant footprint, they must weigh at least "
            "{minimum} %.",
            day=day,
            weight=weight,
            minimum=CLIMATE_MINIMUM_WEIGHT,
        )
    return Shortfall(text, weight=weight, minimum=CLIMATE_MINIMUM_WEIGHT)


# Forskrift om offentlige anskaffelser § 7-9 as in force from 1 January 2024 (DOMAIN V15),
# for procurements announced from that day: climate and environmental considerations weigh at
# least 30 % (second paragraph), unless replaced by requirements in the specification where
# that clearly gives a better effect, justified in the documents (fourth paragraph), or the
# footprint is insignificant, justified in the documents (fifth paragraph). The text was read
# as DFØ quotes it in its guidance; the amending regulation's id was not found.
CLIMATE_ENVIRONMENT = Precondition(
    code="climate-environment",
    rule=Text(
        "From 1 January 2024, climate and environmental considerations must weigh at least "
        "30 % in the award, unless requirements in the specification replace them or the "
        "footprint is insignificant, as justified in the documents."
    ),
    source=FOA.at("§ 7-9 (i kraft 1. januar 2024)"),
    test=_climate_environment,
    reads=(PROCUREMENT_DOCUMENTS_V2,),
    uses=("notice_sent",),
)

# -- the procedure -----------------------------------------------------------------------------

_BEFORE_AWARD = ("needs", "market-dialogue", "tendering", "negotiation", "final-tenders")
_TITLE = Text("Innovation partnership")
_SOURCE = DIRECTIVE_2014_24.at("art. 31; forskrift om offentlige anskaffelser del III, § 13-1")
_DESCRIPTION = (
    "Develop an innovative product, service or works with one or more partners in "
    "successive phases, then buy the result without a new competition."
)

_STATES = (
    State("needs", Text("Needs"), initial=True),
    State("market-dialogue", Text("Market dialogue")),
    State("tendering", Text("Requests to participate")),
    State("negotiation", Text("Negotiation")),
    State("final-tenders", Text("Final tenders")),
    State("development", Text("Development")),
    State("purchased", Text("Purchased"), final=True),
    State("terminated", Text("Terminated"), final=True),
    State("cancelled", Text("Cancelled"), final=True),
)

_START_MARKET_DIALOGUE = Event(
    "start-market-dialogue",
    Text("Start the market dialogue"),
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
    Field(
        "separate_rd",
        "boolean",
        required=False,
        doc="With several partners: each does its own R&D.",
        title="Separate R&D",
    ),
    Field("performance_levels", "texts", doc="Agreed performance levels."),
    Field("maximum_cost", "amount", doc="Agreed maximum cost of the purchase."),
)
_PURCHASE = Event(
    "purchase",
    Text("Buy the result"),
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
    Text("Cancel the procedure before award"),
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
            Text("Start the next development phase"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, PHASE_TARGETS_MET, phases_remaining),
            fields=(Field("instalment", "amount", required=False),),
        ),
        Event(
            "reduce-partners",
            Text("Reduce the number of partners"),
            source="development",
            dest=None,
            requires=(PHASE_EVALUATED, reduction, PARTNERS_REDUCED),
            fields=(Field("remaining", "texts", doc="The partners who continue."),),
        ),
        Event(
            "terminate",
            Text("Terminate the partnership after a phase"),
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
            Text("Publish the contract notice"),
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
            Text("Invite selected candidates to tender"),
            source="tendering",
            dest="negotiation",
            requires=(REQUEST_PERIOD_ENDED, MINIMUM_CANDIDATES_RULE),
            fields=_INVITE_FIELDS,
        ),
        Event(
            "call-final-tenders",
            Text("Call for final tenders"),
            source="negotiation",
            dest="final-tenders",
            requires=(NEGOTIATION_SCOPE,),
        ),
        Event(
            "award",
            Text("Award and establish the partnership"),
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
        "Corrections after a legal review: the 30-day time limit applies at or above the "
        "EEA threshold in force when the notice is sent (advice below it); the market "
        "dialogue is recommended, not compulsory; limits on candidates and staged reduction "
        "of tenders must be announced; the documents must state the estimated value, "
        "instalments and the conditions for termination and reduction; the notice says "
        "whether there will be one or several partners; climate and environment weigh at "
        "least 30 % from 2024 (FOA § 7-9); the notice's dispatch date must agree with the step."
    ),
    states=_STATES,
    events=(
        _START_MARKET_DIALOGUE,
        Event(
            "publish-notice",
            Text("Publish the contract notice"),
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
            Text("Invite selected candidates to tender"),
            source="tendering",
            dest="negotiation",
            requires=(REQUEST_PERIOD_ENDED, MINIMUM_CANDIDATES_V2),
            fields=_INVITE_FIELDS,
        ),
        Event(
            "call-final-tenders",
            Text("Call for final tenders"),
            source="negotiation",
            dest="final-tenders",
            requires=(NEGOTIATION_SCOPE_V2, STAGED_REDUCTION),
        ),
        Event(
            "award",
            Text("Award and establish the partnership"),
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
