"""Run a notebook with other parameter values (papermill) under the main job's watchdog.

Tests that execute notebooks with papermill call ``run_with_parameters`` instead of
``papermill.execute_notebook`` directly, so every batch run has the same bounds as the main job and
nbval (sitebuild/execute.py): a stuck cell fails after CELL_TIMEOUT seconds, naming the cell,
instead of after nbclient's 600 s or never.
"""

from __future__ import annotations

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


def run_with_parameters(
    notebook: Path, output: Path, parameters: dict[str, Any], cell_timeout: int = CELL_TIMEOUT
) -> Any:
    """Execute ``notebook`` with ``parameters`` injected, in the notebook's folder; return the result.

    Raises papermill's PapermillExecutionError naming the failing cell on any error, and nbclient's
    CellTimeoutError when a cell runs longer than ``cell_timeout`` seconds.
    """
    import papermill  # imported here: only the tests that run notebooks pay for it

    options = {**PAPERMILL_OPTIONS, "execution_timeout": cell_timeout}
    return papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, cwd=str(notebook.parent), **options
    )
