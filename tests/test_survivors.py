"""Tests that kill the meaningful survivors of a mutation-testing run (mutmut, by hand) over
the rule modules: each asserts a decision a rule makes that no other test pinned down,
mostly in version 2's corrections (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import _builders as b
import pytest

import innoproc
from innoproc import OSLO, Case, InvalidArgument, UnknownProcedure
from innoproc.rules import late


def codes(case: Case, event: str, at: datetime, **payload: Any) -> set[str]:
    """The codes of the blocking findings of ``event`` (nothing changes)."""
    return {f.code for f in case.check(event, at=at, **payload).unmet}


def finding(case: Case, event: str, code: str, at: datetime, **payload: Any) -> Any:
    found = [f for f in case.check(event, at=at, **payload).unmet if f.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def v2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Builders open cases under version 2."""
    monkeypatch.setattr(b, "VERSION", 2)
    yield


SENT = b.day(40)

# -- the registry ---------------------------------------------------------------------------------


class TestRegistry:
    def test_unknown_procedure_names_it_and_the_known_ones(self) -> None:
        """An unknown id is named, with every known id."""
        with pytest.raises(UnknownProcedure) as info:
            innoproc.procedure_versions("no-such-procedure")
        assert info.value.procedure_id == "no-such-procedure"
        assert "innovation-partnership" in info.value.known

    def test_unknown_version_names_the_versions(self) -> None:
        """An unknown version is named, with the versions there are."""
        with pytest.raises(UnknownProcedure) as info:
            innoproc.procedure("innovation-partnership", 7)
        assert (info.value.procedure_id, info.value.version) == ("innovation-partnership", 7)
        assert info.value.known == ("1", "2")

    @pytest.mark.parametrize("version", ["2", 2.0, True])
    def test_version_must_be_an_int(self, version: Any) -> None:
        """A version that is not an int is refused, naming the argument."""
        with pytest.raises(InvalidArgument) as info:
            innoproc.procedure("innovation-partnership", version)
        assert info.value.argument == "version"
        assert "'version' must be an int" in str(info.value)

    def test_an_id_that_is_not_text(self) -> None:
        """An id that is not text (not even hashable) is unknown, not a TypeError."""
        with pytest.raises(UnknownProcedure):
            innoproc.procedure_versions(["innovation-partnership"])  # type: ignore[arg-type]

    def test_latest_and_oldest(self) -> None:
        """Without a version, the latest; versions are listed oldest first."""
        assert innoproc.procedure("triple-diamond").version == 2
        assert [p.version for p in innoproc.procedure_versions("triple-diamond")] == [1, 2]
        assert innoproc._storage.builtin_procedure("triple-diamond", None).version == 2
        assert innoproc._storage.builtin_procedure("triple-diamond", 3) is None


# -- innovation partnership, version 2 ------------------------------------------------------------


@pytest.mark.usefixtures("v2")
class TestPartnershipV2:
    def test_one_partner_announced(self) -> None:
        """A notice announcing one partner allows one, not two; 'several' allows two."""
        one = b.in_market_dialogue()
        one.apply("publish-notice", at=SENT, by=b.PM, **b.notice(partners="one"))
        one.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=3, invited=3)
        one.record(
            "negotiation-round",
            at=b.day(90),
            by=b.PM,
            round=1,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
        )
        one.apply("call-final-tenders", at=b.day(100), by=b.PM)
        assert "partners" in codes(one, "award", b.day(120), **b.AWARD)
        single = {**b.AWARD, "partners": ("Nordlys Care AS",)}
        assert "partners" not in codes(one, "award", b.day(120), **single)
        several = b.in_final_tenders()
        assert "partners" not in codes(several, "award", b.day(120), **b.AWARD)

    @pytest.mark.parametrize(
        ("flag", "text"),
        [
            ("termination_foreseen", "termination_conditions"),
            ("partner_reduction_foreseen", "reduction_conditions"),
        ],
    )
    @pytest.mark.parametrize(
        ("foreseen", "conditions", "ok"),
        [
            (True, "After phase 1", True),
            (True, "  ", False),
            (True, None, False),
            (False, None, True),
        ],
    )
    def test_conditions_of_a_right_reserved(
        self, flag: str, text: str, foreseen: bool, conditions: str | None, ok: bool
    ) -> None:
        """A right reserved needs its conditions stated; a right not reserved needs none."""
        case = b.in_market_dialogue(**{flag: foreseen, text: conditions})
        assert ("documents-complete" not in codes(case, "publish-notice", SENT, **b.notice())) is ok

    def test_a_purchase_value_of_one_krone(self) -> None:
        """Any value above zero counts as stated."""
        case = b.in_market_dialogue(estimated_purchase_value=Decimal(1))
        assert "documents-complete" not in codes(case, "publish-notice", SENT, **b.notice())

    @pytest.mark.parametrize(
        ("changes", "ok"),
        [
            ({"environment_weight": 0, "environment_in_requirements": True}, True),
            ({"environment_weight": 0, "environment_insignificant": True}, True),
            ({"environment_weight": 0, "environment_in_requirements": False}, False),
            ({"environment_weight": 0, "environment_insignificant": False}, False),
        ],
    )
    def test_climate_alternatives(self, changes: dict[str, Any], ok: bool) -> None:
        """Requirements in the specification, or an insignificant footprint, replace the weight."""
        case = b.in_market_dialogue(**changes)
        assert (
            "climate-environment" not in codes(case, "publish-notice", SENT, **b.notice())
        ) is ok

    @pytest.mark.parametrize(
        ("limits", "ok"),
        [
            ({"max_candidates": 5}, False),
            ({"min_candidates": 3, "selection_criteria": "  "}, False),
            ({"min_candidates": 3, "selection_criteria": None}, False),
            ({"min_candidates": 3, "selection_criteria": "Experience"}, True),
        ],
    )
    def test_candidate_limit_needs_a_minimum_and_criteria(
        self, limits: dict[str, Any], ok: bool
    ) -> None:
        """A maximum alone, or a limit without criteria, is not an announced limit."""
        case = b.in_market_dialogue()
        notice = {**b.NOTICE_V1, "partners": "several", **limits}
        found = codes(case, "publish-notice", SENT, **notice)
        assert ("candidate-limit-announced" not in found) is ok

    def test_threshold_of_the_day_in_oslo(self) -> None:
        """The threshold is the one in force on the day in Oslo: 14 March 2024 00:30 Oslo
        (13 March 23:30 UTC) is under the new threshold of 2,300,000."""
        sent = datetime(2024, 3, 13, 23, 30, tzinfo=timezone.utc)
        case = b.in_market_dialogue(
            max_rd_value=Decimal("250000"), estimated_purchase_value=Decimal("2000000")
        )
        short = b.notice(notice_sent=sent, request_deadline=sent + timedelta(days=10))
        assert "request-time-limit" not in codes(case, "publish-notice", sent, **short)

    def test_unconfirmed_threshold_is_said(self) -> None:
        """Advice under a threshold whose figure is not confirmed says so; a confirmed one not."""
        case = b.in_market_dialogue(max_rd_value=Decimal(1), estimated_purchase_value=Decimal(1))
        short = b.notice(request_deadline=SENT + timedelta(days=10))
        (unconfirmed,) = [
            f
            for f in case.check("publish-notice", at=SENT, **short).advice
            if f.code == "request-time-limit"
        ]
        assert "confirmed" in unconfirmed.message()
        later = datetime(2024, 6, 3, 9, tzinfo=OSLO)
        early = innoproc.loads(
            innoproc.dumps(case).replace("2024-02-", "2024-05-").replace("2024-01-", "2024-04-")
        )
        short = b.notice(notice_sent=later, request_deadline=later + timedelta(days=10))
        (confirmed,) = [
            f
            for f in early.check("publish-notice", at=later, **short).advice
            if f.code == "request-time-limit"
        ]
        assert "confirmed" not in confirmed.message()

    def test_before_the_first_threshold_the_minimum_applies(self) -> None:
        """Before any known threshold (2015), a small procurement keeps the 30-day minimum."""
        case = b.in_market_dialogue(max_rd_value=Decimal(1), estimated_purchase_value=Decimal(1))
        case = innoproc.loads(
            innoproc.dumps(case).replace("2024-02-", "2015-02-").replace("2024-01-", "2015-01-")
        )
        sent = datetime(2015, 2, 17, 9, tzinfo=OSLO)
        short = b.notice(notice_sent=sent, request_deadline=sent + timedelta(days=10))
        assert "request-time-limit" in codes(case, "publish-notice", sent, **short)


def _rounds(case: Case, *rounds: dict[str, Any]) -> Case:
    for i, changes in enumerate(rounds):
        case.record(
            "negotiation-round",
            at=b.day(90 + i),
            by=b.PM,
            round=i + 1,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
            **changes,
        )
    return case


@pytest.mark.usefixtures("v2")
class TestStagedReduction:
    def negotiating(self, announced: bool) -> Case:
        case = b.in_market_dialogue()
        case.apply("publish-notice", at=SENT, by=b.PM, **b.notice(staged_reduction=announced))
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=5, invited=4)
        return case

    @pytest.mark.parametrize(
        ("announced", "by_criteria", "ok"),
        [(True, True, True), (False, True, False), (True, False, False), (True, None, False)],
    )
    def test_announced_and_by_the_award_criteria(
        self, announced: bool, by_criteria: bool | None, ok: bool
    ) -> None:
        """A reduction must be announced in the notice and apply the award criteria."""
        case = _rounds(
            self.negotiating(announced),
            {"tenders_before": 4, "tenders_after": 3, "reduced_by_award_criteria": by_criteria},
        )
        assert ("staged-reduction" not in codes(case, "call-final-tenders", b.day(100))) is ok

    def test_every_round_is_judged(self) -> None:
        """A round that reduced nothing, or gave no figures, does not hide a later bad one."""
        case = _rounds(
            self.negotiating(True),
            {"tenders_before": 4, "tenders_after": 4},
            {},
            {"tenders_before": 4, "tenders_after": 3, "reduced_by_award_criteria": False},
        )
        shortfall = finding(case, "call-final-tenders", "staged-reduction", b.day(100))
        assert "round 3" in shortfall.message() and "round 1" not in shortfall.message()
        assert shortfall.details["remaining"] == 3

    def test_a_round_with_one_figure_is_skipped(self) -> None:
        """A round giving only the tenders before (or after) is not judged."""
        case = _rounds(self.negotiating(False), {"tenders_before": 4}, {"tenders_after": 2})
        assert "staged-reduction" not in codes(case, "call-final-tenders", b.day(100))

    def test_more_tenders_after_is_no_reduction(self) -> None:
        """A round with more tenders after than before reduced nothing."""
        case = _rounds(self.negotiating(False), {"tenders_before": 3, "tenders_after": 4})
        assert "staged-reduction" not in codes(case, "call-final-tenders", b.day(100))


class TestNegotiationScope:
    def test_a_round_after_the_call_for_final_tenders(self) -> None:
        """A negotiation round after the call for final tenders negotiated the final tenders."""
        case = b.in_final_tenders()
        case.record(
            "negotiation-round",
            at=b.day(110),
            by=b.PM,
            round=2,
            changed_minimum_requirements=False,
            changed_award_criteria=False,
        )
        shortfall = finding(case, "award", "negotiation-scope", b.day(120), **b.AWARD)
        assert "round 2 negotiated the final tenders" in shortfall.message()

    @pytest.mark.parametrize(
        ("changes", "reannounce"),
        [
            ({"changed_award_criteria": True}, True),
            ({"changed_minimum_requirements": True}, True),
            ({"specification_changed": True, "all_informed": False}, False),
        ],
    )
    def test_what_to_do(self, changes: dict[str, Any], reannounce: bool) -> None:
        """Changed criteria or requirements: cancel and announce again; a specification
        changed without informing everyone: no such advice."""
        case = b.in_tendering()
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=5, invited=3)
        base = {"changed_minimum_requirements": False, "changed_award_criteria": False}
        case.record("negotiation-round", at=b.day(90), by=b.PM, round=4, **{**base, **changes})
        shortfall = finding(case, "call-final-tenders", "negotiation-scope", b.day(100))
        assert ("announce it again" in shortfall.message()) is reannounce
        assert "round 4" in shortfall.message()


class TestPartners:
    def test_a_second_reduction_counts_from_the_first(self) -> None:
        """After a reduction to one partner, no further reduction is possible."""
        case = b.evaluated(b.in_development(), 1)
        case.apply("reduce-partners", at=b.day(205), by=b.PM, remaining=("Nordlys Care AS",))
        found = codes(case, "reduce-partners", b.day(206), remaining=("Nordlys Care AS",))
        assert "partners-reduced" in found


class TestPartnershipMessages:
    @pytest.mark.parametrize("version", [1, 2])
    def test_documents_without_a_described_need(
        self, version: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Documents recorded before the need is described lack the need."""
        monkeypatch.setattr(b, "VERSION", version)
        case = b.new_case()
        case.record("procurement-documents", at=b.day(1), by=b.PM, **b.documents())
        rule = case.procedure.preconditions["documents-complete"]
        shortfall = rule.evaluate(_context(case, version))
        assert shortfall is not None and "the need" in shortfall.message()

    @pytest.mark.parametrize("version", [1, 2])
    def test_time_limit_messages(self, version: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """The message moves day 30 past a holiday in both languages, and says nothing of a
        move when there is none."""
        monkeypatch.setattr(b, "VERSION", version)
        case = b.in_market_dialogue()
        plain = finding(case, "publish-notice", "request-time-limit", SENT, **b.notice(
            request_deadline=SENT + timedelta(days=10)))  # fmt: skip
        assert "None" not in plain.message() and "None" not in plain.message("nb")
        assert not any(word in plain.message("nb") for word in ("helligdag", "virkedag"))
        sent = datetime(2024, 2, 27, 9, 0, tzinfo=OSLO)
        moved = finding(case, "publish-notice", "request-time-limit", sent, **b.notice(
            notice_sent=sent, request_deadline=sent + timedelta(days=10)))  # fmt: skip
        assert any(day in moved.message() for day in ("2024-03-28", "28 March 2024"))
        assert "None" not in moved.message("nb")
        assert any(word in moved.message("nb") for word in ("helligdag", "virkedag"))


def _context(case: Case, version: int) -> innoproc.Context:
    return innoproc.Context(
        procedure=innoproc.procedure("innovation-partnership", version),
        state=case.state,
        event="publish-notice",
        payload=b.notice(),
        at=SENT,
        facts=case.facts,
        history=case.history,
        details=case.details,
    )


# -- shared rules ---------------------------------------------------------------------------------


class TestSharedRules:
    def test_late_by_under_a_second_says_one_second(self) -> None:
        """Lateness under a second is shown as one second."""
        deadline = datetime(2024, 3, 1, 12, tzinfo=OSLO)
        shortfall = late(deadline + timedelta(milliseconds=400), deadline)
        assert shortfall is not None
        assert any(shown in shortfall.en for shown in ("0:00:01 late", "1 second late"))
        assert shortfall.details["late_by"] == timedelta(milliseconds=400)

    @pytest.mark.parametrize(
        ("first", "second", "ok"),
        [
            (("market-dialogue-outcome", True), ("market-analysis", False), True),
            (("market-analysis", False), ("market-dialogue-outcome", True), False),
            (("market-analysis", True), ("market-dialogue-outcome", False), True),
        ],
    )
    def test_the_latest_examination_of_the_market_counts(
        self, v2: None, first: tuple[str, bool], second: tuple[str, bool], ok: bool
    ) -> None:
        """Version 2: of a market dialogue and a market analysis, the later one decides."""
        case = b.in_market_dialogue()
        for i, (fact, available) in enumerate((first, second)):
            extra = {"method": "RFI"} if fact == "market-analysis" else {}
            case.record(fact, at=b.day(34 + i), by=b.PM, solution_available=available, **extra)
        assert ("no-market-solution" not in codes(case, "publish-notice", SENT, **b.notice())) is ok

    @pytest.mark.parametrize("version", [1, 2])
    def test_what_the_market_dialogue_found_is_quoted(
        self, version: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A summary of what was found is quoted in both languages; none, nothing quoted."""
        monkeypatch.setattr(b, "VERSION", version)
        case = b.in_market_dialogue()
        case.record("market-dialogue-outcome", at=b.day(34), by=b.PM, solution_available=True)
        bare = finding(case, "publish-notice", "no-market-solution", SENT, **b.notice())
        assert "found:" not in bare.message() and "fant:" not in bare.message("nb")
        case.record(
            "market-dialogue-outcome",
            at=b.day(35),
            by=b.PM,
            solution_available=True,
            summary="Acme sells it",
        )
        quoted = finding(case, "publish-notice", "no-market-solution", SENT, **b.notice())
        assert "Acme sells it" in quoted.message() and "Acme sells it" in quoted.message("nb")


# -- pre-commercial procurement, version 2 ------------------------------------------------------

CALL: dict[str, Any] = b.PCP_CALL_V2


def pcp(**call: Any) -> Case:
    case = innoproc.open_case(
        innoproc.procedure("pre-commercial-procurement", 2), reference="P", authority="A"
    )
    case.record("need-description", at=b.day(1), by=b.PM, summary="x", functional=True)
    case.record("market-dialogue-outcome", at=b.day(2), by=b.PM, solution_available=False)
    case.record("pcp-call-documents", at=b.day(3), by=b.PM, **{**CALL, **call})
    return case


def pcp_v1(**call: Any) -> Case:
    case = innoproc.open_case(
        innoproc.procedure("pre-commercial-procurement", 1), reference="P", authority="A"
    )
    case.record("need-description", at=b.day(1), by=b.PM, summary="x", functional=True)
    case.record("market-dialogue-outcome", at=b.day(2), by=b.PM, solution_available=False)
    fields = {k: v for k, v in {**CALL, **call}.items() if k not in ("rd_share",)}
    case.record("pcp-call-documents", at=b.day(3), by=b.PM, **fields)
    return case


def publish(case: Case) -> set[str]:
    return codes(case, "publish-call", b.day(4), tender_deadline=b.day(50))


class TestPCPV2:
    @pytest.mark.parametrize(
        ("call", "ok"),
        [
            ({"benefits_exclusive_to_procurer": True, "procurer_pays_in_full": True}, False),
            ({"benefits_exclusive_to_procurer": True, "procurer_pays_in_full": False}, True),
            ({"cpv_codes": ("48000000-8", "73110000-6")}, True),
            ({"cpv_codes": ("48000000-8",)}, False),
            ({"cpv_codes": ()}, False),
        ],
    )
    def test_rd_services(self, call: dict[str, Any], ok: bool) -> None:
        """Art. 14: not both exclusive benefits and full payment; one R&D code is enough."""
        assert ("rd-services-only" not in publish(pcp(**call))) is ok

    @pytest.mark.parametrize(
        ("version", "cpv", "listed"),
        [(2, (), "given: none"), (2, ("48000000-8",), "given: 48000000-8"),
         (1, ("48000000-8",), "R&D services: 48000000-8")],
    )  # fmt: skip
    def test_the_codes_are_listed(self, version: int, cpv: tuple[str, ...], listed: str) -> None:
        """The finding lists the codes given (or says none were)."""
        case = pcp(cpv_codes=cpv) if version == 2 else pcp_v1(cpv_codes=cpv)
        at = b.day(4)
        shortfall = finding(case, "publish-call", "rd-services-only", at, tender_deadline=b.day(50))
        assert listed in shortfall.message()

    @pytest.mark.parametrize(
        ("call", "ok"),
        [
            ({"procurer_free_use_rights": False}, False),
            ({"third_party_licences": False}, False),
            ({"third_party_licences": None}, False),
            ({"ipr_stays_with_suppliers": False, "results_disseminated": True}, True),
            ({"ipr_stays_with_suppliers": False, "results_disseminated": False}, False),
            ({"ipr_stays_with_suppliers": False, "third_party_licences": False,
              "results_disseminated": True}, True),
            ({"evaluation_criteria": ()}, False),
            ({"market_price": False}, False),
            ({"no_preferential_follow_on": False}, False),
        ],
    )  # fmt: skip
    def test_no_state_aid(self, call: dict[str, Any], ok: bool) -> None:
        """Point 33: IPR with the suppliers and access for procurer and third parties, or all
        IPR to the procurer with the results disseminated; criteria set in advance."""
        assert ("no-state-aid" not in publish(pcp(**call))) is ok

    @pytest.mark.parametrize(("day", "verified"), [(datetime(2022, 10, 19), False),
                                                    (datetime(2022, 10, 18), True)])  # fmt: skip
    def test_the_2022_framework_is_cited_as_unconfirmed(
        self, day: datetime, verified: bool
    ) -> None:
        """The 2022 framework's point number is not confirmed: its citation says so."""
        at = day.replace(tzinfo=OSLO)
        case = pcp(market_price=False)
        shortfall = finding(
            case, "publish-call", "no-state-aid", at, tender_deadline=at + timedelta(days=40)
        )
        assert shortfall.source.verified is verified
        assert ("point 33" in str(shortfall.source)) is verified
        assert ("section 2.3" in str(shortfall.source)) is not verified
        assert len(shortfall.details["problems"]) == 1  # the market price, said once

    def phase_1(self, suppliers: tuple[str, ...]) -> Case:
        case = pcp()
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        case.apply("award-phase-1", at=b.day(51), by=b.PM, suppliers=suppliers)
        return case

    @pytest.mark.parametrize(
        ("suppliers", "ok"),
        [(("A", "B"), True), (("A",), True), (("A", "A"), False), ((), False), (("A", "C"), False)],
    )
    def test_suppliers_from_the_previous_phase(self, suppliers: tuple[str, ...], ok: bool) -> None:
        """Version 2: each named once, at least one, all from the previous phase."""
        case = self.phase_1(("A", "B"))
        found = codes(
            case, "start-prototyping", b.day(140), suppliers=suppliers, by_published_evaluation=True
        )
        assert ("suppliers-from-previous-phase" not in found) is ok
        if suppliers == ("A", "C"):
            shortfall = finding(
                case, "start-prototyping", "suppliers-from-previous-phase", b.day(140),
                suppliers=suppliers, by_published_evaluation=True,
            )  # fmt: skip
            assert "not in the previous phase: C" in shortfall.message()

    def test_phase_1_is_awarded_to_anyone(self) -> None:
        """Phase 1 has no previous phase: any distinct suppliers may be awarded it."""
        case = pcp()
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        found = codes(case, "award-phase-1", b.day(51), suppliers=("X", "Y"))
        assert "suppliers-from-previous-phase" not in found


# -- schemes ------------------------------------------------------------------------------------


class TestSchemeModel:
    def test_a_round_deadline_must_be_aware(self) -> None:
        """A naive round deadline is refused, naming 'deadline'."""
        with pytest.raises(innoproc.NaiveDatetimeError) as info:
            innoproc.Round("r", datetime(2024, 1, 1))
        assert info.value.argument == "deadline"

    def test_unknown_applicant_kind_is_named(self) -> None:
        """An unknown applicant kind is named in the error."""
        with pytest.raises(innoproc.InvalidDefinition) as info:
            innoproc.Eligibility(("martians",), innoproc.Source("x"))
        assert info.value.culprit == "martians" and "martians" in str(info.value)

    def test_unknown_round_is_named(self) -> None:
        """An unknown round is named in the error."""
        scheme = innoproc.schemes()["innovation-norway-partnership-2020"]
        with pytest.raises(innoproc.InvalidDefinition) as info:
            scheme.round("2099")
        assert info.value.culprit == "2099" and "2099" in str(info.value)

    def test_score_skips_what_is_not_scored(self) -> None:
        """Must criteria and missing scores add nothing to the weighed score."""
        scheme = innoproc.schemes()["stimulab-2018"]
        assert scheme.score({"user_need": True}) == 0
        assert scheme.score({"user_need": True, "societal_benefit": 3}) == 3
