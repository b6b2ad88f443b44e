"""Innovation Norway's calls for innovation partnerships (with LUP and Difi in 2017).

The 2017 sketch competition (presented by Riche Vestby, «Innovasjonspartnerskap - spennende
mulighet for modige og ambisiøse offentlige virksomheter»): Innovation Norway, the supplier
development programme (LUP) and Difi invite public bodies to a sketch competition for
public-private innovation projects; sketches by 21 August 2017; a large, unsolved problem or
societal need with no good solution today.

The 2020 call («75 millioner kroner til innovasjonspartnerskap», reported by Norwegian Smart
Care Cluster, February 2020): NOK 75 million for innovation partnerships; sketches by
16 April 2020 at 17:00; only publicly funded bodies that carry out public tasks and are
covered by the procurement rules may apply, companies and private persons may not; four
criteria groups: a societal challenge, implementation ability, value creation for industry,
collaboration.
A grant leads to an innovation partnership.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from innoproc._schemes.model import Criterion, Eligibility, Round, Scheme
from innoproc._sources import PARTNERSHIP_CALL_2020 as _S2020
from innoproc._sources import SKETCH_COMPETITION_2017 as _S2017
from innoproc._text import Text
from innoproc._time import OSLO
from innoproc.deadlines import end_of_day

SKETCH_COMPETITION_2017 = Scheme(
    "innovation-norway-sketch-2017",
    title=Text("Sketch competition for innovation partnerships 2017"),
    owners=("Innovasjon Norge", "Leverandørutviklingsprogrammet (LUP)", "Difi"),
    source=_S2017,
    budget=None,  # the call states no amount
    eligibility=Eligibility(
        kinds=("state-agency", "municipality", "county-municipality", "public-body"),
        source=_S2017.at("«retter seg mot offentlige virksomheter»"),
    ),
    # The call: "Fristen for å sende inn prosjektskisser er 21. august 2017" (end of that day).
    rounds=(Round("2017", end_of_day(date(2017, 8, 21))),),
    criteria=(
        Criterion(
            "unsolved-need",
            Text("a large, unsolved problem or societal need with no good solution today"),
            _S2017.at("«Uløste samfunnsbehov søkes»"),
            must=True,
        ),
        Criterion(
            "leadership-anchoring",
            Text("top-management anchoring"),
            _S2017.at("«krever topplederforankring»"),
            must=True,
        ),
    ),
    leads_to="innovation-partnership",
    description="Sketches of public-private innovation projects.",
    version=1,
    released=date(2026, 11, 25),
)

PARTNERSHIP_CALL_2020 = Scheme(
    "innovation-norway-partnership-2020",
    title=Text("Innovation Norway: innovation partnerships 2020"),
    owners=("Innovasjon Norge",),
    source=_S2020,
    budget=Decimal("75000000"),  # the call: "75 millioner kroner"
    eligibility=Eligibility(
        kinds=("state-agency", "municipality", "county-municipality", "public-body"),
        source=_S2020.at(
            "«Alle offentlige finansierte virksomheter som forvalter offentlige oppgaver, og som "
            "omfattes av anskaffelsesregelverket ... Bedrifter og privatpersoner kan ikke søke»"
        ),
        publicly_funded=True,
        public_tasks=True,
        procurement_rules=True,
    ),
    # The call: "Frist for skisseinnlevering er 16. april 2020 (kl. 17.00)".
    rounds=(Round("2020", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),),
    criteria=(
        # "Utfordringen må kunne løses i samarbeid med bedrifter og det eksisterer i dag ingen
        # løsninger på markedet": the one criterion the call words as a must.
        Criterion(
            "no-market-solution",
            Text("solvable with industry, and no solution on the market today"),
            _S2020.at("«Innovasjon Norge er på jakt etter»"),
            must=True,
        ),
        # The four groups are weighed equally: the call gives no weights (unverified default).
        Criterion(
            "societal-challenge",
            Text("a significant societal challenge with gain potential"),
            _S2020.at("«Innovasjon Norge er på jakt etter»", verified=False),
        ),
        Criterion(
            "implementation-ability",
            Text("anchored in top management, part of a long-term strategy"),
            _S2020.at("«Innovasjon Norge er på jakt etter»", verified=False),
        ),
        Criterion(
            "value-creation",
            Text("a significant national and international market"),
            _S2020.at("«Innovasjon Norge er på jakt etter»", verified=False),
        ),
        Criterion(
            "collaboration",
            Text("several public bodies, across sectors and silos"),
            _S2020.at("«Innovasjon Norge er på jakt etter»", verified=False),
        ),
    ),
    leads_to="innovation-partnership",
    figures={"budget_nok": 75_000_000},
    description="Sketches for innovation partnerships by publicly funded bodies.",
    version=1,
    released=date(2026, 11, 25),
)
