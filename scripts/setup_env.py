"""Create or update the virtual environment from requirements.lock: with uv (seconds), else with pip.

    python3 scripts/setup_env.py                      # what `make env` runs: .venv from the lock
    python3 scripts/setup_env.py --installer pip      # the pip route, e.g. where uv cannot be had
    python3 scripts/setup_env.py --venv DIR --tools DIR --installer uv   # elsewhere (bench/bench.py)

Both routes install exactly the pins of requirements.lock and then the project itself (editable, no
dependencies), and remove anything installed that the lock does not list, so the environment equals
the lock either way (tests/test_environment.py checks it).

uv comes from PyPI at the pinned UV_VERSION. A ``uv`` of that version on PATH is used as is; otherwise
it is installed once into a small tool environment outside the repository (``--tools``, default
``~/.cache/kz-referendum-2022/uv-UV_VERSION``; a fresh CI machine does this too). If uv cannot be had
(no wheel for the platform, no network to PyPI, no venv module), the pip route runs instead and says so.
Standard library only: it runs with the system Python before any environment exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
UV_VERSION = "0.13.9"
DEFAULT_TOOLS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kz-referendum-2022"
PROJECT = "kz-referendum-2022"
MINIMUM_PYTHON = (3, 11)


class SetupError(Exception):
    """A step failed; the message says which and why."""


def normalise(name: str) -> str:
    """A distribution name as pip and uv compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_names(lock: Path = LOCK) -> set[str]:
    """Normalised names pinned in the lock."""
    lines = [line.split("#", 1)[0].strip() for line in lock.read_text(encoding="utf-8").splitlines()]
    return {normalise(line.partition("==")[0]) for line in lines if line}


def run(cmd: list[str | Path], env: dict[str, str] | None = None) -> str:
    """Run a command; return its stdout; raise SetupError with its output when it fails."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        shown = " ".join(str(c) for c in cmd)
        raise SetupError(f"`{shown}` failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return proc.stdout


def uv_version(uv: Path | str) -> str:
    """The version a uv binary reports ("" if it does not run)."""
    try:
        out = subprocess.run([str(uv), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    words = out.stdout.split()
    return words[1] if out.returncode == 0 and len(words) > 1 else ""


def find_or_install_uv(tools: Path) -> Path:
    """The pinned uv: from PATH, from the tool environment, or installed there from PyPI now."""
    on_path = shutil.which("uv")
    if on_path and uv_version(on_path) == UV_VERSION:
        return Path(on_path)
    home = tools / f"uv-{UV_VERSION}"
    uv = home / "bin" / "uv"
    if uv_version(uv) == UV_VERSION:
        return uv
    print(f"installing uv {UV_VERSION} from PyPI into {home} (once per machine)", flush=True)
    shutil.rmtree(home, ignore_errors=True)
    home.parent.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "venv", home])
    run([home / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"uv=={UV_VERSION}"])
    if uv_version(uv) != UV_VERSION:
        raise SetupError(f"{uv} does not report version {UV_VERSION} after installing it")
    return uv


def installed(python: Path) -> dict[str, str]:
    """Normalised name -> version of what is installed in the environment of ``python``."""
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    return {normalise(name): version for name, version in json.loads(run([python, "-c", code])).items()}


def with_uv(uv: Path, venv: Path) -> None:
    """uv route: create the venv if needed, make it equal the lock plus the project (``uv pip sync``)."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(venv)}
    python = venv / "bin/python"
    if not python.exists():
        run([uv, "venv", "--quiet", "--python", sys.executable, venv], env)
    # first the pins (a no-op when they are installed): the project is built with the locked setuptools
    run([uv, "pip", "install", "--quiet", "--python", python, "-r", LOCK], env)
    with tempfile.TemporaryDirectory() as tmp:  # then exactly the lock plus the project, nothing reinstalled
        project = Path(tmp) / "project.txt"
        project.write_text(f"-e {ROOT}\n", encoding="utf-8")
        run([uv, "pip", "sync", "--quiet", "--python", python, "--no-build-isolation", LOCK, project], env)


def with_pip(venv: Path) -> None:
    """pip route: create the venv if needed, install the lock and the project, remove what the lock lacks."""
    python = venv / "bin/python"
    if not python.exists():
        run([sys.executable, "-m", "venv", venv])
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check"]
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False).returncode != 0:
        run([python, "-m", "ensurepip", "--default-pip"])  # a venv made by uv has pip only once synced
    run([*pip, "install", "--quiet", "-r", LOCK])
    extra = sorted(set(installed(python)) - locked_names() - {PROJECT})
    if extra:
        run([*pip, "uninstall", "--quiet", "--yes", *extra])
    run([*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ROOT])


def main(argv: list[str] | None = None) -> int:
    """Set up the environment; exit 1 with the reason if neither route works."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="environment folder (default .venv)")
    parser.add_argument("--installer", choices=("auto", "uv", "pip"), default="auto", help="default: uv, else pip")
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS, help="where uv is installed if not on PATH")
    args = parser.parse_args(argv)
    if sys.version_info < MINIMUM_PYTHON:
        print(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})", file=sys.stderr)
        return 1
    started = time.perf_counter()
    route = "pip"
    try:
        if args.installer != "pip":
            try:
                uv = find_or_install_uv(args.tools)
                with_uv(uv, args.venv)
                route = f"uv {UV_VERSION}"
            except SetupError as exc:
                if args.installer == "uv":
                    raise
                print(f"uv could not be used, installing with pip instead:\n{exc}", flush=True)
                with_pip(args.venv)
        else:
            with_pip(args.venv)
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"environment {args.venv.name}/ matches requirements.lock ({route}, {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
