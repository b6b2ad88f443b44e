"""#StimuLab 2018: the stimulation programme for innovation and service design (Difi, DOGA).

The call «Vi søker nye samarbeidsprosjekter i stat og kommune» (Difi, 6 February 2018):
NOK 10 million for 2018; state agencies and municipalities may propose projects by
9 March 2018; prequalification on four must criteria and three weighed ones, with extra
weight for complex problems needing several actors; proposals may be deferred
("foreløpige"); a new round after summer 2018; fewer, somewhat larger projects. A grant
leads to the triple diamond.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from innoproc._procedures.triple_diamond import STIMULAB_2018_ROUNDS
from innoproc._schemes.model import Criterion, Eligibility, Round, Scheme
from innoproc._sources import STIMULAB_CALL_2018
from innoproc._text import Text

_CALL = STIMULAB_CALL_2018.at("«Prosess \N{EN DASH} prekvalifisering»")
_MUST = STIMULAB_CALL_2018.at(
    "«må overbevise om brukerbehov, lederforankring, egen ressursinnsats og innovasjonspotensial»"
)
_WEIGHED = STIMULAB_CALL_2018.at(
    "«legger vi også vekt på samfunnsnytte, gevinstpotensial og læring og overføringsverdi»"
)

STIMULAB_2018 = Scheme(
    "stimulab-2018",
    title=Text("#StimuLab 2018"),
    owners=("Difi", "DOGA"),
    source=_CALL,
    # The call: "I 2018 har vi kr. 10 millioner som skal støtte ulike innovasjonsprosjekter".
    budget=Decimal("10000000"),
    eligibility=Eligibility(
        kinds=("state-agency", "municipality"),
        source=STIMULAB_CALL_2018.at("«både statlige virksomheter og kommuner»"),
    ),
    # The call: "innen fristen 9. mars" (a date alone means the end of that day in Oslo) and
    # "en ny runde ... etter sommeren 2018", with no deadline given; the same rounds as the
    # triple diamond's.
    rounds=tuple(Round(name, deadline) for name, deadline in STIMULAB_2018_ROUNDS),
    criteria=(
        Criterion(
            "user-need",
            Text("user need"),
            _MUST,
            must=True,
        ),
        Criterion(
            "leadership-anchoring",
            Text("leadership anchoring"),
            _MUST,
            must=True,
        ),
        Criterion(
            "own-resources",
            Text("own resource commitment"),
            _MUST,
            must=True,
        ),
        Criterion(
            "innovation-potential",
            Text("innovation potential"),
            _MUST,
            must=True,
        ),
        Criterion(
            "societal-benefit",
            Text("societal benefit"),
            _WEIGHED,
        ),
        Criterion(
            "gain-potential",
            Text("gain potential"),
            _WEIGHED,
        ),
        Criterion(
            "learning-transfer",
            Text("learning and transfer value"),
            _WEIGHED,
        ),
        # The call: "spesielt vekt på ... komplekse problemstillinger ... samarbeid mellom
        # flere aktører". The call gives no number: weight 2 is innoproc's reading of
        # "spesielt vekt", a configurable default (unverified).
        Criterion(
            "complex-collaboration",
            Text("complex problem needing several actors"),
            STIMULAB_CALL_2018.at("«spesielt vekt på»", verified=False),
            weight=2,
        ),
    ),
    outcomes=("finished",),
    leads_to="triple-diamond",
    figures={"budget_nok_2018": 10_000_000, "fewer_larger_projects": True},
    description="Prequalification, dialogue and grants for service design projects.",
    version=1,
    released=date(2026, 11, 25),
)
