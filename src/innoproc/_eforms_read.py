"""Reading eForms notices safely into frozen ``Notice`` objects (see ``innoproc.eforms``).

XPaths follow the eForms SDK's ``fields/fields.json`` (OP-TED/eForms-SDK), with its namespace
prefixes; each field's BT number is noted beside its path.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from innoproc._errors import InvalidPayload, NoticeFormatError, shown

# -- reading -----------------------------------------------------------------------------------

#: The namespace prefixes of the eForms SDK's ``fields.json``.
NAMESPACES: Mapping[str, str] = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
_ROOTS = {
    f"{{urn:oasis:names:specification:ubl:schema:xsd:{name}-2}}{name}": name
    for name in ("ContractNotice", "PriorInformationNotice", "ContractAwardNotice")
}

#: The largest notice read, in bytes (characters for text). The eForms SDK's example with
#: 100 lots is 1.7 MB.
MAX_BYTES = 10 * 1024 * 1024
#: The deepest nesting accepted; real notices nest about a dozen levels.
MAX_DEPTH = 64
#: The most elements accepted; the SDK's example with 100 lots has about 26,000.
MAX_ELEMENTS = 500_000


def _q(path: str) -> str:
    """An SDK-style relative path (``cac:A/cbc:B``) in ElementTree's Clark notation."""

    def one(step: str) -> str:
        prefix, _, local = step.partition(":")
        return f"{{{NAMESPACES[prefix]}}}{local}" if local else step

    return "/".join(one(step) for step in path.split("/"))


_EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
# Notice-level fields (BT numbers from the SDK's fields.json, XPaths relative to /*).
_P = {
    "id": "cbc:ID",  # BT-701 (schemeName notice-id)
    "version": "cbc:VersionID",  # BT-757
    "folder": "cbc:ContractFolderID",  # BT-04
    "subtype": f"{_EXT}/efac:NoticeSubType/cbc:SubTypeCode",  # OPP-070
    "changes": f"{_EXT}/efac:Changes/efbc:ChangedNoticeIdentifier",  # BT-758
    "organisations": f"{_EXT}/efac:Organizations/efac:Organization/efac:Company",
    "issue_date": "cbc:IssueDate",  # BT-05(a)
    "issue_time": "cbc:IssueTime",  # BT-05(b)
    "legal_basis": "cbc:RegulatoryDomain",  # BT-01
    "notice_type": "cbc:NoticeTypeCode",  # BT-02, its listName is BT-03
    "language": "cbc:NoticeLanguageCode",  # BT-702(a)
    "buyer_ids": "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID",  # OPT-300
    "procedure": "cac:TenderingProcess/cbc:ProcedureCode",  # BT-105
    "justification": "cac:TenderingProcess/cac:ProcessJustification",
    "title": "cac:ProcurementProject/cbc:Name",  # BT-21
    "main_cpv": "cac:ProcurementProject/cac:MainCommodityClassification/cbc:ItemClassificationCode",
    "more_cpv": "cac:ProcurementProject/cac:AdditionalCommodityClassification/"
    "cbc:ItemClassificationCode",  # BT-263
    "value": "cac:ProcurementProject/cac:RequestedTenderTotal/"
    "cbc:EstimatedOverallContractAmount",  # BT-27
    "lots": "cac:ProcurementProjectLot",
    "reason_code": "cbc:ProcessReasonCode",  # BT-106 when listName is accelerated-procedure
    "org_id": "cac:PartyIdentification/cbc:ID",  # OPT-200
    "org_name": "cac:PartyName/cbc:Name",  # BT-500
    "org_country": "cac:PostalAddress/cac:Country/cbc:IdentificationCode",  # BT-514
    # Lot-level, relative to cac:ProcurementProjectLot.
    "lot_id": "cbc:ID",  # BT-137
    "lot_title": "cac:ProcurementProject/cbc:Name",
    "lot_main_cpv": "cac:ProcurementProject/cac:MainCommodityClassification/"
    "cbc:ItemClassificationCode",
    "lot_more_cpv": "cac:ProcurementProject/cac:AdditionalCommodityClassification/"
    "cbc:ItemClassificationCode",
    "lot_value": "cac:ProcurementProject/cac:RequestedTenderTotal/"
    "cbc:EstimatedOverallContractAmount",
    "request_date": "cac:TenderingProcess/cac:ParticipationRequestReceptionPeriod/cbc:EndDate",
    "request_time": "cac:TenderingProcess/cac:ParticipationRequestReceptionPeriod/cbc:EndTime",
    "tender_date": "cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod/cbc:EndDate",
    "tender_time": "cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod/cbc:EndTime",
    "submission": "cac:TenderingProcess/cbc:SubmissionMethodCode",  # BT-17 (esubmission)
    "pin": "cac:TenderingProcess/cac:NoticeDocumentReference/cbc:ID",  # BT-125(i)
}
_Q = {name: _q(path) for name, path in _P.items()}


class _BoundedBuilder(ET.TreeBuilder):
    """A tree builder that refuses documents nested too deeply or with too many elements."""

    def __init__(self, parser: list[Any]) -> None:
        super().__init__()
        self._depth = 0
        self._count = 0
        self._parser = parser

    def _where(self) -> str:
        p = self._parser[0] if self._parser else None
        parser = getattr(p, "parser", None)
        if parser is None:  # pragma: no cover - defusedxml keeps the expat parser there
            return "/*"
        return f"line {parser.CurrentLineNumber}, column {parser.CurrentColumnNumber + 1}"

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        self._depth += 1
        self._count += 1
        if self._depth > MAX_DEPTH:
            raise NoticeFormatError(
                f"elements nested more than {MAX_DEPTH} deep; real notices nest about a dozen",
                self._where(),
            )
        if self._count > MAX_ELEMENTS:
            raise NoticeFormatError(
                f"more than {MAX_ELEMENTS} elements; a notice with 100 lots has about 26000",
                self._where(),
            )
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


def _load(data: bytes | str | os.PathLike[str], max_bytes: int) -> bytes | str:
    """The notice's bytes or text, bounded in size before anything is parsed."""
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise NoticeFormatError(
                f"the notice is {len(data)} bytes, more than the limit of {max_bytes}", "file"
            )
        return data
    if isinstance(data, str) and data.lstrip("\ufeff \t\r\n").startswith("<"):
        if len(data) > max_bytes:
            raise NoticeFormatError(
                f"the notice is {len(data)} characters, more than the limit of {max_bytes}",
                "file",
            )
        return data
    if isinstance(data, (str, os.PathLike)):
        try:
            path = Path(data)
            with path.open("rb") as handle:
                content = handle.read(max_bytes + 1)
        except (OSError, ValueError, TypeError) as exc:  # missing, too long a name, a NUL
            raise NoticeFormatError(
                f"not XML, and no notice file can be read at {shown(str(data))} "
                f"({type(exc).__name__})",
                "file",
            ) from None
        if len(content) > max_bytes:
            raise NoticeFormatError(
                f"{path.name} is more than the limit of {max_bytes} bytes", "file"
            )
        return content
    raise InvalidPayload(
        f"'data' must be bytes, XML text or a path, got {type(data).__name__}", "data"
    )


def _parse(content: bytes | str) -> ET.Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    holder: list[Any] = []
    builder = _BoundedBuilder(holder)
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    holder.append(parser)
    try:
        parser.feed(content)
        root: ET.Element = parser.close()
    except NoticeFormatError:
        raise
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":", 1)[0]
        raise NoticeFormatError(
            f"not well-formed XML ({reason})", f"line {line}, column {column + 1}"
        ) from None
    except DefusedXmlException as exc:
        where = "/*"
        inner = getattr(parser, "parser", None)
        if inner is not None:
            where = f"line {inner.CurrentLineNumber}, column {inner.CurrentColumnNumber + 1}"
        kind = type(exc).__name__.replace("Forbidden", "").replace("Entities", "entity")
        raise NoticeFormatError(
            f"refused: the document declares a {kind.lower() or 'forbidden construct'} "
            "(DTDs, entities and external references are not allowed in a notice)",
            where,
        ) from None
    except LookupError as exc:  # expat: an encoding declaration Python does not know
        raise NoticeFormatError(f"declares an unknown encoding ({exc})", "file") from None
    except (ValueError, UnicodeError, RecursionError) as exc:  # pragma: no cover - defensive
        raise NoticeFormatError(f"cannot be read as XML ({exc})", "file") from None
    return root


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?")
_FIRST_YEAR, _LAST_YEAR = 1990, 2099
_DECIMAL = re.compile(r"\+?\d+(\.\d*)?|\+?\.\d+")


def _offset(text: str | None, where: str) -> tzinfo | None:
    if text is None:
        return None
    if text == "Z":
        return timezone.utc
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59 or (hours == 14 and minutes):
        raise NoticeFormatError(f"time zone offset {text!r} is out of range", where)
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def _parse_date(text: str, where: str) -> tuple[date, tzinfo | None]:
    """An ``xsd:date`` (``2019-10-24+02:00``, ``2019-10-24Z``) as a date and its offset."""
    m = _DATE.fullmatch(text)
    if m is None:
        raise NoticeFormatError(f"{text!r} is not a date such as 2019-10-24+02:00", where)
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise NoticeFormatError(f"{text!r} is not a real date", where) from None
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise NoticeFormatError(
            f"{text!r} is outside the years {_FIRST_YEAR}-{_LAST_YEAR} that can be checked",
            where,
        )
    return day, _offset(m[4], where)


def _parse_time(text: str, where: str) -> tuple[time, tzinfo | None, bool]:
    """An ``xsd:time`` (``10:00:00+02:00``, ``09:51:25Z``) as a time, its offset, and
    whether it is ``24:00:00`` (the end of the day)."""
    m = _TIME.fullmatch(text)
    if m is None:
        raise NoticeFormatError(f"{text!r} is not a time such as 10:00:00+02:00", where)
    hour, minute, second = int(m[1]), int(m[2]), int(m[3])
    micro = int((m[4] or "0")[:6].ljust(6, "0"))
    zone = _offset(m[5], where)
    if hour == 24 and minute == second == micro == 0:
        return time(0, 0), zone, True
    try:
        return time(hour, minute, second, micro), zone, False
    except ValueError:
        raise NoticeFormatError(f"{text!r} is not a real time", where) from None


def _instant(day_text: str, time_text: str | None, where: str) -> datetime:
    """The aware instant of an eForms date and optional time (see the module's notes).

    ```pycon
    >>> from innoproc import OSLO
    >>> _instant("2020-05-07+01:00", "23:55:00+01:00", "x").astimezone(OSLO).isoformat()
    '2020-05-08T00:55:00+02:00'
    >>> _instant("2020-05-07Z", None, "x").isoformat()
    '2020-05-07T23:59:59.999999+00:00'

    ```
    """
    day, day_zone = _parse_date(day_text, where)
    if time_text is None:
        if day_zone is None:
            raise NoticeFormatError(f"date {day_text!r} has no time zone offset", where)
        return datetime.combine(day, time.max, tzinfo=day_zone)
    clock, time_zone, midnight_after = _parse_time(time_text, where)
    zone = time_zone or day_zone
    if zone is None:
        raise NoticeFormatError(
            f"neither date {day_text!r} nor time {time_text!r} has a time zone offset", where
        )
    if midnight_after:
        day += timedelta(days=1)
    return datetime.combine(day, clock, tzinfo=zone)


@attrs.frozen
class Amount:
    """An amount of money with its currency (ISO 4217 code), as the notice gives it."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@attrs.frozen
class Lot:
    """One lot of a notice (BT-137 with scheme ``Lot``), with its own time limits.

    ``request_deadline`` is BT-1311 (requests to participate), ``tender_deadline`` BT-131
    (receipt of tenders), both aware instants or ``None``. ``electronic_submission`` is
    BT-17 (``required``, ``allowed``, ``not-allowed``); ``previous_planning`` the prior
    information notices the lot refers to (BT-125(i)).
    """

    id: str
    title: str | None = None
    main_cpv: str | None = None
    additional_cpv: tuple[str, ...] = ()
    estimated_value: Amount | None = None
    request_deadline: datetime | None = None
    tender_deadline: datetime | None = None
    electronic_submission: str | None = None
    previous_planning: tuple[str, ...] = ()


_COMPETITION = frozenset({str(n) for n in range(15, 25)} | {"E3"})
_PIN_CALL = frozenset({"10", "11", "12", "13", "14", "CEI"})


@attrs.frozen
class Notice:
    """An eForms notice as read by ``read_notice``: what the time-limit checks and a case need.

    ``id`` is BT-701, ``version`` BT-757, ``subtype`` OPP-070 (``"16"``, ``"E3"``...),
    ``legal_basis`` BT-01 (``"32014L0024"``, ``"other"``...), ``procedure_type`` BT-105
    (``"open"``, ``"innovation"``... or ``None``), ``accelerated`` BT-106, ``dispatched``
    BT-05 (date and time), ``buyers`` the names (BT-500) of the organisations that are the
    contracting party, with their countries in ``buyer_countries`` (ISO 3166-1 alpha-3),
    ``title`` BT-21, ``main_cpv`` and ``additional_cpv`` BT-262 and BT-263,
    ``estimated_value`` BT-27, ``lots`` the lots, ``lots_groups`` the ids of lots groups,
    ``changes`` the notice a change notice changes (BT-758), ``procedure_id`` BT-04.
    """

    id: str
    version: str | None
    subtype: str
    legal_basis: str
    dispatched: datetime
    procedure_type: str | None = None
    accelerated: bool = False
    notice_type: str | None = None
    form_type: str | None = None
    buyers: tuple[str, ...] = ()
    buyer_countries: tuple[str, ...] = ()
    title: str | None = None
    main_cpv: str | None = None
    additional_cpv: tuple[str, ...] = ()
    estimated_value: Amount | None = None
    lots: tuple[Lot, ...] = ()
    lots_groups: tuple[str, ...] = ()
    changes: str | None = None
    procedure_id: str | None = None
    language: str | None = None

    @property
    def kind(self) -> Literal["competition", "pin-as-call", "other"]:
        """``competition`` for a contract notice, ``pin-as-call`` for a prior information
        notice used as a call for competition (subtypes 10-14), ``other`` otherwise
        (planning, results, modification notices: no time limit to check)."""
        if self.subtype in _COMPETITION:
            return "competition"
        if self.subtype in _PIN_CALL:
            return "pin-as-call"
        return "other"

    @property
    def is_change(self) -> bool:
        """True for a change notice (it names the notice it changes, BT-758)."""
        return self.changes is not None

    @property
    def reference(self) -> str:
        """The notice's id with its version, as a change notice names it (``<id>-<version>``)."""
        return f"{self.id}-{self.version}" if self.version else self.id


def _text(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


def _multilingual(parent: ET.Element, key: str, language: str | None) -> str | None:
    found = parent.findall(_Q[key])
    for el in found:
        if language and el.get("languageID") == language and _text(el):
            return _text(el)
    for el in found:
        if _text(el):
            return _text(el)
    return None


def _codes(parent: ET.Element, key: str) -> tuple[str, ...]:
    return tuple(t for t in (_text(el) for el in parent.findall(_Q[key])) if t)


def _amount(parent: ET.Element, key: str, where: str) -> Amount | None:
    el = parent.find(_Q[key])
    text = _text(el)
    if el is None or text is None:
        return None
    # xsd:decimal: digits with an optional fraction, no exponent (no 1e999999, no NaN).
    if len(text) > 40 or not _DECIMAL.fullmatch(text):
        raise NoticeFormatError(f"estimated value {text[:40]!r} is not an amount", where)
    value = Decimal(text)
    currency = el.get("currencyID")
    if not currency or not re.fullmatch(r"[A-Z]{3}", currency):
        raise NoticeFormatError(f"estimated value {text!r} has no valid currencyID", where)
    return Amount(value, currency)


def _deadline(lot: ET.Element, date_key: str, time_key: str, where: str) -> datetime | None:
    day = _text(lot.find(_Q[date_key]))
    clock = _text(lot.find(_Q[time_key]))
    if day is None:
        if clock is not None:
            raise NoticeFormatError(f"a time {clock!r} is given without a date", where)
        return None
    return _instant(day, clock, where)


def _required(root: ET.Element, key: str) -> str:
    value = _text(root.find(_Q[key]))
    if value is None:
        raise NoticeFormatError(f"missing mandatory element {_P[key]}", f"/*/{_P[key]}")
    return value


def _read_lot(el: ET.Element, lot_id: str, language: str | None) -> Lot:
    where = f"/*/cac:ProcurementProjectLot[cbc:ID='{lot_id}']"
    submission = None
    for code in el.findall(_Q["submission"]):
        if code.get("listName") == "esubmission":
            submission = _text(code)
    return Lot(
        id=lot_id,
        title=_multilingual(el, "lot_title", language),
        main_cpv=_text(el.find(_Q["lot_main_cpv"])),
        additional_cpv=_codes(el, "lot_more_cpv"),
        estimated_value=_amount(el, "lot_value", f"{where}/{_P['lot_value']}"),
        request_deadline=_deadline(
            el, "request_date", "request_time", f"{where}/{_P['request_date']}"
        ),
        tender_deadline=_deadline(el, "tender_date", "tender_time", f"{where}/{_P['tender_date']}"),
        electronic_submission=submission,
        previous_planning=_codes(el, "pin"),
    )


def _to_notice(root: ET.Element) -> Notice:
    if root.tag not in _ROOTS:
        raise NoticeFormatError(
            f"root element {root.tag!r} is not an eForms notice (ContractNotice, "
            "PriorInformationNotice or ContractAwardNotice in the UBL namespaces)",
            "/*",
        )
    language = _text(root.find(_Q["language"]))
    issue_date = _required(root, "issue_date")
    issue_time = _required(root, "issue_time")
    dispatched = _instant(issue_date, issue_time, "/*/cbc:IssueDate")
    accelerated = False
    for justification in root.findall(_Q["justification"]):
        code = justification.find(_Q["reason_code"])
        if code is not None and code.get("listName") == "accelerated-procedure":
            value = _text(code)
            if value not in ("true", "false"):
                raise NoticeFormatError(
                    f"accelerated procedure (BT-106) must be true or false, got {value!r}",
                    "/*/cac:TenderingProcess/cac:ProcessJustification/cbc:ProcessReasonCode",
                )
            accelerated = value == "true"
    organisations: dict[str, tuple[str | None, str | None]] = {}
    for company in root.findall(_Q["organisations"]):
        org_id = _text(company.find(_Q["org_id"]))
        if org_id:
            organisations[org_id] = (
                _multilingual(company, "org_name", language),
                _text(company.find(_Q["org_country"])),
            )
    buyers: list[str] = []
    countries: list[str] = []
    for ref in _codes(root, "buyer_ids"):
        name, country = organisations.get(ref, (None, None))
        if name is None:
            raise NoticeFormatError(
                f"the buyer {ref!r} is not among the notice's organisations",
                "/*/cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID",
            )
        buyers.append(name)
        if country:
            countries.append(country)
    lots: list[Lot] = []
    groups: list[str] = []
    for el in root.findall(_Q["lots"]):
        id_el = el.find(_Q["lot_id"])
        lot_id = _text(id_el)
        if id_el is None or lot_id is None:
            raise NoticeFormatError(
                "a lot has no identifier", "/*/cac:ProcurementProjectLot/cbc:ID"
            )
        scheme = id_el.get("schemeName")
        if scheme == "Lot":
            lots.append(_read_lot(el, lot_id, language))
        elif scheme == "LotsGroup":
            groups.append(lot_id)
        # Parts (of a prior information notice used only for information) are not lots.
    notice_type_el = root.find(_Q["notice_type"])
    return Notice(
        id=_required(root, "id"),
        version=_text(root.find(_Q["version"])),
        subtype=_required(root, "subtype"),
        legal_basis=_required(root, "legal_basis"),
        dispatched=dispatched,
        procedure_type=_text(root.find(_Q["procedure"])),
        accelerated=accelerated,
        notice_type=_text(notice_type_el),
        form_type=None if notice_type_el is None else notice_type_el.get("listName"),
        buyers=tuple(buyers),
        buyer_countries=tuple(dict.fromkeys(countries)),
        title=_multilingual(root, "title", language),
        main_cpv=_text(root.find(_Q["main_cpv"])),
        additional_cpv=_codes(root, "more_cpv"),
        estimated_value=_amount(root, "value", f"/*/{_P['value']}"),
        lots=tuple(lots),
        lots_groups=tuple(groups),
        changes=_text(root.find(_Q["changes"])),
        procedure_id=_text(root.find(_Q["folder"])),
        language=language,
    )


def read_notice(data: bytes | str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Notice:
    """Read an eForms notice from bytes, XML text or a path into a ``Notice``.

    A ``str`` is XML text when it starts with ``<`` (after white space), else a path.
    Raises ``NoticeFormatError`` (with ``.where``: a line and column, or an XPath) for
    anything that is not a readable eForms notice, including hostile XML; ``OSError`` when
    a path cannot be read. Nothing outside ``data`` is ever opened or fetched.

    ```pycon
    >>> notice = read_notice("tests/data/eforms/cn_25.xml")
    >>> notice.buyers, notice.estimated_value
    (('Scottish Water',), Amount(amount=Decimal('1500000'), currency='EUR'))
    >>> read_notice(b"<ContractNotice/>")
    Traceback (most recent call last):
    innoproc._errors.NoticeFormatError: root element 'ContractNotice' is not an eForms notice ...

    ```
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidPayload(
            f"'max_bytes' must be a positive whole number, got {shown(max_bytes)}", "max_bytes"
        )
    return _to_notice(_parse(_load(data, max_bytes)))
