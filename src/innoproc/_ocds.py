"""Interoperability: an OCDS 1.1.5 release for a case, and the eForms procedure type code.

The mapping follows the project's domain notes: the innovation partnership is
``procurementMethod`` ``selective`` with ``procurementMethodDetails`` "Innovation
partnership" (as the OCDS eForms mapping does) and eForms procedure type ``innovation``
(BT-105); PCP has no eForms code, its phases are milestones, and the follow-on procurement of
commercial volumes is a related process. Only fields of the OCDS core schema are used, so a
release validates against ``release-schema.json`` with no extension.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from innoproc._engine.case import Case
from innoproc._engine.history import FactRecord, StepRecord
from innoproc._errors import InnoprocError, InvalidArgument, shown
from innoproc._time import OSLO

#: eForms procedure type codes (BT-105, codelist procurement-procedure-type) by procedure id.
#: PCP has none; the triple diamond is a programme method, not a procedure type.
EFORMS_PROCEDURE_TYPES: dict[str, str] = {"innovation-partnership": "innovation"}

_IP_STATUS = {
    "needs": "planning",
    "market-dialogue": "planning",
    "tendering": "active",
    "negotiation": "active",
    "final-tenders": "active",
    "development": "complete",
    "purchased": "complete",
    "terminated": "complete",
    "cancelled": "cancelled",
}
_PCP_STATUS = {
    "preparation": "planning",
    "call-for-tenders": "active",
    "solution-design": "complete",
    "prototyping": "complete",
    "original-development": "complete",
    "completed": "complete",
    "terminated": "complete",
    "cancelled": "cancelled",
}
_PCP_PHASES = (
    ("award-phase-1", "Phase 1: solution design"),
    ("start-prototyping", "Phase 2: prototyping"),
    ("start-original-development", "Phase 3: original development and test series"),
)


def eforms_procedure_type(procedure_id: str) -> str | None:
    """The eForms procedure type code (BT-105) of a procedure, or ``None`` where none exists.

    ```pycon
    >>> eforms_procedure_type("innovation-partnership")
    'innovation'
    >>> eforms_procedure_type("pre-commercial-procurement") is None
    True

    ```
    """
    return EFORMS_PROCEDURE_TYPES.get(procedure_id)


def _iso(at: datetime) -> str:
    return at.isoformat()


def _org_id(name: str) -> str:
    return "org-" + "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


def to_ocds(case: Case, *, ocid_prefix: str = "ocds-innoproc") -> dict[str, Any]:
    """An OCDS 1.1.5 release describing ``case`` as it stands (a compiled-release style).

    ``ocid_prefix`` is your publisher's registered prefix. Supported: the innovation
    partnership, pre-commercial procurement and the triple diamond's procurement of
    supplier competence; other procedures raise ``InnoprocError``.
    """
    if not isinstance(case, Case):
        raise InvalidArgument(f"'case' must be an innoproc Case, got {shown(case)}", "case")
    if type(ocid_prefix) is not str or not 0 < len(ocid_prefix) <= 200:
        raise InvalidArgument(
            f"'ocid_prefix' must be a publisher's prefix (a text), got {shown(ocid_prefix)}",
            "ocid_prefix",
        )
    pid = case.procedure_id
    if pid not in ("innovation-partnership", "pre-commercial-procurement", "triple-diamond"):
        raise InnoprocError(f"no OCDS mapping for procedure {pid!r}")
    state, history = case.snapshot()
    steps = [e for e in history if isinstance(e, StepRecord)]
    facts = [e for e in history if isinstance(e, FactRecord)]
    last = history[-1].at if history else None
    buyer = {"id": _org_id(case.authority), "name": case.authority}
    parties: dict[str, dict[str, Any]] = {
        buyer["id"]: {**buyer, "roles": ["buyer", "procuringEntity"]}
    }
    tender: dict[str, Any] = {"id": f"{case.reference}-tender"}
    title = case.details.get("title")
    if isinstance(title, str):
        tender["title"] = title
    tags = ["planning"]
    awards: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    related: list[dict[str, Any]] = []

    def supplier(name: str) -> dict[str, str]:
        org = {"id": _org_id(name), "name": name}
        party = parties.setdefault(org["id"], {**org, "roles": []})
        if "supplier" not in party["roles"]:
            party["roles"].append("supplier")
        return org

    if pid == "innovation-partnership":
        tender["status"] = _IP_STATUS[state]
        tender["procurementMethod"] = "selective"
        tender["procurementMethodDetails"] = "Innovation partnership"
        tender["awardCriteria"] = "ratedCriteria"
        tender["awardCriteriaDetails"] = "Best price-quality ratio (Directive 2014/24/EU art. 67)"
        for step in steps:
            if step.event == "publish-notice":
                tags.append("tender")
                tender["tenderPeriod"] = {
                    "startDate": _iso(step.payload["notice_sent"]),
                    "endDate": _iso(step.payload["request_deadline"]),
                }
            elif step.event == "award":
                tags.append("award")
                awards.append(
                    {
                        "id": f"{case.reference}-award",
                        "status": "active",
                        "date": _iso(step.at),
                        "title": "Innovation partnership agreement",
                        "suppliers": [supplier(p) for p in step.payload["partners"]],
                        "value": {"amount": float(step.payload["maximum_cost"]), "currency": "NOK"},
                    }
                )
            elif step.event == "purchase":
                tags.append("contract")
        for record in facts:
            if record.fact == "phase-evaluation":
                n = record.payload["phase"]
                milestones.append(
                    {
                        "id": f"phase-{n}-evaluation-{record.seq}",
                        "title": f"Development phase {n}: intermediate targets",
                        "type": "assessment",
                        "status": "met" if record.payload["targets_met"] else "notMet",
                        "dateMet" if record.payload["targets_met"] else "dateModified": _iso(
                            record.at
                        ),
                    }
                )
    elif pid == "pre-commercial-procurement":
        tender["status"] = _PCP_STATUS[state]
        tender["procurementMethod"] = "open"
        tender["procurementMethodDetails"] = "Pre-commercial procurement"
        tender["procurementMethodRationale"] = (
            "R&D services outside Directive 2014/24/EU by its art. 14 (COM(2007) 799)"
        )
        tender["mainProcurementCategory"] = "services"
        for step in steps:
            if step.event == "publish-call":
                tags.append("tender")
                tender["tenderPeriod"] = {
                    "startDate": _iso(step.at),
                    "endDate": _iso(step.payload["tender_deadline"]),
                }
        for event, title_ in _PCP_PHASES:
            done = [s for s in steps if s.event == event]
            milestones.append(
                {
                    "id": event,
                    "title": title_,
                    "type": "delivery",
                    "status": "met" if done else "scheduled",
                    **({"dateMet": _iso(done[-1].at)} if done else {}),
                }
            )
            if done:
                tags.append("award")
                awards.append(
                    {
                        "id": f"{case.reference}-{event}",
                        "status": "active",
                        "date": _iso(done[-1].at),
                        "title": title_,
                        "suppliers": [supplier(s) for s in done[-1].payload["suppliers"]],
                    }
                )
        for record in facts:
            if record.fact == "follow-on-procurement":
                related.append(
                    {
                        "id": str(record.payload["reference"]),
                        "relationship": ["planning"],
                        "title": f"Follow-on procurement ({record.payload['procedure']})",
                        "scheme": "ocid",
                        "identifier": f"{ocid_prefix}-{record.payload['reference']}",
                    }
                )
    else:  # triple diamond: the innovative procurement of supplier competence
        tender["procurementMethodDetails"] = (
            "Innovative procurement of service design, benefit realisation and change "
            "management competence (#StimuLab)"
        )
        tender["mainProcurementCategory"] = "services"
        signed = [s for s in steps if s.event == "sign-contract"]
        tender["status"] = "complete" if signed else "planning"
        if signed:
            tags.append("award")
            awards.append(
                {
                    "id": f"{case.reference}-award",
                    "status": "active",
                    "date": _iso(signed[-1].at),
                    "suppliers": [supplier(str(signed[-1].payload["supplier"]))],
                }
            )
    if milestones:
        tender["milestones"] = milestones
    release: dict[str, Any] = {
        "ocid": f"{ocid_prefix}-{case.reference}",
        "id": f"{case.reference}-r{case.revision}",
        "date": _iso(last) if last else _iso(datetime.now(OSLO)),
        "tag": list(dict.fromkeys(tags)),
        "initiationType": "tender",
        "parties": list(parties.values()),
        "buyer": buyer,
        "tender": tender,
    }
    if awards:
        release["awards"] = awards
    if related:
        release["relatedProcesses"] = related
    return release
