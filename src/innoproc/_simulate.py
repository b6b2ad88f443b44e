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

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import mean, median
from typing import TYPE_CHECKING, Any, Protocol, overload

import attrs

from innoproc._engine.case import Case
from innoproc._engine.declare import Procedure
from innoproc._engine.history import StepRecord
from innoproc._errors import (
    InvalidDefinition,
    InvalidParameter,
    MissingDependency,
    NaiveDatetimeError,
    StepRefused,
)
from innoproc._text import Text
from innoproc._time import OSLO

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._call import CallResult, CallScenario

#: Where simulated cases start when a scenario does not say otherwise (a fixed instant, so
#: that runs never depend on the day they are made).
START = datetime(2025, 1, 6, 9, 0, tzinfo=OSLO)

_DAY = 86400.0


# -- checking arguments --------------------------------------------------------------------

_A_COUNT = Text("a whole number of at least {low}")
_A_COUNT_TO = Text("a whole number from {low} to {high}")
_AN_EXECUTOR = Text("a concurrent.futures.Executor (something with submit) or None")
_AN_AWARE_DATETIME = Text("a timezone-aware datetime")
_PROGRESS = Text("True, False or a function of (done, total)")


#: The most runs one simulation takes (each run keeps its result in memory).
MAX_RUNS = 10_000_000


def check_count(argument: str, value: object, low: int = 0, high: int | None = None) -> int:
    """``value`` if it is an ``int`` (not a bool) from ``low`` to ``high``; else
    ``InvalidParameter``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        if high is None:
            expected = _A_COUNT.with_values(low=low)
        else:
            expected = _A_COUNT_TO.with_values(low=low, high=high)
        raise InvalidParameter(argument, value, expected)
    return value


def check_probability(argument: str, value: object) -> float:
    """``value`` as a float if it is a number from 0 to 1; else ``InvalidParameter``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidParameter(argument, value, PROBABILITY)
    try:
        number = float(value)
    except (OverflowError, ValueError):  # a 5,000-digit integer
        raise InvalidParameter(argument, value, PROBABILITY) from None
    if not math.isfinite(number) or not 0 <= number <= 1:
        raise InvalidParameter(argument, value, PROBABILITY)
    return number


PROBABILITY = Text("a probability from 0 to 1 (0.2 means 20 %)")


class Sim:
    """The handle a scenario's state handlers act through: one simulated case and its dice.

    ``rng`` is this run's own ``random.Random``; ``clock`` advances with ``wait``;
    ``spend`` adds to the run's cost. ``funding`` is the grant when the case is the project
    of a funded application in a simulated call (``None`` otherwise).
    """

    __slots__ = ("case", "clock", "cost", "funding", "refusals", "rng", "steps")

    def __init__(
        self,
        case: Case,
        rng: random.Random,
        start: datetime = START,
        *,
        funding: Decimal | None = None,
    ) -> None:
        if not isinstance(start, datetime):
            raise InvalidParameter("start", start, _AN_AWARE_DATETIME)
        if start.tzinfo is None or start.tzinfo.utcoffset(start) is None:
            raise NaiveDatetimeError("start", start)
        self.case = case
        self.rng = rng
        self.clock = start
        self.cost = Decimal(0)
        self.refusals = 0
        self.steps = 0
        self.funding = funding

    def chance(self, p: float) -> bool:
        """True with probability ``p`` (from 0 to 1; anything else raises
        ``InvalidParameter``)."""
        if not (isinstance(p, (int, float)) and 0 <= p <= 1):
            check_probability("p", p)
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
    ``max_steps`` handler calls. ``purchase`` names the step that counts as the purchase
    (``"purchase"`` in an innovation partnership, the supplier contract ``"sign-contract"``
    in the triple diamond), for the time to purchase; ``completion`` the state that counts as
    the procedure completed (``"completed"``, or ``"purchased"``). Handlers must be module-level
    functions (or other picklable callables) for runs on other processes.
    """

    def __init__(
        self,
        procedure: Procedure,
        handlers: Mapping[str, Handler],
        *,
        name: str = "",
        max_steps: int = 200,
        purchase: str | None = None,
        completion: str | None = None,
    ) -> None:
        if not isinstance(procedure, Procedure):
            raise InvalidParameter("procedure", procedure, Text("a Procedure"))
        if not isinstance(handlers, Mapping) or not all(map(callable, handlers.values())):
            raise InvalidParameter(
                "handlers",
                handlers,
                Text("a mapping of state names to functions of a Sim"),
            )
        unknown = [s for s in handlers if s not in procedure.states]
        if unknown:
            raise InvalidDefinition(
                f"scenario names unknown state(s) {unknown} of {procedure.id!r}; its states "
                f"are: {', '.join(procedure.states)}",
                unknown[0],
            )
        if purchase is not None and purchase not in procedure.events:
            raise InvalidDefinition(
                f"scenario's purchase step {purchase!r} is not an event of {procedure.id!r}",
                purchase,
            )
        if completion is not None and completion not in procedure.states:
            raise InvalidDefinition(
                f"scenario's completion state {completion!r} is not a state of {procedure.id!r}",
                completion,
            )
        self.procedure = procedure
        self.handlers = dict(handlers)
        self.completion = completion
        self.name = name or procedure.id
        self.max_steps = check_count("max_steps", max_steps, 1)
        self.purchase = purchase
        self._finals = frozenset(n for n, s in procedure.states.items() if s.final)

    def drive(self, sim: Sim, stop: Iterable[str] = ()) -> bool:
        """Run the handlers on ``sim.case`` until it reaches a final state or a state in
        ``stop``; return whether it got stuck (no handler, or a handler that moved nothing)."""
        case = sim.case
        ends = self._finals | frozenset(stop)
        calls = 0
        while case.state not in ends and calls < self.max_steps:
            handler = self.handlers.get(case.state)
            if handler is None:
                return True
            before = case.revision, case.state
            handler(sim)
            calls += 1
            if (case.revision, case.state) == before:
                return True
        return False

    def purchased_at(self, case: Case) -> datetime | None:
        """When the case took its purchase step (``None`` if it did not)."""
        if self.purchase is None:
            return None
        for entry in case.history:
            if isinstance(entry, StepRecord) and entry.event == self.purchase:
                return entry.at
        return None

    def run(self, seed: int, index: int = 0) -> RunResult:
        """One seeded run: the same seed always gives the same result."""
        rng = random.Random(seed)
        case = Case(self.procedure, reference=f"sim-{index}", authority="simulation")
        sim = Sim(case, rng)
        stuck = self.drive(sim)
        first = case.history[0].at if case.history else sim.clock
        origin = min(first, START)
        bought = self.purchased_at(case)
        return RunResult(
            index=index,
            seed=seed,
            end=case.state,
            final=case.state in self._finals,
            stuck=stuck,
            days=(sim.clock - origin).total_seconds() / _DAY,
            cost=sim.cost,
            steps=case.revision,
            refusals=sim.refusals,
            purchase_days=None if bought is None else (bought - origin).total_seconds() / _DAY,
        )

    def __repr__(self) -> str:
        return f"<Scenario {self.name}: {len(self.handlers)} states handled>"


@attrs.frozen
class RunResult:
    """Where one simulated case ended, after how many days, at what cost, in how many steps.

    ``purchase_days`` is the day of the purchase step (``None`` if the case made none).
    """

    index: int
    seed: int
    end: str
    final: bool
    stuck: bool
    days: float
    cost: Decimal
    steps: int
    refusals: int
    purchase_days: float | None = None


_RUN_COLUMNS: dict[str, str] = {
    "index": "int64",
    "seed": "int64",
    "end": "string",
    "final": "bool",
    "stuck": "bool",
    "days": "float64",
    "cost": "float64",
    "steps": "int64",
    "refusals": "int64",
    "purchase_days": "float64",
}


def dataframe(records: list[dict[str, Any]], columns: Mapping[str, str], feature: str) -> Any:
    """Records as a pandas DataFrame with the given column dtypes (amounts as floats)."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingDependency(feature, "pandas", "pandas") from None
    data = {
        name: [_plain(r[name]) for r in records]
        for name in columns
        if not records or name in records[0]
    }
    frame = pd.DataFrame(data, columns=list(columns))
    return frame.astype(dict(columns))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return float("nan") if value is None else value


@attrs.frozen
class SimulationResult:
    """All runs of a simulation, with summaries; ``records()`` gives plain dicts,
    ``to_dataframe()`` a DataFrame with one row per run, and in a notebook it shows a table
    of end states (plots: ``innoproc.plots``)."""

    scenario: str
    seed: int
    runs: tuple[RunResult, ...]
    seconds: float
    #: The title of each state of the scenario's procedure, for tables in a language.
    state_titles: Mapping[str, Text] = attrs.field(factory=dict, eq=False, repr=False)

    def state_title(self, state: str, lang: str | None = None) -> str:
        """What ``state`` is called in ``lang`` (its name when the title is not known)."""
        title = self.state_titles.get(state)
        return state if title is None else title.get(lang)

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

    @property
    def purchases(self) -> int:
        """How many runs took the scenario's purchase step."""
        return sum(r.purchase_days is not None for r in self.runs)

    def summary(self) -> list[dict[str, Any]]:
        """One flat record per end state, most frequent first: ``end``, ``runs``, ``share``,
        ``median_days`` and ``mean_cost`` (NOK, a float)."""
        out: list[dict[str, Any]] = []
        for state in self.ends:
            group = [r for r in self.runs if r.end == state]
            out.append(
                {
                    "end": state,
                    "runs": len(group),
                    "share": round(len(group) / len(self.runs), 4),
                    "median_days": round(median(r.days for r in group), 1),
                    "mean_cost": round(mean(float(r.cost) for r in group), 2),
                }
            )
        return out

    def records(self) -> list[dict[str, Any]]:
        """One plain dict per run (``cost`` as an exact ``Decimal``)."""
        return [attrs.asdict(r) for r in self.runs]

    def to_dataframe(self) -> Any:
        """The runs as a pandas DataFrame, one row per run, with numeric columns (``cost``
        in NOK as floats, ``purchase_days`` NaN where there was no purchase). Needs pandas:
        ``pip install 'innoproc[pandas]'``."""
        return dataframe(self.records(), _RUN_COLUMNS, "to_dataframe")

    def __repr__(self) -> str:
        return (
            f"<SimulationResult {self.scenario}: {len(self.runs)} runs, ends {self.ends}, "
            f"{self.case_steps} case-steps in {self.seconds:.2f} s>"
        )

    def _repr_html_(self) -> str:
        from innoproc._display import simulation_html

        return simulation_html(self)


# -- running -----------------------------------------------------------------------------------


class _Runnable(Protocol):
    name: str

    def run(self, seed: int, index: int = 0) -> Any: ...


def _run_chunk(scenario: _Runnable, seeds: Sequence[tuple[int, int]]) -> list[Any]:
    return [scenario.run(seed, index) for index, seed in seeds]


def _chunks(items: Sequence[tuple[int, int]], size: int) -> Iterator[Sequence[tuple[int, int]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seeds(seed: int, runs: int) -> list[tuple[int, int]]:
    """``(index, seed)`` of each run, derived from the master ``seed`` and the index only."""
    master = random.Random(seed)
    return [(i, master.getrandbits(63)) for i in range(runs)]


@overload
def simulate(
    scenario: Scenario,
    runs: int = ...,
    *,
    seed: int = ...,
    executor: Executor | None = ...,
    chunk_size: int | None = ...,
    progress: bool | Callable[[int, int], None] = ...,
) -> SimulationResult: ...


@overload
def simulate(
    scenario: CallScenario,
    runs: int = ...,
    *,
    seed: int = ...,
    executor: Executor | None = ...,
    chunk_size: int | None = ...,
    progress: bool | Callable[[int, int], None] = ...,
) -> CallResult: ...


def simulate(
    scenario: Scenario | CallScenario,
    runs: int = 1000,
    *,
    seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: bool | Callable[[int, int], None] = False,
) -> SimulationResult | CallResult:
    """Run ``scenario`` ``runs`` times and collect the results, reproducibly.

    ``scenario`` is a ``Scenario`` (one case per run: a ``SimulationResult``) or a whole
    funding call from ``scenarios.funding_call`` (one call per run, with every application,
    the budget and the funded projects: a ``CallResult``).

    Run ``i`` uses a seed derived from ``seed`` and ``i`` only, so the results are the same
    whether the runs go in one process or are spread over an ``executor`` (any
    ``concurrent.futures.Executor``: a ``ProcessPoolExecutor``, or Dask's
    ``client.get_executor()`` for a cluster). ``progress=True`` shows a progress bar
    (through tqdm, the ``progress`` extra; in a notebook a widget); a callable receives
    ``(done, total)``.

    ```pycon
    >>> import innoproc
    >>> from innoproc import scenarios
    >>> result = innoproc.simulate(scenarios.innovation_partnership(), runs=50, seed=1)
    >>> sorted(result.ends) == sorted(set(r.end for r in result.runs))
    True

    ```
    """
    from innoproc._call import CallResult, CallScenario

    if not isinstance(scenario, (Scenario, CallScenario)):
        raise InvalidParameter(
            "scenario",
            scenario,
            Text("a scenario or a funding call"),
        )
    check_count("runs", runs, high=MAX_RUNS)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidParameter("seed", seed, Text("a whole number"))
    if chunk_size is not None:
        check_count("chunk_size", chunk_size, 1)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise InvalidParameter("executor", executor, _AN_EXECUTOR)
    if not (isinstance(progress, bool) or callable(progress)):
        raise InvalidParameter("progress", progress, _PROGRESS)
    pairs = seeds(seed, runs)
    default = 1 if isinstance(scenario, CallScenario) else max(1, min(500, runs // 16 or 1))
    size = chunk_size or default
    report, close = _progress(progress, runs, scenario.name)
    started = time.perf_counter()
    results: list[Any] = []
    try:
        if executor is None:
            for chunk in _chunks(pairs, size):
                results.extend(_run_chunk(scenario, chunk))
                report(len(results))
        else:
            futures = [
                executor.submit(_run_chunk, scenario, chunk) for chunk in _chunks(pairs, size)
            ]
            for future in futures:
                results.extend(future.result())
                report(len(results))
    finally:
        close()
    seconds = time.perf_counter() - started
    if isinstance(scenario, CallScenario):
        return CallResult(scenario.name, scenario.budget, seed, tuple(results), seconds)
    titles = {name: spec.title for name, spec in scenario.procedure.states.items()}
    return SimulationResult(scenario.name, seed, tuple(results), seconds, titles)


def _progress(
    progress: bool | Callable[[int, int], None], total: int, name: str
) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A function told how many runs are done, and one that closes the display."""
    if callable(progress) and not isinstance(progress, bool):
        report = progress
        return (lambda done: report(done, total)), _nothing
    if not progress:
        return (lambda done: None), _nothing
    bar = progress_bar(total, name)
    if bar is None:
        return (lambda done: None), _nothing

    def update(done: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def _nothing() -> None:
    return None


def progress_bar(total: int, name: str) -> Any:
    """A tqdm bar (a widget in a notebook), or ``None`` without tqdm (nothing is shown)."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    try:
        return tqdm(total=total, desc=name, unit="run")
    except ImportError:  # a notebook without ipywidgets: the text bar
        from tqdm.std import tqdm as text_tqdm

        return text_tqdm(total=total, desc=name, unit="run")


def collect(results: Iterable[SimulationResult]) -> SimulationResult:
    """Merge the results of several simulations of one scenario (for example per batch)."""
    items = list(results)
    if not items:
        raise InvalidParameter(
            "results",
            items,
            Text("at least one simulation result"),
        )
    runs = tuple(r for result in items for r in result.runs)
    seconds = sum(r.seconds for r in items)
    return SimulationResult(items[0].scenario, items[0].seed, runs, seconds, items[0].state_titles)
