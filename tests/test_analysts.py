"""Diagrams, notebook display, compliance helpers, the pytest plugin, OCDS and the CLI."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from _builders import PM, day, in_last_phase, in_market_dialogue, in_needs

import innoproc
from innoproc._cli import main
from innoproc._demo import DEMOS
from innoproc.testing import assert_allowed, assert_complies, assert_refused, assert_violates

pytest_plugins = ["pytester"]


class TestDiagrams:
    @pytest.mark.parametrize("pid", sorted(innoproc.procedures()))
    def test_every_procedure(self, pid: str) -> None:
        """Every procedure draws in Mermaid and DOT with all its states and events."""
        d = innoproc.diagram(pid)
        proc = innoproc.procedures()[pid]
        assert {n.name for n in d.nodes} == set(proc.states)
        assert {e.event for e in d.edges} == set(proc.events)
        mermaid, dot = d.to_mermaid(), d.to_dot()
        assert mermaid.startswith("stateDiagram-v2")
        for state in proc.states:
            assert state.replace("-", "_") in mermaid
            assert f'"{state}"' in dot

    def test_labels_carry_preconditions(self) -> None:
        """Each transition is labelled with its preconditions."""
        mermaid = innoproc.diagram("innovation-partnership").to_mermaid()
        assert "needs --> market_dialogue : Start the market dialogue [need-described]" in mermaid

    def test_case_highlights_state_and_refusals(self) -> None:
        """A case's state is highlighted; a refused next step shows its unmet codes."""
        case = in_market_dialogue(ipr_arrangements=False)
        d = innoproc.diagram(case)
        assert [n.name for n in d.nodes if n.current] == ["market-dialogue"]
        publish = next(
            e for e in d.edges if e.event == "publish-notice" and e.source == "market-dialogue"
        )
        assert (publish.status, publish.unmet) == ("refused", ("documents-complete",))
        assert "class market_dialogue current" in d.to_mermaid()
        assert "✗ documents-complete" in d.to_dot()

    def test_given_refusal(self) -> None:
        """A refusal from PreconditionFailed is drawn on its transition."""
        case = in_needs(need=False)
        with pytest.raises(innoproc.PreconditionFailed) as info:
            case.apply("start-market-dialogue", at=day(2), by=PM)
        d = innoproc.diagram(case.procedure, refused=info.value.assessment)
        edge = next(e for e in d.edges if e.event == "start-market-dialogue")
        assert edge.unmet == ("need-described",)

    def test_groups(self) -> None:
        """The diamonds are drawn as clusters."""
        dot = innoproc.diagram("triple-diamond", lang="nb").to_dot()
        assert 'subgraph "cluster_diagnose"' in dot
        assert "Diamant 1: diagnose, åpne" in dot

    def test_unknown(self) -> None:
        """An unknown procedure id is refused."""
        with pytest.raises(innoproc.UnknownProcedure):
            innoproc.diagram("nope")

    def test_graphviz(self) -> None:
        """With the graphviz extra (and dot), SVG is produced."""
        pytest.importorskip("graphviz")
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot program is not installed")
        svg = innoproc.diagram("pre-commercial-procurement").to_svg()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg

    def test_without_graphviz(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the graphviz package: a clear ImportError; text forms still work."""
        monkeypatch.setitem(sys.modules, "graphviz", None)
        d = innoproc.diagram("innovation-partnership")
        with pytest.raises(ImportError, match=r"pip install 'innoproc\[graphviz\]'"):
            d.to_graphviz()
        bundle = d._repr_mimebundle_()
        assert "image/svg+xml" not in bundle
        assert bundle["text/markdown"].startswith("```mermaid")


class TestDisplay:
    def test_case_html(self) -> None:
        """A case renders as HTML with its state, next steps and history."""
        html = in_market_dialogue(ipr_arrangements=False)._repr_html_()
        assert "<table>" in html and "Market dialogue" in html
        assert "documents-complete" in html
        assert "need-description" in html

    def test_case_text(self) -> None:
        """print(case) gives a readable terminal summary."""
        text = str(in_needs())
        assert "State: Needs (revision 1)" in text
        assert "✔ Start the market dialogue" in text
        assert "Description of the need (Procurement manager)" in text

    def test_html_escapes(self) -> None:
        """User text is escaped."""
        case = innoproc.open_case("triple-diamond", reference="<script>", authority="A&B")
        html = case._repr_html_()
        assert "<script>" not in html and "&lt;script&gt;" in html and "A&amp;B" in html

    def test_other_reprs(self) -> None:
        """Procedures, assessments and audits render as HTML too."""
        proc = innoproc.procedures()["pre-commercial-procurement"]
        assert "rd-services-only" in proc._repr_html_()
        a = in_needs(need=False).check("start-market-dialogue", at=day(1))
        assert "✘" in a._repr_html_() and "need-described" in a._repr_html_()
        assert "complies" in innoproc.audit(in_needs())._repr_html_()


class TestCompliance:
    def test_complies(self) -> None:
        """A compliant case passes; a breach fails with the explanation."""
        assert assert_complies(in_last_phase()).ok
        doc = json.loads(innoproc.dumps(in_last_phase()))
        for entry in doc["history"]:
            if entry["name"] == "award":
                entry["payload"]["award_basis"] = "lowest-price"
        with pytest.raises(AssertionError, match=r"\[award-basis\]"):
            assert_complies(json.dumps(doc))
        assert_violates(json.dumps(doc), "award-basis")
        with pytest.raises(AssertionError, match="expected but not found: partners"):
            assert_violates(json.dumps(doc), "partners")
        with pytest.raises(AssertionError, match="found but not expected: award-basis"):
            assert_violates(json.dumps(doc), "partners", exactly=True)
        assert_violates(json.dumps(doc), "award-basis", exactly=False)

    def test_refused_and_allowed(self) -> None:
        """Refusals with codes, and allowed steps."""
        case = in_needs(need=False)
        assert_refused(case, "start-market-dialogue", "need-described", at=day(2))
        with pytest.raises(AssertionError, match="expected proportionality"):
            assert_refused(case, "start-market-dialogue", "proportionality", at=day(2))
        with pytest.raises(AssertionError, match="need-described"):
            assert_allowed(case, "start-market-dialogue", at=day(2))
        assert_allowed(in_needs(), "start-market-dialogue", at=day(2))
        with pytest.raises(AssertionError, match="expected to be refused"):
            assert_refused(in_needs(), "start-market-dialogue", at=day(2))

    def test_plugin(self, pytester: pytest.Pytester) -> None:
        """The pytest plugin's fixtures work and failures read well."""
        pytester.makepyfile(
            """
            import innoproc

            def test_ok(innoproc_compliance, innoproc_open_case, innoproc_clock):
                case = innoproc_open_case("innovation-partnership")
                assert case.reference == "test-1"
                innoproc_compliance.assert_refused(case, "start-market-dialogue",
                                                   "need-described")
                case.record("need-description", at=innoproc_clock.advance(days=1), by="x",
                            summary="s", functional=True)
                case.apply("start-market-dialogue", at=innoproc_clock.advance(hours=2), by="x")
                innoproc_compliance.assert_complies(case)

            def test_fails(innoproc_open_case, innoproc_clock):
                case = innoproc_open_case("innovation-partnership")
                assessment = case.check("start-market-dialogue", at=innoproc_clock.now)
                assert assessment.ok
            """
        )
        result = pytester.runpytest()
        result.assert_outcomes(passed=1, failed=1)
        result.stdout.fnmatch_lines(["*[need-described]*"])


def _codes(name: str) -> set[str]:
    path = files("innoproc").joinpath(f"schemas/ocds-1.1.5/codelists/{name}.csv")
    return {row["Code"] for row in csv.DictReader(path.read_text("utf-8").splitlines())}


class TestOcds:
    schema = json.loads(
        files("innoproc").joinpath("schemas/ocds-1.1.5/release-schema.json").read_text("utf-8")
    )

    @pytest.mark.parametrize("name", sorted(DEMOS))
    def test_valid_release(self, name: str) -> None:
        """The release of each demo case validates against the OCDS 1.1.5 release schema."""
        release = innoproc.to_ocds(DEMOS[name]("en", lambda s: None))
        jsonschema.Draft4Validator(self.schema).validate(release)
        assert set(release["tag"]) <= _codes("releaseTag")
        assert release["tender"]["status"] in _codes("tenderStatus")
        for m in release["tender"].get("milestones", []):
            assert m["type"] in _codes("milestoneType")
            assert m["status"] in _codes("milestoneStatus")
        for party in release["parties"]:
            assert set(party["roles"]) <= _codes("partyRole")

    def test_innovation_partnership(self) -> None:
        """Selective, 'Innovation partnership', eForms 'innovation', phases as milestones."""
        release = innoproc.to_ocds(DEMOS["innovation-partnership"]("en", lambda s: None))
        tender = release["tender"]
        assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == (
            "selective",
            "Innovation partnership",
        )
        assert tender["procurementMethod"] in _codes("method")
        assert innoproc.eforms_procedure_type("innovation-partnership") == "innovation"
        assert [m["status"] for m in tender["milestones"]] == ["met", "met", "met"]
        assert [s["name"] for s in release["awards"][0]["suppliers"]] == [
            "Nordlys Care AS",
            "Fjord Sensor AS",
        ]

    def test_pcp(self) -> None:
        """PCP: no eForms code, phases as milestones, the follow-on as a related process."""
        release = innoproc.to_ocds(DEMOS["pre-commercial-procurement"]("en", lambda s: None))
        assert innoproc.eforms_procedure_type("pre-commercial-procurement") is None
        assert len(release["tender"]["milestones"]) == 3
        (related,) = release["relatedProcesses"]
        assert related["identifier"] == "ocds-innoproc-IP-2026-01"
        assert set(related["relationship"]) <= _codes("relatedProcess")

    def test_no_mapping(self) -> None:
        """Applications to funding schemes have no OCDS mapping."""
        app = innoproc.open_application(
            "stimulab-2018",
            reference="S",
            applicant="A",
            kind="state-agency",
            at=day(0),
            by="A",
        )
        with pytest.raises(innoproc.InnoprocError, match="no OCDS mapping"):
            innoproc.to_ocds(app)


class TestCli:
    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    def test_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--help lists the commands with examples."""
        with pytest.raises(SystemExit):
            main(["--help"])
        out = capsys.readouterr().out
        for word in ("demo", "diagram", "check", "simulate", "examples:"):
            assert word in out

    def test_diagram(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Mermaid and DOT of a procedure; a stored case highlighted."""
        code, out, _ = self.run(capsys, "diagram", "triple-diamond", "--format", "dot")
        assert code == 0 and out.startswith('digraph "triple-diamond"')
        path = tmp_path / "case.json"
        path.write_text(innoproc.dumps(in_needs()), encoding="utf-8")
        code, out, _ = self.run(capsys, "diagram", "--case", str(path))
        assert "class needs current" in out
        assert self.run(capsys, "diagram")[0] == 2

    def test_check(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """check exits 0 on compliance, 1 on violations (in bokmål too), 2 on bad files."""
        good = tmp_path / "good.json"
        good.write_text(innoproc.dumps(in_last_phase()), encoding="utf-8")
        assert self.run(capsys, "check", str(good))[0] == 0
        doc = json.loads(good.read_text(encoding="utf-8"))
        doc["state"] = "purchased"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc), encoding="utf-8")
        code, out, _ = self.run(capsys, "check", str(bad), "--lang", "nb")
        assert code == 1 and "state-mismatch" in out and "brudd" in out
        broken = tmp_path / "broken.json"
        broken.write_text("{", encoding="utf-8")
        code, _, err = self.run(capsys, "check", str(broken))
        assert code == 2 and "not valid JSON" in err

    def test_simulate(self, capsys: pytest.CaptureFixture[str]) -> None:
        """simulate prints a table of end states; parameters are set with --set."""
        code, out, _ = self.run(
            capsys,
            "simulate",
            "innovation-partnership",
            "--runs",
            "200",
            "--set",
            "market_solution=1",
        )
        assert code == 0
        assert "cancelled" in out and "100.0%" in out
        code, out, _ = self.run(
            capsys, "simulate", "municipal-innovation-fund-application", "--runs", "50"
        )
        assert code == 0 and "closed" in out
        code, out, _ = self.run(capsys, "simulate", "municipal-innovation-fund", "--runs", "3")
        assert code == 0 and "3 calls of 100 applications, budget NOK 2,000,000" in out
        assert self.run(capsys, "simulate", "innovation-partnership", "--set", "x=abc")[0] == 2
        assert self.run(capsys, "simulate", "innovation-partnership", "--set", "nope=1")[0] == 2


def test_pytest_plugin_is_registered() -> None:
    """The plugin is installed as a pytest11 entry point."""
    from importlib.metadata import entry_points

    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "innoproc.pytest_plugin" in names


@pytest.mark.parametrize("pid", sorted(innoproc.procedures()))
def test_docs_diagrams_are_current(pid: str) -> None:
    """The diagrams in the docs match the procedures (run docs/gen_diagrams.py if not)."""
    folder = Path(__file__).parent.parent / "docs" / "diagrams"
    d = innoproc.diagram(pid)
    assert (folder / f"{pid}.dot").read_text(encoding="utf-8") == d.to_dot()
    assert (folder / f"{pid}.mmd").read_text(encoding="utf-8") == d.to_mermaid()
    assert "<svg" in (folder / f"{pid}.svg").read_text(encoding="utf-8")
