"""The innovation partnership: every precondition met and unmet, and full paths.

Every test runs under each released version of the procedure (the ``version`` fixture):
version 1 is frozen, and version 2 must still agree with it wherever the legal review
changed nothing. What version 2 changed is tested in tests/test_law_in_force.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import _builders
import pytest
from _builders import (
    AWARD,
    PM,
    day,
    evaluated,
    in_development,
    in_final_tenders,
    in_last_phase,
    in_market_dialogue,
    in_needs,
    in_negotiation,
    in_tendering,
    notice,
)

import innoproc
from innoproc import PreconditionFailed


@pytest.fixture(autouse=True, params=[1, 2], ids=["v1", "v2"])
def version(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run the test under each released version of the procedure."""
    monkeypatch.setattr(_builders, "VERSION", request.param)
    return int(request.param)


@pytest.fixture
def IP(version: int) -> innoproc.Procedure:
    return innoproc.procedure("innovation-partnership", version)


def refused_codes(case: innoproc.Case, event: str, **payload: object) -> set[str]:
    """The codes of the unmet preconditions when applying ``event``; the case is unchanged."""
    before = innoproc.dumps(case)
    at = payload.pop("at", None) or day(1000)
    with pytest.raises(PreconditionFailed) as info:
        case.apply(event, at=at, by=PM, **payload)  # type: ignore[arg-type]
    assert innoproc.dumps(case) == before
    return set(info.value.codes)


class TestRegistry:
    def test_registered(self, IP: innoproc.Procedure) -> None:
        """The procedure is registered under its fixed id."""
        assert "innovation-partnership" in innoproc.procedures()
        assert IP.initial == "needs"

    def test_end_states(self, IP: innoproc.Procedure) -> None:
        """Purchased, terminated and cancelled are the final states."""
        finals = {name for name, s in IP.states.items() if s.final}
        assert finals == {"purchased", "terminated", "cancelled"}

    def test_every_precondition_is_cited_in_both_languages(
        self,
        IP: innoproc.Procedure,
    ) -> None:
        """Every precondition has a source and distinct English and bokmål rules."""
        for code, pre in IP.preconditions.items():
            assert str(pre.source), code
            assert pre.rule.en != pre.rule.nb, code

    def test_domain_codes_present(self, IP: innoproc.Procedure) -> None:
        """The stable codes of DOMAIN.md section 1 are all used."""
        expected = {
            "leadership-anchoring",
            "need-described",
            "no-market-solution",
            "minimum-requirements-stated",
            "documents-complete",
            "request-time-limit",
            "minimum-candidates",
            "negotiation-scope",
            "award-basis",
            "partners",
            "phase-targets-met",
            "proportionality",
            "purchase-conditions",
        }
        assert expected <= set(IP.preconditions)


class TestNeedDescribed:
    def test_met(self) -> None:
        """A functional need description lets the market dialogue start."""
        case = in_needs()
        case.apply("start-market-dialogue", at=day(2), by=PM)
        assert case.state == "market-dialogue"

    def test_missing(self) -> None:
        """Without a need description the dialogue is refused."""
        assert refused_codes(in_needs(need=False), "start-market-dialogue") == {"need-described"}

    def test_detailed_specification(self) -> None:
        """A detailed (non-functional) specification does not satisfy the rule."""
        case = in_needs(need=False)
        case.record("need-description", at=day(1), by=PM, summary="Buy X", functional=False)
        finding = case.check("start-market-dialogue", at=day(2)).unmet[0]
        assert "detailed specification" in finding.message("en")
        assert "detaljert spesifikasjon" in finding.message("nb")


class TestPublishNotice:
    def test_all_met(self, IP: innoproc.Procedure) -> None:
        """With every fact recorded and 35 days, the notice is published."""
        case = in_market_dialogue()
        assessment = case.check("publish-notice", at=day(40), **notice())
        assert assessment.ok, assessment.explain()
        assert set(assessment.met) == {p.code for p in IP.events["publish-notice"].requires}

    def test_every_unmet_reported(self) -> None:
        """A bare case names all five unmet rules at once, not only the first."""
        case = in_needs()
        case.apply("start-market-dialogue", at=day(2), by=PM)
        codes = refused_codes(
            case, "publish-notice", at=day(40), **notice(request_deadline=day(50))
        )
        assert codes == {
            "leadership-anchoring",
            "no-market-solution",
            "minimum-requirements-stated",
            "documents-complete",
            "proportionality",
            "request-time-limit",
        }

    def test_market_solution_found(self) -> None:
        """A market dialogue that found a product refuses the partnership."""
        case = in_market_dialogue()
        case.record(
            "market-dialogue-outcome",
            at=day(35),
            by=PM,
            solution_available=True,
            summary="Product Z does it",
        )
        codes = refused_codes(case, "publish-notice", at=day(40), **notice())
        assert codes == {"no-market-solution"}
        finding = case.check("publish-notice", at=day(40), **notice()).unmet[0]
        assert "Product Z does it" in finding.message()
        assert finding.details["summary"] == "Product Z does it"

    def test_no_minimum_requirements(self) -> None:
        """Documents that state no minimum requirements are refused."""
        case = in_market_dialogue(minimum_requirements=())
        assert refused_codes(case, "publish-notice", at=day(40), **notice()) == {
            "minimum-requirements-stated"
        }

    def test_documents_incomplete_lists_each_gap(self) -> None:
        """Each missing element of the documents is named."""
        case = in_market_dialogue(ipr_arrangements=False, purchase_terms=False)
        finding = case.check("publish-notice", at=day(40), **notice()).unmet[0]
        assert finding.code == "documents-complete"
        assert finding.details["missing"] == (
            "IPR arrangements in the contract terms",
            "how the purchase will be made",
        )

    def test_zero_phases(self) -> None:
        """Documents with no development phase are incomplete."""
        case = in_market_dialogue(phases=0)
        assert "documents-complete" in refused_codes(case, "publish-notice", at=day(40), **notice())

    def test_disproportionate(self) -> None:
        """A recorded finding of disproportion is refused."""
        case = in_market_dialogue()
        case.record(
            "proportionality-assessment", at=day(34), by=PM, proportionate=False, reasoning="x"
        )
        assert refused_codes(case, "publish-notice", at=day(40), **notice()) == {"proportionality"}

    @pytest.mark.parametrize(
        ("sent", "deadline", "ok"),
        [
            # Sent Saturday 17 Feb 2024: day 30 is Monday 18 March, a working day.
            ((2024, 2, 17, 9), (2024, 3, 18, 23, 59, 59, 999999), True),
            ((2024, 2, 17, 9), (2024, 3, 18, 12), False),  # before the end of day 30
            ((2024, 2, 17, 9), (2024, 3, 17, 23, 59), False),
            # Sent 1 March 2024: day 30 is Easter Sunday, then Easter Monday: 2 April.
            ((2024, 3, 1, 10), (2024, 4, 1, 23, 59, 59, 999999), False),
            ((2024, 3, 1, 10), (2024, 4, 2, 12), False),
            ((2024, 3, 1, 10), (2024, 4, 3, 12), True),
            # Sent 17 April 2024: day 30 is Friday 17 May, Constitution Day: Monday 20 May is
            # Whit Monday, so Tuesday 21 May.
            ((2024, 4, 17, 10), (2024, 5, 20, 12), False),
            ((2024, 4, 17, 10), (2024, 5, 22, 0), True),
        ],
    )
    def test_request_time_limit(
        self, sent: tuple[int, ...], deadline: tuple[int, ...], ok: bool
    ) -> None:
        """The time limit is 30 days under Regulation 1182/71, with Norwegian holidays."""
        case = in_market_dialogue()
        sent_at = datetime(*sent, tzinfo=innoproc.OSLO)  # type: ignore[misc]
        deadline_at = datetime(*deadline, tzinfo=innoproc.OSLO)  # type: ignore[misc]
        a = case.check(
            "publish-notice",
            at=sent_at,
            **notice(notice_sent=sent_at, request_deadline=deadline_at),
        )
        assert a.ok is ok, a.explain()

    def test_request_time_limit_names_earliest_instant(self) -> None:
        """A refusal names the earliest allowed time limit and the one given."""
        case = in_market_dialogue()
        sent = datetime(2024, 3, 1, 10, tzinfo=innoproc.OSLO)
        given = datetime(2024, 3, 31, 12, tzinfo=innoproc.OSLO)
        finding = case.check(
            "publish-notice", at=sent, **notice(notice_sent=sent, request_deadline=given)
        ).unmet[0]
        assert finding.details["earliest"] == datetime(
            2024, 4, 2, 23, 59, 59, 999999, tzinfo=innoproc.OSLO
        )
        assert finding.details["given"] == given
        message = finding.message()
        assert "earliest allowed time limit is the end of 2 April 2024" in message
        assert "day 30, Sunday 31 March 2024 (Easter Sunday), is not a working day" in message
        assert "The time limit given is 31 March 2024 at 12:00." in message
        nb = finding.message("nb")
        assert "tidligste tillatte frist er utgangen av 2. april 2024" in nb
        assert "søndag 31. mars 2024 (første påskedag)" in nb
        assert "31. mars 2024 kl. 12.00" in nb

    def test_missing_fields_are_listed_not_guessed(self, version: int) -> None:
        """Checking without the dates lists them as missing and leaves the rules using them
        unassessed."""
        a = in_market_dialogue().check("publish-notice", at=day(40))
        if version == 1:
            assert a.missing == ("notice_sent", "request_deadline")
            assert a.unassessed == ("request-time-limit",)
        else:
            assert a.missing == ("notice_sent", "request_deadline", "partners")
            assert a.unassessed == ("climate-environment", "request-time-limit", "notice-dates")
        assert not a.ok


class TestInviteCandidates:
    def test_before_deadline(self) -> None:
        """Inviting before the time limit for requests is refused."""
        case = in_tendering()
        codes = refused_codes(case, "invite-candidates", at=day(60), qualified=5, invited=3)
        assert codes == {"request-period-ended"}

    @pytest.mark.parametrize(
        ("qualified", "invited", "ok"),
        [(5, 3, True), (5, 2, False), (2, 2, True), (5, 6, False), (5, 0, False), (3, 3, True)],
    )
    def test_minimum_candidates(self, qualified: int, invited: int, ok: bool) -> None:
        """Limiting the number needs at least three; fewer qualified may all be invited."""
        a = in_tendering().check(
            "invite-candidates", at=day(80), qualified=qualified, invited=invited
        )
        assert a.ok is ok
        assert (a.codes == ()) is ok


class TestNegotiation:
    def test_no_round(self) -> None:
        """Calling for final tenders without any negotiation is refused."""
        case = in_tendering()
        case.apply("invite-candidates", at=day(76), by=PM, qualified=5, invited=3)
        assert refused_codes(case, "call-final-tenders") == {"negotiation-scope"}

    @pytest.mark.parametrize(
        "change",
        [
            {"changed_minimum_requirements": True},
            {"changed_award_criteria": True},
            {"specification_changed": True, "all_informed": False},
        ],
    )
    def test_scope_breaches(self, change: dict[str, bool]) -> None:
        """Negotiating minimum requirements or award criteria, or changes not told to all."""
        case = in_negotiation()
        round2 = {"changed_minimum_requirements": False, "changed_award_criteria": False}
        case.record("negotiation-round", at=day(95), by=PM, round=2, **{**round2, **change})
        assert refused_codes(case, "call-final-tenders") == {"negotiation-scope"}

    def test_informed_change_is_fine(self) -> None:
        """A specification change told to every tenderer is allowed."""
        case = in_negotiation()
        case.record(
            "negotiation-round",
            at=day(95),
            by=PM,
            round=2,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
            specification_changed=True,
            all_informed=True,
        )
        assert case.check("call-final-tenders", at=day(100)).ok

    def test_final_tender_not_negotiated(self) -> None:
        """A round recorded after the call for final tenders blocks the award."""
        case = in_final_tenders()
        case.record(
            "negotiation-round",
            at=day(110),
            by=PM,
            round=2,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
        )
        finding = case.check("award", at=day(120), **AWARD).unmet[0]
        assert finding.code == "negotiation-scope"
        assert "negotiated the final tenders" in finding.message()


class TestAward:
    def test_award(self) -> None:
        """Award on best price-quality ratio to two partners with separate R&D."""
        case = in_final_tenders()
        step = case.apply("award", at=day(120), by=PM, **AWARD)
        assert (step.source, step.target) == ("final-tenders", "development")

    def test_lowest_price_refused(self) -> None:
        """Award on the lowest price alone is refused."""
        codes = refused_codes(
            in_final_tenders(), "award", **{**AWARD, "award_basis": "lowest-price"}
        )
        assert codes == {"award-basis"}

    def test_several_partners_need_separate_rd(self) -> None:
        """Several partners must conduct separate R&D."""
        codes = refused_codes(in_final_tenders(), "award", **{**AWARD, "separate_rd": False})
        assert codes == {"partners"}

    @pytest.mark.parametrize("partners", [(), ("A", "A")])
    def test_partner_list(self, partners: tuple[str, ...]) -> None:
        """No partner, or the same partner twice, is refused."""
        codes = refused_codes(in_final_tenders(), "award", **{**AWARD, "partners": partners})
        assert codes == {"partners"}

    def test_one_partner(self) -> None:
        """One partner needs no separate-R&D confirmation."""
        case = in_final_tenders()
        payload = {**AWARD, "partners": ("Nordlys Care AS",), "separate_rd": None}
        assert case.check("award", at=day(120), **payload).ok


class TestDevelopment:
    def test_next_phase_needs_evaluation(self) -> None:
        """The next phase cannot start before the current one is evaluated."""
        codes = refused_codes(in_development(), "start-next-phase")
        assert codes == {"phase-evaluated", "phase-targets-met"}

    def test_targets_missed(self) -> None:
        """Missed intermediate targets block the next phase."""
        case = evaluated(in_development(), 1, met=False)
        assert refused_codes(case, "start-next-phase") == {"phase-targets-met"}

    def test_no_phase_beyond_plan(self) -> None:
        """Only the phases in the documents may start."""
        assert refused_codes(in_last_phase(), "start-next-phase") == {"phases-remaining"}

    def test_terminate_after_phase(self) -> None:
        """Termination after an evaluated phase, as the documents foresaw."""
        case = evaluated(in_development(), 1, met=False)
        case.apply("terminate", at=day(260), by=PM, reason="Targets missed")
        assert case.state == "terminated"
        assert case.closed

    def test_terminate_not_foreseen(self) -> None:
        """Termination the documents did not foresee is refused."""
        case = evaluated(in_development(termination_foreseen=False), 1)
        assert refused_codes(case, "terminate", reason="x") == {"termination-foreseen"}

    def test_terminate_mid_phase(self) -> None:
        """Termination before the phase is evaluated is refused."""
        assert refused_codes(in_development(), "terminate", reason="x") == {"phase-evaluated"}

    def test_reduce_partners(self) -> None:
        """Reducing to one of the partners after an evaluated phase."""
        case = evaluated(in_development(), 1)
        case.apply("reduce-partners", at=day(260), by=PM, remaining=("Nordlys Care AS",))
        assert case.state == "development"

    def test_reduction_not_foreseen(self) -> None:
        """A reduction the documents did not foresee is refused."""
        case = evaluated(in_development(partner_reduction_foreseen=False), 1)
        codes = refused_codes(case, "reduce-partners", remaining=("Nordlys Care AS",))
        assert codes == {"reduction-foreseen"}

    @pytest.mark.parametrize(
        "remaining", [(), ("Stranger AS",), ("Nordlys Care AS", "Fjord Sensor AS")]
    )
    def test_reduction_must_reduce(self, remaining: tuple[str, ...]) -> None:
        """The remaining partners must be fewer, at least one, and current partners."""
        case = evaluated(in_development(), 1)
        assert refused_codes(case, "reduce-partners", remaining=remaining) == {"partners-reduced"}


class TestPurchase:
    def test_happy_path(self) -> None:
        """After the last phase, buying within the agreed levels and cost ends the case."""
        case = in_last_phase()
        step = case.apply(
            "purchase", at=day(400), by=PM, price=Decimal("29000000"), performance_levels_met=True
        )
        assert step.target == "purchased"
        assert case.closed
        assert case.available(at=day(401)) == ()

    def test_over_maximum_cost(self) -> None:
        """A price above the agreed maximum is refused, naming both figures."""
        case = in_last_phase()
        payload = {"price": Decimal("31000000"), "performance_levels_met": True}
        assert refused_codes(case, "purchase", **payload) == {"purchase-conditions"}
        finding = case.check("purchase", at=day(400), **payload).unmet[0]
        assert finding.details == {
            "price": Decimal("31000000"),
            "maximum_cost": Decimal("30000000"),
        }

    def test_performance_not_met(self) -> None:
        """A result below the agreed performance levels is refused."""
        case = in_last_phase()
        payload = {"price": Decimal("1"), "performance_levels_met": False}
        assert refused_codes(case, "purchase", **payload) == {"purchase-conditions"}

    def test_before_development_completed(self) -> None:
        """Buying in phase 1 of 2 is refused."""
        case = evaluated(in_development(), 1)
        payload = {"price": Decimal("1"), "performance_levels_met": True}
        assert refused_codes(case, "purchase", **payload) == {"development-completed"}


class TestCancel:
    @pytest.mark.parametrize(
        "build", [in_needs, in_market_dialogue, in_tendering, in_negotiation, in_final_tenders]
    )
    def test_cancel_before_award(self, build: object) -> None:
        """The procedure can be cancelled at any point before the award."""
        case = build()  # type: ignore[operator]
        case.apply("cancel", at=day(500), by=PM, reason="Budget withdrawn")
        assert case.state == "cancelled"

    def test_no_cancel_after_award(self) -> None:
        """After the award the partnership ends by termination, not cancellation."""
        with pytest.raises(innoproc.TransitionNotAllowed) as info:
            in_development().apply("cancel", at=day(500), by=PM, reason="x")
        assert "possible from" in str(info.value)
