"""The law in force (docs/law-in-force.md): every released version of a procedure is kept, a
case is judged by its own version, a move to a newer version is a recorded entry, each rule
says what kind it is, EEA thresholds are dated, and version 2 carries the legal review's
corrections.

The corrections are tested here as behaviours, against version 1 where it differs; their
exact limits (a microsecond, a krone, a per cent) are in tests/test_boundaries.py and
tests/test_survivors.py.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import _builders as b
import pytest

import innoproc
from innoproc import (
    OSLO,
    Assessment,
    Case,
    CaseFormatError,
    Event,
    FactType,
    Field,
    Finding,
    InvalidPayload,
    PreconditionFailed,
    Procedure,
    Source,
    State,
    Text,
    UnknownFact,
    UnknownProcedure,
    UpgradeRecord,
    UpgradeRefused,
)
from innoproc.thresholds import eea_threshold

IP, PCP, TD = "innovation-partnership", "pre-commercial-procurement", "triple-diamond"
IDS = (IP, PCP, TD)
GOLDEN = Path(__file__).parent / "golden"
SENT = b.day(40)  # Saturday 17 February 2024, 09:00 in Oslo


@contextmanager
def under(version: int) -> Iterator[None]:
    """The builders open cases (and give payloads) under ``version`` inside the block."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(b, "VERSION", version)
        yield


def judged(assessment: Assessment) -> set[str]:
    """Every rule the assessment applied, met or not."""
    found = (*assessment.unmet, *assessment.advice)
    return {*assessment.met, *assessment.unassessed, *(f.code for f in found)}


def advice(assessment: Assessment) -> set[str]:
    return {f.code for f in assessment.advice}


def refused(case: Case, event: str, at: datetime, **payload: Any) -> set[str]:
    """The codes ``apply`` refuses ``event`` with; the case is left exactly as it was."""
    before = innoproc.dumps(case)
    with pytest.raises(PreconditionFailed) as info:
        case.apply(event, at=at, by=b.PM, **payload)
    assert innoproc.dumps(case) == before
    return set(info.value.codes)


def ip_from_needs(*, analysis: bool = True, leadership: bool = True) -> Case:
    """A v2 innovation partnership in needs, the market examined by a request for information
    instead of a market dialogue."""
    with under(2):
        case = b.in_needs()
        if analysis:
            case.record(
                "market-analysis", at=b.day(20), by=b.PM, solution_available=False, method="RFI"
            )
        if leadership:
            case.record("leadership-decision", at=b.day(31), by="CEO", decided_by="C", decision="D")
        case.record("procurement-documents", at=b.day(32), by=b.PM, **b.documents())
        case.record(
            "proportionality-assessment", at=b.day(33), by=b.PM, proportionate=True, reasoning="ok"
        )
    return case


# -- 1. the registry ------------------------------------------------------------------------------


class TestRegistry:
    def test_procedures_gives_version_2_of_each(self) -> None:
        """procedures() holds the three built-in procedures, each in version 2."""
        latest = innoproc.procedures()
        assert set(latest) == set(IDS)
        for pid in IDS:
            assert latest[pid] is innoproc.procedure(pid, 2) is innoproc.procedure(pid)
            assert latest[pid].version == 2

    @pytest.mark.parametrize("pid", IDS)
    def test_every_version_oldest_first_with_its_release(self, pid: str) -> None:
        """Versions 1 and 2 are both available, oldest first with their release dates, and
        version 2 says what it changed."""
        v1, v2 = innoproc.procedure_versions(pid)
        assert (v1.version, v1.released) == (1, date(2026, 11, 25))
        assert (v2.version, v2.released) == (2, date(2026, 11, 27))
        assert v1 is innoproc.procedure(pid, 1) and v2 is innoproc.procedure(pid, 2)
        assert v1.changes is None and v2.changes is not None and v2.changes.get("en")

    @pytest.mark.parametrize("pid", IDS)
    def test_an_unknown_version_names_the_versions(self, pid: str) -> None:
        """Version 3 raises UnknownProcedure naming the procedure and its versions 1 and 2."""
        with pytest.raises(UnknownProcedure) as info:
            innoproc.procedure(pid, 3)
        assert (info.value.procedure_id, info.value.version) == (pid, 3)
        assert info.value.known == ("1", "2")
        assert "its versions are: 1, 2" in str(info.value)

    @pytest.mark.parametrize("pid", IDS)
    def test_open_case_uses_the_version_given(self, pid: str) -> None:
        """A case opens under the version given, and under the latest when given the id."""
        old = innoproc.open_case(innoproc.procedure(pid, 1), reference="R", authority="A")
        new = innoproc.open_case(pid, reference="R", authority="A")
        assert old.procedure is innoproc.procedure(pid, 1)
        assert (old.version, old.opened_version, new.version, new.opened_version) == (1, 1, 2, 2)


# -- 2. a case is judged by its own version -------------------------------------------------------


class TestOwnVersion:
    def test_a_version_1_case_is_judged_by_version_1_rules(self) -> None:
        """A v1 case keeps version 1 through dumps and loads, and its notice is not judged by
        the rules v2 added, which refuse the v2 case's."""
        with under(1):
            text = innoproc.dumps(b.in_market_dialogue())
            v1_notice = b.notice()
        assert json.loads(text)["procedure_version"] == 1
        v1 = innoproc.loads(text)
        assert (v1.procedure, v1.opened_version) == (innoproc.procedure(IP, 1), 1)
        assert innoproc.dumps(v1) == text
        with under(2):
            v2 = b.in_market_dialogue(environment_weight=None)
            v2_notice = b.notice()
        added = {"climate-environment", "notice-dates", "market-dialogue-held"}
        old = v1.check("publish-notice", at=SENT, **v1_notice)
        assert old.ok and not added & judged(old)
        new = v2.check("publish-notice", at=SENT, **v2_notice)
        assert added <= judged(new) and "climate-environment" in new.codes

    @pytest.mark.parametrize("pid", IDS)
    def test_a_format_1_golden_document_is_a_version_1_case(self, pid: str) -> None:
        """A released format-1 document loads as a case opened under version 1, audits clean
        and is written back as format 2 with procedure_version 1."""
        text = (GOLDEN / "v1" / f"{pid}.json").read_text(encoding="utf-8")
        assert "procedure_version" not in json.loads(text)
        case = innoproc.loads(text)
        assert case.procedure is innoproc.procedure(pid, 1) and case.opened_version == 1
        assert innoproc.audit(text).ok and innoproc.audit(case).ok
        doc = json.loads(innoproc.dumps(case))
        assert (doc["version"], doc["procedure_version"]) == (2, 1)

    def test_a_dumped_case_turned_into_format_1_reads_as_version_1(self) -> None:
        """A format-1 document made from dumps (no procedure_version) reads as the same case
        under version 1; a format-1 document naming a procedure version is refused."""
        with under(1):
            text = innoproc.dumps(b.in_tendering())
        doc = json.loads(text)
        del doc["procedure_version"]
        doc["version"] = 1
        case = innoproc.loads(json.dumps(doc))
        assert (case.version, case.state) == (1, "tendering")
        assert innoproc.dumps(case) == text
        with pytest.raises(CaseFormatError):
            innoproc.loads(json.dumps({**doc, "procedure_version": 1}))

    def test_a_stored_version_1_case_stays_clean_though_version_2_would_refuse_it(self) -> None:
        """The golden v1 case's notice (2024, no instalments, no climate weight) audits clean
        under v1, while v2 would refuse the same notice."""
        text = (GOLDEN / "v1" / f"{IP}.json").read_text(encoding="utf-8")
        assert innoproc.audit(text).ok
        doc = json.loads(text)
        notice = doc["history"][6]
        assert notice["name"] == "publish-notice"
        before = {**doc, "state": "market-dialogue", "revision": 6, "history": doc["history"][:6]}
        case = innoproc.loads(json.dumps(before))
        payload = {k: datetime.fromisoformat(v) for k, v in notice["payload"].items()}
        sent = payload["notice_sent"]
        assert case.check("publish-notice", at=sent, **payload).ok
        upgraded = copy.copy(case)
        upgraded.upgrade(2, at=sent - timedelta(hours=1), by="Case worker")
        codes = upgraded.check("publish-notice", at=sent, partners="several", **payload).codes
        assert {"documents-complete", "climate-environment"} <= set(codes)


# -- 3. upgrades ----------------------------------------------------------------------------------


def v1_case() -> Case:
    """As in the docs' example: a v1 innovation partnership with its procurement documents."""
    with under(1):
        return b.in_market_dialogue()


class TestUpgrade:
    def test_check_upgrade_reports_advice_and_changes_nothing(self) -> None:
        """check_upgrade on a v1 case is ok, advises recording the documents again, names
        every new rule, and leaves the case as it was."""
        case = v1_case()
        before = innoproc.dumps(case)
        report = case.check_upgrade(2)
        assert (report.ok, report.from_version, report.to_version) == (True, 1, 2)
        assert (report.unmet, report.state) == ((), "market-dialogue")
        assert report.changes == innoproc.procedure(IP, 2).changes
        first, *rest = report.advice
        assert first.code == "upgrade-field-missing" and not first.blocking
        assert first.details["fields"] == ("instalments", "authority_kind", "contract_kind")
        assert "Instalments, Authority kind and Contract kind" in first.message()
        assert {f.code for f in rest} == {"upgrade-new-rule"}
        new_rules = {f.details["rule"] for f in rest}
        assert new_rules == {
            "market-dialogue-held",
            "climate-environment",
            "notice-dates",
            "candidate-limit-announced",
            "staged-reduction",
        }
        assert case.check_upgrade() == report  # the latest version by default
        assert innoproc.dumps(case) == before and case.version == 1

    def test_upgrade_appends_an_upgrade_entry(self) -> None:
        """upgrade appends an UpgradeRecord; the case is then at version 2, opened at 1, also
        after dumps and loads."""
        case = v1_case()
        revision, state = case.revision, case.state
        entry = case.upgrade(2, at=b.day(34), by="Case worker")
        assert isinstance(entry, UpgradeRecord) and case.history[-1] == entry
        assert (entry.kind, entry.from_version, entry.to_version) == ("upgrade", 1, 2)
        assert (entry.seq, case.revision, case.state) == (revision + 1, revision + 1, state)
        assert (case.version, case.opened_version) == (2, 1)
        assert case.procedure is innoproc.procedure(IP, 2)
        text = innoproc.dumps(case)
        doc = json.loads(text)
        last = doc["history"][-1]
        assert doc["procedure_version"] == 1
        assert (last["kind"], last["from"], last["to"]) == ("upgrade", 1, 2)
        again = innoproc.loads(text)
        assert (again.version, again.opened_version) == (2, 1)

    def test_steps_before_stay_judged_by_v1_and_steps_after_by_v2(self) -> None:
        """A v1 notice (no partners, no announced limit) stays valid after the upgrade, but the
        invitation after it is judged by v2, which allows no unannounced limit."""
        with under(1):
            case = b.in_tendering()
        notice = case.history[-1]
        case.upgrade(at=b.day(70), by="Case worker")
        assert case.procedure_at(notice.seq) is innoproc.procedure(IP, 1)
        assert case.procedure_at(case.revision) is innoproc.procedure(IP, 1)  # the upgrade
        assert case.procedure_at(case.revision + 1) is innoproc.procedure(IP, 2)
        limited = refused(case, "invite-candidates", b.day(76), qualified=5, invited=3)
        assert "minimum-candidates" in limited
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=5, invited=5)
        assert innoproc.audit(case).ok and innoproc.audit(innoproc.dumps(case)).ok

    def test_after_the_upgrade_the_documents_are_recorded_again(self) -> None:
        """After the upgrade the notice is refused until the documents are recorded as v2 asks;
        then a notice only v2 allows (a short time limit below the threshold) is published,
        and the whole case audits clean, also from its text."""
        case = v1_case()
        case.upgrade(2, at=b.day(34), by="Case worker")
        small = {"max_rd_value": Decimal("200000"), "estimated_purchase_value": Decimal("1500000")}
        with under(2):
            notice = b.notice(request_deadline=SENT + timedelta(days=10))
            documents = b.documents(**small)
        codes = refused(case, "publish-notice", SENT, **notice)
        assert {"documents-complete", "climate-environment"} <= codes
        case.record("procurement-documents", at=b.day(35), by=b.PM, **documents)
        case.apply("publish-notice", at=SENT, by=b.PM, **notice)
        assert case.state == "tendering"
        assert innoproc.audit(case).ok and innoproc.audit(innoproc.dumps(case)).ok

    @pytest.mark.parametrize(("opened", "to"), [(2, 2), (2, 1), (1, 1)])
    def test_not_newer_is_refused_and_nothing_changes(self, opened: int, to: int) -> None:
        """An upgrade to the same or an older version raises UpgradeRefused; nothing changes."""
        with under(opened):
            case = b.in_needs()
        before = innoproc.dumps(case)
        assert case.check_upgrade(to).codes == ("upgrade-not-newer",)
        with pytest.raises(UpgradeRefused) as info:
            case.upgrade(to, at=b.day(34), by="Case worker")
        assert info.value.report.codes == ("upgrade-not-newer",)
        assert "refused" in info.value.explain()
        assert innoproc.dumps(case) == before and case.version == opened


# Two versions of a host's own procedure (docs/own-procedure.md): version 2 renamed the state
# 'trial' to 'pilot' and dropped the fact 'memo' and the field 'colour' of 'note'.


def _t(text: str) -> Text:
    return Text(en=text, nb=text)


_NOTE = FactType("note", _t("Note"), fields=(Field("text", "text"), Field("colour", "text")))
_MEMO = FactType("memo", _t("Memo"), fields=(Field("text", "text"),))
_AT = datetime(2025, 5, 2, 10, 0, tzinfo=OSLO)


def own(version: int, middle: str, facts: tuple[FactType, ...], **kw: Any) -> Procedure:
    return Procedure(
        "municipal-trial",
        title=_t("Trial"),
        source=Source("Eksempel kommune, innovation strategy"),
        version=version,
        states=(
            State("idea", _t("Idea"), initial=True),
            State(middle, _t(middle)),
            State("adopted", _t("Adopted"), final=True),
        ),
        events=(
            Event("start", _t("Start"), source="idea", dest=middle),
            Event("adopt", _t("Adopt"), source=middle, dest="adopted"),
        ),
        facts=facts,
        **kw,
    )


OWN_1 = own(1, "trial", (_NOTE, _MEMO))
OWN_2 = own(2, "pilot", (FactType("note", _t("Note"), fields=(Field("text", "text"),)),))
OWN_2_MAPPED = own(2, "pilot", (_NOTE, _MEMO), state_map={"trial": "pilot"})


def own_case(*, started: bool = True, note: bool = True, memo: bool = True) -> Case:
    case = innoproc.open_case(OWN_1, reference="K-12", authority="Eksempel kommune")
    if started:
        case.apply("start", at=_AT, by="Clerk")
    if note:
        case.record("note", at=_AT, by="Clerk", text="Begun", colour="green")
    if memo:
        case.record("memo", at=_AT, by="Clerk", text="Memo")
    return case


class TestUnmappable:
    @pytest.mark.parametrize(
        ("made", "code", "detail"),
        [
            ({"note": False, "memo": False}, "upgrade-state-unmapped", {"state": "trial"}),
            ({"started": False, "note": False}, "upgrade-fact-unmapped", {"fact": "memo"}),
            ({"started": False, "memo": False}, "upgrade-field-unmapped",
             {"fact": "note", "fields": ("colour",)}),
        ],
        ids=["state", "fact", "field"],
    )  # fmt: skip
    def test_what_cannot_be_mapped_is_refused(
        self, made: dict[str, bool], code: str, detail: dict[str, Any]
    ) -> None:
        """A state, fact or field the new version does not know blocks the upgrade, named in
        the report, and the case is unchanged."""
        case = own_case(**made)
        before = innoproc.dumps(case)
        assert case.check_upgrade(OWN_2).codes == (code,)
        with pytest.raises(UpgradeRefused) as info:
            case.upgrade(OWN_2, at=_AT, by="Clerk")
        (finding,) = info.value.report.unmet
        assert (finding.code, dict(finding.details), finding.blocking) == (code, detail, True)
        assert innoproc.dumps(case) == before and case.version == 1

    def test_a_renamed_state_is_mapped(self) -> None:
        """With state_map the case moves from 'trial' to 'pilot', reads back and audits."""
        case = own_case()
        assert case.check_upgrade(OWN_2_MAPPED).state == "pilot"
        case.upgrade(OWN_2_MAPPED, at=_AT, by="Clerk")
        assert (case.state, case.version) == ("pilot", 2)
        again = innoproc.loads(innoproc.dumps(case), procedures=[OWN_1, OWN_2_MAPPED])
        assert (again.state, again.version, again.opened_version) == ("pilot", 2, 1)
        assert innoproc.audit(again).ok

    def test_audit_reports_an_upgrade_that_could_not_have_been_made(self) -> None:
        """A stored upgrade from a state the new version lacks is refused by loads and
        reported by audit."""
        doc = json.loads(innoproc.dumps(own_case(note=False, memo=False)))
        at = _AT.isoformat()
        doc["history"].append(
            {"seq": 2, "kind": "upgrade", "from": 1, "to": 2, "at": at, "by": "C"}
        )
        doc["revision"] = 2
        text = json.dumps(doc)
        with pytest.raises(CaseFormatError):
            innoproc.loads(text, procedures=[OWN_1, OWN_2])
        report = innoproc.audit(text, procedures=[OWN_1, OWN_2])
        assert report.codes == ("upgrade-state-unmapped",) and not report.ok
        assert [v.kind for v in report.violations] == ["upgrade"]


# -- 4. kinds of finding --------------------------------------------------------------------------


class TestKinds:
    @pytest.mark.parametrize(
        ("pid", "version", "code", "kind"),
        [
            (IP, 2, "leadership-anchoring", "programme"),
            (IP, 2, "market-dialogue-held", "practice"),
            (IP, 2, "request-time-limit", "legal"),
            (PCP, 2, "ipr-risk-benefit-sharing", "practice"),
            (PCP, 2, "competition-kept", "practice"),
            (PCP, 2, "need-described", "practice"),
            (PCP, 2, "no-market-solution", "practice"),
            (PCP, 2, "no-state-aid", "legal"),
            (PCP, 2, "suppliers-from-previous-phase", "legal"),
            (PCP, 1, "ipr-risk-benefit-sharing", "legal"),
            (PCP, 1, "competition-kept", "legal"),
            (TD, 2, "later-round", "programme"),
        ],
    )
    def test_each_rule_says_what_it_is(self, pid: str, version: int, code: str, kind: str) -> None:
        """Each precondition's kind is the one the docs give it; only good practice does not
        block."""
        rule = innoproc.procedure(pid, version).preconditions[code]
        assert (rule.kind, rule.blocking) == (kind, kind != "practice")

    def test_leadership_anchoring_blocks_as_a_programme_requirement(self) -> None:
        """Without a leadership decision the notice is refused by a finding labelled as a
        programme requirement."""
        case = ip_from_needs(leadership=False)
        with pytest.raises(PreconditionFailed) as info:
            case.apply("publish-notice", at=SENT, by=b.PM, **b.NOTICE)
        assert info.value.codes == ("leadership-anchoring",)
        (finding,) = info.value.assessment.unmet
        assert (finding.kind, finding.blocking) == ("programme", True)
        assert "[leadership-anchoring] Programme requirement:" in info.value.assessment.explain()

    def test_good_practice_is_advice_and_the_step_goes_ahead(self) -> None:
        """A PCP v2 call giving the procurer all IPR (results disseminated) is published with
        the PCP model as advice; v1 refused the same call."""
        case = pcp(2, ipr_stays_with_suppliers=False, results_disseminated=True)
        check = case.check("publish-call", at=b.day(4), tender_deadline=b.day(50))
        assert check.ok and advice(check) == {"ipr-risk-benefit-sharing"}
        assert not any(f.blocking for f in check.advice)
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        assert case.state == "call-for-tenders"
        old = pcp(1, ipr_stays_with_suppliers=False)
        codes = refused(old, "publish-call", b.day(4), tender_deadline=b.day(50))
        assert codes == {"ipr-risk-benefit-sharing"}

    @pytest.mark.parametrize(
        ("kind", "en", "nb"),
        [
            ("legal", "legal requirement", "lovkrav"),
            ("programme", "programme requirement", "krav i programmet"),
            ("practice", "good practice", "god praksis"),
        ],
    )
    def test_labels(self, kind: str, en: str, nb: str) -> None:
        """label(lang) names the kind in English and bokmål; a refusal's line capitalises it."""
        finding = Finding("budget-approved", _t("Approve the budget."), Source("x"), kind=kind)
        assert (finding.label("en"), finding.label("nb")) == (en, nb)
        assert finding.lines("en")[0].startswith(f"[budget-approved] {en.capitalize()}: ")
        assert finding.lines("nb")[0].startswith(f"[budget-approved] {nb.capitalize()}: ")

    def test_advice_is_labelled_apart_and_audits_clean(self) -> None:
        """explain() shows good practice labelled under advice that does not stop the step, and
        audit reports it apart from the violations."""
        case = ip_from_needs()
        assessment = case.check("publish-notice", at=SENT, **b.NOTICE)
        assert assessment.ok and advice(assessment) == {"market-dialogue-held"}
        text = assessment.explain("en")
        assert "Advice, which does not stop the step:" in text
        assert "[market-dialogue-held] Good practice:" in text
        assert "[market-dialogue-held] God praksis:" in assessment.explain("nb")
        case.apply("publish-notice", at=SENT, by=b.PM, **b.NOTICE)
        report = innoproc.audit(case)
        assert report.ok
        assert [c for v in report.advice for c in v.codes] == ["market-dialogue-held"]


# -- 5. EEA thresholds ----------------------------------------------------------------------------


class TestThresholds:
    @pytest.mark.parametrize(
        ("on", "authority", "contract", "amount", "valid_from", "verified"),
        [
            (date(2024, 3, 14), "sub-central", "services", 2_300_000, date(2024, 3, 14), True),
            (date(2024, 3, 13), "sub-central", "services", 2_200_000, date(2022, 3, 23), False),
            (date(2024, 3, 14), "central-government", "supplies", 1_490_000, date(2024, 3, 14),
             True),
            (date(2024, 3, 14), "sub-central", "works", 57_800_000, date(2024, 3, 14), False),
            (date(2020, 2, 11), "central-government", "services", 1_300_000, date(2018, 4, 6),
             False),
            (date(2020, 2, 12), "central-government", "services", 1_300_000, date(2020, 2, 12),
             True),
            (date(2026, 6, 1), "sub-central", "services", 2_300_000, date(2026, 1, 1), False),
        ],
    )  # fmt: skip
    def test_the_threshold_of_the_day(
        self, on: date, authority: str, contract: str, amount: int, valid_from: date, verified: bool
    ) -> None:
        """eea_threshold gives the period in force on the day (on the day before a period
        starts, the previous one), verified only where read in the ministry's or DFØ's text."""
        found = eea_threshold(on, authority=authority, contract=contract)
        assert (found.amount, found.valid_from) == (Decimal(amount), valid_from)
        assert (found.authority, found.contract, found.verified) == (authority, contract, verified)
        assert bool(found.note) is not verified

    @pytest.mark.parametrize(
        ("version", "authority", "contract", "blocks"),
        [
            (2, "central-government", "services", True),  # threshold 1,400,000: above it
            (2, "sub-central", "services", False),  # 2,200,000: below
            (2, "sub-central", "works", False),  # 56,000,000: below
            (1, None, None, True),  # version 1 knows no threshold
        ],
    )
    def test_a_short_time_limit_is_refused_above_and_advised_below(
        self, version: int, authority: str | None, contract: str | None, blocks: bool
    ) -> None:
        """A 10-day time limit for NOK 1,700,000 is refused at or above the threshold for the
        documents' authority and contract kinds, and only advised on below it."""
        value = {"max_rd_value": Decimal("200000"), "estimated_purchase_value": Decimal("1500000")}
        kinds = {"authority_kind": authority, "contract_kind": contract} if authority else {}
        with under(version):
            case = b.in_market_dialogue(**value, **kinds)
            short = b.notice(request_deadline=SENT + timedelta(days=10))
        if blocks:
            assert refused(case, "publish-notice", SENT, **short) == {"request-time-limit"}
            (finding,) = case.check("publish-notice", at=SENT, **short).unmet
            assert "art. 31(1) fourth subparagraph" in str(finding.source)
            return
        assessment = case.check("publish-notice", at=SENT, **short)
        assert assessment.ok and advice(assessment) == {"request-time-limit"}
        (finding,) = assessment.advice
        threshold = eea_threshold(SENT, authority=authority or "", contract=contract or "")
        assert finding.details["threshold"] == threshold.amount
        assert "Frister" in str(finding.source)
        case.apply("publish-notice", at=SENT, by=b.PM, **short)
        assert case.state == "tendering"


# -- 6. the innovation partnership, version 2 -----------------------------------------------------


class TestPartnershipV2:
    def test_a_market_analysis_may_replace_the_market_dialogue(self) -> None:
        """A market analysis documenting that no solution exists lets the notice follow the
        needs directly (v1 knew neither the analysis nor that step)."""
        case = ip_from_needs()
        assessment = case.check("publish-notice", at=SENT, **b.NOTICE)
        assert "no-market-solution" in assessment.met
        step = case.apply("publish-notice", at=SENT, by=b.PM, **b.NOTICE)
        assert (step.source, step.target) == ("needs", "tendering")
        with under(1):
            old = b.in_needs()
            assert not old.check("publish-notice", at=SENT, **b.notice()).allowed
        with pytest.raises(UnknownFact):
            old.record(
                "market-analysis", at=b.day(2), by=b.PM, solution_available=False, method="x"
            )

    def test_without_any_examination_of_the_market_the_notice_is_refused(self) -> None:
        """Neither a market dialogue nor a market analysis: no-market-solution refuses."""
        case = ip_from_needs(analysis=False)
        codes = refused(case, "publish-notice", SENT, **b.NOTICE)
        assert codes == {"no-market-solution"}

    def test_climate_weight_applies_from_2024_not_before(self) -> None:
        """Documents with no climate weight are refused for a notice of 2024 (FOA § 7-9), not
        for one of 2023."""
        with under(2):
            case = b.in_market_dialogue(environment_weight=None)
        (finding,) = case.check("publish-notice", at=SENT, **b.NOTICE).unmet
        assert finding.code == "climate-environment" and "§ 7-9" in str(finding.source)
        assert finding.details["minimum"] == 30
        early = innoproc.loads(
            innoproc.dumps(case).replace("2024-02-", "2023-11-").replace("2024-01-", "2023-10-")
        )
        sent = datetime(2023, 11, 20, 9, 0, tzinfo=OSLO)
        notice = {**b.NOTICE, "notice_sent": sent, "request_deadline": sent + timedelta(days=40)}
        assessment = early.check("publish-notice", at=sent, **notice)
        assert assessment.ok and "climate-environment" in assessment.met

    def test_the_notice_says_one_or_several_partners_and_the_award_keeps_to_it(self) -> None:
        """The notice must say one or several partners; after 'one', two partners are refused
        at the award and one is accepted."""
        with under(2):
            case = b.in_market_dialogue()
        bare = {k: v for k, v in b.NOTICE.items() if k != "partners"}
        assert case.check("publish-notice", at=SENT, **bare).missing == ("partners",)
        with pytest.raises(InvalidPayload):
            case.check("publish-notice", at=SENT, **{**b.NOTICE, "partners": "many"})
        case.apply("publish-notice", at=SENT, by=b.PM, **{**b.NOTICE, "partners": "one"})
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=3, invited=3)
        unchanged = {"changed_minimum_requirements": False, "changed_award_criteria": False}
        case.record("negotiation-round", at=b.day(90), by=b.PM, round=1, **unchanged)
        case.apply("call-final-tenders", at=b.day(100), by=b.PM)
        assert refused(case, "award", b.day(120), **b.AWARD) == {"partners"}
        case.apply("award", at=b.day(120), by=b.PM, **{**b.AWARD, "partners": ("Nordlys Care AS",)})
        assert case.state == "development"

    @pytest.mark.parametrize(
        ("event", "code", "payload"),
        [
            ("terminate", "termination-foreseen", {"reason": "Targets missed"}),
            ("reduce-partners", "reduction-foreseen", {"remaining": ("Nordlys Care AS",)}),
        ],
    )
    def test_a_right_needs_its_conditions(
        self, event: str, code: str, payload: dict[str, Any]
    ) -> None:
        """v2 refuses termination or reduction when the documents reserved the right without
        stating its conditions; v1 took the flag alone."""
        for version in (1, 2):
            with under(version):
                case = b.evaluated(b.in_development(), 1)
                assert case.check(event, at=b.day(205), **payload).ok
                flag_only = {"termination_conditions": None, "reduction_conditions": None}
                documents = b.documents(**(flag_only if version == 2 else {}))
            case.record("procurement-documents", at=b.day(202), by=b.PM, **documents)
            if version == 1:
                assert case.check(event, at=b.day(205), **payload).ok
                continue
            assert refused(case, event, b.day(205), **payload) == {code}
            (finding,) = case.check(event, at=b.day(205), **payload).unmet
            assert "did not state its conditions" in finding.message()

    @pytest.mark.parametrize(
        ("version", "basis", "ok"),
        [
            (2, "quality-at-fixed-price", True),
            (2, "best-price-quality-ratio", True),
            (2, "lowest-price", False),
            (1, "quality-at-fixed-price", False),
        ],
    )
    def test_a_fixed_price_with_competition_on_quality(
        self, version: int, basis: str, ok: bool
    ) -> None:
        """v2 accepts a fixed price with competition on quality as the best price-quality
        ratio; v1 did not; the lowest price never is."""
        with under(version):
            case = b.in_final_tenders()
        award = {**b.AWARD, "award_basis": basis}
        if not ok:
            assert refused(case, "award", b.day(120), **award) == {"award-basis"}
            return
        case.apply("award", at=b.day(120), by=b.PM, **award)
        assert case.state == "development"

    def test_the_documents_state_instalments(self) -> None:
        """v2's documents must provide for payment in instalments."""
        with under(2):
            case = b.in_market_dialogue(instalments=False)
        (finding,) = case.check("publish-notice", at=SENT, **b.NOTICE).unmet
        assert finding.code == "documents-complete"
        assert finding.details["missing"] == ("remuneration in instalments, phase by phase",)

    @pytest.mark.parametrize("version", [1, 2])
    def test_limits_and_reductions_must_be_announced(self, version: int) -> None:
        """Invitations limited without an announced limit, and tenders reduced without an
        announced staged reduction, are refused under v2; v1 allowed both."""
        with under(version):
            case = b.in_market_dialogue()
            plain = {**b.NOTICE_V1, **({"partners": "several"} if version == 2 else {})}
        case.apply("publish-notice", at=SENT, by=b.PM, **plain)
        limited = case.check("invite-candidates", at=b.day(76), qualified=5, invited=3)
        assert limited.codes == (("minimum-candidates",) if version == 2 else ())
        case.apply("invite-candidates", at=b.day(76), by=b.PM, qualified=5, invited=5)
        reduced = {"tenders_before": 5, "tenders_after": 3, "reduced_by_award_criteria": True}
        unchanged = {"changed_minimum_requirements": False, "changed_award_criteria": False}
        round_1 = {**unchanged, **(reduced if version == 2 else {})}
        case.record("negotiation-round", at=b.day(90), by=b.PM, round=1, **round_1)
        final = case.check("call-final-tenders", at=b.day(100))
        assert final.codes == (("staged-reduction",) if version == 2 else ())
        assert ("staged-reduction" in judged(final)) is (version == 2)

    def test_the_notice_dates_agree_with_the_step(self) -> None:
        """A notice said to be sent before the market dialogue began is refused by v2's
        notice-dates; v1 did not look."""
        early = {"notice_sent": b.day(1), "request_deadline": b.day(75)}
        with under(1):
            assert b.in_market_dialogue().check("publish-notice", at=SENT, **early).ok
        with under(2):
            case = b.in_market_dialogue()
        assert refused(case, "publish-notice", SENT, **{**b.NOTICE, **early}) == {"notice-dates"}


# -- 7. pre-commercial procurement, version 2 -----------------------------------------------------

CALL: dict[str, Any] = b.PCP_CALL_V2
_V2_ONLY = ("rd_share", "results_disseminated", "third_party_licences")


def pcp(version: int, at: datetime | None = None, **call: Any) -> Case:
    """A PCP case in preparation with its call documents, opened under ``version``."""
    at = at or b.day(3)
    case = innoproc.open_case(innoproc.procedure(PCP, version), reference="P-1", authority="A")
    case.record("need-description", at=at, by=b.PM, summary="x", functional=True)
    case.record("market-dialogue-outcome", at=at, by=b.PM, solution_available=False)
    fields = {**CALL, **call}
    if version == 1:
        fields = {k: v for k, v in fields.items() if k not in _V2_ONLY}
    case.record("pcp-call-documents", at=at, by=b.PM, **fields)
    return case


class TestPCPV2:
    @pytest.mark.parametrize(
        ("version", "year", "framework", "verified"),
        [
            (2, 2021, "(2014/C 198/01) point 33", True),
            (2, 2023, "(2022/C 414/01) section 2.3", False),
            (1, 2023, "(2014/C 198/01) point 33", True),
        ],
    )
    def test_no_state_aid_cites_the_framework_in_force(
        self, version: int, year: int, framework: str, verified: bool
    ) -> None:
        """v2 cites the 2014 framework's point 33 before 19 October 2022 and the 2022
        framework after it; v1 always cited the 2014 one."""
        at = datetime(year, 3, 1, 9, 0, tzinfo=OSLO)
        case = pcp(version, at, market_price=False)
        assessment = case.check("publish-call", at=at, tender_deadline=at + timedelta(days=40))
        (finding,) = assessment.unmet
        assert finding.code == "no-state-aid" and framework in str(finding.source)
        assert finding.source.verified is verified

    def test_prototypes_and_a_test_series_may_be_included(self) -> None:
        """v2 publishes a call that is 70 % R&D with a test series beside the R&D codes; v1
        refused the code outside the R&D services."""
        codes = ("73110000-6", "33195000-3")
        case = pcp(2, cpv_codes=codes, rd_share=70)
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        assert case.state == "call-for-tenders"
        old = refused(pcp(1, cpv_codes=codes), "publish-call", b.day(4), tender_deadline=b.day(50))
        assert old == {"rd-services-only"}

    def test_a_later_phase_takes_its_suppliers_from_the_previous_one(self) -> None:
        """A newcomer in prototyping is refused as a legal requirement (point 33(a)); one
        supplier of phase 1 may go on, with only advice about competition."""
        case = pcp(2)
        case.apply("publish-call", at=b.day(4), by=b.PM, tender_deadline=b.day(50))
        case.apply("award-phase-1", at=b.day(51), by=b.PM, suppliers=("A AS", "B AS"))
        newcomer = {"suppliers": ("A AS", "C AS"), "by_published_evaluation": True}
        codes = refused(case, "start-prototyping", b.day(140), **newcomer)
        assert codes == {"suppliers-from-previous-phase"}
        (finding,) = case.check("start-prototyping", at=b.day(140), **newcomer).unmet
        assert "point 33(a)" in str(finding.source)
        one = {"suppliers": ("A AS",), "by_published_evaluation": True}
        assert advice(case.check("start-prototyping", at=b.day(140), **one)) == {"competition-kept"}
        case.apply("start-prototyping", at=b.day(140), by=b.PM, **one)
        assert case.state == "prototyping"

    @pytest.mark.parametrize(
        ("code", "cited"),
        [
            ("need-described", "COM(2007) 799"),
            ("no-market-solution", "COM(2007) 799"),
            ("ipr-risk-benefit-sharing", "SEC(2007) 1668"),
            ("competition-kept", "SEC(2007) 1668"),
        ],
    )
    def test_rules_cite_the_pcp_sources(self, code: str, cited: str) -> None:
        """v2 cites the PCP communication or its model for these rules, never art. 31."""
        source = str(innoproc.procedure(PCP, 2).preconditions[code].source)
        assert cited in source and "art. 31" not in source


# -- 8. the triple diamond, version 2 -------------------------------------------------------------

T0 = datetime(2018, 3, 5, 10, 0, tzinfo=OSLO)
LATE = datetime(2018, 3, 12, 10, 0, tzinfo=OSLO)  # three days after the first round's deadline
AUTUMN = datetime(2018, 9, 3, 9, 0, tzinfo=OSLO)
ROUND_1_ENDS = datetime(2018, 3, 9, 23, 59, 59, 999999, tzinfo=OSLO)


def proposal(version: int) -> Case:
    return innoproc.open_case(innoproc.procedure(TD, version), reference="S-1", authority="A")


def deferred(version: int, **submit: Any) -> Case:
    case = proposal(version)
    case.apply("submit-proposal", at=T0, by="Owner", **submit)
    case.apply("defer", at=T0 + timedelta(days=20), by="#StimuLab")
    return case


class TestTripleDiamondV2:
    def test_lateness_is_judged_by_the_rounds_deadline(self) -> None:
        """A proposal three days after 9 March 2018 is late for round 2018-1 and in time for
        2018-2, which has no deadline; a round the call does not have is refused."""
        case = proposal(2)
        (finding,) = case.check("submit-proposal", at=LATE, round="2018-1").unmet
        assert finding.code == "submitted-in-time"
        assert finding.details["deadline"] == ROUND_1_ENDS
        assert case.check("submit-proposal", at=LATE, round="2018-2").ok
        with pytest.raises(InvalidPayload):
            case.check("submit-proposal", at=T0, round="2019-1")

    def test_a_deadline_given_with_the_proposal_is_not_taken(self) -> None:
        """v2 takes no deadline from the proposal; v1 took the one given, however late."""
        own_deadline = datetime(2018, 4, 1, 12, 0, tzinfo=OSLO)
        with pytest.raises(InvalidPayload) as info:
            proposal(2).check("submit-proposal", at=LATE, round="2018-1", deadline=own_deadline)
        assert info.value.field == "deadline"
        assert proposal(1).check("submit-proposal", at=LATE, deadline=own_deadline).ok

    def test_a_deferred_proposal_is_taken_up_only_in_a_later_round(self) -> None:
        """v2 refuses to take a deferred proposal up in its own round, or again in the round it
        was last taken up in; a later round is fine."""
        case = deferred(2, round="2018-1")
        assert refused(case, "take-up", AUTUMN, round="2018-1") == {"later-round"}
        case.apply("take-up", at=AUTUMN, by=b.PM, round="2018-2")
        assert case.state == "prequalification"
        case.apply("defer", at=AUTUMN + timedelta(days=1), by="#StimuLab")
        again = refused(case, "take-up", AUTUMN + timedelta(days=2), round="2018-2")
        assert again == {"later-round"}

    def test_version_1_took_up_in_any_round(self) -> None:
        """v1 had no later-round rule: the same round was accepted."""
        case = deferred(1, deadline=ROUND_1_ENDS, round="2018-1")
        assessment = case.check("take-up", at=AUTUMN, round="2018-1")
        assert assessment.ok and "later-round" not in judged(assessment)
