"""Sealed documents: ``dumps(case, key=...)`` and ``loads(text, key=..., require_seal=...)``.

A document whose seal matches is read without re-validation; one whose seal is missing,
wrong or made with another key is validated in full, or refused when the host asks. The
tests show that no edit of a sealed document can reach the fast path.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _builders import PM, day, in_last_phase, in_market_dialogue, in_tendering, new_case, notice

import innoproc
from innoproc import (
    OSLO,
    CaseFormatError,
    Event,
    FactType,
    Field,
    InvalidArgument,
    Procedure,
    Source,
    State,
    Text,
    _storage,
)

KEY = secrets.token_bytes(32)
OTHER_KEY = secrets.token_bytes(32)
GOLDEN = Path(__file__).parent / "golden"
SEAL = re.compile(r',"seal":"hmac-sha256:[0-9a-f]{64}"\}$')


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the documents read the fast way (without re-validation)."""
    calls: list[int] = []
    real = _storage._read_trusted

    def spy(*args: Any) -> innoproc.Case:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(_storage, "_read_trusted", spy)
    return calls


def same(a: innoproc.Case, b: innoproc.Case) -> None:
    """Two cases are the same: identity, state, history, facts and what dumps writes."""
    assert (a.reference, a.authority, a.details) == (b.reference, b.authority, b.details)
    assert (a.procedure, a.opened_version, a.state, a.revision) == (
        b.procedure,
        b.opened_version,
        b.state,
        b.revision,
    )
    assert a.history == b.history
    assert [e.entered_at for e in a.history] == [e.entered_at for e in b.history]
    assert dict(a.facts) == dict(b.facts)
    assert (a._facts_by, a._steps_by) == (b._facts_by, b._steps_by)  # what rules read
    assert innoproc.dumps(a) == innoproc.dumps(b)


class TestSealing:
    def test_seal_is_the_last_member(self) -> None:
        """The seal is an HMAC-SHA-256 over the text without it, as the last member."""
        case = in_tendering()
        text = innoproc.dumps(case)
        sealed = innoproc.dumps(case, key=KEY)
        assert SEAL.search(sealed)
        assert sealed.startswith(text[:-1])
        assert json.loads(sealed)["seal"].startswith("hmac-sha256:")
        assert "seal" not in json.loads(text)

    def test_deterministic(self) -> None:
        """The same case and key give the same sealed text; another key another seal."""
        case = in_tendering()
        assert innoproc.dumps(case, key=KEY) == innoproc.dumps(case, key=KEY)
        assert innoproc.dumps(case, key=KEY) != innoproc.dumps(case, key=OTHER_KEY)

    def test_text_key(self) -> None:
        """A key may be text (taken as UTF-8)."""
        case = in_tendering()
        phrase = "correct horse battery staple"
        assert innoproc.dumps(case, key=phrase) == innoproc.dumps(case, key=phrase.encode())

    @pytest.mark.parametrize("key", [b"short", "", 12345, ["not", "a", "key"]])
    def test_weak_or_wrong_key(self, key: Any) -> None:
        """A key shorter than 16 bytes, or not bytes or text, is refused by name."""
        with pytest.raises(InvalidArgument) as info:
            innoproc.dumps(in_tendering(), key=key)
        assert info.value.argument == "key"
        with pytest.raises(InvalidArgument):
            innoproc.loads(innoproc.dumps(in_tendering()), key=key)


class TestFastPath:
    def test_sealed_is_read_fast_and_the_same(self, fast: list[int]) -> None:
        """A sealed document is read without re-validation, into the same case."""
        case = in_last_phase()
        loaded = innoproc.loads(innoproc.dumps(case, key=KEY), key=KEY)
        assert fast == [1]
        same(loaded, case)

    def test_round_trip_text(self) -> None:
        """Writing a case read from a sealed document gives the same document."""
        sealed = innoproc.dumps(in_last_phase(), key=KEY)
        assert innoproc.dumps(innoproc.loads(sealed, key=KEY), key=KEY) == sealed

    def test_goes_on_like_a_built_case(self) -> None:
        """A case read fast takes the next step exactly as the case it was written from."""
        case = in_market_dialogue()
        loaded = innoproc.loads(innoproc.dumps(case, key=KEY), key=KEY)
        for c in (case, loaded):
            c.apply("publish-notice", at=day(40), by=PM, **notice())
        same(loaded, case)
        assert innoproc.dumps(loaded, key=KEY) == innoproc.dumps(case, key=KEY)

    @pytest.mark.parametrize("path", sorted((GOLDEN / "v2").glob("*.json")), ids=lambda p: p.stem)
    def test_every_golden_document(self, path: Path, fast: list[int]) -> None:
        """Every procedure, scheme, version and upgrade reads the same both ways."""
        validated = innoproc.loads(path.read_text("utf-8"))
        sealed = innoproc.dumps(validated, key=KEY)
        loaded = innoproc.loads(sealed, key=KEY)
        assert fast == [1]
        same(loaded, validated)
        assert loaded._versions == validated._versions

    def test_every_field_kind(self) -> None:
        """Texts, integers, booleans, amounts, dates, instants and lists of texts, given and
        left out, read back the same."""
        procedure = _every_kind()
        case = innoproc.open_case(procedure, reference="K-1", authority="A", title="Ø")
        at = datetime(2024, 3, 31, 1, 30, tzinfo=OSLO)
        case.record(
            "everything",
            at=at,
            by="Åse",
            text="blåbær",
            integer=-(2**63),
            boolean=False,
            amount=Decimal("-0.000001"),
            day=date(2024, 2, 29),
            instant=datetime(2024, 10, 27, 2, 30, tzinfo=OSLO),
            texts=("a", "ø"),
        )
        case.record("everything", at=at + timedelta(hours=1), by="Åse", text="only")
        case.apply("finish", at=at + timedelta(hours=2), by="Åse", entered_at=at + timedelta(3))
        loaded = innoproc.loads(innoproc.dumps(case, key=KEY), key=KEY, procedures=[procedure])
        same(loaded, case)
        first = loaded.history[0].payload
        assert type(first["amount"]) is Decimal and type(first["texts"]) is tuple
        assert loaded.history[2].entered_at != loaded.history[2].at

    def test_bytes_and_trailing_newline(self, fast: list[int]) -> None:
        """A sealed document read as bytes, or with a newline after it, is still sealed."""
        sealed = innoproc.dumps(in_tendering(), key=KEY)
        innoproc.loads(sealed.encode(), key=KEY, require_seal=True)
        innoproc.loads(sealed + "\n", key=KEY, require_seal=True)
        assert fast == [1, 1]


def _every_kind() -> Procedure:
    fields = [
        Field("text", "text"),
        Field("integer", "integer", required=False),
        Field("boolean", "boolean", required=False),
        Field("amount", "amount", required=False),
        Field("day", "date", required=False),
        Field("instant", "datetime", required=False),
        Field("texts", "texts", required=False),
    ]
    return Procedure(
        "every-kind",
        title=Text(en="Every kind", nb="Alle slag"),
        source=Source("Test", "all"),
        states=[
            State("open", Text(en="Open", nb="Åpen"), initial=True),
            State("done", Text(en="Done", nb="Ferdig"), final=True),
        ],
        events=[Event("finish", Text(en="Finish", nb="Avslutt"), source="open", dest="done")],
        facts=[FactType("everything", Text(en="Everything", nb="Alt"), fields=fields)],
    )


def _tampered(sealed: str, old: str, new: str) -> str:
    assert sealed.count(old) == 1, old
    return sealed.replace(old, new)


class TestNoWayAroundTheSeal:
    def test_edited_text_is_validated_in_full(self, fast: list[int]) -> None:
        """An edit that keeps the document valid (a fact changed in the database) is not
        read fast: it is validated in full and, if valid, read."""
        sealed = innoproc.dumps(in_tendering(), key=KEY)
        edited = _tampered(sealed, '"solution_available":false', '"solution_available":true')
        case = innoproc.loads(edited, key=KEY)
        assert fast == []
        assert case.facts["market-dialogue-outcome"].get("solution_available") is True

    def test_edited_text_refused_when_a_seal_is_required(self) -> None:
        """With require_seal, any edit is refused and says the seal does not match."""
        sealed = innoproc.dumps(in_tendering(), key=KEY)
        edited = _tampered(sealed, '"solution_available":false', '"solution_available":true')
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(edited, key=KEY, require_seal=True)
        assert info.value.path == "$.seal"
        assert "does not match" in str(info.value)

    def test_invalid_edit_is_caught_by_validation(self) -> None:
        """An edit that breaks the history (a step moved to another state) is found by the
        full validation a broken seal leads to."""
        sealed = innoproc.dumps(in_tendering(), key=KEY)
        edited = _tampered(sealed, '"to":"tendering"', '"to":"negotiation"')
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(edited, key=KEY)
        assert info.value.path.startswith("$.history[")

    def test_forged_seal(self, fast: list[int]) -> None:
        """A seal written by someone without the key does not match."""
        text = innoproc.dumps(in_tendering())
        forged = text[:-1] + ',"seal":"hmac-sha256:' + "0" * 64 + '"}'
        innoproc.loads(forged, key=KEY)
        assert fast == []
        with pytest.raises(CaseFormatError):
            innoproc.loads(forged, key=KEY, require_seal=True)

    def test_seal_of_the_plain_text_is_not_enough(self, fast: list[int]) -> None:
        """A SHA-256 of the text (no key) is not a seal."""
        import hashlib

        text = innoproc.dumps(in_tendering())
        digest = hashlib.sha256(text.encode()).hexdigest()
        innoproc.loads(text[:-1] + ',"seal":"hmac-sha256:' + digest + '"}', key=KEY)
        assert fast == []

    def test_wrong_key(self, fast: list[int]) -> None:
        """A document sealed with another key is validated in full, or refused."""
        sealed = innoproc.dumps(in_tendering(), key=OTHER_KEY)
        same(innoproc.loads(sealed, key=KEY), in_tendering())
        assert fast == []
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(sealed, key=KEY, require_seal=True)
        assert "does not match" in str(info.value)

    def test_unsealed(self, fast: list[int]) -> None:
        """An unsealed document is validated in full, or refused as having no seal."""
        text = innoproc.dumps(in_tendering())
        same(innoproc.loads(text, key=KEY), in_tendering())
        assert fast == []
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text, key=KEY, require_seal=True)
        assert "has no seal" in str(info.value)
        assert info.value.path == "$.seal"

    def test_require_seal_needs_the_key(self) -> None:
        """require_seal without a key to check with is a mistake, named."""
        with pytest.raises(InvalidArgument) as info:
            innoproc.loads(innoproc.dumps(in_tendering(), key=KEY), require_seal=True)
        assert info.value.argument == "key"

    def test_sealed_read_without_key_is_validated(self, fast: list[int]) -> None:
        """Without a key the seal is not checked: the document is validated in full."""
        case = innoproc.loads(innoproc.dumps(in_tendering(), key=KEY))
        assert fast == []
        same(case, in_tendering())

    def test_seal_moved_or_doubled(self, fast: list[int]) -> None:
        """A seal that is not the last member, or a second seal, does not count."""
        case = in_tendering()
        sealed = innoproc.dumps(case, key=KEY)
        seal = json.loads(sealed)["seal"]
        text = innoproc.dumps(case)
        moved = '{"seal":"' + seal + '",' + text[1:]
        innoproc.loads(moved, key=KEY)
        with pytest.raises(CaseFormatError):
            innoproc.loads(moved, key=KEY, require_seal=True)
        doubled = sealed[:-1] + ',"seal":"' + seal + '"}'
        with pytest.raises(CaseFormatError):
            innoproc.loads(doubled, key=KEY)  # a duplicated key, found by validation
        assert fast == []

    def test_seal_of_another_case(self, fast: list[int]) -> None:
        """One case's seal on another case's text does not match."""
        mine = innoproc.dumps(in_tendering(), key=KEY)
        theirs = innoproc.dumps(in_market_dialogue(), key=KEY)
        swapped = theirs[: theirs.rindex(',"seal"')] + mine[mine.rindex(',"seal"') :]
        with pytest.raises(CaseFormatError):
            innoproc.loads(swapped, key=KEY, require_seal=True)
        assert fast == []

    def test_another_whole_sealed_case_is_that_case(self) -> None:
        """A whole sealed document of another case is genuine, and says which case it is:
        the seal covers the reference, so a host that checks it finds a swapped row."""
        other = innoproc.open_case("innovation-partnership", reference="2024/0999", authority="A")
        mine = new_case()
        loaded = innoproc.loads(innoproc.dumps(other, key=KEY), key=KEY, require_seal=True)
        assert loaded.reference == "2024/0999" != mine.reference

    def test_older_version_of_the_same_case(self) -> None:
        """An older sealed version of the same case is genuine too (the seal does not say
        which version is the latest): its revision tells it apart."""
        case = in_market_dialogue()
        older = innoproc.dumps(case, key=KEY)
        case.apply("publish-notice", at=day(40), by=PM, **notice())
        replayed = innoproc.loads(older, key=KEY, require_seal=True)
        assert replayed.revision == case.revision - 1

    def test_a_case_read_for_audit_is_not_sealed(self) -> None:
        """A case read with problems let through for an audit is not sealed (the fast path
        would read it without the checks that found them); unsealed it is written as ever."""
        doc = json.loads(innoproc.dumps(in_tendering()))
        doc["history"][6]["from"] = "needs"  # a step out of order, as another system wrote it
        case = innoproc.loads(json.dumps(doc), for_audit=True)
        with pytest.raises(InvalidArgument) as info:
            innoproc.dumps(case, key=KEY)
        assert info.value.argument == "key"
        assert "audit" in str(info.value)
        with pytest.raises(CaseFormatError):
            innoproc.loads(innoproc.dumps(case), key=KEY)
        sound = innoproc.loads(innoproc.dumps(in_tendering()), for_audit=True)
        assert SEAL.search(innoproc.dumps(sound, key=KEY))

    def test_sealed_under_a_changed_declaration(self, fast: list[int]) -> None:
        """A sealed document that no longer fits the procedure given (a host changed its
        declaration without a new version) is validated in full, which names the problem."""
        procedure = _every_kind()
        case = innoproc.open_case(procedure, reference="K-1", authority="A")
        case.record("everything", at=day(1), by=PM, text="x")
        sealed = innoproc.dumps(case, key=KEY)
        changed = Procedure(
            "every-kind",
            title=procedure.title,
            source=procedure.source,
            states=list(procedure.states.values()),
            events=list(procedure.events.values()),
            facts=[FactType("something-else", Text(en="Else", nb="Annet"))],
        )
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(sealed, key=KEY, procedures=[changed])
        assert info.value.path == "$.history[0].name"
        assert fast == [1]  # tried, then read the long way

    def test_sealed_step_the_declaration_no_longer_allows(self) -> None:
        """A sealed step that leads elsewhere under a declaration changed since (same names)
        is not read fast: the long way says where it went wrong."""
        procedure = _every_kind()
        case = innoproc.open_case(procedure, reference="K-1", authority="A")
        case.apply("finish", at=day(1), by=PM)
        sealed = innoproc.dumps(case, key=KEY)
        changed = Procedure(
            "every-kind",
            title=procedure.title,
            source=procedure.source,
            states=[
                *procedure.states.values(),
                State("review", Text(en="Review", nb="Gjennomgang"), final=True),
            ],
            events=[
                Event("finish", Text(en="Finish", nb="Avslutt"), source="open", dest="review"),
                Event("close", Text(en="Close", nb="Lukk"), source="open", dest="done"),
            ],
            facts=list(procedure.facts.values()),
        )
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(sealed, key=KEY, procedures=[changed])
        assert info.value.path == "$.history[0].to"
