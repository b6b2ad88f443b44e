"""Demo cases, stored on the first start of the app so that there is something to look at."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import innoproc
from innoproc.store import CaseStore

#: The procurement documents of a ready innovation partnership (what its rules ask for).
DOCUMENTS: dict[str, Any] = {
    "minimum_requirements": ("Virker uten nett i 12 timer", "Varsler innen 30 sekunder"),
    "award_criteria": ("Kvalitet 60 %", "Pris 40 %"),
    "ipr_arrangements": True,
    "rd_capacity_criteria": True,
    "negotiation_rules": True,
    "purchase_terms": True,
    "phases": 2,
    "instalments": True,
    "termination_foreseen": True,
    "termination_conditions": "Hvis en fase ikke når delmålene",
    "partner_reduction_foreseen": True,
    "reduction_conditions": "Etter en fase, etter tildelingskriteriene",
    "max_rd_value": Decimal("6000000"),
    "estimated_purchase_value": Decimal("30000000"),
    "authority_kind": "sub-central",
    "contract_kind": "services",
    "environment_weight": 30,
}


def _ready(case: innoproc.Case, start: datetime) -> innoproc.Case:
    """Record, from ``start`` on, everything the contract notice of ``case`` needs."""
    case.record(
        "need-description",
        at=start,
        by="Helse og omsorg",
        summary="Trygt nattilsyn uten å vekke brukerne",
        functional=True,
    )
    case.apply("start-market-dialogue", at=start + timedelta(days=1), by="Innkjøpsleder")
    case.record(
        "market-dialogue-outcome",
        at=start + timedelta(days=10),
        by="Innkjøpsleder",
        solution_available=False,
        participants=14,
    )
    case.record(
        "leadership-decision",
        at=start + timedelta(days=11),
        by="Kommunedirektør",
        decided_by="Kommunedirektøren",
        decision="Vedtak 2025/88",
    )
    case.record(
        "procurement-documents", at=start + timedelta(days=12), by="Innkjøpsleder", **DOCUMENTS
    )
    case.record(
        "proportionality-assessment",
        at=start + timedelta(days=13),
        by="Innkjøpsleder",
        proportionate=True,
        reasoning="Kjøpet står i forhold til utviklingsinnsatsen",
    )
    return case


def _published(case: innoproc.Case) -> innoproc.Case:
    sent = case.history[-1].at + timedelta(days=7)
    case.apply(
        "publish-notice",
        at=sent,
        by="Innkjøpsleder",
        notice_sent=sent,
        request_deadline=sent + timedelta(days=35),
        partners="several",
        min_candidates=3,
        selection_criteria="Kapasitet for forskning og utvikling",
    )
    return case


def demo_cases(now: datetime) -> list[innoproc.Case]:
    """Six cases at different points, dated relative to ``now``."""
    day = now.replace(hour=9, minute=0, second=0, microsecond=0)
    year = now.year

    def ip(number: int, authority: str, title: str) -> innoproc.Case:
        return innoproc.open_case(
            "innovation-partnership",
            reference=f"{year}/{number:03d}",
            authority=authority,
            title=title,
        )

    return [
        ip(11, "Bergen kommune", "Trygt nattilsyn i hjemmetjenesten"),
        _ready(ip(14, "Stavanger kommune", "Digital legemiddelhåndtering"), day - timedelta(30)),
        _published(_ready(ip(8, "Bodø kommune", "Energismart skolebygg"), day - timedelta(80))),
        _published(
            _ready(ip(19, "Tromsø kommune", "Sensorer i omsorgsboliger"), day - timedelta(45))
        ),
        innoproc.open_case(
            "pre-commercial-procurement",
            reference=f"{year}/021",
            authority="Helse Vest RHF",
            title="Tidlig varsling av sepsis",
        ),
        innoproc.open_case(
            "triple-diamond",
            reference=f"{year}/023",
            authority="Trondheim kommune",
            title="Færre innleggelser av eldre",
        ),
    ]


def seed(store: CaseStore, now: datetime) -> None:
    """Store the demo cases in one transaction."""
    store.add_many(demo_cases(now))
