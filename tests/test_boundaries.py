"""Every numeric and temporal rule exactly at, just inside and just outside its limit, under
each version of its procedure.

A hand-made mutant letting a purchase price 1 NOK over the agreed maximum through survived
the suite before these tests; each limit here is written out (not computed by the code under
test), so that moving a comparison by one unit fails a test. Rules are asked with ``check``,
which changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import _builders as b
import pytest

import innoproc
from innoproc import OSLO, Case, PreconditionFailed
from innoproc.thresholds import eea_threshold

US = timedelta(microseconds=1)


@pytest.fixture(params=[1, 2], ids=["v1", "v2"])
def version(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Run the test under each released version of the innovation partnership."""
    monkeypatch.setattr(b, "VERSION", request.param)
    yield int(request.param)


def unmet(case: Case, event: str, at: datetime, **payload: Any) -> set[str]:
    """The codes of the blocking findings of ``event`` (the case does not change)."""
    before = case.revision
    assessment = case.check(event, at=at, **payload)
    assert case.revision == before and assessment.allowed
    return {f.code for f in assessment.unmet}


def advice(case: Case, event: str, at: datetime, **payload: Any) -> set[str]:
    """The codes of the advice on ``event``."""
    return {f.code for f in case.check(event, at=at, **payload).advice}


# -- innovation partnership ---------------------------------------------------------------------


class TestPurchasePrice:
    """Art. 31(2): the price may not exceed the agreed maximum cost (30,000,000)."""

    @pytest.mark.parametrize(
        ("price", "ok"),
        [
            (Decimal("30000000"), True),
            (Decimal("29999999.99"), True),
            (Decimal("30000000.000001"), False),
            (Decimal("30000001"), False),
            (Decimal("0"), True),
        ],
    )
    def test_at_the_maximum(self, version: int, price: Decimal, ok: bool) -> None:
        """The maximum itself and 1 øre under are allowed; 1 NOK (or 0.000001) over is not."""
        case = b.in_last_phase()
        codes = unmet(case, "purchase", b.day(320), price=price, performance_levels_met=True)
        assert ("purchase-conditions" not in codes) is ok

    def test_a_price_1_nok_over_is_refused_by_apply(self, version: int) -> None:
        """apply refuses the step and names the finding; nothing changes."""
        case = b.in_last_phase()
        with pytest.raises(PreconditionFailed) as info:
            case.apply(
                "purchase",
                at=b.day(320),
                by=b.PM,
                price=Decimal("30000001"),
                performance_levels_met=True,
            )
        assert info.value.codes == ("purchase-conditions",)
        assert case.state == "development"


SENT = b.day(40)  # Saturday 17 February 2024 09:00: day 30 is Monday 18 March 2024
END_OF_DAY_30 = datetime(2024, 3, 18, 23, 59, 59, 999999, tzinfo=OSLO)


class TestRequestTimeLimit:
    """Art. 31(1): at least 30 days from the day the notice is sent (Regulation 1182/71)."""

    @pytest.mark.parametrize(
        ("deadline", "ok"),
        [
            (END_OF_DAY_30, True),
            (END_OF_DAY_30 - US, False),
            (END_OF_DAY_30 + US, True),
            (datetime(2024, 3, 18, 22, 59, 59, 999999, tzinfo=timezone.utc), True),
            (datetime(2024, 3, 18, 22, 59, 59, 999998, tzinfo=timezone.utc), False),
            (datetime(2024, 3, 18, 9, 0, tzinfo=OSLO), False),
        ],
        ids=["end-of-day-30", "a-microsecond-before", "after", "utc-end", "utc-before", "9am"],
    )
    def test_end_of_day_30(self, version: int, deadline: datetime, ok: bool) -> None:
        """The end of day 30 (in Oslo) is enough; a microsecond earlier is not."""
        case = b.in_market_dialogue()
        codes = unmet(case, "publish-notice", SENT, **b.notice(request_deadline=deadline))
        assert ("request-time-limit" not in codes) is ok

    def test_moved_past_a_holiday(self, version: int) -> None:
        """Day 30 on Maundy Thursday 2024 (28 March) moves the end to Tuesday 2 April."""
        sent = datetime(2024, 2, 27, 9, 0, tzinfo=OSLO)
        case = b.in_market_dialogue()
        end = datetime(2024, 4, 2, 23, 59, 59, 999999, tzinfo=OSLO)
        ok = unmet(case, "publish-notice", sent, **b.notice(notice_sent=sent, request_deadline=end))
        late = unmet(
            case, "publish-notice", sent, **b.notice(notice_sent=sent, request_deadline=end - US)
        )
        assert "request-time-limit" not in ok and "request-time-limit" in late


class TestEEAThreshold:
    """Version 2: the 30-day minimum applies at or above the EEA threshold (NOK 2,200,000 for
    sub-central services on 17 February 2024); below it, advice only."""

    @pytest.mark.parametrize(
        ("rd", "purchase", "blocks"),
        [
            (Decimal("200000"), Decimal("2000000"), True),
            (Decimal("200000"), Decimal("1999999"), False),
            (Decimal("200000"), Decimal("1999999.999999"), False),
            (Decimal("200000"), Decimal("2000001"), True),
        ],
        ids=["at", "1-nok-under", "a-millionth-under", "over"],
    )
    def test_at_the_threshold(self, rd: Decimal, purchase: Decimal, blocks: bool) -> None:
        """Exactly at the threshold the short time limit is refused; 1 NOK under it is advice."""
        saved = b.VERSION
        b.VERSION = 2
        try:
            case = b.in_market_dialogue(max_rd_value=rd, estimated_purchase_value=purchase)
        finally:
            b.VERSION = saved
        short = b.notice(request_deadline=SENT + timedelta(days=10))
        assert ("request-time-limit" in unmet(case, "publish-notice", SENT, **short)) is blocks
        assert ("request-time-limit" in advice(case, "publish-notice", SENT, **short)) is not blocks

    @pytest.mark.parametrize(
        ("day", "amount"),
        [
            (date(2024, 3, 13), Decimal("2200000")),
            (date(2024, 3, 14), Decimal("2300000")),
            (date(2022, 3, 22), Decimal("2050000")),
            (date(2022, 3, 23), Decimal("2200000")),
            (date(2016, 2, 9), Decimal("1750000")),
        ],
    )
    def test_periods_start_on_their_day(self, day: date, amount: Decimal) -> None:
        """A new threshold applies from the day it comes into force, not the day before."""
        found = eea_threshold(day, authority="sub-central", contract="services")
        assert found.amount == amount

    def test_before_the_first_period(self) -> None:
        """The day before the first known period has no threshold."""
        with pytest.raises(innoproc.UnknownThreshold):
            eea_threshold(date(2016, 2, 8), authority="sub-central", contract="services")


class TestRequestPeriodEnded:
    """Candidates may be invited only once the time limit for requests has passed."""

    @pytest.mark.parametrize(("delta", "ok"), [(timedelta(0), True), (-US, False), (US, True)])
    def test_at_the_time_limit(self, version: int, delta: timedelta, ok: bool) -> None:
        """At the time limit itself invitations may go out; a microsecond before, not."""
        case = b.in_tendering()
        at = b.NOTICE["request_deadline"] + delta
        codes = unmet(case, "invite-candidates", at, qualified=5, invited=5)
        assert ("request-period-ended" not in codes) is ok


class TestMinimumCandidates:
    """Art. 65(2): where the number is limited, at least three (version 2: as announced)."""

    @pytest.mark.parametrize(
        ("qualified", "invited", "ok"),
        [
            (5, 3, True),
            (5, 2, False),
            (2, 2, True),
            (3, 4, False),
            (5, 0, False),
            (1, 1, True),
            (5, 5, True),
        ],
    )
    def test_limits(self, version: int, qualified: int, invited: int, ok: bool) -> None:
        """3 of 5 is enough, 2 of 5 is not; all of fewer than 3 is; never more than qualified."""
        case = b.in_tendering()
        at = b.day(76)
        codes = unmet(case, "invite-candidates", at, qualified=qualified, invited=invited)
        assert ("minimum-candidates" not in codes) is ok

    @pytest.mark.parametrize(
        ("low", "high", "invited", "ok"),
        [(3, 4, 4, True), (3, 4, 5, False), (4, None, 4, True), (4, None, 3, False)],
    )
    def test_announced_limits(self, low: int, high: int | None, invited: int, ok: bool) -> None:
        """Version 2: never above the announced maximum nor below the announced minimum."""
        saved = b.VERSION
        b.VERSION = 2
        try:
            case = b.in_market_dialogue()
            notice = b.notice(min_candidates=low)
            if high is not None:
                notice["max_candidates"] = high
            case.apply("publish-notice", at=SENT, by=b.PM, **notice)
        finally:
            b.VERSION = saved
        codes = unmet(case, "invite-candidates", b.day(76), qualified=6, invited=invited)
        assert ("minimum-candidates" not in codes) is ok

    @pytest.mark.parametrize(
        ("low", "high", "ok"), [(3, None, True), (2, None, False), (3, 3, True), (4, 3, False)]
    )
    def test_limit_announced(self, low: int, high: int | None, ok: bool) -> None:
        """Version 2: the announced minimum is at least 3, and a maximum is not below it."""
        saved = b.VERSION
        b.VERSION = 2
        try:
            case = b.in_market_dialogue()
        finally:
            b.VERSION = saved
        notice = b.notice(min_candidates=low)
        if high is not None:
            notice["max_candidates"] = high
        assert (
            "candidate-limit-announced" not in unmet(case, "publish-notice", SENT, **notice)
        ) is ok


class TestClimateWeight:
    """Version 2, FOA § 7-9: at least 30 % from notices sent on 1 January 2024."""

    def case(self, **documents: Any) -> Case:
        saved = b.VERSION
        b.VERSION = 2
        try:
            return b.in_market_dialogue(**documents)
        finally:
            b.VERSION = saved

    @pytest.mark.parametrize(("weight", "ok"), [(30, True), (29, False), (31, True), (0, False)])
    def test_weight(self, weight: int, ok: bool) -> None:
        """30 % is enough, 29 % is not."""
        case = self.case(environment_weight=weight)
        assert (
            "climate-environment" not in unmet(case, "publish-notice", SENT, **b.notice())
        ) is ok

    @pytest.mark.parametrize(
        ("sent", "applies"),
        [
            (datetime(2024, 1, 1, 0, 0, tzinfo=OSLO), True),
            (datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=OSLO), False),
            (datetime(2023, 12, 31, 23, 0, tzinfo=timezone.utc), True),  # 00:00 in Oslo
            (datetime(2023, 12, 31, 22, 59, 59, 999999, tzinfo=timezone.utc), False),
        ],
    )
    def test_from_1_january_2024_in_oslo(self, sent: datetime, applies: bool) -> None:
        """The rule applies to notices sent from midnight 1 January 2024, Oslo time."""
        case = self.case(environment_weight=29)
        # An early case: the steps before must not be later than the notice.
        case = innoproc.loads(
            innoproc.dumps(case).replace("2024-02-", "2023-11-").replace("2024-01-", "2023-10-")
        )
        notice = b.notice(notice_sent=sent, request_deadline=sent + timedelta(days=60))
        codes = unmet(case, "publish-notice", sent, **notice)
        assert ("climate-environment" in codes) is applies


class TestNoticeDates:
    """Version 2: the notice is sent no later than the step, no earlier than the stage, and
    the time limit is still open."""

    def case(self) -> Case:
        saved = b.VERSION
        b.VERSION = 2
        try:
            return b.in_market_dialogue()
        finally:
            b.VERSION = saved

    @pytest.mark.parametrize(
        ("sent", "ok"),
        [(SENT, True), (SENT + US, False), (b.day(2), True), (b.day(2) - US, False)],
        ids=["at-the-step", "after-the-step", "at-the-stage", "before-the-stage"],
    )
    def test_sent(self, sent: datetime, ok: bool) -> None:
        """Sent exactly at the step, or exactly when the case reached its stage, is fine."""
        notice = b.notice(notice_sent=sent, request_deadline=sent + timedelta(days=60))
        assert ("notice-dates" not in unmet(self.case(), "publish-notice", SENT, **notice)) is ok

    @pytest.mark.parametrize(("deadline", "ok"), [(SENT, False), (SENT + US, True)])
    def test_deadline_open(self, deadline: datetime, ok: bool) -> None:
        """A time limit at the very moment of the step has passed; a microsecond later is open."""
        notice = b.notice(request_deadline=deadline)
        assert ("notice-dates" not in unmet(self.case(), "publish-notice", SENT, **notice)) is ok


class TestDocumentValues:
    """Version 2: the estimated values are above zero; there is at least one phase."""

    @pytest.mark.parametrize(
        ("changes", "ok"),
        [
            ({"max_rd_value": Decimal("0")}, False),
            ({"max_rd_value": Decimal("0.000001")}, True),
            ({"estimated_purchase_value": Decimal("0")}, False),
            ({"estimated_purchase_value": Decimal("-1")}, False),
        ],
    )
    def test_values(self, changes: dict[str, Any], ok: bool) -> None:
        """Version 2: zero is not a value; a millionth of a krone is."""
        saved = b.VERSION
        b.VERSION = 2
        try:
            case = b.in_market_dialogue(**changes)
        finally:
            b.VERSION = saved
        codes = unmet(case, "publish-notice", SENT, **b.notice())
        assert ("documents-complete" not in codes) is ok

    @pytest.mark.parametrize(("phases", "ok"), [(0, False), (1, True), (-1, False)])
    def test_phases(self, version: int, phases: int, ok: bool) -> None:
        """One development phase is enough, none is not."""
        case = b.in_market_dialogue(phases=phases)
        codes = unmet(case, "publish-notice", SENT, **b.notice())
        assert ("documents-complete" not in codes) is ok


class TestPhases:
    """A next phase only if the documents provide for it."""

    @pytest.mark.parametrize(("planned", "ok"), [(2, True), (1, False), (3, True)])
    def test_phases_remaining(self, version: int, planned: int, ok: bool) -> None:
        """In phase 1 of 2 a next phase may start; in phase 1 of 1 it may not."""
        case = b.evaluated(b.in_development(phases=planned), 1)
        assert ("phases-remaining" not in unmet(case, "start-next-phase", b.day(210))) is ok

    @pytest.mark.parametrize(("planned", "ok"), [(2, True), (3, False)])
    def test_purchase_after_the_last_phase(self, version: int, planned: int, ok: bool) -> None:
        """The purchase comes after the last planned phase, not before."""
        case = b.evaluated(b.in_development(phases=planned), 1)
        case.apply("start-next-phase", at=b.day(210), by=b.PM)
        b.evaluated(case, 2, at=300)
        codes = unmet(case, "purchase", b.day(320), price=Decimal(1), performance_levels_met=True)
        assert ("development-completed" not in codes) is ok


class TestStagedReduction:
    """Version 2, art. 31(5) and 66: a reduction leaves at least two tenders."""

    @pytest.mark.parametrize(("before", "after", "ok"), [(3, 2, True), (2, 1, False), (1, 1, True)])
    def test_left_for_competition(self, before: int, after: int, ok: bool) -> None:
        """From 3 to 2 is fine; from 2 to 1 leaves no competition; 1 to 1 reduces nothing."""
        saved = b.VERSION
        b.VERSION = 2
        try:
            case = b.in_market_dialogue()
            case.apply("publish-notice", at=SENT, by=b.PM, **b.notice(staged_reduction=True))
        finally:
            b.VERSION = saved
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=5, invited=3)
        case.record(
            "negotiation-round",
            at=b.day(90),
            by=b.PM,
            round=1,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
            tenders_before=before,
            tenders_after=after,
            reduced_by_award_criteria=True,
        )
        assert ("staged-reduction" not in unmet(case, "call-final-tenders", b.day(100))) is ok


# -- pre-commercial procurement -----------------------------------------------------------------

PCP_CALL: dict[str, Any] = {k: v for k, v in b.PCP_CALL_V2.items() if k != "rd_share"}


def pcp(version: int, **call: Any) -> Case:
    case = innoproc.open_case(
        innoproc.procedure("pre-commercial-procurement", version), reference="P", authority="A"
    )
    case.record("need-description", at=b.day(1), by=b.PM, summary="x", functional=True)
    case.record("market-dialogue-outcome", at=b.day(2), by=b.PM, solution_available=False)
    fields = {**PCP_CALL, **call}
    if version == 2:
        fields.setdefault("rd_share", 80)
    case.record("pcp-call-documents", at=b.day(3), by=b.PM, **fields)
    return case


class TestPCP:
    @pytest.mark.parametrize(("share", "ok"), [(51, True), (50, False), (100, True), (0, False)])
    def test_rd_main_element(self, share: int, ok: bool) -> None:
        """Version 2: R&D must be more than 50 % of the value: 51 % is, 50 % is not."""
        case = pcp(2, rd_share=share)
        codes = unmet(case, "publish-call", b.day(4), tender_deadline=b.day(50))
        assert ("rd-services-only" not in codes) is ok

    @pytest.mark.parametrize(
        ("code", "ok"),
        [
            ("73000000-2", True),
            ("72999999-9", False),
            ("73120000-9", True),
            ("73120001-6", False),
            ("73300000-5", True),
            ("73300001-2", False),
            ("73420000-2", True),
            ("73430000-5", True),
        ],
    )
    def test_rd_cpv_range(self, code: str, ok: bool) -> None:
        """Art. 14's range 73000000-73120000 and the three single codes, ends included."""
        from innoproc._procedures.pcp import is_rd_cpv

        assert is_rd_cpv(code) is ok
        codes = unmet(
            pcp(1, cpv_codes=(code,)), "publish-call", b.day(4), tender_deadline=b.day(50)
        )
        assert ("rd-services-only" not in codes) is ok

    @pytest.mark.parametrize("version", [1, 2])
    @pytest.mark.parametrize(("delta", "ok"), [(timedelta(0), True), (-US, False)])
    def test_tenders_closed(self, version: int, delta: timedelta, ok: bool) -> None:
        """Phase 1 may be awarded at the tender deadline, not a microsecond before."""
        case = pcp(version)
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        codes = unmet(case, "award-phase-1", b.day(50) + delta, suppliers=("A", "B"))
        assert ("tenders-closed" not in codes) is ok

    @pytest.mark.parametrize("version", [1, 2])
    @pytest.mark.parametrize(("suppliers", "ok"), [(("A", "B"), True), (("A",), False)])
    def test_minimum_suppliers(self, version: int, suppliers: tuple[str, ...], ok: bool) -> None:
        """Two suppliers keep competition, one does not (version 1 refuses, version 2 advises)."""
        case = pcp(version)
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        assessment = case.check("award-phase-1", at=b.day(51), suppliers=suppliers)
        found = {f.code for f in (assessment.unmet if version == 1 else assessment.advice)}
        assert ("competition-kept" not in found) is ok

    @pytest.mark.parametrize(
        ("day", "framework"),
        [(date(2022, 10, 18), "2014/C 198/01"), (date(2022, 10, 19), "2022/C 414/01")],
    )
    def test_framework_in_force(self, day: date, framework: str) -> None:
        """The 2022 framework is cited from 19 October 2022, the 2014 one until the day before."""
        case = pcp(2, market_price=False)
        at = datetime.combine(day, datetime.min.time(), tzinfo=OSLO)
        found = case.check("publish-call", at=at, tender_deadline=at + timedelta(days=40))
        (finding,) = [f for f in found.unmet if f.code == "no-state-aid"]
        assert framework in str(finding.source)


# -- schemes and the triple diamond -----------------------------------------------------------

IN_2020 = "innovation-norway-partnership-2020"


def application(
    scheme: str = IN_2020, at: datetime | None = None, kind: str = "municipality"
) -> Case:
    return innoproc.open_application(
        scheme,
        reference="A-1",
        applicant="Bodø kommune",
        kind=kind,
        publicly_funded=True,
        public_tasks=True,
        procurement_rules=True,
        at=at or datetime(2020, 4, 1, 9, tzinfo=OSLO),
        by="Clerk",
    )


class TestSchemes:
    @pytest.mark.parametrize(("delta", "ok"), [(timedelta(0), True), (US, False), (-US, True)])
    def test_submitted_at_the_deadline(self, delta: timedelta, ok: bool) -> None:
        """16 April 2020 17:00 Oslo is in time; a microsecond later is late."""
        deadline = datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)
        assert innoproc.schemes()[IN_2020].round().deadline == deadline
        codes = unmet(application(), "submit", deadline + delta)
        assert ("submitted-in-time" not in codes) is ok

    def assessed(self, score: int) -> Case:
        at = datetime(2017, 3, 1, 9, tzinfo=OSLO)
        app = application("municipal-innovation-fund", at, "municipal-unit")
        app.apply("submit", at=at, by="Clerk")
        app.apply("confirm-eligibility", at=at, by="Officer")
        app.record("criteria-assessment", at=at, by="Panel", service_development=score)
        return app

    @pytest.mark.parametrize(("score", "ok"), [(0, True), (5, True), (-1, False), (6, False)])
    def test_scores_from_0_to_5(self, score: int, ok: bool) -> None:
        """Scores 0 and 5 are allowed; -1 and 6 are not."""
        at = datetime(2017, 3, 1, 9, tzinfo=OSLO)
        assert ("criteria-scored" not in unmet(self.assessed(score), "assess", at)) is ok

    @pytest.mark.parametrize(
        ("amount", "ok"),
        [(Decimal("0.000001"), True), (Decimal(0), False), (Decimal(-1), False), (1, True)],
    )
    def test_grant_amount(self, amount: Decimal, ok: bool) -> None:
        """A grant is above zero: a millionth of a krone is, zero is not."""
        at = datetime(2017, 3, 1, 9, tzinfo=OSLO)
        app = self.assessed(3)
        app.apply("assess", at=at, by="Panel")
        assert ("grant-amount" not in unmet(app, "fund", at, amount=amount)) is ok

    @pytest.mark.parametrize(
        ("amount", "ok"),
        [(Decimal("2000000"), True), (Decimal("2000001"), False), (Decimal("2000000.01"), False)],
    )
    def test_budget_available(self, amount: Decimal, ok: bool) -> None:
        """The whole budget left (NOK 2,000,000) may be granted; 1 NOK (or 1 øre) more not."""
        at = datetime(2017, 3, 1, 9, tzinfo=OSLO)
        app = self.assessed(3)
        app.apply("assess", at=at, by="Panel")
        portfolio = innoproc.Portfolio("municipal-innovation-fund", [app])
        if ok:
            portfolio.fund(app, amount, at=at, by="Board")
            assert portfolio.budget_left == Decimal("2000000") - amount
        else:
            with pytest.raises(PreconditionFailed) as info:
                portfolio.fund(app, amount, at=at, by="Board")
            assert info.value.codes == ("budget-available",)
            assert app.state == "assessed"


class TestTripleDiamond:
    DEADLINE = datetime(2018, 3, 9, 23, 59, 59, 999999, tzinfo=OSLO)

    @pytest.mark.parametrize("version", [1, 2])
    @pytest.mark.parametrize(("delta", "ok"), [(timedelta(0), True), (US, False)])
    def test_proposal_at_the_deadline(self, version: int, delta: timedelta, ok: bool) -> None:
        """The last microsecond of 9 March 2018 is in time; the next is late."""
        case = innoproc.open_case(
            innoproc.procedure("triple-diamond", version), reference="S", authority="A"
        )
        payload = {"deadline": self.DEADLINE} if version == 1 else {"round": "2018-1"}
        codes = unmet(case, "submit-proposal", self.DEADLINE + delta, **payload)
        assert ("submitted-in-time" not in codes) is ok

    @pytest.mark.parametrize(
        ("participants", "concepts", "ok"), [(1, 1, True), (0, 1, False), (1, 0, False)]
    )
    def test_users_involved(self, participants: int, concepts: int, ok: bool) -> None:
        """One user and one concept tested are enough; none is not."""
        from test_triple_diamond import TestDiamonds, t

        with pytest.MonkeyPatch.context() as mp:
            import test_triple_diamond

            mp.setitem(test_triple_diamond.VERSION, "n", 2)
            case = TestDiamonds().full()
        case.record(
            "user-involvement",
            at=t(30),
            by="Owner",
            participants=participants,
            concepts_tested=concepts,
        )
        assert ("users-involved" not in unmet(case, "finish-explore-define", t(31))) is ok
