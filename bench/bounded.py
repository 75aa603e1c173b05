"""Shared by bench/bench.py and bench/soak.py: commands with a deadline, and a copy of the project to run on.

A run that exceeds its deadline is ended with everything it started (the job's kernels run in their
own sessions, so they are found by parent pid beforehand and ended by pid), and reported as hung.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# what a fresh clone holds besides git's files, never copied: environments, caches, built sites
SKIP_PARTS = {".git", ".venv", "_site", "_artifacts", ".pytest_cache", ".ruff_cache", ".mypy_cache", "__pycache__"}


class RunFailed(Exception):
    """A bounded run failed or hung; ``hung`` tells which."""

    def __init__(self, message: str, hung: bool) -> None:
        super().__init__(message)
        self.hung = hung


@dataclass
class Finished:
    """A run that exited 0."""

    seconds: float
    stdout: str


def end_tree(proc: subprocess.Popen[str]) -> None:
    """End a process and all its descendants (found before anything is signalled), by pid."""
    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for process in tree:
        try:
            process.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(tree, timeout=10)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(alive, timeout=5)


def run_bounded(
    cmd: list[str],
    cwd: Path,
    deadline: float,
    env: dict[str, str] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Finished:
    """Run ``cmd``; return its time and stdout; raise RunFailed on a non-zero exit or past ``deadline`` s."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    if on_start:
        on_start(proc.pid)
    try:
        stdout, stderr = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        end_tree(proc)
        stdout, stderr = proc.communicate()
        tail = (stdout + stderr)[-1500:]
        raise RunFailed(f"`{' '.join(cmd[:4])} ...` hung: no exit after {deadline:.0f} s\n{tail}", hung=True) from None
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (stdout[-1500:] + "\n" + stderr[-3000:]).strip()
        raise RunFailed(f"`{' '.join(cmd[:4])} ...` failed (exit {proc.returncode}):\n{tail}", hung=False)
    return Finished(seconds, stdout)


def project_files(root: Path) -> list[Path]:
    """The files a fresh clone of the working tree would have: tracked and new, not ignored."""
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0:
        names = [name for name in proc.stdout.split("\0") if name]
    else:  # not a git checkout: everything but the usual generated folders
        names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    files = [Path(name) for name in names if not SKIP_PARTS & set(Path(name).parts)]
    return [name for name in files if (root / name).is_file()]


def copy_project(dest: Path, skip_notebooks: Iterable[str] = (), root: Path = ROOT) -> Path:
    """Copy the working tree to ``dest`` (as a fresh clone would have it); drop notebooks whose number is listed."""
    skip = {f"{int(number):02d}" for number in skip_notebooks}
    for name in project_files(root):
        if name.parts[0] == "notebooks" and name.name[:2] in skip and name.suffix == ".ipynb":
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return dest


def project_env(copy: Path, **extra: str) -> dict[str, str]:
    """Environment for runs on a copy: its helpers first on the kernels' import path."""
    env = {**os.environ, "PYTHONPATH": str(copy), **extra}
    env.pop("VIRTUAL_ENV", None)
    return env


def notebooks_of(copy: Path) -> list[Path]:
    """The numbered notebooks of a copy."""
    return sorted((copy / "notebooks").glob(NOTEBOOK_GLOB))
