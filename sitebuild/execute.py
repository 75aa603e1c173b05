"""Execute notebooks in fresh kernels, under a watchdog, and normalise them so that a rerun is byte-identical.

Used by ``python -m sitebuild`` (the main job, sitebuild/build.py) and ``python -m sitebuild.run``.
Each notebook runs in its own worker process and kernel (nbclient) with the notebooks folder as
working directory; up to ``jobs`` notebooks run at once. A notebook is written back only when every
cell ran without error, and only if its bytes changed.

No run can hang. Three bounds, each failing with the notebook, the cell and what was awaited:
  * nbclient's own timeouts: a kernel must start in STARTUP_TIMEOUT s; a cell must send its reply within
    CELL_TIMEOUT s, and the rest of its output within IOPUB_TIMEOUT s after that;
  * batch runs create no widget comms: a cell that opens one (ipywidgets, ``interact``) fails at once,
    because an open widget comm is what blocked nbclient for ten minutes (issue 10);
  * a backstop in the parent: a worker that reports no progress for STALL_TIMEOUT s (nbclient itself
    stuck) is killed, with its kernel, by process id.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue as queue_module
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from traitlets.config import Config

KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}

# The watchdog's bounds, chosen from measured times (`make bench` prints the slowest cell of its run).
# On the project's 2-core machine (2026-12-01) the slowest cell of any notebook took 1.2-1.5 s when the
# machine was quiet and 2.5 s when it was busy (an imports cell), a whole notebook 3-10 s, and a kernel
# answered in 0.5-0.9 s. 60 s per cell is 24 times the slowest cell seen on a busy machine,
# so no honest cell comes near it, while a stuck cell fails ten times sooner than nbclient's default
# (600 s) and 33 times sooner than nbval's (2000 s). The same bound is given to nbval (pyproject.toml and
# the Makefile, --nbval-cell-timeout) and to papermill (tests/notebook_runs.py, execution_timeout);
# tests/test_environment.py checks that they agree.
CELL_TIMEOUT = 60  # s from sending a cell to the kernel's execute_reply
STARTUP_TIMEOUT = 60  # s for a new kernel to answer
IOPUB_TIMEOUT = 10  # s after the reply for the rest of the cell's output (its final "idle" status)
STALL_TIMEOUT = CELL_TIMEOUT + IOPUB_TIMEOUT + 20  # s without progress before the parent kills a worker

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

Progress = Callable[[int, int | None], None]  # (cell index or -1 while starting, kernel pid)


@dataclass
class RunResult:
    """Outcome of executing one notebook."""

    path: Path
    ok: bool
    text: str = ""  # normalised notebook JSON when ok
    error: str = ""  # human-readable failure report when not ok
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the whole run, kernel start and shutdown included
    digest: str = ""  # sha256 of the file as read before the run
    kernel_start: float = 0.0  # s until the kernel answered
    cell_seconds: float = 0.0  # s spent in the cells (the notebook's own kernel time)
    slowest_cell: tuple[int, float] = (0, 0.0)  # (1-based cell position, seconds)


class WidgetCommError(RuntimeError):
    """A cell opened a comm (a widget) during a batch run."""


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


class BatchClient(NotebookClient):
    """nbclient for batch runs: refuses widget comms and remembers the kernel's last message."""

    def __init__(self, nb: Any, **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.last_message = ("none", time.monotonic())
        self.kernel_state = "not heard from"

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        """Note what the kernel said and when, then handle the message as nbclient does."""
        state = msg.get("content", {}).get("execution_state")
        if state:
            self.kernel_state = str(state)
        self.last_message = (f"'{msg['msg_type']}'" + (f" ({state})" if state else ""), time.monotonic())
        return super().process_message(msg, cell, cell_index)

    def kernel_report(self) -> str:
        """The kernel's state as this client last heard it, e.g. for a timeout."""
        last, when = self.last_message
        state = {
            "busy": "busy (still running the cell)",
            "idle": "idle (done with the cell, yet its reply never came)",
        }.get(self.kernel_state, self.kernel_state)
        return f"the kernel was {state}; its last message, {last}, came {time.monotonic() - when:.0f} s earlier"

    def handle_comm_msg(self, outs: list[Any], msg: dict[str, Any], cell_index: int) -> None:
        """Fail the cell on the first comm the kernel opens: batch runs create no widgets."""
        if msg["msg_type"] == "comm_open":
            target = msg.get("content", {}).get("target_name", "?")
            raise WidgetCommError(
                f"the cell opened a comm (target {target!r}, e.g. an ipywidgets widget or interact): batch runs "
                "create no widgets; let readers explore through the parameters cell instead"
            )
        super().handle_comm_msg(outs, msg, cell_index)


def describe_wait(client: BatchClient, exc: BaseException, timeout: int) -> str:
    """What the run was waiting for when ``exc`` stopped it (timeouts, a dead kernel, a widget)."""
    heard = client.kernel_report()
    if isinstance(exc, CellTimeoutError) and "IOPub" in str(exc):
        return (
            f"timed out: the kernel replied, but the cell's output did not end within {IOPUB_TIMEOUT} s "
            f"(waiting for its 'idle' status on IOPub); {heard}"
        )
    if isinstance(exc, CellTimeoutError):
        return f"timed out: no reply from the kernel within {timeout} s (waiting for the cell's execute_reply); {heard}"
    if isinstance(exc, DeadKernelError):
        return f"the kernel died while running the cell; {heard}"
    if isinstance(exc, WidgetCommError):
        return str(exc)
    return strip_ansi(str(exc)).strip()


def format_failure(path: Path, nb: Any, index: int | None, what: str, quote_source: bool = True) -> str:
    """Name the notebook, the cell (1-based position and execution count) and what went wrong."""
    where = f"{path.name}"
    if index is not None:
        cell = nb.cells[index]
        count = cell.get("execution_count")
        where += f", cell {index + 1}" + (f" (In [{count}])" if count else "")
        if quote_source:  # nbclient's CellExecutionError already quotes the source
            source = "\n".join("    " + line for line in cell.source.splitlines()[:8])
            where += f"\n  source:\n{source}"
    return f"{where}\n  error:\n{what}"


def kernel_pid(client: NotebookClient) -> int | None:
    """Process id of the client's kernel (None if it has none yet)."""
    provisioner = getattr(client.km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    return pid if isinstance(pid, int) else None


def execute_notebook(path: Path, timeout: int = CELL_TIMEOUT, progress: Progress | None = None) -> RunResult:
    """Run one notebook top to bottom in a fresh kernel; never raises for notebook errors.

    ``progress(cell_index, kernel_pid)`` is called once the kernel is up (index -1) and before each
    code cell: the parent's watchdog counts those calls as signs of life.
    """
    started = time.perf_counter()
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    # CurveZMQ encryption of the local kernel channels (the kernel warns on stderr without it)
    config = Config()
    config.KernelManager.transport_encryption = "auto" if zmq.has("curve") else "disabled"
    client = BatchClient(
        nb,
        config=config,
        timeout=timeout,
        startup_timeout=STARTUP_TIMEOUT,
        iopub_timeout=IOPUB_TIMEOUT,
        raise_on_iopub_timeout=True,
        shutdown_kernel="immediate",
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        allow_errors=False,
    )
    index: int | None = None
    kernel_start = 0.0
    cell_times: list[tuple[int, float]] = []
    try:
        with client.setup_kernel():
            assert client.kc is not None
            info = client.wait_for_reply(client.kc.kernel_info())
            if info is not None:
                nb.metadata["language_info"] = info["content"]["language_info"]
            kernel_start = time.perf_counter() - started
            if progress:
                progress(-1, kernel_pid(client))
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if progress:
                    progress(index, kernel_pid(client))
                cell_started = time.perf_counter()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                cell_times.append((index + 1, time.perf_counter() - cell_started))
    except Exception as exc:  # a cell error, timeout, dead kernel, widget, or a kernel that failed to start
        if index is None:
            what = f"the kernel did not start (waiting up to {STARTUP_TIMEOUT} s for it to answer): {exc}"
        else:
            what = describe_wait(client, exc, timeout)
        failure = format_failure(path, nb, index, what, quote_source=not isinstance(exc, CellExecutionError))
        return RunResult(path, ok=False, error=failure, seconds=time.perf_counter() - started, digest=digest)
    normalise_notebook(nb)
    return RunResult(
        path,
        ok=True,
        text=notebook_text(nb),
        warnings=volatility_warnings(nb, path.name),
        seconds=time.perf_counter() - started,
        digest=digest,
        kernel_start=kernel_start,
        cell_seconds=sum(seconds for _, seconds in cell_times),
        slowest_cell=max(cell_times, key=lambda item: item[1], default=(0, 0.0)),
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


def _work(path: Path, timeout: int, messages: Any) -> None:
    """Worker process: run one notebook, reporting progress and then the result on ``messages``."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers
    key = str(path)
    try:
        result = execute_notebook(path, timeout, lambda index, pid: messages.put(("progress", key, index, pid)))
    except BaseException as exc:  # anything nbclient let through: still report, never leave the parent waiting
        result = RunResult(path, ok=False, error=f"{path.name}\n  error:\n{type(exc).__name__}: {exc}")
    messages.put(("result", key, result))


@dataclass
class _Worker:
    """One running notebook, as the parent sees it."""

    path: Path
    process: Any  # multiprocessing.Process
    last_progress: float
    cell: int = -2  # -2 before the kernel is up, -1 kernel up, else the 0-based cell index
    kernel: int | None = None
    died_at: float | None = None

    def doing(self) -> str:
        """What the worker was doing when last heard of."""
        if self.cell == -2:
            return "starting the kernel"
        if self.cell == -1:
            return "before the first code cell"
        return f"running cell {self.cell + 1}"

    def kill(self) -> None:
        """End the worker and its kernel (the kernel runs in its own session: end its process group)."""
        if self.process.is_alive():
            self.process.kill()
        if self.kernel is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.kernel, signal.SIGKILL)
        self.process.join(timeout=5)


def _raise_system_exit(signum: int, frame: FrameType | None) -> None:
    """SIGTERM in the parent: unwind, so that ``run_all`` ends its workers and kernels."""
    raise SystemExit(128 + signum)


def run_all(
    paths: Iterable[Path], jobs: int, timeout: int = CELL_TIMEOUT, stall: float = STALL_TIMEOUT
) -> Iterator[RunResult]:
    """Execute notebooks on up to ``jobs`` worker processes, yielding results as they finish.

    Notebooks start largest file first (a fair proxy for run time: it keeps both cores busy until the
    end). After the first failure nothing new is started; notebooks already running may finish. A
    worker that reports no progress for ``stall`` seconds, or dies, yields a failure naming the
    notebook and the cell, and is ended with its kernel.
    """
    # fork where it is safe and cheap (Linux: the worker inherits the imports); spawn elsewhere (macOS)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    messages: Any = context.Queue()
    waiting = sorted(paths, key=lambda p: (-p.stat().st_size, p.name))
    running: dict[str, _Worker] = {}
    failed = False
    previous = signal.getsignal(signal.SIGTERM)
    in_main = threading.current_thread() is threading.main_thread()  # only there may signals be handled
    if in_main:
        signal.signal(signal.SIGTERM, _raise_system_exit)
    try:
        while waiting or running:
            while waiting and not failed and len(running) < max(1, jobs):
                path = waiting.pop(0)
                process = context.Process(target=_work, args=(path, timeout, messages), daemon=True)
                process.start()
                running[str(path)] = _Worker(path, process, time.monotonic())
            if not running:
                break
            for result in _receive(messages, running, stall):
                failed = failed or not result.ok
                yield result
    finally:
        for worker in running.values():
            worker.kill()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _receive(messages: Any, running: dict[str, _Worker], stall: float) -> list[RunResult]:
    """Read what the workers sent for up to a second; return finished, hung or dead workers' results."""
    finished: list[RunResult] = []
    timeout: float | None = 1.0
    while True:
        try:
            message = messages.get(timeout=timeout) if timeout else messages.get_nowait()
        except queue_module.Empty:
            break
        timeout = None
        kind, key = message[0], message[1]
        worker = running.get(key)
        if worker is None:
            continue
        if kind == "progress":
            worker.last_progress, worker.cell, worker.kernel = time.monotonic(), message[2], message[3]
        elif kind == "result":
            worker.process.join(timeout=10)
            del running[key]
            finished.append(message[2])
    now = time.monotonic()
    for key, worker in list(running.items()):
        problem = ""
        if now - worker.last_progress > stall:
            problem = (
                f"no progress for {stall:.0f} s while {worker.doing()}: the executor stopped responding "
                "(nbclient's own timeouts did not fire); worker and kernel were killed"
            )
        elif not worker.process.is_alive():
            worker.died_at = worker.died_at or now
            if now - worker.died_at > 5:  # its last message had time to arrive
                problem = f"the worker process died (exit code {worker.process.exitcode}) while {worker.doing()}"
        if problem:
            worker.kill()
            del running[key]
            finished.append(RunResult(worker.path, ok=False, error=f"{worker.path.name}\n  error:\n{problem}"))
    return finished
