"""The triple diamond of #StimuLab (Difi and DOGA, later Digdir and DOGA).

Sources: the #StimuLab call of 2018 (Difi, «Vi søker nye samarbeidsprosjekter i stat og
kommune», 6 February 2018: prequalification, "forstå, forankre og forplikte", innovative
procurement, the innovative working method); Digdir, "StimuLabs metode: den triple
diamanten"; DOGA, "arbeidsmetode". Every rule here is a requirement of the programme. It
is the Design Council's double diamond with a *diagnosis* diamond in front.

Programme flow: a proposal by the call deadline -> prequalification on four must criteria
(user need, leadership anchoring, own resource commitment, innovation potential) and weighed
ones -> rejected, deferred (relevant later) or taken into the dialogue to understand, anchor
and commit -> the steering group's grant -> innovative procurement of supplier competence
(service design, benefit realisation, change management) -> contract signature, when
ownership passes to the service owner -> diamond 1 diagnose -> diamond 2 explore-define ->
diamond 3 develop-deliver -> completed, with the experience shared.

Each diamond diverges, then converges. Diamonds run in order; going back to an earlier
diamond is allowed and recorded (design work iterates); skipping ahead is not possible.
The diamonds are modelled as flat states grouped by diamond (``State.group``) rather than as
nested states: the rules never need a state to be "in diamond 2" without knowing which half.
"""

from __future__ import annotations

from datetime import date, datetime

from innoproc._engine.assessment import Shortfall
from innoproc._engine.declare import Context, Event, FactType, Precondition, Procedure, State
from innoproc._engine.fields import Field
from innoproc._errors import InvalidArgument, shown
from innoproc._i18n import Series
from innoproc._sources import DIGDIR_TRIPLE_DIAMOND, STIMULAB_CALL_2018
from innoproc._text import Text
from innoproc.deadlines import end_of_day
from innoproc.rules import (
    DEADLINE_FIELD,
    LEADERSHIP_ANCHORING,
    SUBMITTED_IN_TIME,
    late,
    recorded,
)

_CALL = STIMULAB_CALL_2018.at("«Prosess \N{EN DASH} prekvalifisering»")
_DIALOGUE = STIMULAB_CALL_2018.at("«forstå, forankre og forplikte»")
_PROCUREMENT = STIMULAB_CALL_2018.at("«Innovativ anskaffelsesprosess»")
_METHOD = STIMULAB_CALL_2018.at("«Innovativ arbeidsform»")
_DIGDIR = DIGDIR_TRIPLE_DIAMOND

#: The rounds of the #StimuLab call of 2018 and their deadlines: proposals "innen fristen
#: 9. mars" (a date alone means the end of that day in Oslo); a new round "etter sommeren
#: 2018", for which the call gives no deadline.
STIMULAB_2018_ROUNDS: tuple[tuple[str, datetime | None], ...] = (
    ("2018-1", end_of_day(date(2018, 3, 9))),
    ("2018-2", None),
)

# -- facts ---------------------------------------------------------------------------------

PREQUALIFICATION = FactType(
    "prequalification-assessment",
    Text("Prequalification assessment"),
    fields=(
        Field("user_need", "boolean", doc="Convinces on the user need (must)."),
        Field("own_resources", "boolean", doc="Convinces on own resource commitment (must)."),
        Field("innovation_potential", "boolean", doc="Convinces on innovation potential (must)."),
        Field("societal_benefit", "integer", required=False, doc="Weighed, 0-5."),
        Field("gain_potential", "integer", required=False, doc="Weighed, 0-5."),
        Field("learning_transfer", "integer", required=False, doc="Weighed, 0-5."),
        Field(
            "complex_collaboration",
            "boolean",
            required=False,
            doc="A complex problem needing several actors: extra weight.",
        ),
    ),
)

#: The six marks of an innovative working method (the #StimuLab call, "Innovativ arbeidsform").
COMMITMENTS: tuple[tuple[str, Text], ...] = (
    ("open_exploratory", Text("an open and exploratory form")),
    ("insight_first", Text("needs and insight first, a shared problem understanding")),
    ("involve_users", Text("collaboration with users and affected parties")),
    ("holistic", Text("a holistic and systematic approach")),
    ("early_prototyping", Text("early prototyping and testing")),
    ("visualisation", Text("visualisation as a method")),
)

WORKING_METHOD = FactType(
    "working-method-commitment",
    Text("Commitment to the innovative working method"),
    fields=tuple(Field(name, "boolean", doc=text.en) for name, text in COMMITMENTS),
)

SUPPLIER_COMPETENCE = FactType(
    "supplier-competence",
    Text("Competence asked of the supplier"),
    fields=(
        Field("service_design", "boolean"),
        Field("benefit_realisation", "boolean"),
        Field("change_management", "boolean"),
        Field("other", "texts", required=False, doc="Other competences the project needs."),
    ),
)

CHANGE_ANNEX = FactType(
    "change-annex",
    Text("The change annex (endringsbilag)"),
    fields=(
        Field("problem_understanding", "text", doc="The shared problem understanding."),
        Field("anchored", "boolean", doc="Anchored with the service owner's management."),
    ),
)

USER_INVOLVEMENT = FactType(
    "user-involvement",
    Text("Users involved in concept tests"),
    fields=(
        Field("participants", "integer", doc="How many users and affected parties took part."),
        Field("concepts_tested", "integer", doc="How many concepts were tested."),
    ),
)

PROTOTYPE_TEST = FactType(
    "prototype-test",
    Text("Prototype tested"),
    fields=(
        Field("prototype", "text"),
        Field("tested_with_users", "boolean"),
    ),
)

EXPERIENCE_SHARED = FactType(
    "experience-shared",
    Text("Experience shared"),
    fields=(Field("where", "text", doc="Where the experience was shared."),),
)

# -- preconditions ---------------------------------------------------------------------------


def _must(field: str, code: str, rule: Text) -> Precondition:
    def test(ctx: Context) -> Shortfall | None:
        record = recorded(ctx, PREQUALIFICATION)
        if isinstance(record, Shortfall):
            return record
        if record.get(field) is not True:
            return Shortfall(Text("The prequalification assessment was not convinced."))
        return None

    return Precondition(
        code=code,
        rule=rule,
        source=_CALL,
        test=test,
        reads=(PREQUALIFICATION,),
        kind="programme",
    )


# The #StimuLab call: "Prosjektene som velges ut må overbevise om brukerbehov, lederforankring, egen
# ressursinnsats og innovasjonspotensial." Leadership anchoring is the rule shared with the
# innovation partnership (innoproc.rules.LEADERSHIP_ANCHORING).
USER_NEED = _must(
    "user_need",
    "user-need",
    Text("The proposal must convince on the user need."),
)
OWN_RESOURCES = _must(
    "own_resources",
    "own-resource-commitment",
    Text("The proposal must convince on the agency's own resource commitment."),
)
INNOVATION_POTENTIAL = _must(
    "innovation_potential",
    "innovation-potential",
    Text("The proposal must convince on its innovation potential."),
)


def _committed(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, WORKING_METHOD)
    if isinstance(record, Shortfall):
        return record
    lacking = [text for name, text in COMMITMENTS if record.get(name) is not True]
    if lacking:
        return Shortfall(
            Text("Not committed to: {lacking}.", lacking=Series(lacking, "semicolon")),
            lacking=tuple(text.en for text in lacking),
        )
    return None


# The #StimuLab call: projects "må forplikte seg til å følge en innovativ arbeidsmetode vi
# kaller den triple diamanten"; those that cannot confirm it in the dialogue do not go on.
WORKING_METHOD_COMMITTED = Precondition(
    code="working-method-committed",
    rule=Text("The agency must commit to the innovative working method (the triple diamond)."),
    source=_DIALOGUE,
    test=_committed,
    reads=(WORKING_METHOD,),
    kind="programme",
)


def _competence(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, SUPPLIER_COMPETENCE)
    if isinstance(record, Shortfall):
        return record
    names = (
        ("service_design", "service design", "tjenestedesign"),
        ("benefit_realisation", "benefit realisation", "gevinstrealisering"),
        ("change_management", "change management", "endringsledelse"),
    )
    lacking = [(en, nb) for name, en, nb in names if record.get(name) is not True]
    if lacking:
        return Shortfall(
            "Not asked for: " + ", ".join(en for en, _ in lacking) + ".",
            "Ikke etterspurt: " + ", ".join(nb for _, nb in lacking) + ".",
        )
    return None


# The #StimuLab call: "I anskaffelsen må leverandørene kunne levere på tjenestedesign,
# gevinstrealisering og endringsledelse".
SUPPLIER_COMPETENCE_RULE = Precondition(
    code="supplier-competence",
    rule=Text(
        "The procurement must ask for service design, benefit realisation and change management."
    ),
    source=_PROCUREMENT,
    test=_competence,
    reads=(SUPPLIER_COMPETENCE,),
    kind="programme",
)


def _change_annex(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, CHANGE_ANNEX)
    if isinstance(record, Shortfall):
        return record
    if record.get("anchored") is not True:
        return Shortfall(Text("The change annex is not anchored."))
    return None


# Digdir: diamond 1 ends in a shared, anchored problem understanding written up as a change
# annex ("endringsbilag") to the supplier contract.
CHANGE_ANNEX_RULE = Precondition(
    code="change-annex",
    rule=Text("The diagnosis must end in an anchored change annex (endringsbilag)."),
    source=_DIGDIR,
    test=_change_annex,
    reads=(CHANGE_ANNEX,),
    kind="programme",
)


def _users_involved(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, USER_INVOLVEMENT)
    if isinstance(record, Shortfall):
        return record
    participants, concepts = record.get("participants"), record.get("concepts_tested")
    if (
        not isinstance(participants, int)
        or participants < 1
        or not isinstance(concepts, int)
        or concepts < 1
    ):
        return Shortfall(Text("No user took part, or no concept was tested."))
    return None


# The #StimuLab call, marks 3 and 5: involve users and affected parties; test early.
# Digdir: diamond 2 explores ideas with users and tests concepts before one is chosen.
USERS_INVOLVED = Precondition(
    code="users-involved",
    rule=Text("Concepts must be tested with users before one is chosen."),
    source=_METHOD,
    test=_users_involved,
    reads=(USER_INVOLVEMENT,),
    kind="programme",
)


def _prototype_tested(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, PROTOTYPE_TEST)
    if isinstance(record, Shortfall):
        return record
    if record.get("tested_with_users") is not True:
        return Shortfall(Text("The prototype was not tested with users."))
    return None


# The #StimuLab call, mark 5 ("tidlig prototyping og testing"); Digdir: diamond 3 prototypes and
# simulates before delivery.
PROTOTYPE_TESTED = Precondition(
    code="prototype-tested",
    rule=Text("A prototype must have been tested with users before delivery."),
    source=_METHOD,
    test=_prototype_tested,
    reads=(PROTOTYPE_TEST,),
    kind="programme",
)


def _shared(ctx: Context) -> Shortfall | None:
    record = recorded(ctx, EXPERIENCE_SHARED)
    return record if isinstance(record, Shortfall) else None


# The #StimuLab call: supported projects "bidra med å dele sine erfaringer fra arbeidet i
# forvaltningen".
EXPERIENCE_SHARED_RULE = Precondition(
    code="experience-shared",
    rule=Text("The project must share its experience with the public sector."),
    source=STIMULAB_CALL_2018.at("«Prosjektene vi inngår samarbeid med får»"),
    test=_shared,
    reads=(EXPERIENCE_SHARED,),
    kind="programme",
)

# -- the procedure ---------------------------------------------------------------------------

_DIAMONDS = (
    ("diagnose", Text("Diamond 1: diagnose")),
    ("explore-define", Text("Diamond 2: explore and define")),
    ("develop-deliver", Text("Diamond 3: develop and deliver")),
)


def _diamond_states() -> tuple[State, ...]:
    return (
        State("diagnose-diverge", Text("Diamond 1: diagnose, diverge"), group="diagnose"),
        State("diagnose-converge", Text("Diamond 1: diagnose, converge"), group="diagnose"),
        State(
            "explore-define-diverge",
            Text("Diamond 2: explore and define, diverge"),
            group="explore-define",
        ),
        State(
            "explore-define-converge",
            Text("Diamond 2: explore and define, converge"),
            group="explore-define",
        ),
        State(
            "develop-deliver-diverge",
            Text("Diamond 3: develop and deliver, diverge"),
            group="develop-deliver",
        ),
        State(
            "develop-deliver-converge",
            Text("Diamond 3: develop and deliver, converge"),
            group="develop-deliver",
        ),
    )


_DESIGN = tuple(f"{d}-{half}" for d, _ in _DIAMONDS for half in ("diverge", "converge"))
_BEFORE_CONTRACT = ("proposal", "prequalification", "deferred", "dialogue", "procurement")

#: The released versions of the procedure, with the day each came into use.
VERSIONS: dict[int, date] = {1: date(2026, 11, 25), 2: date(2026, 11, 27)}


def _submitted_in_call(rounds: tuple[tuple[str, datetime | None], ...]) -> Precondition:
    deadlines = dict(rounds)

    def test(ctx: Context) -> Shortfall | None:
        deadline = deadlines.get(ctx.payload["round"])
        if deadline is None:
            return None  # the call gives no deadline for this round
        return late(ctx.at, deadline)

    return Precondition(
        code="submitted-in-time",
        rule=Text("The proposal must reach the call by the deadline of its round."),
        source=STIMULAB_CALL_2018.at("«innen fristen 9. mars»"),
        test=test,
        uses=("round",),
        kind="programme",
    )


def _later_round(rounds: tuple[tuple[str, datetime | None], ...]) -> Precondition:
    order = [name for name, _ in rounds]

    def test(ctx: Context) -> Shortfall | None:
        taken = ctx.payload["round"]
        last = ctx.last_step("take-up", "submit-proposal")
        previous = last.payload.get("round") if last is not None else None
        if previous not in order:
            return None  # submitted under version 1 without a known round
        if order.index(taken) <= order.index(previous):
            return Shortfall(
                Text(
                    "The proposal was last considered in round {previous}; round {taken} is not a "
                    "later round.",
                    previous=previous,
                    taken=taken,
                ),
                previous=previous,
                round=taken,
            )
        return None

    return Precondition(
        code="later-round",
        rule=Text("A deferred proposal may be taken up only in a later round of the call."),
        source=STIMULAB_CALL_2018.at("«foreløpige» forslag; «en ny runde ... etter sommeren»"),
        test=test,
        uses=("round",),
        kind="programme",
    )


def triple_diamond(
    *,
    rounds: tuple[tuple[str, datetime | None], ...] = STIMULAB_2018_ROUNDS,
    version: int | None = None,
) -> Procedure:
    """The triple diamond for a #StimuLab call with these ``rounds`` (name and deadline, the
    deadline ``None`` where the call gives none), in ``version`` (the latest when ``None``).

    The registered procedure is for the call of 2018; version 1 took the deadline from the
    proposal's step, version 2 from the call's round, and takes a deferred proposal up only
    in a later round.
    """
    if version is None:
        version = max(VERSIONS)
    if version not in VERSIONS:
        raise InvalidArgument(
            f"version must be one of {', '.join(map(str, VERSIONS))}, got {shown(version)}",
            "version",
        )
    names = tuple(name for name, _ in rounds)
    if not names or len(set(names)) != len(names):
        raise InvalidArgument(f"rounds must have distinct names, got {shown(rounds)}", "rounds")
    if version == 1:
        submit = Event(
            "submit-proposal",
            Text("Submit the proposal"),
            source="proposal",
            dest="prequalification",
            requires=(SUBMITTED_IN_TIME.cited(STIMULAB_CALL_2018.at("«innen fristen 9. mars»")),),
            fields=(DEADLINE_FIELD, Field("round", "text", required=False)),
        )
        take_up = Event(
            "take-up",
            Text("Take up in a later round"),
            source="deferred",
            dest="prequalification",
            fields=(Field("round", "text", doc="The later round."),),
        )
        changes = None
    else:
        submit = Event(
            "submit-proposal",
            Text("Submit the proposal"),
            source="proposal",
            dest="prequalification",
            requires=(_submitted_in_call(rounds),),
            fields=(Field("round", "text", choices=names, doc="The round of the call."),),
        )
        take_up = Event(
            "take-up",
            Text("Take up in a later round"),
            source="deferred",
            dest="prequalification",
            requires=(_later_round(rounds),),
            fields=(Field("round", "text", choices=names, doc="The later round."),),
        )
        changes = Text(
            "A proposal's lateness is judged against the deadline of the call's round, "
            "never a deadline given with the proposal; a deferred proposal is taken up only "
            "in a later round."
        )
    return _declare(version, changes, submit, take_up)


def _declare(version: int, changes: Text | None, submit: Event, take_up: Event) -> Procedure:
    return Procedure(
        "triple-diamond",
        title=Text("Triple diamond (#StimuLab)"),
        source=_CALL,
        description=(
            "A #StimuLab project from proposal through the three diamonds to shared experience."
        ),
        version=version,
        released=VERSIONS[version],
        changes=changes,
        states=(
            State("proposal", Text("Proposal"), initial=True),
            State("prequalification", Text("Prequalification")),
            State("deferred", Text("Deferred to a later round")),
            State(
                "dialogue",
                Text("Understand, anchor, commit"),
            ),
            State("procurement", Text("Innovative procurement")),
            *_diamond_states(),
            State("completed", Text("Completed"), final=True),
            State("rejected", Text("Not taken further"), final=True),
            State("withdrawn", Text("Withdrawn"), final=True),
        ),
        events=(
            submit,
            Event(
                "prequalify",
                Text("Take into the dialogue"),
                source="prequalification",
                dest="dialogue",
                requires=(USER_NEED, LEADERSHIP_ANCHORING, OWN_RESOURCES, INNOVATION_POTENTIAL),
            ),
            Event(
                "defer",
                Text("Defer: relevant later"),
                source="prequalification",
                dest="deferred",
            ),
            take_up,
            Event(
                "reject",
                Text("Do not take further"),
                source=("prequalification", "deferred", "dialogue"),
                dest="rejected",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "grant",
                Text("Steering group grants funds"),
                source="dialogue",
                dest="procurement",
                requires=(WORKING_METHOD_COMMITTED, LEADERSHIP_ANCHORING),
                fields=(
                    Field("amount", "amount", doc="The grant (NOK)."),
                    Field("decided_by", "text", doc="The steering group's decision reference."),
                ),
            ),
            Event(
                "sign-contract",
                Text("Sign the supplier contract"),
                source="procurement",
                dest="diagnose-diverge",
                requires=(SUPPLIER_COMPETENCE_RULE,),
                fields=(
                    Field("supplier", "text"),
                    Field(
                        "service_owner",
                        "text",
                        doc="Formal ownership of the assignment passes to the service owner.",
                    ),
                ),
            ),
            Event(
                "converge-diagnosis",
                Text("Converge on the diagnosis"),
                source="diagnose-diverge",
                dest="diagnose-converge",
            ),
            Event(
                "finish-diagnosis",
                Text("Finish diamond 1"),
                source="diagnose-converge",
                dest="explore-define-diverge",
                requires=(CHANGE_ANNEX_RULE,),
            ),
            Event(
                "converge-concept",
                Text("Converge on a concept"),
                source="explore-define-diverge",
                dest="explore-define-converge",
            ),
            Event(
                "finish-explore-define",
                Text("Finish diamond 2"),
                source="explore-define-converge",
                dest="develop-deliver-diverge",
                requires=(USERS_INVOLVED,),
            ),
            Event(
                "converge-delivery",
                Text("Converge on the delivery"),
                source="develop-deliver-diverge",
                dest="develop-deliver-converge",
            ),
            Event(
                "complete",
                Text("Deliver and complete"),
                source="develop-deliver-converge",
                dest="completed",
                requires=(PROTOTYPE_TESTED, EXPERIENCE_SHARED_RULE),
            ),
            Event(
                "revisit-diagnosis",
                Text("Go back to the diagnosis"),
                source=_DESIGN[2:],
                dest="diagnose-diverge",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "revisit-explore-define",
                Text("Go back to explore and define"),
                source=_DESIGN[4:],
                dest="explore-define-diverge",
                fields=(Field("reason", "text"),),
            ),
            Event(
                "withdraw",
                Text("Withdraw"),
                source=(*_BEFORE_CONTRACT, *_DESIGN),
                dest="withdrawn",
                fields=(Field("reason", "text"),),
            ),
        ),
        facts=(PREQUALIFICATION, WORKING_METHOD, SUPPLIER_COMPETENCE),
    )


TRIPLE_DIAMOND_V1 = triple_diamond(version=1)
TRIPLE_DIAMOND = triple_diamond()


def service_owner(ctx: Context) -> str | None:
    """Who owns the service development: set at contract signature (the #StimuLab call)."""
    signed = ctx.steps("sign-contract")
    return str(signed[-1].payload["service_owner"]) if signed else None
