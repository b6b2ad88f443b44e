"""Write the diagram of every built-in procedure to docs/diagrams (DOT, Mermaid and SVG).

Run after changing a procedure: ``python docs/gen_diagrams.py``. The SVG needs Graphviz's
``dot`` program; without it only the text forms are written. The test suite checks that the
committed DOT and Mermaid files match the procedures.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import innoproc

HERE = Path(__file__).parent / "diagrams"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for pid in innoproc.procedures():
        d = innoproc.diagram(pid)
        (HERE / f"{pid}.dot").write_text(d.to_dot(), encoding="utf-8")
        (HERE / f"{pid}.mmd").write_text(d.to_mermaid(), encoding="utf-8")
        if shutil.which("dot"):
            svg = subprocess.run(
                ["dot", "-Tsvg", str(HERE / f"{pid}.dot")],
                check=True, capture_output=True, text=True,
            ).stdout
            (HERE / f"{pid}.svg").write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main()
