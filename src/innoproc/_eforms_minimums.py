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

_D24 = Source("Directive 2014/24/EU")
_D25 = Source("Directive 2014/25/EU")


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
    "The time limit is long enough only with the reduction for a prior information "
    "notice: that notice must have been sent between 35 days and 12 months before the "
    "contract notice and contain the information the contract notice needs, which this "
    "check cannot see."
)
_URGENCY_CAVEAT = Text(
    "The time limit is long enough only with the reduction for urgency: the notice says "
    "the procedure is accelerated, and the urgency must be duly substantiated (BT-1351)."
)
_GENERAL_RULE_CAVEAT = Text(
    "The time limit is shorter than the general rule of 30 days; the utilities directive "
    "allows down to 15 days, but the general rule should be followed unless there is a "
    "reason not to."
)


def _electronic(source: Source) -> Reduction:
    return Reduction(
        "electronic",
        30,
        source,
        conditional=False,
        caveat=Text("Tenders may be submitted electronically, so the minimum is 30 days."),
    )


def _utilities_two_stage(procedure: str, source: Source, rule: Text) -> Minimum:
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
        _D24.at("art. 27(1); Regulation 1182/71 art. 3 (FOA § 7-6)"),
        Text(
            "In an open procedure the time limit for receipt of tenders must be at least "
            "35 days from the date the contract notice is sent (30 days where tenders may be "
            "submitted electronically; 15 days for a duly substantiated urgency or after a "
            "qualifying prior information notice), counted under Regulation 1182/71."
        ),
        (
            _electronic(_D24.at("art. 27(4); Regulation 1182/71 art. 3 (FOA § 7-6)")),
            Reduction(
                "urgency",
                15,
                _D24.at("art. 27(3); Regulation 1182/71 art. 3 (FOA § 7-6)"),
                True,
                _URGENCY_CAVEAT,
            ),
            Reduction(
                "pin",
                15,
                _D24.at("art. 27(2); Regulation 1182/71 art. 3 (FOA § 7-6)"),
                True,
                _PIN_CAVEAT,
            ),
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
        _D24.at("art. 28(1); Regulation 1182/71 art. 3 (FOA § 7-6)"),
        Text(
            "In a restricted procedure the time limit for requests to participate must be "
            "at least 30 days from the date the contract notice is sent (15 days for a duly "
            "substantiated urgency), counted under Regulation 1182/71."
        ),
        (
            Reduction(
                "urgency",
                15,
                _D24.at("art. 28(6)(a); Regulation 1182/71 art. 3 (FOA § 7-6)"),
                True,
                _URGENCY_CAVEAT,
            ),
        ),
    ),
    # Art. 29(1) fourth subparagraph: 30 days, and art. 28(3) to (6) apply (so 28(6)(a)'s
    # urgency reduction). Read in secondary sources only: unverified.
    Minimum(
        PUBLIC_SECTOR,
        "neg-w-call",
        "request",
        30,
        _D24.at("art. 29(1); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=False),
        Text(
            "In a competitive procedure with negotiation the time limit for requests to "
            "participate must be at least 30 days from the date the contract notice is sent "
            "(15 days for a duly substantiated urgency), counted under Regulation 1182/71."
        ),
        (
            Reduction(
                "urgency",
                15,
                _D24.at(
                    "art. 29(1) with art. 28(6)(a); Regulation 1182/71 art. 3 (FOA § 7-6)",
                    verified=False,
                ),
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
        _D24.at("art. 30(1); Regulation 1182/71 art. 3 (FOA § 7-6)"),
        Text(
            "In a competitive dialogue the time limit for requests to participate must be "
            "at least 30 days from the date the contract notice is sent, with no reduction, "
            "counted under Regulation 1182/71."
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
        _D24.at("art. 31(1) fourth subparagraph; Regulation 1182/71 art. 3 (FOA § 7-6)"),
        Text(
            "In an innovation partnership the time limit for requests to participate must "
            "be at least 30 days from the date the contract notice is sent, with no "
            "reduction, counted under Regulation 1182/71."
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
        _D25.at("art. 45(1); Regulation 1182/71 art. 3 (FOA § 7-6)"),
        Text(
            "In an open procedure under the utilities directive the time limit for "
            "receipt of tenders must be at least 35 days from the date the contract notice "
            "is sent (30 days where tenders may be submitted electronically; 15 days for a "
            "duly substantiated urgency or after a qualifying periodic indicative notice), "
            "counted under Regulation 1182/71."
        ),
        (
            _electronic(
                _D25.at("art. 45(4); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=False)
            ),
            Reduction(
                "urgency",
                15,
                _D25.at("art. 45(3); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=False),
                True,
                _URGENCY_CAVEAT,
            ),
            Reduction(
                "pin",
                15,
                _D25.at("art. 45(2); Regulation 1182/71 art. 3 (FOA § 7-6)"),
                True,
                _PIN_CAVEAT,
            ),
        ),
    ),
    # Arts. 46(1), 47(1), 48(1), 49(1): requests to participate "as a general rule" no less
    # than 30 days from the date the contract notice was sent, "in any event" not less than
    # 15 days. 47(1) and 48(1) read; 46(1) and 49(1) not read: unverified.
    _utilities_two_stage(
        "restricted",
        _D25.at("art. 46(1); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=False),
        Text(
            "In a restricted procedure under the utilities directive the time limit for "
            "requests to participate must as a general rule be at least 30 days from the "
            "date the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71."
        ),
    ),
    _utilities_two_stage(
        "neg-w-call",
        _D25.at("art. 47(1); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=True),
        Text(
            "In a negotiated procedure with prior call for competition under the utilities "
            "directive the time limit for requests to participate must as a general rule be "
            "at least 30 days from the date the contract notice is sent, and never less than "
            "15 days, counted under Regulation 1182/71."
        ),
    ),
    _utilities_two_stage(
        "comp-dial",
        _D25.at("art. 48(1); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=True),
        Text(
            "In a competitive dialogue under the utilities directive the time limit for "
            "requests to participate must as a general rule be at least 30 days from the date "
            "the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71."
        ),
    ),
    _utilities_two_stage(
        "innovation",
        _D25.at("art. 49(1); Regulation 1182/71 art. 3 (FOA § 7-6)", verified=False),
        Text(
            "In an innovation partnership under the utilities directive the time limit "
            "for requests to participate must as a general rule be at least 30 days from the "
            "date the contract notice is sent, and never less than 15 days, counted under "
            "Regulation 1182/71."
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
    "Below the EEA thresholds Norwegian law sets no minimum time limit; the time limit "
    "must give suppliers enough time, taking the contract's complexity into account."
)
