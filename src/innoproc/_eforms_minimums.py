"""The minimum time limits a contract notice is checked against, each with its source.

One row per legal basis (eForms BT-01), procedure type (BT-105) and time limit: the time
limit for receipt of tenders (BT-131) in an open procedure, or for requests to participate
(BT-1311) in the two-stage procedures. Each row has the minimum in days from the date the
contract notice is sent and the reductions the law allows, each with its own source.

Only time limits that run from the sending of the contract notice are here. The time limit
for tenders in a two-stage procedure runs from the invitation to tender, which no notice
carries, so it is not checked (see ``innoproc.eforms``).

``verified=False`` marks a provision whose text the project has not read in the directive
itself or an authentic translation; the figure is the one commonly given, but treat it as
unconfirmed. Norwegian section numbers of the rules (FOA part III, forsyningsforskriften)
are not cited because they could not be confirmed; the counting rule, FOA § 7-6, is.
"""

from __future__ import annotations

from typing import Literal

import attrs

from innoproc._text import Source, Text

Limit = Literal["request", "tender"]
Condition = Literal["electronic", "urgency", "pin", "always"]

#: eForms legal basis codes (BT-01) of the two directives whose time limits are modelled.
PUBLIC_SECTOR = "32014L0024"
UTILITIES = "32014L0025"

_COUNTED = "Regulation 1182/71 art. 3 (FOA § 7-6)"


def _d24(provision: str, *, verified: bool = True) -> Source:
    return Source("Directive 2014/24/EU", f"{provision}; {_COUNTED}", verified=verified)


def _d25(provision: str, *, verified: bool = True) -> Source:
    return Source("Directive 2014/25/EU", f"{provision}; {_COUNTED}", verified=verified)


@attrs.frozen
class Reduction:
    """A shorter minimum the law allows when ``condition`` holds.

    ``electronic``: the lot accepts tenders by electronic means (BT-17 ``required`` or
    ``allowed``); ``urgency``: the notice says the procedure is accelerated (BT-106);
    ``pin``: the lot refers to a prior information notice (BT-125(i)); ``always``: a floor
    below a general rule (the utilities directive). A ``conditional`` reduction depends on
    conditions the notice cannot prove (a duly substantiated urgency, a qualifying prior
    information notice, a reason to depart from the general rule): a time limit that is
    long enough only thanks to it is met, with advice saying what must hold.
    """

    condition: Condition
    days: int
    source: Source
    conditional: bool
    caveat: Text


@attrs.frozen
class Minimum:
    """The minimum for one time limit of one procedure type under one legal basis."""

    legal_basis: str
    procedure: str
    limit: Limit
    days: int
    source: Source
    rule: Text
    reductions: tuple[Reduction, ...] = ()
    #: Set when the notice may say the procedure is accelerated but no reduction exists.
    no_urgency_reduction: bool = False


_PIN_CAVEAT = Text(
    en="The time limit is long enough only with the reduction for a prior information "
    "notice: that notice must have been sent between 35 days and 12 months before the "
    "contract notice and contain the information the contract notice needs, which this "
    "check cannot see.",
    nb="Fristen er lang nok bare med forkortelsen for forhåndskunngjøring: den må være "
    "sendt mellom 35 dager og 12 måneder før kunngjøringen og inneholde opplysningene "
    "kunngjøringen krever, noe denne kontrollen ikke kan se.",
)
_URGENCY_CAVEAT = Text(
    en="The time limit is long enough only with the reduction for urgency: the notice says "
    "the procedure is accelerated, and the urgency must be duly substantiated (BT-1351).",
    nb="Fristen er lang nok bare med forkortelsen for hastesituasjon: kunngjøringen sier at "
    "prosedyren er fremskyndet, og hastesituasjonen må være behørig begrunnet (BT-1351).",
)
_GENERAL_RULE_CAVEAT = Text(
    en="The time limit is shorter than the general rule of 30 days; the utilities directive "
    "allows down to 15 days, but the general rule should be followed unless there is a "
    "reason not to.",
    nb="Fristen er kortere enn hovedregelen på 30 dager; forsyningsdirektivet tillater ned "
    "til 15 dager, men hovedregelen bør følges med mindre det er grunn til noe annet.",
)


def _electronic(source: Source) -> Reduction:
    return Reduction(
        "electronic",
        30,
        source,
        conditional=False,
        caveat=Text(
            en="Tenders may be submitted electronically, so the minimum is 30 days.",
            nb="Tilbud kan leveres elektronisk, så minstefristen er 30 dager.",
        ),
    )


def _utilities_two_stage(procedure: str, article: str, verified: bool, rule: Text) -> Minimum:
    source = _d25(f"art. {article}", verified=verified)
    return Minimum(
        UTILITIES,
        procedure,
        "request",
        30,
        source,
        rule,
        (Reduction("always", 15, source, conditional=True, caveat=_GENERAL_RULE_CAVEAT),),
    )


MINIMUMS: tuple[Minimum, ...] = (
    # Directive 2014/24/EU art. 27(1) second subparagraph: 35 days from the date the contract
    # notice was sent; 27(2): 15 days after a prior information notice sent 35 days to 12
    # months before, with the contract notice's information; 27(3): not less than 15 days
    # for a duly substantiated urgency; 27(4): minus 5 days where tenders may be submitted
    # by electronic means.
    Minimum(
        PUBLIC_SECTOR,
        "open",
        "tender",
        35,
        _d24("art. 27(1)"),
        Text(
            en="In an open procedure the time limit for receipt of tenders must be at least "
            "35 days from the date the contract notice is sent (30 days where tenders may be "
            "submitted electronically; 15 days for a duly substantiated urgency or after a "
            "qualifying prior information notice), counted under Regulation 1182/71.",
            nb="I en åpen anbudskonkurranse må tilbudsfristen være minst 35 dager fra "
            "kunngjøringen ble sendt (30 dager når tilbud kan leveres elektronisk; 15 dager "
            "ved en begrunnet hastesituasjon eller etter en forhåndskunngjøring som oppfyller "
            "vilkårene), regnet etter forskrift om tidsfrister i EØS-avtalen.",
        ),
        (
            _electronic(_d24("art. 27(4)")),
            Reduction("urgency", 15, _d24("art. 27(3)"), True, _URGENCY_CAVEAT),
            Reduction("pin", 15, _d24("art. 27(2)"), True, _PIN_CAVEAT),
        ),
    ),
    # Art. 28(1) second subparagraph: requests to participate, 30 days from the date the
    # contract notice was sent; 28(6)(a): not less than 15 days for a duly substantiated
    # urgency.
    Minimum(
        PUBLIC_SECTOR,
        "restricted",
        "request",
        30,
        _d24("art. 28(1)"),
        Text(
            en="In a restricted procedure the time limit for requests to participate must be "
            "at least 30 days from the date the contract notice is sent (15 days for a duly "
            "substantiated urgency), counted under Regulation 1182/71.",
            nb="I en begrenset anbudskonkurranse må fristen for forespørsel om å delta være "
            "minst 30 dager fra kunngjøringen ble sendt (15 dager ved en begrunnet "
            "hastesituasjon), regnet etter forskrift om tidsfrister i EØS-avtalen.",
        ),
        (Reduction("urgency", 15, _d24("art. 28(6)(a)"), True, _URGENCY_CAVEAT),),
    ),
    # Art. 29(1) fourth subparagraph: 30 days, and art. 28(3) to (6) apply (so 28(6)(a)'s
    # urgency reduction). Read in secondary sources only: unverified.
    Minimum(
        PUBLIC_SECTOR,
        "neg-w-call",
        "request",
        30,
        _d24("art. 29(1)", verified=False),
        Text(
            en="In a competitive procedure with negotiation the time limit for requests to "
            "participate must be at least 30 days from the date the contract notice is sent "
            "(15 days for a duly substantiated urgency), counted under Regulation 1182/71.",
            nb="I en konkurranse med forhandling må fristen for forespørsel om å delta være "
            "minst 30 dager fra kunngjøringen ble sendt (15 dager ved en begrunnet "
            "hastesituasjon), regnet etter forskrift om tidsfrister i EØS-avtalen.",
        ),
        (
            Reduction(
                "urgency",
                15,
                _d24("art. 29(1) with art. 28(6)(a)", verified=False),
                True,
                _URGENCY_CAVEAT,
            ),
        ),
    ),
    # Art. 30(1) second subparagraph: 30 days; the article allows no reduction.
    Minimum(
        PUBLIC_SECTOR,
        "comp-dial",
        "request",
        30,
        _d24("art. 30(1)"),
        Text(
            en="In a competitive dialogue the time limit for requests to participate must be "
            "at least 30 days from the date the contract notice is sent, with no reduction, "
            "counted under Regulation 1182/71.",
            nb="I en konkurransepreget dialog må fristen for forespørsel om å delta være minst "
            "30 dager fra kunngjøringen ble sendt, uten forkortelse, regnet etter forskrift "
            "om tidsfrister i EØS-avtalen.",
        ),
        no_urgency_reduction=True,
    ),
    # Art. 31(1) fourth subparagraph: 30 days; no reduction exists for the innovation
    # partnership (the project's domain notes, fact V3).
    Minimum(
        PUBLIC_SECTOR,
        "innovation",
        "request",
        30,
        _d24("art. 31(1) fourth subparagraph"),
        Text(
            en="In an innovation partnership the time limit for requests to participate must "
            "be at least 30 days from the date the contract notice is sent, with no "
            "reduction, counted under Regulation 1182/71.",
            nb="I et innovasjonspartnerskap må fristen for forespørsel om å delta være minst "
            "30 dager fra kunngjøringen ble sendt, uten forkortelse, regnet etter forskrift "
            "om tidsfrister i EØS-avtalen.",
        ),
        no_urgency_reduction=True,
    ),
    # Directive 2014/25/EU art. 45(1) second subparagraph: 35 days; 45(2): 15 days after a
    # periodic indicative notice (read: verified); 45(3) urgency, not less than 15 days, and
    # 45(4) minus 5 days for electronic submission (not read: unverified).
    Minimum(
        UTILITIES,
        "open",
        "tender",
        35,
        _d25("art. 45(1)"),
        Text(
            en="In an open procedure under the utilities directive the time limit for "
            "receipt of tenders must be at least 35 days from the date the contract notice "
            "is sent (30 days where tenders may be submitted electronically; 15 days for a "
            "duly substantiated urgency or after a qualifying periodic indicative notice), "
            "counted under Regulation 1182/71.",
            nb="I en åpen anbudskonkurranse etter forsyningsdirektivet må tilbudsfristen være "
            "minst 35 dager fra kunngjøringen ble sendt (30 dager når tilbud kan leveres "
            "elektronisk; 15 dager ved en begrunnet hastesituasjon eller etter en veiledende "
            "periodisk kunngjøring som oppfyller vilkårene), regnet etter forskrift om "
            "tidsfrister i EØS-avtalen.",
        ),
        (
            _electronic(_d25("art. 45(4)", verified=False)),
            Reduction("urgency", 15, _d25("art. 45(3)", verified=False), True, _URGENCY_CAVEAT),
            Reduction("pin", 15, _d25("art. 45(2)"), True, _PIN_CAVEAT),
        ),
    ),
    # Arts. 46(1), 47(1), 48(1), 49(1): requests to participate "as a general rule" no less
    # than 30 days from the date the contract notice was sent, "in any event" not less than
    # 15 days. 47(1) and 48(1) read; 46(1) and 49(1) not read: unverified.
    _utilities_two_stage(
        "restricted",
        "46(1)",
        False,
        Text(
            en="In a restricted procedure under the utilities directive the time limit for "
            "requests to participate must as a general rule be at least 30 days from the "
            "date the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71.",
            nb="I en begrenset anbudskonkurranse etter forsyningsdirektivet må fristen for "
            "forespørsel om å delta som hovedregel være minst 30 dager fra kunngjøringen ble "
            "sendt, og aldri under 15 dager, regnet etter forskrift om tidsfrister i "
            "EØS-avtalen.",
        ),
    ),
    _utilities_two_stage(
        "neg-w-call",
        "47(1)",
        True,
        Text(
            en="In a negotiated procedure with prior call for competition under the utilities "
            "directive the time limit for requests to participate must as a general rule be "
            "at least 30 days from the date the contract notice is sent, and never less than "
            "15 days, counted under Regulation 1182/71.",
            nb="I en konkurranse med forhandling etter forutgående kunngjøring etter "
            "forsyningsdirektivet må fristen for forespørsel om å delta som hovedregel være "
            "minst 30 dager fra kunngjøringen ble sendt, og aldri under 15 dager, regnet etter "
            "forskrift om tidsfrister i EØS-avtalen.",
        ),
    ),
    _utilities_two_stage(
        "comp-dial",
        "48(1)",
        True,
        Text(
            en="In a competitive dialogue under the utilities directive the time limit for "
            "requests to participate must as a general rule be at least 30 days from the date "
            "the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71.",
            nb="I en konkurransepreget dialog etter forsyningsdirektivet må fristen for "
            "forespørsel om å delta som hovedregel være minst 30 dager fra kunngjøringen ble "
            "sendt, og aldri under 15 dager, regnet etter forskrift om tidsfrister i "
            "EØS-avtalen.",
        ),
    ),
    _utilities_two_stage(
        "innovation",
        "49(1)",
        False,
        Text(
            en="In an innovation partnership under the utilities directive the time limit "
            "for requests to participate must as a general rule be at least 30 days from the "
            "date the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71.",
            nb="I et innovasjonspartnerskap etter forsyningsdirektivet må fristen for "
            "forespørsel om å delta som hovedregel være minst 30 dager fra kunngjøringen ble "
            "sendt, og aldri under 15 dager, regnet etter forskrift om tidsfrister i "
            "EØS-avtalen.",
        ),
    ),
)

_BY_KEY: dict[tuple[str, str], Minimum] = {(m.legal_basis, m.procedure): m for m in MINIMUMS}


def minimum_for(legal_basis: str, procedure: str) -> Minimum | None:
    """The modelled minimum for a legal basis and procedure type, or ``None``."""
    return _BY_KEY.get((legal_basis, procedure))


#: Below the EEA thresholds (FOA part II) there is no statutory minimum time limit: it must
#: fit the contract's complexity (the project's domain notes, fact V4; ministry guidance
#: "Frister" on regjeringen.no, points 1 and 2).
NATIONAL_NO_MINIMUM = Source(
    "FOA del II; ministry guidance 'Frister' (regjeringen.no)", "points 1 and 2"
)
NO_STATUTORY_MINIMUM = Text(
    en="Below the EEA thresholds Norwegian law sets no minimum time limit; the time limit "
    "must give suppliers enough time, taking the contract's complexity into account.",
    nb="Under EØS-terskelverdiene fastsetter norsk rett ingen minstefrist; fristen må gi "
    "leverandørene tilstrekkelig tid, sett hen til kontraktens kompleksitet.",
)
