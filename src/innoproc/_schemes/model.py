"""Funding schemes and calls, declared as data; applications are cases of a derived procedure.

A ``Scheme`` says who owns the money, how much there is, who may apply, by when (per
round), on which criteria (must-criteria that disqualify, weighed criteria that score), how
funded projects are followed up and what they must deliver. From it innoproc derives the
*application procedure* (submitted, eligible or refused, assessed, funded / deferred /
rejected, following up, closed), run by the same engine with the same preconditions and
explanations as the procurement procedures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

import attrs
from dateutil.relativedelta import relativedelta

from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._errors import InvalidDefinition
from innoproc._i18n import Plain, Series
from innoproc._text import Source, Text
from innoproc._time import require_aware
from innoproc.rules import found, late, recorded

#: The kinds of applicant a scheme can admit.
APPLICANT_KINDS: tuple[str, ...] = (
    "state-agency",
    "municipality",
    "county-municipality",
    "public-body",
    "municipal-unit",
    "research-organisation",
    "company",
    "private-person",
)

# The kinds of applicant as a reader says them, in the plural ("Only state agencies and
# municipalities may apply").
_KIND_TITLES: dict[str, Text] = {
    "state-agency": Text("state agencies"),
    "municipality": Text("municipalities"),
    "county-municipality": Text("county municipalities"),
    "public-body": Text("other public bodies"),
    "municipal-unit": Text("municipal units"),
    "research-organisation": Text("research organisations"),
    "company": Text("companies"),
    "private-person": Text("private persons"),
}


def _kinds(kinds: tuple[str, ...]) -> Series:
    return Series([_KIND_TITLES[k] for k in kinds])


Anchor = Literal["funding", "kickoff", "end"]


@attrs.frozen
class Criterion:
    """An assessment criterion. A ``must`` criterion disqualifies when not met; the others
    are scored 0-5 and weighed by ``weight``."""

    code: str
    title: Text
    source: Source
    must: bool = False
    weight: int = 1

    @property
    def field(self) -> str:
        """The field of the assessment fact that holds this criterion's verdict or score."""
        return self.code.replace("-", "_")


@attrs.frozen
class Round:
    """A round of a call, with its deadline (an aware instant; ``None`` where the source
    gives none) and, where known, its own budget."""

    name: str
    deadline: datetime | None
    budget: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        if self.deadline is not None:
            require_aware("deadline", self.deadline)


@attrs.frozen
class FollowUp:
    """A follow-up meeting ``after`` the ``anchor`` (funding, the kickoff, or the project end)."""

    code: str
    title: Text
    anchor: Anchor
    after: relativedelta = attrs.field(factory=relativedelta)
    source: Source | None = None


@attrs.frozen
class Deliverable:
    """Something a funded project must deliver, due at a follow-up or the project end."""

    code: str
    title: Text
    due: Anchor | str
    source: Source | None = None


@attrs.frozen
class Eligibility:
    """Who may apply: admitted applicant kinds and conditions every applicant must meet.

    ``publicly_funded``, ``public_tasks`` and ``procurement_rules`` require the applicant to
    be a publicly funded body, carry out public tasks, and be covered by the procurement
    rules (Innovation Norway's 2020 call for innovation partnerships).
    """

    kinds: tuple[str, ...]
    source: Source
    publicly_funded: bool = False
    public_tasks: bool = False
    procurement_rules: bool = False

    def __attrs_post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in APPLICANT_KINDS]
        if unknown:
            raise InvalidDefinition(
                f"unknown applicant kind(s) {unknown}; known: {', '.join(APPLICANT_KINDS)}",
                unknown[0],
            )


def _app_id(scheme_id: str) -> str:
    return f"{scheme_id}-application"


class Scheme:
    """A funding scheme or call, and the procedure its applications follow.

    ``leads_to`` names the procedure a funded project continues in (a #StimuLab grant leads
    to a triple-diamond case, an Innovation Norway grant to an innovation partnership).
    ``outcomes`` are the ways a funded project may close. ``figures`` keeps reference
    figures from the source (applications per round, projects funded) for analysts.
    ``version`` and ``released`` version the rules of the scheme's applications, as for a
    procedure: an application is judged by the version it was opened under.
    """

    def __init__(
        self,
        id: str,
        *,
        title: Text,
        owners: Sequence[str],
        source: Source,
        budget: Decimal | None,
        eligibility: Eligibility,
        rounds: Sequence[Round],
        criteria: Sequence[Criterion] = (),
        follow_ups: Sequence[FollowUp] = (),
        deliverables: Sequence[Deliverable] = (),
        outcomes: Sequence[str] = ("finished",),
        project_length: relativedelta | None = None,
        leads_to: str | None = None,
        figures: dict[str, object] | None = None,
        description: str = "",
        version: int = 1,
        released: date | None = None,
    ) -> None:
        self.id = id
        self.version = version
        self.released = released
        self.title = title
        self.owners = tuple(owners)
        self.source = source
        self.budget = budget
        self.eligibility = eligibility
        self.rounds = tuple(rounds)
        self.criteria = tuple(criteria)
        self.follow_ups = tuple(follow_ups)
        self.deliverables = tuple(deliverables)
        self.outcomes = tuple(outcomes)
        self.project_length = project_length
        self.leads_to = leads_to
        self.figures = dict(figures or {})
        self.description = description
        if not self.rounds:
            raise InvalidDefinition(f"scheme {id!r} has no round", id)
        names = [r.name for r in self.rounds]
        if len(set(names)) != len(names):
            raise InvalidDefinition(f"scheme {id!r}: two rounds have one name", id)
        codes = {f.code for f in self.follow_ups}
        for d in self.deliverables:
            if d.due not in ("funding", "kickoff", "end") and d.due not in codes:
                raise InvalidDefinition(
                    f"scheme {id!r}: deliverable {d.code!r} is due at unknown {d.due!r}", d.code
                )
        self.application = _application_procedure(self)

    def round(self, name: str | None = None) -> Round:
        """The round called ``name`` (the first round when ``None``)."""
        if name is None:
            return self.rounds[0]
        for r in self.rounds:
            if r.name == name:
                return r
        raise InvalidDefinition(
            f"scheme {self.id!r} has no round {name!r}; rounds: "
            f"{', '.join(r.name for r in self.rounds)}",
            name,
        )

    def score(self, assessment: dict[str, object]) -> int:
        """The weighed score of an assessment (the sum of weight x score, 0-5 each)."""
        total = 0
        for c in self.criteria:
            value = assessment.get(c.field)
            if not c.must and isinstance(value, int) and not isinstance(value, bool):
                total += c.weight * value
        return total

    def __repr__(self) -> str:
        return (
            f"<scheme {self.id} version {self.version}: {len(self.rounds)} round(s), "
            f"{len(self.criteria)} criteria>"
        )


# -- the application procedure -----------------------------------------------------------------

APPLICATION = FactType(
    "application",
    Text("The application and its applicant"),
    fields=(
        Field("round", "text", doc="The round applied to."),
        Field("applicant", "text", doc="The applicant's name."),
        Field("kind", "text", doc="The kind of applicant."),
        Field("publicly_funded", "boolean", required=False),
        Field("public_tasks", "boolean", required=False),
        Field(
            "procurement_rules",
            "boolean",
            required=False,
            doc="The applicant is covered by the public procurement rules.",
        ),
        Field("amount_sought", "amount", required=False),
        Field("title", "text", required=False),
    ),
)
FOLLOW_UP_HELD = FactType(
    "follow-up-held",
    Text("A follow-up meeting held"),
    fields=(Field("code", "text"), Field("notes", "text", required=False)),
)
DELIVERED = FactType(
    "deliverable-submitted",
    Text("A deliverable submitted"),
    fields=(Field("code", "text"), Field("reference", "text", required=False)),
)
PROCEDURE_CASE = FactType(
    "procedure-case",
    Text("The procedure case of the funded project"),
    fields=(Field("procedure", "text"), Field("reference", "text")),
)


def _deadline(scheme: Scheme) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        app = recorded(ctx, APPLICATION)
        if isinstance(app, Shortfall):
            return app
        name = app.get("round")
        try:
            deadline = scheme.round(str(name)).deadline
        except InvalidDefinition:
            return Shortfall(Text("The call has no round “{name}”.", name=name))
        if deadline is None:
            return None  # the source gives no deadline for this round
        return late(ctx.at, deadline)

    return Precondition(
        code="submitted-in-time",
        rule=Text("The application must reach the call by its deadline."),
        source=scheme.source,
        test=test,
        reads=(APPLICATION,),
        kind="programme",
    )


def _eligible(scheme: Scheme) -> Precondition:
    rule = scheme.eligibility

    def test(ctx: Context) -> Shortfall | None:
        app = recorded(ctx, APPLICATION)
        if isinstance(app, Shortfall):
            return app
        problems: list[Text] = []
        kind = app.get("kind")
        if kind not in rule.kinds:
            title = _KIND_TITLES.get(kind) if isinstance(kind, str) else None
            problems.append(
                Text(
                    "{kind} may not apply (only {admitted} may)",
                    kind=title if title is not None else Text("“{kind}”", kind=Plain(kind)),
                    admitted=_kinds(rule.kinds),
                )
            )
        checks = (
            (rule.publicly_funded, "publicly_funded", Text("not publicly funded")),
            (rule.public_tasks, "public_tasks", Text("does not carry out public tasks")),
            (
                rule.procurement_rules,
                "procurement_rules",
                Text("not covered by the procurement rules"),
            ),
        )
        for needed, field, text in checks:
            if needed and app.get(field) is not True:
                problems.append(text)
        return found(problems)

    return Precondition(
        code="eligible-applicant",
        rule=Text(
            "Only {kinds} may apply to {scheme}.", kinds=_kinds(rule.kinds), scheme=scheme.title
        ),
        source=rule.source,
        test=test,
        reads=(APPLICATION,),
        kind="programme",
    )


def _assessment_fact(scheme: Scheme) -> FactType:
    fields = [
        Field(c.field, "boolean" if c.must else "integer", doc=c.title.en) for c in scheme.criteria
    ]
    return FactType(
        "criteria-assessment",
        Text("Assessment against the criteria"),
        fields=(*fields, Field("notes", "text", required=False)),
    )


def _must(criterion: Criterion, fact: FactType) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        record = recorded(ctx, fact)
        if isinstance(record, Shortfall):
            return record
        if record.get(criterion.field) is not True:
            return Shortfall(Text("The assessment found it not met."))
        return None

    return Precondition(
        code=criterion.code,
        rule=Text("Must be met: {criterion}.", criterion=criterion.title),
        source=criterion.source,
        test=test,
        reads=(fact,),
        kind="programme",
    )


def _scored(scheme: Scheme, fact: FactType) -> Precondition:
    weighed = [c for c in scheme.criteria if not c.must]

    def test(ctx: Context) -> Shortfall | None:
        record = recorded(ctx, fact)
        if isinstance(record, Shortfall):
            return record
        bad = []
        for c in weighed:
            score = record.get(c.field)
            if not isinstance(score, int) or not 0 <= score <= 5:
                bad.append(c.code)
        if bad:
            return Shortfall(Text("Scores must be 0-5: {value}.", value=", ".join(bad)))
        return None

    return Precondition(
        code="criteria-scored",
        rule=Text("Every weighed criterion must be scored from 0 to 5."),
        source=scheme.source,
        test=test,
        reads=(fact,),
        kind="programme",
    )


def _positive_amount(ctx: Context) -> Shortfall | None:
    amount = ctx.payload["amount"]
    if amount <= 0:
        return Shortfall(Text("The amount is {amount}.", amount=amount))
    return None


def _grant_amount(scheme: Scheme) -> Precondition:
    return Precondition(
        code="grant-amount",
        rule=Text("A grant must be a positive amount."),
        source=scheme.source,
        test=_positive_amount,
        uses=("amount",),
        kind="programme",
    )


def _closing(scheme: Scheme) -> tuple[Precondition, ...]:
    def delivered(ctx: Context) -> Shortfall | None:
        have = {r.get("code") for r in ctx.facts(DELIVERED.name)}
        missing = [d for d in scheme.deliverables if d.code not in have]
        if missing:
            return Shortfall(
                Text("Missing: {missing}.", missing=Series([d.title for d in missing])),
                missing=tuple(d.code for d in missing),
            )
        return None

    def held(ctx: Context) -> Shortfall | None:
        have = {r.get("code") for r in ctx.facts(FOLLOW_UP_HELD.name)}
        missing = [f for f in scheme.follow_ups if f.code not in have]
        if missing:
            return Shortfall(
                Text("Not held: {missing}.", missing=Series([f.title for f in missing])),
                missing=tuple(f.code for f in missing),
            )
        return None

    def outcome(ctx: Context) -> Shortfall | None:
        value = ctx.payload["outcome"]
        if value not in scheme.outcomes:
            return Shortfall(
                Text(
                    "“{value}” is not one of: {value2}.",
                    value=value,
                    value2=", ".join(scheme.outcomes),
                )
            )
        return None

    return (
        Precondition(
            code="deliverables-submitted",
            rule=Text("Every required deliverable must be submitted before closing."),
            source=scheme.source,
            test=delivered,
            reads=(DELIVERED,),
            kind="programme",
        ),
        Precondition(
            code="follow-ups-held",
            rule=Text("Every follow-up meeting of the plan must be held before closing."),
            source=scheme.source,
            test=held,
            reads=(FOLLOW_UP_HELD,),
            kind="programme",
        ),
        Precondition(
            code="outcome-allowed",
            rule=Text("The outcome must be one of: {value}.", value=", ".join(scheme.outcomes)),
            source=scheme.source,
            test=outcome,
            uses=("outcome",),
            kind="programme",
        ),
    )


def _application_procedure(scheme: Scheme) -> Procedure:
    fact = _assessment_fact(scheme)
    musts = tuple(_must(c, fact) for c in scheme.criteria if c.must)
    return Procedure(
        _app_id(scheme.id),
        title=Text("Application to {scheme}", scheme=scheme.title),
        source=scheme.source,
        states=(
            State("draft", Text("Draft"), initial=True),
            State("submitted", Text("Submitted")),
            State("eligible", Text("Eligible")),
            State("assessed", Text("Assessed")),
            State("deferred", Text("Deferred")),
            State("following-up", Text("Funded, following up")),
            State(
                "refused",
                Text("Refused (not eligible)"),
                final=True,
            ),
            State("rejected", Text("Rejected"), final=True),
            State("closed", Text("Closed"), final=True),
            State("withdrawn", Text("Withdrawn"), final=True),
        ),
        events=(
            Event(
                "submit",
                Text("Submit"),
                source="draft",
                dest="submitted",
                requires=(_deadline(scheme),),
            ),
            Event(
                "confirm-eligibility",
                Text("Confirm eligibility"),
                source="submitted",
                dest="eligible",
                requires=(_eligible(scheme),),
            ),
            Event(
                "refuse",
                Text("Refuse as not eligible"),
                source="submitted",
                dest="refused",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "assess",
                Text("Assess"),
                source="eligible",
                dest="assessed",
                requires=(*musts, _scored(scheme, fact)),
            ),
            Event(
                "fund",
                Text("Fund"),
                source=("assessed", "deferred"),
                dest="following-up",
                requires=(_grant_amount(scheme),),
                fields=(Field("amount", "amount"), Field("project_end", "date", required=False)),
            ),
            Event(
                "defer",
                Text("Defer to a later round"),
                source="assessed",
                dest="deferred",
                fields=(Field("reason", "text", required=False),),
            ),
            Event(
                "reject",
                Text("Reject"),
                source=("eligible", "assessed", "deferred"),
                dest="rejected",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "close",
                Text("Close"),
                source="following-up",
                dest="closed",
                requires=_closing(scheme),
                fields=(Field("outcome", "text"),),
            ),
            Event(
                "withdraw",
                Text("Withdraw"),
                source=("draft", "submitted", "eligible", "assessed", "deferred"),
                dest="withdrawn",
                fields=(Field("reason", "text", required=False),),
            ),
        ),
        facts=(APPLICATION, fact, FOLLOW_UP_HELD, DELIVERED, PROCEDURE_CASE),
        description=f"Applications to {scheme.title.en}: {scheme.description}",
        origin=scheme,
        version=scheme.version,
        released=scheme.released,
    )
