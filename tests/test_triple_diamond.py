"""The triple diamond (#StimuLab): every precondition met and unmet, and full paths.

Every test runs under each released version of the procedure; what version 2 changed (the
call's deadline, later rounds) is tested in tests/test_law_in_force.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import innoproc
from innoproc import OSLO, PreconditionFailed, TransitionNotAllowed

T0 = datetime(2018, 3, 5, 10, 0, tzinfo=OSLO)
DEADLINE = datetime(2018, 3, 9, 23, 59, 59, 999999, tzinfo=OSLO)  # 9 March 2018, the call's
VERSION = {"n": 2}


@pytest.fixture(autouse=True, params=[1, 2], ids=["v1", "v2"])
def version(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run the test under each released version of the procedure."""
    monkeypatch.setitem(VERSION, "n", request.param)
    return int(request.param)


def td() -> innoproc.Procedure:
    return innoproc.procedure("triple-diamond", VERSION["n"])


def proposal() -> dict[str, Any]:
    """The submit-proposal payload: version 1 took the deadline from it, version 2 the round."""
    return {"deadline": DEADLINE} if VERSION["n"] == 1 else {"round": "2018-1"}


WHO = "Project owner"
MUST = {"user_need": True, "own_resources": True, "innovation_potential": True}
COMMITTED = {
    "open_exploratory": True,
    "insight_first": True,
    "involve_users": True,
    "holistic": True,
    "early_prototyping": True,
    "visualisation": True,
}


def t(days: float) -> datetime:
    return T0 + timedelta(days=days)


def new() -> innoproc.Case:
    return innoproc.open_case(td(), reference="S-1", authority="Eksempel kommune")


def submitted() -> innoproc.Case:
    case = new()
    case.apply("submit-proposal", at=t(0), by=WHO, **proposal())
    return case


def in_dialogue() -> innoproc.Case:
    case = submitted()
    case.record("prequalification-assessment", at=t(1), by="Difi", **MUST)
    case.record("leadership-decision", at=t(1), by="CEO", decided_by="CEO", decision="D-1")
    case.apply("prequalify", at=t(2), by="Difi")
    return case


def in_procurement() -> innoproc.Case:
    case = in_dialogue()
    case.record("working-method-commitment", at=t(3), by=WHO, **COMMITTED)
    case.apply("grant", at=t(4), by="SG", amount=Decimal("1000000"), decided_by="SG-1")
    return case


def in_diamonds() -> innoproc.Case:
    case = in_procurement()
    case.record(
        "supplier-competence",
        at=t(5),
        by=WHO,
        service_design=True,
        benefit_realisation=True,
        change_management=True,
    )
    case.apply("sign-contract", at=t(6), by=WHO, supplier="Design AS", service_owner="NAV")
    return case


def go(case: innoproc.Case, *events: str, at: float = 10) -> innoproc.Case:
    for i, event in enumerate(events):
        case.apply(event, at=t(at + i), by=WHO)
    return case


def codes(case: innoproc.Case, event: str, **payload: Any) -> set[str]:
    before = innoproc.dumps(case)
    with pytest.raises(PreconditionFailed) as info:
        case.apply(event, at=t(500), by=WHO, **payload)
    assert innoproc.dumps(case) == before
    return set(info.value.codes)


class TestProposal:
    def test_in_time(self) -> None:
        """A proposal on the last minute of 9 March 2018 is in time."""
        case = new()
        case.apply("submit-proposal", at=DEADLINE, by=WHO, **proposal())
        assert case.state == "prequalification"

    def test_late_by_a_minute(self) -> None:
        """A proposal at 00:01 on 10 March is late; both instants are shown."""
        case = new()
        late = datetime(2018, 3, 10, 0, 0, 59, tzinfo=OSLO)
        with pytest.raises(PreconditionFailed) as info:
            case.apply("submit-proposal", at=late, by=WHO, **proposal())
        (finding,) = info.value.unmet
        assert finding.code == "submitted-in-time"
        assert (
            "Submitted 10 March 2018 at 00:00:59, after the deadline 9 March 2018 at 24:00"
            in finding.message()
        )
        assert finding.details["late_by"] == timedelta(seconds=59, microseconds=1)

    def test_across_time_zones(self) -> None:
        """An instant in UTC is compared as the same moment: 22:59 UTC is 23:59 in Oslo."""
        case = new()
        utc = datetime(2018, 3, 9, 22, 59, tzinfo=timezone.utc)
        assert case.check("submit-proposal", at=utc, **proposal()).ok
        assert not case.check("submit-proposal", at=utc + timedelta(hours=1), **proposal()).ok


class TestPrequalification:
    @pytest.mark.parametrize(
        ("field", "code"),
        [
            ("user_need", "user-need"),
            ("own_resources", "own-resource-commitment"),
            ("innovation_potential", "innovation-potential"),
        ],
    )
    def test_must_criteria(self, field: str, code: str) -> None:
        """Each must criterion that does not convince is named."""
        case = submitted()
        case.record("prequalification-assessment", at=t(1), by="Difi", **{**MUST, field: False})
        case.record("leadership-decision", at=t(1), by="CEO", decided_by="CEO", decision="D")
        assert codes(case, "prequalify") == {code}

    def test_nothing_assessed(self) -> None:
        """Without an assessment and a leadership decision all four are unmet."""
        assert codes(submitted(), "prequalify") == {
            "user-need",
            "leadership-anchoring",
            "own-resource-commitment",
            "innovation-potential",
        }

    def test_defer_and_take_up(self) -> None:
        """A deferred proposal can be taken up in a later round."""
        case = submitted()
        case.apply("defer", at=t(1), by="Difi")
        case.apply("take-up", at=t(200), by="Difi", round="2018-2")
        assert case.state == "prequalification"

    def test_reject(self) -> None:
        """A proposal can be rejected."""
        case = submitted()
        case.apply("reject", at=t(1), by="Difi", reason="Not complex enough")
        assert case.closed


class TestDialogueAndProcurement:
    def test_commitment_needed(self) -> None:
        """The grant needs the commitment to all six marks of the working method."""
        case = in_dialogue()
        case.record(
            "working-method-commitment", at=t(3), by=WHO, **{**COMMITTED, "visualisation": False}
        )
        got = codes(case, "grant", amount=Decimal(1), decided_by="SG")
        assert got == {"working-method-committed"}
        finding = case.check("grant", at=t(4), amount=Decimal(1), decided_by="SG").unmet[0]
        assert finding.details["lacking"] == ("visualisation as a method",)

    def test_competence(self) -> None:
        """The procurement asks for service design, benefit realisation and change management."""
        case = in_procurement()
        case.record(
            "supplier-competence",
            at=t(5),
            by=WHO,
            service_design=True,
            benefit_realisation=False,
            change_management=True,
        )
        got = codes(case, "sign-contract", supplier="S", service_owner="O")
        assert got == {"supplier-competence"}

    def test_ownership_passes(self) -> None:
        """At contract signature the service owner is recorded."""
        case = in_diamonds()
        assert case.state == "diagnose-diverge"
        assert case.history[-1].payload["service_owner"] == "NAV"


class TestDiamonds:
    def test_in_order(self) -> None:
        """Skipping ahead is not possible."""
        case = in_diamonds()
        with pytest.raises(TransitionNotAllowed):
            case.apply("finish-explore-define", at=t(10), by=WHO)

    def test_change_annex(self) -> None:
        """Diamond 1 ends with an anchored change annex."""
        case = go(in_diamonds(), "converge-diagnosis")
        assert codes(case, "finish-diagnosis") == {"change-annex"}
        case.record("change-annex", at=t(20), by=WHO, problem_understanding="x", anchored=False)
        assert codes(case, "finish-diagnosis") == {"change-annex"}

    def full(self) -> innoproc.Case:
        case = go(in_diamonds(), "converge-diagnosis")
        case.record("change-annex", at=t(20), by=WHO, problem_understanding="x", anchored=True)
        go(case, "finish-diagnosis", "converge-concept", at=21)
        return case

    def test_users_involved(self) -> None:
        """Diamond 2 needs concepts tested with users."""
        case = self.full()
        assert codes(case, "finish-explore-define") == {"users-involved"}
        case.record("user-involvement", at=t(30), by=WHO, participants=0, concepts_tested=2)
        assert codes(case, "finish-explore-define") == {"users-involved"}

    def test_complete_and_go_back(self) -> None:
        """Going back is allowed and recorded; completion needs a tested prototype and sharing."""
        case = self.full()
        case.record("user-involvement", at=t(30), by=WHO, participants=12, concepts_tested=2)
        go(case, "finish-explore-define", at=31)
        case.apply("revisit-diagnosis", at=t(40), by=WHO, reason="New insight")
        assert case.state == "diagnose-diverge"
        go(
            case,
            "converge-diagnosis",
            "finish-diagnosis",
            "converge-concept",
            "finish-explore-define",
            "converge-delivery",
            at=41,
        )
        assert codes(case, "complete") == {"prototype-tested", "experience-shared"}
        case.record("prototype-test", at=t(60), by=WHO, prototype="p", tested_with_users=True)
        case.record("experience-shared", at=t(61), by=WHO, where="Digdir")
        case.apply("complete", at=t(62), by=WHO)
        assert case.state == "completed"
        revisits = [e for e in case.history if e.name == "revisit-diagnosis"]
        assert len(revisits) == 1

    def test_groups(self) -> None:
        """Each diamond's two halves share a group for diagrams."""
        groups = {s.group for s in td().states.values() if s.group}
        assert groups == {"diagnose", "explore-define", "develop-deliver"}
