"""Funding schemes, applications, portfolios and the link to procedure cases."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import innoproc
from innoproc import OSLO, Portfolio, PreconditionFailed

T = datetime(2020, 4, 1, 9, 0, tzinfo=OSLO)
PUBLIC = {"publicly_funded": True, "public_tasks": True, "procurement_rules": True}


def in_call(reference: str = "IN-1", **applicant: Any) -> innoproc.Case:
    fields = {"applicant": "Bodø kommune", "kind": "municipality", **PUBLIC, **applicant}
    return innoproc.open_application(
        "innovation-norway-partnership-2020", reference=reference, at=T, by="Clerk", **fields
    )


def assessed(scheme: str, reference: str, scores: dict[str, Any], at: datetime) -> innoproc.Case:
    app = innoproc.open_application(
        scheme,
        reference=reference,
        applicant=f"Unit {reference}",
        kind="municipal-unit",
        at=at,
        by="Clerk",
    )
    app.apply("submit", at=at, by="Clerk")
    app.apply("confirm-eligibility", at=at, by="Officer")
    app.record("criteria-assessment", at=at, by="Panel", **scores)
    app.apply("assess", at=at, by="Panel")
    return app


class TestRegistry:
    def test_four_schemes(self) -> None:
        """The four schemes of the seeds are registered, each with a source."""
        got = innoproc.schemes()
        assert set(got) == {
            "stimulab-2018",
            "innovation-norway-sketch-2017",
            "innovation-norway-partnership-2020",
            "municipal-innovation-fund",
        }
        for scheme in got.values():
            assert str(scheme.source)
            assert scheme.application.id == f"{scheme.id}-application"

    def test_figures_from_the_seeds(self) -> None:
        """Budgets, deadlines and links as the seeds state them."""
        s = innoproc.schemes()
        assert s["stimulab-2018"].budget == Decimal("10000000")
        assert s["stimulab-2018"].rounds[0].deadline == datetime(
            2018, 3, 9, 23, 59, 59, 999999, tzinfo=OSLO
        )
        assert s["stimulab-2018"].eligibility.kinds == ("state-agency", "municipality")
        assert s["stimulab-2018"].leads_to == "triple-diamond"
        in2020 = s["innovation-norway-partnership-2020"]
        assert in2020.budget == Decimal("75000000")
        assert in2020.rounds[0].deadline == datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)
        assert in2020.leads_to == "innovation-partnership"
        assert len([c for c in in2020.criteria if not c.must]) == 4
        sketch = s["innovation-norway-sketch-2017"]
        assert sketch.rounds[0].deadline.date() == date(2017, 8, 21)  # type: ignore[union-attr]
        assert "LUP" in " ".join(sketch.owners)
        fund = s["municipal-innovation-fund"]
        assert fund.budget == Decimal("2000000")
        assert fund.outcomes == ("finished", "continued", "dropped")
        assert fund.figures["funded"] == {"2017": 10, "2018": 9}
        assert [d.code for d in fund.deliverables] == ["project-description", "final-report"]
        assert [f.code for f in fund.follow_ups] == ["kickoff", "status-check", "closing"]


class TestEligibility:
    def test_public_body(self) -> None:
        """A municipality covered by the procurement rules is eligible."""
        app = in_call()
        app.apply("submit", at=T, by="Clerk")
        app.apply("confirm-eligibility", at=T, by="Officer")
        assert app.state == "eligible"

    @pytest.mark.parametrize(
        ("applicant", "words"),
        [
            ({"kind": "company"}, "companies may not apply (only state agencies,"),
            ({"kind": "private-person"}, "private persons may not apply"),
            ({"procurement_rules": False}, "not covered by the procurement rules"),
            ({"publicly_funded": None}, "not publicly funded"),
        ],
    )
    def test_refused_with_reasons(self, applicant: dict[str, Any], words: str) -> None:
        """Companies, private persons and bodies outside the rules are refused with reasons."""
        app = in_call(**{k: v for k, v in applicant.items()})
        app.apply("submit", at=T, by="Clerk")
        with pytest.raises(PreconditionFailed) as info:
            app.apply("confirm-eligibility", at=T, by="Officer")
        assert info.value.codes == ("eligible-applicant",)
        assert words in info.value.unmet[0].message()
        app.apply("refuse", at=T, by="Officer", reason=info.value.unmet[0].message())
        assert app.state == "refused"


class TestDeadline:
    @pytest.mark.parametrize(
        ("at", "ok"),
        [
            (datetime(2020, 4, 16, 17, 0, tzinfo=OSLO), True),
            (datetime(2020, 4, 16, 17, 1, tzinfo=OSLO), False),
            (datetime(2020, 4, 16, 15, 0, tzinfo=timezone.utc), True),  # 17:00 in Oslo (CEST)
            (datetime(2020, 4, 16, 15, 0, 1, tzinfo=timezone.utc), False),
            (datetime(2020, 4, 16, 11, 0, tzinfo=timezone(timedelta(hours=-4))), True),
        ],
    )
    def test_inclusive_and_late_by_a_minute(self, at: datetime, ok: bool) -> None:
        """16 April 2020 at 17:00 is in time; a minute (or a second) later is late."""
        app = in_call()
        assessment = app.check("submit", at=at)
        assert assessment.ok is ok
        if not ok:
            finding = assessment.unmet[0]
            assert finding.code == "submitted-in-time"
            assert "after the deadline 16 April 2020 at 17:00 (Norwegian time)" in finding.message()

    def test_date_only_deadline(self) -> None:
        """StimuLab's 9 March 2018 runs to the end of that day."""
        app = innoproc.open_application(
            "stimulab-2018",
            reference="S-1",
            applicant="NAV",
            kind="state-agency",
            at=datetime(2018, 3, 1, tzinfo=OSLO),
            by="NAV",
        )
        assert app.check("submit", at=datetime(2018, 3, 9, 23, 59, tzinfo=OSLO)).ok
        assert not app.check("submit", at=datetime(2018, 3, 10, 0, 0, tzinfo=OSLO)).ok

    def test_unknown_round(self) -> None:
        """A round the scheme does not have is refused when opening."""
        with pytest.raises(innoproc.InvalidDefinition, match="no round '2019'"):
            innoproc.open_application(
                "stimulab-2018",
                reference="S",
                applicant="A",
                kind="state-agency",
                at=T,
                by="A",
                round="2019",
            )


FUND = "municipal-innovation-fund"
K = datetime(2017, 3, 1, 9, 0, tzinfo=OSLO)


class TestAssessment:
    def test_must_criterion(self) -> None:
        """A must criterion not met blocks the assessment."""
        app = in_call()
        app.apply("submit", at=T, by="Clerk")
        app.apply("confirm-eligibility", at=T, by="Officer")
        app.record(
            "criteria-assessment",
            at=T,
            by="Panel",
            no_market_solution=False,
            societal_challenge=4,
            implementation_ability=3,
            value_creation=2,
            collaboration=5,
        )
        with pytest.raises(PreconditionFailed) as info:
            app.apply("assess", at=T, by="Panel")
        assert info.value.codes == ("no-market-solution",)

    def test_scores_bounded(self) -> None:
        """Weighed scores are 0 to 5."""
        with pytest.raises(PreconditionFailed) as info:
            assessed(FUND, "F-1", {"service_development": 7}, K)
        assert info.value.codes == ("criteria-scored",)

    def test_ranking(self) -> None:
        """The portfolio ranks assessed applications by weighed score."""
        p = Portfolio(
            FUND, [assessed(FUND, f"F-{i}", {"service_development": i}, K) for i in (2, 5, 3)]
        )
        assert [(a.reference, s) for a, s in p.ranking()] == [("F-5", 5), ("F-3", 3), ("F-2", 2)]

    def test_stimulab_weights(self) -> None:
        """Complex collaboration weighs double in #StimuLab's score (innoproc's default)."""
        s = innoproc.schemes()["stimulab-2018"]
        scores = {
            "societal_benefit": 3,
            "gain_potential": 2,
            "learning_transfer": 1,
            "complex_collaboration": 4,
            "user_need": True,
        }
        assert s.score(scores) == 3 + 2 + 1 + 2 * 4


class TestPortfolio:
    def test_budget(self) -> None:
        """Grants use the budget; one larger than what is left is refused, naming both."""
        apps = [assessed(FUND, f"F-{i}", {"service_development": 3}, K) for i in range(3)]
        p = Portfolio(FUND, apps)
        p.fund(apps[0], Decimal("1500000"), at=K, by="Board")
        assert (p.budget_used, p.budget_left) == (Decimal("1500000"), Decimal("500000"))
        before = innoproc.dumps(apps[1])
        with pytest.raises(PreconditionFailed) as info:
            p.fund(apps[1], Decimal("600000"), at=K, by="Board")
        assert info.value.codes == ("budget-available",)
        assert "NOK\xa0600,000 asked, NOK\xa0500,000 left" in info.value.unmet[0].message()
        assert "600\xa0000\xa0kr" in info.value.unmet[0].message("nb")
        assert innoproc.dumps(apps[1]) == before
        p.fund(apps[1], 500_000, at=K, by="Board")
        assert p.budget_left == 0
        assert p.counts() == {"following-up": 2, "assessed": 1}

    def test_mixing_schemes_refused(self) -> None:
        """A portfolio holds one scheme's applications, each once."""
        p = Portfolio(FUND)
        with pytest.raises(innoproc.InvalidPayload, match="follows"):
            p.add(in_call())
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        p.add(app)
        with pytest.raises(innoproc.InvalidPayload, match="already"):
            p.add(app)

    def test_follow_up_schedule(self) -> None:
        """Kickoff a month after funding, status check three months after the kickoff held."""
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        p = Portfolio(FUND, [app])
        p.fund(app, 100_000, at=datetime(2018, 10, 30, 10, 0, tzinfo=OSLO), by="Board")
        planned = {d.code: d.due.date() for d in p.schedule(app)}
        assert planned["kickoff"] == date(2018, 11, 30)
        assert planned["status-check"] == date(2019, 2, 28)  # 30 Nov + 3 months
        assert planned["closing"] == date(2019, 10, 30)  # 12 months (innoproc's default)
        assert planned["final-report"] == planned["closing"]
        app.record(
            "follow-up-held", at=datetime(2018, 12, 3, 10, tzinfo=OSLO), by="Unit", code="kickoff"
        )
        moved = {d.code: d for d in p.schedule(app)}
        assert moved["status-check"].due.date() == date(2019, 3, 3)
        assert moved["kickoff"].done

    def test_overdue_and_upcoming(self) -> None:
        """Overdue deliverables and upcoming meetings are listed."""
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        p = Portfolio(FUND, [app])
        p.fund(app, 100_000, at=K, by="Board", project_end=date(2017, 12, 15))
        soon = p.upcoming(K, within=timedelta(days=40))
        assert {d.code for d in soon} == {"kickoff", "project-description"}
        late = p.overdue(datetime(2017, 7, 2, tzinfo=OSLO))
        assert {d.code for d in late} == {"kickoff", "project-description", "status-check"}
        app.record(
            "deliverable-submitted",
            at=datetime(2017, 7, 2, tzinfo=OSLO),
            by="Unit",
            code="project-description",
        )
        late = p.overdue(datetime(2017, 7, 3, tzinfo=OSLO))
        assert {d.code for d in late} == {"kickoff", "status-check"}

    def test_close_with_outcome(self) -> None:
        """Closing needs every deliverable and meeting, and an allowed outcome."""
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        p = Portfolio(FUND, [app])
        p.fund(app, 100_000, at=K, by="Board")
        with pytest.raises(PreconditionFailed) as info:
            app.apply("close", at=K, by="Board", outcome="abandoned")
        assert set(info.value.codes) == {
            "deliverables-submitted",
            "follow-ups-held",
            "outcome-allowed",
        }
        for code in ("kickoff", "status-check", "closing"):
            app.record("follow-up-held", at=K, by="Unit", code=code)
        for code in ("project-description", "final-report"):
            app.record("deliverable-submitted", at=K, by="Unit", code=code)
        app.apply("close", at=K, by="Board", outcome="dropped")
        assert p.outcomes() == {"dropped": 1}
        assert innoproc.audit(app).ok

    def test_table(self) -> None:
        """Plain records for an analyst."""
        app = assessed(FUND, "F-1", {"service_development": 4}, K)
        (row,) = Portfolio(FUND, [app]).table()
        assert row == {
            "reference": "F-1",
            "applicant": "Unit F-1",
            "kind": "municipal-unit",
            "state": "assessed",
            "score": 4,
            "granted": Decimal(0),
        }


class TestLinks:
    def test_stimulab_leads_to_triple_diamond(self) -> None:
        """A StimuLab grant opens a triple-diamond case linked to the application."""
        at = datetime(2018, 3, 5, tzinfo=OSLO)
        app = innoproc.open_application(
            "stimulab-2018", reference="S-1", applicant="NAV", kind="state-agency", at=at, by="NAV"
        )
        app.apply("submit", at=at, by="NAV")
        app.apply("confirm-eligibility", at=at, by="Difi")
        app.record(
            "criteria-assessment",
            at=at,
            by="Difi",
            user_need=True,
            leadership_anchoring=True,
            own_resources=True,
            innovation_potential=True,
            societal_benefit=4,
            gain_potential=4,
            learning_transfer=3,
            complex_collaboration=5,
        )
        app.apply("assess", at=at, by="Difi")
        with pytest.raises(innoproc.TransitionNotAllowed):
            innoproc.open_project_case(app, reference="TD-1", at=at, by="Difi")
        Portfolio("stimulab-2018", [app]).fund(app, 1_500_000, at=at, by="Steering group")
        case = innoproc.open_project_case(app, reference="TD-1", at=at, by="Difi")
        assert case.procedure_id == "triple-diamond"
        assert case.authority == "NAV"
        assert case.details["funding"] == {
            "scheme": "stimulab-2018",
            "application": "S-1",
            "amount": "1500000",
        }
        assert app.facts["procedure-case"].get("reference") == "TD-1"

    def test_innovation_norway_leads_to_partnership(self) -> None:
        """An Innovation Norway grant opens an innovation partnership."""
        app = in_call()
        app.apply("submit", at=T, by="Clerk")
        app.apply("confirm-eligibility", at=T, by="Officer")
        app.record(
            "criteria-assessment",
            at=T,
            by="Panel",
            no_market_solution=True,
            societal_challenge=4,
            implementation_ability=3,
            value_creation=2,
            collaboration=5,
        )
        app.apply("assess", at=T, by="Panel")
        app.apply("fund", at=T, by="IN", amount=3_000_000)
        case = innoproc.open_project_case(app, reference="IP-1", at=T, by="IN")
        assert case.procedure_id == "innovation-partnership"

    def test_internal_fund_leads_nowhere(self) -> None:
        """The internal fund names no procedure; one must be chosen."""
        app = assessed(FUND, "F-1", {"service_development": 3}, K)
        app.apply("fund", at=K, by="Board", amount=10)
        with pytest.raises(innoproc.UnknownProcedure):
            innoproc.open_project_case(app, reference="X", at=K, by="Board")
        case = innoproc.open_project_case(
            app, reference="X", at=K, by="Board", procedure_id="triple-diamond"
        )
        assert case.state == "proposal"


class TestOwnScheme:
    def test_declare_run_store(self) -> None:
        """A municipality's own fund: declared, run, stored and audited."""
        own = innoproc.municipal_innovation_fund(
            "baerum-fund-2025",
            budget=Decimal("500000"),
            rounds=(innoproc.Round("2025", datetime(2025, 3, 1, 12, 0, tzinfo=OSLO)),),
        )
        app = innoproc.open_application(
            own, reference="B-1", applicant="Home care", kind="municipal-unit", at=K, by="Unit"
        )
        assert innoproc.scheme_of(app) is own
        app.apply("submit", at=datetime(2025, 3, 1, 12, 0, tzinfo=OSLO), by="Unit")
        text = innoproc.dumps(app)
        again = innoproc.loads(text, procedures=[own.application])
        assert innoproc.dumps(again) == text
        assert innoproc.audit(again).ok

    def test_builtin_applications_load(self) -> None:
        """Applications to built-in schemes load without naming the procedure."""
        app = in_call()
        assert innoproc.dumps(innoproc.loads(innoproc.dumps(app))) == innoproc.dumps(app)

    def test_bad_declarations(self) -> None:
        """Unknown applicant kinds and deliverables due at unknown meetings are refused."""
        with pytest.raises(innoproc.InvalidDefinition, match="unknown applicant kind"):
            innoproc.Eligibility(kinds=("alien",), source=innoproc.Source("x"))
        with pytest.raises(innoproc.InvalidDefinition, match="due at unknown"):
            innoproc.Scheme(
                "x",
                title=innoproc.Text(en="x", nb="x"),
                owners=("o",),
                source=innoproc.Source("x"),
                budget=None,
                eligibility=innoproc.Eligibility(kinds=("company",), source=innoproc.Source("x")),
                rounds=(innoproc.Round("r", None),),
                deliverables=(innoproc.Deliverable("d", innoproc.Text(en="d", nb="d"), "party"),),
            )

    def test_unknown_scheme(self) -> None:
        """An unknown scheme id names the known ones."""
        with pytest.raises(innoproc.UnknownScheme, match="stimulab-2018"):
            innoproc.Portfolio("stimulab-2099")
