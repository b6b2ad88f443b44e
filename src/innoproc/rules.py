"""Preconditions and fact types shared by several procedures.

A rule that more than one procedure relies on (leadership anchoring, a described need, no
solution already on the market) is declared once here and used by each procedure, so its
code, wording and source cannot drift apart. Use them in your own procedures too:

```pycon
>>> from innoproc import rules
>>> rules.LEADERSHIP_ANCHORING
<precondition leadership-anchoring>
>>> rules.LEADERSHIP_ANCHORING.source.provision
"'topplederforankring', 'lederforankring'"

```
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, FactType, Precondition
from innoproc._engine.fields import Field
from innoproc._engine.history import FactRecord
from innoproc._text import Source, Text
from innoproc.deadlines import describe, lateness

__all__ = [
    "DEADLINE_FIELD",
    "LEADERSHIP_ANCHORING",
    "LEADERSHIP_DECISION",
    "MARKET_DIALOGUE_OUTCOME",
    "NEED_DESCRIBED",
    "NEED_DESCRIPTION",
    "NO_MARKET_SOLUTION",
    "SUBMITTED_IN_TIME",
    "found",
    "late",
    "not_recorded",
    "recorded",
]

# -- facts ---------------------------------------------------------------------------------

LEADERSHIP_DECISION = FactType(
    "leadership-decision",
    Text(
        en="Top management's decision anchoring the project",
        nb="Toppledelsens vedtak om forankring av prosjektet",
    ),
    fields=(
        Field("decided_by", "text", doc="Who decided (the chief executive, the council...)."),
        Field("decision", "text", doc="Reference to the decision (minutes, case number)."),
        Field(
            "long_term_strategy",
            "boolean",
            required=False,
            doc="Whether the project is part of a long-term strategy to invest or procure.",
        ),
    ),
)

NEED_DESCRIPTION = FactType(
    "need-description",
    Text(en="Description of the need", nb="Beskrivelse av behovet"),
    fields=(
        Field("summary", "text", doc="The need, in a few sentences."),
        Field(
            "functional",
            "boolean",
            doc="True when the need is described by function and performance, not as a "
            "detailed specification of a solution.",
        ),
        Field("why_new_solution", "text", required=False, doc="Why new solutions are needed."),
    ),
)

MARKET_DIALOGUE_OUTCOME = FactType(
    "market-dialogue-outcome",
    Text(en="Outcome of the market dialogue", nb="Resultat av markedsdialogen"),
    fields=(
        Field(
            "solution_available",
            "boolean",
            doc="True when products, services or works already on the market meet the need.",
        ),
        Field("summary", "text", required=False, doc="What the dialogue found."),
        Field("participants", "integer", required=False, doc="How many suppliers took part."),
    ),
)


def not_recorded(fact: FactType) -> Shortfall:
    """The shortfall of a rule whose evidence, fact ``fact``, has not been recorded.

    ```pycon
    >>> print(not_recorded(NEED_DESCRIPTION).nb)
    Ikke registrert: Beskrivelse av behovet (faktum 'need-description').

    ```
    """
    return Shortfall(
        f"Not recorded: {fact.title.en} (fact '{fact.name}').",
        f"Ikke registrert: {fact.title.nb} (faktum '{fact.name}').",
    )


def recorded(ctx: Context, fact: FactType) -> FactRecord | Shortfall:
    """The latest record of ``fact``, or the shortfall saying it was never recorded."""
    record = ctx.fact(fact.name)
    return not_recorded(fact) if record is None else record


def found(
    problems: Sequence[tuple[str, str]], *, listed: bool = True, **details: Any
) -> Shortfall | None:
    """A shortfall listing ``problems`` (pairs of English and bokmål), or ``None`` if none.

    ``listed`` adds the English problems to the details under ``problems``.

    ```pycon
    >>> print(found([("round 2 changed the award criteria", "runde 2 endret kriteriene")]).nb)
    Funnet: runde 2 endret kriteriene.

    ```
    """
    if not problems:
        return None
    if listed:
        details["problems"] = tuple(en for en, _ in problems)
    return Shortfall(
        "Found: " + "; ".join(en for en, _ in problems) + ".",
        "Funnet: " + "; ".join(nb for _, nb in problems) + ".",
        **details,
    )


# -- preconditions -------------------------------------------------------------------------


def _leadership_anchoring(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, LEADERSHIP_DECISION)
    return record if isinstance(record, Shortfall) else None


# Seed 002 (Difi, Innovation Norway and LUP, 2017): an innovation partnership "krever
# topplederforankring"; seed 003 (Innovation Norway's 2020 call): "forankret i toppledelsen ...
# en del av en langsiktig strategi"; seed 000 (#StimuLab 2018): proposals "må overbevise om
# ... lederforankring". A programme requirement, not a provision of the directive.
LEADERSHIP_ANCHORING = Precondition(
    code="leadership-anchoring",
    rule=Text(
        en="The project must be anchored with top management.",
        nb="Prosjektet må være forankret i toppledelsen.",
    ),
    source=Source(
        "Difi/LUP/Innovasjon Norge 2017 (seed 002); Innovasjon Norge 2020 (seed 003); "
        "#StimuLab 2018 (seed 000)",
        "'topplederforankring', 'lederforankring'",
    ),
    test=_leadership_anchoring,
    reads=(LEADERSHIP_DECISION,),
)


def _need_described(ctx: Context) -> Shortfall | None:
    need = recorded(ctx, NEED_DESCRIPTION)
    if isinstance(need, Shortfall):
        return need
    if need.get("functional") is not True:
        return Shortfall(
            "The recorded description is a detailed specification, not a functional one.",
            "Den registrerte beskrivelsen er en detaljert spesifikasjon, ikke en funksjonell.",
        )
    return None


# Directive 2014/24/EU art. 31(1) second subparagraph: the documents identify the need for an
# innovative product, service or works, precisely enough for operators to decide whether to
# request to participate.
NEED_DESCRIBED = Precondition(
    code="need-described",
    rule=Text(
        en="The need must be described functionally, precisely enough for suppliers to "
        "decide whether to take part.",
        nb="Behovet må være funksjonelt beskrevet, presist nok til at leverandører kan "
        "avgjøre om de vil delta.",
    ),
    source=Source("Directive 2014/24/EU", "art. 31(1)"),
    test=_need_described,
    reads=(NEED_DESCRIPTION,),
)


def _no_market_solution(ctx: Context) -> Shortfall | None:
    outcome = recorded(ctx, MARKET_DIALOGUE_OUTCOME)
    if isinstance(outcome, Shortfall):
        return outcome
    if outcome.get("solution_available") is not False:
        found = outcome.get("summary")
        suffix_en = f" It found: {found}." if found else ""
        suffix_nb = f" Den fant: {found}." if found else ""
        return Shortfall(
            "The market dialogue found a solution already available on the market." + suffix_en,
            "Markedsdialogen fant en løsning som allerede finnes i markedet." + suffix_nb,
            summary=found,
        )
    return None


# Directive 2014/24/EU art. 31(1) second subparagraph: the need "cannot be met by purchasing
# products, services or works already available on the market". PCP relies on the same
# condition (COM(2007) 799, section 3): it is one rule, used by both procedures.
NO_MARKET_SOLUTION = Precondition(
    code="no-market-solution",
    rule=Text(
        en="The need must not be met by products, services or works already available on "
        "the market.",
        nb="Behovet må ikke kunne dekkes av varer, tjenester eller bygge- og anleggsarbeider "
        "som allerede finnes i markedet.",
    ),
    source=Source("Directive 2014/24/EU", "art. 31(1)"),
    test=_no_market_solution,
    reads=(MARKET_DIALOGUE_OUTCOME,),
)


#: The field an event declares to carry the deadline ``SUBMITTED_IN_TIME`` checks.
DEADLINE_FIELD = Field("deadline", "datetime", doc="The call's deadline (inclusive).")


def late(at: datetime, deadline: datetime) -> Shortfall | None:
    """The shortfall of a submission at ``at`` after ``deadline`` (inclusive), naming both
    instants in Europe/Oslo, or ``None`` when it is in time."""
    late_by = lateness(at, deadline)
    if late_by is None:
        return None
    shown = timedelta(seconds=max(1, round(late_by.total_seconds())))
    return Shortfall(
        f"Submitted {describe(at)}, after the deadline {describe(deadline)} "
        f"(Europe/Oslo), {shown} late.",
        f"Sendt inn {describe(at)}, etter fristen {describe(deadline)} "
        f"(norsk tid), {shown} for sent.",
        submitted=at,
        deadline=deadline,
        late_by=late_by,
    )


def _submitted_in_time(ctx: Context) -> Shortfall | None:
    return late(ctx.at, ctx.payload["deadline"])


# A call's deadline is an instant in Europe/Oslo; a submission at the deadline is in time,
# one a minute later is late. The deadline itself is set by each call (seeds 000, 002, 003).
SUBMITTED_IN_TIME = Precondition(
    code="submitted-in-time",
    rule=Text(
        en="The submission must reach the call by its deadline.",
        nb="Innsendingen må komme inn innen fristen i utlysningen.",
    ),
    source=Source("The call for proposals", "its deadline"),
    test=_submitted_in_time,
    uses=("deadline",),
)
