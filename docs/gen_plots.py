"""Draw the plots shown in the analysts' guide into docs/images (PNG).

Run after changing a scenario or a plot: ``python docs/gen_plots.py``. Needs the ``plot``
extra (matplotlib). The figures come from seeded simulations, so the same code draws the
same pictures; the test suite draws them into a temporary folder to prove they still can.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import innoproc  # noqa: E402
from innoproc import plots, scenarios  # noqa: E402

HERE = Path(__file__).parent / "images"

#: The file names, each drawn by one plot (the analysts' guide shows them).
FILES = ("call-outcomes.png", "call-time-to-purchase.png", "call-budget-use.png",
         "ip-outcomes.png")


def main(folder: Path = HERE, *, calls: int = 20, applications: int = 3000,
         cases: int = 2000) -> list[Path]:
    """Simulate and draw every figure into ``folder``; return the files written.

    The docs show 20 calls of 3,000 applications and 2,000 partnerships; the test suite
    draws smaller ones."""
    folder.mkdir(parents=True, exist_ok=True)
    call = innoproc.simulate(
        scenarios.funding_call("stimulab-2018", applications=applications),
        runs=calls,
        seed=2018,
    )
    ip = innoproc.simulate(
        scenarios.innovation_partnership(market_solution=0.2, phase_miss=0.3),
        runs=cases,
        seed=1,
    )
    drawings = (
        (FILES[0], lambda ax: plots.outcomes(call, ax=ax)),
        (FILES[1], lambda ax: plots.time_to_purchase(call, ax=ax)),
        (FILES[2], lambda ax: plots.budget_use(call, ax=ax)),
        (FILES[3], lambda ax: plots.outcomes(ip, ax=ax)),
    )
    written = []
    for name, draw in drawings:
        fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
        draw(ax)
        path = folder / name
        fig.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(fig)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
