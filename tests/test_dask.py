"""Beyond one machine: the same simulation on a real dask.distributed cluster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import innoproc
from innoproc import scenarios

distributed = pytest.importorskip(
    "dask.distributed", reason="dask is not installed (pip install 'innoproc[dask]')"
)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two worker processes, one thread each, and its client."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


class TestDask:
    def test_cases_as_in_one_process(self, client: Any) -> None:
        """Cases simulated on the cluster's workers equal a run in one process."""
        sc = scenarios.innovation_partnership(phase_miss=0.3)
        here = innoproc.simulate(sc, runs=300, seed=42)
        there = innoproc.simulate(sc, runs=300, seed=42, executor=client.get_executor())
        assert there.runs == here.runs
        workers = client.run(lambda: __import__("os").getpid())
        assert len(set(workers.values())) == 2

    def test_calls_as_in_one_process(self, client: Any) -> None:
        """Whole calls simulated on the cluster equal a run in one process."""
        call = scenarios.funding_call("stimulab-2018", applications=150)
        here = innoproc.simulate(call, runs=4, seed=2018)
        there = innoproc.simulate(call, runs=4, seed=2018, executor=client.get_executor())
        assert there.runs == here.runs
