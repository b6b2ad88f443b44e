"""#StimuLab 2018: the stimulation programme for innovation and service design (Difi, DOGA).

Seed 000 ("Vi søker nye samarbeidsprosjekter i stat og kommune", published 6 February 2018):
NOK 10 million for 2018; state agencies and municipalities may propose projects by
9 March 2018; prequalification on four must criteria and three weighed ones, with extra
weight for complex problems needing several actors; proposals may be deferred
("foreløpige"); a new round after summer 2018; fewer, somewhat larger projects. A grant
leads to the triple diamond.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from innoproc._schemes.model import Criterion, Eligibility, Round, Scheme
from innoproc._text import Source, Text
from innoproc.deadlines import end_of_day

_SEED = Source(
    "#StimuLab call for projects, Difi 2018 (seed 000)", "'Prosess \N{EN DASH} prekvalifisering'"
)
_MUST = (
    "'må overbevise om brukerbehov, lederforankring, egen ressursinnsats og innovasjonspotensial'"
)
_WEIGHED = "'legger vi også vekt på samfunnsnytte, gevinstpotensial og læring og overføringsverdi'"

STIMULAB_2018 = Scheme(
    "stimulab-2018",
    title=Text(en="#StimuLab 2018", nb="#StimuLab 2018"),
    owners=("Difi", "DOGA"),
    source=_SEED,
    # Seed 000: "I 2018 har vi kr. 10 millioner som skal støtte ulike innovasjonsprosjekter".
    budget=Decimal("10000000"),
    eligibility=Eligibility(
        kinds=("state-agency", "municipality"),
        source=Source(_SEED.instrument, "'både statlige virksomheter og kommuner'"),
    ),
    rounds=(
        # Seed 000: "innen fristen 9. mars"; a date alone means the end of that day in Oslo.
        Round("2018-1", end_of_day(date(2018, 3, 9))),
        # Seed 000: "en ny runde ... etter sommeren 2018"; no deadline is given.
        Round("2018-2", None),
    ),
    criteria=(
        Criterion(
            "user-need",
            Text(en="user need", nb="brukerbehov"),
            Source(_SEED.instrument, _MUST),
            must=True,
        ),
        Criterion(
            "leadership-anchoring",
            Text(en="leadership anchoring", nb="lederforankring"),
            Source(_SEED.instrument, _MUST),
            must=True,
        ),
        Criterion(
            "own-resources",
            Text(en="own resource commitment", nb="egen ressursinnsats"),
            Source(_SEED.instrument, _MUST),
            must=True,
        ),
        Criterion(
            "innovation-potential",
            Text(en="innovation potential", nb="innovasjonspotensial"),
            Source(_SEED.instrument, _MUST),
            must=True,
        ),
        Criterion(
            "societal-benefit",
            Text(en="societal benefit", nb="samfunnsnytte"),
            Source(_SEED.instrument, _WEIGHED),
        ),
        Criterion(
            "gain-potential",
            Text(en="gain potential", nb="gevinstpotensial"),
            Source(_SEED.instrument, _WEIGHED),
        ),
        Criterion(
            "learning-transfer",
            Text(en="learning and transfer value", nb="læring og overføringsverdi"),
            Source(_SEED.instrument, _WEIGHED),
        ),
        # Seed 000: "spesielt vekt på ... komplekse problemstillinger ... samarbeid mellom
        # flere aktører". The call gives no number: weight 2 is innoproc's reading of
        # "spesielt vekt", a configurable default (unverified).
        Criterion(
            "complex-collaboration",
            Text(
                en="complex problem needing several actors",
                nb="kompleks problemstilling med flere aktører",
            ),
            Source(_SEED.instrument, "'spesielt vekt på'", verified=False),
            weight=2,
        ),
    ),
    outcomes=("finished",),
    leads_to="triple-diamond",
    figures={"budget_nok_2018": 10_000_000, "fewer_larger_projects": True},
    description="Prequalification, dialogue and grants for service design projects.",
)
