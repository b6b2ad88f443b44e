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
from innoproc._text import Source, Text
from innoproc._time import OSLO
from innoproc.deadlines import end_of_day


def _s(source: Source, provision: str, verified: bool = True) -> Source:
    return source.at(provision, verified=verified)


SKETCH_COMPETITION_2017 = Scheme(
    "innovation-norway-sketch-2017",
    title=Text(
        en="Sketch competition for innovation partnerships 2017",
        nb="Skissekonkurranse for innovasjonspartnerskap 2017",
    ),
    owners=("Innovasjon Norge", "Leverandørutviklingsprogrammet (LUP)", "Difi"),
    source=_S2017,
    budget=None,  # the call states no amount
    eligibility=Eligibility(
        kinds=("state-agency", "municipality", "county-municipality", "public-body"),
        source=_s(_S2017, "'retter seg mot offentlige virksomheter'"),
    ),
    # The call: "Fristen for å sende inn prosjektskisser er 21. august 2017" (end of that day).
    rounds=(Round("2017", end_of_day(date(2017, 8, 21))),),
    criteria=(
        Criterion(
            "unsolved-need",
            Text(
                en="a large, unsolved problem or societal need with no good solution today",
                nb="et stort, uløst problem eller samfunnsbehov uten gode løsninger i dag",
            ),
            _s(_S2017, "'Uløste samfunnsbehov søkes'"),
            must=True,
        ),
        Criterion(
            "leadership-anchoring",
            Text(en="top-management anchoring", nb="topplederforankring"),
            _s(_S2017, "'krever topplederforankring'"),
            must=True,
        ),
    ),
    leads_to="innovation-partnership",
    description="Sketches of public-private innovation projects.",
    version=1,
    released=date(2026, 11, 25),
)

_GROUP = "'Innovasjon Norge er på jakt etter'"

PARTNERSHIP_CALL_2020 = Scheme(
    "innovation-norway-partnership-2020",
    title=Text(
        en="Innovation Norway: innovation partnerships 2020",
        nb="Innovasjon Norge: innovasjonspartnerskap 2020",
    ),
    owners=("Innovasjon Norge",),
    source=_S2020,
    budget=Decimal("75000000"),  # the call: "75 millioner kroner"
    eligibility=Eligibility(
        kinds=("state-agency", "municipality", "county-municipality", "public-body"),
        source=_s(
            _S2020,
            "'Alle offentlige finansierte virksomheter som forvalter offentlige "
            "oppgaver, og som omfattes av anskaffelsesregelverket ... Bedrifter og "
            "privatpersoner kan ikke søke'",
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
            Text(
                en="solvable with industry, and no solution on the market today",
                nb="kan løses med næringslivet, og ingen løsning finnes i markedet i dag",
            ),
            _s(_S2020, _GROUP),
            must=True,
        ),
        # The four groups are weighed equally: the call gives no weights (unverified default).
        Criterion(
            "societal-challenge",
            Text(
                en="a significant societal challenge with gain potential",
                nb="en betydelig samfunnsutfordring med gevinstpotensial",
            ),
            _s(_S2020, _GROUP, verified=False),
        ),
        Criterion(
            "implementation-ability",
            Text(
                en="anchored in top management, part of a long-term strategy",
                nb="forankret i toppledelsen, del av en langsiktig strategi",
            ),
            _s(_S2020, _GROUP, verified=False),
        ),
        Criterion(
            "value-creation",
            Text(
                en="a significant national and international market",
                nb="et vesentlig nasjonalt og internasjonalt marked",
            ),
            _s(_S2020, _GROUP, verified=False),
        ),
        Criterion(
            "collaboration",
            Text(
                en="several public bodies, across sectors and silos",
                nb="flere offentlige virksomheter, på tvers av sektorer og siloer",
            ),
            _s(_S2020, _GROUP, verified=False),
        ),
    ),
    leads_to="innovation-partnership",
    figures={"budget_nok": 75_000_000},
    description="Sketches for innovation partnerships by publicly funded bodies.",
    version=1,
    released=date(2026, 11, 25),
)
