"""Plots of simulation results (the plot extra), and the pictures in the docs."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import innoproc
from innoproc import plots, scenarios

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cases() -> innoproc.SimulationResult:
    """300 innovation partnerships."""
    return innoproc.simulate(scenarios.innovation_partnership(), runs=300, seed=1)


@pytest.fixture(scope="module")
def calls() -> innoproc.CallResult:
    """Six #StimuLab calls of 300 applications."""
    return innoproc.simulate(
        scenarios.funding_call("stimulab-2018", applications=300), runs=6, seed=2
    )


@pytest.fixture
def pyplot() -> Iterator[object]:
    """matplotlib's pyplot on the Agg backend; every figure closed afterwards."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


class TestPlots:
    def test_outcomes_of_cases(self, pyplot: object, cases: innoproc.SimulationResult) -> None:
        """One bar per end state, its length the share of runs."""
        ax = plots.outcomes(cases)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert sorted(labels) == sorted(cases.ends)
        widths = {label: bar.get_width() for label, bar in zip(labels, ax.patches, strict=True)}
        assert widths == pytest.approx({end: cases.share(end) for end in cases.ends})

    def test_outcomes_of_a_call(self, pyplot: object, calls: innoproc.CallResult) -> None:
        """For a call, the funnel from applications to completed projects, in bokmål too."""
        ax = plots.outcomes(calls, lang="nb")
        assert [t.get_text() for t in ax.get_yticklabels()][-1] == "søknader"
        assert [bar.get_width() for bar in ax.patches][::-1] == pytest.approx(
            list(calls.funnel().values())
        )
        assert ax.get_xscale() == "log"

    def test_time_to_purchase(self, pyplot: object, calls: innoproc.CallResult) -> None:
        """A histogram of every purchase, with its median marked."""
        ax = plots.time_to_purchase(calls)
        bought = [a for r in calls.runs for a in r.applications if a.purchased]
        assert sum(bar.get_height() for bar in ax.patches) == len(bought)
        assert "median" in ax.texts[0].get_text()

    def test_no_purchase(self, pyplot: object) -> None:
        """When nothing is bought the plot says so instead of failing."""
        none = innoproc.simulate(scenarios.innovation_partnership(market_solution=1), runs=5)
        ax = plots.time_to_purchase(none)
        assert ax.texts[0].get_text() == "no case reached a purchase"

    def test_budget_use(self, pyplot: object, calls: innoproc.CallResult) -> None:
        """One bar per call: granted, then what was left, up to the budget."""
        ax = plots.budget_use(calls)
        granted = sorted(float(r.granted) / 1e6 for r in calls.runs)
        heights = [bar.get_height() for bar in ax.patches]
        assert heights[: len(granted)] == pytest.approx(granted)
        assert [
            g + h for g, h in zip(granted, heights[len(granted) :], strict=True)
        ] == pytest.approx([10.0] * len(granted))

    def test_on_given_axes(self, pyplot: object, cases: innoproc.SimulationResult) -> None:
        """A plot draws on the Axes it is given and returns it."""
        _, ax = pyplot.subplots()  # type: ignore[attr-defined]
        assert plots.outcomes(cases, ax=ax) is ax

    def test_wrong_result(self, pyplot: object, cases: innoproc.SimulationResult) -> None:
        """Something that is no result, or a result of cases for budget_use, is refused."""
        with pytest.raises(innoproc.InvalidParameter, match="'result' must be"):
            plots.outcomes("results")  # type: ignore[arg-type]
        with pytest.raises(innoproc.InvalidParameter, match="funding call"):
            plots.budget_use(cases)  # type: ignore[arg-type]
        with pytest.raises(innoproc.UnknownLanguage):
            plots.outcomes(cases, lang="sv")


def test_without_matplotlib(
    monkeypatch: pytest.MonkeyPatch, cases: innoproc.SimulationResult
) -> None:
    """Without matplotlib a plot says how to install it; simulation works as before."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(innoproc.MissingDependency, match=r"pip install 'innoproc\[plot\]'") as e:
        plots.outcomes(cases)
    assert isinstance(e.value, ImportError)
    assert innoproc.simulate(scenarios.triple_diamond(), runs=3).runs


def test_docs_pictures_are_drawn(pyplot: object, tmp_path: Path) -> None:
    """docs/gen_plots.py draws every picture of the analysts' guide (smaller, here)."""
    spec = importlib.util.spec_from_file_location("gen_plots", ROOT / "docs" / "gen_plots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.main(tmp_path, calls=2, applications=100, cases=50)
    assert sorted(p.name for p in written) == sorted(module.FILES)
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (ROOT / "docs" / "images" / path.name).exists()
