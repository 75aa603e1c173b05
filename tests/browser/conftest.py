"""Fixtures for the browser tests: sites rendered into temp folders, local servers, Chromium.

Two sites are built, both without executing anything (``--no-execute``), into temporary folders:
the repository's (from the committed outputs of notebooks/) and a throwaway one, from a small
notebook made here whose outputs are known exactly (a ``plots.finish`` chart, a DataFrame table,
sections and sub-sections, code cells). Nothing in notebooks/ or data/ is modified.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_TIMEOUT = 300


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


def build_site(out: Path, *extra: str) -> Path:
    """Render a site with ``python -m sitebuild --no-execute``; fail on an error or any stderr output."""
    cmd = [sys.executable, "-m", "sitebuild", "--no-execute", "--out", str(out), *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
    assert proc.returncode == 0, f"site build failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stderr == "", f"site build wrote to stderr:\n{proc.stderr}"
    return out


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on a free localhost port; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site rendered from the committed notebooks into a temporary folder.

    With the environment variable SITE_DIR set, test that already-built site instead
    (e.g. ``SITE_DIR=_site`` after ``make site``).
    """
    if os.environ.get("SITE_DIR"):
        built = Path(os.environ["SITE_DIR"]).resolve()
        assert (built / "index.html").is_file(), f"SITE_DIR={built} has no index.html"
        return built
    # One build for the whole run: pytest-xdist's workers share the parent of their temporary folders, and the
    # first worker to get the lock builds (three editions take about 15 s) while the others wait for it.
    base = tmp_path_factory.getbasetemp()  # under xdist a worker's folder (popen-gwN) in the run's own folder
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        site, done = shared / "site" / "_site", shared / "site" / "built"
        if not done.exists():
            build_site(site)
            done.touch()
    return site


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Serve the site on a free localhost port for the duration of the session."""
    with serve(site_dir) as url:
        yield url


@dataclass(frozen=True)
class Mini:
    """The throwaway notebook's known content: what its page must show."""

    chart_title: str
    chart_csv: str
    chart_width: int  # display width (CSS px); the PNG has twice as many pixels
    table_rows: list[list[str]]  # header first, as the table shows it (no 0, 1, 2 index column)
    sections: list[str]  # the level-2 and level-3 headings, in order


def mini_notebook(folder: Path) -> Mini:
    """Write ``folder/01_mini.ipynb`` with outputs made here (no kernel): chart, table, sections, code."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import pandas as pd

    from helpers import plots

    plots.set_style()
    frame = pd.DataFrame({"unit": ["Almaty city", "Turkestan Region"], "turnout_pct": [33.30, 80.66]})
    _, ax = plt.subplots(figsize=(4, 2))
    ax.barh(frame["unit"], frame["turnout_pct"], color=plots.YES)
    title = "Almaty city lowest, Turkestan highest at 22:00"
    chart = plots.finish(ax, title=title, source="turnout_timeline (test)", data=frame,
                         xlabel="ballots received (% of registered voters)",
                         units={"turnout_pct": "% of registered voters"})
    bundle, metadata = chart._repr_mimebundle_()
    table = pd.DataFrame({"unit": ["Almaty city", "Nur-Sultan"], "took part": ["33.04", "not published"]})
    sections = ["Which unit turned out least?", "How do the two cities compare?", "A closer look at Almaty"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Who voted least, and where?"),
        nbformat.v4.new_markdown_cell("## In short\n\n- Almaty city had the lowest turnout: 33.30 %."),
        nbformat.v4.new_code_cell("REPORT_HOUR = 22", metadata={"tags": ["parameters"]}, execution_count=1),
        nbformat.v4.new_markdown_cell(f"## {sections[0]}\n\nAt 22:00 the lowest share was in Almaty city."),
        nbformat.v4.new_code_cell(
            "plots.finish(ax, title=title, source=source, data=frame)",
            execution_count=2,
            metadata={"tags": ["key-figure"]},
            outputs=[nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)],
        ),
        nbformat.v4.new_markdown_cell(f"## {sections[1]}\n\nNur-Sultan's count was not published."),
        nbformat.v4.new_code_cell(
            "table",
            execution_count=3,
            outputs=[nbformat.v4.new_output("execute_result", execution_count=3, data={
                "text/html": table._repr_html_(), "text/plain": repr(table)})],
        ),
        nbformat.v4.new_markdown_cell(f"### {sections[2]}\n\nA sub-part of the second section."),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01_mini.ipynb")
    return Mini(title, chart.csv, chart.size[0], [list(table.columns), *table.values.tolist()], sections)


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mini, Path]:
    """The throwaway notebook and its site (rendered with the repository's data and CITATION.cff)."""
    work = tmp_path_factory.mktemp("mini")
    (work / "notebooks").mkdir()
    known = mini_notebook(work / "notebooks")
    (work / "README.md").write_text("# Mini site\n\nA test.\n\n## Findings\n\n- Almaty: 33.30 %\n", encoding="utf-8")
    site = build_site(work / "_site", "--notebooks", str(work / "notebooks"), "--readme", str(work / "README.md"))
    return known, site


@pytest.fixture(scope="session")
def mini_url(mini: tuple[Mini, Path]) -> Iterator[str]:
    """Serve the throwaway site."""
    with serve(mini[1]) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; missing it fails under CI (env CI set) and skips locally."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
