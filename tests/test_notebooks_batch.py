"""The committed notebooks are safe to run in batch: no widgets (the cause of the 10-minute hang, issue 10).

Executing a notebook that creates ipywidgets (``interact`` above all) can block nbclient, nbconvert and
nbval; the main job refuses a widget comm at run time (sitebuild/execute.py), and this test names the
offending cell before anything runs. Readers explore through the parameters cell instead.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_CODE = re.compile(r"^\s*(import|from)\s+(ipywidgets|ipympl)\b|\binteract(ive)?\s*\(|\bwidgets\.", re.MULTILINE)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_problems(path: Path) -> list[str]:
    """Cells of a notebook that import or build widgets, or carry widget outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if WIDGET_CODE.search(source):
            found.append(f"{path.name}, cell {number}: builds or imports widgets")
        if any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", [])):
            found.append(f"{path.name}, cell {number}: has a widget output")
    if "widgets" in nb.get("metadata", {}):
        found.append(f"{path.name}: notebook metadata holds widget state")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_creates_no_widgets(path: Path) -> None:
    assert widget_problems(path) == []


def test_the_check_finds_a_widget_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": "import pandas as pd", "outputs": [], "metadata": {}},
        {"cell_type": "code", "source": ["from ipywidgets import interact\n", "interact(f, x=1);"], "outputs": []},
        {"cell_type": "code", "source": "x = 1", "outputs": [{"data": {WIDGET_VIEW: {}}}], "metadata": {}},
    ]
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")
    assert widget_problems(path) == [
        "01_x.ipynb, cell 2: builds or imports widgets",
        "01_x.ipynb, cell 3: has a widget output",
    ]
