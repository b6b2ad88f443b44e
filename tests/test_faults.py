"""Regression tests for the defects adversarial testing found (issue 18), one class per defect.

Each test reproduces the issue's own example and checks the behaviour a host relies on now.
Where a defect is not fixed yet the test is marked ``xfail(strict=True)`` with the cause, so
that it turns into a failure (and the mark must go) the day it is fixed.
"""

from __future__ import annotations

import copy
import gc
import json
import pickle
import random
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import _builders as b
import pytest

import innoproc
from innoproc import (
    CaseFormatError,
    ChronologyError,
    InnoprocError,
    InvalidArgument,
    InvalidDefinition,
    InvalidPayload,
    NaiveDatetimeError,
    PreconditionFailed,
    _limits,
)
from innoproc._engine.declare import Context

OSLO = innoproc.OSLO


def _doc(case: innoproc.Case) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(innoproc.dumps(case))
    return loaded


def _tiny_procedure(
    pid: str, test: Callable[[Context], Any], *, reflexive: bool = False
) -> innoproc.Procedure:
    """A two-state procedure whose one event 'go' is guarded by ``test``."""
    from innoproc import Event, FactType, Field, Precondition, Procedure, Source, State, Text

    rule = Precondition(
        code="host-rule",
        rule=Text(en="A host's rule.", nb="En vertsregel."),
        source=Source("Host", "rule"),
        test=test,
    )
    note = FactType("note", Text(en="Note", nb="Notat"), fields=(Field("n", "integer"),))
    return Procedure(
        pid,
        title=Text(en="Tiny", nb="Liten"),
        source=Source("Host", "procedure"),
        states=(
            State("open", Text(en="Open", nb="Åpen"), initial=True),
            State("done", Text(en="Done", nb="Ferdig"), final=True),
        ),
        events=(
            innoproc.Event(
                "go",
                Text(en="Go", nb="Gå"),
                source="open",
                dest=None if reflexive else "done",
                requires=(rule,),
            ),
            Event("finish", Text(en="Finish", nb="Fullfør"), source="open", dest="done"),
        ),
        facts=(note,),
    )


# -- 1 ------------------------------------------------------------------------------------------


class TestAuditMissesTampering:
    """Defect 1: a step whose recorded target was changed audits as compliant."""

    def tampered(self) -> str:
        case = b.in_needs()
        case.apply("start-market-dialogue", at=b.day(2), by=b.PM)
        doc = _doc(case)
        doc["history"][1]["to"] = "purchased"
        doc["state"] = "purchased"
        return json.dumps(doc)

    def test_issue_example_is_a_violation(self) -> None:
        """A step said to lead to 'purchased' is reported at its entry, as step-out-of-order."""
        report = innoproc.audit(self.tampered())
        assert not report.ok
        assert [(v.seq, v.kind, v.codes) for v in report.violations] == [
            (2, "order", ("step-out-of-order",))
        ]

    def test_strict_loads_refuses_the_same_document(self) -> None:
        """loads and audit agree: the document that audits as tampered does not load."""
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(self.tampered())
        assert info.value.path == "$.history[1].to"

    def test_audit_of_the_loaded_case_agrees(self) -> None:
        """Loading for an audit and auditing the case gives the same verdict as the text."""
        case = innoproc.loads(self.tampered(), for_audit=True)
        assert case.state == "purchased"
        assert innoproc.audit(case).codes == ("step-out-of-order",)


# -- 2 ------------------------------------------------------------------------------------------


class TestDumpsRacesWithWriters:
    """Defect 2: dumps while another thread records gave texts with a revision too large."""

    def test_every_text_is_a_consistent_snapshot(self) -> None:
        """Four threads dump while one records 300 facts: every text loads strictly, states
        a revision equal to the entries it holds, and is a prefix of the final history."""
        case = b.in_needs()
        texts: list[str] = []
        done = threading.Event()

        def writer() -> None:
            try:
                for i in range(300):
                    case.record(
                        "need-description",
                        at=b.day(2) + timedelta(seconds=i),
                        by=b.PM,
                        summary=f"need {i}",
                        functional=True,
                    )
            finally:
                done.set()

        def reader() -> None:
            while not done.is_set():
                texts.append(innoproc.dumps(case))

        threads = [threading.Thread(target=reader) for _ in range(4)]
        threads.append(threading.Thread(target=writer))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        final = _doc(case)["history"]
        assert len(final) == 301 and len(texts) > 4
        for text in texts:
            doc = json.loads(text)
            assert doc["revision"] == len(doc["history"])
            assert innoproc.loads(text).revision == doc["revision"]
            assert doc["history"] == final[: len(doc["history"])]


# -- 3 ------------------------------------------------------------------------------------------


def _fold(hour: int, minute: int, fold: int) -> datetime:
    """A wall-clock time on the fall-back night of 27 October 2024 in Oslo (02:00-02:59
    happens twice: fold 0 in summer time, fold 1 in winter time)."""
    return datetime(2024, 10, 27, hour, minute, tzinfo=OSLO, fold=fold)


class TestTimeOrderAcrossDaylightSaving:
    """Defect 3: record/apply compared two Oslo times by wall clock, loads by real time."""

    def record(self, case: innoproc.Case, at: datetime) -> innoproc.FactRecord:
        return case.record("need-description", at=at, by=b.PM, summary="s", functional=True)

    def test_thirty_minutes_earlier_in_real_time_is_refused(self) -> None:
        """02:40 summer time (00:40 UTC) after 02:10 winter time (01:10 UTC) is refused,
        although its wall clock reads later."""
        case = b.new_case()
        self.record(case, _fold(2, 10, 1))
        with pytest.raises(ChronologyError) as info:
            self.record(case, _fold(2, 40, 0))
        assert info.value.argument == "at"
        assert case.revision == 1

    def test_thirty_minutes_later_in_real_time_is_accepted_and_reloads(self) -> None:
        """02:10 winter time (01:10 UTC) after 02:40 summer time (00:40 UTC) is accepted,
        and the case reloads."""
        case = b.new_case()
        self.record(case, _fold(2, 40, 0))
        second = self.record(case, _fold(2, 10, 1))
        assert second.at.utcoffset() == timedelta(hours=1)
        again = innoproc.loads(innoproc.dumps(case))
        assert [e.at for e in again.history] == [e.at for e in case.history]

    def test_apply_compares_by_real_time(self) -> None:
        """The same holds for steps: apply refuses a step earlier in real time."""
        case = b.new_case()
        self.record(case, _fold(2, 10, 1))
        with pytest.raises(ChronologyError):
            case.apply("start-market-dialogue", at=_fold(2, 40, 0), by=b.PM)
        step = case.apply("start-market-dialogue", at=_fold(2, 20, 1), by=b.PM)
        assert step.target == "market-dialogue"

    def test_loads_refuses_what_record_refuses(self) -> None:
        """A document holding the refused order is refused by loads, and audit reports it."""
        case = b.new_case()
        self.record(case, _fold(2, 10, 1))
        doc = _doc(case)
        entry = dict(doc["history"][0], seq=2, at="2024-10-27T02:40:00+02:00")
        doc["history"].append(entry)
        doc["revision"] = 2
        with pytest.raises(CaseFormatError, match="earlier than the one before"):
            innoproc.loads(json.dumps(doc))
        assert innoproc.audit(json.dumps(doc)).codes == ("out-of-time-order",)


# -- 4 ------------------------------------------------------------------------------------------


def _reflexive_document(steps: int, *, evaluations: bool) -> str:
    """A case in development with ``steps`` start-next-phase steps, each followed by the
    evaluation of the phase it starts when ``evaluations``."""
    case = b.in_development(phases=10**6)
    b.evaluated(case, 1)
    doc = _doc(case)
    history = doc["history"]
    at = b.day(300)
    for i in range(steps):
        at += timedelta(minutes=1)
        history.append(
            {
                "seq": len(history) + 1,
                "kind": "step",
                "name": "start-next-phase",
                "from": "development",
                "to": "development",
                "at": at.isoformat(),
                "by": b.PM,
                "payload": {},
            }
        )
        if evaluations:
            history.append(
                {
                    "seq": len(history) + 1,
                    "kind": "fact",
                    "name": "phase-evaluation",
                    "at": at.isoformat(),
                    "by": b.PM,
                    "payload": {"phase": i + 2, "targets_met": True},
                }
            )
    doc["revision"] = len(history)
    return json.dumps(doc)


@pytest.fixture
def rule_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many history entries the rules were handed, in total, through ``Context.facts``
    and ``Context.steps`` (each returns a fresh tuple: its length is work done per call).

    Linear-time judging hands the rules a bounded number of entries per entry judged."""
    handed = [0]
    facts, steps = Context.facts, Context.steps

    def counted_facts(self: Context, name: str) -> tuple[innoproc.FactRecord, ...]:
        found = facts(self, name)
        handed[0] += len(found)
        return found

    def counted_steps(self: Context, event: str | None = None) -> tuple[innoproc.StepRecord, ...]:
        found = steps(self, event)
        handed[0] += len(found)
        return found

    monkeypatch.setattr(Context, "facts", counted_facts)
    monkeypatch.setattr(Context, "steps", counted_steps)
    yield handed


class TestLinearWork:
    """Defect 4: quadratic work inside the size bound (timings are in the soak script and
    benchmarks; these tests count work, so that they cannot be flaky)."""

    def test_reflexive_steps_are_judged_from_indexes(self, rule_reads: list[int]) -> None:
        """The issue's example, 8,000 reflexive start-next-phase steps: every one is judged
        (and refused: no phase evaluated), and the rules read the history through indexes."""
        report = innoproc.audit(_reflexive_document(8000, evaluations=False))
        checked, violations = report.steps_checked, len(report.violations)
        assert checked == 5 + 8000  # five steps to development, then the reflexive ones
        assert violations == 7999  # the first is allowed: phase 1 was evaluated
        assert rule_reads[0] <= 10 * 8000

    def test_phase_evaluations_are_read_in_constant_time(self, rule_reads: list[int]) -> None:
        """2,000 phases, each evaluated: judging each step reads a bounded part of history."""
        ok = innoproc.audit(_reflexive_document(2000, evaluations=True)).ok
        assert ok
        assert rule_reads[0] <= 10 * 4000

    def test_out_of_order_steps_are_not_judged_again(self, rule_reads: list[int]) -> None:
        """Award steps that never left final-tenders (1,000 of them, between 1,000
        negotiation rounds) are order violations; their rules are not run over the rounds."""
        case = b.in_final_tenders()
        doc = _doc(case)
        history = doc["history"]
        at = b.day(101)
        award = {
            "partners": ["A"],
            "award_basis": "best-price-quality-ratio",
            "performance_levels": ["x"],
            "maximum_cost": "1",
        }
        for i in range(1000):
            at += timedelta(minutes=1)
            history.append(
                {
                    "seq": len(history) + 1,
                    "kind": "fact",
                    "name": "negotiation-round",
                    "at": at.isoformat(),
                    "by": b.PM,
                    "payload": {
                        "round": i + 2,
                        "changed_minimum_requirements": False,
                        "changed_award_criteria": False,
                    },
                }
            )
            history.append(
                {
                    "seq": len(history) + 1,
                    "kind": "step",
                    "name": "award",
                    "from": "final-tenders",
                    "to": "final-tenders",
                    "at": at.isoformat(),
                    "by": b.PM,
                    "payload": award,
                }
            )
        doc["revision"] = len(history)
        violations = len(innoproc.audit(json.dumps(doc)).violations)
        assert violations == 1000
        assert rule_reads[0] <= 10 * 2000

    def test_loads_checks_the_details_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The issue's example, details holding {} many times: checked in one pass."""
        passes: list[str] = []
        json_data = _limits.json_data

        def counted(value: object, where: str, depth: int, limit: int = 32) -> Any:
            if value:  # a pass over the details, not over an empty mapping
                passes.append(where)
            return json_data(value, where, depth, limit)

        monkeypatch.setattr(_limits, "json_data", counted)
        text = innoproc.dumps(b.new_case()).replace(
            '"details":{}', '"details":{"x":[' + ",".join(["{}"] * 20_000) + "]}"
        )
        passes.clear()
        case = innoproc.loads(text)
        assert len(case.details["x"]) == 20_000
        assert passes == ["$.details"]


# -- 5 ------------------------------------------------------------------------------------------


class TestRawExceptions:
    """Defect 5: OverflowError, TypeError and silent answers from public functions."""

    @pytest.mark.parametrize(
        "at",
        [datetime(9999, 12, 31, 23, tzinfo=OSLO), datetime(1, 1, 1, 1, tzinfo=timezone.utc)],
        ids=["year-9999", "year-1"],
    )
    def test_check_and_apply_refuse_years_out_of_range(self, at: datetime) -> None:
        """check and apply raise InvalidPayload naming 'at'; the case is unchanged."""
        case = b.in_needs()
        for call in (
            lambda: case.check("start-market-dialogue", at=at),
            lambda: case.apply("start-market-dialogue", at=at, by=b.PM),
            lambda: case.record("need-description", at=at, by=b.PM, summary="s", functional=True),
        ):
            with pytest.raises(InvalidPayload) as info:
                call()
            assert info.value.field == "at"
        assert case.revision == 1

    @pytest.mark.parametrize(
        "stamp", ["9999-12-31T23:00:00+01:00", "0001-01-01T00:30:00+01:00"], ids=["9999", "1"]
    )
    def test_loads_and_audit_refuse_years_out_of_range(self, stamp: str) -> None:
        """A document dated in year 9999 or year 1 is refused by loads and by audit with a
        CaseFormatError naming the entry (never an OverflowError from the rules)."""
        case = b.in_needs()
        case.apply("start-market-dialogue", at=b.day(2), by=b.PM)
        text = innoproc.dumps(case).replace(b.day(2).isoformat(), stamp)
        for read in (innoproc.loads, innoproc.audit):
            with pytest.raises(CaseFormatError) as info:
                read(text)
            assert info.value.path == "$.history[1].at"

    @pytest.mark.parametrize("history", ["1", "true", "1.5"])
    def test_a_version_1_document_with_a_scalar_history(self, history: str) -> None:
        """loads and audit refuse it with a CaseFormatError."""
        text = '{"format":"innoproc-case","version":1,"history":' + history + "}"
        for read in (innoproc.loads, innoproc.audit):
            with pytest.raises(CaseFormatError):
                read(text)

    def test_timestamp_in_a_payload_out_of_range(self) -> None:
        """A request deadline in year 9999 is refused on the way in, naming the field."""
        case = b.in_market_dialogue()
        with pytest.raises(InvalidPayload) as info:
            case.check(
                "publish-notice",
                at=b.day(40),
                **b.notice(request_deadline=datetime.max.replace(tzinfo=timezone.utc)),
            )
        assert info.value.field == "request_deadline"

    @pytest.mark.parametrize("method", ["upcoming", "overdue"])
    @pytest.mark.parametrize("empty", [True, False], ids=["empty", "with-applications"])
    def test_portfolio_refuses_naive_at(self, method: str, empty: bool) -> None:
        """Portfolio.upcoming/overdue raise NaiveDatetimeError naming 'at', empty or not."""
        portfolio = innoproc.Portfolio("municipal-innovation-fund")
        if not empty:
            app = innoproc.open_application(
                "municipal-innovation-fund",
                reference="A-1",
                applicant="Unit",
                kind="municipal-unit",
                at=b.T0,
                by="Clerk",
            )
            portfolio.add(app)
        with pytest.raises(NaiveDatetimeError) as info:
            getattr(portfolio, method)(datetime(2024, 1, 8, 9))
        assert info.value.argument == "at"

    def test_portfolio_refuses_a_negative_window(self) -> None:
        """upcoming's window must be a timedelta of at least zero."""
        portfolio = innoproc.Portfolio("municipal-innovation-fund")
        with pytest.raises(InvalidArgument) as info:
            portfolio.upcoming(b.T0, timedelta(days=-1))
        assert info.value.argument == "within"
        assert portfolio.upcoming(b.T0, timedelta.max) == []

    def test_sim_names_start(self) -> None:
        """Sim(start=naive) names 'start', not 'at'."""
        with pytest.raises(NaiveDatetimeError) as info:
            innoproc.Sim(b.new_case(), random.Random(1), start=datetime(2024, 1, 8, 9))
        assert info.value.argument == "start"

    def test_is_working_day_refuses_a_datetime(self) -> None:
        """Constitution Day as a naive datetime is refused, naming the argument."""
        with pytest.raises(InnoprocError) as info:
            innoproc.deadlines.is_working_day(datetime(2024, 5, 17, 9))  # type: ignore[arg-type]
        assert "day" in str(info.value)

    def test_working_days_between_refuses_a_datetime(self) -> None:
        """A datetime and a date give a typed error naming the argument, not TypeError."""
        with pytest.raises(InnoprocError) as info:
            innoproc.deadlines.working_days_between(datetime(2024, 5, 17, 9), date(2024, 5, 20))
        assert "first" in str(info.value)
        assert isinstance(info.value, (TypeError, ValueError))


# -- 6 ------------------------------------------------------------------------------------------


def _nested(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


class TestAcceptedThenUnstorable:
    """Defect 6: values open_case/record/apply accepted and dumps or loads could not store."""

    def test_a_5001_digit_integer_is_refused_on_the_way_in(self) -> None:
        """An integer beyond 64 bits is refused by record, naming the field; dumps still works."""
        case = b.in_needs()
        with pytest.raises(InvalidPayload) as info:
            case.record(
                "market-dialogue-outcome",
                at=b.day(2),
                by=b.PM,
                solution_available=False,
                participants=10**5000,
            )
        assert info.value.field == "participants"
        assert len(str(info.value)) < 300
        assert innoproc.loads(innoproc.dumps(case)).revision == 1

    def test_64_bit_integers_round_trip(self) -> None:
        """The largest and smallest 64-bit integers are stored and read back exactly."""
        case = b.in_needs()
        for n in (2**63 - 1, -(2**63)):
            case.record(
                "market-dialogue-outcome",
                at=b.day(2),
                by=b.PM,
                solution_available=False,
                participants=n,
            )
        again = innoproc.loads(innoproc.dumps(case))
        assert [e.payload.get("participants") for e in again.history[1:]] == [
            2**63 - 1,
            -(2**63),
        ]
        with pytest.raises(InvalidPayload):
            case.record("phase-evaluation", at=b.day(3), by=b.PM, phase=2**63, targets_met=True)

    def test_details_at_the_nesting_limit_round_trip(self) -> None:
        """Details nested to the document's limit (32 levels) are accepted and read back;
        one level more is refused by open_case and by loads alike."""
        deepest = innoproc.open_case(
            "innovation-partnership", reference="r", authority="a", x=_nested(29)
        )
        assert innoproc.loads(innoproc.dumps(deepest)).details == deepest.details
        with pytest.raises(InvalidPayload) as info:
            innoproc.open_case(
                "innovation-partnership", reference="r", authority="a", x=_nested(30)
            )
        assert "nesting deeper than 32" in str(info.value)
        text = innoproc.dumps(deepest).replace('"a":1', '"a":{"a":1}')
        with pytest.raises(CaseFormatError, match="nesting deeper than 32"):
            innoproc.loads(text)

    @pytest.mark.parametrize("levels", [31, 5000, 100_000])
    def test_deep_details_are_refused_without_recursion(self, levels: int) -> None:
        """Details 31, 5,000 and 100,000 deep give InvalidPayload (never RecursionError)."""
        with pytest.raises(InvalidPayload):
            innoproc.open_case(
                "innovation-partnership", reference="r", authority="a", x=_nested(levels)
            )
        text = innoproc.dumps(b.new_case()).replace(
            '"details":{}', '"details":{"x":' + "[" * levels + "]" * levels + "}"
        )
        with pytest.raises(CaseFormatError, match="nesting"):
            innoproc.loads(text)

    @pytest.mark.parametrize("where", ["by", "reference", "payload", "details"])
    def test_lone_surrogates_are_refused_on_the_way_in(self, where: str) -> None:
        """by='\\udc80' (and the same in a reference, payload value or detail) is refused."""
        bad = "\udc80"
        with pytest.raises(InvalidPayload):
            if where == "reference":
                innoproc.open_case("innovation-partnership", reference=bad, authority="a")
            elif where == "details":
                innoproc.open_case("innovation-partnership", reference="r", authority="a", t=bad)
            else:
                b.new_case().record(
                    "need-description",
                    at=b.T0,
                    by=bad if where == "by" else b.PM,
                    summary=bad if where == "payload" else "s",
                    functional=True,
                )

    def test_every_stored_text_is_valid_utf8(self) -> None:
        """Whatever was accepted is written as text that encodes as UTF-8."""
        case = innoproc.open_case(
            "innovation-partnership", reference="r/\U0001f600", authority="Å\u0000", t="\ufffe"
        )
        case.record("need-description", at=b.T0, by="\U0010ffff", summary="\u2028", functional=True)
        text = innoproc.dumps(case)
        assert innoproc.loads(text.encode("utf-8")).details == case.details

    def test_a_surrogate_escape_in_a_document_is_refused(self) -> None:
        """A '\\ud800' escape in a loaded document is refused, naming its path."""
        text = innoproc.dumps(b.in_needs()).replace(f'"by":"{b.PM}"', '"by":"\\ud800"')
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text)
        assert info.value.path == "$.history[0].by"

    @pytest.mark.parametrize("amount", ["1E+999999999", "1e3", "NaN", "Infinity", "1" * 19])
    def test_amounts_beyond_the_limits_do_not_load(self, amount: str) -> None:
        """An amount written '1E+999999999' (or in exponent form, not finite, or with 19
        digits) is refused by loads, naming the field."""
        case = b.in_market_dialogue()
        text = innoproc.dumps(case).replace('"6000000"', json.dumps(amount))
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text)
        assert info.value.path == "$.history[4].payload.max_rd_value"

    def test_amounts_at_the_limits_round_trip(self) -> None:
        """18 digits before the point and 6 after are accepted and read back exactly; one
        digit more either side is refused by record."""
        largest = Decimal("999999999999999999.999999")
        case = b.in_market_dialogue(max_rd_value=largest, estimated_purchase_value=-largest)
        again = innoproc.loads(innoproc.dumps(case))
        docs = again.facts["procurement-documents"]
        assert (docs.get("max_rd_value"), docs.get("estimated_purchase_value")) == (
            largest,
            -largest,
        )
        for bad in (Decimal("1" + "0" * 18), Decimal("0.0000001"), Decimal("Infinity")):
            with pytest.raises(InvalidPayload) as info:
                b.in_market_dialogue(max_rd_value=bad)
            assert info.value.field == "max_rd_value"

    @pytest.mark.parametrize("amount", [Decimal("1E+17"), Decimal("0E+3"), Decimal("5E+2")])
    def test_amount_in_exponent_form(self, amount: Decimal) -> None:
        """An amount record accepts (found by the symmetry property) is read back."""
        case = b.in_market_dialogue(max_rd_value=amount)
        again = innoproc.loads(innoproc.dumps(case))
        assert again.facts["procurement-documents"].get("max_rd_value") == amount

    def test_text_at_the_length_limit(self) -> None:
        """A text of exactly 1,000,000 characters is kept; one more is refused."""
        case = b.new_case()
        case.record("need-description", at=b.T0, by=b.PM, summary="x" * 10**6, functional=True)
        assert innoproc.loads(innoproc.dumps(case)).facts["need-description"].get("summary") == (
            "x" * 10**6
        )
        with pytest.raises(InvalidPayload) as info:
            case.record(
                "need-description", at=b.T0, by=b.PM, summary="x" * (10**6 + 1), functional=True
            )
        assert info.value.field == "summary"


# -- 7 ------------------------------------------------------------------------------------------


class TestCopiesAndReentry:
    """Defect 7: copy.copy shared the history; a precondition calling check deadlocked."""

    @pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
    def test_copies_are_independent(self, copier: Callable[[Any], Any]) -> None:
        """Stepping the copy leaves the original as it was, and the other way round."""
        case = b.in_needs()
        twin = copier(case)
        twin.apply("start-market-dialogue", at=b.day(2), by=b.PM)
        assert (case.state, case.revision) == ("needs", 1)
        assert (twin.state, twin.revision) == ("market-dialogue", 2)
        case.record("need-description", at=b.day(3), by=b.PM, summary="x", functional=True)
        assert twin.revision == 2 and len(twin.history) == 2
        assert innoproc.loads(innoproc.dumps(case)).revision == 2

    def test_pickle_is_refused_with_a_typed_error(self) -> None:
        """A case cannot be pickled; the error says how to store it."""
        with pytest.raises(InvalidArgument, match=r"innoproc\.dumps"):
            pickle.dumps(b.in_needs())

    def _in_thread(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in a thread, failing (not hanging) if it deadlocks."""
        result: list[Any] = []
        thread = threading.Thread(target=lambda: result.append(self._catch(work)), daemon=True)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive(), "deadlock: the call never returned"
        return result[0]

    @staticmethod
    def _catch(work: Callable[[], Any]) -> Any:
        try:
            return work()
        except Exception as exc:
            return exc

    def test_a_precondition_may_check_its_own_case(self) -> None:
        """A host rule that calls check on the case being judged gets an answer."""
        holder: dict[str, innoproc.Case] = {}

        def rule(ctx: Context) -> bool:
            return holder["case"].check("finish", at=ctx.at).allowed

        case = innoproc.open_case(
            _tiny_procedure("reentry-check", rule), reference="r", authority="a"
        )
        holder["case"] = case
        step = self._in_thread(lambda: case.apply("go", at=b.T0, by=b.PM))
        assert isinstance(step, innoproc.StepRecord) and case.state == "done"

    def test_a_precondition_may_not_change_its_own_case(self) -> None:
        """A host rule that records on the case being judged is a clear error; nothing changes."""
        holder: dict[str, innoproc.Case] = {}

        def rule(ctx: Context) -> bool:
            holder["case"].record("note", at=ctx.at, by="rule", n=1)
            return True

        case = innoproc.open_case(
            _tiny_procedure("reentry-write", rule), reference="r", authority="a"
        )
        holder["case"] = case
        error = self._in_thread(lambda: case.apply("go", at=b.T0, by=b.PM))
        assert isinstance(error, InvalidDefinition)
        assert "only read" in str(error)
        assert (case.state, case.revision) == ("open", 0)
        assert self._in_thread(lambda: case.apply("finish", at=b.T0, by=b.PM)).target == "done"


# -- 8 ------------------------------------------------------------------------------------------


class _MovableZone(tzinfo):
    """A caller's time zone whose offset can be changed afterwards."""

    def __init__(self) -> None:
        self.offset = timedelta(hours=1)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self.offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "MOVABLE"


class _Lying(str):
    """A str that says it is never different from anything."""

    def __ne__(self, other: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


class TestLowerSeverity:
    """Defect 8: details in audit, mutable tzinfo, lying str subclasses, long messages,
    paths in parse errors, timestamps the schema refuses."""

    def test_audit_replays_with_the_details(self) -> None:
        """A host rule reading ctx.details passes under apply and under audit alike."""

        def rule(ctx: Context) -> bool:
            return ctx.details.get("approved") is True

        procedure = _tiny_procedure("details-rule", rule)
        case = innoproc.open_case(procedure, reference="r", authority="a", approved=True)
        case.apply("go", at=b.T0, by=b.PM)
        assert innoproc.audit(case).ok
        assert innoproc.audit(innoproc.dumps(case), procedures=[procedure]).ok
        refused = innoproc.open_case(procedure, reference="r", authority="a", approved=False)
        with pytest.raises(PreconditionFailed):
            refused.apply("go", at=b.T0, by=b.PM)

    def test_a_mutable_tzinfo_cannot_change_a_stored_time(self) -> None:
        """The instant is kept with a fixed offset: changing the caller's zone later changes
        nothing in the case."""
        zone = _MovableZone()
        case = b.new_case()
        record = case.record(
            "need-description",
            at=datetime(2024, 1, 8, 9, tzinfo=zone),
            by=b.PM,
            summary="s",
            functional=True,
        )
        zone.offset = timedelta(hours=-5)
        assert record.at.utcoffset() == timedelta(hours=1)
        assert record.at.isoformat() == "2024-01-08T09:00:00+01:00"
        assert case.history[0].at.tzinfo is not zone

    @pytest.mark.parametrize("version", [1, 2])
    def test_a_lying_str_does_not_pass_the_award_basis_rule(self, version: int) -> None:
        """'lowest-price' as a str subclass whose __ne__ says False is judged as the text it
        holds, and the payload keeps an exact str."""
        kept = b.new_case().record(
            "need-description", at=b.T0, by=b.PM, summary=_Lying("x"), functional=True
        )
        assert type(kept.payload["summary"]) is str
        built = _award_case(version)
        with pytest.raises(PreconditionFailed) as info:
            built.apply(
                "award",
                at=b.day(120),
                by=b.PM,
                **{**b.AWARD, "award_basis": _Lying("lowest-price")},
            )
        assert info.value.codes == ("award-basis",)

    def test_error_messages_repeat_a_bad_value_only_in_part(self) -> None:
        """A 13 MB bad value gives a message of at most a few hundred characters."""
        huge = "x" * 13_000_000
        attempts: list[Callable[[], Any]] = [
            lambda: innoproc.loads(huge),
            lambda: innoproc.loads('{"format":' + json.dumps(huge) + "}"),
            lambda: innoproc.loads(
                innoproc.dumps(b.new_case()).replace(
                    '"state":"needs"', '"state":' + json.dumps(huge)
                )
            ),
            lambda: innoproc.open_case("innovation-partnership", reference=huge, authority="a"),
            lambda: b.new_case().check(huge, at=b.T0),
            lambda: b.new_case().record(huge, at=b.T0, by=b.PM),
            lambda: b.new_case().record(
                "need-description", at=b.T0, by=b.PM, **{huge[:100_000]: 1}
            ),
        ]
        for attempt in attempts:
            with pytest.raises(InnoprocError) as info:
                attempt()
            assert len(str(info.value)) < 1000

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (
                ('"summary":"Night supervision"', '"summary":"a","summary":"b"'),
                "$.history[0].payload",
            ),
            (('"details":{}', '"details":{"x":[1,{"y":NaN}]}'), "$.details.x[1].y"),
            (
                ('"details":{}', '"details":{"x":{"y":' + "[" * 40 + "]" * 40 + "}}"),
                "$.details.x.y",
            ),
        ],
        ids=["duplicate-key", "nan", "nesting"],
    )
    def test_parse_errors_name_the_path(self, change: tuple[str, str], path: str) -> None:
        """Duplicate keys, NaN and nesting too deep are reported where they are."""
        text = innoproc.dumps(b.in_needs()).replace(*change)
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text)
        assert info.value.path.startswith(path)

    @pytest.mark.parametrize(
        "stamp",
        [
            "20240108T090000+0100",
            "2024-01-08T09:00+01:00",
            "2024-01-08 09:00:00+01:00",
            "2024-01-08T09:00:00",
            "2024-01-08T09:00:00+0100",
            "2024-W02-1T09:00:00+01:00",
            "2024-01-08T09:00:00.1234567+01:00",
            "2024-01-08T09:00:00z",
        ],
    )
    def test_loads_and_the_schema_refuse_the_same_timestamps(self, stamp: str) -> None:
        """A timestamp the project's JSON Schema rejects is refused by loads too."""
        jsonschema = pytest.importorskip("jsonschema")
        case = b.in_needs()
        text = innoproc.dumps(case).replace(b.day(1).isoformat(), stamp)
        errors = list(
            jsonschema.Draft202012Validator(
                innoproc.json_schema(), format_checker=jsonschema.FormatChecker()
            ).iter_errors(json.loads(text))
        )
        assert errors
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text)
        assert info.value.path == "$.history[0].at"

    @pytest.mark.parametrize(
        ("stamp", "expected"),
        [
            ("2024-01-08T09:00:00+01:00", datetime(2024, 1, 8, 8, 0, tzinfo=timezone.utc)),
            ("2024-01-08T08:00:00Z", datetime(2024, 1, 8, 8, 0, tzinfo=timezone.utc)),
            (
                "2024-01-08T09:00:00.5+01:00",
                datetime(2024, 1, 8, 8, 0, 0, 500000, tzinfo=timezone.utc),
            ),
            (
                "2024-01-08T09:00:00.123+01:00",
                datetime(2024, 1, 8, 8, 0, 0, 123000, tzinfo=timezone.utc),
            ),
            (
                "2024-01-08T09:00:00.123456-05:30",
                datetime(2024, 1, 8, 14, 30, 0, 123456, tzinfo=timezone.utc),
            ),
        ],
    )
    def test_loads_and_the_schema_accept_the_same_timestamps(
        self, stamp: str, expected: datetime
    ) -> None:
        """The forms the schema accepts load, on every supported Python (3.10's fromisoformat
        alone reads fractions of 3 or 6 digits only)."""
        jsonschema = pytest.importorskip("jsonschema")
        text = innoproc.dumps(b.in_needs()).replace(b.day(1).isoformat(), stamp)
        jsonschema.Draft202012Validator(innoproc.json_schema()).validate(json.loads(text))
        assert innoproc.loads(text).history[0].at == expected


def _award_case(version: int) -> innoproc.Case:
    saved = b.VERSION
    b.VERSION = version
    try:
        return b.in_final_tenders()
    finally:
        b.VERSION = saved


# -- 9 ------------------------------------------------------------------------------------------


class TestEveryPython:
    """Defect 9, beyond the store: what the suite found when run on Python 3.10 to 3.13."""

    def test_a_notice_declaring_an_unknown_encoding(self) -> None:
        """A notice declaring encoding 'u-tf-8' is refused with NoticeFormatError."""
        with pytest.raises(innoproc.NoticeFormatError):
            innoproc.eforms.read_notice(b'<?xml version="1.0" encoding="u-tf-8"?><x/>')


class TestConnectionsAreClosed:
    """Defect 9: the SQLite example store never closed its connection (Python 3.13 turns
    the ResourceWarning into a failure under filterwarnings = error)."""

    def test_the_store_leaves_no_connection_open(self, tmp_path: Path) -> None:
        """A store used as a context manager on a database file closes what it opened:
        collecting garbage afterwards raises no ResourceWarning (warnings are errors here)."""
        pytest.importorskip("sqlalchemy")
        pytest.importorskip("alembic")
        from innoproc.store import CaseStore

        url = f"sqlite:///{tmp_path / 'cases.db'}"
        with CaseStore(url) as store:
            store.create_schema()
            store.add(b.in_needs())
            with store.edit("2024/0173") as case:
                case.apply("start-market-dialogue", at=b.day(2), by=b.PM)
            assert store.get("2024/0173").state == "market-dialogue"
        gc.collect()
        with CaseStore(url) as again:
            assert len(again) == 1
        gc.collect()
