"""Scenario simulation: seeded, reproducible, on any executor."""

from __future__ import annotations

import inspect
import pickle
import random
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

import innoproc
from innoproc import Scenario, Sim, scenarios
from innoproc._simulate import collect


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
        """The summary is a flat table, one record per end state; records are plain dicts."""
        result = innoproc.simulate(scenarios.triple_diamond(), runs=100, seed=4)
        summary = result.summary()
        assert [row["end"] for row in summary] == list(result.ends)
        assert sum(row["runs"] for row in summary) == 100
        assert set(summary[0]) == {"end", "runs", "share", "median_days", "mean_cost"}
        assert isinstance(summary[0]["mean_cost"], float)
        record = result.records()[0]
        assert set(record) >= {"end", "days", "cost", "steps", "refusals", "purchase_days"}

    def test_to_dataframe(self) -> None:
        """The DataFrame has one row per run and numeric columns (NOK as floats)."""
        pytest.importorskip("pandas")
        result = innoproc.simulate(scenarios.innovation_partnership(), runs=40, seed=3)
        frame = result.to_dataframe()
        assert list(frame["end"]) == [r.end for r in result.runs]
        assert frame["cost"].dtype == "float64"
        assert frame["days"].dtype == "float64"
        assert frame["steps"].dtype == "int64"
        assert frame["purchase_days"].dtype == "float64"
        assert frame["cost"].sum() == pytest.approx(float(sum(r.cost for r in result.runs)))
        bought = frame[frame["end"] == "purchased"]
        assert bought["purchase_days"].notna().all()
        assert frame[frame["end"] == "cancelled"]["purchase_days"].isna().all()

    def test_purchase_days(self) -> None:
        """A run that takes the purchase step records the day of it; others do not."""
        result = innoproc.simulate(scenarios.innovation_partnership(), runs=60, seed=8)
        for r in result.runs:
            assert (r.purchase_days is not None) == (r.end == "purchased")
            if r.purchase_days is not None:
                assert 0 < r.purchase_days <= r.days
        assert result.purchases == result.ends.get("purchased", 0)

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
        """progress=True draws a tqdm bar on stderr, ending at the total."""
        pytest.importorskip("tqdm")
        innoproc.simulate(scenarios.triple_diamond(), runs=20, progress=True)
        err = capsys.readouterr().err
        assert "20/20" in err and "triple-diamond" in err

    def test_progress_without_tqdm(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without tqdm, progress=True shows nothing and the simulation runs."""
        monkeypatch.setitem(sys.modules, "tqdm", None)
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
        result = innoproc.simulate(scenarios.triple_diamond(), runs=10, progress=True)
        assert len(result.runs) == 10
        assert capsys.readouterr().err == ""

    def test_notebook_view(self) -> None:
        """In a notebook a result shows a table of end states with shares."""
        result = innoproc.simulate(scenarios.innovation_partnership(), runs=50, seed=2)
        html = result._repr_html_()
        assert "<table>" in html and "purchased" in html and "50 runs" in html
        assert f"{result.share('purchased'):.1%}" in html

    def test_stuck_runs_are_reported(self) -> None:
        """A handler that moves nothing leaves the run stuck, not looping."""

        def idle(sim: Sim) -> None:
            sim.wait(1)

        sc = Scenario(innoproc.procedures()["innovation-partnership"], {"needs": idle})
        (run,) = innoproc.simulate(sc, runs=1).runs
        assert run.stuck and run.end == "needs"

    def test_unknown_state(self) -> None:
        """A scenario naming a state the procedure lacks is refused, naming the state."""
        with pytest.raises(innoproc.InvalidDefinition, match="unknown state") as info:
            Scenario(innoproc.procedures()["triple-diamond"], {"nowhere": print})
        assert info.value.culprit == "nowhere"
        with pytest.raises(innoproc.InvalidDefinition, match="'buy' is not an event"):
            Scenario(innoproc.procedures()["triple-diamond"], {}, purchase="buy")

    def test_picklable(self) -> None:
        """Scenarios pickle (built-in procedures by id) for other processes."""
        sc = scenarios.innovation_partnership()
        again = pickle.loads(pickle.dumps(sc))
        assert again.procedure is sc.procedure
        assert innoproc.simulate(again, runs=5).runs == innoproc.simulate(sc, runs=5).runs


def test_to_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_dataframe says how to get it; everything else works."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    result = innoproc.simulate(scenarios.triple_diamond(), runs=3)
    with pytest.raises(innoproc.MissingDependency, match=r"pip install 'innoproc\[pandas\]'"):
        result.to_dataframe()
    with pytest.raises(ImportError, match="pandas"):
        innoproc.Portfolio("municipal-innovation-fund").to_dataframe()
    assert len(result.records()) == 3


class TestArguments:
    """Every mistake in calling simulate or a scenario raises a typed error naming it."""

    @pytest.mark.parametrize(
        ("kwargs", "argument"),
        [
            ({"runs": -5}, "runs"),
            ({"runs": 2.5}, "runs"),
            ({"runs": True}, "runs"),
            ({"seed": "x"}, "seed"),
            ({"chunk_size": 0}, "chunk_size"),
            ({"executor": "pool"}, "executor"),
            ({"progress": "yes"}, "progress"),
        ],
    )
    def test_simulate(self, kwargs: dict[str, object], argument: str) -> None:
        """simulate refuses a bad argument with InvalidParameter naming it."""
        with pytest.raises(innoproc.InvalidParameter) as info:
            innoproc.simulate(scenarios.triple_diamond(), **kwargs)  # type: ignore[arg-type]
        assert info.value.argument == argument
        assert isinstance(info.value, ValueError)
        assert f"{argument!r} must be" in str(info.value)

    def test_not_a_scenario(self) -> None:
        """Something that is not a scenario is refused, naming the argument."""
        with pytest.raises(innoproc.InvalidParameter, match="'scenario' must be"):
            innoproc.simulate("innovation-partnership")  # type: ignore[call-overload]

    @pytest.mark.parametrize("value", [1.5, -0.1, float("nan"), "0.2", True])
    @pytest.mark.parametrize(
        ("factory", "name"),
        [
            (scenarios.innovation_partnership, "market_solution"),
            (scenarios.pre_commercial_procurement, "supplier_failure"),
            (scenarios.triple_diamond, "revisit"),
        ],
    )
    def test_probabilities(self, factory: Any, name: str, value: object) -> None:
        """A probability outside 0-1 (or not a number) is refused, naming the parameter."""
        with pytest.raises(innoproc.InvalidParameter) as info:
            factory(**{name: value})
        assert info.value.argument == name
        assert "probability from 0 to 1" in str(info.value)

    def test_funding_probabilities(self) -> None:
        """funded=1.7 is refused for an application, must_fail=-1 for a call."""
        with pytest.raises(innoproc.InvalidParameter, match="'funded' must be a probability"):
            scenarios.funding_application("stimulab-2018", funded=1.7)
        with pytest.raises(innoproc.InvalidParameter, match="'must_fail' must be a probability"):
            scenarios.funding_call("stimulab-2018", must_fail=-1)

    def test_other_ranges(self) -> None:
        """Counts, amounts and tuples are checked too."""
        with pytest.raises(innoproc.InvalidParameter, match="'phases' must be a whole number"):
            scenarios.innovation_partnership(phases=0)
        with pytest.raises(innoproc.InvalidParameter, match="'suppliers' must be 3 whole"):
            scenarios.pre_commercial_procurement(suppliers=(6, 4))
        with pytest.raises(innoproc.InvalidParameter, match="'suppliers'"):
            scenarios.pre_commercial_procurement(suppliers=(9, 4, 2))
        with pytest.raises(innoproc.InvalidParameter, match="'grant' must be an amount"):
            scenarios.triple_diamond(grant=0)
        with pytest.raises(innoproc.InvalidParameter, match="'outcomes' must be weights"):
            scenarios.funding_application("stimulab-2018", outcomes={"finished": -1})
        with pytest.raises(innoproc.InvalidParameter, match="outcomes the scheme has"):
            scenarios.funding_application("stimulab-2018", outcomes={"great": 1})

    def test_unknown_scheme(self) -> None:
        """An unknown scheme id raises UnknownScheme listing the known ones."""
        with pytest.raises(innoproc.UnknownScheme, match="stimulab-2018") as info:
            scenarios.funding_application("nosuch")
        assert isinstance(info.value, LookupError)
        with pytest.raises(innoproc.UnknownScheme):
            scenarios.funding_call("nosuch")

    def test_naive_start(self) -> None:
        """Sim(start=naive) names 'start'."""
        case = innoproc.open_case("triple-diamond", reference="S", authority="A")
        with pytest.raises(innoproc.NaiveDatetimeError, match="'start' must be") as info:
            Sim(case, random.Random(1), start=datetime(2025, 1, 6))
        assert info.value.argument == "start"

    def test_chance_in_a_handler(self) -> None:
        """A handler of one's own asking for a chance of 1.5 is refused too."""
        case = innoproc.open_case("triple-diamond", reference="S", authority="A")
        sim = Sim(case, random.Random(1))
        assert sim.chance(1) and not sim.chance(0)
        with pytest.raises(innoproc.InvalidParameter, match="'p' must be a probability"):
            sim.chance(1.5)

    def test_collect_nothing(self) -> None:
        """Collecting no results is refused with a typed error."""
        with pytest.raises(innoproc.InvalidParameter, match="'results'"):
            collect([])


class TestCatalogue:
    """Scenario ids, their parameters, and building by id."""

    def test_ids(self) -> None:
        """Each procedure, each scheme (a call) and each application procedure is an id."""
        ids = scenarios.ids()
        assert set(innoproc.procedures()) <= set(ids)
        for scheme in innoproc.schemes().values():
            assert scheme.id in ids
            assert scheme.application.id in ids

    @pytest.mark.parametrize(
        ("scenario_id", "factory"),
        [
            ("innovation-partnership", scenarios.innovation_partnership),
            ("pre-commercial-procurement", scenarios.pre_commercial_procurement),
            ("triple-diamond", scenarios.triple_diamond),
            ("stimulab-2018-application", scenarios.funding_application),
        ],
    )
    def test_defaults_agree(self, scenario_id: str, factory: Any) -> None:
        """The parameter table gives each factory's own defaults, in its order."""
        signature = inspect.signature(factory).parameters
        table = scenarios.parameters(scenario_id)
        assert [p.name for p in table] == [n for n in signature if n != "scheme"]
        for p in table:
            assert p.default == signature[p.name].default, p.name

    def test_call_defaults_agree(self) -> None:
        """The call's parameter table agrees with funding_call's signature."""
        signature = inspect.signature(scenarios.funding_call).parameters
        for p in scenarios.CALL_PARAMETERS:
            assert p.default == signature[p.name].default, p.name

    def test_build(self) -> None:
        """build makes each kind of scenario by id and passes parameters through."""
        sc = scenarios.build("innovation-partnership", market_solution=1.0)
        assert innoproc.simulate(sc, runs=10).ends == {"cancelled": 10}
        app = scenarios.build("stimulab-2018-application", funded=0.0, must_fail=0.0)
        assert "following-up" not in innoproc.simulate(app, runs=20).ends
        call = scenarios.build("stimulab-2018", applications=20, committed=0.0)
        assert isinstance(call, innoproc.CallScenario)
        result = innoproc.simulate(call, runs=2, seed=1)
        assert all(a.project_end in (None, "rejected") for r in result.runs for a in r.applications)

    def test_build_unknown(self) -> None:
        """Unknown ids and parameters are refused, listing the valid ones."""
        with pytest.raises(innoproc.UnknownScenario, match="triple-diamond") as info:
            scenarios.build("nosuch")
        assert "stimulab-2018-application" in info.value.known
        with pytest.raises(innoproc.UnknownParameter, match="its parameters are: late") as err:
            scenarios.build("triple-diamond", foo=0.2)
        assert isinstance(err.value, TypeError)
        assert err.value.name == "foo"
        with pytest.raises(innoproc.UnknownParameter, match="phase_miss"):
            scenarios.build("stimulab-2018", phase_miss=0.2)  # stimulab leads to the triple diamond

    @pytest.mark.parametrize(
        ("name", "text", "value"),
        [
            ("market_solution", "0.25", 0.25),
            ("phases", "4", 4),
            ("maximum_cost", "10_000_000", Decimal(10_000_000)),
        ],
    )
    def test_parse(self, name: str, text: str, value: object) -> None:
        """Values written on the command line are parsed and checked."""
        (param,) = [p for p in scenarios.parameters("innovation-partnership") if p.name == name]
        assert param.parse(text) == value

    def test_parse_refuses(self) -> None:
        """Text that is no value of the parameter's kind is refused, naming it."""
        params = {p.name: p for p in scenarios.parameters("pre-commercial-procurement")}
        assert params["suppliers"].parse("5,3,2") == (5, 3, 2)
        with pytest.raises(innoproc.InvalidParameter, match="'suppliers'"):
            params["suppliers"].parse("five")
        with pytest.raises(innoproc.InvalidParameter, match="'market_solution'"):
            params["market_solution"].parse("1.5")
        outcomes = scenarios.parameters("municipal-innovation-fund-application")[-1]
        assert outcomes.parse("finished:2,dropped:1") == {"finished": 2.0, "dropped": 1.0}

    def test_describe(self) -> None:
        """Each parameter describes its range in English and bokmål."""
        (p,) = [p for p in scenarios.parameters("triple-diamond") if p.name == "late"]
        assert p.describe() == "probability 0-1"
        assert p.describe("nb") == "sannsynlighet 0-1"
        assert p.help.get("nb")


class TestScenarioDefinition:
    def test_wrong_arguments(self) -> None:
        """A Scenario needs a procedure and a mapping of states to functions."""
        proc = innoproc.procedures()["triple-diamond"]
        with pytest.raises(innoproc.InvalidParameter, match="'procedure' must be a Procedure"):
            Scenario("triple-diamond", {})  # type: ignore[arg-type]
        with pytest.raises(innoproc.InvalidParameter, match="'handlers' must be a mapping"):
            Scenario(proc, {"proposal": "submit"})  # type: ignore[dict-item]
        with pytest.raises(innoproc.InvalidParameter, match="'max_steps'"):
            Scenario(proc, {}, max_steps=0)

    def test_parameters_of_nothing(self) -> None:
        """Asking for the parameters of something that is no id raises UnknownScenario."""
        with pytest.raises(innoproc.UnknownScenario):
            scenarios.parameters(3)  # type: ignore[arg-type]
