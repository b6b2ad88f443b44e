"""The example notebook under docs/ runs from top to bottom and shows tables and plots."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parent.parent / "docs" / "notebooks" / "scenario.ipynb"


def test_notebook_runs() -> None:
    """Every cell executes; cases, results and calls render as HTML, plots as images."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "Market dialogue" in html, "the case renders as HTML"
    assert "stimulab-2018 call" in html, "the call result renders as HTML"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4, "the four plots are drawn"


def test_stored_without_outputs() -> None:
    """The notebook is stored without outputs: the site runs it when it is built."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
