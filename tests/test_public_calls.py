"""Every public function under naive, overflowing, huge and hostile arguments.

A table names, for each public function (and each validating constructor and method), one
call per argument; each call is made with every hostile value. The call may succeed or
raise an ``InnoprocError`` (which also subclasses the builtin it resembles); any other
exception is a defect. A test checks that the table covers every function in ``__all__`` of
innoproc and its public modules, so that a new function cannot be left out.
"""

from __future__ import annotations

import importlib
import inspect
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import _builders as b
import pytest

import innoproc
from innoproc import InnoprocError

T0 = b.T0


class _BadRepr:
    """An object that cannot even be described."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    __str__ = __repr__


class _Lying(str):
    """A str that equals everything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__


VALUES: dict[str, Any] = {
    "naive": datetime(2024, 5, 17, 9),
    "year-1": datetime(1, 1, 1, 0, 30, tzinfo=timezone.utc),
    "year-9999": datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc),
    "day-9999": date(9999, 12, 31),
    "huge-text": "x" * 2_000_001,
    "huge-int": 10**5000,
    "nan": float("nan"),
    "huge-amount": Decimal("1E+999999"),
    "object": object(),
    "bad-repr": _BadRepr(),
    "lying-str": _Lying("lowest-price"),
    "none": None,
}


def _app() -> innoproc.Case:
    return innoproc.open_application(
        "municipal-innovation-fund",
        reference="A-1",
        applicant="Unit",
        kind="municipal-unit",
        at=T0,
        by="Clerk",
    )


def _funded() -> innoproc.Case:
    app = _app()
    app.apply("submit", at=T0, by="Clerk")
    app.apply("confirm-eligibility", at=T0, by="Clerk")
    return app


def _store(database: Any) -> Any:
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("alembic")
    from innoproc.store import CaseStore

    with CaseStore(database) as store:
        return len(store)


#: (public name, argument) -> a call with the hostile value in that argument.
def _set_language(value: Any) -> None:
    before = innoproc.language()
    try:
        innoproc.set_language(value)
    finally:
        innoproc.set_language(before)


CALLS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("Case.check", "at"): lambda v: b.in_needs().check("start-market-dialogue", at=v),
    ("Case.check", "event"): lambda v: b.in_needs().check(v, at=T0),
    ("Case.check", "payload"): lambda v: b.in_market_dialogue().check(
        "publish-notice", at=b.day(40), **b.notice(request_deadline=v)
    ),
    ("Case.apply", "at"): lambda v: b.in_needs().apply("start-market-dialogue", at=v, by=b.PM),
    ("Case.apply", "by"): lambda v: b.in_needs().apply("start-market-dialogue", at=T0, by=v),
    ("Case.apply", "expected_revision"): lambda v: b.in_needs().apply(
        "start-market-dialogue", at=b.day(2), by=b.PM, expected_revision=v
    ),
    ("Case.apply", "payload"): lambda v: b.in_final_tenders().apply(
        "award", at=b.day(120), by=b.PM, **{**b.AWARD, "award_basis": v}
    ),
    ("Case.record", "payload"): lambda v: b.in_needs().record(
        "need-description", at=b.day(2), by=b.PM, summary=v, functional=True
    ),
    ("Case.record", "integer"): lambda v: b.in_needs().record(
        "phase-evaluation", at=b.day(2), by=b.PM, phase=v, targets_met=True
    ),
    ("Case.record", "amount"): lambda v: b.in_needs().record(
        "phase-evaluation", at=b.day(2), by=b.PM, phase=1, targets_met=True, instalment=v
    ),
    ("Case.record", "entered_at"): lambda v: b.in_needs().record(
        "need-description", at=b.day(2), entered_at=v, by=b.PM, summary="s", functional=True
    ),
    ("Case.record", "fact"): lambda v: b.in_needs().record(v, at=b.day(2), by=b.PM),
    ("Case.upgrade", "to"): lambda v: b.in_needs().upgrade(v, at=b.day(2), by=b.PM),
    ("Case.upgrade", "at"): lambda v: b.in_needs().upgrade(at=v, by=b.PM),
    ("Case.check_upgrade", "to"): lambda v: b.in_needs().check_upgrade(v),
    ("Case.available", "at"): lambda v: b.in_needs().available(at=v),
    ("Case", "details"): lambda v: innoproc.Case(
        innoproc.procedure("innovation-partnership"), reference="r", authority="a", details=v
    ),
    ("open_case", "procedure_id"): lambda v: innoproc.open_case(v, reference="r", authority="a"),
    ("open_case", "reference"): lambda v: innoproc.open_case(
        "innovation-partnership", reference=v, authority="a"
    ),
    ("open_case", "details"): lambda v: innoproc.open_case(
        "innovation-partnership", reference="r", authority="a", x=v
    ),
    ("open_follow_on", "at"): lambda v: innoproc.open_follow_on(
        b.in_needs(), reference="f", at=v, by=b.PM
    ),
    ("open_follow_on", "case"): lambda v: innoproc.open_follow_on(v, reference="f", at=T0, by="x"),
    ("dumps", "case"): lambda v: innoproc.dumps(v),
    ("dumps", "key"): lambda v: innoproc.dumps(b.in_needs(), key=v),
    ("loads", "text"): lambda v: innoproc.loads(v),
    ("loads", "max_size"): lambda v: innoproc.loads(innoproc.dumps(b.in_needs()), max_size=v),
    ("loads", "max_depth"): lambda v: innoproc.loads(innoproc.dumps(b.in_needs()), max_depth=v),
    ("loads", "procedures"): lambda v: innoproc.loads(innoproc.dumps(b.in_needs()), procedures=[v]),
    ("loads", "key"): lambda v: innoproc.loads(innoproc.dumps(b.in_needs()), key=v),
    ("audit", "case_or_text"): lambda v: innoproc.audit(v),
    ("audit", "procedures"): lambda v: innoproc.audit(innoproc.dumps(b.in_needs()), procedures=[v]),
    ("json_schema", "version"): lambda v: innoproc.json_schema(v),
    ("set_language", "lang"): _set_language,
    ("add_catalogues", "directory"): lambda v: innoproc.add_catalogues(v),
    ("add_catalogues", "fallback"): lambda v: innoproc.add_catalogues(".", fallback=v),
    ("procedure", "procedure_id"): lambda v: innoproc.procedure(v),
    ("procedure", "version"): lambda v: innoproc.procedure("innovation-partnership", v),
    ("procedure_versions", "procedure_id"): lambda v: innoproc.procedure_versions(v),
    ("procedures", "-"): lambda v: innoproc.procedures().get(v),
    ("pre_commercial_procurement", "min_suppliers"): lambda v: innoproc.pre_commercial_procurement(
        min_suppliers=v
    ),
    ("pre_commercial_procurement", "version"): lambda v: innoproc.pre_commercial_procurement(
        version=v
    ),
    ("triple_diamond", "rounds"): lambda v: innoproc.triple_diamond(rounds=(("r", v),)),
    ("municipal_innovation_fund", "budget"): lambda v: innoproc.municipal_innovation_fund(budget=v),
    ("open_application", "at"): lambda v: innoproc.open_application(
        "municipal-innovation-fund", reference="A", applicant="U", kind="company", at=v, by="C"
    ),
    ("open_application", "amount_sought"): lambda v: innoproc.open_application(
        "municipal-innovation-fund",
        reference="A",
        applicant="U",
        kind="company",
        at=T0,
        by="C",
        amount_sought=v,
    ),
    ("open_application", "scheme"): lambda v: innoproc.open_application(
        v, reference="A", applicant="U", kind="company", at=T0, by="C"
    ),
    ("open_project_case", "at"): lambda v: innoproc.open_project_case(
        _funded(), reference="P", at=v, by="C"
    ),
    ("open_project_case", "application"): lambda v: innoproc.open_project_case(
        v, reference="P", at=T0, by="C"
    ),
    ("scheme_of", "application"): lambda v: innoproc.scheme_of(v),
    ("schemes", "-"): lambda v: innoproc.schemes().get(v),
    ("time_limits", "at"): lambda v: innoproc.time_limits(b.in_tendering(), at=v),
    ("time_limits", "case"): lambda v: innoproc.time_limits(v),
    ("to_ocds", "case"): lambda v: innoproc.to_ocds(v),
    ("to_ocds", "ocid_prefix"): lambda v: innoproc.to_ocds(b.in_needs(), ocid_prefix=v),
    ("diagram", "subject"): lambda v: innoproc.diagram(v),
    ("diagram", "lang"): lambda v: innoproc.diagram("innovation-partnership", lang=v),
    ("eforms_procedure_type", "procedure_id"): lambda v: innoproc.eforms_procedure_type(v),
    ("simulate", "runs"): lambda v: innoproc.simulate(
        innoproc.scenarios.build("triple-diamond"), v
    ),
    ("simulate", "scenario"): lambda v: innoproc.simulate(v, 1),
    ("Portfolio", "budget"): lambda v: innoproc.Portfolio("municipal-innovation-fund", budget=v),
    ("Portfolio", "scheme"): lambda v: innoproc.Portfolio(v),
    ("Portfolio.add", "application"): lambda v: innoproc.Portfolio("municipal-innovation-fund").add(
        v
    ),
    ("Portfolio.upcoming", "at"): lambda v: innoproc.Portfolio(
        "municipal-innovation-fund", [_app()]
    ).upcoming(v),
    ("Portfolio.upcoming", "within"): lambda v: innoproc.Portfolio(
        "municipal-innovation-fund"
    ).upcoming(T0, v),
    ("Portfolio.overdue", "at"): lambda v: innoproc.Portfolio(
        "municipal-innovation-fund", [_app()]
    ).overdue(v),
    ("Portfolio.fund", "amount"): lambda v: innoproc.Portfolio("municipal-innovation-fund").fund(
        _app(), v, at=T0, by="C"
    ),
    ("Sim", "start"): lambda v: innoproc.Sim(b.new_case(), random.Random(1), start=v),
    ("Clock", "start"): lambda v: innoproc.Clock(v),
    ("Clock.advance", "days"): lambda v: innoproc.Clock().advance(days=v),
    ("testing.Clock", "start"): lambda v: innoproc.testing.Clock(v),
    # deadlines
    ("deadlines.is_working_day", "day"): lambda v: innoproc.deadlines.is_working_day(v),
    ("deadlines.next_working_day", "day"): lambda v: innoproc.deadlines.next_working_day(v),
    ("deadlines.working_days_between", "first"): lambda v: innoproc.deadlines.working_days_between(
        v, date(2024, 5, 20)
    ),
    ("deadlines.end_of_day", "day"): lambda v: innoproc.deadlines.end_of_day(v),
    ("deadlines.describe", "instant"): lambda v: innoproc.deadlines.describe(v),
    ("deadlines.period", "event"): lambda v: innoproc.deadlines.period(v, 30),
    ("deadlines.period", "length"): lambda v: innoproc.deadlines.period(T0, v),
    ("deadlines.lateness", "at"): lambda v: innoproc.deadlines.lateness(v, T0),
    ("deadlines.parse_deadline", "text"): lambda v: innoproc.deadlines.parse_deadline(v),
    ("deadlines.schedule", "start"): lambda v: innoproc.deadlines.schedule(v, timedelta(days=1), 3),
    ("deadlines.schedule", "count"): lambda v: innoproc.deadlines.schedule(
        T0, timedelta(days=1), v
    ),
    ("deadlines.recurrences", "rule"): lambda v: next(innoproc.deadlines.recurrences(v, T0)),
    ("deadlines.recurrences", "start"): lambda v: next(
        innoproc.deadlines.recurrences("FREQ=DAILY", v)
    ),
    # rules, thresholds
    ("rules.late", "at"): lambda v: innoproc.rules.late(v, T0),
    ("rules.found", "problems"): lambda v: innoproc.rules.found([(v, v)]),
    ("rules.not_recorded", "fact"): lambda v: innoproc.rules.not_recorded(v),
    ("rules.recorded", "ctx"): lambda v: innoproc.rules.recorded(
        v, innoproc.rules.NEED_DESCRIPTION
    ),
    ("thresholds.eea_threshold", "on"): lambda v: innoproc.thresholds.eea_threshold(
        v, authority="sub-central", contract="services"
    ),
    ("thresholds.eea_threshold", "authority"): lambda v: innoproc.thresholds.eea_threshold(
        date(2024, 1, 1), authority=v, contract="services"
    ),
    # testing
    ("testing.assert_allowed", "at"): lambda v: innoproc.testing.assert_allowed(
        b.in_needs(), "start-market-dialogue", at=v
    ),
    ("testing.assert_refused", "at"): lambda v: innoproc.testing.assert_refused(
        b.new_case(), "start-market-dialogue", at=v
    ),
    ("testing.assert_complies", "case"): lambda v: innoproc.testing.assert_complies(v),
    ("testing.assert_violates", "case"): lambda v: innoproc.testing.assert_violates(v, "x"),
    ("testing.Compliance", "lang"): lambda v: innoproc.testing.Compliance(lang=v),
    # scenarios
    ("scenarios.build", "scenario_id"): lambda v: innoproc.scenarios.build(v),
    ("scenarios.parameters", "scenario_id"): lambda v: innoproc.scenarios.parameters(v),
    ("scenarios.ids", "-"): lambda v: innoproc.scenarios.ids()[0] == v,
    ("scenarios.innovation_partnership", "market_solution"): lambda v: (
        innoproc.scenarios.innovation_partnership(market_solution=v)
    ),
    ("scenarios.pre_commercial_procurement", "market_solution"): lambda v: (
        innoproc.scenarios.pre_commercial_procurement(market_solution=v)
    ),
    ("scenarios.triple_diamond", "late"): lambda v: innoproc.scenarios.triple_diamond(late=v),
    ("scenarios.funding_application", "grant"): lambda v: innoproc.scenarios.funding_application(
        "municipal-innovation-fund", grant=v
    ),
    ("scenarios.funding_call", "budget"): lambda v: innoproc.scenarios.funding_call(
        "municipal-innovation-fund", budget=v
    ),
    # eForms
    ("eforms.read_notice", "data"): lambda v: innoproc.eforms.read_notice(v),
    ("eforms.read_notice", "max_bytes"): lambda v: innoproc.eforms.read_notice("<x/>", max_bytes=v),
    ("eforms.check_notice", "notice"): lambda v: innoproc.eforms.check_notice(v),
    ("eforms.open_case_from_notice", "notice"): lambda v: innoproc.eforms.open_case_from_notice(
        v, at=T0, by="C"
    ),
    # store
    ("store.CaseStore", "database"): _store,
}

#: Public classes that are not in the table, and why: declarations a procedure's author
#: writes (checked when a procedure is built), and records innoproc itself builds.
NOT_CALLED_WITH_DATA = {
    # questions without arguments
    "language", "languages",
    # declarations
    "Advice", "Calendar", "CallScenario", "Context", "Criterion", "Deliverable",
    "Eligibility", "Event", "FactType", "Field", "Finding", "FollowUp", "HolidayCalendar",
    "Precondition", "Procedure", "Round", "Scenario", "Scheme", "Shortfall", "Source",
    "State", "Text", "WeekendCalendar", "Parameter", "Unit", "Hook",
    # records built by innoproc
    "Amount", "ApplicationResult", "Assessment", "AuditReport", "CallResult", "CallRun",
    "CaseFromNotice", "CaseSummary", "Diagram", "Due", "Edge", "Edit", "FactRecord",
    "HookFailure", "Limit", "Lot", "LotCheck", "Node", "Notice", "NoticeCheck", "Period",
    "RunResult", "SaveResult", "SimulationResult", "StepRecord", "StoreAudit", "Threshold",
    "TimeLimit", "UpgradeRecord", "UpgradeReport", "Violation",
}  # fmt: skip

_MODULES = (
    "innoproc",
    "innoproc.deadlines",
    "innoproc.rules",
    "innoproc.thresholds",
    "innoproc.testing",
    "innoproc.scenarios",
    "innoproc.eforms",
    "innoproc.store",
    "innoproc.plots",
)

#: Calls that must not be made: they run out of memory instead of refusing.
HANGS: dict[tuple[str, str, str], str] = {}

#: Calls that still let a raw exception escape: (name, argument) -> (values or None for
#: all, the cause).
KNOWN: dict[tuple[str, str], tuple[frozenset[str] | None, str]] = {}

_UNSHOWN = (
    "the message is built with repr()/str() of the value instead of _errors.shown(), so a "
    "5,000-digit int (ValueError: integer string conversion limit) or an object whose repr "
    "raises escapes: "
)
_NOT_CASE = "the argument is used without a type check (AttributeError): "
_DEADLINES = (
    "deadlines.py does not check the types and ranges of its arguments (AttributeError, "
    "TypeError, OverflowError near year 9999; the perf helper owns its typed errors): "
)
_BIG = frozenset({"huge-int", "bad-repr"})
_NOT_DATETIME = frozenset(
    {"day-9999", "huge-text", "huge-int", "nan", "huge-amount", "object", "bad-repr",
     "lying-str", "none"}
)  # fmt: skip


#: Whose message repeats a 2 MB text in full (it is not cut by _errors.shown).
_LONG = {
    ("time_limits", "case"), ("simulate", "runs"), ("simulate", "scenario"),
    ("Portfolio", "budget"), ("Sim", "start"), ("Clock", "start"), ("Clock.advance", "days"),
    ("testing.Clock", "start"), ("deadlines.parse_deadline", "text"),
    ("deadlines.recurrences", "rule"), ("scenarios.build", "scenario_id"),
    ("scenarios.parameters", "scenario_id"), ("scenarios.funding_application", "grant"),
    ("scenarios.funding_call", "budget"), ("eforms.read_notice", "max_bytes"),
    ("scenarios.innovation_partnership", "market_solution"),
    ("scenarios.pre_commercial_procurement", "market_solution"),
    ("scenarios.triple_diamond", "late"),
}  # fmt: skip


def _known(name: str, argument: str, values: frozenset[str] | None, cause: str) -> None:
    if (name, argument) in _LONG and values is not None:
        values = values | {"huge-text"}
        cause += "; the message repeats a 2 MB text in full"
    KNOWN[(name, argument)] = (values, cause)


def _public_callables() -> set[str]:
    names: set[str] = set()
    for module_name in _MODULES:
        module = importlib.import_module(module_name)
        prefix = "" if module_name == "innoproc" else module_name.removeprefix("innoproc.") + "."
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.ismodule(value) or not callable(value):
                continue
            if inspect.isclass(value) and issubclass(value, BaseException):
                continue
            names.add(prefix + name)
    return names


def test_the_table_covers_every_public_function() -> None:
    """Every public function and class is called in the table or named as not taking data."""
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("alembic")
    pytest.importorskip("matplotlib")
    called = {name.split(".")[0] if name.startswith("Case.") else name for name, _ in CALLS}
    called |= {name.split(".")[0] for name, _ in CALLS if name.startswith(("Portfolio.", "Clock."))}
    plots = {"plots.budget_use", "plots.outcomes", "plots.time_to_purchase"}
    missing = {
        name
        for name in _public_callables() - called - plots
        if name.split(".")[-1] not in NOT_CALLED_WITH_DATA
    }
    assert not missing, f"add these to CALLS or NOT_CALLED_WITH_DATA: {sorted(missing)}"


def _cases() -> list[Any]:
    cases = []
    for (name, argument), call in CALLS.items():
        for value_name in VALUES:
            marks = []
            values, cause = KNOWN.get((name, argument), (frozenset(), ""))
            if values is None or value_name in values:
                marks.append(pytest.mark.xfail(strict=True, reason=cause))
            hang = HANGS.get((name, argument, value_name))
            if hang is not None:
                marks.append(pytest.mark.skip(reason=hang))
            cases.append(
                pytest.param(call, value_name, id=f"{name}-{argument}-{value_name}", marks=marks)
            )
    return cases


@pytest.mark.parametrize(("call", "value_name"), _cases())
def test_only_typed_errors_escape(call: Callable[[Any], Any], value_name: str) -> None:
    """The call returns or raises an InnoprocError, never a raw builtin exception."""
    try:
        call(VALUES[value_name])
    except InnoprocError as error:
        assert isinstance(error, Exception)
        assert len(str(error)) < 2000, "the message repeats the value in full"
