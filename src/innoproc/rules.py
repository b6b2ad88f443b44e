"""Preconditions and fact types shared by several procedures.

A rule that more than one procedure relies on (leadership anchoring, a described need, no
solution already on the market) is declared once here and used by each procedure, so its
code, wording and source cannot drift apart. Use them in your own procedures too:

```pycon
>>> from innoproc import rules
>>> rules.LEADERSHIP_ANCHORING
<precondition leadership-anchoring>
>>> rules.LEADERSHIP_ANCHORING.kind
'programme'

```
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from innoproc._engine.assessment import Advice, Shortfall
from innoproc._engine.declare import Context, FactType, Precondition
from innoproc._engine.fields import Field
from innoproc._engine.history import FactRecord
from innoproc._errors import InvalidArgument, _require, shown
from innoproc._i18n import Series
from innoproc._sources import (
    DIRECTIVE_2014_24,
    PARTNERSHIP_CALL_2020,
)
from innoproc._text import Source, Text
from innoproc.deadlines import lateness

__all__ = [
    "DEADLINE_FIELD",
    "LEADERSHIP_ANCHORING",
    "LEADERSHIP_DECISION",
    "MARKET_ANALYSIS",
    "MARKET_DIALOGUE_HELD",
    "MARKET_DIALOGUE_OUTCOME",
    "NEED_DESCRIBED",
    "NEED_DESCRIPTION",
    "NO_MARKET_SOLUTION",
    "NO_MARKET_SOLUTION_EVIDENCED",
    "SUBMITTED_IN_TIME",
    "found",
    "late",
    "not_recorded",
    "recorded",
]

# Rules never change once released: a case is judged by the rules it was opened under, also
# in a host's own procedures that use these objects. A corrected rule is a new object (with
# the same code where it checks the same thing), used by a new version of a procedure.

# -- facts ---------------------------------------------------------------------------------

LEADERSHIP_DECISION = FactType(
    "leadership-decision",
    Text("Top management's decision anchoring the project"),
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
    Text("Description of the need"),
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
    Text("Outcome of the market dialogue"),
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


MARKET_ANALYSIS = FactType(
    "market-analysis",
    Text("Analysis of the market"),
    fields=(
        Field(
            "solution_available",
            "boolean",
            doc="True when products, services or works already on the market meet the need.",
        ),
        Field(
            "method",
            "text",
            doc="How the market was examined (a request for information, market research, "
            "an earlier procurement...).",
        ),
        Field("summary", "text", required=False, doc="What the analysis found."),
    ),
)


def not_recorded(fact: FactType) -> Shortfall:
    """The shortfall of a rule whose evidence, fact ``fact``, has not been recorded.

    ```pycon
    >>> print(not_recorded(NEED_DESCRIPTION).nb)
    Ikke registrert: Beskrivelse av behovet.

    ```
    """
    _require(fact, FactType, "fact")
    return Shortfall(Text("Not recorded: {fact}.", fact=fact.title), fact=fact.name)


def recorded(ctx: Context, fact: FactType) -> FactRecord | Shortfall:
    """The latest record of ``fact``, or the shortfall saying it was never recorded."""
    _require(ctx, Context, "ctx")
    _require(fact, FactType, "fact")
    record = ctx.fact(fact.name)
    return not_recorded(fact) if record is None else record


def found(
    problems: Sequence[Text | tuple[str, str]], *, listed: bool = True, **details: Any
) -> Shortfall | None:
    """A shortfall listing ``problems`` (texts, or pairs of English and bokmål for a host's
    own rules), or ``None`` if none.

    ``listed`` adds the problems in English to the details under ``problems``.

    ```pycon
    >>> from innoproc import Text
    >>> print(found([Text("round {n} changed the award criteria", n=2)]).nb)
    Avvik: runde 2 endret tildelingskriteriene.

    ```
    """
    if not isinstance(problems, (list, tuple)) or not all(
        isinstance(p, Text)
        or (type(p) is tuple and len(p) == 2 and all(type(x) is str and x for x in p))
        for p in problems
    ):
        raise InvalidArgument(
            "'problems' must be a list of Texts (or of pairs of English and bokmål), "
            f"got {shown(problems)}",
            "problems",
        )
    if not problems:
        return None
    texts = [p if isinstance(p, Text) else Text(p[0], p[1]) for p in problems]  # i18n: host
    if listed:
        details["problems"] = tuple(t.get("en") for t in texts)
    return Shortfall(Text("Found: {problems}.", problems=Series(texts, "semicolon")), **details)


# -- preconditions -------------------------------------------------------------------------


def _leadership_anchoring(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, LEADERSHIP_DECISION)
    return record if isinstance(record, Shortfall) else None


# A programme requirement, not a provision of the directive: Innovation Norway's calls for
# innovation partnerships ask that the project be "forankret i toppledelsen ... en del av en
# langsiktig strategi" (2020) and "krever topplederforankring" (the 2017 sketch competition);
# the #StimuLab call of 2018 asks proposals to convince on "lederforankring". Users ask for it
# as a blocking check, so it blocks, labelled with its true kind.
LEADERSHIP_ANCHORING = Precondition(
    code="leadership-anchoring",
    rule=Text("The project must be anchored with top management."),
    source=PARTNERSHIP_CALL_2020.at(
        "«forankret i toppledelsen»; likewise the #StimuLab call of 2018 («lederforankring»)"
    ),
    test=_leadership_anchoring,
    reads=(LEADERSHIP_DECISION,),
    kind="programme",
)


def _need_described(ctx: Context) -> Shortfall | None:
    need = recorded(ctx, NEED_DESCRIPTION)
    if isinstance(need, Shortfall):
        return need
    if need.get("functional") is not True:
        return Shortfall(
            Text("The recorded description is a detailed specification, not a functional one.")
        )
    return None


# Directive 2014/24/EU art. 31(1) second subparagraph: the documents identify the need for an
# innovative product, service or works, precisely enough for operators to decide whether to
# request to participate. (PCP cites its own source: ``NEED_DESCRIBED.cited(...)``.)
NEED_DESCRIBED = Precondition(
    code="need-described",
    rule=Text(
        "The need must be described functionally, precisely enough for suppliers to "
        "decide whether to take part."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) second subparagraph"),
    test=_need_described,
    reads=(NEED_DESCRIPTION,),
)


def _no_market_solution(ctx: Context) -> Shortfall | None:
    outcome = recorded(ctx, MARKET_DIALOGUE_OUTCOME)
    if isinstance(outcome, Shortfall):
        return outcome
    if outcome.get("solution_available") is not False:
        summary = outcome.get("summary")
        if summary:
            return Shortfall(
                Text(
                    "The market dialogue found a solution already available on the market. "
                    "It found: {summary}.",
                    summary=summary,
                ),
                summary=summary,
            )
        return Shortfall(
            Text("The market dialogue found a solution already available on the market."),
            summary=summary,
        )
    return None


# Directive 2014/24/EU art. 31(1) second subparagraph: the need "cannot be met by purchasing
# products, services or works already available on the market". PCP relies on the same
# condition (COM(2007) 799, section 3): it is one rule, used by both procedures.
NO_MARKET_SOLUTION = Precondition(
    code="no-market-solution",
    rule=Text(
        "The need must not be met by products, services or works already available on the market."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) second subparagraph"),
    test=_no_market_solution,
    reads=(MARKET_DIALOGUE_OUTCOME,),
)


def _no_market_solution_evidenced(ctx: Context) -> Shortfall | None:
    dialogue = ctx.fact(MARKET_DIALOGUE_OUTCOME.name)
    analysis = ctx.fact(MARKET_ANALYSIS.name)
    if dialogue is None and analysis is None:
        return Shortfall(
            Text(
                "Not recorded: {dialogue} or {analysis}.",
                dialogue=MARKET_DIALOGUE_OUTCOME.title,
                analysis=MARKET_ANALYSIS.title,
            ),
            fact=MARKET_DIALOGUE_OUTCOME.name,
        )
    latest = max((r for r in (dialogue, analysis) if r is not None), key=lambda record: record.seq)
    if latest.get("solution_available") is not False:
        summary = latest.get("summary")
        if summary:
            return Shortfall(
                Text(
                    "The latest examination of the market found a solution already available "
                    "on the market. It found: {summary}.",
                    summary=summary,
                ),
                summary=summary,
            )
        return Shortfall(
            Text(
                "The latest examination of the market found a solution already available on "
                "the market."
            ),
            summary=summary,
        )
    return None


# Directive 2014/24/EU art. 31(1) second subparagraph, as ``NO_MARKET_SOLUTION``; the evidence
# may be the market dialogue or another documented examination of the market (a market
# dialogue is recommended, not compulsory: art. 40, DOMAIN V16). The latest record counts.
NO_MARKET_SOLUTION_EVIDENCED = Precondition(
    code="no-market-solution",
    rule=Text(
        "The need must not be met by products, services or works already available on "
        "the market, as shown by the market dialogue or another documented examination of "
        "the market."
    ),
    source=DIRECTIVE_2014_24.at("art. 31(1) second subparagraph"),
    test=_no_market_solution_evidenced,
    reads=(MARKET_DIALOGUE_OUTCOME, MARKET_ANALYSIS),
)


def _market_dialogue_held(ctx: Context) -> Advice | None:
    if ctx.fact(MARKET_DIALOGUE_OUTCOME.name) is not None:
        return None
    return Advice(
        Text(
            "No market dialogue was held; one is recommended before the notice, to learn what the "
            "market can offer and to let suppliers prepare."
        )
    )


# Directive 2014/24/EU art. 40 allows preliminary market consultations; DFØ recommends a market
# dialogue before an innovation partnership. Recommended, not compulsory (DOMAIN V16): good
# practice, reported and never blocking.
MARKET_DIALOGUE_HELD = Precondition(
    code="market-dialogue-held",
    rule=Text("A market dialogue should be held before the contract notice."),
    source=DIRECTIVE_2014_24.at("art. 40"),
    test=_market_dialogue_held,
    reads=(MARKET_DIALOGUE_OUTCOME,),
    kind="practice",
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
        Text(
            "Submitted {submitted}, after the deadline {deadline} (Norwegian time), {late} late.",
            submitted=at,
            deadline=deadline,
            late=shown,
        ),
        submitted=at,
        deadline=deadline,
        late_by=late_by,
    )


def _submitted_in_time(ctx: Context) -> Shortfall | None:
    return late(ctx.at, ctx.payload["deadline"])


# A call's deadline is an instant in Europe/Oslo; a submission at the deadline is in time,
# one a minute later is late. The deadline itself is set by each call (the #StimuLab call of
# 2018, Innovation Norway's calls of 2017 and 2020), so this rule is a programme requirement.
SUBMITTED_IN_TIME = Precondition(
    code="submitted-in-time",
    rule=Text("The submission must reach the call by its deadline."),
    source=Source("The deadline stated in the call for proposals"),
    test=_submitted_in_time,
    uses=("deadline",),
    kind="programme",
)
