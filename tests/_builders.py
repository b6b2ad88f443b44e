"""Builders of innovation partnership cases at each state, with every fact in order.

``VERSION`` chooses the version of the procedure the builders open cases under (the latest
when ``None``); a test module parametrises it to run its tests under every version.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import innoproc
from innoproc import Case

T0 = datetime(2024, 1, 8, 9, 0, tzinfo=innoproc.OSLO)
PM = "Procurement manager"

#: The version of the innovation partnership the builders use (``None``: the latest).
VERSION: int | None = None

#: The procurement documents as version 1 asked for them.
DOCUMENTS_V1: dict[str, Any] = {
    "minimum_requirements": ("Works offline for 12 hours",),
    "award_criteria": ("Quality 60 %", "Price 40 %"),
    "ipr_arrangements": True,
    "rd_capacity_criteria": True,
    "negotiation_rules": True,
    "purchase_terms": True,
    "phases": 2,
    "termination_foreseen": True,
    "partner_reduction_foreseen": True,
    "max_rd_value": Decimal("6000000"),
    "estimated_purchase_value": Decimal("30000000"),
}

DOCUMENTS: dict[str, Any] = {
    "minimum_requirements": ("Works offline for 12 hours",),
    "award_criteria": ("Quality 60 %", "Price 40 %"),
    "ipr_arrangements": True,
    "rd_capacity_criteria": True,
    "negotiation_rules": True,
    "purchase_terms": True,
    "phases": 2,
    "instalments": True,
    "termination_foreseen": True,
    "termination_conditions": "If a phase misses its intermediate targets",
    "partner_reduction_foreseen": True,
    "reduction_conditions": "After a phase, by the award criteria",
    "max_rd_value": Decimal("6000000"),
    "estimated_purchase_value": Decimal("30000000"),
    "authority_kind": "sub-central",
    "contract_kind": "services",
    "environment_weight": 30,
}

AWARD: dict[str, Any] = {
    "partners": ("Nordlys Care AS", "Fjord Sensor AS"),
    "award_basis": "best-price-quality-ratio",
    "separate_rd": True,
    "performance_levels": ("Detects 95 % of falls",),
    "maximum_cost": Decimal("30000000"),
}


def day(n: float) -> datetime:
    """T0 plus ``n`` days."""
    return T0 + timedelta(days=n)


def version() -> int:
    """The version the builders use now."""
    return innoproc.procedure("innovation-partnership", VERSION).version


def documents(**changes: Any) -> dict[str, Any]:
    """The procurement documents of the builders' version, with ``changes``."""
    return {**(DOCUMENTS_V1 if version() == 1 else DOCUMENTS), **changes}


def notice(**changes: Any) -> dict[str, Any]:
    """The publish-notice payload of the builders' version, with ``changes``."""
    return {**(NOTICE_V1 if version() == 1 else NOTICE), **changes}


def new_case() -> Case:
    return innoproc.open_case(
        innoproc.procedure("innovation-partnership", VERSION),
        reference="2024/0173",
        authority="Eksempel kommune",
    )


def in_needs(*, need: bool = True) -> Case:
    case = new_case()
    if need:
        case.record(
            "need-description", at=day(1), by=PM, summary="Night supervision", functional=True
        )
    return case


def in_market_dialogue(**changes: Any) -> Case:
    """A case in market dialogue with every fact the notice needs (documents overridable)."""
    case = in_needs()
    case.apply("start-market-dialogue", at=day(2), by=PM)
    case.record("market-dialogue-outcome", at=day(30), by=PM, solution_available=False)
    case.record("leadership-decision", at=day(31), by="CEO", decided_by="CEO", decision="2024/88")
    case.record("procurement-documents", at=day(32), by=PM, **documents(**changes))
    case.record("proportionality-assessment", at=day(33), by=PM, proportionate=True, reasoning="ok")
    return case


NOTICE_V1: dict[str, Any] = {"notice_sent": day(40), "request_deadline": day(75)}
NOTICE: dict[str, Any] = {
    **NOTICE_V1,
    "partners": "several",
    "min_candidates": 3,
    "selection_criteria": "R&D capacity and experience with care technology",
}


def in_tendering(**changes: Any) -> Case:
    case = in_market_dialogue(**changes)
    case.apply("publish-notice", at=day(40), by=PM, **notice())
    return case


def in_negotiation(**changes: Any) -> Case:
    case = in_tendering(**changes)
    case.apply("invite-candidates", at=day(76), by=PM, qualified=5, invited=3)
    case.record(
        "negotiation-round",
        at=day(90),
        by=PM,
        round=1,
        changed_minimum_requirements=False,
        changed_award_criteria=False,
    )
    return case


def in_final_tenders(**changes: Any) -> Case:
    case = in_negotiation(**changes)
    case.apply("call-final-tenders", at=day(100), by=PM)
    return case


def in_development(**changes: Any) -> Case:
    case = in_final_tenders(**changes)
    case.apply("award", at=day(120), by=PM, **AWARD)
    return case


def evaluated(case: Case, phase: int, met: bool = True, at: float = 200) -> Case:
    case.record("phase-evaluation", at=day(at + phase), by="Board", phase=phase, targets_met=met)
    return case


def in_last_phase(**changes: Any) -> Case:
    """A case in phase 2 of 2 with phase 2 evaluated as met."""
    case = evaluated(in_development(**changes), 1)
    case.apply("start-next-phase", at=day(210), by=PM)
    return evaluated(case, 2, at=300)


#: The call documents of a pre-commercial procurement under version 2 that meet every rule.
PCP_CALL_V2: dict[str, Any] = {
    "cpv_codes": ("73110000-6",),
    "benefits_exclusive_to_procurer": False,
    "procurer_pays_in_full": True,
    "ipr_stays_with_suppliers": True,
    "procurer_free_use_rights": True,
    "third_party_licences": True,
    "open_transparent_selection": True,
    "terms_published_in_advance": True,
    "no_preferential_follow_on": True,
    "market_price": True,
    "evaluation_criteria": ("Value 60 %", "Price 40 %"),
    "rd_share": 80,
}
