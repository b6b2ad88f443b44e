"""Whole funding calls: ranked, funded within the budget, projects continued in their cases."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal

import pytest

import innoproc
from innoproc import scenarios


@pytest.fixture(scope="module")
def stimulab() -> innoproc.CallResult:
    """Five calls of #StimuLab 2018 with 400 applications each."""
    call = scenarios.funding_call("stimulab-2018", applications=400)
    return innoproc.simulate(call, runs=5, seed=2018)


class TestBudget:
    def test_never_beyond_the_budget(self) -> None:
        """3,000 applications to a NOK 10 million call never get more than 10 million."""
        call = scenarios.funding_call("stimulab-2018", applications=3000)
        result = innoproc.simulate(call, runs=2, seed=1)
        for run in result.runs:
            assert 0 < run.granted <= Decimal(10_000_000)
            assert run.funded < 20

    def test_budget_refusal_stops_the_grants(self, stimulab: innoproc.CallResult) -> None:
        """The first grant that does not fit is refused (budget-available); none follow."""
        for run in stimulab.runs:
            refused = [a for a in run.applications if a.budget_refused]
            assert len(refused) == 1
            (stop,) = refused
            assert stop.granted == 0 and stop.end == "rejected"
            assert stop.sought > run.budget - run.granted
            assert stop.rank is not None
            later = [a for a in run.applications if a.rank is not None and a.rank > stop.rank]
            assert later and not any(a.funded for a in later)

    def test_funded_in_rank_order(self, stimulab: innoproc.CallResult) -> None:
        """The funded applications are exactly the best ranked, ranked by weighed score."""
        for run in stimulab.runs:
            ranked = sorted((a for a in run.applications if a.rank), key=lambda a: a.rank or 0)
            assert [a.rank for a in ranked] == list(range(1, len(ranked) + 1))
            scores = [a.score or 0 for a in ranked]
            assert scores == sorted(scores, reverse=True)
            funded = [a.funded for a in ranked]
            assert funded == sorted(funded, reverse=True)  # all funded ones come first
            assert sum(funded) == run.funded

    def test_own_budget(self) -> None:
        """A budget given to the call replaces the scheme's."""
        call = scenarios.funding_call(
            "stimulab-2018",
            applications=200,
            budget=3_000_000,
            grant_min=1_000_000,
            grant_max=1_000_000,
        )
        result = innoproc.simulate(call, runs=2, seed=4)
        assert [run.granted for run in result.runs] == [Decimal(3_000_000)] * 2
        assert [run.funded for run in result.runs] == [3, 3]

    def test_without_budget(self) -> None:
        """A scheme that states no budget needs one, named in the error."""
        with pytest.raises(innoproc.InvalidParameter, match="states no budget") as info:
            scenarios.funding_call("innovation-norway-sketch-2017")
        assert info.value.argument == "budget"
        call = scenarios.funding_call("innovation-norway-sketch-2017", budget=5_000_000)
        assert innoproc.simulate(call, runs=1).runs[0].granted <= 5_000_000

    def test_grant_range(self) -> None:
        """grant_max below grant_min is refused, naming grant_max."""
        with pytest.raises(innoproc.InvalidParameter, match="'grant_max' must be at least"):
            scenarios.funding_call("stimulab-2018", grant_min=2_000_000, grant_max=1_000_000)


class TestProjects:
    def test_funded_projects_continue(self, stimulab: innoproc.CallResult) -> None:
        """Every funded application continues in a triple-diamond case; no other does."""
        for run in stimulab.runs:
            for a in run.applications:
                assert (a.project == "triple-diamond") == a.funded
                if a.funded:
                    assert a.end == "closed"
                    assert a.project_end in ("completed", "rejected")

    def test_reach_purchase(self, stimulab: innoproc.CallResult) -> None:
        """One simulation answers how many reach a purchase, after how long, at what cost."""
        for run in stimulab.runs:
            bought = [a for a in run.applications if a.purchased]
            assert run.purchases == len(bought) <= run.funded
            assert all(a.purchase_days is not None and a.purchase_days > 0 for a in bought)
            assert all(a.cost >= a.granted > 0 for a in bought)
        assert 0 < stimulab.mean("purchases") <= stimulab.mean("funded")

    def test_innovation_partnership_projects(self) -> None:
        """Innovation Norway's 2020 grants lead to innovation partnerships, some purchased."""
        call = scenarios.funding_call(
            "innovation-norway-partnership-2020",
            applications=100,
            project=scenarios.innovation_partnership(market_solution=0, phase_miss=0),
        )
        result = innoproc.simulate(call, runs=2, seed=5)
        funded = [a for r in result.runs for a in r.applications if a.funded]
        assert funded and {a.project for a in funded} == {"innovation-partnership"}
        assert {a.project_end for a in funded} <= {"purchased", "terminated"}
        bought = [a for a in funded if a.purchased]
        assert bought and all(a.completed for a in bought)
        assert all(a.cost > a.granted for a in bought)  # instalments and the price

    def test_no_procedure(self) -> None:
        """A scheme that leads to no procedure funds, follows up and closes its projects."""
        result = innoproc.simulate(
            scenarios.funding_call("municipal-innovation-fund", applications=30), runs=3, seed=2
        )
        for run in result.runs:
            funded = [a for a in run.applications if a.funded]
            assert funded and all(a.project is None and a.end == "closed" for a in funded)
            assert run.purchases == 0
            assert run.granted <= Decimal(2_000_000)

    def test_real_cases(self) -> None:
        """The applications and projects are real cases: the engine checks every step."""
        call = scenarios.funding_call("stimulab-2018", applications=50)
        run = call.run(seed=11)
        steps = sum(a.steps for a in run.applications)
        assert steps > 50 * 4
        assert all(a.end in ("closed", "rejected", "refused") for a in run.applications)


class TestReproducible:
    def test_same_seed_same_call(self) -> None:
        """The same seed gives the same calls; another seed another."""
        call = scenarios.funding_call("stimulab-2018", applications=100)
        a = innoproc.simulate(call, runs=3, seed=7)
        b = innoproc.simulate(call, runs=3, seed=7)
        c = innoproc.simulate(call, runs=3, seed=8)
        assert a.runs == b.runs
        assert a.runs != c.runs

    def test_executors_agree(self) -> None:
        """No executor, threads and processes give identical calls."""
        call = scenarios.funding_call("stimulab-2018", applications=80)
        local = innoproc.simulate(call, runs=4, seed=3)
        with ThreadPoolExecutor(2) as threads:
            threaded = innoproc.simulate(call, runs=4, seed=3, executor=threads)
        with ProcessPoolExecutor(2) as processes:
            spread = innoproc.simulate(call, runs=4, seed=3, executor=processes, chunk_size=3)
        assert local.runs == threaded.runs == spread.runs

    def test_picklable(self) -> None:
        """A call pickles for other processes and runs the same there."""
        call = scenarios.funding_call("stimulab-2018", applications=30)
        again = pickle.loads(pickle.dumps(call))
        assert again.run(seed=1) == call.run(seed=1)


class TestResults:
    def test_summary_is_flat(self, stimulab: innoproc.CallResult) -> None:
        """summary() is a flat table: one record per measure with mean, min and max."""
        rows = stimulab.summary()
        assert [r["measure"] for r in rows][:4] == [
            "applications",
            "eligible",
            "assessed",
            "funded",
        ]
        assert all(set(r) == {"measure", "mean", "min", "max"} for r in rows)
        granted = next(r for r in rows if r["measure"] == "granted")
        assert granted["max"] <= 10_000_000

    def test_dataframes(self, stimulab: innoproc.CallResult) -> None:
        """One row per call and one per application, with numeric columns."""
        pytest.importorskip("pandas")
        calls = stimulab.to_dataframe()
        assert len(calls) == 5
        assert calls["granted"].dtype == "float64"
        assert calls["funded"].dtype == "int64"
        assert (calls["granted"] <= calls["budget"]).all()
        apps = stimulab.applications_dataframe()
        assert len(apps) == 5 * 400
        assert apps["cost"].dtype == "float64" and apps["granted"].dtype == "float64"
        assert apps["rank"].dtype == "Int64"
        funded = apps[apps["granted"] > 0]
        assert int(funded.groupby("run").size().sum()) == sum(r.funded for r in stimulab.runs)

    def test_notebook_view(self, stimulab: innoproc.CallResult) -> None:
        """In a notebook a call result shows its funnel and measures."""
        html = stimulab._repr_html_()
        assert "<table>" in html and "funded" in html and "budget_share" in html
        assert "stimulab-2018 call" in html and "10,000,000" in html

    def test_repr(self, stimulab: innoproc.CallResult) -> None:
        """The repr states the calls, the mean funded and purchases, and the budget."""
        text = repr(stimulab)
        assert text.startswith("<CallResult stimulab-2018 call: 5 calls, 400 applications")
        assert "budget NOK 10,000,000" in text

    def test_unknown_measure(self, stimulab: innoproc.CallResult) -> None:
        """Asking for a measure the summary does not have lists the valid ones."""
        with pytest.raises(innoproc.UnknownParameter, match="funded"):
            stimulab.mean("grants")
