"""The engine: declaring procedures, checking definitions, and running cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from _builders import PM, T0, day, in_market_dialogue, in_needs, new_case

import innoproc
from innoproc import (
    Event,
    FactType,
    Field,
    InvalidDefinition,
    Precondition,
    Procedure,
    Shortfall,
    Source,
    State,
    Text,
)

T = Text(en="x", nb="x")
SRC = Source("Local rules", "§ 1")


def approval_given(ctx: innoproc.Context) -> Shortfall | None:
    if ctx.fact("budget-approval") is None:
        return Shortfall("No approval.", "Ingen godkjenning.")
    return None


BUDGET = FactType(
    "budget-approval",
    Text(en="Budget approval", nb="Budsjettvedtak"),
    fields=(Field("amount", "amount"),),
)
APPROVED = Precondition(
    code="budget-approved",
    rule=Text(en="The budget must be approved.", nb="Budsjettet må være vedtatt."),
    source=SRC,
    test=approval_given,
    reads=(BUDGET,),
)


def small(**overrides: Any) -> Procedure:
    """A small municipal procedure: idea -> trial -> done, or dropped."""
    spec: dict[str, Any] = {
        "title": Text(en="Trial", nb="Utprøving"),
        "source": SRC,
        "states": (
            State("idea", T, initial=True),
            State("trial", T),
            State("done", T, final=True),
            State("dropped", T, final=True),
        ),
        "events": (
            Event("start", T, source="idea", dest="trial", requires=(APPROVED,)),
            Event("finish", T, source="trial", dest="done"),
            Event("drop", T, source=("idea", "trial"), dest="dropped"),
        ),
    }
    spec.update(overrides)
    return Procedure("municipal-trial", **spec)


class TestDefinitionChecks:
    def test_valid(self) -> None:
        """A sound declaration builds, and the facts its preconditions read are declared."""
        proc = small()
        assert proc.initial == "idea"
        assert set(proc.facts) == {"budget-approval"}
        assert set(proc.preconditions) == {"budget-approved"}

    def test_unknown_state(self) -> None:
        """An event naming an undeclared state is refused, naming the state."""
        with pytest.raises(InvalidDefinition) as info:
            small(events=(Event("start", T, source="idea", dest="trail"),))
        assert info.value.culprit == "trail"
        assert "unknown state 'trail'" in str(info.value)

    def test_unreachable(self) -> None:
        """A state no event leads to is refused."""
        states = (
            State("idea", T, initial=True),
            State("done", T, final=True),
            State("limbo", T, final=True),
        )
        with pytest.raises(InvalidDefinition) as info:
            small(states=states, events=(Event("finish", T, source="idea", dest="done"),))
        assert info.value.culprit == "limbo"
        assert "unreachable" in str(info.value)

    def test_trap_state(self) -> None:
        """A non-final state with no way out is refused."""
        states = (State("idea", T, initial=True), State("stuck", T), State("done", T, final=True))
        events = (
            Event("go", T, source="idea", dest="stuck"),
            Event("finish", T, source="idea", dest="done"),
        )
        with pytest.raises(InvalidDefinition) as info:
            small(states=states, events=events)
        assert info.value.culprit == "stuck"
        assert "no way out" in str(info.value)

    def test_trap_with_only_reflexive_events(self) -> None:
        """Events that stay in the state are no way out."""
        states = (State("idea", T, initial=True), State("loop", T), State("done", T, final=True))
        events = (
            Event("go", T, source="idea", dest="loop"),
            Event("again", T, source="loop", dest=None),
            Event("finish", T, source="idea", dest="done"),
        )
        with pytest.raises(InvalidDefinition, match="'loop' is not final"):
            small(states=states, events=events)

    def test_leaving_final_state(self) -> None:
        """An event out of a final state is refused."""
        events = (*small().events.values(), Event("reopen", T, source="done", dest="trial"))
        with pytest.raises(InvalidDefinition, match="leaves final state 'done'"):
            small(events=events)

    @pytest.mark.parametrize("initials", [0, 2])
    def test_one_initial_state(self, initials: int) -> None:
        """Exactly one initial state is required."""
        states = (
            State("idea", T, initial=initials >= 1),
            State("trial", T, initial=initials == 2),
            State("done", T, final=True),
            State("dropped", T, final=True),
        )
        with pytest.raises(InvalidDefinition, match="exactly one initial state"):
            small(states=states)

    def test_duplicate_state(self) -> None:
        """The same state twice is refused."""
        states = (State("idea", T, initial=True), State("idea", T))
        with pytest.raises(InvalidDefinition, match="declared twice"):
            small(states=states)

    def test_duplicate_event(self) -> None:
        """The same event twice is refused."""
        events = (*small().events.values(), Event("drop", T, source="idea", dest="dropped"))
        with pytest.raises(InvalidDefinition, match="event 'drop' declared twice"):
            small(events=events)

    def test_precondition_uses_undeclared_field(self) -> None:
        """A precondition needing a field the event does not declare is refused."""
        pre = Precondition(code="dated", rule=T, source=SRC, test=lambda c: True, uses=("date",))
        events = (
            Event("start", T, source="idea", dest="trial", requires=(pre,)),
            Event("finish", T, source="trial", dest="done"),
            Event("drop", T, source=("idea", "trial"), dest="dropped"),
        )
        with pytest.raises(InvalidDefinition) as info:
            small(events=events)
        assert info.value.culprit == "dated"

    def test_not_a_precondition(self) -> None:
        """Requiring something that is not a Precondition (say, a code string) is refused."""
        events = (
            Event("start", T, source="idea", dest="trial", requires=("budget-approved",)),  # type: ignore[arg-type]
            Event("finish", T, source="trial", dest="done"),
            Event("drop", T, source=("idea", "trial"), dest="dropped"),
        )
        with pytest.raises(InvalidDefinition) as info:
            small(events=events)
        assert info.value.culprit == "budget-approved"

    def test_two_preconditions_one_code(self) -> None:
        """Two different preconditions may not share a code."""
        other = Precondition(
            code="budget-approved", rule=Text(en="y", nb="y"), source=SRC, test=lambda c: True
        )
        events = (
            Event("start", T, source="idea", dest="trial", requires=(APPROVED,)),
            Event("finish", T, source="trial", dest="done", requires=(other,)),
            Event("drop", T, source=("idea", "trial"), dest="dropped"),
        )
        with pytest.raises(InvalidDefinition, match="two different preconditions"):
            small(events=events)

    def test_two_facts_one_name(self) -> None:
        """Two different fact types may not share a name."""
        clash = FactType("budget-approval", T)
        with pytest.raises(InvalidDefinition, match="two different facts"):
            small(facts=(clash,))

    @pytest.mark.parametrize("name", ["Idea", "my idea", "idea_", "", "1st"])
    def test_names(self, name: str) -> None:
        """Names are lower-case words joined by hyphens."""
        with pytest.raises(InvalidDefinition):
            State(name, T)

    def test_bad_field_kind(self) -> None:
        """An unknown field kind is refused when declared."""
        with pytest.raises(TypeError, match="field kind must be one of"):
            Field("x", "money")


class TestSharedMachine:
    def test_one_machine_for_all_cases(self) -> None:
        """All cases share the procedure's one machine, and no case is added to it."""
        proc = innoproc.procedures()["innovation-partnership"]
        cases = [in_needs() for _ in range(5)]
        for case in cases:
            case.apply("start-market-dialogue", at=day(2), by=PM)
        assert all(c.procedure.machine is proc.machine for c in cases)
        assert proc.machine.models == []


class TestOwnProcedure:
    def test_run_and_store(self) -> None:
        """A user-declared procedure runs, explains itself and round-trips through JSON."""
        proc = small()
        case = innoproc.open_case(proc, reference="K-1", authority="Bærum kommune")
        refused = case.check("start", at=T0)
        assert refused.codes == ("budget-approved",)
        assert refused.unmet[0].message("nb") == "Budsjettet må være vedtatt. Ingen godkjenning."
        case.record("budget-approval", at=T0, by="Council", amount=250_000)
        case.apply("start", at=T0, by="Clerk")
        text = innoproc.dumps(case)
        again = innoproc.loads(text, procedures=[proc])
        assert again.state == "trial"
        assert innoproc.dumps(again) == text

    def test_unknown_procedure_on_load(self) -> None:
        """Loading a case of an undeclared procedure names it."""
        case = innoproc.open_case(small(), reference="K-1", authority="A")
        with pytest.raises(innoproc.CaseFormatError, match="unknown procedure 'municipal-trial'"):
            innoproc.loads(innoproc.dumps(case))

    def test_bad_test_return(self) -> None:
        """A precondition test returning something else than bool/None/Shortfall is a bug."""
        pre = Precondition(code="odd", rule=T, source=SRC, test=lambda c: "yes")  # type: ignore[arg-type,return-value]
        events = (
            Event("start", T, source="idea", dest="trial", requires=(pre,)),
            Event("finish", T, source="trial", dest="done"),
            Event("drop", T, source=("idea", "trial"), dest="dropped"),
        )
        case = innoproc.open_case(small(events=events), reference="K", authority="A")
        with pytest.raises(InvalidDefinition, match="must return bool, None or Shortfall"):
            case.check("start", at=T0)


class TestOpenCase:
    def test_unknown_procedure(self) -> None:
        """An unknown procedure id names the known ones."""
        with pytest.raises(innoproc.UnknownProcedure) as info:
            innoproc.open_case("competitive-dialogue", reference="1", authority="A")
        assert "innovation-partnership" in str(info.value)
        assert isinstance(info.value, LookupError)

    @pytest.mark.parametrize("details", [{"when": datetime(2024, 1, 1)}, {"n": float("nan")}])
    def test_details_must_be_json(self, details: dict[str, Any]) -> None:
        """Details that JSON cannot hold faithfully are refused."""
        with pytest.raises(innoproc.InvalidPayload):
            innoproc.open_case("innovation-partnership", reference="1", authority="A", **details)

    @pytest.mark.parametrize("reference", ["", "   "])
    def test_reference_required(self, reference: str) -> None:
        """A case needs a reference."""
        with pytest.raises(innoproc.InvalidPayload, match="'reference'"):
            innoproc.open_case("innovation-partnership", reference=reference, authority="A")


class TestBadInput:
    def test_naive_at(self) -> None:
        """A naive 'at' is refused with the argument named."""
        with pytest.raises(innoproc.NaiveDatetimeError) as info:
            in_needs().apply("start-market-dialogue", at=datetime(2024, 1, 9), by=PM)
        assert info.value.argument == "at"
        assert "'at' must be a timezone-aware datetime" in str(info.value)

    def test_naive_payload_datetime(self) -> None:
        """A naive datetime field is refused with the field named."""
        case = in_market_dialogue()
        with pytest.raises(innoproc.NaiveDatetimeError) as info:
            case.check(
                "publish-notice",
                at=day(40),
                notice_sent=datetime(2024, 2, 1),
                request_deadline=day(80),
            )
        assert info.value.argument == "notice_sent"

    def test_naive_check_at(self) -> None:
        """check() refuses a naive 'at' too."""
        with pytest.raises(innoproc.NaiveDatetimeError):
            new_case().check("cancel", at=datetime(2024, 1, 1), reason="x")

    def test_unknown_event(self) -> None:
        """An unknown event names the procedure's events."""
        with pytest.raises(innoproc.UnknownEvent) as info:
            new_case().check("publish")
        assert "publish-notice" in str(info.value)

    def test_unknown_fact(self) -> None:
        """An unknown fact is refused, naming the known ones."""
        with pytest.raises(innoproc.UnknownFact) as info:
            new_case().record("leadership", at=T0, by=PM)
        assert "leadership-decision" in info.value.known

    def test_unknown_field(self) -> None:
        """A misspelt field is refused rather than ignored."""
        with pytest.raises(innoproc.InvalidPayload) as info:
            new_case().apply("cancel", at=T0, by=PM, reasons="x")
        assert info.value.field == "reasons"

    @pytest.mark.parametrize("value", [1, "yes", None])
    def test_wrong_type(self, value: object) -> None:
        """A field of the wrong type is refused."""
        with pytest.raises(innoproc.InvalidPayload):
            new_case().record("need-description", at=T0, by=PM, summary="x", functional=value)

    def test_missing_required_fact_field(self) -> None:
        """A fact needs its required fields."""
        with pytest.raises(innoproc.InvalidPayload, match="requires field"):
            new_case().record("need-description", at=T0, by=PM, summary="x")

    def test_missing_required_event_field(self) -> None:
        """apply() refuses an event whose required field is missing."""
        with pytest.raises(innoproc.InvalidPayload, match=r"requires field.*reason"):
            new_case().apply("cancel", at=T0, by=PM)

    @pytest.mark.parametrize("by", ["", "  ", None])
    def test_actor_required(self, by: Any) -> None:
        """Every entry names its actor."""
        with pytest.raises(innoproc.InvalidPayload, match="'by'"):
            new_case().apply("cancel", at=T0, by=by, reason="x")

    def test_history_in_time_order(self) -> None:
        """An entry dated before the last one is refused."""
        case = in_needs()
        with pytest.raises(innoproc.ChronologyError):
            case.apply("start-market-dialogue", at=day(0), by=PM)

    def test_unknown_language(self) -> None:
        """Asking for a language without texts raises UnknownLanguage."""
        finding = in_needs(need=False).check("start-market-dialogue", at=T0).unmet[0]
        with pytest.raises(innoproc.UnknownLanguage, match="available: en, nb"):
            finding.message("sv")

    def test_all_errors_share_the_root(self) -> None:
        """Every public exception derives from InnoprocError."""
        errors = [
            getattr(innoproc, n)
            for n in innoproc.__all__
            if isinstance(getattr(innoproc, n), type)
            and issubclass(getattr(innoproc, n), BaseException)
        ]
        assert len(errors) >= 12
        assert all(issubclass(e, innoproc.InnoprocError) for e in errors)


class TestAtomicity:
    @pytest.mark.parametrize(
        ("event", "payload", "error"),
        [
            ("invite-candidates", {}, innoproc.TransitionNotAllowed),
            ("start-market-dialogue", {}, innoproc.PreconditionFailed),
            ("cancel", {}, innoproc.InvalidPayload),
            ("cancel", {"reason": 3}, innoproc.InvalidPayload),
            ("nonsense", {}, innoproc.UnknownEvent),
        ],
    )
    def test_refusal_changes_nothing(
        self, event: str, payload: dict[str, Any], error: type[Exception]
    ) -> None:
        """Every refused step leaves the serialised case exactly as it was."""
        case = in_needs(need=False)
        before = innoproc.dumps(case)
        with pytest.raises(error):
            case.apply(event, at=day(5), by=PM, **payload)
        assert innoproc.dumps(case) == before
        assert case.revision == 0

    def test_rule_failure_changes_nothing(self) -> None:
        """If a precondition's test fails midway, the case keeps its state and history, and
        the error names the precondition (keeping the original as its cause)."""

        def boom(ctx: innoproc.Context) -> bool:
            raise RuntimeError("callback failed")

        fragile = innoproc.Precondition(
            "fragile", innoproc.Text("x", "y"), innoproc.Source("Host rules"), boom
        )
        procedure = innoproc.Procedure(
            "fragile-procedure",
            title=innoproc.Text("F", "F"),
            source=innoproc.Source("Host rules"),
            states=[
                innoproc.State("a", innoproc.Text("A", "A"), initial=True),
                innoproc.State("b", innoproc.Text("B", "B"), final=True),
            ],
            events=[innoproc.Event("go", innoproc.Text("Go", "Gå"), "a", "b", requires=[fragile])],
        )
        case = innoproc.open_case(procedure, reference="F-1", authority="A")
        before = innoproc.dumps(case)
        with pytest.raises(innoproc.InvalidDefinition, match="'fragile' failed") as info:
            case.apply("go", at=day(2), by=PM)
        assert isinstance(info.value.__cause__, RuntimeError)
        assert info.value.culprit == "fragile"
        assert innoproc.dumps(case) == before
        assert case.state == "a"


class TestCaseApi:
    def test_history_records_everything(self) -> None:
        """Facts and steps appear in the history with aware time, actor and payload."""
        case = in_needs()
        step = case.apply("start-market-dialogue", at=day(2), by="Anne")
        fact, applied = case.history
        assert (fact.kind, fact.name, fact.by) == ("fact", "need-description", PM)
        assert fact.payload["functional"] is True
        assert applied == step
        assert (step.kind, step.seq, step.by, step.at) == ("step", 2, "Anne", day(2))
        assert step.at.tzinfo is not None
        assert case.revision == 2

    def test_details_are_read_only(self) -> None:
        """Details cannot be changed after opening, not even nested ones."""
        case = innoproc.open_case(
            "triple-diamond", reference="1", authority="A", team={"members": ["Anne"]}
        )
        with pytest.raises(TypeError):
            case.details["team"]["members"] = ["Bjørn"]  # type: ignore[index]
        assert case.details["team"]["members"] == ("Anne",)
        assert '"team":{"members":["Anne"]}' in innoproc.dumps(case)

    def test_payload_is_read_only(self) -> None:
        """Recorded payloads cannot be changed behind the history's back."""
        entry = in_needs().history[0]
        with pytest.raises(TypeError):
            entry.payload["functional"] = False  # type: ignore[index]

    def test_facts_latest_wins(self) -> None:
        """A later record of a fact supersedes the earlier one; both stay in history."""
        case = in_needs()
        case.record("need-description", at=day(3), by=PM, summary="v2", functional=False)
        assert case.facts["need-description"].get("summary") == "v2"
        assert not case.check("start-market-dialogue", at=day(4)).ok
        assert len(case.history) == 2

    def test_available(self) -> None:
        """available() lists the events from the current state with their verdicts."""
        got = {a.event: a for a in in_needs().available(at=day(2))}
        assert set(got) == {"start-market-dialogue", "publish-notice", "cancel"}
        assert got["start-market-dialogue"].ok
        assert got["cancel"].missing == ("reason",)

    def test_wrong_state_check(self) -> None:
        """check() of an event from another state explains where it is possible."""
        a = new_case().check("award", at=T0)
        assert not a.allowed and not a.ok
        assert a.possible_from == ("final-tenders",)
        assert "is not possible while the case is in Needs; it is possible from Final tenders" in (
            a.explain()
        )
        assert "Behovsavklaring" in a.explain("nb") and "Endelige tilbud" in a.explain("nb")

    def test_refusal_carries_findings(self) -> None:
        """PreconditionFailed carries every finding with code, message and source."""
        with pytest.raises(innoproc.PreconditionFailed) as info:
            in_needs(need=False).apply("start-market-dialogue", at=T0, by=PM)
        (finding,) = info.value.unmet
        assert finding.code == "need-described"
        assert str(finding.source) == "Directive 2014/24/EU art. 31(1) second subparagraph"
        assert "[need-described]" in str(info.value)
        assert isinstance(info.value, innoproc.StepRefused)

    def test_repr(self) -> None:
        """Cases and preconditions print readably."""
        assert repr(new_case()) == (
            "<Case '2024/0173' (innovation-partnership v2) state='needs' revision=0>"
        )
        assert repr(innoproc.rules.NO_MARKET_SOLUTION) == "<precondition no-market-solution>"
