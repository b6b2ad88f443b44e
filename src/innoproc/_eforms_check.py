"""Checking a notice's time limits against the legal minimums (see ``innoproc.eforms``)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import attrs

from innoproc._eforms_minimums import (
    NATIONAL_NO_MINIMUM,
    NO_STATUTORY_MINIMUM,
    PUBLIC_SECTOR,
    UTILITIES,
    Minimum,
    Reduction,
    minimum_for,
)
from innoproc._eforms_read import Lot, Notice
from innoproc._engine.assessment import Finding
from innoproc._errors import InvalidPayload, _require
from innoproc._i18n import Day, Local, Plain, Series, resolve
from innoproc._text import LANGUAGES, Source, Text
from innoproc._time import OSLO
from innoproc.deadlines import NORWAY, Calendar, Period, period

# -- checking ----------------------------------------------------------------------------------

# The texts of this module, in one place for extraction into catalogues.
_T: dict[str, Text] = {
    "header": Text("Notice {id} version {version} (subtype {subtype}, {procedure}), sent {sent}:"),
    "met": Text("met"),
    "not_met": Text("NOT MET"),
    "not_checked": Text("not checked"),
    "no_lots": Text("  (no lots)"),
    "limit_line": Text("{deadline}, at least {days} days: earliest allowed {earliest}"),
    "source": Text("Source"),
    "advice": Text("advice"),
    "not_assessed": Text("not assessed"),
    "none": Text("none"),
    "unmet": Text(
        "The notice was sent {sent}; with a minimum of {days} days the earliest allowed "
        "time limit is {earliest}, but the time limit given is {given}."
    ),
    "moved": Text(
        "Day {days} is {nominal}, not a working day, so the period runs to the end of the "
        "next working day."
    ),
    "not_given": Text("The notice gives no time limit for this lot, so it cannot be checked."),
    "from_invitation": Text(
        "In a two-stage procedure the time limit for tenders runs from the invitation "
        "to tender, which the notice does not give."
    ),
    "no_reduction": Text(
        "The notice says the procedure is accelerated, but no reduction of this time limit "
        "exists for this procedure; the full minimum applies."
    ),
    "not_a_call": Text(
        "This notice is not a call for competition (subtype {subtype}): it has no time "
        "limit to check."
    ),
    "pin_as_call": Text(
        "A prior information notice used as a call for competition (subtype {subtype}): "
        "the time limit for requests to participate runs from the invitation to confirm "
        "interest, which the notice does not give."
    ),
    "legal_basis": Text(
        "Time limits under legal basis {basis} are not modelled; the notice was not checked."
    ),
    "subtype": Text(
        "Notices of subtype {subtype} (design contests, concessions, the light regime, "
        "qualification systems, defence) are not modelled; the notice was not checked."
    ),
    "procedure": Text(
        "No minimum time limit is modelled for procedure type {procedure}; the notice was "
        "not checked."
    ),
    "change": Text(
        "A change notice of {changed}: time limits run from the sending of the original "
        "notice, which this notice does not give; check it together with the original."
    ),
    "counted_from": Text("Counted from the original notice {original}, sent {sent}."),
    "rule_not_assessed": Text("The time limits of this notice could not be checked."),
    "rule_limit_missing": Text("A lot's time limit must be given to be checked."),
}

_NOT_MODELLED_SOURCE = Source("The scope of the notice check")
_CODES = {"request": "request-time-limit", "tender": "tender-time-limit"}


def _join(*texts: Text) -> Text:
    """Whole sentences one after the other (each is a complete translatable unit)."""
    return Text("{sentences}", sentences=Series(texts, "sentences"))


@attrs.frozen
class Limit:
    """One time limit of one lot checked against its minimum.

    ``code`` is ``request-time-limit`` or ``tender-time-limit``; ``days`` the minimum that
    applies after every reduction the notice's facts allow; ``earliest`` the earliest
    allowed time limit (the end of the period's last day, Regulation 1182/71 art. 3);
    ``given`` the lot's time limit; ``source`` where the minimum comes from.
    """

    code: str
    days: int
    earliest: datetime
    given: datetime
    met: bool
    source: Source


@attrs.frozen
class LotCheck:
    """The verdict on one lot's time limits.

    ``met`` lists the codes of the time limits that are long enough, ``unmet`` a finding
    for each that is not (naming the earliest allowed instant), ``not_assessed`` a finding
    (with ``details['reason']``) for each that could not be checked, and ``advice``
    non-blocking findings (a reduction relied on whose conditions the notice cannot show).
    """

    lot_id: str
    limits: tuple[Limit, ...] = ()
    unmet: tuple[Finding, ...] = ()
    not_assessed: tuple[Finding, ...] = ()
    advice: tuple[Finding, ...] = ()

    @property
    def met(self) -> tuple[str, ...]:
        """The codes of the time limits that are met."""
        return tuple(limit.code for limit in self.limits if limit.met)

    @property
    def ok(self) -> bool:
        """True when no time limit of the lot is too short."""
        return not self.unmet


@attrs.frozen
class NoticeCheck:
    """The verdict on a notice: one ``LotCheck`` per lot, and notice-level findings.

    ``not_assessed`` holds notice-level reasons nothing was checked (a legal basis or
    procedure type that is not modelled, a notice that is not a call for competition, a
    change notice without its original), each with code ``not-assessed`` and
    ``details['reason']``; ``advice`` notice-level advice (``no-statutory-minimum`` for a
    Norwegian notice below the EEA thresholds).
    """

    notice: Notice
    lots: tuple[LotCheck, ...] = ()
    not_assessed: tuple[Finding, ...] = ()
    advice: tuple[Finding, ...] = ()
    counted_from: Notice | None = None

    @property
    def ok(self) -> bool:
        """True when no time limit of any lot is too short (not-assessed ones do not count)."""
        return all(lot.ok for lot in self.lots)

    @property
    def assessed(self) -> bool:
        """True when at least one time limit was checked."""
        return any(lot.limits for lot in self.lots)

    def explain(self, lang: str | None = None) -> str:
        """A plain-language verdict, one block per lot, in ``lang`` (``en``, ``nb`` or ``nn``;
        ``None``: the process's default language)."""
        lang = resolve(lang)
        n = self.notice
        lines = [
            _T["header"]
            .with_values(
                id=Plain(n.id),
                version=Plain(n.version or "-"),
                subtype=Plain(n.subtype),
                procedure=Plain(n.procedure_type or "-"),
                sent=n.dispatched,
            )
            .get(lang)
        ]
        for finding in self.not_assessed:
            lines.append(f"  [{finding.code}] {_particulars(finding, lang)}")
        for finding in self.advice:
            lines.append(f"  [{finding.code}] {finding.message(lang)}")
            lines.append(f"    {_T['source'].get(lang)}: {finding.source.cite(lang)}")
        if self.counted_from is not None:
            original = self.counted_from
            lines.append(
                "  "
                + _T["counted_from"]
                .with_values(original=Plain(original.reference), sent=original.dispatched)
                .get(lang)
            )
        if not self.not_assessed:
            if not self.lots:
                lines.append(_T["no_lots"].get(lang))
            for lot in self.lots:
                lines.extend(_lot_lines(lot, lang))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON data (instants as ISO 8601 text), for ``--json`` and storage."""
        n = self.notice
        return {
            "notice": {
                "id": n.id,
                "version": n.version,
                "subtype": n.subtype,
                "legal_basis": n.legal_basis,
                "procedure_type": n.procedure_type,
                "accelerated": n.accelerated,
                "dispatched": n.dispatched.isoformat(),
                "buyers": list(n.buyers),
                "title": n.title,
                "changes": n.changes,
            },
            "ok": self.ok,
            "assessed": self.assessed,
            "counted_from": None if self.counted_from is None else self.counted_from.reference,
            "not_assessed": [_finding_dict(f) for f in self.not_assessed],
            "advice": [_finding_dict(f) for f in self.advice],
            "lots": [
                {
                    "id": lot.lot_id,
                    "ok": lot.ok,
                    "met": list(lot.met),
                    "limits": [
                        {
                            "code": limit.code,
                            "days": limit.days,
                            "earliest": limit.earliest.isoformat(),
                            "given": limit.given.isoformat(),
                            "met": limit.met,
                            "source": str(limit.source),
                        }
                        for limit in lot.limits
                    ],
                    "unmet": [_finding_dict(f) for f in lot.unmet],
                    "not_assessed": [_finding_dict(f) for f in lot.not_assessed],
                    "advice": [_finding_dict(f) for f in lot.advice],
                }
                for lot in self.lots
            ],
        }


def _finding_dict(finding: Finding) -> dict[str, Any]:
    details = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in finding.details.items()
    }
    return {
        "code": finding.code,
        "message": {lang: finding.message(lang) for lang in LANGUAGES},
        "source": str(finding.source),
        "verified": finding.source.verified,
        "details": details,
    }


def _particulars(finding: Finding, lang: str) -> str:
    """What is particular to this finding (its explanation), else its rule."""
    if finding.explanation is not None:
        return finding.explanation.get(lang)
    return finding.rule.get(lang)


def _lot_lines(lot: LotCheck, lang: str) -> list[str]:
    if lot.unmet:
        verdict = _T["not_met"]
    elif lot.limits:
        verdict = _T["met"]
    else:
        verdict = _T["not_checked"]
    lines = [f"  {lot.lot_id}: {verdict.get(lang)}"]
    for limit in lot.limits:
        if limit.met:
            line = (
                _T["limit_line"]
                .with_values(deadline=limit.given, days=limit.days, earliest=limit.earliest)
                .get(lang)
            )
            lines.append(f"    - [{limit.code}] {line}")
    for finding in lot.unmet:
        lines.append(f"    - [{finding.code}] {finding.message(lang)}")
        lines.append(f"      {_T['source'].get(lang)}: {finding.source.cite(lang)}")
    for label, findings in ((_T["not_assessed"], lot.not_assessed), (_T["advice"], lot.advice)):
        for finding in findings:
            lines.append(
                f"    - [{finding.code}] ({label.get(lang)}) {_particulars(finding, lang)}"
            )
            lines.append(f"      {_T['source'].get(lang)}: {finding.source.cite(lang)}")
    return lines


def _notice_level(reason: str, explanation: Text) -> Finding:
    return Finding(
        "not-assessed",
        _T["rule_not_assessed"],
        _NOT_MODELLED_SOURCE,
        explanation,
        {"reason": reason},
    )


def _holds(condition: str, notice: Notice, lot: Lot) -> bool:
    if condition == "always":
        return True
    if condition == "electronic":
        return lot.electronic_submission in ("required", "allowed")
    if condition == "urgency":
        return notice.accelerated
    return bool(lot.previous_planning)  # "pin"


def _check_limit(
    minimum: Minimum,
    notice: Notice,
    lot: Lot,
    given: datetime,
    sent: datetime,
    calendar: Calendar,
    tz: tzinfo,
) -> tuple[Limit, Finding | None, tuple[Finding, ...]]:
    code = _CODES[minimum.limit]
    applicable = [r for r in minimum.reductions if _holds(r.condition, notice, lot)]
    firm: tuple[int, Source] = (minimum.days, minimum.source)
    for r in applicable:
        if not r.conditional and r.days < firm[0]:
            firm = (r.days, r.source)
    lowest = firm
    for r in applicable:
        if r.conditional and r.days < lowest[0]:
            lowest = (r.days, r.source)
    firm_period = period(sent, firm[0], calendar=calendar, tz=tz)
    if given >= firm_period.end:
        return Limit(code, firm[0], firm_period.end, given, True, firm[1]), None, ()
    low_period = (
        firm_period if lowest == firm else period(sent, lowest[0], calendar=calendar, tz=tz)
    )
    if given >= low_period.end:
        relied: list[Reduction] = [r for r in applicable if r.conditional and r.days == lowest[0]]
        advice = tuple(
            Finding(code, minimum.rule, r.source, r.caveat, {"reason": r.condition}) for r in relied
        )
        limit = Limit(code, lowest[0], low_period.end, given, True, lowest[1])
        return limit, None, advice
    explanation = _unmet_text(sent, lowest[0], low_period, given, tz, calendar)
    finding = Finding(
        code,
        minimum.rule,
        lowest[1],
        explanation,
        {"earliest": low_period.end, "given": given, "days": lowest[0], "sent": sent},
    )
    return Limit(code, lowest[0], low_period.end, given, False, lowest[1]), finding, ()


def _unmet_text(
    sent: datetime, days: int, p: Period, given: datetime, tz: tzinfo, calendar: Calendar
) -> Text:
    text = _T["unmet"].with_values(
        sent=Local(sent, tz),
        days=days,
        earliest=Local(p.end, tz),
        given=Local(given, tz),
    )
    if p.extended:
        nominal = p.nominal_last_day
        names = getattr(calendar, "names", None)
        holiday = names(nominal.year).get(nominal) if callable(names) else None
        text = _join(text, _T["moved"].with_values(days=days, nominal=Day(nominal, holiday)))
    return text


def check_notice(
    notice: Notice,
    *,
    original: Notice | None = None,
    calendar: Calendar = NORWAY,
    tz: tzinfo = OSLO,
) -> NoticeCheck:
    """Check each lot's time limit of ``notice`` against the legal minimum.

    Modelled: contract notices (subtypes 16 and 17, and national subtype E3) under
    Directive 2014/24/EU (BT-01 ``32014L0024``) and 2014/25/EU (``32014L0025``) for the
    open, restricted, negotiated (``neg-w-call``), competitive dialogue and innovation
    partnership procedures; see ``docs/notices.md`` for every minimum and its source.
    Periods are counted under Regulation 1182/71 in ``tz`` with the public holidays of
    ``calendar`` (Norway's by default). A Norwegian notice with a national legal basis gets
    advice that no statutory minimum exists below the EEA thresholds. Anything not
    modelled is reported as not assessed, never guessed.

    For a change notice, pass the notice it changes as ``original``: the time limits then
    count from the original's dispatch. Without it a change notice is not assessed.
    """
    _require(notice, Notice, "notice")
    kind = notice.kind
    subtype = notice.subtype
    if kind == "other":
        return NoticeCheck(
            notice,
            not_assessed=(
                _notice_level("not-a-call", _T["not_a_call"].with_values(subtype=subtype)),
            ),
        )
    if kind == "pin-as-call":
        return NoticeCheck(
            notice,
            not_assessed=(
                _notice_level("pin-as-call", _T["pin_as_call"].with_values(subtype=subtype)),
            ),
        )
    basis = notice.legal_basis
    if basis not in (PUBLIC_SECTOR, UTILITIES):
        if basis == "other" and "NOR" in notice.buyer_countries:
            advice = Finding(
                "no-statutory-minimum",
                NO_STATUTORY_MINIMUM,
                NATIONAL_NO_MINIMUM,
                None,
                {"legal_basis": basis},
            )
            return NoticeCheck(
                notice,
                lots=tuple(LotCheck(lot.id) for lot in notice.lots),
                advice=(advice,),
            )
        return NoticeCheck(
            notice,
            not_assessed=(
                _notice_level("legal-basis", _T["legal_basis"].with_values(basis=basis)),
            ),
        )
    if subtype not in ("16", "17"):
        return NoticeCheck(
            notice,
            not_assessed=(_notice_level("subtype", _T["subtype"].with_values(subtype=subtype)),),
        )
    procedure = notice.procedure_type or "-"
    minimum = minimum_for(basis, procedure)
    if minimum is None:
        return NoticeCheck(
            notice,
            not_assessed=(
                _notice_level("procedure-type", _T["procedure"].with_values(procedure=procedure)),
            ),
        )
    sent = notice.dispatched
    if notice.changes is not None:
        if original is None:
            return NoticeCheck(
                notice,
                not_assessed=(
                    _notice_level(
                        "change-notice", _T["change"].with_values(changed=notice.changes)
                    ),
                ),
            )
        if not notice.changes.startswith(original.id):
            raise InvalidPayload(
                f"'original' must be the notice this one changes ({notice.changes}), "
                f"got notice {original.reference}",
                "original",
            )
        sent = original.dispatched
    return NoticeCheck(
        notice,
        lots=tuple(_check_lot(minimum, notice, lot, sent, calendar, tz) for lot in notice.lots),
        counted_from=original if notice.changes is not None else None,
    )


def _check_lot(
    minimum: Minimum, notice: Notice, lot: Lot, sent: datetime, calendar: Calendar, tz: tzinfo
) -> LotCheck:
    code = _CODES[minimum.limit]
    given = lot.request_deadline if minimum.limit == "request" else lot.tender_deadline
    not_assessed: list[Finding] = []
    advice: list[Finding] = []
    if minimum.limit == "request" and lot.tender_deadline is not None:
        not_assessed.append(
            Finding(
                "tender-time-limit",
                minimum.rule,
                minimum.source,
                _T["from_invitation"],
                {"reason": "from-invitation"},
            )
        )
    if minimum.no_urgency_reduction and notice.accelerated:
        advice.append(
            Finding(code, minimum.rule, minimum.source, _T["no_reduction"], {"reason": "urgency"})
        )
    if given is None:
        not_assessed.insert(
            0,
            Finding(
                code,
                _T["rule_limit_missing"],
                minimum.source,
                _T["not_given"],
                {"reason": "not-given"},
            ),
        )
        return LotCheck(lot.id, not_assessed=tuple(not_assessed), advice=tuple(advice))
    limit, finding, caveats = _check_limit(minimum, notice, lot, given, sent, calendar, tz)
    return LotCheck(
        lot.id,
        limits=(limit,),
        unmet=() if finding is None else (finding,),
        not_assessed=tuple(not_assessed),
        advice=(*advice, *caveats),
    )
