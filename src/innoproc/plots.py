"""Plots of simulation results: outcome shares, time to purchase, budget use.

Needs matplotlib (``pip install 'innoproc[plot]'``), imported only when a plot is drawn;
without it each function raises ``MissingDependency`` saying how to install it. Every
function draws on ``ax`` (a matplotlib ``Axes``; a new figure when ``None``), labels it in
``lang`` (``"en"``, ``"nb"`` or ``"nn"``; by default the process's language, see
``innoproc.set_language``) and returns the ``Axes``.

```pycon
>>> import innoproc
>>> from innoproc import plots, scenarios
>>> result = innoproc.simulate(scenarios.funding_call("stimulab-2018"), runs=5, seed=1)
>>> ax = plots.outcomes(result)
>>> ax.get_title()
'stimulab-2018 call: from application to completed project'

```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from innoproc._call import CallResult
from innoproc._errors import InvalidParameter, MissingDependency
from innoproc._simulate import SimulationResult
from innoproc._text import Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

__all__ = ["budget_use", "outcomes", "time_to_purchase"]

_COLOUR = "#4c78a8"
_MUTED = "#c9d3e0"

# -- the texts of the plots, in one place ----------------------------------------------------

_T: dict[str, Text] = {
    "outcomes": Text("{name}: where the cases end"),
    "share": Text("share of runs"),
    "funnel": Text("{name}: from application to completed project"),
    "per_call": Text("mean number per call (log scale)"),
    "applications": Text("applications"),
    "eligible": Text("eligible"),
    "assessed": Text("passed must criteria"),
    "funded": Text("funded"),
    "purchases": Text("reached purchase"),
    "completions": Text("completed"),
    "time": Text("{name}: time to purchase"),
    "days": Text("days"),
    "days_from_submission": Text("days from submission to purchase"),
    "count": Text("number of cases"),
    "median": Text("median {days} days"),
    "none": Text("no case reached a purchase"),
    "budget": Text("{name}: budget use per call"),
    "granted": Text("granted"),
    "left": Text("left"),
    "nok": Text("NOK million"),
    "call": Text("simulated call (sorted by amount granted)"),
    "budget_line": Text("budget"),
}


def _say(key: str, lang: str | None, **values: Any) -> str:
    return _T[key].get(lang).format(**values)


def _axes(ax: Axes | None, feature: str) -> Axes:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependency(feature, "matplotlib", "plot") from None
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=(7, 3.6), layout="constrained")
    return new


def _results(result: object, argument: str = "result") -> SimulationResult | CallResult:
    if not isinstance(result, (SimulationResult, CallResult)):
        raise InvalidParameter(
            argument,
            result,
            Text("the result of a simulation"),
        )
    return result


def outcomes(
    result: SimulationResult | CallResult, *, ax: Axes | None = None, lang: str | None = None
) -> Axes:
    """Where the runs end: for cases, the share of runs per end state; for a call, the
    funnel from applications to completed projects (mean per call, log scale)."""
    result = _results(result)
    _T["share"].get(lang)  # an unknown language fails before drawing
    ax = _axes(ax, "plots.outcomes")
    if isinstance(result, SimulationResult):
        labels = list(result.ends)[::-1]
        shares = [result.share(end) for end in labels]
        bars = ax.barh(labels, shares, color=_COLOUR)
        ax.bar_label(bars, labels=[f"{s:.1%}" for s in shares], padding=3)
        ax.set_xlim(0, max([*shares, 0.01]) * 1.18)
        ax.set_xlabel(_say("share", lang))
        ax.set_title(_say("outcomes", lang, name=result.scenario))
    else:
        funnel = list(result.funnel().items())[::-1]
        labels = [_say(stage, lang) for stage, _ in funnel]
        values = [max(float(v), 0.0) for _, v in funnel]
        bars = ax.barh(labels, values, color=_COLOUR)
        shown = [f"{v:,.0f}" if v >= 100 else f"{v:,.1f}" for v in values]
        ax.bar_label(bars, labels=shown, padding=3)
        ax.set_xscale("log")
        ax.set_xlim(0.5, max([*values, 1.0]) * 4)
        ax.set_xlabel(_say("per_call", lang))
        ax.set_title(_say("funnel", lang, name=result.scenario))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def time_to_purchase(
    result: SimulationResult | CallResult,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    bins: int = 30,
) -> Axes:
    """A histogram of the days to the purchase step, with the median marked (for a call,
    days from each funded application's submission to its project's purchase)."""
    result = _results(result)
    _T["days"].get(lang)
    ax = _axes(ax, "plots.time_to_purchase")
    if isinstance(result, SimulationResult):
        days = [r.purchase_days for r in result.runs if r.purchase_days is not None]
        ax.set_xlabel(_say("days", lang))
    else:
        days = [
            a.purchase_days
            for run in result.runs
            for a in run.applications
            if a.purchase_days is not None
        ]
        ax.set_xlabel(_say("days_from_submission", lang))
    ax.set_title(_say("time", lang, name=result.scenario))
    ax.set_ylabel(_say("count", lang))
    if not days:
        ax.text(0.5, 0.5, _say("none", lang), ha="center", va="center", transform=ax.transAxes)
        return ax
    ax.hist(days, bins=bins, color=_COLOUR)
    middle = sorted(days)[len(days) // 2]
    ax.axvline(middle, color="black", linestyle="--", linewidth=1)
    ax.annotate(
        _say("median", lang, days=f"{middle:.0f}"),
        (middle, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -14),
        textcoords="offset points",
    )
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def budget_use(result: CallResult, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Per simulated call, the amount granted and what was left of the budget (NOK
    million), calls sorted by amount granted, the budget as a line."""
    if not isinstance(result, CallResult):
        raise InvalidParameter(
            "result",
            result,
            Text("the result of simulating a funding call (scenarios.funding_call)"),
        )
    _T["nok"].get(lang)
    ax = _axes(ax, "plots.budget_use")
    million = 1_000_000
    granted = sorted(float(run.granted) / million for run in result.runs)
    budget = float(result.budget) / million
    xs = list(range(1, len(granted) + 1))
    ax.bar(xs, granted, color=_COLOUR, label=_say("granted", lang), width=0.8)
    ax.bar(
        xs,
        [budget - g for g in granted],
        bottom=granted,
        color=_MUTED,
        label=_say("left", lang),
        width=0.8,
    )
    ax.axhline(budget, color="black", linewidth=1, label=_say("budget_line", lang))
    from matplotlib.ticker import MaxNLocator

    ax.set_ylim(0, budget * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_say("call", lang))
    ax.set_ylabel(_say("nok", lang))
    ax.set_title(_say("budget", lang, name=result.scenario))
    ax.legend(loc="upper center", ncols=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
