"""Write environment.yml (conda / Binder) from requirements.lock, the one source of truth for versions.

``python scripts/sync_environment.py`` rewrites the file; ``--check`` only compares and exits 1 when the
two disagree (the test suite runs that).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
ENVIRONMENT = ROOT / "environment.yml"
PYTHON_VERSION = "3.11"
HEADER = """\
# Generated from requirements.lock by scripts/sync_environment.py: do not edit by hand.
# Conda/Binder route: `conda env create -f environment.yml`. The other route is `make env` (uv, or pip).
# Both install exactly the versions pinned in requirements.lock.
name: kz-referendum-2022
channels:
  - conda-forge
dependencies:
  - python={python}
  - pip={pip}
  - pip:
"""


def locked_requirements(lock: Path = LOCK) -> list[str]:
    """The ``name==version`` lines of the lock file, without comments or blanks."""
    lines = [line.split("#", 1)[0].strip() for line in lock.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def render_environment(requirements: list[str]) -> str:
    """The environment.yml text for these pinned requirements (plus the project itself, editable).

    pip itself is pinned as a conda package (conda installs it before running the pip section).
    """
    pip = next((req.partition("==")[2] for req in requirements if req.lower().startswith("pip==")), "")
    body = "".join(f"      - {req}\n" for req in requirements if not req.lower().startswith("pip=="))
    return HEADER.format(python=PYTHON_VERSION, pip=pip).replace("pip=\n", "pip\n") + body + "      - -e .\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if out of date")
    args = parser.parse_args(argv)
    wanted = render_environment(locked_requirements())
    if args.check:
        current = ENVIRONMENT.read_text(encoding="utf-8") if ENVIRONMENT.exists() else ""
        if current != wanted:
            print("environment.yml is out of date with requirements.lock: run scripts/sync_environment.py")
            return 1
        return 0
    ENVIRONMENT.write_text(wanted, encoding="utf-8")
    print(f"wrote {ENVIRONMENT.name} ({len(wanted.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
