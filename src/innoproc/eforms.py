"""Real notices: read eForms notices (TED, Doffin), check their time limits, open cases.

Every EU and Norwegian contract notice is published as an eForms XML document. This module
reads one safely into a typed, frozen ``Notice``, checks each lot's time limit against the
legal minimum for its procedure type and legal basis (``check_notice``), and opens or
advances an innovation partnership case from an innovation partnership notice
(``open_case_from_notice``).

```pycon
>>> from innoproc import eforms
>>> notice = eforms.read_notice("tests/data/eforms/cn_24_minimal.xml")
>>> notice.procedure_type, notice.legal_basis, notice.subtype
('open', '32014L0024', '16')
>>> print(eforms.check_notice(notice).explain())  # doctest: +NORMALIZE_WHITESPACE
Notice f42be27e-09cf-4f0e-a745-63ec689631e6 version 01 (subtype 16, open),
  sent 21 November 2019 at 00:00:
  LOT-0000: met
    - [tender-time-limit] 4 February 2020 at 09:00, at least 30 days:
      earliest allowed 23 December 2019 at 24:00

```

Reading. Field XPaths follow the eForms SDK's ``fields/fields.json``; the namespace prefixes
are those of the SDK. Lots are the ``cac:ProcurementProjectLot`` elements whose
``cbc:ID/@schemeName`` is ``Lot``; lots groups (``LotsGroup``) and parts (``Part``) are not
lots. The buyers are the organisations referred to by ``cac:ContractingParty`` (not review
bodies, tenderers or service providers).

Dates. eForms dates and times carry offsets (``2019-10-24+02:00``, ``10:00:00+02:00``,
``Z``). They are parsed explicitly, never with ``datetime.fromisoformat`` (which on Python
3.11 reads ``2019-10-24+02:00`` as a naive 02:00). A date and its time become one aware
instant: the wall-clock time in the time's offset (the date's offset when the time has
none). A date with no time means the end of that day in its own offset. A date or time with
no offset at all is refused (``NoticeFormatError``): eForms requires them. Days are then
counted in Europe/Oslo, so a deadline at 23:55+01:00 in summer is 00:55 the next day in Oslo.

Safety. Notices come from strangers. They are parsed with ``defusedxml`` with DTDs,
entities and external references forbidden (so no network or file access can happen while
parsing), after a size bound, with bounds on nesting depth and on the number of elements.
Every problem raises ``NoticeFormatError`` naming what is wrong and where.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from innoproc._eforms_check import Limit, LotCheck, NoticeCheck, check_notice
from innoproc._eforms_read import MAX_BYTES, NAMESPACES, Amount, Lot, Notice, read_notice
from innoproc._engine.assessment import Assessment
from innoproc._errors import InvalidPayload, NoticeFormatError, UnsupportedNotice, _require

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.case import Case

__all__ = [
    "MAX_BYTES",
    "NAMESPACES",
    "Amount",
    "CaseFromNotice",
    "Limit",
    "Lot",
    "LotCheck",
    "Notice",
    "NoticeCheck",
    "NoticeFormatError",
    "UnsupportedNotice",
    "check_notice",
    "open_case_from_notice",
    "read_notice",
]


# -- opening a case ----------------------------------------------------------------------------


@attrs.frozen
class CaseFromNotice:
    """The case opened or advanced from a notice, and the verdict on publishing its notice.

    ``published`` is true when the ``publish-notice`` step was applied; otherwise
    ``assessment`` says what is missing (the facts to record, or the state to reach first).
    """

    case: Case
    assessment: Assessment
    notice: Notice
    lot_id: str

    @property
    def published(self) -> bool:
        """True when the case's notice step was applied from the notice."""
        return self.assessment.ok and any(
            getattr(e, "event", None) == "publish-notice" for e in self.case.history
        )


def _case_details(notice: Notice, lot: Lot) -> dict[str, Any]:
    """What a notice establishes about an innovation partnership case, as case details.

    Kept in one place so that it is easy to adapt when the procedure's fields change.
    """
    value = lot.estimated_value or notice.estimated_value
    details: dict[str, Any] = {
        "title": lot.title or notice.title or notice.id,
        "source_notice": {
            "id": notice.id,
            "version": notice.version,
            "subtype": notice.subtype,
            "legal_basis": notice.legal_basis,
            "lot": lot.id,
            "dispatched": notice.dispatched.isoformat(),
            "request_deadline": None
            if lot.request_deadline is None
            else lot.request_deadline.isoformat(),
        },
    }
    cpv = lot.main_cpv or notice.main_cpv
    if cpv:
        details["cpv"] = cpv
    additional = lot.additional_cpv or notice.additional_cpv
    if additional:
        details["additional_cpv"] = list(additional)
    if value is not None:
        details["estimated_value"] = {"amount": str(value.amount), "currency": value.currency}
    return details


def open_case_from_notice(
    notice: Notice,
    *,
    at: datetime,
    by: str,
    reference: str | None = None,
    case: Case | None = None,
    lot: str | None = None,
    **notice_fields: Any,
) -> CaseFromNotice:
    """Open (or advance) an innovation partnership case from an innovation partnership notice.

    Without ``case``, opens a new ``innovation-partnership`` case (reference ``reference``,
    default the notice's procedure identifier BT-04, else its id; authority the notice's
    buyers) whose details record what the notice establishes: title, CPV codes, estimated
    value and ``source_notice`` (id, version, lot, dispatch and request deadline). With
    ``case``, advances that case. Either way, when the case may take the step, applies
    ``publish-notice`` at ``at`` with ``notice_sent`` (BT-05) and ``request_deadline``
    (the lot's BT-1311), the actor being ``by`` followed by the notice it came from;
    otherwise the case is returned unchanged with the refused assessment saying what is
    missing. A notice with several lots needs ``lot``. ``notice_fields`` gives what the step
    needs that an eForms notice does not state in a field innoproc reads, such as
    ``partners="one"`` or ``"several"`` (version 2 of the procedure asks for it).

    Raises ``UnsupportedNotice`` for a notice that is not an innovation partnership
    contract notice, or without a request deadline.
    """
    _require(notice, Notice, "notice")
    from innoproc._api import open_case

    if notice.procedure_type != "innovation" or notice.kind != "competition":
        raise UnsupportedNotice(
            notice.id,
            f"only an innovation partnership contract notice (BT-105 'innovation') opens an "
            f"innovation partnership case; this one is {notice.procedure_type or 'untyped'} "
            f"(subtype {notice.subtype})",
        )
    chosen = _choose_lot(notice, lot)
    if chosen.request_deadline is None:
        raise UnsupportedNotice(notice.id, f"lot {chosen.id} gives no request deadline (BT-1311)")
    if case is None:
        authority = "; ".join(notice.buyers) or "unknown buyer"
        case = open_case(
            "innovation-partnership",
            reference=reference or notice.procedure_id or notice.id,
            authority=authority,
            **_case_details(notice, chosen),
        )
    elif case.procedure_id != "innovation-partnership":
        raise InvalidPayload(
            f"'case' must be an innovation partnership case, got {case.procedure_id!r}", "case"
        )
    payload = {**notice_fields, "notice_sent": notice.dispatched}
    payload["request_deadline"] = chosen.request_deadline
    assessment = case.check("publish-notice", at=at, **payload)
    if assessment.ok:
        actor = f"{by} (from eForms notice {notice.reference}, lot {chosen.id})"
        case.apply("publish-notice", at=at, by=actor, **payload)
    return CaseFromNotice(case, assessment, notice, chosen.id)


def _choose_lot(notice: Notice, lot: str | None) -> Lot:
    if lot is None:
        if len(notice.lots) == 1:
            return notice.lots[0]
        raise InvalidPayload(
            f"notice {notice.id} has {len(notice.lots)} lots; pass 'lot' as one of: "
            f"{', '.join(x.id for x in notice.lots) or 'none'}",
            "lot",
        )
    for candidate in notice.lots:
        if candidate.id == lot:
            return candidate
    raise InvalidPayload(
        f"'lot' must be one of {', '.join(x.id for x in notice.lots) or 'none'}, got {lot!r}",
        "lot",
    )
