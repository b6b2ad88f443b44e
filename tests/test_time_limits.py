"""The time limits each procedure's history sets (innoproc.time_limits)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from _builders import NOTICE, PM, day, in_market_dialogue, in_negotiation, in_tendering
from test_pcp import called, in_phase
from test_schemes import FUND, K, assessed, in_call

import innoproc
from innoproc import OSLO, Portfolio, TimeLimit, time_limits


def summary(case: innoproc.Case, **kw: datetime) -> list[tuple[str, str, datetime, bool]]:
    return [(t.code, t.kind, t.due, t.done) for t in time_limits(case, **kw)]


class TestInnovationPartnership:
    def test_request_deadline(self) -> None:
        """The notice's time limit for requests needs attention until candidates are invited."""
        assert time_limits(in_market_dialogue()) == ()
        (limit,) = time_limits(in_tendering())
        assert limit == TimeLimit(
            "2024/0173",
            "request-deadline",
            innoproc.Text("Time limit for requests to participate"),
            NOTICE["request_deadline"],
            "deadline",
            False,
            innoproc.procedures()["innovation-partnership"]
            .preconditions["request-period-ended"]
            .source,
        )
        assert summary(in_negotiation()) == [
            ("request-deadline", "deadline", NOTICE["request_deadline"], True)
        ]

    def test_cancelled(self) -> None:
        """A cancelled case's request deadline needs no more attention."""
        case = in_tendering()
        case.apply("cancel", at=day(50), by=PM, reason="Budget withdrawn")
        assert [t.done for t in time_limits(case)] == [True]

    def test_as_it_stood(self) -> None:
        """With 'at', only the history up to then counts."""
        case = in_negotiation()
        assert summary(case, at=day(75))[0][3] is False
        assert summary(case, at=day(76))[0][3] is True
        assert summary(case, at=day(39)) == []


class TestPreCommercialProcurement:
    def test_tender_deadline(self) -> None:
        """The call's tender deadline needs attention until phase 1 is awarded."""
        assert summary(called()) == [("tender-deadline", "deadline", day(50), False)]
        case = in_phase(1)
        (limit,) = time_limits(case)
        assert limit.done
        assert limit.source == case.procedure.preconditions["tenders-closed"].source


class TestApplications:
    def test_submission_deadline(self) -> None:
        """A draft application has the round's deadline; submitting it is what it asks."""
        app = in_call()
        deadline = datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)
        assert summary(app) == [("submission-deadline", "deadline", deadline, False)]
        app.apply("submit", at=deadline - timedelta(days=1), by="Clerk")
        assert summary(app) == [("submission-deadline", "deadline", deadline, True)]

    def test_round_without_deadline(self) -> None:
        """A round whose source gives no deadline sets no time limit."""
        app = innoproc.open_application(
            FUND, reference="F-1", applicant="Unit", kind="municipal-unit", at=K, by="Clerk"
        )
        assert time_limits(app) == ()

    def test_follow_ups_are_the_portfolios(self) -> None:
        """A funded project's follow-ups and deliverables are the portfolio's schedule."""
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        p = Portfolio(FUND, [app])
        p.fund(app, 100_000, at=K, by="Board", project_end=date(2017, 12, 15))
        app.record("follow-up-held", at=K + timedelta(days=33), by="Unit", code="kickoff")
        limits = time_limits(app)
        schedule = p.schedule(app)
        assert [(t.code, t.kind, t.due, t.done) for t in limits] == [
            (d.code, d.kind, d.due, d.done) for d in schedule
        ]
        assert [t.code for t in limits if not t.done] == [
            "project-description",
            "status-check",
            "closing",
            "final-report",
        ]
        assert all(t.reference == "F-1" and t.source.instrument for t in limits)


class TestOthers:
    def test_triple_diamond_has_none(self) -> None:
        """The triple diamond sets no time limit of its own."""
        case = innoproc.open_case("triple-diamond", reference="TD-1", authority="Digdir")
        assert time_limits(case) == ()

    def test_arguments(self) -> None:
        """'at' must be aware, and the case a case."""
        with pytest.raises(innoproc.NaiveDatetimeError, match="'at'"):
            time_limits(in_tendering(), at=datetime(2024, 1, 1))
        with pytest.raises(innoproc.InvalidPayload, match="'case'"):
            time_limits("2024/0173")  # type: ignore[arg-type]
