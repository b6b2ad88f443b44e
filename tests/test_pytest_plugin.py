"""Test helpers: the fixed clock, prefixed fixtures, explanations, and the docs' examples."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

import innoproc
from innoproc.testing import DEFAULT_START, Clock, Compliance

pytest_plugins = ["pytester"]

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _blocks(page: str) -> list[tuple[str, str]]:
    """The fenced blocks of a docs page: (language, text)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)


def _test_files(page: str) -> dict[str, str]:
    """The pytest examples of a page: python blocks whose first line is '# test_*.py'."""
    files = {}
    for lang, body in _blocks(page):
        first = body.splitlines()[0] if body else ""
        match = re.fullmatch(r"# (test_\w+)\.py", first)
        if lang == "python" and match:
            files[match.group(1)] = body
    return files


def _pattern(line: str) -> str:
    """A line of shown output as an fnmatch pattern ('...' stands for anything)."""
    if line.startswith("---"):
        return "*- innoproc -*"
    escaped = re.sub(r"[\[\]]", lambda m: f"[{m.group()}]", line)
    return escaped.replace("...", "*")


class TestDocsExamples:
    def test_examples_run(self, pytester: pytest.Pytester) -> None:
        """The pytest examples of the test writers' page run: one passes, one fails."""
        files = _test_files("testing.md")
        assert set(files) == {"test_partnership", "test_fails"}
        pytester.makepyfile(**files)
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1, failed=1)

    def test_shown_output_is_true(self, pytester: pytest.Pytester) -> None:
        """The failure output the page shows is what pytest prints for its example."""
        files = _test_files("testing.md")
        pytester.makepyfile(test_fails=files["test_fails"])
        result = pytester.runpytest("-p", "no:cacheprovider")
        shown = next(
            body for lang, body in _blocks("testing.md") if lang == "text" and "innoproc" in body
        )
        lines = [line for line in shown.splitlines() if line.strip() not in ("", "...")]
        result.stdout.fnmatch_lines([_pattern(line) for line in lines])


class TestFixtures:
    def test_prefixed_fixtures(self, pytester: pytest.Pytester) -> None:
        """innoproc_clock, innoproc_compliance and innoproc_open_case work together."""
        pytester.makepyfile(
            """
            from datetime import datetime
            import innoproc

            def test_fixed_clock(innoproc_clock, innoproc_compliance):
                assert innoproc_clock.now == datetime(2025, 1, 6, 9, tzinfo=innoproc.OSLO)
                assert innoproc_compliance.clock is innoproc_clock

            def test_references(innoproc_open_case):
                first = innoproc_open_case("triple-diamond")
                second = innoproc_open_case("innovation-partnership", title="T")
                assert (first.reference, second.reference) == ("test-1", "test-2")
                assert first.authority == "Test authority"
            """
        )
        pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)

    def test_checks_at_the_clock_not_today(self, pytester: pytest.Pytester) -> None:
        """The compliance fixture checks at the fixed clock, so a 2025 deadline is met today."""
        pytester.makepyfile(
            """
            from datetime import datetime
            import innoproc

            DEADLINE = datetime(2025, 1, 7, 12, tzinfo=innoproc.OSLO)

            TD = innoproc.procedure("triple-diamond", 1)  # version 1 takes the deadline given

            def test_in_time(innoproc_compliance, innoproc_open_case):
                case = innoproc_open_case(TD)
                innoproc_compliance.assert_allowed(case, "submit-proposal", deadline=DEADLINE)

            def test_late_once_the_clock_moves(innoproc_compliance, innoproc_clock,
                                               innoproc_open_case):
                case = innoproc_open_case(TD)
                innoproc_clock.advance(days=2)
                innoproc_compliance.assert_refused(case, "submit-proposal",
                                                   "submitted-in-time", deadline=DEADLINE)
            """
        )
        pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)

    def test_old_names_warn(self, pytester: pytest.Pytester) -> None:
        """compliance and open_test_case still work, with a DeprecationWarning each."""
        pytester.makepyfile(
            """
            def test_old(compliance, open_test_case):
                case = open_test_case("innovation-partnership")
                compliance.assert_refused(case, "start-market-dialogue", "need-described")
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1, warnings=2)
        result.stdout.fnmatch_lines(
            [
                "*DeprecationWarning: the fixture 'compliance' is deprecated*"
                "use 'innoproc_compliance'",
            ]
        )
        result.stdout.fnmatch_lines(["*the fixture 'open_test_case' is deprecated*"])
        strict = pytester.runpytest("-p", "no:cacheprovider", "-W", "error::DeprecationWarning")
        strict.assert_outcomes(errors=1)


class TestExplanations:
    def test_compare_explains_both_sides(self, pytester: pytest.Pytester) -> None:
        """A failed comparison with assessments prints their rules in plain language."""
        pytester.makepyfile(
            """
            def test_compare(innoproc_open_case, innoproc_clock):
                case = innoproc_open_case("innovation-partnership")
                at = innoproc_clock.now
                assert case.check("cancel", at=at, reason="x") == case.check(
                    "start-market-dialogue", at=at)
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(
            [
                "E*assert <Assessment cancel in needs: may be applied> == "
                "<Assessment start-market-dialogue in needs: refused, unmet need-described>",
                "E*Cancel the procedure before award [[]cancel[]] may be done now; "
                "the case is in Needs.",
                "E*- [[]need-described[]] Legal requirement: The need must be described*",
            ]
        )

    def test_audit_report(self, pytester: pytest.Pytester) -> None:
        """A failed comparison with an audit report prints the report."""
        pytester.makepyfile(
            """
            import innoproc

            def test_report(innoproc_open_case):
                report = innoproc.audit(innoproc_open_case("triple-diamond"))
                assert report.codes == ("late",)
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        result.stdout.no_fnmatch_line("*- innoproc -*")  # a complying report is no culprit
        pytester.makepyfile(
            test_cmp="""
            import innoproc

            def test_report(innoproc_open_case):
                report = innoproc.audit(innoproc_open_case("triple-diamond"))
                assert report == None
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider", "test_cmp.py")
        result.stdout.fnmatch_lines(
            ["E*Case test-1 (Triple diamond (#StimuLab)): 0 steps checked, 0 violations."]
        )

    def test_helper_failures_are_not_repeated(self, pytester: pytest.Pytester) -> None:
        """A failing helper explains itself once; the plugin adds no second explanation."""
        pytester.makepyfile(
            """
            def test_helper(innoproc_compliance, innoproc_open_case):
                case = innoproc_open_case("innovation-partnership")
                innoproc_compliance.assert_allowed(case, "start-market-dialogue")
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
        result.stdout.no_fnmatch_line("*- innoproc -*")
        result.stdout.fnmatch_lines(["E*[[]need-described[]]*"])


class TestClock:
    def test_public(self) -> None:
        """Clock is public in innoproc.testing and in innoproc."""
        assert innoproc.Clock is Clock
        assert "Clock" in innoproc.__all__

    def test_default_and_advance(self) -> None:
        """A clock starts at 2025-01-06 09:00 Oslo and moves only when told to."""
        clock = Clock()
        assert clock.now == DEFAULT_START == datetime(2025, 1, 6, 9, tzinfo=innoproc.OSLO)
        assert clock.advance(days=1, hours=2, minutes=30) == datetime(
            2025, 1, 7, 11, 30, tzinfo=innoproc.OSLO
        )
        assert clock.now.hour == 11

    def test_refuses(self) -> None:
        """A naive start and moving backwards are refused, naming the argument."""
        with pytest.raises(innoproc.NaiveDatetimeError, match="'start'"):
            Clock(datetime(2025, 1, 6))
        with pytest.raises(innoproc.InvalidParameter, match="'days' must be a number"):
            Clock().advance(days=-1)

    def test_compliance_default_clock(self) -> None:
        """Compliance without a clock uses a fresh fixed one."""
        assert Compliance().clock.now == DEFAULT_START


class TestAssessmentRepr:
    def test_short(self) -> None:
        """An assessment's repr is one short line with the verdict and the unmet codes."""
        case = innoproc.open_case("innovation-partnership", reference="R", authority="A")
        refused = case.check("invite-candidates", at=DEFAULT_START)
        assert repr(refused) == (
            "<Assessment invite-candidates in needs: not possible (possible from: tendering)>"
        )
        case.record("need-description", at=DEFAULT_START, by="A", summary="s", functional=True)
        case.apply("start-market-dialogue", at=DEFAULT_START, by="A")
        notice = case.check("publish-notice", at=DEFAULT_START)
        text = repr(notice)
        assert text.startswith("<Assessment publish-notice in market-dialogue: refused, unmet ")
        assert all(code in text for code in notice.codes)
        assert "missing notice_sent, request_deadline, partners" in text
        assert len(text) < 250
        assert repr(case.check("cancel", at=DEFAULT_START, reason="r")).endswith("may be applied>")
