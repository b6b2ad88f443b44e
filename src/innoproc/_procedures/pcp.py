"""Pre-commercial procurement (PCP): competitive, phased R&D with down-selection.

Sources: Commission communication COM(2007) 799 and its staff working document
SEC(2007) 1668; Directive 2014/24/EU art. 14 (the R&D services exemption); the framework for
state aid for research and development and innovation, 2014/C 198/01, point 33. Seed 001
("Midler til før-kommersielle anskaffelser").

Shape: phase 0 preparation (needs, state of the art, open market consultation) -> call for
tenders -> phase 1 solution design -> phase 2 prototyping -> phase 3 original development
and a limited test series -> completed. Suppliers compete in every phase and are
down-selected after each by the evaluation published in the call. PCP never buys commercial
volumes: that needs a separate procurement (``innoproc.open_follow_on``).
"""

from __future__ import annotations

import re

from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._text import Source, Text
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

_COM = Source("COM(2007) 799", "section 3 and annex (SEC(2007) 1668)")
_ART14 = Source("Directive 2014/24/EU", "art. 14")
_AID = Source("State aid framework for R&D&I, 2014/C 198/01", "point 33")

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
    Text(en="The PCP call for tenders", nb="Konkurransegrunnlaget for FKA"),
    fields=(
        Field("cpv_codes", "texts", doc="CPV codes of the services bought."),
        Field(
            "benefits_exclusive_to_procurer",
            "boolean",
            doc="The benefits accrue exclusively to the procurer for its own use.",
        ),
        Field("procurer_pays_in_full", "boolean", doc="The procurer pays the service in full."),
        Field("ipr_stays_with_suppliers", "boolean", doc="Each supplier keeps IPR in its results."),
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
    Text(en="A follow-on procurement of commercial volumes", nb="Etterfølgende anskaffelse"),
    fields=(
        Field("procedure", "text", doc="The follow-on case's procedure id."),
        Field("reference", "text", doc="The follow-on case's reference."),
    ),
)

# -- derived ---------------------------------------------------------------------------------

_SELECTING = ("award-phase-1", "start-prototyping", "start-original-development")


def current_suppliers(ctx: Context) -> tuple[str, ...] | None:
    """The suppliers in the current phase (``None`` before phase 1 is awarded)."""
    current: tuple[str, ...] | None = None
    for step in ctx.steps():
        if step.event in _SELECTING:
            current = tuple(step.payload["suppliers"])
    return current


# -- preconditions ---------------------------------------------------------------------------


def _rd_services_only(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    codes = call.get("cpv_codes") or ()
    assert isinstance(codes, tuple)
    problems: list[tuple[str, str]] = []
    if not codes:
        problems.append(("no CPV code is given", "ingen CPV-kode er oppgitt"))
    outside = [c for c in codes if not is_rd_cpv(c)]
    if outside:
        listed = ", ".join(outside)
        problems.append(
            (f"CPV codes outside the R&D services: {listed}", f"CPV-koder utenfor FoU: {listed}")
        )
    if call.get("benefits_exclusive_to_procurer") and call.get("procurer_pays_in_full"):
        problems.append(
            (
                "the benefits accrue exclusively to the procurer and it pays in full",
                "gevinsten tilfaller bare oppdragsgiver og den betaler fullt ut",
            )
        )
    return found(problems, outside=tuple(outside))


# Art. 14: the directive does not apply to R&D services in CPV 73000000-2 to 73120000-9,
# 73300000-5, 73420000-2 and 73430000-5 *unless both* the benefits accrue exclusively to the
# authority for its own use *and* the authority pays in full. Risk-benefit sharing breaks
# the first condition.
RD_SERVICES_ONLY = Precondition(
    code="rd-services-only",
    rule=Text(
        en="The scope must be R&D services (CPV 73000000-2 to 73120000-9, 73300000-5, "
        "73420000-2, 73430000-5), and the procurer may not both take all the benefits and "
        "pay in full.",
        nb="Omfanget må være FoU-tjenester (CPV 73000000-2 til 73120000-9, 73300000-5, "
        "73420000-2, 73430000-5), og oppdragsgiver kan ikke både ta hele gevinsten og "
        "betale fullt ut.",
    ),
    source=_ART14,
    test=_rd_services_only,
    reads=(CALL_DOCUMENTS,),
)


def _ipr_sharing(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    problems: list[tuple[str, str]] = []
    if call.get("ipr_stays_with_suppliers") is not True:
        problems.append(
            (
                "suppliers do not keep the IPR in their results",
                "leverandørene beholder ikke rettighetene til sine resultater",
            )
        )
    if call.get("procurer_free_use_rights") is not True:
        problems.append(
            ("the procurer has no free use rights", "oppdragsgiver har ikke fri bruksrett")
        )
    if call.get("terms_published_in_advance") is not True:
        problems.append(
            (
                "the terms are not published with the call",
                "vilkårene er ikke kunngjort sammen med konkurransen",
            )
        )
    return found(problems)


# COM(2007) 799 section 3.2 and SEC(2007) 1668: risks and benefits are shared; each supplier
# keeps the IPR it generates, the procurer gets free use rights and may require licences to
# third parties on fair market terms; the terms are published in the call.
IPR_RISK_BENEFIT_SHARING = Precondition(
    code="ipr-risk-benefit-sharing",
    rule=Text(
        en="Suppliers must keep the IPR in their results, the procurer must get free use "
        "rights, and these terms must be published in the call in advance.",
        nb="Leverandørene må beholde rettighetene til sine resultater, oppdragsgiver må få "
        "fri bruksrett, og vilkårene må være kunngjort i konkurransen på forhånd.",
    ),
    source=_COM,
    test=_ipr_sharing,
    reads=(CALL_DOCUMENTS,),
)

_AID_CONDITIONS: tuple[tuple[str, str, str], ...] = (
    (
        "open_transparent_selection",
        "selection is not open, transparent and non-discriminatory on criteria set in advance",
        "utvelgelsen er ikke åpen, gjennomsiktig og ikke-diskriminerende etter forhåndsgitte "
        "kriterier",
    ),
    (
        "terms_published_in_advance",
        "the contract terms, IPR included, are not published in advance",
        "kontraktsvilkårene, med rettigheter, er ikke kunngjort på forhånd",
    ),
    (
        "no_preferential_follow_on",
        "a supplier may be preferred in the later supply of commercial volumes",
        "en leverandør kan bli foretrukket ved senere levering av kommersielle volumer",
    ),
    (
        "market_price",
        "the services are not priced at market price",
        "tjenestene er ikke priset til markedspris",
    ),
)


def _no_state_aid(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    problems = [(en, nb) for name, en, nb in _AID_CONDITIONS if call.get(name) is not True]
    return found(problems)


# 2014/C 198/01 point 33: a PCP involves no state aid to suppliers where (a) selection is
# open, transparent and non-discriminatory on objective criteria set in advance; (b) the
# contract terms, IPR included, are available to all bidders before the tender; (c) no
# supplier gets preferential treatment in the supply of commercial volumes; and (d) the
# price reflects market conditions. The fourth condition is as the project's domain notes
# state it ("market-price pricing"); the framework's own wording of (d), which speaks of IPR
# allocation and access on market terms, was not re-read for this release.
NO_STATE_AID = Precondition(
    code="no-state-aid",
    rule=Text(
        en="To involve no state aid, selection must be open and transparent on criteria set "
        "in advance, terms published in advance, no supplier preferred for commercial "
        "volumes, and prices at market level.",
        nb="For å unngå statsstøtte må utvelgelsen være åpen og gjennomsiktig etter "
        "forhåndsgitte kriterier, vilkårene kunngjort på forhånd, ingen leverandør "
        "foretrukket for kommersielle volumer, og prisene på markedsnivå.",
    ),
    source=Source(_AID.instrument, _AID.provision, verified=False),
    test=_no_state_aid,
    reads=(CALL_DOCUMENTS,),
)


def _evaluation_set(ctx: Context) -> Shortfall | None:
    call = recorded(ctx, CALL_DOCUMENTS)
    if isinstance(call, Shortfall):
        return call
    if not call.get("evaluation_criteria"):
        return Shortfall(
            "The call states no evaluation criteria.",
            "Konkurransen angir ingen evalueringskriterier.",
        )
    return None


# COM(2007) 799 section 3 with 2014/C 198/01 point 33(a): the evaluation that down-selects
# suppliers after each phase is set out in the call, in advance.
EVALUATION_SET_IN_ADVANCE = Precondition(
    code="evaluation-set-in-advance",
    rule=Text(
        en="The call must set out in advance how suppliers are evaluated after each phase.",
        nb="Konkurransen må på forhånd angi hvordan leverandørene evalueres etter hver fase.",
    ),
    source=_COM,
    test=_evaluation_set,
    reads=(CALL_DOCUMENTS,),
)


def _tenders_closed(ctx: Context) -> Shortfall | None:
    calls = ctx.steps("publish-call")
    if not calls:  # pragma: no cover - the machine requires the call first
        return Shortfall("The call has not been published.", "Konkurransen er ikke kunngjort.")
    deadline = calls[-1].payload["tender_deadline"]
    if ctx.at < deadline:
        return Shortfall(
            f"The tender deadline is {deadline.isoformat()}; it is now {ctx.at.isoformat()}.",
            f"Tilbudsfristen er {deadline.isoformat()}; nå er det {ctx.at.isoformat()}.",
            deadline=deadline,
        )
    return None


# Equal treatment (COM(2007) 799 section 3; 2014/C 198/01 point 33(a)): tenders are
# evaluated only after the time limit stated in the call.
TENDERS_CLOSED = Precondition(
    code="tenders-closed",
    rule=Text(
        en="Contracts may be awarded only after the tender deadline.",
        nb="Kontrakter kan først tildeles etter tilbudsfristen.",
    ),
    source=_COM,
    test=_tenders_closed,
)


def _phase_evaluation(ctx: Context) -> Shortfall | None:
    if ctx.payload["by_published_evaluation"] is not True:
        return Shortfall(
            "The step is not based on the evaluation published in the call.",
            "Steget bygger ikke på evalueringen som ble kunngjort i konkurransen.",
        )
    return None


# COM(2007) 799 section 3.1: after each phase, the best solutions are selected by an
# evaluation against the criteria published in the call.
PHASE_EVALUATION = Precondition(
    code="phase-evaluation",
    rule=Text(
        en="Down-selection after a phase must follow the evaluation published in the call.",
        nb="Nedvalg etter en fase må følge evalueringen som ble kunngjort i konkurransen.",
    ),
    source=_COM,
    test=_phase_evaluation,
    uses=("by_published_evaluation",),
)


def competition_kept(min_suppliers: int) -> Precondition:
    """The ``competition-kept`` rule with ``min_suppliers`` as the minimum per phase."""

    def test(ctx: Context) -> Shortfall | None:
        selected = tuple(ctx.payload["suppliers"])
        current = current_suppliers(ctx)
        problems: list[tuple[str, str]] = []
        if len(set(selected)) != len(selected):
            problems.append(("a supplier is named twice", "en leverandør er oppgitt to ganger"))
        if len(set(selected)) < min_suppliers:
            problems.append(
                (
                    f"{len(set(selected))} supplier(s), fewer than the minimum {min_suppliers}",
                    f"{len(set(selected))} leverandør(er), færre enn minimum {min_suppliers}",
                )
            )
        if current is not None:
            strangers = [s for s in selected if s not in current]
            if strangers:
                listed = ", ".join(strangers)
                problems.append(
                    (
                        f"not in the previous phase: {listed} (the number may never rise)",
                        f"var ikke med i forrige fase: {listed} (antallet kan aldri øke)",
                    )
                )
        return found(problems, minimum=min_suppliers, previous=current)

    return Precondition(
        code="competition-kept",
        rule=Text(
            en=f"Each phase must keep at least {min_suppliers} competing suppliers, chosen "
            "among those of the previous phase.",
            nb=f"Hver fase må ha minst {min_suppliers} konkurrerende leverandører, valgt blant "
            "dem i forrige fase.",
        ),
        # The minimum is this procedure's parameter, not an EU rule (DOMAIN notes §2).
        source=Source(_COM.instrument, "section 3.1 (minimum per phase: a parameter)"),
        test=test,
        uses=("suppliers",),
    )


def _volume(ctx: Context) -> Shortfall:
    return Shortfall(
        "Open a separate procurement for the commercial volumes (for example an innovation "
        "partnership or an ordinary tender) with innoproc.open_follow_on(case, ...).",
        "Åpne en egen anskaffelse for de kommersielle volumene (for eksempel et "
        "innovasjonspartnerskap eller en ordinær konkurranse) med "
        "innoproc.open_follow_on(case, ...).",
    )


# COM(2007) 799 section 3: PCP covers R&D up to original development of a limited volume of
# first products or services as a test series; commercial volumes are bought in a separate
# procurement (public procurement of innovative solutions, PPI).
VOLUME_NEEDS_NEW_PROCUREMENT = Precondition(
    code="volume-needs-new-procurement",
    rule=Text(
        en="A pre-commercial procurement never buys commercial volumes; that needs a "
        "separate procurement.",
        nb="En førkommersiell anskaffelse kjøper aldri kommersielle volumer; det krever en "
        "egen anskaffelse.",
    ),
    source=_COM,
    test=_volume,
)


def _selection_event(
    name: str, en: str, nb: str, source: str, dest: str, keep: Precondition
) -> Event:
    return Event(
        name,
        Text(en=en, nb=nb),
        source=source,
        dest=dest,
        requires=(PHASE_EVALUATION, keep),
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


def pre_commercial_procurement(*, min_suppliers: int = DEFAULT_MIN_SUPPLIERS) -> Procedure:
    """The PCP procedure, with ``min_suppliers`` competing suppliers required per phase.

    The registered procedure uses the default of 2. EU law sets no minimum; pass another
    value for a stricter programme and give the result to ``innoproc.open_case`` and
    ``innoproc.loads``.
    """
    if isinstance(min_suppliers, bool) or not isinstance(min_suppliers, int) or min_suppliers < 1:
        raise ValueError(
            f"min_suppliers must be a whole number of at least 1, got {min_suppliers!r}"
        )
    keep = competition_kept(min_suppliers)
    return Procedure(
        "pre-commercial-procurement",
        title=Text(en="Pre-commercial procurement", nb="Førkommersiell anskaffelse"),
        source=Source("COM(2007) 799; Directive 2014/24/EU art. 14; 2014/C 198/01", "point 33"),
        description=(
            "Buy competing R&D in phases (solution design, prototyping, original development) "
            f"with down-selection after each; at least {min_suppliers} suppliers per phase."
        ),
        states=(
            State(
                "preparation",
                Text(en="Phase 0: preparation", nb="Fase 0: forberedelse"),
                initial=True,
            ),
            State("call-for-tenders", Text(en="Call for tenders", nb="Konkurranse")),
            State(
                "solution-design",
                Text(en="Phase 1: solution design", nb="Fase 1: løsningsdesign"),
                group="phases",
            ),
            State(
                "prototyping",
                Text(en="Phase 2: prototyping", nb="Fase 2: prototyper"),
                group="phases",
            ),
            State(
                "original-development",
                Text(
                    en="Phase 3: original development and test series",
                    nb="Fase 3: utvikling og testserie",
                ),
                group="phases",
            ),
            State("completed", Text(en="Completed", nb="Fullført"), final=True),
            State("terminated", Text(en="Terminated", nb="Avsluttet"), final=True),
            State("cancelled", Text(en="Cancelled", nb="Avlyst"), final=True),
        ),
        events=(
            Event(
                "publish-call",
                Text(en="Publish the call for tenders", nb="Kunngjør konkurransen"),
                source="preparation",
                dest="call-for-tenders",
                requires=(
                    NEED_DESCRIBED,
                    NO_MARKET_SOLUTION,
                    RD_SERVICES_ONLY,
                    IPR_RISK_BENEFIT_SHARING,
                    NO_STATE_AID,
                    EVALUATION_SET_IN_ADVANCE,
                ),
                fields=(Field("tender_deadline", "datetime", doc="The tender deadline."),),
            ),
            Event(
                "award-phase-1",
                Text(en="Award phase 1 contracts", nb="Tildel kontrakter for fase 1"),
                source="call-for-tenders",
                dest="solution-design",
                requires=(TENDERS_CLOSED, keep),
                fields=(Field("suppliers", "texts", doc="The suppliers awarded phase 1."),),
            ),
            _selection_event(
                "start-prototyping",
                "Down-select and start prototyping",
                "Velg ut og start prototyping",
                "solution-design",
                "prototyping",
                keep,
            ),
            _selection_event(
                "start-original-development",
                "Down-select and start original development",
                "Velg ut og start utvikling og testserie",
                "prototyping",
                "original-development",
                keep,
            ),
            Event(
                "complete",
                Text(en="Complete the test series", nb="Fullfør testserien"),
                source="original-development",
                dest="completed",
                requires=(PHASE_EVALUATION,),
                fields=(
                    Field("by_published_evaluation", "boolean"),
                    Field("results", "text", required=False, doc="What the test series showed."),
                ),
            ),
            Event(
                "terminate",
                Text(en="Terminate during R&D", nb="Avslutt under FoU"),
                source=_ACTIVE,
                dest="terminated",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "cancel",
                Text(en="Cancel before award", nb="Avlys før tildeling"),
                source=("preparation", "call-for-tenders"),
                dest="cancelled",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "buy-commercial-volumes",
                Text(en="Buy commercial volumes", nb="Kjøp kommersielle volumer"),
                source=_ALL,
                dest=None,
                requires=(VOLUME_NEEDS_NEW_PROCUREMENT,),
                doc="Always refused: commercial volumes need a separate procurement.",
            ),
        ),
        facts=(MARKET_DIALOGUE_OUTCOME, CALL_DOCUMENTS, FOLLOW_ON),
    )


PRE_COMMERCIAL_PROCUREMENT = pre_commercial_procurement()
