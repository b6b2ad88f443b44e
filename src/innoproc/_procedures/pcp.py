"""Pre-commercial procurement (PCP): competitive, phased R&D with down-selection.

Sources: Directive 2014/24/EU art. 14 (the R&D services exemption; in Norway forskrift om
offentlige anskaffelser § 2-5); the framework for state aid for research and development and
innovation, 2014/C 198/01, point 33 (replaced from 19 October 2022 by 2022/C 414/01, section
2.3); the Commission's communication COM(2007) 799 and its staff working document
SEC(2007) 1668, whose PCP model is indicative, not binding: good practice (DOMAIN V14).

Shape: phase 0 preparation (needs, state of the art, open market consultation) -> call for
tenders -> phase 1 solution design -> phase 2 prototyping -> phase 3 original development
and a limited test series -> completed. Suppliers compete in every phase and are
down-selected after each by the evaluation published in the call. PCP never buys commercial
volumes: that needs a separate procurement, opened as a linked follow-on case.

Version 1 (25 November 2026) is frozen. Version 2 (27 November 2026) carries the legal
review's corrections: state aid judged by point 33 as written (the price reflects the market
value of benefits and risks, conditions (a) to (d), (d) being either all IPR to the procurer
with the other results disseminated, or IPR with the suppliers and access for the procurer
and third parties); the R&D exemption judged by art. 14's two conditions and the main
element of the contract being R&D, so prototypes and a limited test series may be included;
the COM(2007) 799 model (suppliers keeping IPR, the minimum number of suppliers per phase)
reported as good practice; rules shared with the innovation partnership cite PCP's sources.
"""

from __future__ import annotations

import re
from datetime import date

from innoproc import _limits
from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._errors import InvalidArgument, shown
from innoproc._sources import (
    COM_2007_799,
    DIRECTIVE_2014_24,
    FRAMEWORK_2014,
    FRAMEWORK_2022,
    FRAMEWORK_2022_FROM,
    SEC_2007_1668,
)
from innoproc._text import Source, Text
from innoproc._time import OSLO
from innoproc.rules import (
    MARKET_DIALOGUE_OUTCOME,
    NEED_DESCRIBED,
    NO_MARKET_SOLUTION,
    found,
    recorded,
)

#: The default minimum number of competing suppliers in each phase. EU law sets none: this is
#: a configurable default, not a rule (COM(2007) 799 speaks of "several" suppliers).
DEFAULT_MIN_SUPPLIERS = 2

_COM = COM_2007_799.at("section 3, with SEC(2007) 1668")
# Point 33(a) of the 2014 framework; the 2022 framework (2022/C 414/01, section 2.3) carries it
# from 19 October 2022 (its point number is not confirmed, DOMAIN V13).
_POINT_33A = FRAMEWORK_2014.at(
    "point 33(a); from 19 October 2022 the 2022 framework (2022/C 414/01) section 2.3"
)
_ART14 = DIRECTIVE_2014_24.at("art. 14")
_AID = FRAMEWORK_2014.at("point 33")

# R&D services that art. 14 can take outside the directive: CPV 73000000-2 to 73120000-9,
# 73300000-5, 73420000-2 and 73430000-5 (Directive 2014/24/EU art. 14).
_CPV = re.compile(r"^(\d{8})-\d$")
_CPV_RANGE = (73000000, 73120000)
_CPV_SINGLE = frozenset({73300000, 73420000, 73430000})


def is_rd_cpv(code: str) -> bool:
    """True if ``code`` (``"73110000-6"``) is one of the R&D services named in art. 14."""
    m = _CPV.match(code.strip())
    if m is None:
        return False
    number = int(m.group(1))
    return _CPV_RANGE[0] <= number <= _CPV_RANGE[1] or number in _CPV_SINGLE


# -- facts ---------------------------------------------------------------------------------

CALL_DOCUMENTS = FactType(
    "pcp-call-documents",
    Text("The PCP call for tenders"),
    fields=(
        Field("cpv_codes", "texts", doc="CPV codes of the services bought.", title="CPV codes"),
        Field(
            "benefits_exclusive_to_procurer",
            "boolean",
            doc="The benefits accrue exclusively to the procurer for its own use.",
        ),
        Field("procurer_pays_in_full", "boolean", doc="The procurer pays the service in full."),
        Field(
            "ipr_stays_with_suppliers",
            "boolean",
            doc="Each supplier keeps IPR in its results.",
            title="IPR stays with the suppliers",
        ),
        Field("procurer_free_use_rights", "boolean", doc="The procurer may use the results free."),
        Field(
            "third_party_licences",
            "boolean",
            required=False,
            doc="The procurer may require non-exclusive licences to third parties on fair "
            "market terms.",
        ),
        Field(
            "open_transparent_selection",
            "boolean",
            doc="Open, transparent, non-discriminatory selection on criteria set in advance.",
        ),
        Field(
            "terms_published_in_advance",
            "boolean",
            doc="Contract terms, IPR included, are published with the call.",
        ),
        Field(
            "no_preferential_follow_on",
            "boolean",
            doc="No supplier is preferred in a later supply of commercial volumes.",
        ),
        Field("market_price", "boolean", doc="The services are priced at market price."),
        Field(
            "evaluation_criteria",
            "texts",
            doc="How suppliers are evaluated and down-selected after each phase.",
        ),
    ),
)

FOLLOW_ON = FactType(
    "follow-on-procurement",
    Text("A follow-on procurement of commercial volumes"),
    fields=(
        Field("procedure", "text", doc="The follow-on case's procedure id."),
        Field("reference", "text", doc="The follow-on case's reference."),
    ),
)

# -- derived ---------------------------------------------------------------------------------

_SELECTING = ("award-phase-1", "start-prototyping", "start-original-development")


def current_suppliers(ctx: Context) -> tuple[str, ...] | None:
    """The suppliers in the current phase (``None`` before phase 1 is awarded)."""
    step = ctx.last_step(*_SELECTING)
    return None if step is None else tuple(step.payload["suppliers"])


# -- preconditions ---------------------------------------------------------------------------


def _rd_services_only(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    codes = call.get("cpv_codes") or ()
    assert isinstance(codes, tuple)
    problems: list[Text] = []
    if not codes:
        problems.append(Text("no CPV code is given"))
    outside = [c for c in codes if not is_rd_cpv(c)]
    if outside:
        listed = ", ".join(outside)
        problems.append(Text("CPV codes outside the R&D services: {listed}", listed=listed))
    if call.get("benefits_exclusive_to_procurer") and call.get("procurer_pays_in_full"):
        problems.append(Text("the benefits accrue exclusively to the procurer and it pays in full"))
    return found(problems, outside=tuple(outside))


# Art. 14: the directive does not apply to R&D services in CPV 73000000-2 to 73120000-9,
# 73300000-5, 73420000-2 and 73430000-5 *unless both* the benefits accrue exclusively to the
# authority for its own use *and* the authority pays in full. Risk-benefit sharing breaks
# the first condition.
RD_SERVICES_ONLY = Precondition(
    code="rd-services-only",
    rule=Text(
        "The scope must be R&D services (CPV 73000000-2 to 73120000-9, 73300000-5, "
        "73420000-2, 73430000-5), and the procurer may not both take all the benefits and "
        "pay in full."
    ),
    source=_ART14,
    test=_rd_services_only,
    reads=(CALL_DOCUMENTS,),
)


def _ipr_sharing(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    problems: list[Text] = []
    if call.get("ipr_stays_with_suppliers") is not True:
        problems.append(Text("suppliers do not keep the IPR in their results"))
    if call.get("procurer_free_use_rights") is not True:
        problems.append(Text("the procurer has no free use rights"))
    if call.get("terms_published_in_advance") is not True:
        problems.append(Text("the terms are not published with the call"))
    return found(problems)


# COM(2007) 799 section 3.2 and SEC(2007) 1668: risks and benefits are shared; each supplier
# keeps the IPR it generates, the procurer gets free use rights and may require licences to
# third parties on fair market terms; the terms are published in the call.
IPR_RISK_BENEFIT_SHARING = Precondition(
    code="ipr-risk-benefit-sharing",
    rule=Text(
        "Suppliers must keep the IPR in their results, the procurer must get free use "
        "rights, and these terms must be published in the call in advance."
    ),
    source=_COM,
    test=_ipr_sharing,
    reads=(CALL_DOCUMENTS,),
)

_AID_CONDITIONS: tuple[tuple[str, Text], ...] = (
    (
        "open_transparent_selection",
        Text(
            "selection is not open, transparent and non-discriminatory on criteria set in advance"
        ),
    ),
    (
        "terms_published_in_advance",
        Text("the contract terms, IPR included, are not published in advance"),
    ),
    (
        "no_preferential_follow_on",
        Text("a supplier may be preferred in the later supply of commercial volumes"),
    ),
    ("market_price", Text("the services are not priced at market price")),
)


def _no_state_aid(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    problems = [text for name, text in _AID_CONDITIONS if call.get(name) is not True]
    return found(problems)


# Version 1 (frozen): 2014/C 198/01 point 33 as the project's first domain notes stated it,
# with "market-price pricing" as a fourth condition. The legal review found that the market
# price is the point's first sentence and condition (d) concerns IPR (DOMAIN V12): version 2
# uses NO_STATE_AID_V2 below.
NO_STATE_AID = Precondition(
    code="no-state-aid",
    rule=Text(
        "To involve no state aid, selection must be open and transparent on criteria set "
        "in advance, terms published in advance, no supplier preferred for commercial "
        "volumes, and prices at market level."
    ),
    source=_AID,
    test=_no_state_aid,
    reads=(CALL_DOCUMENTS,),
)


def _evaluation_set(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    if not call.get("evaluation_criteria"):
        return Shortfall(Text("The call states no evaluation criteria."))
    return None


# COM(2007) 799 section 3 with 2014/C 198/01 point 33(a): the evaluation that down-selects
# suppliers after each phase is set out in the call, in advance.
EVALUATION_SET_IN_ADVANCE = Precondition(
    code="evaluation-set-in-advance",
    rule=Text("The call must set out in advance how suppliers are evaluated after each phase."),
    source=_COM,
    test=_evaluation_set,
    reads=(CALL_DOCUMENTS,),
)


def _tenders_closed(ctx: Context) -> Shortfall | None:
    calls = ctx.steps("publish-call")
    if not calls:  # pragma: no cover - the machine requires the call first
        return Shortfall(Text("The call has not been published."))
    deadline = calls[-1].payload["tender_deadline"]
    if ctx.at < deadline:
        return Shortfall(
            Text(
                "The tender deadline is {value}; it is now {value2}.",
                value=deadline.isoformat(),
                value2=ctx.at.isoformat(),
            ),
            deadline=deadline,
        )
    return None


# Equal treatment (COM(2007) 799 section 3; 2014/C 198/01 point 33(a)): tenders are
# evaluated only after the time limit stated in the call.
TENDERS_CLOSED = Precondition(
    code="tenders-closed",
    rule=Text("Contracts may be awarded only after the tender deadline."),
    source=_COM,
    test=_tenders_closed,
)


def _phase_evaluation(ctx: Context) -> Shortfall | None:
    if ctx.payload["by_published_evaluation"] is not True:
        return Shortfall(Text("The step is not based on the evaluation published in the call."))
    return None


# COM(2007) 799 section 3.1: after each phase, the best solutions are selected by an
# evaluation against the criteria published in the call.
PHASE_EVALUATION = Precondition(
    code="phase-evaluation",
    rule=Text("Down-selection after a phase must follow the evaluation published in the call."),
    source=_COM,
    test=_phase_evaluation,
    uses=("by_published_evaluation",),
)


def competition_kept(min_suppliers: int) -> Precondition:
    """The ``competition-kept`` rule with ``min_suppliers`` as the minimum per phase."""

    def test(ctx: Context) -> Shortfall | None:
        selected = tuple(ctx.payload["suppliers"])
        current = current_suppliers(ctx)
        problems: list[Text] = []
        if len(set(selected)) != len(selected):
            problems.append(Text("a supplier is named twice"))
        if len(set(selected)) < min_suppliers:
            problems.append(
                Text(
                    "{n} supplier(s), fewer than the minimum {min_suppliers}",
                    n=len(set(selected)),
                    min_suppliers=min_suppliers,
                )
            )
        if current is not None:
            strangers = [s for s in selected if s not in current]
            if strangers:
                listed = ", ".join(strangers)
                problems.append(
                    Text(
                        "not in the previous phase: {listed} (the number may never rise)",
                        listed=listed,
                    )
                )
        return found(problems, minimum=min_suppliers, previous=current)

    return Precondition(
        code="competition-kept",
        rule=Text(
            "Each phase must keep at least {min_suppliers} competing suppliers, chosen among those"
            " of the previous phase.",
            min_suppliers=min_suppliers,
        ),
        # The minimum is this procedure's parameter, not an EU rule (DOMAIN notes §2).
        source=_COM.at("section 3 (the minimum per phase is a parameter, not an EU rule)"),
        test=test,
        uses=("suppliers",),
    )


def _volume(ctx: Context) -> Shortfall:
    return Shortfall(
        Text(
            "Open a separate procurement for the commercial volumes (for example an innovation "
            "partnership or an ordinary competition), as a follow-on case linked to this one."
        )
    )


# COM(2007) 799 section 3: PCP covers R&D up to original development of a limited volume of
# first products or services as a test series; commercial volumes are bought in a separate
# procurement (public procurement of innovative solutions, PPI).
VOLUME_NEEDS_NEW_PROCUREMENT = Precondition(
    code="volume-needs-new-procurement",
    rule=Text(
        "A pre-commercial procurement never buys commercial volumes; that needs a "
        "separate procurement."
    ),
    source=_COM,
    test=_volume,
)


# -- version 2: the legal review's corrections -------------------------------------------------

CALL_DOCUMENTS_V2 = FactType(
    "pcp-call-documents",
    CALL_DOCUMENTS.title,
    fields=(
        *(f for f in CALL_DOCUMENTS.fields if f.name != "market_price"),
        Field(
            "market_price",
            "boolean",
            doc="The price fully reflects the market value of the benefits the procurer "
            "receives and the risks the suppliers take.",
        ),
        Field(
            "rd_share",
            "integer",
            doc="The share of the contract's value that is research and development, in per "
            "cent (the rest: prototypes, a limited test series).",
            title="R&D share (per cent)",
        ),
        Field(
            "results_disseminated",
            "boolean",
            required=False,
            doc="Where all IPR goes to the procurer: the results that give rise to no IPR may "
            "be widely disseminated (point 33(d), first alternative).",
        ),
    ),
)

#: The share of a contract's value that must be R&D for R&D to be its main element (DFØ's
#: reading of forskrift om offentlige anskaffelser § 2-5: "over 50 prosent").
RD_MAIN_ELEMENT_SHARE = 50


def _rd_services_only_v2(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS_V2)
    if isinstance(call, Shortfall):
        return call
    codes = call.get("cpv_codes") or ()
    assert isinstance(codes, tuple)
    problems: list[Text] = []
    if not any(is_rd_cpv(c) for c in codes):
        listed = ", ".join(codes) or "none"
        problems.append(
            Text("no CPV code is one of the R&D services (given: {listed})", listed=listed)
        )
    share = call.get("rd_share")
    if not isinstance(share, int) or share <= RD_MAIN_ELEMENT_SHARE:
        problems.append(
            Text(
                "R&D is {share} % of the contract's value, not its main element (more than "
                "{RD_MAIN_ELEMENT_SHARE} %)",
                share=share,
                RD_MAIN_ELEMENT_SHARE=RD_MAIN_ELEMENT_SHARE,
            )
        )
    if call.get("benefits_exclusive_to_procurer") and call.get("procurer_pays_in_full"):
        problems.append(Text("the benefits accrue exclusively to the procurer and it pays in full"))
    return found(problems, share=share)


# Directive 2014/24/EU art. 14 (DOMAIN V11): the directive applies to the R&D services in CPV
# 73000000-2 to 73120000-9, 73300000-5, 73420000-2 and 73430000-5 only where BOTH the benefits
# accrue exclusively to the authority for its own use AND it pays in full; risk-benefit
# sharing breaks the first. In Norway forskrift om offentlige anskaffelser § 2-5, which DFØ
# reads as requiring R&D to be the contract's main element (over 50 % of it); a PCP may
# include prototypes and a limited test series, so other CPV codes beside the R&D services
# are not refused.
RD_SERVICES_ONLY_V2 = Precondition(
    code="rd-services-only",
    rule=Text(
        "The contract must be mainly R&D services (CPV 73000000-2 to 73120000-9, "
        "73300000-5, 73420000-2, 73430000-5; prototypes and a limited test series may be "
        "included), and the procurer may not both reserve all the benefits for itself and pay "
        "in full."
    ),
    source=_ART14.at(
        "art. 14; forskrift om offentlige anskaffelser § 2-5, as DFØ reads it "
        "(«Unntak for enkelte FoU-kontrakter»)"
    ),
    test=_rd_services_only_v2,
    reads=(CALL_DOCUMENTS_V2,),
)


def framework_in_force(day: date) -> Source:
    """The state-aid framework in force on ``day``, cited at its PCP conditions: the 2014
    framework's point 33 until 18 October 2022, then the 2022 framework's section 2.3 (whose
    point number could not be confirmed, DOMAIN V13)."""
    if day < FRAMEWORK_2022_FROM:
        return FRAMEWORK_2014.at("point 33")
    return FRAMEWORK_2022.at("section 2.3 (the point number is not confirmed)", verified=False)


def _no_state_aid_v2(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS_V2)
    if isinstance(call, Shortfall):
        return call
    problems = [
        text
        for name, text in (
            (
                "market_price",
                Text(
                    "the price does not fully reflect the market value of the benefits received "
                    "and the risks taken"
                ),
            ),
            *_AID_CONDITIONS[:3],
        )
        if call.get(name) is not True
    ]
    if not call.get("evaluation_criteria"):
        problems.append(Text("no objective selection and award criteria are set in advance"))
    if call.get("ipr_stays_with_suppliers") is True:
        if call.get("procurer_free_use_rights") is not True:
            problems.append(
                Text(
                    "the suppliers keep the IPR, but the procurer does not get unlimited access to"
                    " the results free of charge"
                )
            )
        if call.get("third_party_licences") is not True:
            problems.append(
                Text(
                    "the suppliers keep the IPR, but third parties do not get access (for example "
                    "non-exclusive licences) under market conditions"
                )
            )
    elif call.get("results_disseminated") is not True:
        problems.append(
            Text(
                "the procurer takes all IPR, but the results that give rise to no IPR are not "
                "widely disseminated"
            )
        )
    day = ctx.at.astimezone(OSLO).date()
    shortfall = found(problems)
    if shortfall is None:
        return None
    return Shortfall(shortfall.text or "", source=framework_in_force(day), **shortfall.details)


# 2014/C 198/01 point 33 (DOMAIN V12, verified): no state aid where the price fully reflects
# the market value of the benefits received and the risks taken, in particular where (a) the
# selection is open, transparent and non-discriminatory on objective selection and award
# criteria set in advance; (b) the contractual arrangements, IPR included, are available to
# all bidders in advance; (c) no supplier gets preferential treatment in supplying commercial
# volumes; and (d) either all IPR go to the procurer and the results giving rise to no IPR
# may be widely disseminated, or a supplier keeping IPR grants the procurer unlimited free
# access and third parties access (such as non-exclusive licences) under market conditions.
# From 19 October 2022 the 2022 framework (2022/C 414/01, section 2.3) carries the same
# conditions; in the EEA, ESA's guidelines carry them. The finding cites the framework in
# force on the day of the step.
NO_STATE_AID_V2 = Precondition(
    code="no-state-aid",
    rule=Text(
        "To involve no state aid, the price must fully reflect the market value of the "
        "benefits and risks: an open, transparent selection on criteria set in advance; the "
        "terms, IPR included, published in advance; no supplier preferred for commercial "
        "volumes; and either all IPR to the procurer with the other results disseminated, or "
        "IPR with the suppliers and access for the procurer and third parties."
    ),
    source=_AID,
    test=_no_state_aid_v2,
    reads=(CALL_DOCUMENTS_V2,),
)


def _suppliers_from_previous_phase(ctx: Context) -> Shortfall | None:
    selected = tuple(ctx.payload["suppliers"])
    current = current_suppliers(ctx)
    problems: list[Text] = []
    if len(set(selected)) != len(selected):
        problems.append(Text("a supplier is named twice"))
    if not selected:
        problems.append(Text("no supplier is named"))
    if current is not None:
        strangers = [s for s in selected if s not in current]
        if strangers:
            listed = ", ".join(strangers)
            problems.append(Text("not in the previous phase: {listed}", listed=listed))
    return found(problems, previous=current)


# Point 33(a): the selection follows the procedure published in advance, so a later phase
# takes its suppliers among those of the previous one, and no one is added.
SUPPLIERS_FROM_PREVIOUS_PHASE = Precondition(
    code="suppliers-from-previous-phase",
    rule=Text(
        "Each phase's suppliers must be chosen among those of the previous phase, each named once."
    ),
    source=_POINT_33A,
    test=_suppliers_from_previous_phase,
    uses=("suppliers",),
)


def competition_kept_v2(min_suppliers: int) -> Precondition:
    """Version 2's ``competition-kept``: at least ``min_suppliers`` distinct suppliers per
    phase, as good practice (the COM(2007) 799 model; EU law sets no minimum)."""

    def test(ctx: Context) -> Shortfall | None:
        count = len(set(ctx.payload["suppliers"]))
        if count < min_suppliers:
            return Shortfall(
                Text(
                    "{count} supplier(s), fewer than the minimum {min_suppliers}.",
                    count=count,
                    min_suppliers=min_suppliers,
                ),
                minimum=min_suppliers,
                count=count,
            )
        return None

    return Precondition(
        code="competition-kept",
        rule=Text(
            "Each phase should keep at least {min_suppliers} competing suppliers.",
            min_suppliers=min_suppliers,
        ),
        source=SEC_2007_1668.at("the model's phases (the minimum is a parameter, not an EU rule)"),
        test=test,
        uses=("suppliers",),
        kind="practice",
    )


# Version 2 cites the PCP sources for the rules shared with the innovation partnership, with
# their standing in PCP: the COM(2007) 799 model is good practice (DOMAIN V14).
NEED_DESCRIBED_PCP = NEED_DESCRIBED.cited(
    COM_2007_799.at("section 3 (phase 0: the need and the state of the art)"), kind="practice"
)
NO_MARKET_SOLUTION_PCP = NO_MARKET_SOLUTION.cited(
    COM_2007_799.at("section 3 (needs that require new R&D)"), kind="practice"
)
IPR_RISK_BENEFIT_SHARING_V2 = Precondition(
    code="ipr-risk-benefit-sharing",
    rule=IPR_RISK_BENEFIT_SHARING.rule,
    source=SEC_2007_1668.at("section 3 (indicative, not binding)"),
    test=_ipr_sharing,
    reads=(CALL_DOCUMENTS_V2,),
    kind="practice",
)
EVALUATION_SET_IN_ADVANCE_V2 = Precondition(
    code="evaluation-set-in-advance",
    rule=EVALUATION_SET_IN_ADVANCE.rule,
    source=_POINT_33A,
    test=_evaluation_set,
    reads=(CALL_DOCUMENTS_V2,),
)
TENDERS_CLOSED_V2 = TENDERS_CLOSED.cited(_POINT_33A)
PHASE_EVALUATION_V2 = PHASE_EVALUATION.cited(_POINT_33A)
VOLUME_NEEDS_NEW_PROCUREMENT_V2 = VOLUME_NEEDS_NEW_PROCUREMENT.cited(
    FRAMEWORK_2014.at(
        "section 1.3, definition of pre-commercial procurement (commercial volumes are not an "
        "object of the same contract; likewise the 2022 framework); Directive 2014/24/EU art. 14"
    )
)

# -- the procedure -----------------------------------------------------------------------------


def _selection_event(
    name: str,
    title: Text,
    source: str,
    dest: str,
    requires: tuple[Precondition, ...],
) -> Event:
    return Event(
        name,
        title,
        source=source,
        dest=dest,
        requires=requires,
        fields=(
            Field("suppliers", "texts", doc="The suppliers that go on to the next phase."),
            Field(
                "by_published_evaluation",
                "boolean",
                doc="The selection follows the evaluation published in the call.",
            ),
        ),
    )


_ACTIVE = ("solution-design", "prototyping", "original-development")
_ALL = ("preparation", "call-for-tenders", *_ACTIVE, "completed", "terminated", "cancelled")
_STATES = (
    State("preparation", Text("Phase 0: preparation"), initial=True),
    State("call-for-tenders", Text("Call for tenders")),
    State(
        "solution-design",
        Text("Phase 1: solution design"),
        group="phases",
    ),
    State(
        "prototyping",
        Text("Phase 2: prototyping"),
        group="phases",
    ),
    State(
        "original-development",
        Text("Phase 3: original development and test series"),
        group="phases",
    ),
    State("completed", Text("Completed"), final=True),
    State("terminated", Text("Terminated"), final=True),
    State("cancelled", Text("Cancelled"), final=True),
)

#: The released versions of the procedure, with the day each came into use.
VERSIONS: dict[int, date] = {1: date(2026, 11, 25), 2: date(2026, 11, 27)}


def pre_commercial_procurement(
    *, min_suppliers: int = DEFAULT_MIN_SUPPLIERS, version: int | None = None
) -> Procedure:
    """The PCP procedure, with ``min_suppliers`` competing suppliers per phase.

    The registered procedure uses the default of 2. EU law sets no minimum; pass another
    value for a stricter programme and give the result to ``innoproc.open_case`` and
    ``innoproc.loads``. ``version`` chooses a released version of the rules (the latest when
    ``None``): in version 1 the minimum blocks, in version 2 it is good practice.
    """
    if (
        isinstance(min_suppliers, bool)
        or not isinstance(min_suppliers, int)
        or not 1 <= min_suppliers <= _limits.MAX_INT
    ):
        raise InvalidArgument(
            "min_suppliers must be a whole number of at least 1 (and at most 2**63 - 1), "
            f"got {shown(min_suppliers)}",
            "min_suppliers",
        )
    if version is None:
        version = max(VERSIONS)
    if version not in VERSIONS:
        raise InvalidArgument(
            f"version must be one of {', '.join(map(str, VERSIONS))}, got {shown(version)}",
            "version",
        )
    if version == 1:
        keep = competition_kept(min_suppliers)
        publish: tuple[Precondition, ...] = (
            NEED_DESCRIBED,
            NO_MARKET_SOLUTION,
            RD_SERVICES_ONLY,
            IPR_RISK_BENEFIT_SHARING,
            NO_STATE_AID,
            EVALUATION_SET_IN_ADVANCE,
        )
        award: tuple[Precondition, ...] = (TENDERS_CLOSED, keep)
        select: tuple[Precondition, ...] = (PHASE_EVALUATION, keep)
        evaluation, volume, call = PHASE_EVALUATION, VOLUME_NEEDS_NEW_PROCUREMENT, CALL_DOCUMENTS
        changes = None
    else:
        keep = competition_kept_v2(min_suppliers)
        publish = (
            NEED_DESCRIBED_PCP,
            NO_MARKET_SOLUTION_PCP,
            RD_SERVICES_ONLY_V2,
            IPR_RISK_BENEFIT_SHARING_V2,
            NO_STATE_AID_V2,
            EVALUATION_SET_IN_ADVANCE_V2,
        )
        award = (TENDERS_CLOSED_V2, SUPPLIERS_FROM_PREVIOUS_PHASE, keep)
        select = (PHASE_EVALUATION_V2, SUPPLIERS_FROM_PREVIOUS_PHASE, keep)
        evaluation, volume, call = (
            PHASE_EVALUATION_V2,
            VOLUME_NEEDS_NEW_PROCUREMENT_V2,
            CALL_DOCUMENTS_V2,
        )
        changes = Text(
            "Corrections after a legal review: no state aid judged by point 33 as written "
            "(market value of benefits and risks; IPR to the procurer with the results "
            "disseminated, or with the suppliers and access for the procurer and third "
            "parties), citing the framework in force; the R&D exemption judged by art. 14's "
            "two conditions and R&D being the main element, allowing prototypes and a test "
            "series; the COM(2007) 799 model and the minimum number of suppliers reported as "
            "good practice; suppliers of a phase chosen among those of the previous one."
        )
    return Procedure(
        "pre-commercial-procurement",
        title=Text("Pre-commercial procurement"),
        source=_ART14.at("art. 14; 2014/C 198/01 point 33; COM(2007) 799"),
        description=(
            "Buy competing R&D in phases (solution design, prototyping, original development) "
            f"with down-selection after each; at least {min_suppliers} suppliers per phase."
        ),
        version=version,
        released=VERSIONS[version],
        changes=changes,
        states=_STATES,
        events=(
            Event(
                "publish-call",
                Text("Publish the call for tenders"),
                source="preparation",
                dest="call-for-tenders",
                requires=publish,
                fields=(Field("tender_deadline", "datetime", doc="The tender deadline."),),
            ),
            Event(
                "award-phase-1",
                Text("Award phase 1 contracts"),
                source="call-for-tenders",
                dest="solution-design",
                requires=award,
                fields=(Field("suppliers", "texts", doc="The suppliers awarded phase 1."),),
            ),
            _selection_event(
                "start-prototyping",
                Text("Down-select and start prototyping"),
                "solution-design",
                "prototyping",
                select,
            ),
            _selection_event(
                "start-original-development",
                Text("Down-select and start original development"),
                "prototyping",
                "original-development",
                select,
            ),
            Event(
                "complete",
                Text("Complete the test series"),
                source="original-development",
                dest="completed",
                requires=(evaluation,),
                fields=(
                    Field("by_published_evaluation", "boolean"),
                    Field("results", "text", required=False, doc="What the test series showed."),
                ),
            ),
            Event(
                "terminate",
                Text("Terminate during R&D"),
                source=_ACTIVE,
                dest="terminated",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "cancel",
                Text("Cancel before award"),
                source=("preparation", "call-for-tenders"),
                dest="cancelled",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "buy-commercial-volumes",
                Text("Buy commercial volumes"),
                source=_ALL,
                dest=None,
                requires=(volume,),
                doc="Always refused: commercial volumes need a separate procurement.",
            ),
        ),
        facts=(MARKET_DIALOGUE_OUTCOME, call, FOLLOW_ON),
    )


PRE_COMMERCIAL_PROCUREMENT_V1 = pre_commercial_procurement(version=1)
PRE_COMMERCIAL_PROCUREMENT = pre_commercial_procurement()
