"""eForms notices: reading, dates, time-limit checks, hostile XML and cases from notices."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from _builders import in_market_dialogue
from _eforms_builder import LotSpec, NoticeSpec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import innoproc
from innoproc import OSLO, eforms
from innoproc.deadlines import period
from innoproc.eforms import Amount, NoticeFormatError, UnsupportedNotice, check_notice, read_notice

DATA = Path(__file__).parent / "data" / "eforms"


def notice_of(spec: NoticeSpec) -> eforms.Notice:
    return read_notice(spec.xml())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class TestReadShared:
    """The two example notices from the eForms SDK (shared test data)."""

    def test_cn_24_minimal(self) -> None:
        """Every field of the minimal open procedure notice is read as the SDK defines it."""
        n = read_notice(DATA / "cn_24_minimal.xml")
        assert (n.id, n.version, n.subtype) == ("f42be27e-09cf-4f0e-a745-63ec689631e6", "01", "16")
        assert (n.legal_basis, n.procedure_type, n.accelerated) == ("32014L0024", "open", False)
        assert n.dispatched == datetime(2019, 11, 21, 0, 0, tzinfo=timezone(timedelta(hours=1)))
        assert n.buyers == ("Publications Office of the European Union",)
        assert n.title is not None and n.title.startswith("Provision of IT Services")
        assert (n.main_cpv, n.additional_cpv, n.estimated_value) == ("72230000", (), None)
        (lot,) = n.lots
        assert lot.id == "LOT-0000"
        assert lot.tender_deadline == datetime(
            2020, 2, 4, 10, 0, tzinfo=timezone(timedelta(hours=2))
        )
        assert lot.request_deadline is None
        assert lot.electronic_submission == "required"
        assert n.kind == "competition" and not n.is_change

    def test_review_body_is_not_a_buyer(self) -> None:
        """The General Court (the review body) is an organisation of the notice, not a buyer."""
        n = read_notice(DATA / "cn_24_minimal.xml")
        assert "General Court of the European Union" not in n.buyers

    def test_cn_25(self) -> None:
        """The utilities notice: buyer (not the eSender or court), CPV codes, value, deadline."""
        n = read_notice(DATA / "cn_25.xml")
        assert n.buyers == ("Scottish Water",)
        assert n.buyer_countries == ("GBR",)
        assert (n.legal_basis, n.procedure_type) == ("32014L0025", "neg-w-call")
        assert n.main_cpv == "50000000"
        assert n.additional_cpv == ("09331200", "31712331")
        assert n.estimated_value == Amount(Decimal("1500000"), "EUR")
        assert n.lots[0].request_deadline == at("2020-05-27T11:00:00+01:00")
        assert n.dispatched == at("2020-04-15T03:23:02+01:00")

    def test_bytes_text_and_path_agree(self) -> None:
        """A notice reads the same from a path, a str path, bytes and XML text."""
        path = DATA / "cn_25.xml"
        raw = path.read_bytes()
        readings = {
            read_notice(path),
            read_notice(str(path)),
            read_notice(raw),
            read_notice(raw.decode("utf-8")),
        }
        assert len(readings) == 1

    def test_frozen(self) -> None:
        """A Notice cannot be changed after reading."""
        n = read_notice(DATA / "cn_25.xml")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            n.id = "x"  # type: ignore[misc]


class TestReadStructure:
    def test_lots_group_is_not_a_lot(self) -> None:
        """Lots groups are listed apart; only Lot-scheme elements are lots."""
        n = read_notice(DATA / "cn_24_maximal.xml")
        assert [lot.id for lot in n.lots] == ["LOT-0001", "LOT-0002"]
        assert n.lots_groups == ("GLO-0001",)
        assert n.accelerated is True
        own = read_notice(DATA / "own_lots_and_group.xml")
        assert [lot.id for lot in own.lots] == ["LOT-0001", "LOT-0002", "LOT-0003"]
        assert own.lots_groups == ("GLO-0001",)
        assert own.lots[0].estimated_value == Amount(Decimal("1200000"), "NOK")

    def test_parts_are_not_lots(self) -> None:
        """Parts of a prior information notice are not lots."""
        spec = NoticeSpec(
            root="PriorInformationNotice", subtype="4", lots=[LotSpec(id="PAR-0001", scheme="Part")]
        )
        n = notice_of(spec)
        assert n.lots == () and n.kind == "other"

    def test_title_in_the_notice_language(self) -> None:
        """A multilingual title is read in the notice's own language."""
        n = read_notice(DATA / "cn_24_multilingual.xml")
        assert n.language == "ENG"
        assert n.title is not None and n.title.isascii()

    def test_change_notice(self) -> None:
        """A change notice names the notice and version it changes (BT-758)."""
        n = read_notice(DATA / "change-cn_24_open_dates.xml")
        assert n.changes == "c4c415ee-ac08-4465-8fa6-57568cf69462-01"
        assert n.is_change

    def test_kinds(self) -> None:
        """Subtypes are sorted into calls, PINs used as calls and other notices."""
        assert read_notice(DATA / "pin-cfc_24.xml").kind == "pin-as-call"
        assert read_notice(DATA / "can_24_minimal.xml").kind == "other"
        assert read_notice(DATA / "E3_minimal.xml").kind == "competition"


class TestDates:
    def test_date_with_offset_is_not_a_naive_time(self) -> None:
        """2019-10-24+02:00 is a date in +02:00, not 02:00 o'clock (the fromisoformat trap)."""
        n = notice_of(NoticeSpec(issue_date="2019-10-24+02:00", issue_time="10:00:00+02:00"))
        assert n.dispatched == datetime(2019, 10, 24, 8, 0, tzinfo=timezone.utc)

    def test_z_times(self) -> None:
        """'Z' dates and times read on every supported Python."""
        n = notice_of(NoticeSpec(issue_date="2023-05-26Z", issue_time="09:51:25Z"))
        assert n.dispatched == datetime(2023, 5, 26, 9, 51, 25, tzinfo=timezone.utc)

    def test_date_without_time_is_the_end_of_that_day(self) -> None:
        """A deadline date with no time means the end of that day in its own offset."""
        n = notice_of(NoticeSpec(lots=[LotSpec(tender=("2024-04-15+02:00", None))]))
        assert n.lots[0].tender_deadline == datetime(
            2024, 4, 15, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=2))
        )

    def test_time_offset_governs(self) -> None:
        """When the date's and the time's offsets differ, the time is read in its own."""
        n = notice_of(NoticeSpec(lots=[LotSpec(tender=("2020-02-04+01:00", "10:00:00+02:00"))]))
        assert n.lots[0].tender_deadline == at("2020-02-04T10:00:00+02:00")

    def test_24_00_is_midnight_after(self) -> None:
        """xsd:time 24:00:00 is the first instant of the next day."""
        n = notice_of(NoticeSpec(lots=[LotSpec(tender=("2024-04-15+02:00", "24:00:00+02:00"))]))
        assert n.lots[0].tender_deadline == at("2024-04-16T00:00:00+02:00")

    def test_2355_winter_offset_is_next_day_in_oslo(self) -> None:
        """23:55+01:00 in June is 00:55 the next day in Oslo, and counts as that."""
        n = read_notice(DATA / "own_utilities_summer.xml")
        deadline = n.lots[0].request_deadline
        assert deadline is not None
        assert deadline.astimezone(OSLO).date() == date(2024, 6, 19)
        check = check_notice(n)
        assert check.ok
        assert check.lots[0].limits[0].earliest == period(n.dispatched, 15).end

    @pytest.mark.parametrize(
        ("day", "clock", "problem"),
        [
            ("2024-03-01", "10:00:00", "time zone offset"),
            ("2024-13-01+01:00", "10:00:00+01:00", "not a real date"),
            ("2024-03-01+01:00", "25:00:00+01:00", "not a real time"),
            ("01.03.2024", "10:00:00+01:00", "not a date"),
            ("2024-03-01+01:00", "10:00+01:00", "not a time"),
            ("2024-03-01+15:00", "10:00:00", "out of range"),
            ("2150-03-01+01:00", "10:00:00+01:00", "outside the years"),
        ],
    )
    def test_bad_dates(self, day: str, clock: str, problem: str) -> None:
        """Unreadable, unreal, zone-less or out-of-range dates name the element."""
        with pytest.raises(NoticeFormatError, match=problem) as info:
            notice_of(NoticeSpec(issue_date=day, issue_time=clock))
        assert info.value.where == "/*/cbc:IssueDate"


# -- checking ----------------------------------------------------------------------------------

SENT = "2025-01-06"  # a Monday in winter (+01:00)


def _end_of(day: date) -> tuple[str, str]:
    offset = OSLO.utcoffset(datetime(day.year, day.month, day.day, 12))
    assert offset is not None
    hours = int(offset.total_seconds() // 3600)
    return f"{day.isoformat()}+{hours:02d}:00", f"23:59:00+{hours:02d}:00"


def _spec(
    basis: str,
    procedure: str,
    deadline: tuple[str, str | None],
    *,
    accelerated: bool = False,
    esub: str | None = "required",
    pin: str | None = None,
) -> NoticeSpec:
    limit = "tender" if procedure == "open" else "request"
    lot = LotSpec(esubmission=esub, pin=pin, **{limit: deadline})  # type: ignore[arg-type]
    return NoticeSpec(
        subtype="16" if basis == "32014L0024" else "17",
        legal_basis=basis,
        procedure=procedure,
        accelerated="true" if accelerated else "false",
        issue_date=f"{SENT}+01:00",
        issue_time="10:00:00+01:00",
        lots=[lot],
    )


# (legal basis, procedure, accelerated, e-submission, PIN, minimum days, advice expected)
MINIMUMS = [
    ("32014L0024", "open", False, "not-allowed", None, 35, None),
    ("32014L0024", "open", False, "required", None, 30, None),
    ("32014L0024", "open", False, "allowed", None, 30, None),
    ("32014L0024", "open", True, "required", None, 15, "urgency"),
    ("32014L0024", "open", False, "required", "PIN-1", 15, "pin"),
    ("32014L0024", "restricted", False, None, None, 30, None),
    ("32014L0024", "restricted", True, None, None, 15, "urgency"),
    ("32014L0024", "neg-w-call", False, None, None, 30, None),
    ("32014L0024", "neg-w-call", True, None, None, 15, "urgency"),
    ("32014L0024", "comp-dial", False, None, None, 30, None),
    ("32014L0024", "comp-dial", True, None, None, 30, "urgency"),
    ("32014L0024", "innovation", False, None, None, 30, None),
    ("32014L0024", "innovation", True, None, None, 30, "urgency"),
    ("32014L0025", "open", False, "not-allowed", None, 35, None),
    ("32014L0025", "open", False, "required", None, 30, None),
    ("32014L0025", "open", True, "not-allowed", None, 15, "urgency"),
    ("32014L0025", "open", False, "not-allowed", "PIN-1", 15, "pin"),
    ("32014L0025", "restricted", False, None, None, 15, "always"),
    ("32014L0025", "neg-w-call", False, None, None, 15, "always"),
    ("32014L0025", "comp-dial", False, None, None, 15, "always"),
    ("32014L0025", "innovation", False, None, None, 15, "always"),
]


class TestMinimums:
    """Exactly at and one minute before the earliest allowed instant, for every minimum."""

    @pytest.mark.parametrize(("basis", "proc", "accel", "esub", "pin", "days", "advice"), MINIMUMS)
    def test_exactly_at_the_end_of_the_last_day_is_met(
        self,
        basis: str,
        proc: str,
        accel: bool,
        esub: str | None,
        pin: str | None,
        days: int,
        advice: str | None,
    ) -> None:
        """A time limit at the end of the period's last day (24:00) meets the minimum."""
        sent = datetime(2025, 1, 6, 10, 0, tzinfo=OSLO)
        last = period(sent, days).last_day
        deadline = (_end_of(last)[0], None)  # the date alone: the end of that day
        check = check_notice(
            notice_of(_spec(basis, proc, deadline, accelerated=accel, esub=esub, pin=pin))
        )
        (lot,) = check.lots
        assert lot.ok and lot.met == (("tender" if proc == "open" else "request") + "-time-limit",)
        assert lot.limits[0].days == days
        assert lot.limits[0].earliest == period(sent, days).end
        reasons = [f.details["reason"] for f in lot.advice]
        assert reasons == ([] if advice is None else [advice])

    @pytest.mark.parametrize(("basis", "proc", "accel", "esub", "pin", "days", "advice"), MINIMUMS)
    def test_one_minute_before_is_not_met(
        self,
        basis: str,
        proc: str,
        accel: bool,
        esub: str | None,
        pin: str | None,
        days: int,
        advice: str | None,
    ) -> None:
        """23:59 on the period's last day is one minute short: the finding names the earliest."""
        sent = datetime(2025, 1, 6, 10, 0, tzinfo=OSLO)
        p = period(sent, days)
        check = check_notice(
            notice_of(
                _spec(basis, proc, _end_of(p.last_day), accelerated=accel, esub=esub, pin=pin)
            )
        )
        (lot,) = check.lots
        assert not lot.ok and not check.ok
        (finding,) = lot.unmet
        assert finding.details["earliest"] == p.end
        last = f"{p.last_day.day} {p.last_day:%B %Y}"
        assert f"earliest allowed time limit is {last} at 24:00" in finding.message()
        assert finding.code == ("tender" if proc == "open" else "request") + "-time-limit"

    def test_utilities_general_rule_met_without_advice(self) -> None:
        """30 days under the utilities directive meets the general rule: no advice."""
        sent = datetime(2025, 1, 6, 10, 0, tzinfo=OSLO)
        last = period(sent, 30).last_day
        check = check_notice(notice_of(_spec("32014L0025", "restricted", (_end_of(last)[0], None))))
        assert check.ok and check.lots[0].advice == ()


class TestCalendar:
    def test_easter_and_summer_time(self) -> None:
        """Day 30 on Easter Sunday runs to the end of the Tuesday after, in summer time."""
        spec = NoticeSpec(
            issue_date="2024-03-01+01:00",
            issue_time="10:00:00+01:00",
            lots=[LotSpec(tender=("2024-04-02+01:00", "23:30:00+01:00"))],  # 00:30 on 3 April
        )
        check = check_notice(notice_of(spec))
        assert check.ok
        assert check.lots[0].limits[0].earliest == at("2024-04-02T23:59:59.999999+02:00")
        spec.lots = [LotSpec(tender=("2024-04-02+02:00", "23:59:00+02:00"))]
        late = check_notice(notice_of(spec))
        assert not late.ok
        assert "Day 30 is Sunday 31 March 2024 (Easter Sunday), not a working day" in (
            late.lots[0].unmet[0].message()
        )
        assert "dag 30 er søndag 31. mars 2024 (første påskedag)" in (
            late.lots[0].unmet[0].message("nb").lower()
        )

    def test_17_may_and_whit_monday(self) -> None:
        """The innovation partnership notice: day 30 is 17 May, so the limit runs to 21 May."""
        n = read_notice(DATA / "own_innovation_partnership.xml")
        check = check_notice(n)
        assert check.ok
        assert check.lots[0].limits[0].earliest == at("2024-05-21T23:59:59.999999+02:00")
        spec = NoticeSpec(
            procedure="innovation",
            issue_date="2024-04-17+02:00",
            issue_time="09:00:00+02:00",
            lots=[LotSpec(request=("2024-05-20+02:00", "12:00:00+02:00"))],
        )
        short = check_notice(notice_of(spec))
        assert not short.ok
        message = short.lots[0].unmet[0].message()
        assert "21 May 2024 at 24:00" in message
        assert "Friday 17 May 2024 (17 May, Constitution Day)" in message


class TestVerdicts:
    def test_shared_notices_are_met(self) -> None:
        """Both SDK example notices give long enough time limits."""
        for name in ("cn_24_minimal.xml", "cn_25.xml"):
            check = check_notice(read_notice(DATA / name))
            assert check.ok and check.assessed

    def test_several_lots_one_verdict_each(self) -> None:
        """Each lot is judged on its own: no e-submission means 35 days for that lot."""
        check = check_notice(read_notice(DATA / "own_lots_and_group.xml"))
        assert [lot.ok for lot in check.lots] == [True, False, False]
        assert check.lots[1].limits[0].days == 35
        assert check.lots[2].limits[0].days == 30
        assert not check.ok

    def test_accelerated(self) -> None:
        """An accelerated restricted procedure is met at 15 days, with advice on urgency."""
        check = check_notice(read_notice(DATA / "own_accelerated_restricted.xml"))
        assert check.ok
        (advice,) = check.lots[0].advice
        assert advice.details["reason"] == "urgency"
        assert advice.source.provision.startswith("art. 28(6)(a)")

    def test_innovation_accelerated_gets_no_reduction(self) -> None:
        """An innovation partnership marked accelerated still needs 30 days (no reduction)."""
        spec = NoticeSpec(
            procedure="innovation",
            accelerated="true",
            lots=[LotSpec(request=("2024-03-20+01:00", "12:00:00+01:00"))],
        )
        check = check_notice(notice_of(spec))
        assert not check.ok
        assert check.lots[0].limits[0].days == 30
        assert [f.details["reason"] for f in check.lots[0].advice] == ["urgency"]

    def test_change_notice_needs_its_original(self) -> None:
        """A change notice is not assessed alone, and counted from the original's dispatch."""
        change = read_notice(DATA / "own_change_notice.xml")
        alone = check_notice(change)
        assert alone.not_assessed[0].details["reason"] == "change-notice"
        assert alone.ok and not alone.assessed
        original = read_notice(DATA / "own_lots_and_group.xml")
        both = check_notice(change, original=original)
        assert both.ok and both.counted_from == original
        assert both.lots[0].limits[0].earliest == period(original.dispatched, 30).end
        with pytest.raises(innoproc.InvalidPayload, match="the notice this one changes"):
            check_notice(change, original=read_notice(DATA / "cn_25.xml"))

    def test_norwegian_national_notice(self) -> None:
        """Below the EEA thresholds there is no statutory minimum: advice, not an invented one."""
        check = check_notice(read_notice(DATA / "own_national_no.xml"))
        (advice,) = check.advice
        assert advice.code == "no-statutory-minimum"
        assert check.ok and not check.assessed
        assert "complexity" in advice.message()
        assert "kompleksitet" in advice.message("nb")

    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            ("E3_minimal.xml", "legal-basis"),  # 'other', a buyer outside Norway
            ("cn_81.xml", "legal-basis"),  # defence
            ("can_24_minimal.xml", "not-a-call"),
            ("pin-cfc_24.xml", "pin-as-call"),
            ("own_pin_as_call.xml", "pin-as-call"),
            ("cn-social_25.xml", "subtype"),  # the light regime
            ("change-cn_24_open_dates.xml", "change-notice"),
        ],
    )
    def test_not_assessed(self, name: str, reason: str) -> None:
        """What is not modelled is reported as not assessed, never guessed or crashed on."""
        check = check_notice(read_notice(DATA / name))
        (finding,) = check.not_assessed
        assert finding.code == "not-assessed" and finding.details["reason"] == reason
        assert check.ok and not check.assessed
        assert check.explain("nb")

    def test_unmodelled_procedure_type(self) -> None:
        """A procedure type without a modelled minimum is not assessed."""
        check = check_notice(notice_of(NoticeSpec(procedure="oth-single")))
        assert check.not_assessed[0].details["reason"] == "procedure-type"

    def test_missing_deadline_and_tender_deadline_of_two_stage(self) -> None:
        """A lot without its deadline, or a tender deadline in a two-stage procedure, is named."""
        spec = NoticeSpec(procedure="restricted", lots=[LotSpec(tender=("2024-04-15+02:00", None))])
        (lot,) = check_notice(notice_of(spec)).lots
        assert [(f.code, f.details["reason"]) for f in lot.not_assessed] == [
            ("request-time-limit", "not-given"),
            ("tender-time-limit", "from-invitation"),
        ]
        assert lot.limits == () and lot.ok

    def test_explain_in_both_languages_and_json(self) -> None:
        """The verdict explains itself in English and bokmål and serialises to JSON."""
        check = check_notice(read_notice(DATA / "own_lots_and_group.xml"))
        assert "LOT-0003: NOT MET" in check.explain()
        assert "LOT-0003: IKKE OPPFYLT" in check.explain("nb")
        assert "tidligste tillatte frist 2. oktober 2024 kl. 24.00" in check.explain("nb")
        assert "LOT-0003: IKKJE OPPFYLT" in check.explain("nn")
        data = json.loads(json.dumps(check.to_dict()))
        assert data["ok"] is False
        assert data["lots"][2]["unmet"][0]["details"]["earliest"] == (
            "2024-10-02T23:59:59.999999+02:00"
        )
        with pytest.raises(innoproc.UnknownLanguage):
            check.explain("sv")

    def test_sources_carry_verification(self) -> None:
        """Unverified provisions say so in the source of the finding."""
        check = check_notice(read_notice(DATA / "own_utilities_summer.xml"))
        assert "(unverified)" in str(check.lots[0].advice[0].source)
        verified = check_notice(read_notice(DATA / "own_innovation_partnership.xml"))
        assert verified.lots[0].limits[0].source.verified


# -- hostile XML -------------------------------------------------------------------------------

GOOD = (DATA / "cn_24_minimal.xml").read_bytes()


def refused(data: bytes | str, **kw: int) -> NoticeFormatError:
    with pytest.raises(NoticeFormatError) as info:
        read_notice(data, **kw)
    return info.value


class TestHostile:
    def test_billion_laughs(self) -> None:
        """Entity expansion is refused before any entity is expanded."""
        lol = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(
                f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
                for i in range(1, 10)
            )
            + b"]><lolz>&lol9;</lolz>"
        )
        error = refused(lol)
        assert "refused" in error.message
        assert error.where.startswith("line 1")

    @pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/secret"])
    def test_external_entity(self, url: str, tmp_path: Path) -> None:
        """External entities (file or network) are refused and never resolved."""
        xxe = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]><r>&x;</r>'
        error = refused(xxe)
        assert "refused" in error.message and "root:" not in str(error)

    def test_dtd_alone(self) -> None:
        """Any DTD is refused, even without entities."""
        doc = GOOD.replace(b"<ContractNotice", b"<!DOCTYPE ContractNotice>\n<ContractNotice", 1)
        assert "refused" in refused(doc).message

    def test_huge_text_beyond_the_bound(self) -> None:
        """A document larger than the bound is refused before parsing."""
        big = GOOD.replace(
            b"<cbc:Name", b"<cbc:Name>" + b"x" * (eforms.MAX_BYTES) + b"</cbc:Name><cbc:Name", 1
        )
        error = refused(big)
        assert error.where == "file" and "limit" in error.message
        assert refused(GOOD, max_bytes=1000).where == "file"

    def test_deep_nesting(self) -> None:
        """Elements nested far deeper than any notice are refused with the line."""
        deep = b"<a>" * 10_000 + b"</a>" * 10_000
        error = refused(deep)
        assert "nested" in error.message and error.where.startswith("line 1, column")

    def test_too_many_elements(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """More elements than the bound are refused while parsing."""
        from innoproc import _eforms_read

        monkeypatch.setattr(_eforms_read, "MAX_ELEMENTS", 100)
        assert "elements" in refused(GOOD).message

    @pytest.mark.parametrize(
        "data",
        [b"\x89PNG\r\n\x1a\n\x00\x00", b"", b"not xml at all", b"<a><b></a>", "<a>\x00</a>"],
    )
    def test_not_xml(self, data: bytes | str) -> None:
        """Bytes that are not XML give an error with a line and column."""
        assert refused(data).where.startswith("line ")

    def test_wrong_root_or_namespace(self) -> None:
        """A well-formed document that is not an eForms notice is refused at the root."""
        assert refused(b"<html><body/></html>").where == "/*"
        other_ns = GOOD.replace(b"xsd:ContractNotice-2", b"xsd:Invoice-2")
        assert "not an eForms notice" in refused(other_ns).message

    @pytest.mark.parametrize(
        ("element", "xpath"),
        [
            (b"cbc:IssueDate", "/*/cbc:IssueDate"),
            (b"cbc:IssueTime", "/*/cbc:IssueTime"),
            (b"cbc:RegulatoryDomain", "/*/cbc:RegulatoryDomain"),
            (
                b"cbc:SubTypeCode",
                "/*/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/"
                "efext:EformsExtension/efac:NoticeSubType/cbc:SubTypeCode",
            ),
        ],
    )
    def test_missing_mandatory_elements(self, element: bytes, xpath: str) -> None:
        """A missing mandatory element is named by its XPath."""
        doc = GOOD.replace(b"<" + element, b"<cbc:Removed", 1).replace(
            b"</" + element + b">", b"</cbc:Removed>", 1
        )
        error = refused(doc)
        assert error.where == xpath and "missing mandatory element" in error.message

    @pytest.mark.parametrize(
        ("old", "new", "problem"),
        [
            (
                b'<cbc:ProcessReasonCode listName="accelerated-procedure">false',
                b'<cbc:ProcessReasonCode listName="accelerated-procedure">maybe',
                "true or false",
            ),
            (
                b">ORG-0001</cbc:ID>\n\t\t\t</cac:PartyIdentification>\n\t\t</cac:Party>",
                b">ORG-0099</cbc:ID>\n\t\t\t</cac:PartyIdentification>\n\t\t</cac:Party>",
                "not among the notice's organisations",
            ),
        ],
    )
    def test_bad_values(self, old: bytes, new: bytes, problem: str) -> None:
        """Values that make no sense are refused, naming what is wrong."""
        assert old in GOOD
        assert problem in refused(GOOD.replace(old, new, 1)).message

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            (("abc", "EUR"), "not an amount"),
            (("1e999999", "EUR"), "amount"),
            (("100", "euro"), "currencyID"),
            (("NaN", "EUR"), "amount"),
        ],
    )
    def test_bad_amounts(self, value: tuple[str, str], problem: str) -> None:
        """An estimated value must be a finite amount with an ISO currency code."""
        assert problem in refused(NoticeSpec(value=value).xml()).message

    def test_wrong_argument_types(self) -> None:
        """Wrong argument types raise innoproc errors naming the argument."""
        with pytest.raises(innoproc.InvalidPayload, match="'data'"):
            read_notice(123)  # type: ignore[arg-type]
        with pytest.raises(innoproc.InvalidPayload, match="'max_bytes'"):
            read_notice(GOOD, max_bytes=0)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.integers(0, len(GOOD) - 1),
                st.integers(0, 40),
                st.binary(max_size=12)
                | st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b"]]>",
                        b"<!DOCTYPE x>",
                        b"&lol;",
                        b"+25:00",
                        b"9999",
                        b"-",
                        b"Z",
                        b'"',
                        b"\x00",
                        b"\xff",
                        b"</cbc:ID>",
                        b"<cbc:ID>",
                        b"T",
                    ]
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_mutations_give_a_notice_or_a_format_error(
        self, edits: list[tuple[int, int, bytes]]
    ) -> None:
        """Random edits of a good notice give a notice (that can be checked) or the typed error."""
        doc = GOOD
        for pos, cut, insert in edits:
            doc = doc[:pos] + insert + doc[pos + cut :]
        try:
            notice = read_notice(doc)
        except NoticeFormatError as exc:
            assert exc.where
            return
        check = check_notice(notice)
        check.explain("nb")
        json.dumps(check.to_dict())


# -- cases ---------------------------------------------------------------------------------------

IP = DATA / "own_innovation_partnership.xml"
AT = datetime(2024, 4, 17, 9, 0, tzinfo=OSLO)


class TestOpenCase:
    def test_new_case_records_the_notice(self) -> None:
        """A new case keeps what the notice says and why the notice step cannot yet be taken."""
        notice = read_notice(IP)
        result = eforms.open_case_from_notice(notice, at=AT, by="Analyst")
        case = result.case
        assert case.procedure_id == "innovation-partnership"
        assert case.authority == "Bergen kommune"
        assert case.reference == notice.procedure_id
        assert case.details["cpv"] == "73000000"
        assert case.details["estimated_value"]["amount"] == "25000000"
        source = case.details["source_notice"]
        assert (source["id"], source["version"], source["lot"]) == (notice.id, "01", "LOT-0001")
        assert not result.published and case.state == "needs"
        assert "leadership-anchoring" in result.assessment.codes
        assert result.assessment.missing == ("partners",)
        assert case.history == ()

    def test_advances_a_prepared_case_and_maps_to_ocds(self) -> None:
        """A case with its facts recorded publishes from the notice; history names the notice."""
        notice = read_notice(IP)
        case = in_market_dialogue()
        result = eforms.open_case_from_notice(
            notice, at=AT, by="Analyst", case=case, partners="several"
        )
        assert result.published and case.state == "tendering", result.assessment.explain()
        step = case.history[-1]
        assert step.by == f"Analyst (from eForms notice {notice.id}-01, lot LOT-0001)"
        assert step.payload["request_deadline"] == notice.lots[0].request_deadline
        release = innoproc.to_ocds(case)
        assert release["tender"]["tenderPeriod"] == {
            "startDate": notice.dispatched.isoformat(),
            "endDate": notice.lots[0].request_deadline.isoformat(),  # type: ignore[union-attr]
        }
        assert release["tender"]["procurementMethodDetails"] == "Innovation partnership"

    def test_too_short_a_notice_is_refused_by_the_case_too(self) -> None:
        """The case's own rule agrees with the notice check: 20 days is refused."""
        spec = NoticeSpec(
            procedure="innovation",
            issue_date="2024-04-17+02:00",
            issue_time="09:00:00+02:00",
            lots=[LotSpec(request=("2024-05-07+02:00", "12:00:00+02:00"))],
        )
        notice = notice_of(spec)
        assert not check_notice(notice).ok
        case = in_market_dialogue()
        result = eforms.open_case_from_notice(
            notice, at=AT, by="Analyst", case=case, partners="several"
        )
        assert not result.published and result.assessment.codes == ("request-time-limit",)
        assert case.state == "market-dialogue"

    def test_refuses_other_notices(self) -> None:
        """Only an innovation partnership contract notice opens such a case."""
        with pytest.raises(UnsupportedNotice, match="neg-w-call"):
            eforms.open_case_from_notice(read_notice(DATA / "cn_25.xml"), at=AT, by="A")
        with pytest.raises(UnsupportedNotice, match="subtype 10"):
            eforms.open_case_from_notice(read_notice(DATA / "pin-cfc_24.xml"), at=AT, by="A")

    def test_several_lots_need_a_choice(self) -> None:
        """With several lots the caller names the lot."""
        spec = NoticeSpec(
            procedure="innovation",
            lots=[
                LotSpec(id="LOT-0001", request=("2024-04-15+02:00", None)),
                LotSpec(id="LOT-0002", request=("2024-04-16+02:00", None)),
            ],
        )
        notice = notice_of(spec)
        with pytest.raises(innoproc.InvalidPayload, match="LOT-0001, LOT-0002"):
            eforms.open_case_from_notice(notice, at=AT, by="A")
        result = eforms.open_case_from_notice(notice, at=AT, by="A", lot="LOT-0002")
        assert result.lot_id == "LOT-0002"
        with pytest.raises(innoproc.InvalidPayload, match="'lot'"):
            eforms.open_case_from_notice(notice, at=AT, by="A", lot="LOT-9")

    def test_other_procedure_case_is_refused(self) -> None:
        """Advancing is only for innovation partnership cases."""
        pcp = innoproc.open_case("pre-commercial-procurement", reference="P", authority="X")
        with pytest.raises(innoproc.InvalidPayload, match="'case'"):
            eforms.open_case_from_notice(read_notice(IP), at=AT, by="A", case=pcp)


def test_import_innoproc_stays_light() -> None:
    """Reading notices is loaded on first use, not by ``import innoproc``."""
    import subprocess
    import sys

    code = (
        "import sys, innoproc; print('defusedxml' in sys.modules, 'innoproc.eforms' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
