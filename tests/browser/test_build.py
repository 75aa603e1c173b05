"""The main job on throwaway notebooks: it executes only what changed, reruns are byte-identical, a failure
writes nothing back, and a hung or widget cell fails fast naming the notebook and the cell.

Run: ``.venv/bin/python -m pytest tests/browser/test_build.py`` (~60 s: it starts kernels).
Works in a temporary folder; the repository's notebooks/ and data/ are only read.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po, write_po

from helpers.i18n import translated
from sitebuild.build import languages_note

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


def build(workspace: Path, *extra: str, languages: tuple[str, ...] = ("en",)) -> subprocess.CompletedProcess[str]:
    """Run the main job on the workspace's notebooks, rendering into workspace/_site.

    Only the English edition unless ``languages`` says otherwise: the Russian and Kazakh runs would execute every
    notebook twice more; the tests of the editions below ask for them.
    """
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
        "--languages",
        *languages,
        *extra,
    ]
    return subprocess.run(cmd, cwd=workspace, env=ROOT_ENV, capture_output=True, text=True, timeout=300, check=False)


def executed(result: subprocess.CompletedProcess[str]) -> set[str]:
    """Names of the notebooks the job says it executed."""
    return {line.split()[1] for line in result.stdout.splitlines() if line.startswith("executed ")}


# The job's records hold digests of the repository's helpers/ and data/, which may be edited while a test
# runs; they are tested on their own (tests/test_digests.py), the outputs and pages here.
RECORDS = {"digests.json", ".build-inputs.json", ".build-editions.json"}


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
    cmd += ["--out", str(workspace / "_site"), "--readme", str(workspace / "README.md"), "--languages", "en"]
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
    """In English and Russian: the first job runs each notebook in both; with nothing changed nothing executes and
    the site stays as it is; a prose change re-renders only (the Russian page shows the new English text until it is
    translated); a code change executes that notebook again, in both languages. (Kazakh runs the same way as
    Russian: left out here, it would add kernels to the suite; --rerun: test_rerun_is_byte_identical.)"""
    both = ("en", "ru")
    first = build(workspace, languages=both)
    assert first.returncode == 0 and first.stderr == "", first.stdout + first.stderr
    names = {"01_first.ipynb", "02_second.ipynb"}
    assert executed(first) == names
    assert in_languages(first) == {(name, "ru") for name in names}
    assert (workspace / "locale/runs/ru/digests.json").is_file()
    site = snapshot(workspace / "_site")
    unchanged = build(workspace, languages=both)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert executed(unchanged) == set() and in_languages(unchanged) == set()
    assert "up to date (inputs unchanged, not executed): 01, 02" in unchanged.stdout
    assert "site up to date" in unchanged.stdout
    assert snapshot(workspace / "_site") == site

    first_nb = workspace / "notebooks/01_first.ipynb"
    nb = nbformat.read(first_nb, as_version=4)
    nb.cells[0].source = "# A sharper first question?"
    nbformat.write(nb, first_nb)
    prose = build(workspace, languages=both)
    assert executed(prose) == set() and in_languages(prose) == set()
    for page in ("01_first.html", "ru/01_first.html"):
        assert "A sharper first question?" in (workspace / "_site" / page).read_text(encoding="utf-8"), page

    second_nb = workspace / "notebooks/02_second.ipynb"
    nb = nbformat.read(second_nb, as_version=4)
    nb.cells[2].source = "import pandas as pd\npd.DataFrame({'a': [2]})"
    nbformat.write(nb, second_nb)
    code = build(workspace, languages=both)
    assert code.returncode == 0, code.stdout + code.stderr
    assert executed(code) == {"02_second.ipynb"}
    assert in_languages(code) == {("02_second.ipynb", "ru")}
    assert "to run   02_second.ipynb (code changed)" in code.stdout


def test_hung_cell_fails_fast_naming_notebook_cell_and_wait(workspace: Path) -> None:
    """A cell that never returns fails after --timeout seconds, not nbclient's 600 s."""
    for other in (workspace / "notebooks").glob("*.ipynb"):  # alone: the others' kernels would only add time
        other.unlink()
    make_notebook(workspace / "notebooks/03_hang.ipynb", "Hang?", ["x = 1", "import time\ntime.sleep(600)"])
    started = time.monotonic()
    result = build(workspace, "--timeout", "5")  # far above "x = 1"'s time, even on a loaded machine
    assert time.monotonic() - started < 90
    assert result.returncode == 1
    assert "03_hang.ipynb, cell 4 (In [2])" in result.stderr, result.stderr
    assert "time.sleep(600)" in result.stderr
    assert "no reply from the kernel within 5 s (waiting for the cell's execute_reply)" in result.stderr
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


# --- The Russian and Kazakh editions (issue 20) ---------------------------------------------------------------

EDITIONS = ("en", "ru", "kk")


def copied_catalogs(folder: Path) -> Path:
    """A copy of the repository's ru and kk catalogs, to change in a test."""
    for lang in EDITIONS[1:]:
        target = folder / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copyfile(ROOT / "locale" / lang / "LC_MESSAGES/messages.po", target / "messages.po")
    return folder


def retranslate(catalogs: Path, lang: str, message: str, translation: str) -> None:
    """Give ``message`` another translation in the copied catalog of ``lang``."""
    path = catalogs / lang / "LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    catalog[message].string = translation
    with path.open("wb") as handle:
        write_po(handle, catalog)


def times_and_bytes(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below ``folder``: modification time (ns) and bytes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_editions_rebuild_identical_and_a_catalog_change_renders_only_its_language(
    workspace: Path, tmp_path: Path
) -> None:
    """Three editions from the same inputs are byte-identical wherever they are built; a changed Kazakh catalog
    renders the Kazakh pages again and keeps the English and Russian ones as they were (same bytes, same times)."""
    catalogs = copied_catalogs(tmp_path / "catalogs")
    options = ("--no-execute", "--catalogs", str(catalogs))
    first = build(workspace, *options, languages=EDITIONS)
    assert first.returncode == 0 and first.stderr == "", first.stdout + first.stderr
    other = build(workspace, *options, "--out", str(workspace / "_site2"), languages=EDITIONS)
    assert other.returncode == 0, other.stdout + other.stderr
    site = snapshot(workspace / "_site")
    assert site == snapshot(workspace / "_site2")
    assert {"ru/01_first.html", "kk/01_first.html", "ru/search.html", "kk/glossary.html"} <= set(site)

    before = times_and_bytes(workspace / "_site")
    search_kk = str(translated("Search", "kk"))
    retranslate(catalogs, "kk", "Search", search_kk + " (test)")
    time.sleep(0.05)  # a file written again now has a later time
    changed = build(workspace, *options, languages=EDITIONS)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "ru edition: inputs unchanged, pages kept" in changed.stdout
    assert "kk edition: rendered" in changed.stdout
    after = times_and_bytes(workspace / "_site")
    kept = [rel for rel in before if not rel.startswith("kk/") and rel.endswith(".html")]
    assert kept and all(after[rel] == before[rel] for rel in kept), "an English or Russian page was rendered again"
    assert search_kk + " (test)" in after["kk/01_first.html"][1].decode("utf-8")
    assert search_kk + " (test)" not in after["ru/01_first.html"][1].decode("utf-8")


def test_a_kept_run_gives_the_edition_its_outputs(workspace: Path) -> None:
    """The Russian page shows the outputs of the Russian run (kept in locale/runs/ru/), the English page its own;
    the Kazakh page, without a run, the English outputs under a visible note; nothing executes (--no-execute)."""
    english = workspace / "notebooks/01_first.ipynb"
    nb = nbformat.read(english, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="вывод русского запуска\n")]
    (workspace / "locale/runs/ru").mkdir(parents=True)
    nbformat.write(nb, workspace / "locale/runs/ru/01_first.ipynb")
    result = build(workspace, "--no-execute", languages=EDITIONS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: ru runs out of date, shown as kept (--no-execute): 01_first.ipynb" in result.stdout
    site = workspace / "_site"
    assert "вывод русского запуска" in (site / "ru/01_first.html").read_text(encoding="utf-8")
    assert "вывод русского запуска" not in (site / "01_first.html").read_text(encoding="utf-8")
    kazakh = (site / "kk/01_first.html").read_text(encoding="utf-8")
    assert html.escape(languages_note("kk", failed=False)) in kazakh
    assert '<html lang="kk">' in kazakh and 'hreflang="x-default" href="../01_first.html"' in kazakh
    download = json.loads((site / "ru/notebooks/01_first.ipynb").read_text(encoding="utf-8"))
    assert download["metadata"]["language"] == "ru"


def in_languages(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str]]:
    """(notebook, language) of the Russian and Kazakh runs the job says it executed."""
    return {(m.group(1), m.group(2)) for m in re.finditer(r"^executed (\S+) in (ru|kk) ", result.stdout, re.MULTILINE)}
