"""Execute notebooks in fresh kernels and normalise them so that a rerun is byte-identical.

Used by ``scripts/build_site.py``. Each notebook runs in its own kernel (nbclient) with the
notebooks folder as working directory; a pool of worker processes runs several notebooks at once.
A notebook is written back only when every cell ran without error, and only if its bytes changed.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
# language_info keys that do not depend on the exact interpreter build (its "version" does).
LANGUAGE_INFO_KEYS = (
    "codemirror_mode",
    "file_extension",
    "mimetype",
    "name",
    "nbconvert_exporter",
    "pygments_lexer",
)
VOLATILE_NB_METADATA = ("widgets", "papermill", "execution", "toc-autonumbering", "varInspector")
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "papermill", "scrolled")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MEMORY_ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]{6,}>")
STYLER_UUID_RE = re.compile(r"#T_[0-9a-f]{5}_")


@dataclass
class RunResult:
    """Outcome of executing one notebook."""

    path: Path
    ok: bool
    text: str = ""  # normalised notebook JSON when ok
    error: str = ""  # human-readable failure report when not ok
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    digest: str = ""  # sha256 of the file as read before the run


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback."""
    return ANSI_RE.sub("", text)


def coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Merge consecutive stream outputs of the same name (their split depends on timing)."""
    merged: list[Any] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    for output in merged:
        if output.get("output_type") == "stream":
            # a carriage return overwrites the line in a terminal; keep only what the reader sees
            output["text"] = re.sub(r"[^\n]*\r(?!\n)", "", output["text"])
    return merged


def clean_output(output: Any) -> Any:
    """Drop widget views (their model ids are random) and transient fields from one output."""
    data = output.get("data")
    if data is not None and WIDGET_VIEW in data:
        del data[WIDGET_VIEW]
        if not data:
            data["text/plain"] = "(interactive widget)"
    output.pop("transient", None)
    return output


def normalise_notebook(nb: Any) -> Any:
    """Strip volatile metadata in place and return the notebook.

    Keeps cell ids (filling missing ones by position), tags, execution counts and outputs; drops
    timing, widget state, interpreter version and anything else that changes between runs.
    """
    nb.nbformat, nb.nbformat_minor = 4, max(5, int(nb.get("nbformat_minor", 5)))
    meta = nb.metadata
    for key in VOLATILE_NB_METADATA:
        meta.pop(key, None)
    meta["kernelspec"] = dict(KERNELSPEC)
    info = meta.get("language_info", {})
    meta["language_info"] = {k: info[k] for k in LANGUAGE_INFO_KEYS if k in info} or {"name": "python"}
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            cell_id = f"cell-{index:03d}"
        cell["id"] = cell_id
        seen.add(cell_id)
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = [clean_output(o) for o in coalesce_streams(cell.outputs)]
    return nb


def volatility_warnings(nb: Any, name: str) -> list[str]:
    """Point at outputs that will differ between runs or fail nbval (addresses, stderr, Styler ids)."""
    found: list[str] = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                first = output["text"].strip().splitlines()[:1]
                found.append(f"{name} cell {index}: writes to stderr ({first[0] if first else ''!s})")
            text = output.get("data", {}).get("text/plain", "")
            if MEMORY_ADDRESS_RE.search(text):
                found.append(f"{name} cell {index}: output shows a memory address (end the line with ';')")
            if STYLER_UUID_RE.search(output.get("data", {}).get("text/html", "")):
                found.append(f"{name} cell {index}: pandas Styler with a random uuid (use .set_uuid())")
    return found


def iter_cells_with_images(nb: Any) -> Iterator[tuple[int, Any]]:
    """Yield (cell index, output) for every output carrying a PNG image."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.outputs:
                if "image/png" in output.get("data", {}):
                    yield index, output


def format_failure(path: Path, nb: Any, index: int | None, exc: BaseException) -> str:
    """Name the notebook, the cell (1-based position and execution count) and the error."""
    where = f"{path.name}"
    if index is not None:
        cell = nb.cells[index]
        count = cell.get("execution_count")
        where += f", cell {index + 1}" + (f" (In [{count}])" if count else "")
        if not isinstance(exc, CellExecutionError):  # nbclient's message already quotes the source
            source = "\n".join("    " + line for line in cell.source.splitlines()[:8])
            where += f"\n  source:\n{source}"
    return f"{where}\n  error:\n{strip_ansi(str(exc)).strip()}"


def execute_notebook(path: Path, timeout: int) -> RunResult:
    """Run one notebook top to bottom in a fresh kernel; never raises for notebook errors."""
    started = time.perf_counter()
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    # CurveZMQ encryption of the local kernel channels (the kernel warns on stderr without it)
    config = Config()
    config.KernelManager.transport_encryption = "auto" if zmq.has("curve") else "disabled"
    client = NotebookClient(
        nb,
        config=config,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
    )
    index: int | None = None
    try:
        with client.setup_kernel():
            assert client.kc is not None
            info = client.wait_for_reply(client.kc.kernel_info())
            if info is not None:
                nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
    except Exception as exc:  # a cell error, timeout, dead kernel, or a kernel that failed to start
        failure = format_failure(path, nb, index, exc)
        return RunResult(path, ok=False, error=failure, seconds=time.perf_counter() - started, digest=digest)
    normalise_notebook(nb)
    return RunResult(
        path,
        ok=True,
        text=notebook_text(nb),
        warnings=volatility_warnings(nb, path.name),
        seconds=time.perf_counter() - started,
        digest=digest,
    )


def notebook_text(nb: Any) -> str:
    """Serialise a notebook the one way nbformat does (sorted keys, indent 1, trailing newline)."""
    return str(nbformat.writes(nb, version=4)) + "\n"


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes ("" if it is gone)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def write_if_changed(path: Path, text: str) -> bool:
    """Write text to path only if it differs from the current bytes; return whether it changed."""
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def run_all(paths: Iterable[Path], jobs: int, timeout: int) -> Iterator[RunResult]:
    """Execute notebooks on ``jobs`` worker processes, yielding results as they finish.

    Notebooks are submitted one at a time as workers free up, largest file first (a fair proxy
    for run time: it keeps both cores busy until the end). After the first failure nothing new
    is started; notebooks already running are allowed to finish.
    """
    queue = sorted(paths, key=lambda p: (-p.stat().st_size, p.name))
    running: set[Future[RunResult]] = set()
    failed = False
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        while queue or running:
            while queue and not failed and len(running) < max(1, jobs):
                running.add(pool.submit(execute_notebook, queue.pop(0), timeout))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: f.result().path.name):
                result = future.result()
                failed = failed or not result.ok
                yield result
