"""Storing and loading cases as JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from _builders import PM, day, in_last_phase, in_needs, new_case

import innoproc
from innoproc import CaseFormatError


def doc() -> dict[str, Any]:
    case = in_needs()
    case.apply("start-market-dialogue", at=day(2), by=PM)
    loaded: dict[str, Any] = json.loads(innoproc.dumps(case))
    return loaded


class TestRoundTrip:
    def test_identical(self) -> None:
        """dumps -> loads -> dumps gives the same text, for a long case with every kind."""
        case = in_last_phase()
        text = innoproc.dumps(case)
        again = innoproc.loads(text)
        assert innoproc.dumps(again) == text
        assert again.state == case.state
        assert again.history == case.history
        assert again.facts["procurement-documents"].get("max_rd_value") == Decimal("6000000")

    def test_loaded_case_goes_on(self) -> None:
        """A loaded case continues where it was, with its facts."""
        again = innoproc.loads(innoproc.dumps(in_last_phase()))
        again.apply("purchase", at=day(400), by=PM, price=Decimal("1"), performance_levels_met=True)
        assert again.state == "purchased"

    def test_utc_z_suffix(self) -> None:
        """Timestamps written with 'Z' (as other systems do) are read as UTC."""
        doc = json.loads(innoproc.dumps(in_needs()))
        doc["history"][0]["at"] = "2024-01-09T08:00:00Z"
        case = innoproc.loads(json.dumps(doc))
        assert case.history[0].at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]

    def test_bytes(self) -> None:
        """UTF-8 bytes load too."""
        text = innoproc.dumps(new_case())
        assert innoproc.loads(text.encode()).reference == "2024/0173"

    def test_header(self) -> None:
        """The document names its format, version, state and revision."""
        d = doc()
        assert (d["format"], d["version"], d["state"], d["revision"]) == (
            "innoproc-case",
            innoproc.FORMAT_VERSION,
            "market-dialogue",
            2,
        )
        assert d["history"][1]["from"] == "needs"


def broken(mutate: Any) -> str:
    d = doc()
    mutate(d)
    return json.dumps(d)


class TestBadInput:
    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ("{", "$"),
            ("[]", "$"),
            ("null", "$"),
            ('{"format": "other"}', "$.format"),
            ("[" * 100_000, "$" + "[0]" * 31),
        ],
    )
    def test_not_a_case(self, text: str, path: str) -> None:
        """Malformed JSON or another document raises CaseFormatError."""
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(text)
        assert info.value.path == path

    @pytest.mark.parametrize(
        ("mutate", "path", "words"),
        [
            (lambda d: d.update(version=3), "$.version", "unsupported format version 3"),
            (lambda d: d.update(version="1"), "$.version", "wrong type"),
            (lambda d: d.pop("history"), "$", "missing key 'history'"),
            (lambda d: d.update(state="development"), "$.state", "does not follow"),
            (lambda d: d.update(revision=7), "$.revision", "does not match"),
            (lambda d: d.update(procedure="x"), "$.procedure", "unknown procedure"),
            (lambda d: d.update(reference=""), "$.reference", "'reference'"),
            (
                lambda d: d["history"][0].update(at="2024-01-09T10:00:00"),
                "$.history[0].at",
                "without a time zone",
            ),
            (
                lambda d: d["history"][0].update(at="2024-02-30T10:00:00+01:00"),
                "$.history[0].at",
                "not an ISO 8601",
            ),
            (lambda d: d["history"][0].update(seq=3), "$.history[0].seq", "expected seq 1"),
            (
                lambda d: d["history"][1].update(name="award"),
                "$.history[1].name",
                "not possible from state",
            ),
            (lambda d: d["history"][1].update(name="fly"), "$.history[1].name", "unknown event"),
            (lambda d: d["history"][0].update(name="gossip"), "$.history[0].name", "unknown fact"),
            (lambda d: d["history"][1].update(to="purchased"), "$.history[1].to", "leads to"),
            (lambda d: d["history"][1].update(kind="note"), "$.history[1].kind", "unknown entry"),
            (
                lambda d: d["history"][0]["payload"].update(functional="yes"),
                "$.history[0].payload.functional",
                "bad value",
            ),
            (
                lambda d: d["history"][0]["payload"].update(extra=1),
                "$.history[0].payload.extra",
                "no field",
            ),
            (
                lambda d: d["history"][0]["payload"].pop("summary"),
                "$.history[0].payload",
                "requires field",
            ),
            (lambda d: d["history"].reverse(), "$.history[0].seq", "expected seq"),
            (
                lambda d: d["history"][1].update(at="2023-01-01T00:00:00+01:00"),
                "$.history[1].at",
                "earlier",
            ),
            (lambda d: d["history"][0].update(by=""), "$.history[0].by", "actor"),
            (
                lambda d: d["history"].append(d["history"][1] | {"seq": 3}),
                "$.history[2].from",
                "starts from",
            ),
        ],
    )
    def test_rejected(self, mutate: Any, path: str, words: str) -> None:
        """Each kind of corruption is refused with the JSON path of the problem."""
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(broken(mutate))
        assert info.value.path == path
        assert words in info.value.message

    def test_size_limit(self) -> None:
        """Documents over the size limit are refused before parsing."""
        with pytest.raises(CaseFormatError, match="larger than 100"):
            innoproc.loads(innoproc.dumps(new_case()) + " " * 200, max_size=100)

    def test_not_text(self) -> None:
        """Only text is read."""
        with pytest.raises(CaseFormatError, match="expected JSON text"):
            innoproc.loads(42)  # type: ignore[arg-type]

    def test_is_value_error(self) -> None:
        """CaseFormatError is a ValueError and an InnoprocError."""
        assert issubclass(CaseFormatError, ValueError)
        assert issubclass(CaseFormatError, innoproc.InnoprocError)
