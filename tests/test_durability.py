"""Durable cases: the versioned format, replay and audit, concurrency and hostile input."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _builders import PM, day, in_last_phase, in_needs, new_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import innoproc
from innoproc import CaseFormatError

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("v*/*.json"))


class TestFormat:
    def test_golden_files_exist_for_every_version(self) -> None:
        """There is a golden folder for every released format version; the current one holds
        a case of every released version of every built-in procedure and scheme."""
        versions = sorted(int(p.name[1:]) for p in GOLDEN.glob("v*"))
        assert versions == list(range(1, innoproc.FORMAT_VERSION + 1))
        assert {p.stem for p in GOLDEN.glob("v1/*.json")} == {
            p.id for p in innoproc.procedures().values()
        }
        released = {
            f"{p.id}@{p.version}"
            for pid in innoproc.procedures()
            for p in innoproc.procedure_versions(pid)
        } | {f"{s.application.id}@{s.version}" for s in innoproc.schemes().values()}
        current = {p.stem for p in GOLDEN.glob(f"v{innoproc.FORMAT_VERSION}/*.json")}
        assert released <= current

    @pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
    def test_golden_files_load(self, path: Path) -> None:
        """Every released format loads, under the procedure version it was written under, and
        complies; the current format is byte-identical when written again."""
        text = path.read_text(encoding="utf-8")
        case = innoproc.loads(text)
        assert innoproc.audit(case).ok
        if "@" in path.stem:
            opened = int(path.stem.split("@")[1].split("-")[0])
            assert case.opened_version == opened
        else:  # format 1 had no versions: its cases were written under version 1
            assert case.opened_version == case.version == 1
        if path.parent.name == f"v{innoproc.FORMAT_VERSION}":
            assert innoproc.dumps(case) == text

    @pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
    def test_schema(self, path: Path) -> None:
        """Documents validate against the JSON Schema of their format shipped in the package."""
        schema = innoproc.json_schema(int(path.parent.name[1:]))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)

    def test_schema_rejects_what_loads_rejects(self) -> None:
        """The schema catches a missing header key and a bad entry kind."""
        doc = json.loads(innoproc.dumps(in_needs()))
        schema = innoproc.json_schema()
        del doc["revision"]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, schema)

    @pytest.mark.parametrize("version", [1, 2])
    def test_docs_publish_the_schema(self, version: int) -> None:
        """The docs hold the same schemas as the package."""
        published = Path(__file__).parent.parent / "docs" / f"case-v{version}.schema.json"
        assert json.loads(published.read_text(encoding="utf-8")) == innoproc.json_schema(version)

    @pytest.mark.parametrize("version", [0, 3, 99])
    def test_unknown_version(self, version: int) -> None:
        """An unknown or newer version is refused, naming it."""
        doc = json.loads(innoproc.dumps(new_case()))
        doc["version"] = version
        with pytest.raises(CaseFormatError, match=f"unsupported format version {version}"):
            innoproc.loads(json.dumps(doc))


def tampered(mutate: Any) -> str:
    case = in_last_phase()
    doc = json.loads(innoproc.dumps(case))
    mutate(doc)
    return json.dumps(doc)


class TestAudit:
    def test_compliant(self) -> None:
        """A case driven through the API complies, and the report says so."""
        report = innoproc.audit(in_last_phase())
        assert report.ok and report.violations == ()
        assert report.steps_checked == 6
        assert "0 violations" in report.explain()

    def test_imported_precondition_breach(self) -> None:
        """An imported case that skipped a rule is reported with code and source."""

        def breach(doc: dict[str, Any]) -> None:
            # The other system recorded the market dialogue as having found a product.
            for entry in doc["history"]:
                if entry["name"] == "market-dialogue-outcome":
                    entry["payload"]["solution_available"] = True

        report = innoproc.audit(tampered(breach))
        assert not report.ok
        (violation,) = report.violations
        assert (violation.name, violation.kind, violation.codes) == (
            "publish-notice",
            "precondition",
            ("no-market-solution",),
        )
        assert str(violation.findings[0].source) == (
            "Directive 2014/24/EU art. 31(1) second subparagraph"
        )
        assert "[no-market-solution]" in report.explain()
        assert "[no-market-solution]" in report.explain("nb")

    def test_step_out_of_order(self) -> None:
        """A step taken where it is not possible is reported; the document loads for audit."""

        def skip(doc: dict[str, Any]) -> None:
            # Drop 'call-final-tenders': 'award' then comes straight after negotiation.
            doc["history"] = [e for e in doc["history"] if e["name"] != "call-final-tenders"]
            for i, entry in enumerate(doc["history"]):
                entry["seq"] = i + 1
                if entry["name"] == "award":
                    entry["from"] = "negotiation"
            doc["revision"] = len(doc["history"])

        text = tampered(skip)
        with pytest.raises(CaseFormatError, match="not possible from state 'negotiation'"):
            innoproc.loads(text)
        assert innoproc.loads(text, for_audit=True).state == "development"
        report = innoproc.audit(text)
        assert "step-out-of-order" in report.codes
        award = next(v for v in report.violations if v.name == "award")
        assert award.kind == "order"

    def test_tampered_state(self) -> None:
        """A stated state that does not follow from the history is refused, or reported."""
        text = tampered(lambda d: d.update(state="purchased"))
        with pytest.raises(CaseFormatError, match="does not follow from the history"):
            innoproc.loads(text)
        report = innoproc.audit(text)
        assert report.codes == ("state-mismatch",)
        assert report.violations[0].seq is None

    def test_out_of_time_order(self) -> None:
        """Entries out of time order are refused, or reported for audit."""

        def backdate(doc: dict[str, Any]) -> None:
            doc["history"][3]["at"] = "2020-01-01T00:00:00+01:00"

        with pytest.raises(CaseFormatError, match="earlier than the one before"):
            innoproc.loads(tampered(backdate))
        assert "out-of-time-order" in innoproc.audit(tampered(backdate)).codes

    def test_malformed_is_refused_even_for_audit(self) -> None:
        """Audit reads order problems, never malformed data."""
        with pytest.raises(CaseFormatError):
            innoproc.audit(tampered(lambda d: d["history"][0].update(name="gossip")))

    def test_rebuilt_from_history_alone(self) -> None:
        """A case rebuilt from its history alone equals the original."""
        case = in_last_phase()
        rebuilt = innoproc.open_case(
            case.procedure, reference=case.reference, authority=case.authority
        )
        for entry in case.history:
            if entry.kind == "fact":
                rebuilt.record(entry.name, at=entry.at, by=entry.by, **entry.payload)
            else:
                rebuilt.apply(entry.name, at=entry.at, by=entry.by, **entry.payload)
        assert innoproc.dumps(rebuilt) == innoproc.dumps(case)


class TestConcurrency:
    def test_expected_revision(self) -> None:
        """A stale revision is a conflict, and nothing is written."""
        case = in_needs()
        seen = case.revision
        case.apply("start-market-dialogue", at=day(2), by=PM, expected_revision=seen)
        before = innoproc.dumps(case)
        with pytest.raises(innoproc.ConcurrencyConflict) as info:
            case.apply("cancel", at=day(3), by=PM, reason="x", expected_revision=seen)
        assert (info.value.expected, info.value.actual) == (1, 2)
        assert "reload it and try again" in str(info.value)
        assert innoproc.dumps(case) == before
        with pytest.raises(innoproc.ConcurrencyConflict):
            case.record(
                "need-description",
                at=day(3),
                by=PM,
                summary="x",
                functional=True,
                expected_revision=seen,
            )

    def test_reserved_field_names(self) -> None:
        """A field may not shadow apply()'s own arguments."""
        with pytest.raises(innoproc.InvalidDefinition, match="reserved"):
            innoproc.Event(
                "x",
                innoproc.Text(en="x", nb="x"),
                source="a",
                dest="b",
                fields=(innoproc.Field("expected_revision", "integer"),),
            )

    def test_threads_lose_nothing(self) -> None:
        """Eight threads recording at once: no entry lost or duplicated, seq 1..N."""
        case = new_case()
        per_thread = 200
        start = threading.Barrier(8)

        def work(n: int) -> None:
            start.wait()
            for i in range(per_thread):
                case.record(
                    "negotiation-round",
                    at=day(1),
                    by=f"clerk-{n}",
                    round=i,
                    changed_minimum_requirements=False,
                    changed_award_criteria=False,
                )

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        history = case.history
        assert len(history) == case.revision == 8 * per_thread
        assert [e.seq for e in history] == list(range(1, 8 * per_thread + 1))
        pairs = {(e.by, e.payload["round"]) for e in history}
        assert len(pairs) == 8 * per_thread

    def test_only_one_of_racing_steps_wins(self) -> None:
        """Threads racing to apply the same step: exactly one succeeds."""
        case = in_needs()
        results: list[str] = []
        start = threading.Barrier(6)

        def work() -> None:
            start.wait()
            try:
                case.apply("start-market-dialogue", at=day(2), by=PM, expected_revision=1)
                results.append("applied")
            except (innoproc.ConcurrencyConflict, innoproc.TransitionNotAllowed):
                results.append("refused")

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["applied"] + ["refused"] * 5
        assert [e.name for e in case.history].count("start-market-dialogue") == 1


class TestHostileInput:
    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ('{"format": "innoproc-case", "format": "x"}', "duplicated key 'format'"),
            ('{"format": "innoproc-case", "version": NaN}', "NaN is not allowed"),
            ('{"a": Infinity}', "Infinity is not allowed"),
            (
                '{"format": "innoproc-case", "version": 1, "details": {"a": '
                + "[" * 40
                + "]" * 40
                + "}}",
                "nesting deeper than 32 levels",
            ),
            (b"\xff\xfe{", "not valid JSON"),
            ('{"format": "innoproc-case", "version": 1' + "0" * 5000 + "}", "not valid JSON"),
        ],
    )
    def test_refused(self, text: str | bytes, words: str) -> None:
        """Duplicate keys, NaN, deep nesting, bad bytes and huge numbers are refused."""
        with pytest.raises(CaseFormatError, match=words):
            innoproc.loads(text)

    def test_depth_is_configurable(self) -> None:
        """The nesting bound is a parameter."""
        doc = json.loads(innoproc.dumps(new_case()))
        doc["details"] = {"a": {"b": {"c": {"d": 1}}}}
        with pytest.raises(CaseFormatError, match="deeper than 4"):
            innoproc.loads(json.dumps(doc), max_depth=4)
        assert innoproc.loads(json.dumps(doc)).details["a"]["b"]["c"]["d"] == 1

    def test_unknown_state_names(self) -> None:
        """A step naming an unknown state is refused with its path."""
        doc = json.loads(innoproc.dumps(in_last_phase()))
        doc["history"][1]["to"] = "limbo"
        with pytest.raises(CaseFormatError) as info:
            innoproc.loads(json.dumps(doc))
        assert info.value.path == "$.history[1].to"


def _json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


GOLDEN_DOCS = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN_FILES]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(_paths(item, (*prefix, i)))
    return found


def _replace(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(doc))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


class TestFuzz:
    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=_json_values())
    def test_random_json(self, value: Any) -> None:
        """Any JSON value: loads raises CaseFormatError and nothing else."""
        with pytest.raises(CaseFormatError):
            innoproc.loads(json.dumps(value))

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_mutated_documents(self, data: st.DataObject) -> None:
        """A valid document with one value replaced: a Case that round-trips, or CaseFormatError."""
        doc = data.draw(st.sampled_from(GOLDEN_DOCS))
        path = data.draw(st.sampled_from(_paths(doc)))
        mutated = _replace(doc, path, data.draw(_json_values()))
        try:
            case = innoproc.loads(json.dumps(mutated))
        except CaseFormatError:
            return
        text = innoproc.dumps(case)
        assert innoproc.dumps(innoproc.loads(text)) == text

    @settings(max_examples=200, deadline=None)
    @given(blob=st.binary(max_size=200) | st.text(max_size=200))
    def test_random_bytes(self, blob: bytes | str) -> None:
        """Random bytes or text: CaseFormatError and nothing else."""
        with pytest.raises(CaseFormatError):
            innoproc.loads(blob)

    def test_atheris(self, tmp_path: Path) -> None:
        """A bounded coverage-guided fuzz run of loads with atheris finds no crash."""
        pytest.importorskip("atheris")
        import subprocess
        import sys

        script = Path(__file__).parent / "fuzz_loads.py"
        # libFuzzer adds what it finds to its corpus folder: give it a copy of the golden
        # documents, never the golden folder itself.
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        for golden in GOLDEN_FILES:
            (corpus / f"{golden.parent.name}-{golden.name}").write_bytes(golden.read_bytes())
        result = subprocess.run(
            [
                sys.executable,
                str(script),
                str(corpus),
                "-runs=100000",
                "-max_total_time=10",
                f"-artifact_prefix={tmp_path}/",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
