"""Stateful property tests: random steps and facts through every procedure.

After every rule: the case round-trips through JSON unchanged, its revision is its history's
length, it is in a declared state, and an audit finds it compliant. Any refused or failing
step, including one whose precondition fails midway, leaves ``dumps(case)`` unchanged. Cases
of version 1 are also moved to version 2 at random points.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import innoproc
from innoproc import Field, InnoprocError, Procedure

GOLDEN = {
    p.stem: json.loads(p.read_text(encoding="utf-8"))
    for p in (Path(__file__).parent / "golden" / f"v{innoproc.FORMAT_VERSION}").glob("*.json")
}


def _funded_application(scheme_id: str) -> dict[str, Any]:
    """A funded application to a scheme, as the deep starting point of its machine."""
    scheme = innoproc.schemes()[scheme_id]
    at = datetime(2018, 3, 1, 9, 0, tzinfo=innoproc.OSLO)
    app = innoproc.open_application(
        scheme,
        reference="A-1",
        applicant="Unit",
        kind=scheme.eligibility.kinds[0],
        at=at,
        by="clerk",
        publicly_funded=True,
        public_tasks=True,
        procurement_rules=True,
    )
    app.apply("submit", at=at, by="clerk")
    app.apply("confirm-eligibility", at=at, by="officer")
    app.record(
        "criteria-assessment",
        at=at,
        by="panel",
        **{c.field: True if c.must else 3 for c in scheme.criteria},
    )
    app.apply("assess", at=at, by="panel")
    app.apply("fund", at=at, by="board", amount=100_000)
    for f in scheme.follow_ups:
        app.record("follow-up-held", at=at, by="unit", code=f.code)
    doc: dict[str, Any] = json.loads(innoproc.dumps(app))
    return doc


for _scheme in ("stimulab-2018", "municipal-innovation-fund"):
    _app = innoproc.schemes()[_scheme].application
    GOLDEN[f"{_app.id}@{_app.version}"] = _funded_application(_scheme)

NAMES = ("Nordlys Care AS", "Fjord Sensor AS", "Aktiv AS", "Bølge AS", "Cura AS", "Dyna AS")
TEXTS = ("best-price-quality-ratio", "lowest-price", "x", "73110000-6", "48000000-8")


def value(field: Field, clock: datetime) -> st.SearchStrategy[Any]:
    """Values of a field's kind, biased towards ones that satisfy the rules."""
    kind = field.kind
    if kind == "boolean":
        return st.sampled_from([True] * 6 + [False])
    if kind == "amount":
        return st.integers(min_value=0, max_value=40_000_000).map(Decimal)
    if kind == "date":
        return st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))
    if kind == "datetime":
        return st.integers(min_value=-5, max_value=90).map(lambda d: clock + timedelta(days=d))
    if field.choices:
        return st.sampled_from(field.choices)
    if kind == "texts":
        if field.name == "cpv_codes":
            return st.sampled_from([("73110000-6",), ("48000000-8",)])
        return st.lists(st.sampled_from(NAMES), min_size=0, max_size=4, unique=True).map(tuple)
    if kind == "integer":
        return st.integers(
            min_value=0, max_value=100 if field.name.endswith(("share", "weight")) else 6
        )
    return st.sampled_from(TEXTS)


def payload(fields: tuple[Field, ...], clock: datetime) -> st.SearchStrategy[dict[str, Any]]:
    parts = {
        f.name: st.one_of(st.just(None), value(f, clock)) if not f.required else value(f, clock)
        for f in fields
    }
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _latest(case: innoproc.Case) -> int:
    found = innoproc.procedures().get(case.procedure_id)
    return case.version if found is None else found.version


def machine_for(procedure: Procedure) -> type[RuleBasedStateMachine]:
    events = tuple(procedure.events.values())
    facts = tuple(procedure.facts.values())

    class CaseMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.case = innoproc.open_case(procedure, reference="R-1", authority="A")
            self.clock = datetime(2024, 1, 8, 9, 0, tzinfo=innoproc.OSLO)

        golden = GOLDEN.get(f"{procedure.id}@{procedure.version}") or json.loads(
            innoproc.dumps(innoproc.open_case(procedure, reference="R-1", authority="A"))
        )

        @initialize(k=st.integers(min_value=0, max_value=len(golden["history"])))
        def start(self, k: int) -> None:
            """Start from the first k entries of the procedure's golden case: deep states."""
            doc = json.loads(json.dumps(self.golden))
            doc["history"] = doc["history"][:k]
            steps = [e for e in doc["history"] if e["kind"] == "step"]
            doc["state"] = steps[-1]["to"] if steps else procedure.initial
            doc["revision"] = k
            self.case = innoproc.loads(json.dumps(doc), procedures=[procedure])
            if self.case.history:
                self.clock = self.case.history[-1].at

        def attempt(self, action: Any) -> None:
            before = innoproc.dumps(self.case)
            revision = self.case.revision
            try:
                action()
            except InnoprocError:
                assert innoproc.dumps(self.case) == before
                return
            assert self.case.revision == revision + 1

        @rule(data=st.data(), advance=st.integers(min_value=-2, max_value=40))
        def apply(self, data: st.DataObject, advance: int) -> None:
            event = data.draw(st.sampled_from(events))
            at = self.clock + timedelta(days=advance)
            fields = data.draw(payload(event.fields, at))
            self.attempt(lambda: self.case.apply(event.name, at=at, by="clerk", **fields))
            if self.case.history and self.case.history[-1].at == at:
                self.clock = at

        @rule(data=st.data(), advance=st.integers(min_value=0, max_value=20))
        def record(self, data: st.DataObject, advance: int) -> None:
            fact = data.draw(st.sampled_from(facts))
            at = self.clock + timedelta(days=advance)
            fields = data.draw(payload(fact.fields, at))
            self.attempt(lambda: self.case.record(fact.name, at=at, by="clerk", **fields))
            self.clock = max(self.clock, self.case.history[-1].at if self.case.history else at)

        @rule(data=st.data())
        def wrong_payload(self, data: st.DataObject) -> None:
            event = data.draw(st.sampled_from(events))
            bad = data.draw(st.sampled_from([{"no_such_field": 1}, {"by_mistake": "x"}]))
            self.attempt(lambda: self.case.apply(event.name, at=self.clock, by="c", **bad))

        @rule(data=st.data())
        def rule_fails_midway(self, data: st.DataObject) -> None:
            guarded = [e for e in self.case.procedure.events_from(self.case.state) if e.requires]
            if not guarded:
                return
            spec = data.draw(st.sampled_from(guarded))
            pre = data.draw(st.sampled_from(spec.requires))

            def boom(ctx: Any) -> bool:
                raise RuntimeError("a host's rule failed midway")

            before = innoproc.dumps(self.case)
            original = pre.test
            object.__setattr__(pre, "test", boom)
            try:
                with pytest.raises((innoproc.InvalidDefinition, innoproc.InvalidPayload)):
                    self.case.apply(spec.name, at=self.clock, by="c")
            finally:
                object.__setattr__(pre, "test", original)
            assert innoproc.dumps(self.case) == before

        @rule(advance=st.integers(min_value=0, max_value=5))
        def upgrade(self, advance: int) -> None:
            """A case of an earlier version moves to the latest, or is refused unchanged."""
            if self.case.version == _latest(self.case):
                return
            at = self.clock + timedelta(days=advance)
            self.attempt(lambda: self.case.upgrade(at=at, by="clerk"))
            self.clock = max(self.clock, self.case.history[-1].at if self.case.history else at)

        @invariant()
        def consistent(self) -> None:
            text = innoproc.dumps(self.case)
            again = innoproc.loads(text)
            assert innoproc.dumps(again) == text
            assert self.case.revision == len(self.case.history)
            assert self.case.state in self.case.procedure.states
            assert innoproc.audit(self.case).ok
            event(f"reached {self.case.state}")

    CaseMachine.__name__ = f"CaseMachine_{procedure.id.replace('-', '_')}"
    return CaseMachine


SETTINGS = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

SETTINGS_V1 = settings(SETTINGS, max_examples=15)

TestInnovationPartnership = machine_for(innoproc.procedures()["innovation-partnership"]).TestCase
TestInnovationPartnership.settings = SETTINGS
TestPreCommercialProcurement = machine_for(
    innoproc.procedures()["pre-commercial-procurement"]
).TestCase
TestPreCommercialProcurement.settings = SETTINGS
TestTripleDiamond = machine_for(innoproc.procedures()["triple-diamond"]).TestCase
TestTripleDiamond.settings = SETTINGS

# Version 1 of each procedure, frozen, with random moves to version 2.
TestInnovationPartnershipV1 = machine_for(innoproc.procedure("innovation-partnership", 1)).TestCase
TestInnovationPartnershipV1.settings = SETTINGS_V1
TestPreCommercialProcurementV1 = machine_for(
    innoproc.procedure("pre-commercial-procurement", 1)
).TestCase
TestPreCommercialProcurementV1.settings = SETTINGS_V1
TestTripleDiamondV1 = machine_for(innoproc.procedure("triple-diamond", 1)).TestCase
TestTripleDiamondV1.settings = SETTINGS_V1

TestStimuLabApplication = machine_for(innoproc.schemes()["stimulab-2018"].application).TestCase
TestStimuLabApplication.settings = SETTINGS
TestFundApplication = machine_for(
    innoproc.schemes()["municipal-innovation-fund"].application
).TestCase
TestFundApplication.settings = SETTINGS
