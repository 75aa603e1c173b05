"""The main job on throwaway notebooks: it executes only what changed, reruns are byte-identical, a failure
writes nothing back, and a hung or widget cell fails fast naming the notebook and the cell.

Run: ``.venv/bin/python -m pytest tests/browser/test_build.py`` (~60 s: it starts kernels).
Works in a temporary folder; the repository's notebooks/ and data/ are only read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
# the job is run as `python -m sitebuild` from the workspace: the package is found on the repository root
ROOT_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
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
        "-m",
        "sitebuild",
        "--notebooks",
        str(workspace / "notebooks"),
        "--out",
        str(workspace / "_site"),
        "--readme",
        str(workspace / "README.md"),
        *extra,
    ]
    return subprocess.run(cmd, cwd=workspace, env=ROOT_ENV, capture_output=True, text=True, timeout=300, check=False)


def executed(result: subprocess.CompletedProcess[str]) -> set[str]:
    """Names of the notebooks the job says it executed."""
    return {line.split()[1] for line in result.stdout.splitlines() if line.startswith("executed ")}


# The job's records hold digests of the repository's helpers/ and data/, which may be edited while a test
# runs; they are tested on their own (tests/test_digests.py), the outputs and pages here.
RECORDS = {"digests.json", ".build-inputs.json"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder, by relative path (the job's digest records left out)."""
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in RECORDS]
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


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
    second = build(workspace, "--rerun")  # execute again although nothing changed
    assert second.returncode == 0, second.stdout + second.stderr
    assert executed(second) == {"01_first.ipynb", "02_second.ipynb"}
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
    started = workspace / "started.flag"  # written by the notebook's first cell: the job has read it and runs it
    make_notebook(slow, "First question?",
                  [f"import pathlib, time\npathlib.Path({str(started)!r}).write_text('1')\ntime.sleep(4)", FIGURE])
    cmd = [sys.executable, "-m", "sitebuild", "--notebooks", str(workspace / "notebooks")]
    cmd += ["--out", str(workspace / "_site"), "--readme", str(workspace / "README.md")]
    proc = subprocess.Popen(cmd, cwd=workspace, env=ROOT_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # a loaded machine starts kernels slowly: wait for the run, not a fixed time
    while not started.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert started.exists(), "the notebook never started running"
    edited = slow.read_text(encoding="utf-8").replace("First question?", "Edited question?")
    slow.write_text(edited, encoding="utf-8")
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stdout + stderr
    assert "01_first.ipynb" in stdout and "NOT written back" in stdout
    assert slow.read_text(encoding="utf-8") == edited


def test_only_notebooks_whose_inputs_changed_execute(workspace: Path) -> None:
    """Nothing changed: nothing executes and the site is rebuilt the same; prose: re-rendered only; code: that one."""
    first = build(workspace)
    assert first.returncode == 0, first.stdout + first.stderr
    assert executed(first) == {"01_first.ipynb", "02_second.ipynb"}
    site = snapshot(workspace / "_site")
    unchanged = build(workspace)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert executed(unchanged) == set()
    assert "up to date (inputs unchanged, not executed): 01, 02" in unchanged.stdout
    assert snapshot(workspace / "_site") == site

    first_nb = workspace / "notebooks/01_first.ipynb"
    nb = nbformat.read(first_nb, as_version=4)
    nb.cells[0].source = "# A sharper first question?"
    nbformat.write(nb, first_nb)
    prose = build(workspace)
    assert executed(prose) == set()
    assert "A sharper first question?" in (workspace / "_site/01_first.html").read_text(encoding="utf-8")

    second_nb = workspace / "notebooks/02_second.ipynb"
    nb = nbformat.read(second_nb, as_version=4)
    nb.cells[2].source = "import pandas as pd\npd.DataFrame({'a': [2]})"
    nbformat.write(nb, second_nb)
    code = build(workspace)
    assert code.returncode == 0, code.stdout + code.stderr
    assert executed(code) == {"02_second.ipynb"}
    assert "to run   02_second.ipynb (code changed)" in code.stdout

    forced = build(workspace, "--rerun")
    assert executed(forced) == {"01_first.ipynb", "02_second.ipynb"}


def test_hung_cell_fails_fast_naming_notebook_cell_and_wait(workspace: Path) -> None:
    """A cell that never returns fails after --timeout seconds, not nbclient's 600 s."""
    make_notebook(workspace / "notebooks/03_hang.ipynb", "Hang?", ["x = 1", "import time\ntime.sleep(600)"])
    started = time.monotonic()
    result = build(workspace, "--timeout", "10")  # far above the other cells' seconds, even on a loaded machine
    assert time.monotonic() - started < 90
    assert result.returncode == 1
    assert "03_hang.ipynb, cell 4 (In [2])" in result.stderr, result.stderr
    assert "time.sleep(600)" in result.stderr
    assert "no reply from the kernel within 10 s (waiting for the cell's execute_reply)" in result.stderr
    assert "the kernel was busy (still running the cell)" in result.stderr


def test_widget_cell_fails_at_once(workspace: Path) -> None:
    """Batch runs create no widget comms: the cell that opens one fails, named, without waiting."""
    opens_a_widget_comm = "from comm import create_comm\ncreate_comm(target_name='jupyter.widget')"  # as widgets do
    make_notebook(workspace / "notebooks/03_widget.ipynb", "Widget?", [opens_a_widget_comm])
    started = time.monotonic()
    result = build(workspace)
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert "03_widget.ipynb, cell 3" in result.stderr
    assert "opened a comm (target 'jupyter.widget'" in result.stderr


STALL_PROBE = """
import json, sys
from pathlib import Path
from sitebuild import execute
[result] = execute.run_all([Path(sys.argv[1])], jobs=1, timeout=60, stall=4)
print(json.dumps({"ok": result.ok, "error": result.error}))
"""


def test_stalled_worker_is_killed_with_its_kernel(tmp_path: Path) -> None:
    """The parent's backstop: no progress for `stall` seconds ends the worker and its kernel, by pid."""
    import psutil

    path = tmp_path / "01_stall.ipynb"
    make_notebook(
        path, "Stall?", ["import os\nopen('kernel.pid', 'w').write(str(os.getpid()))", "import time\ntime.sleep(120)"]
    )
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = subprocess.run(
        [sys.executable, "-c", STALL_PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert time.monotonic() - started < 60
    assert probe.returncode == 0, probe.stdout + probe.stderr
    result = json.loads(probe.stdout)
    assert not result["ok"]
    assert "01_stall.ipynb" in result["error"]
    assert "no progress for 4 s while running cell 4" in result["error"]
    pid = int((tmp_path / "kernel.pid").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, f"kernel {pid} still running"
        time.sleep(0.2)


def test_papermill_runs_get_the_cell_timeout(tmp_path: Path) -> None:
    """Parameterised runs (tests/notebook_runs.py) have the same bound as the job and nbval."""
    from tests.notebook_runs import run_with_parameters

    path = tmp_path / "01_params.ipynb"
    make_notebook(path, "Parameters?", ["SECONDS = 0", "import time\ntime.sleep(SECONDS)\nprint('slept', SECONDS)"])
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    done = run_with_parameters(path, tmp_path / "out.ipynb", {"SECONDS": 1})
    assert "slept 1" in done.cells[-1].outputs[0]["text"]
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="timed out"):
        run_with_parameters(path, tmp_path / "out.ipynb", {"SECONDS": 600}, cell_timeout=3)
    assert time.monotonic() - started < 60
