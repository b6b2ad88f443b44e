"""A municipality's internal innovation fund (Bærum kommune's, as told on its innovation blog).

Hege Fossum, «Intraprenører som verdiskapere» (Tanketanken, 2018): as part of the
municipality's research and innovation fund, NOK 2 million were
set aside in 2017 for internal innovation projects; about 30 applications came in each
round, 10 were funded in 2017 and 9 in 2018. Projects are followed up by the municipality's
development unit: a kickoff with presentations and expectations, a status check after about
three months, and a closing gathering; each project delivers a project description and a
written final report. Projects may finish, continue, or be dropped ("it is allowed to try
and fail").

The text gives no deadlines and no project length: the rounds have no deadline, and the
project length (12 months) and the kickoff one month after funding are innoproc's
defaults (unverified); declare your own fund with ``municipal_innovation_fund``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from innoproc._schemes.model import Criterion, Deliverable, Eligibility, FollowUp, Round, Scheme
from innoproc._sources import INTERNAL_FUND_BLOG
from innoproc._text import Text

_SEED = INTERNAL_FUND_BLOG


_TITLE = Text("Municipal internal innovation fund")
_ONE_YEAR = relativedelta(months=12)


def municipal_innovation_fund(
    id: str = "municipal-innovation-fund",
    *,
    title: Text = _TITLE,
    owner: str = "Kommunens forsknings- og innovasjonsfond",
    budget: Decimal = Decimal("2000000"),
    rounds: Sequence[Round] = (Round("2017", None), Round("2018", None)),
    project_length: relativedelta = _ONE_YEAR,
    criteria: Sequence[Criterion] = (),
) -> Scheme:
    """An internal innovation fund shaped like Bærum kommune's; every figure can be changed.

    The blog says NOK 2 million were "satt av" in 2017; whether that covers the 2017 round
    only or both rounds (2017 and 2018) is ambiguous, so the default budget is the scheme's,
    shared by its rounds; give each round its own ``Round(budget=...)`` if you know better.
    """
    return Scheme(
        id,
        title=title,
        owners=(owner,),
        source=_SEED,
        budget=budget,
        eligibility=Eligibility(kinds=("municipal-unit",), source=_SEED.at("«støtte tjenestene»")),
        rounds=rounds,
        criteria=criteria
        or (
            # The blog: "prosjekter for utvikling av tjenesten ... hovedsakelig støttes".
            Criterion(
                "service-development",
                Text("develops the service"),
                _SEED.at("«Det er den siste gruppen som hovedsakelig støttes»"),
            ),
        ),
        follow_ups=(
            FollowUp(
                "kickoff",
                Text("kickoff: presentations and expectations"),
                "funding",
                relativedelta(months=1),
                _SEED.at("«oppstartsøkt»", verified=False),
            ),
            FollowUp(
                "status-check",
                Text("status check"),
                "kickoff",
                relativedelta(months=3),
                _SEED.at("«statussjekk etter ca. tre måneder»"),
            ),
            FollowUp(
                "closing",
                Text("closing gathering"),
                "end",
                relativedelta(),
                _SEED.at("«avrunder med en samling»"),
            ),
        ),
        deliverables=(
            Deliverable(
                "project-description",
                Text("project description"),
                "kickoff",
                _SEED.at("«leverer en prosjektbeskrivelse»", verified=False),
            ),
            Deliverable(
                "final-report",
                Text("written final report"),
                "end",
                _SEED.at("«en skriftlig sluttrapport»"),
            ),
        ),
        # The blog: "Noen prosjekter er ferdige, andre er fortsatt under arbeid, mens noen
        # aldri blir noe av. Det er lov å prøve og feile."
        outcomes=("finished", "continued", "dropped"),
        project_length=project_length,
        leads_to=None,
        figures={
            "applications_per_round": 30,
            "funded": {"2017": 10, "2018": 9},
            "budget_nok_2017": 2_000_000,
        },
        description="Small grants to the municipality's own services to try new solutions.",
        version=1,
        released=date(2026, 11, 25),
    )


MUNICIPAL_INNOVATION_FUND = municipal_innovation_fund()
