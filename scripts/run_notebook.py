"""Execute notebooks the main job's way: ``python -m sitebuild.run`` under its older name (see sitebuild/run.py).

    .venv/bin/python scripts/run_notebook.py notebooks/02_turnout.ipynb [more.ipynb ...]

The pipeline is the ``sitebuild`` package at the repository root; this runs its ``run`` stage there, with
the same interpreter, the notebook paths made absolute and the exit code passed on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    """Run ``python -m sitebuild.run`` from the repository root on the given arguments."""
    args = [str(Path(arg).resolve()) if arg.endswith(".ipynb") else arg for arg in argv]
    return subprocess.call([sys.executable, "-m", "sitebuild.run", *args], cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
