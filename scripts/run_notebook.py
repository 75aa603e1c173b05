"""Execute one or more notebooks in a fresh kernel and write the normalised result back (as the main job does).

    .venv/bin/python scripts/run_notebook.py notebooks/02_turnout.ipynb [more.ipynb ...]

Stops at the first failure with the notebook, the cell and the error; a failed notebook is not written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_execute import execute_notebook, write_if_changed


def main(argv: list[str] | None = None) -> int:
    """Run each notebook named on the command line; exit 1 on the first failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        result = execute_notebook(path, args.timeout)
        if not result.ok:
            print(result.error, file=sys.stderr)
            return 1
        changed = write_if_changed(path, result.text)
        print(f"{path.name}: ran in {result.seconds:.1f} s, {'written' if changed else 'unchanged'}")
        for warning in result.warnings:
            print(f"  warning: {warning}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
