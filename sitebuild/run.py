"""Execute one or more notebooks in a fresh kernel and write the normalised result back (as the main job does).

    .venv/bin/python -m sitebuild.run notebooks/02_turnout.ipynb [more.ipynb ...]
    .venv/bin/python scripts/run_notebook.py notebooks/02_turnout.ipynb   # the same, from any folder

Always executes (whatever notebooks/digests.json says), under the main job's watchdog (60 s per cell),
and records the notebook's input digests so that the next `make` does not execute it again. Stops at
the first failure with the notebook, the cell and the error; a failed notebook is not written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitebuild import digests
from sitebuild.execute import CELL_TIMEOUT, execute_notebook, file_digest, write_if_changed


def main(argv: list[str] | None = None) -> int:
    """Run each notebook named on the command line; exit 1 on the first failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT, help=f"seconds allowed per cell (default {CELL_TIMEOUT})"
    )
    args = parser.parse_args(argv)
    shared = digests.shared_inputs()
    for path in args.notebooks:
        inputs = digests.inputs_of(path, shared)
        result = execute_notebook(path, args.timeout)
        if not result.ok:
            print(result.error, file=sys.stderr)
            return 1
        if file_digest(path) != result.digest:
            print(f"{path.name}: NOT written back: the file was saved by someone else during the run")
            continue
        changed = write_if_changed(path, result.text)
        digests.update_records(path.parent, {path.name: digests.record_for(inputs, result.text)})
        number, seconds = result.slowest_cell
        print(
            f"{path.name}: ran in {result.seconds:.1f} s (slowest cell {number}: {seconds:.1f} s), "
            f"{'written' if changed else 'unchanged'}"
        )
        for warning in result.warnings:
            print(f"  warning: {warning}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
