"""Pre-commercial procurement, version 1 (frozen): every precondition met and unmet, and full
paths. Version 2's corrections are tested in tests/test_law_in_force.py."""

from __future__ import annotations

from typing import Any

import pytest
from _builders import day

import innoproc
from innoproc import PreconditionFailed
from innoproc._procedures.pcp import is_rd_cpv, pre_commercial_procurement

PCP = innoproc.procedure("pre-commercial-procurement", 1)
LEAD = "PCP lead"
CALL: dict[str, Any] = {
    "cpv_codes": ("73110000-6",),
    "benefits_exclusive_to_procurer": False,
    "procurer_pays_in_full": True,
    "ipr_stays_with_suppliers": True,
    "procurer_free_use_rights": True,
    "open_transparent_selection": True,
    "terms_published_in_advance": True,
    "no_preferential_follow_on": True,
    "market_price": True,
    "evaluation_criteria": ("Value 60 %", "Price 40 %"),
}
SIX = ("A AS", "B AS", "C AS", "D AS", "E AS", "F AS")


def prepared(procedure: innoproc.Procedure = PCP, **call: Any) -> innoproc.Case:
    case = innoproc.open_case(procedure, reference="PCP-1", authority="Helse Vest")
    case.record("need-description", at=day(1), by=LEAD, summary="x", functional=True)
    case.record("market-dialogue-outcome", at=day(2), by=LEAD, solution_available=False)
    case.record("pcp-call-documents", at=day(3), by=LEAD, **{**CALL, **call})
    return case


def called(**call: Any) -> innoproc.Case:
    case = prepared(**call)
    case.apply("publish-call", at=day(4), by=LEAD, tender_deadline=day(50))
    return case


def in_phase(n: int, procedure: innoproc.Procedure = PCP) -> innoproc.Case:
    case = prepared(procedure)
    case.apply("publish-call", at=day(4), by=LEAD, tender_deadline=day(50))
    case.apply("award-phase-1", at=day(51), by=LEAD, suppliers=SIX)
    if n >= 2:
        case.apply(
            "start-prototyping",
            at=day(140),
            by=LEAD,
            suppliers=SIX[:4],
            by_published_evaluation=True,
        )
    if n >= 3:
        case.apply(
            "start-original-development",
            at=day(300),
            by=LEAD,
            suppliers=SIX[:2],
            by_published_evaluation=True,
        )
    return case


def codes(case: innoproc.Case, event: str, at: Any = None, **payload: Any) -> set[str]:
    before = innoproc.dumps(case)
    with pytest.raises(PreconditionFailed) as info:
        case.apply(event, at=at or day(900), by=LEAD, **payload)
    assert innoproc.dumps(case) == before
    return set(info.value.codes)


class TestDeclaration:
    def test_domain_codes(self) -> None:
        """The stable codes of DOMAIN.md section 2 are used."""
        assert {
            "no-market-solution",
            "rd-services-only",
            "ipr-risk-benefit-sharing",
            "no-state-aid",
            "competition-kept",
            "phase-evaluation",
            "volume-needs-new-procurement",
            "evaluation-set-in-advance",
        } <= set(PCP.preconditions)

    def test_shared_rules_are_one_object(self) -> None:
        """No market solution is the same precondition object as the partnership's."""
        ip = innoproc.procedure("innovation-partnership", 1)
        assert PCP.preconditions["no-market-solution"] is ip.preconditions["no-market-solution"]
        assert PCP.preconditions["no-market-solution"] is innoproc.rules.NO_MARKET_SOLUTION

    def test_phases(self) -> None:
        """Phase 0, the call, phases 1-3 and the end states."""
        assert list(PCP.states) == [
            "preparation",
            "call-for-tenders",
            "solution-design",
            "prototyping",
            "original-development",
            "completed",
            "terminated",
            "cancelled",
        ]

    @pytest.mark.parametrize(
        ("code", "ok"),
        [
            ("73000000-2", True),
            ("73110000-6", True),
            ("73120000-9", True),
            ("73200000-4", False),
            ("73300000-5", True),
            ("73420000-2", True),
            ("73430000-5", True),
            ("48000000-8", False),
            ("7311000", False),
        ],
    )
    def test_rd_cpv(self, code: str, ok: bool) -> None:
        """The R&D services of art. 14 by CPV code."""
        assert is_rd_cpv(code) is ok


class TestPublishCall:
    def test_all_met(self) -> None:
        """A complete call is published."""
        assert called().state == "call-for-tenders"

    def test_no_need_and_market_solution(self) -> None:
        """The shared rules apply to PCP too."""
        case = innoproc.open_case(PCP, reference="x", authority="y")
        case.record("market-dialogue-outcome", at=day(2), by=LEAD, solution_available=True)
        got = codes(case, "publish-call", tender_deadline=day(50))
        assert {"need-described", "no-market-solution", "rd-services-only"} <= got

    @pytest.mark.parametrize(
        "call",
        [
            {"cpv_codes": ("48000000-8",)},
            {"cpv_codes": ()},
            {"benefits_exclusive_to_procurer": True, "procurer_pays_in_full": True},
        ],
    )
    def test_rd_services_only(self, call: dict[str, Any]) -> None:
        """Non-R&D services, or exclusive benefit with full payment, fall outside art. 14."""
        assert codes(prepared(**call), "publish-call", tender_deadline=day(50)) == {
            "rd-services-only"
        }

    def test_exclusive_benefit_alone_is_fine(self) -> None:
        """Exclusive benefit without full payment keeps the exemption."""
        case = prepared(benefits_exclusive_to_procurer=True, procurer_pays_in_full=False)
        assert case.check("publish-call", at=day(4), tender_deadline=day(50)).ok

    @pytest.mark.parametrize(
        "call",
        [
            {"ipr_stays_with_suppliers": False},
            {"procurer_free_use_rights": False},
        ],
    )
    def test_ipr_sharing(self, call: dict[str, Any]) -> None:
        """Suppliers keep IPR and the procurer gets free use rights."""
        got = codes(prepared(**call), "publish-call", tender_deadline=day(50))
        assert got == {"ipr-risk-benefit-sharing"}

    def test_terms_not_published(self) -> None:
        """Unpublished terms break both IPR sharing and the state-aid conditions."""
        got = codes(
            prepared(terms_published_in_advance=False), "publish-call", tender_deadline=day(50)
        )
        assert got == {"ipr-risk-benefit-sharing", "no-state-aid"}

    @pytest.mark.parametrize(
        "field", ["open_transparent_selection", "no_preferential_follow_on", "market_price"]
    )
    def test_state_aid(self, field: str) -> None:
        """Each state-aid condition of point 33 is checked and named."""
        case = prepared(**{field: False})
        assert codes(case, "publish-call", tender_deadline=day(50)) == {"no-state-aid"}
        finding = case.check("publish-call", at=day(4), tender_deadline=day(50)).unmet[0]
        assert len(finding.details["problems"]) == 1

    def test_evaluation_in_advance(self) -> None:
        """The call must say how suppliers will be evaluated."""
        got = codes(prepared(evaluation_criteria=()), "publish-call", tender_deadline=day(50))
        assert got == {"evaluation-set-in-advance"}

    def test_no_call_documents(self) -> None:
        """Without the call documents every rule that reads them is unmet."""
        case = innoproc.open_case(PCP, reference="x", authority="y")
        case.record("need-description", at=day(1), by=LEAD, summary="x", functional=True)
        case.record("market-dialogue-outcome", at=day(2), by=LEAD, solution_available=False)
        assert codes(case, "publish-call", tender_deadline=day(50)) == {
            "rd-services-only",
            "ipr-risk-benefit-sharing",
            "no-state-aid",
            "evaluation-set-in-advance",
        }


class TestPhases:
    def test_award_after_deadline(self) -> None:
        """Phase 1 contracts are awarded only after the tender deadline."""
        got = codes(called(), "award-phase-1", at=day(20), suppliers=SIX)
        assert got == {"tenders-closed"}

    def test_minimum_two(self) -> None:
        """One supplier is not a competition (default minimum 2)."""
        got = codes(called(), "award-phase-1", at=day(51), suppliers=("A AS",))
        assert got == {"competition-kept"}

    def test_parameter(self) -> None:
        """The minimum per phase is a parameter."""
        strict = pre_commercial_procurement(min_suppliers=3, version=1)
        case = in_phase(1, strict)
        got = codes(case, "start-prototyping", suppliers=SIX[:2], by_published_evaluation=True)
        assert got == {"competition-kept"}
        assert "at least 3" in strict.preconditions["competition-kept"].rule.get("en")
        with pytest.raises(ValueError):
            pre_commercial_procurement(min_suppliers=0)

    def test_down_selection(self) -> None:
        """8 -> 4 -> 2 style down-selection goes through all phases."""
        case = in_phase(3)
        case.apply("complete", at=day(600), by=LEAD, by_published_evaluation=True)
        assert case.state == "completed"

    def test_number_never_rises(self) -> None:
        """A supplier not in the previous phase cannot join."""
        case = in_phase(2)
        got = codes(
            case,
            "start-original-development",
            suppliers=("A AS", "Z AS"),
            by_published_evaluation=True,
        )
        assert got == {"competition-kept"}

    def test_duplicate_supplier(self) -> None:
        """The same supplier twice does not make two."""
        got = codes(
            in_phase(2),
            "start-original-development",
            suppliers=("A AS", "A AS"),
            by_published_evaluation=True,
        )
        assert got == {"competition-kept"}

    def test_evaluation_published(self) -> None:
        """Down-selection must follow the published evaluation."""
        got = codes(
            in_phase(1), "start-prototyping", suppliers=SIX[:3], by_published_evaluation=False
        )
        assert got == {"phase-evaluation"}

    def test_terminate(self) -> None:
        """R&D can be terminated during a phase."""
        case = in_phase(2)
        case.apply("terminate", at=day(200), by=LEAD, reason="No viable solution")
        assert case.state == "terminated"


class TestVolumes:
    @pytest.mark.parametrize("n", [1, 3])
    def test_refused_everywhere(self, n: int) -> None:
        """Buying commercial volumes is refused with a pointer to a separate procurement."""
        case = in_phase(n)
        assert codes(case, "buy-commercial-volumes") == {"volume-needs-new-procurement"}
        finding = case.check("buy-commercial-volumes", at=day(900)).unmet[0]
        assert "separate procurement" in finding.message()
        assert "innovasjonspartnerskap" in finding.message("nb")

    def test_refused_when_completed(self) -> None:
        """Even a completed PCP explains why it cannot buy volumes."""
        case = in_phase(3)
        case.apply("complete", at=day(600), by=LEAD, by_published_evaluation=True)
        assert codes(case, "buy-commercial-volumes") == {"volume-needs-new-procurement"}

    def test_follow_on(self) -> None:
        """A linked follow-on case is opened and the link recorded on the PCP case."""
        case = in_phase(3)
        case.apply("complete", at=day(600), by=LEAD, by_published_evaluation=True)
        ppi = innoproc.open_follow_on(case, reference="IP-1", at=day(610), by=LEAD)
        assert ppi.procedure_id == "innovation-partnership"
        assert ppi.authority == case.authority
        assert list(ppi.details["related_processes"]) == [
            {
                "relationship": "planning",
                "procedure": "pre-commercial-procurement",
                "reference": "PCP-1",
            }
        ]
        assert case.facts["follow-on-procurement"].get("reference") == "IP-1"
        assert innoproc.dumps(innoproc.loads(innoproc.dumps(case))) == innoproc.dumps(case)

    def test_follow_on_needs_the_fact(self) -> None:
        """A procedure that cannot record the link refuses to open a follow-on."""
        ip = innoproc.open_case("innovation-partnership", reference="x", authority="y")
        with pytest.raises(innoproc.UnknownFact):
            innoproc.open_follow_on(ip, reference="z", at=day(1), by=LEAD)

    def test_follow_on_out_of_order_changes_nothing(self) -> None:
        """A follow-on dated before the PCP's last entry is refused; the PCP is unchanged."""
        case = in_phase(1)
        before = innoproc.dumps(case)
        with pytest.raises(innoproc.ChronologyError):
            innoproc.open_follow_on(case, reference="IP-1", at=day(0), by=LEAD)
        assert innoproc.dumps(case) == before
