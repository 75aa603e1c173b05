"""Soak check (``make soak``, not part of the test command): does any batch run hang or fail?

    .venv/bin/python bench/soak.py                       # main job 20 times, nbval on the notebooks 5 times
    .venv/bin/python bench/soak.py --jobs-runs 3 --nbval-runs 1 --skip 04

Every run executes every notebook (the main job with ``--rerun``; nbval always does) on a copy of the
working tree, under a deadline (a run still going then is ended with all it started and counted as
hung). Prints each run's time and the counts of hung and failed runs; exits 1 if any run hung or failed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bounded import PYTHON, ROOT, RunFailed, copy_project, notebooks_of, project_env, run_bounded

JOB_DEADLINE_S = 300.0  # a cold main job takes about 30 s here; the watchdog fails a stuck cell at 60 s
NBVAL_DEADLINE_S = 600.0
CELL_TIMEOUT_S = 60


def soak(label: str, runs: int, cmd: list[str], copy: Path, deadline: float) -> tuple[int, int]:
    """Run ``cmd`` ``runs`` times; print each outcome; return (hung, failed)."""
    hung = failed = 0
    seconds: list[float] = []
    for number in range(1, runs + 1):
        started = time.perf_counter()
        try:
            finished = run_bounded(cmd, copy, deadline, env=project_env(copy))
        except RunFailed as exc:
            hung += exc.hung
            failed += not exc.hung
            kind = "HUNG" if exc.hung else "FAILED"
            print(f"  {label} {number}/{runs}: {kind} after {time.perf_counter() - started:.1f} s\n{exc}", flush=True)
            continue
        seconds.append(finished.seconds)
        print(f"  {label} {number}/{runs}: ok in {finished.seconds:.1f} s", flush=True)
    spread = (
        f"; {min(seconds):.1f} / {statistics.median(seconds):.1f} / {max(seconds):.1f} s min / median / max"
        if seconds
        else ""
    )
    print(f"{label}: {hung} of {runs} hung, {failed} of {runs} failed (deadline {deadline:.0f} s each){spread}")
    return hung, failed


def main(argv: list[str] | None = None) -> int:
    """Run both soaks; exit 1 if any run hung or failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs-runs", type=int, default=20, help="main-job runs (default 20)")
    parser.add_argument("--nbval-runs", type=int, default=5, help="nbval runs over the notebooks (default 5)")
    parser.add_argument("--skip", type=lambda s: [x for x in s.split(",") if x], default=[], help="e.g. 04,05")
    parser.add_argument("--root", type=Path, default=ROOT, help="project tree to copy (default: this one)")
    args = parser.parse_args(argv)
    totals = [0, 0]
    with tempfile.TemporaryDirectory(prefix="kz-soak-") as tmp:
        copy = copy_project(Path(tmp) / "project", args.skip, args.root)
        names = ", ".join(path.stem[:2] for path in notebooks_of(copy))
        left_out = f" (left out: {', '.join(args.skip)})" if args.skip else ""
        print(f"soaking on notebooks {names}{left_out}", flush=True)
        job = [PYTHON, "-m", "sitebuild", "--rerun", "--out", str(copy / "_site")]
        nbval = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env"]
        nbval += [f"--nbval-cell-timeout={CELL_TIMEOUT_S}", "notebooks"]
        for label, runs, cmd, deadline in (
            ("main job", args.jobs_runs, job, JOB_DEADLINE_S),
            ("nbval", args.nbval_runs, nbval, NBVAL_DEADLINE_S),
        ):
            if runs:
                hung, failed = soak(label, runs, cmd, copy, deadline)
                totals[0] += hung
                totals[1] += failed
    return 1 if any(totals) else 0


if __name__ == "__main__":
    sys.exit(main())
