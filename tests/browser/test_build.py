"""The main job on throwaway notebooks: reruns are byte-identical; a failure writes nothing back.

Run: ``.venv/bin/python -m pytest tests/browser/test_build.py`` (~20 s: it starts kernels).
Works in a temporary folder; the repository's notebooks/ and data/ are only read.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURE = (
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(4, 2))\n"
    "ax.bar(['Yes', 'No'], [77.18, 18.66])\n"
    "plt.show()"
)


def make_notebook(path: Path, title: str, code: list[str]) -> None:
    """A notebook with a title, an "In short" list and the given code cells (no outputs yet)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        nbformat.v4.new_markdown_cell("## In short\n\n- first finding\n- second finding"),
        *[nbformat.v4.new_code_cell(source) for source in code],
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def build(workspace: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the main job on the workspace's notebooks, rendering into workspace/_site."""
    cmd = [
        sys.executable,
        str(ROOT / "scripts/build_site.py"),
        "--notebooks",
        str(workspace / "notebooks"),
        "--out",
        str(workspace / "_site"),
        "--readme",
        str(workspace / "README.md"),
        *extra,
    ]
    return subprocess.run(cmd, cwd=workspace, capture_output=True, text=True, timeout=300, check=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Two small notebooks with prints, a table and figures."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    make_notebook(notebooks / "01_first.ipynb", "First question?", ["for i in range(3):\n    print(i)", FIGURE])
    make_notebook(
        notebooks / "02_second.ipynb", "Second question?", ["import pandas as pd\npd.DataFrame({'a': [1]})", FIGURE]
    )
    (tmp_path / "README.md").write_text("# Project\n\n## Findings\n\n- a finding\n", encoding="utf-8")
    return tmp_path


def test_rerun_is_byte_identical(workspace: Path) -> None:
    """Execute twice: notebooks and site do not change; counts are 1..n; stderr stays empty."""
    first = build(workspace)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stderr == ""
    assert "_site/index.html" in first.stdout
    notebooks, site = snapshot(workspace / "notebooks"), snapshot(workspace / "_site")
    second = build(workspace)
    assert second.returncode == 0, second.stdout + second.stderr
    assert snapshot(workspace / "notebooks") == notebooks
    assert snapshot(workspace / "_site") == site
    nb = nbformat.read(workspace / "notebooks/01_first.ipynb", as_version=4)
    counts = [cell.execution_count for cell in nb.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert all("execution" not in cell.metadata for cell in nb.cells)
    assert str(workspace) not in "".join(content.decode("utf-8", "replace") for content in site.values())


def test_failure_names_cell_and_keeps_everything(workspace: Path) -> None:
    """A failing cell: exit 1 naming notebook and cell, no write-back, the old site untouched."""
    assert build(workspace).returncode == 0
    bad = workspace / "notebooks/02_second.ipynb"
    nb = nbformat.read(bad, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('no such region')"))
    nbformat.write(nb, bad)
    before_nb, before_site = bad.read_bytes(), snapshot(workspace / "_site")
    result = build(workspace)
    assert result.returncode == 1
    assert "02_second.ipynb, cell 5" in result.stderr
    assert "ValueError: no such region" in result.stderr
    assert bad.read_bytes() == before_nb
    assert snapshot(workspace / "_site") == before_site
    assert not list(workspace.glob("_site.tmp*")), "staging folder left behind"


def test_no_execute_renders_committed_outputs(workspace: Path) -> None:
    """--no-execute leaves notebooks alone and still builds pages."""
    before = snapshot(workspace / "notebooks")
    result = build(workspace, "--no-execute")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(workspace / "notebooks") == before
    assert (workspace / "_site/01_first.html").is_file()


def test_notebook_saved_during_run_is_not_overwritten(workspace: Path) -> None:
    """If someone saves the notebook while it runs, their version wins and the job says so."""
    slow = workspace / "notebooks/01_first.ipynb"
    make_notebook(slow, "First question?", ["import time\ntime.sleep(4)", FIGURE])
    cmd = [sys.executable, str(ROOT / "scripts/build_site.py"), "--notebooks", str(workspace / "notebooks")]
    cmd += ["--out", str(workspace / "_site"), "--readme", str(workspace / "README.md")]
    proc = subprocess.Popen(cmd, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    edited = slow.read_text(encoding="utf-8").replace("First question?", "Edited question?")
    slow.write_text(edited, encoding="utf-8")
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stdout + stderr
    assert "01_first.ipynb" in stdout and "NOT written back" in stdout
    assert slow.read_text(encoding="utf-8") == edited
