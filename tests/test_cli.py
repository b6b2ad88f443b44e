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
        assert "5 unmet precondition(s)" in text
        assert "[leadership-anchoring]" in text
        assert "Source: Directive 2014/24/EU art. 31(2)" in text
        assert "Final state: purchased" in text

    def test_bokmal(self) -> None:
        """--lang nb prints the refusals in Norwegian."""
        lines: list[str] = []
        run_demo("innovation-partnership", lang="nb", out=lines.append)
        text = "\n".join(lines)
        assert "AVVIST" in text
        assert "Prosjektet må være forankret i toppledelsen." in text
        assert "Kilde:" in text

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
        assert "follow-on: innovation-partnership IP-2026-01" in text

    def test_cli_main(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`innoproc demo` prints the demo and exits 0."""
        assert main(["demo"]) == 0
        assert "Final state: purchased" in capsys.readouterr().out

    def test_cli_rejects_unknown_language(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown --lang is a usage error."""
        with pytest.raises(SystemExit) as info:
            main(["demo", "--lang", "sv"])
        assert info.value.code == 2
        assert "invalid choice: 'sv'" in capsys.readouterr().err

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
