"""The command line and the demo, and the README's promises about them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import innoproc
from innoproc._cli import main
from innoproc._demo import run_demo

ROOT = Path(__file__).resolve().parent.parent


class TestDemo:
    def test_walks_to_purchase(self) -> None:
        """The demo ends purchased, after refusals that name every unmet rule and source."""
        lines: list[str] = []
        case = run_demo("innovation-partnership", out=lines.append)
        text = "\n".join(lines)
        assert case.state == "purchased"
        assert text.count("REFUSED") >= 2
        assert "Rules not met (5):" in text
        assert "[leadership-anchoring]" in text
        assert "Source: Directive 2014/24/EU art. 31(2)" in text
        assert "REFUSED: Publish the contract notice" in text
        assert "done: Buy the result  [Development → Purchased]" in text
        assert "Final state: Purchased" in text

    def test_bokmal(self) -> None:
        """--lang nb prints the refusals in Norwegian."""
        lines: list[str] = []
        run_demo("innovation-partnership", lang="nb", out=lines.append)
        text = "\n".join(lines)
        assert "AVVIST: Kunngjør konkurransen" in text
        assert "Prosjektet må være forankret i toppledelsen." in text
        assert "Kilde: direktiv 2014/24/EU art. 31" in text
        assert "Sluttilstand: Kjøpt" in text

    def test_nynorsk(self) -> None:
        """--lang nn prints the refusals, titles and dates in nynorsk."""
        lines: list[str] = []
        run_demo("innovation-partnership", lang="nn", out=lines.append)
        text = "\n".join(lines)
        assert "AVVIST: Kunngjer konkurransen" in text
        assert "Kjelde: direktiv 2014/24/EU art. 31" in text
        assert "23.02.2024" in text

    @pytest.mark.parametrize(
        ("procedure", "end", "refusals"),
        [("pre-commercial-procurement", "completed", 3), ("triple-diamond", "completed", 2)],
    )
    def test_other_procedures(self, procedure: str, end: str, refusals: int) -> None:
        """Each procedure has a demo that ends where it should, after refused steps."""
        lines: list[str] = []
        case = run_demo(procedure, out=lines.append)
        assert case.state == end
        assert "\n".join(lines).count("REFUSED") == refusals

    def test_pcp_demo_shows_follow_on(self) -> None:
        """The PCP demo refuses to buy volumes and opens a linked innovation partnership."""
        lines: list[str] = []
        run_demo("pre-commercial-procurement", out=lines.append)
        text = "\n".join(lines)
        assert "[volume-needs-new-procurement]" in text
        assert "follow-on case: Innovation partnership IP-2026-01" in text

    def test_cli_main(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`innoproc demo` prints the demo and exits 0."""
        assert main(["demo"]) == 0
        assert "Final state: Purchased" in capsys.readouterr().out

    def test_cli_rejects_unknown_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown --lang is a usage error naming the languages there are."""
        assert main(["demo", "--lang", "sv"]) == 2
        err = capsys.readouterr().err
        assert "no texts in language 'sv'; choose one of: en, nb, nn" in err

    def test_python_m(self) -> None:
        """`python -m innoproc --version` works in a fresh interpreter."""
        out = subprocess.run(
            [sys.executable, "-m", "innoproc", "--version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.strip() == f"innoproc {innoproc.__version__}"


class TestReadme:
    def quickstart(self) -> list[str]:
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        block = re.search(r"<!-- quickstart -->\n```sh\n(.*?)```", text, re.S)
        assert block is not None
        return [line for line in block.group(1).splitlines() if line.strip()]

    def test_exactly_two_commands(self) -> None:
        """The quick start holds exactly two commands: the demo and the tests."""
        demo, tests = self.quickstart()
        assert "python -m innoproc demo" in demo
        assert "pytest" in tests and ".[test]" in tests

    def test_ci_runs_the_readme_commands(self) -> None:
        """.ci/run takes its test and demo commands from the README."""
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert "<!-- quickstart -->" in ci
        assert "-eq 5" in ci  # pytest's "no tests ran" is a failure

    def test_version_defined_once(self) -> None:
        """pyproject.toml reads the version from the package."""
        pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        assert 'dynamic = ["version"]' in pyproject
        assert 'attr = "innoproc._version.__version__"' in pyproject
        assert re.search(r'^version\s*=\s*"', pyproject, re.M) is None


def _entry_point() -> list[str]:
    """The installed ``innoproc`` command (``python -m innoproc`` where it is not installed)."""
    script = Path(sys.executable).with_name("innoproc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "innoproc"]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_entry_point(), *argv], capture_output=True, text=True, timeout=120, check=False
    )


class TestMistakes:
    """A user's mistake never shows a traceback: one message, the valid choices, exit 2."""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (
                ["diagram", "nonexistent"],
                "innoproc diagram: there is no procedure 'nonexistent'; choose one of: "
                "innovation-partnership, pre-commercial-procurement, triple-diamond",
            ),
            (["demo", "nosuch"], "there is no procedure 'nosuch'; choose one of: innovation"),
            (
                ["simulate", "innovation-partnership", "--runs", "-5"],
                "argument --runs: must be a whole number of at least 0, got -5",
            ),
            (
                ["simulate", "nosuch"],
                "there is no scenario 'nosuch'; choose one of: innovation-partnership",
            ),
            (
                ["simulate", "triple-diamond", "--set", "foo=0.2"],
                "scenario 'triple-diamond' has no parameter 'foo'; its parameters are: late, "
                "prequalified, deferred, committed, revisit, grant",
            ),
            (
                ["simulate", "triple-diamond", "--set", "late=1.5"],
                "late must be a probability from 0 to 1 (0.2 means 20 %); got 1.5",
            ),
            (
                ["simulate", "stimulab-2018-application", "--set", "funded=1.7"],
                "funded must be a probability from 0 to 1",
            ),
            (["simulate", "triple-diamond", "--set", "late"], "write NAME=VALUE"),
            (
                ["simulate", "innovation-norway-sketch-2017"],
                "budget must be an amount in NOK: the scheme states no budget",
            ),
            (["check", "/nonexistent/case.json"], "/nonexistent/case.json: no such file"),
            (["diagram", "--case", "/nonexistent/case.json"], "no such file"),
            (["diagram"], "give a procedure id or --case FILE"),
            (["diagram", "triple-diamond", "--format", "png"], "must be one of mermaid, dot, svg"),
            (["bogus"], "invalid choice: 'bogus'"),
            (["simulate"], "the following arguments are required: scenario"),
            (["demo", "--lang", "sv"], "no texts in language 'sv'; choose one of: en, nb"),
        ],
        ids=lambda v: " ".join(v) if isinstance(v, list) else "",
    )
    def test_message_and_status(self, argv: list[str], expected: str) -> None:
        """The real command prints the message on stderr and exits 2, without a traceback."""
        done = _run(*argv)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert expected in done.stderr
        assert done.stdout == ""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["diagram", "nonexistent"], "det finnes ingen prosedyre 'nonexistent'; velg en av"),
            (
                ["simulate", "triple-diamond", "--set", "late=1.5"],
                "late må være en sannsynlighet fra 0 til 1",
            ),
            (
                ["simulate", "triple-diamond", "--runs", "x"],
                "argumentet --runs: må være et heltall",
            ),
            (["check", "/nonexistent/case.json"], "filen finnes ikke"),
            (["simulate"], "disse argumentene mangler: scenario"),
        ],
    )
    def test_in_bokmal(self, argv: list[str], expected: str) -> None:
        """With --lang nb the message is in bokmål."""
        done = _run(*argv, "--lang", "nb")
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert expected in done.stderr

    def test_svg_without_graphviz(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--format svg without the graphviz package says how to install it."""
        monkeypatch.setitem(sys.modules, "graphviz", None)
        assert main(["diagram", "triple-diamond", "--format", "svg"]) == 2
        err = capsys.readouterr().err
        assert "pip install 'innoproc[graphviz]'" in err

    def test_svg_without_dot(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--format svg without Graphviz's dot program says so."""
        pytest.importorskip("graphviz")
        monkeypatch.setattr("shutil.which", lambda name: None)
        assert main(["diagram", "triple-diamond", "--format", "svg", "--lang", "nb"]) == 2
        assert "krever Graphviz' dot-program" in capsys.readouterr().err


class TestHelp:
    def run_help(self, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
        with pytest.raises(SystemExit) as info:
            main([*argv, "--help"])
        assert info.value.code == 0
        return capsys.readouterr().out

    def test_lists_procedures_and_schemes(self, capsys: pytest.CaptureFixture[str]) -> None:
        """innoproc --help lists the procedures and the schemes."""
        out = self.run_help(capsys)
        for pid in innoproc.procedures():
            assert pid in out
        for sid in innoproc.schemes():
            assert sid in out

    def test_simulate_lists_parameters(self, capsys: pytest.CaptureFixture[str]) -> None:
        """simulate --help lists every scenario and each parameter with its range."""
        from innoproc import scenarios

        out = self.run_help(capsys, "simulate")
        for pid in innoproc.procedures():
            for p in scenarios.parameters(pid):
                assert re.search(rf"{p.name}\s+{re.escape(p.describe())}", out), p.name
        assert "market_solution   probability 0-1, 0.2" in out
        assert "applications      whole number 1-1000000, 100" in out
        assert "stimulab-2018-application" in out
        assert "innovation-norway-sketch-2017 states no budget: give --set budget=NOK" in out
        assert "projects funded by stimulab-2018 follow triple-diamond" in out

    def test_help_in_bokmal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--lang nb gives the help in bokmål."""
        out = self.run_help(capsys, "simulate", "--lang", "nb")
        assert "sannsynlighet 0-1" in out and "scenarier og parametrene deres" in out

    def test_every_command_takes_lang(self) -> None:
        """Every command accepts --lang en|nb."""
        for command in ("demo", "diagram", "check", "simulate"):
            done = _run(command, "--help", "--lang", "nb")
            assert done.returncode == 0 and "--lang" in done.stdout


class TestOutput:
    def test_call(self, capsys: pytest.CaptureFixture[str]) -> None:
        """simulate SCHEME runs whole calls: grants never beyond the budget."""
        code = main(["simulate", "stimulab-2018", "--runs", "2", "--set", "applications=300"])
        out = capsys.readouterr().out
        assert code == 0
        assert "2 calls of 300 applications, budget NOK 10,000,000" in out
        line = next(x for x in out.splitlines() if x.startswith("granted (NOK)"))
        assert all(int(v.replace(",", "")) <= 10_000_000 for v in line.split()[2:])
        assert "reached purchase" in out

    def test_application_procedure_id(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The application procedure id that check lists is a scenario too."""
        assert main(["simulate", "stimulab-2018-application", "--runs", "30"]) == 0
        assert "stimulab-2018 application: 30 runs" in capsys.readouterr().out

    def test_check_counts_steps(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """check says '1 step checked', not '1 steps checked'."""
        case = innoproc.open_case("triple-diamond", reference="S-1", authority="A")
        at = innoproc.deadlines.parse_deadline("1. mars 2018")
        case.apply("submit-proposal", at=at, by="A", round="2018-1")
        path = tmp_path / "case.json"
        path.write_text(innoproc.dumps(case), encoding="utf-8")
        assert main(["check", str(path)]) == 0
        out = capsys.readouterr().out
        assert "Case S-1 (Triple diamond (#StimuLab)): 1 step checked, 0 violations." in out
        assert main(["check", str(path), "--lang", "nb"]) == 0
        assert "1 steg kontrollert, 0 brudd." in capsys.readouterr().out
