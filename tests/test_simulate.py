"""Scenario simulation: seeded, reproducible, on any executor."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import innoproc
from innoproc import Scenario, Sim, scenarios


class TestSimulate:
    def test_reproducible(self) -> None:
        """The same seed gives the same runs; another seed other runs."""
        sc = scenarios.innovation_partnership()
        a = innoproc.simulate(sc, runs=100, seed=5)
        b = innoproc.simulate(sc, runs=100, seed=5)
        c = innoproc.simulate(sc, runs=100, seed=6)
        assert a.runs == b.runs
        assert a.runs != c.runs

    def test_executors_agree(self) -> None:
        """Processes, threads and no executor give identical results."""
        sc = scenarios.pre_commercial_procurement()
        local = innoproc.simulate(sc, runs=60, seed=2)
        with ThreadPoolExecutor(2) as threads:
            threaded = innoproc.simulate(sc, runs=60, seed=2, executor=threads, chunk_size=7)
        with ProcessPoolExecutor(2) as processes:
            spread = innoproc.simulate(sc, runs=60, seed=2, executor=processes)
        assert local.runs == threaded.runs == spread.runs

    @pytest.mark.parametrize(("p", "low", "high"), [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)])
    def test_market_dialogue_finds_a_product(self, p: float, low: float, high: float) -> None:
        """The chance the dialogue finds a product is the share of cancelled cases."""
        sc = scenarios.innovation_partnership(market_solution=p)
        share = innoproc.simulate(sc, runs=80, seed=1).share("cancelled")
        assert low <= share <= high

    def test_twenty_percent(self) -> None:
        """'Market dialogue finds a product 20 % of the time': about a fifth are cancelled."""
        sc = scenarios.innovation_partnership(market_solution=0.2)
        share = innoproc.simulate(sc, runs=2000, seed=11).share("cancelled")
        assert 0.17 < share < 0.23

    def test_phase_misses_terminate(self) -> None:
        """With every phase missing its targets, no partnership reaches purchase."""
        sc = scenarios.innovation_partnership(market_solution=0, phase_miss=1)
        result = innoproc.simulate(sc, runs=50, seed=3)
        assert result.ends == {"terminated": 50}

    def test_over_budget_refusals_are_counted(self) -> None:
        """A price over the maximum is refused by the engine and counted."""
        sc = scenarios.innovation_partnership(market_solution=0, phase_miss=0, over_budget=1)
        result = innoproc.simulate(sc, runs=20, seed=3)
        assert result.ends == {"terminated": 20}
        assert all(r.refusals == 1 for r in result.runs)

    @pytest.mark.parametrize(
        "scenario",
        [
            scenarios.innovation_partnership(),
            scenarios.pre_commercial_procurement(),
            scenarios.triple_diamond(),
            scenarios.funding_application("municipal-innovation-fund"),
            scenarios.funding_application("innovation-norway-partnership-2020"),
            scenarios.funding_application("stimulab-2018"),
            scenarios.funding_application("innovation-norway-sketch-2017"),
        ],
        ids=lambda s: s.name,
    )
    def test_every_run_ends(self, scenario: Scenario) -> None:
        """Every built-in scenario ends each run in a final state, never stuck."""
        result = innoproc.simulate(scenario, runs=150, seed=9)
        assert all(r.final and not r.stuck for r in result.runs)
        assert result.case_steps > 0

    def test_summary_and_records(self) -> None:
        """Summaries by end state and plain records."""
        result = innoproc.simulate(scenarios.triple_diamond(), runs=100, seed=4)
        summary = result.summary()
        assert sum(v["runs"] for v in summary.values()) == 100
        record = result.records()[0]
        assert set(record) >= {"end", "days", "cost", "steps", "refusals"}

    def test_to_dataframe(self) -> None:
        """With pandas installed, the runs become a DataFrame."""
        pytest.importorskip("pandas")
        frame = innoproc.simulate(scenarios.triple_diamond(), runs=10).to_dataframe()
        assert list(frame["end"]) == [
            r.end for r in innoproc.simulate(scenarios.triple_diamond(), runs=10).runs
        ]

    def test_progress(self) -> None:
        """A progress callback hears of every chunk, ending at the total."""
        seen: list[tuple[int, int]] = []
        innoproc.simulate(
            scenarios.triple_diamond(),
            runs=40,
            chunk_size=10,
            progress=lambda done, total: seen.append((done, total)),
        )
        assert seen == [(10, 40), (20, 40), (30, 40), (40, 40)]

    def test_progress_bar(self, capsys: pytest.CaptureFixture[str]) -> None:
        """progress=True draws a bar on stderr."""
        innoproc.simulate(scenarios.triple_diamond(), runs=20, progress=True)
        assert "20/20 runs" in capsys.readouterr().err

    def test_stuck_runs_are_reported(self) -> None:
        """A handler that moves nothing leaves the run stuck, not looping."""

        def idle(sim: Sim) -> None:
            sim.wait(1)

        sc = Scenario(innoproc.procedures()["innovation-partnership"], {"needs": idle})
        (run,) = innoproc.simulate(sc, runs=1).runs
        assert run.stuck and run.end == "needs"

    def test_unknown_state(self) -> None:
        """A scenario naming a state the procedure lacks is refused."""
        with pytest.raises(innoproc.InnoprocError, match="unknown state"):
            Scenario(innoproc.procedures()["triple-diamond"], {"nowhere": print})

    def test_picklable(self) -> None:
        """Scenarios pickle (built-in procedures by id) for other processes."""
        sc = scenarios.innovation_partnership()
        again = pickle.loads(pickle.dumps(sc))
        assert again.procedure is sc.procedure
        assert innoproc.simulate(again, runs=5).runs == innoproc.simulate(sc, runs=5).runs


def test_to_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_dataframe says how to get it; everything else works."""
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    result = innoproc.simulate(scenarios.triple_diamond(), runs=3)
    with pytest.raises(ImportError, match=r"pip install 'innoproc\[pandas\]'"):
        result.to_dataframe()
    with pytest.raises(ImportError, match="pandas"):
        innoproc.Portfolio("municipal-innovation-fund").to_dataframe()
    assert len(result.records()) == 3
