# ruff: noqa: E501
"""A small builder of eForms notices for tests, on the structure of the SDK's cn_24_minimal.

Only the elements innoproc reads are written; the result is a well-formed notice, not one
that passes the SDK's schematron rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_NS = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
    'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" '
    'xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1" '
    'xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1" '
    'xmlns:efbc="http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"'
)


@dataclass
class LotSpec:
    """One lot (or, with ``scheme="LotsGroup"``, a lots group)."""

    id: str = "LOT-0001"
    title: str = "Lot 1"
    cpv: str = "72000000"
    value: str | None = None
    request: tuple[str, str | None] | None = None
    tender: tuple[str, str | None] | None = None
    esubmission: str | None = "required"
    pin: str | None = None
    scheme: str = "Lot"


@dataclass
class NoticeSpec:
    """A notice's fields; every default gives a valid open procedure under 2014/24/EU."""

    root: str = "ContractNotice"
    notice_id: str = "00000000-0000-4000-8000-000000000001"
    version: str = "01"
    subtype: str = "16"
    legal_basis: str = "32014L0024"
    procedure: str | None = "open"
    accelerated: str | None = "false"
    issue_date: str = "2024-03-01+01:00"
    issue_time: str = "10:00:00+01:00"
    buyers: Sequence[tuple[str, str, str]] = (("ORG-0001", "Eksempel kommune", "NOR"),)
    others: Sequence[tuple[str, str, str]] = (("ORG-0002", "KOFA", "NOR"),)
    title: str = "Test notice"
    cpv: str = "72000000"
    more_cpv: Sequence[str] = ()
    value: tuple[str, str] | None = None
    lots: Sequence[LotSpec] = field(
        default_factory=lambda: [LotSpec(tender=("2024-04-15+02:00", "12:00:00+02:00"))]
    )
    changes: str | None = None
    language: str = "ENG"
    comment: str = ""

    def xml(self) -> str:
        """The notice as XML text."""
        return build(self)


def _org(org_id: str, name: str, country: str) -> str:
    return f"""
            <efac:Organization><efac:Company>
              <cac:PartyIdentification><cbc:ID schemeName="organization">{org_id}</cbc:ID></cac:PartyIdentification>
              <cac:PartyName><cbc:Name languageID="ENG">{escape(name)}</cbc:Name></cac:PartyName>
              <cac:PostalAddress><cac:Country><cbc:IdentificationCode listName="country">{country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
            </efac:Company></efac:Organization>"""


def _period(tag: str, value: tuple[str, str | None] | None) -> str:
    if value is None:
        return ""
    day, clock = value
    time_el = "" if clock is None else f"<cbc:EndTime>{clock}</cbc:EndTime>"
    return f"<cac:{tag}><cbc:EndDate>{day}</cbc:EndDate>{time_el}</cac:{tag}>"


def _lot(lot: LotSpec) -> str:
    esub = (
        ""
        if lot.esubmission is None
        else f'<cbc:SubmissionMethodCode listName="esubmission">{lot.esubmission}</cbc:SubmissionMethodCode>'
    )
    pin = (
        ""
        if lot.pin is None
        else f'<cac:NoticeDocumentReference><cbc:ID schemeName="notice-id-ref">{lot.pin}</cbc:ID></cac:NoticeDocumentReference>'
    )
    value = (
        ""
        if lot.value is None
        else f'<cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="NOK">{lot.value}</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>'
    )
    return f"""
  <cac:ProcurementProjectLot>
    <cbc:ID schemeName="{lot.scheme}">{lot.id}</cbc:ID>
    <cac:TenderingProcess>
      {esub}
      {_period("TenderSubmissionDeadlinePeriod", lot.tender)}
      {_period("ParticipationRequestReceptionPeriod", lot.request)}
      {pin}
    </cac:TenderingProcess>
    <cac:ProcurementProject>
      <cbc:Name languageID="ENG">{escape(lot.title)}</cbc:Name>
      {value}
      <cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">{lot.cpv}</cbc:ItemClassificationCode></cac:MainCommodityClassification>
    </cac:ProcurementProject>
  </cac:ProcurementProjectLot>"""


def build(spec: NoticeSpec) -> str:
    """The XML text of ``spec``."""
    changes = (
        ""
        if spec.changes is None
        else f"""<efac:Changes><efbc:ChangedNoticeIdentifier>{spec.changes}</efbc:ChangedNoticeIdentifier>
            <efac:Change><efbc:ChangeDescription languageID="ENG">Time limit changed</efbc:ChangeDescription></efac:Change></efac:Changes>"""
    )
    orgs = "".join(_org(*o) for o in (*spec.buyers, *spec.others))
    parties = "".join(
        f'<cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID schemeName="organization">{o[0]}</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>'
        for o in spec.buyers
    )
    procedure = (
        ""
        if spec.procedure is None
        else f'<cbc:ProcedureCode listName="procurement-procedure-type">{spec.procedure}</cbc:ProcedureCode>'
    )
    accelerated = (
        ""
        if spec.accelerated is None
        else f'<cac:ProcessJustification><cbc:ProcessReasonCode listName="accelerated-procedure">{spec.accelerated}</cbc:ProcessReasonCode></cac:ProcessJustification>'
    )
    value = (
        ""
        if spec.value is None
        else f'<cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="{spec.value[1]}">{spec.value[0]}</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>'
    )
    more = "".join(
        f'<cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">{c}</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>'
        for c in spec.more_cpv
    )
    groups = [lot for lot in spec.lots if lot.scheme == "LotsGroup"]
    distribution = ""
    if groups:
        refs = "".join(
            f'<cac:ProcurementProjectLotReference><cbc:ID schemeName="Lot">{lot.id}</cbc:ID></cac:ProcurementProjectLotReference>'
            for lot in spec.lots
            if lot.scheme == "Lot"
        )
        distribution = f"""<cac:TenderingTerms><cac:LotDistribution><cac:LotsGroup>
      <cbc:LotsGroupID schemeName="LotsGroup">{groups[0].id}</cbc:LotsGroupID>{refs}
    </cac:LotsGroup></cac:LotDistribution></cac:TenderingTerms>"""
    comment = f"<!-- {spec.comment} -->\n" if spec.comment else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{comment}<{spec.root} {_NS.format(root=spec.root)}>
  <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension>
    {changes}
    <efac:NoticeSubType><cbc:SubTypeCode listName="notice-subtype">{spec.subtype}</cbc:SubTypeCode></efac:NoticeSubType>
    <efac:Organizations>{orgs}
    </efac:Organizations>
  </efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
  <cbc:UBLVersionID>2.3</cbc:UBLVersionID>
  <cbc:CustomizationID>eforms-sdk-1.15</cbc:CustomizationID>
  <cbc:ID schemeName="notice-id">{spec.notice_id}</cbc:ID>
  <cbc:ContractFolderID>{spec.notice_id[:8]}-folder</cbc:ContractFolderID>
  <cbc:IssueDate>{spec.issue_date}</cbc:IssueDate>
  <cbc:IssueTime>{spec.issue_time}</cbc:IssueTime>
  <cbc:VersionID>{spec.version}</cbc:VersionID>
  <cbc:RegulatoryDomain>{spec.legal_basis}</cbc:RegulatoryDomain>
  <cbc:NoticeTypeCode listName="competition">cn-standard</cbc:NoticeTypeCode>
  <cbc:NoticeLanguageCode>{spec.language}</cbc:NoticeLanguageCode>
  {parties}
  {distribution}
  <cac:TenderingProcess>
    {procedure}
    {accelerated}
  </cac:TenderingProcess>
  <cac:ProcurementProject>
    <cbc:Name languageID="ENG">{escape(spec.title)}</cbc:Name>
    {value}
    <cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">{spec.cpv}</cbc:ItemClassificationCode></cac:MainCommodityClassification>
    {more}
  </cac:ProcurementProject>{"".join(_lot(lot) for lot in spec.lots)}
</{spec.root}>
"""
