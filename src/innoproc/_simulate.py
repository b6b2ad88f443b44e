"""Scenario simulation: run many cases through a procedure with per-step outcome probabilities.

A ``Scenario`` says, for each state, what happens there: which facts get recorded, with
which probabilities the outcomes go one way or the other, how long it takes and what it
costs, and which step is taken next. ``simulate`` runs it many times, seeded and
reproducible, on any ``concurrent.futures.Executor`` (processes locally, or a cluster
executor such as Dask's), and collects where each case ended, after how long and at what cost.

Every simulated case is a real case: each step goes through the engine and its
preconditions, so a scenario that tries a step the rules forbid sees it refused, counted in
``refusals``, exactly as a clerk would.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import mean, median
from typing import Any

import attrs

from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._errors import InnoprocError, StepRefused
from innoproc._time import OSLO

START = datetime(2025, 1, 6, 9, 0, tzinfo=OSLO)


class Sim:
    """The handle a scenario's state handlers act through: one simulated case and its dice.

    ``rng`` is this run's own ``random.Random``; ``clock`` advances with ``wait``;
    ``spend`` adds to the run's cost.
    """

    __slots__ = ("case", "clock", "cost", "refusals", "rng", "steps")

    def __init__(self, case: Case, rng: random.Random, start: datetime = START) -> None:
        self.case = case
        self.rng = rng
        self.clock = start
        self.cost = Decimal(0)
        self.refusals = 0
        self.steps = 0

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.rng.random() < p

    def wait(self, low: float, high: float | None = None) -> None:
        """Let ``low`` days pass (or a uniform number of days between ``low`` and ``high``)."""
        days = low if high is None else self.rng.uniform(low, high)
        self.clock += timedelta(days=days)

    def spend(self, amount: Decimal | int) -> None:
        """Add ``amount`` (NOK) to the run's cost."""
        self.cost += Decimal(amount)

    def record(self, fact: str, **payload: Any) -> None:
        """Record a fact now."""
        self.case.record(fact, at=self.clock, by="simulation", **payload)
        self.steps += 1

    def apply(self, event: str, **payload: Any) -> bool:
        """Try a step now; return whether it was applied (a refusal is counted, not raised)."""
        try:
            self.case.apply(event, at=self.clock, by="simulation", **payload)
        except StepRefused:
            self.refusals += 1
            return False
        self.steps += 1
        return True


Handler = Callable[[Sim], None]


class Scenario:
    """What happens in each state of a procedure, as plain functions of a ``Sim``.

    ``handlers`` maps state names to functions; a run ends when the case reaches a final
    state, when a handler leaves the case where it was (it is *stuck*), or after
    ``max_steps`` handler calls. Handlers must be module-level functions (or other picklable
    callables) for runs on other processes.
    """

    def __init__(
        self,
        procedure: Procedure,
        handlers: Mapping[str, Handler],
        *,
        name: str = "",
        max_steps: int = 200,
    ) -> None:
        unknown = [s for s in handlers if s not in procedure.states]
        if unknown:
            raise InnoprocError(f"scenario names unknown state(s) {unknown} of {procedure.id!r}")
        self.procedure = procedure
        self.handlers = dict(handlers)
        self.name = name or procedure.id
        self.max_steps = max_steps
        self._finals = frozenset(n for n, s in procedure.states.items() if s.final)

    def run(self, seed: int, index: int = 0) -> RunResult:
        """One seeded run: the same seed always gives the same result."""
        rng = random.Random(seed)
        case = Case(self.procedure, reference=f"sim-{index}", authority="simulation")
        sim = Sim(case, rng)
        finals = self._finals
        calls = 0
        stuck = False
        while case.state not in finals and calls < self.max_steps:
            handler = self.handlers.get(case.state)
            if handler is None:
                stuck = True
                break
            before = case.revision, case.state
            handler(sim)
            calls += 1
            if (case.revision, case.state) == before:
                stuck = True
                break
        first = case.history[0].at if case.history else sim.clock
        return RunResult(
            index=index,
            seed=seed,
            end=case.state,
            final=case.state in finals,
            stuck=stuck,
            days=(sim.clock - min(first, START)).total_seconds() / 86400,
            cost=sim.cost,
            steps=case.revision,
            refusals=sim.refusals,
        )

    def __repr__(self) -> str:
        return f"<Scenario {self.name}: {len(self.handlers)} states handled>"


@attrs.frozen
class RunResult:
    """Where one simulated case ended, after how many days, at what cost, in how many steps."""

    index: int
    seed: int
    end: str
    final: bool
    stuck: bool
    days: float
    cost: Decimal
    steps: int
    refusals: int


@attrs.frozen
class SimulationResult:
    """All runs of a simulation, with summaries; ``records()`` gives plain dicts."""

    scenario: str
    seed: int
    runs: tuple[RunResult, ...]
    seconds: float

    @property
    def ends(self) -> dict[str, int]:
        """How many runs ended in each state, most first."""
        return dict(Counter(r.end for r in self.runs).most_common())

    def share(self, state: str) -> float:
        """The share of runs that ended in ``state``."""
        return sum(r.end == state for r in self.runs) / len(self.runs) if self.runs else 0.0

    @property
    def case_steps(self) -> int:
        """The history entries (steps and facts) all runs wrote."""
        return sum(r.steps for r in self.runs)

    def summary(self) -> dict[str, Any]:
        """Counts per end state with the median days and mean cost of each."""
        out: dict[str, Any] = {}
        for state in self.ends:
            group = [r for r in self.runs if r.end == state]
            out[state] = {
                "runs": len(group),
                "share": round(len(group) / len(self.runs), 4),
                "median_days": round(median(r.days for r in group), 1),
                "mean_cost": round(mean(float(r.cost) for r in group), 2),
            }
        return out

    def records(self) -> list[dict[str, Any]]:
        """One plain dict per run."""
        return [attrs.asdict(r) for r in self.runs]

    def to_dataframe(self) -> Any:
        """The runs as a pandas DataFrame (needs pandas: ``pip install 'innoproc[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'innoproc[pandas]'") from exc
        return pd.DataFrame(self.records())

    def __repr__(self) -> str:
        return (
            f"<SimulationResult {self.scenario}: {len(self.runs)} runs, ends {self.ends}, "
            f"{self.case_steps} case-steps in {self.seconds:.2f} s>"
        )


def _run_chunk(scenario: Scenario, seeds: Sequence[tuple[int, int]]) -> list[RunResult]:
    return [scenario.run(seed, index) for index, seed in seeds]


def _chunks(items: Sequence[tuple[int, int]], size: int) -> Iterator[Sequence[tuple[int, int]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def simulate(
    scenario: Scenario,
    runs: int = 1000,
    *,
    seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: bool | Callable[[int, int], None] = False,
) -> SimulationResult:
    """Run ``scenario`` ``runs`` times and collect the results, reproducibly.

    Run ``i`` uses a seed derived from ``seed`` and ``i`` only, so the results are the same
    whether the runs go in one process or are spread over an ``executor`` (any
    ``concurrent.futures.Executor``: a ``ProcessPoolExecutor``, or Dask's
    ``client.get_executor()`` for large runs). ``progress=True`` prints progress to stderr
    on long runs; a callable receives ``(done, total)``.

    ```pycon
    >>> import innoproc
    >>> from innoproc import scenarios
    >>> result = innoproc.simulate(scenarios.innovation_partnership(), runs=50, seed=1)
    >>> sorted(result.ends) == sorted(set(r.end for r in result.runs))
    True

    ```
    """
    if runs < 0:
        raise ValueError(f"runs must not be negative, got {runs}")
    master = random.Random(seed)
    seeds = [(i, master.getrandbits(63)) for i in range(runs)]
    size = chunk_size or max(1, min(500, runs // 16 or 1))
    report = _progress(progress, runs)
    started = time.perf_counter()
    results: list[RunResult] = []
    if executor is None:
        for chunk in _chunks(seeds, size):
            results.extend(_run_chunk(scenario, chunk))
            report(len(results))
    else:
        futures = [executor.submit(_run_chunk, scenario, chunk) for chunk in _chunks(seeds, size)]
        for future in futures:
            results.extend(future.result())
            report(len(results))
    return SimulationResult(scenario.name, seed, tuple(results), time.perf_counter() - started)


def _progress(progress: bool | Callable[[int, int], None], total: int) -> Callable[[int], None]:
    if callable(progress):
        return lambda done: progress(done, total)
    if not progress:
        return lambda done: None
    last = [0.0]

    def show(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or done == total:
            last[0] = now
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} runs")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return show


def collect(results: Iterable[SimulationResult]) -> SimulationResult:
    """Merge the results of several simulations of one scenario (for example per batch)."""
    items = list(results)
    if not items:
        raise ValueError("nothing to collect")
    runs = tuple(r for result in items for r in result.runs)
    return SimulationResult(items[0].scenario, items[0].seed, runs, sum(r.seconds for r in items))
