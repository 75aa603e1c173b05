"""Run a notebook with other parameter values (papermill) under the main job's watchdog.

Tests that execute notebooks with papermill call ``run_with_parameters`` instead of
``papermill.execute_notebook`` directly, so every batch run has the same bounds as the main job and
nbval (sitebuild/execute.py): a stuck cell fails after CELL_TIMEOUT seconds, naming the cell,
instead of after nbclient's 600 s or never.

Several runs of the notebooks of one folder may share one kernel (``shared_kernel``): each run then starts
from an empty namespace, as after editing the parameters cell and choosing "Run All", and costs its own cells,
not a kernel's start and the imports again (about 4 s a run on the 2-core machine).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitebuild.execute import CELL_TIMEOUT, IOPUB_TIMEOUT, KERNEL_NAME, STARTUP_TIMEOUT

PAPERMILL_OPTIONS: dict[str, Any] = {
    "kernel_name": KERNEL_NAME,
    "execution_timeout": CELL_TIMEOUT,  # papermill passes it to nbclient as the per-cell timeout
    "start_timeout": STARTUP_TIMEOUT,
    "iopub_timeout": IOPUB_TIMEOUT,  # passed through to nbclient, like the main job's
    "raise_on_iopub_timeout": True,
    "progress_bar": False,
    "log_output": False,
}
# what a shared kernel runs before each notebook: no name or figure of the last run is left (the modules stay
# imported: that is the saving; each notebook sets the house style and its options again in its first cell), and
# every warning is shown each time (a warning already shown in an earlier run would otherwise stay silent)
FRESH_NAMESPACE = (
    "import matplotlib.pyplot\nmatplotlib.pyplot.close('all')\nimport warnings\nwarnings.simplefilter('always')\n"
    "get_ipython().run_line_magic('reset', '-f')"
)


@contextlib.contextmanager
def shared_kernel(folder: Path) -> Iterator[Any]:
    """A kernel started in ``folder`` for several ``run_with_parameters`` calls; shut down on leaving.

    An asynchronous manager, as nbclient makes for itself: with a blocking one, nbclient's wait for a cell's output
    blocks its event loop, and a cell over its time bound would hang the run instead of failing it.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
    run_sync(manager.start_kernel)(cwd=str(folder))
    try:
        yield manager
    finally:
        run_sync(manager.shutdown_kernel)(now=True)


def empty_namespace(kernel: Any) -> None:
    """Forget every name the kernel's last notebook defined, and close its figures."""
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel.get_connection_info())
    client.start_channels()
    try:
        client.wait_for_ready(timeout=STARTUP_TIMEOUT)
        reply = client.execute_interactive(FRESH_NAMESPACE, store_history=False, timeout=CELL_TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the shared kernel could not be emptied: {reply['content']}")
    finally:
        client.stop_channels()


def run_with_parameters(
    notebook: Path, output: Path, parameters: dict[str, Any], cell_timeout: int = CELL_TIMEOUT,
    kernel: Any | None = None,
) -> Any:
    """Execute ``notebook`` with ``parameters`` injected, in the notebook's folder; return the result.

    With ``kernel`` (from ``shared_kernel``, whose working folder is the one the notebooks read their data from)
    the run uses that kernel, emptied first; without, a new kernel of its own. Raises papermill's
    PapermillExecutionError naming the failing cell on any error, and nbclient's CellTimeoutError when a cell runs
    longer than ``cell_timeout`` seconds (a shared kernel is then restarted, so the next run does not wait on it).
    """
    import papermill  # imported here: only the tests that run notebooks pay for it

    options = {**PAPERMILL_OPTIONS, "execution_timeout": cell_timeout}
    if kernel is not None:
        empty_namespace(kernel)
        options["km"] = kernel
    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, cwd=str(notebook.parent), **options
        )
    except papermill.PapermillExecutionError:
        raise  # a cell raised: the kernel is idle again
    except BaseException:
        if kernel is not None:  # timed out (still busy) or died: every later run of the file would fail on it
            from jupyter_core.utils import run_sync

            run_sync(kernel.restart_kernel)(now=True)
        raise
