"""Benchmarks of the main job and the setup, measured in one run and printed (``make bench``).

    .venv/bin/python bench/bench.py                 # (1)-(6): loading, the job cold / unchanged / one changed,
                                                    #          the naive route, kernel memory
    .venv/bin/python bench/bench.py --setup         # also (7)-(9): both setup routes from empty caches, a fresh
                                                    #          clone's first `make` (needs PyPI), `make test`
    .venv/bin/python bench/bench.py --skip 04,05    # leave out notebooks that do not execute right now

(1) ``import helpers`` + ``helpers.load.load_all()`` in a new process, warm: median of 5.
(2) cold main job: every notebook executed (``--rerun``), 2 kernels, written back, site rendered; and
    the job's overhead over the notebooks' own kernel time (the time their cells take, per core).
(3) the main job again with nothing changed: executes nothing and, the site being built from the same
    inputs, renders nothing (target <= 5 % of (2)); and the time to render every page, for (4).
(4) the main job after one notebook's code changed (the slowest notebook, a comment added to its last
    code cell): executes only that one (target <= its own execution time in (2) + the render time).
(5) naive route: serial ``jupyter nbconvert --execute --to html`` per notebook (target >= 2.5x (2)).
(6) peak RSS of any kernel during (2), sampled with psutil (target < 400 MB).
(7) setup from empty caches: the uv route (uv itself installed from PyPI into an empty tool folder,
    then the lock) and the pip route, each into a new venv; their ratio (target uv <= 25 s).
(8) a fresh clone's first ``make`` (environment from empty caches + main job), target <= 75 s.
(9) the test command (``make test``) in that clone with the network cut, as CI runs it (target < 5 min).
(10) the site's editions, before and after (``--before PATH``: a checkout of an earlier commit, e.g.
    ``git worktree add /tmp/before f31a96d``, the last commit before the Russian and Kazakh editions; after: this
    tree): in a fresh copy of each, the main job rendering from the committed outputs and kept runs
    (``--no-execute``: what a fresh clone's first ``make`` renders when its records are current), cold (no
    ``_site/`` yet) and again with nothing changed; wall and CPU seconds of each.

    .venv/bin/python bench/bench.py --only-site --before /tmp/before   # (10) alone, about 2 minutes

Every run has a deadline and runs on a copy of the working tree (what a fresh clone would hold):
nothing in the repository changes. If any run fails or exceeds its deadline, no ratio that depends on
it is printed: the bench says which run failed and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from bounded import ROOT, RunFailed, copy_project, notebooks_of, project_env, run_bounded

PYTHON = sys.executable
JUPYTER = str(Path(sys.executable).parent / "jupyter")
LOAD_SNIPPET = (
    "import time\n"
    "t = time.perf_counter()\n"
    "import helpers, helpers.load\n"
    "helpers.load.load_all()\n"
    "print(time.perf_counter() - t)\n"
)
TARGET_LOAD_S = 0.5
TARGET_UNCHANGED_SHARE = 0.05
TARGET_NAIVE_SPEEDUP = 2.5
TARGET_KERNEL_RSS_MB = 400.0
TARGET_SETUP_S = 25.0
TARGET_FRESH_MAKE_S = 75.0
TARGET_TEST_S = 300.0
JOB_DEADLINE_S = 600.0  # a whole main job; the watchdog fails a stuck cell after 60 s anyway
NOTEBOOK_DEADLINE_S = 300.0  # one naive nbconvert run
SETUP_DEADLINE_S = 900.0
CELL_TIMEOUT_S = 60  # the naive route gets the same per-cell bound as the job (sitebuild/execute.py)
MB = 1024 * 1024


@dataclass
class Report:
    """Lines of the final summary: (label, value, verdict)."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, label: str, value: str, verdict: str = "") -> None:
        """Add one line and echo it immediately."""
        self.rows.append((label, value, verdict))
        print(f"  {label}: {value} {verdict}".rstrip(), flush=True)

    def failed(self, what: str, exc: RunFailed) -> None:
        """A run failed or hung: say so; the ratios that needed it are not reported."""
        kind = "HUNG" if exc.hung else "FAILED"
        self.failures.append(f"{what}: {kind}")
        print(f"  {what}: {kind}, so no figures or ratios from it are reported:\n{exc}", file=sys.stderr, flush=True)

    def markdown(self) -> str:
        """The summary as a markdown table (for the README's bench block)."""
        lines = ["| measure | value | target |", "|---|---|---|"]
        lines += [f"| {label} | {value} | {verdict} |" for label, value, verdict in self.rows]
        return "\n".join(lines)

    def print(self) -> None:
        """The summary table."""
        print("\nsummary")
        width = max((len(label) for label, _, _ in self.rows), default=0)
        for label, value, verdict in self.rows:
            print(f"  {label.ljust(width)}  {value}  {verdict}".rstrip())
        for failure in self.failures:
            print(f"  NOT MEASURED: {failure} (see above)")


def verdict(ok: bool, target: str) -> str:
    """[ok] or [MISS], with the target."""
    return f"{'[ok]' if ok else '[MISS]'} target {target}"


class KernelRssSampler:
    """Samples the RSS of every ipykernel process below a given process, keeping the maximum."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, pid: int) -> None:
        """Start sampling the descendants of ``pid``."""
        self._thread = threading.Thread(target=self._loop, args=(pid,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self, pid: int) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                children = root.children(recursive=True)
            except psutil.NoSuchProcess:
                return
            for child in children:
                try:
                    if "ipykernel_launcher" in " ".join(child.cmdline()):
                        rss = child.memory_info().rss
                        self.peak[child.pid] = max(rss, self.peak.get(child.pid, 0))
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
            self._stop.wait(self.interval)


@dataclass
class JobRun:
    """One main-job run: wall time and what the job itself reported (sitebuild/build.py --timings)."""

    seconds: float
    timings: dict[str, Any]

    @property
    def executed(self) -> list[dict[str, Any]]:
        """Per-notebook figures of the notebooks this run executed."""
        runs: list[dict[str, Any]] = self.timings["executed"]
        return runs


def main_job(copy: Path, jobs: int, *extra: str, sampler: KernelRssSampler | None = None) -> JobRun:
    """The main job on a copy of the project (its own sitebuild, helpers, data and notebooks)."""
    timings = copy / "timings.json"
    timings.unlink(missing_ok=True)
    cmd = [PYTHON, "-m", "sitebuild", "--jobs", str(jobs), "--timings", str(timings), *extra]
    finished = run_bounded(
        cmd, copy, JOB_DEADLINE_S, env=project_env(copy), on_start=sampler.start if sampler else None
    )
    if sampler:
        sampler.stop()
    return JobRun(finished.seconds, json.loads(timings.read_text(encoding="utf-8")))


def bench_load(report: Report, runs: int) -> None:
    """(1) import helpers + load every table, in a new process each time; median of ``runs``."""
    inner: list[float] = []
    wall: list[float] = []
    for attempt in range(runs + 1):  # the first run only warms the caches
        started = time.perf_counter()
        out = subprocess.run([PYTHON, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True, cwd=ROOT)
        if attempt:
            wall.append(time.perf_counter() - started)
            inner.append(float(out.stdout.strip().splitlines()[-1]))
    report.add(
        "(1) import helpers + load_all, warm",
        f"{statistics.median(inner):.2f} s in-process, {statistics.median(wall):.2f} s whole process "
        f"(median of {runs})",
        verdict(statistics.median(wall) < TARGET_LOAD_S, "< 0.5 s"),
    )


def touch_last_code_cell(path: Path) -> None:
    """Change one notebook's code without changing what it computes: a comment on its last code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = source + "\n# changed by bench/bench.py"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def naive_route(copy: Path) -> float:
    """(5) serial ``jupyter nbconvert --execute --to html``, one notebook after the other."""
    total = 0.0
    for path in notebooks_of(copy):
        cmd = [JUPYTER, "nbconvert", "--execute", "--to", "html", f"--ExecutePreprocessor.timeout={CELL_TIMEOUT_S}"]
        total += run_bounded([*cmd, path.name], path.parent, NOTEBOOK_DEADLINE_S, env=project_env(copy)).seconds
    return total


def bench_jobs(report: Report, args: argparse.Namespace, work: Path) -> None:
    """(2)-(6) on copies of the working tree."""
    copy = copy_project(work / "job", args.skip, args.root)
    n = len(notebooks_of(copy))
    if not n:
        print("  (2)-(6) skipped: no notebooks")
        return
    skipped = f" (left out: {', '.join(args.skip)})" if args.skip else ""
    print(f"running the main job cold: {n} notebooks{skipped} ...", flush=True)
    sampler = KernelRssSampler()
    try:
        cold = main_job(copy, args.jobs, "--rerun", sampler=sampler)
    except RunFailed as exc:
        sampler.stop()
        report.failed("(2) cold main job", exc)
        return
    runs = cold.executed
    kernel_total = sum(r["cell_seconds"] for r in runs)
    per_core = max(kernel_total / args.jobs, max(r["cell_seconds"] for r in runs))
    slowest_nb = max(runs, key=lambda r: r["seconds"])
    slowest_cell = max(runs, key=lambda r: r["slowest_cell"][1])
    overhead = cold.seconds - per_core
    report.add("(2) cold main job (every notebook executed)", f"{cold.seconds:.1f} s for {n} notebooks{skipped}")
    report.add(
        "(2) job overhead over the notebooks' own kernel time",
        f"{overhead:.1f} s ({overhead / cold.seconds:.0%} of the job): cells take {kernel_total:.1f} s in all, "
        f"{per_core:.1f} s per core on {args.jobs} kernels; the rest is kernel start-up, write-back and rendering",
    )
    report.add(
        "(2) slowest cell",
        f"{slowest_cell['slowest_cell'][1]:.1f} s ({slowest_cell['name']}, cell {slowest_cell['slowest_cell'][0]}); "
        f"per-cell watchdog {CELL_TIMEOUT_S} s",
    )
    peak_mb = max(sampler.peak.values(), default=0) / MB
    report.add(
        "(6) peak kernel RSS",
        f"{peak_mb:.0f} MB (max over {len(sampler.peak)} kernels)",
        verdict(0 < peak_mb < TARGET_KERNEL_RSS_MB, "< 400 MB"),
    )

    print("running the main job with nothing changed ...", flush=True)
    try:
        unchanged = main_job(copy, args.jobs)
    except RunFailed as exc:
        report.failed("(3) main job, nothing changed", exc)
        return
    if unchanged.executed:
        names = ", ".join(r["name"] for r in unchanged.executed)
        report.failed("(3) main job, nothing changed", RunFailed(f"it executed {names}", hung=False))
        return
    share = unchanged.seconds / cold.seconds
    report.add(
        "(3) main job, nothing changed (executes nothing; the site is already current)",
        f"{unchanged.seconds:.2f} s = {share:.1%} of the cold job",
        verdict(share <= TARGET_UNCHANGED_SHARE, "<= 5 %"),
    )
    try:
        render = run_bounded(
            [PYTHON, "-m", "sitebuild", "--no-execute", "--out", str(copy / "_site_render")],
            copy,
            JOB_DEADLINE_S,
            env=project_env(copy),
        ).seconds
    except RunFailed as exc:
        report.failed("(3) render only", exc)
        return
    report.add("(3) render only (every page, from the stored outputs, into an empty folder)", f"{render:.2f} s")

    changed_path = copy / "notebooks" / slowest_nb["name"]
    touch_last_code_cell(changed_path)
    print(f"running the main job after changing {changed_path.name} ...", flush=True)
    try:
        one = main_job(copy, args.jobs)
    except RunFailed as exc:
        report.failed("(4) main job, one notebook changed", exc)
        return
    executed_names = [r["name"] for r in one.executed]
    if executed_names != [changed_path.name]:
        problem = RunFailed(f"it executed {executed_names}", hung=False)
        report.failed("(4) main job, one notebook changed", problem)
        return
    bound = slowest_nb["seconds"] + render
    report.add(
        "(4) main job, one notebook's code changed",
        f"{one.seconds:.1f} s ({changed_path.stem}: executed alone in {one.executed[0]['seconds']:.1f} s; "
        f"its own time in (2) {slowest_nb['seconds']:.1f} s + render {render:.1f} s = {bound:.1f} s)",
        verdict(one.seconds <= bound, "<= own time + render"),
    )

    naive_copy = copy_project(work / "naive", args.skip, args.root)
    print("running the naive route (serial nbconvert --execute --to html) ...", flush=True)
    try:
        naive = naive_route(naive_copy)
    except RunFailed as exc:
        report.failed("(5) naive route", exc)
        return
    speedup = naive / cold.seconds
    report.add(
        "(5) naive route / cold main job",
        f"{naive:.1f} s / {cold.seconds:.1f} s = {speedup:.2f}x",
        verdict(speedup >= TARGET_NAIVE_SPEEDUP, ">= 2.5x"),
    )


def bench_setup(report: Report, args: argparse.Namespace, work: Path) -> None:
    """(7) both setup routes from empty caches; (8) a fresh clone's first `make`."""
    times: dict[str, float] = {}
    for route in ("uv", "pip"):
        caches = work / f"caches-{route}"
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(caches),  # empty: pip's, uv's and the uv tool folder's default home
            "UV_CACHE_DIR": str(caches / "uv"),
            "PIP_CACHE_DIR": str(caches / "pip"),
        }
        env.pop("VIRTUAL_ENV", None)
        cmd = ["python3", str(ROOT / "scripts/setup_env.py"), "--venv", str(work / f"venv-{route}")]
        cmd += ["--installer", route, "--tools", str(caches / "tools")]
        print(f"setting up a new venv with {route} from empty caches ...", flush=True)
        try:
            times[route] = run_bounded(cmd, work, SETUP_DEADLINE_S, env=env).seconds
        except RunFailed as exc:
            report.failed(f"(7) setup with {route}", exc)
    if "uv" in times:
        report.add(
            "(7) setup, uv route (uv itself from PyPI, then the lock)",
            f"{times['uv']:.1f} s",
            verdict(times["uv"] <= TARGET_SETUP_S, "<= 25 s"),
        )
    if "pip" in times:
        report.add("(7) setup, pip route", f"{times['pip']:.1f} s")
    if len(times) == 2:
        report.add("(7) pip route / uv route", f"{times['pip'] / times['uv']:.1f}x")

    fresh = copy_project(work / "fresh", args.skip, args.root)
    shared = args.root.resolve().parent / "shared"
    if shared.is_dir():  # CI's clone has the team's shared/ (reference figures) beside it, as this tree does
        (work / "shared").symlink_to(shared, target_is_directory=True)
    caches = work / "caches-fresh"
    env = {**os.environ, "XDG_CACHE_HOME": str(caches)}  # a new machine: no uv, no wheel caches
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "UV_CACHE_DIR", "PIP_CACHE_DIR"):
        env.pop(key, None)
    print("running a fresh clone's first `make` ...", flush=True)
    try:
        first = run_bounded(["make", "PYTHON=python3"], fresh, SETUP_DEADLINE_S, env=env)
    except RunFailed as exc:
        report.failed("(8) fresh clone, first make", exc)
        return
    executed = sum(line.startswith("executed ") for line in first.stdout.splitlines())
    n = len(notebooks_of(fresh))
    report.add(
        "(8) fresh clone, first `make` (empty caches)",
        f"{first.seconds:.1f} s, executing {executed} of {n} notebooks"
        + (" (the others' committed digests matched)" if executed < n else ""),
        verdict(first.seconds <= TARGET_FRESH_MAKE_S, "<= 75 s"),
    )

    # (9) the test command in that clone, as CI runs it: network cut (unshare -n, loopback only)
    test = ["make", "test"]
    if subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0:
        test = ["unshare", "-n", "sh", "-c", "ip link set lo up && exec make test"]
    print(f"running the test command in the fresh clone ({' '.join(test[:2])}) ...", flush=True)
    try:
        tests = run_bounded(test, fresh, SETUP_DEADLINE_S, env=env)
    except RunFailed as exc:
        report.failed("(9) the test command", exc)
        return
    summary = next((line.strip("= ") for line in reversed(tests.stdout.splitlines()) if " passed" in line), "")
    network = "network cut" if test[0] == "unshare" else "network on"
    report.add(
        "(9) the test command (`make test`, fresh clone, " + network + ")",
        f"{tests.seconds:.0f} s wall: {summary}",
        verdict(tests.seconds < TARGET_TEST_S, "< 5 min"),
    )


def site_jobs(report: Report, args: argparse.Namespace, work: Path) -> None:
    """(10) cold and unchanged main-job renders of the site in a fresh copy, before (``--before``) and after."""
    trees = [("before", args.before)] if args.before else []
    trees.append(("after", args.root))
    for label, root in trees:
        copy = copy_project(work / f"site-{label}", root=root)
        runs = []
        for state in ("cold", "unchanged"):
            cpu = _children_cpu()
            try:
                finished = run_bounded([PYTHON, "-m", "sitebuild", "--jobs", str(args.jobs), "--no-execute"], copy,
                                       JOB_DEADLINE_S, env=project_env(copy))
            except RunFailed as exc:
                report.failed(f"(10) site {state}, {label}", exc)
                break
            runs.append(finished.seconds)
            editions = "3 editions" if (copy / "_site/ru/index.html").exists() else "1 edition"
            report.add(f"(10) site job {state}, {label} ({root.name}, {editions})",
                       f"{finished.seconds:.1f} s wall, {_children_cpu() - cpu:.1f} s CPU")
        shutil.rmtree(copy, ignore_errors=True)


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    times = os.times()
    return times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="also time both setup routes and a fresh clone")
    parser.add_argument("--jobs", type=int, default=2, help="parallel kernels of the main job (default 2)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions for (1) (default 5)")
    parser.add_argument("--skip", type=lambda s: [x for x in s.split(",") if x], default=[], help="e.g. 04,05")
    parser.add_argument("--markdown", action="store_true", help="also print the summary as a markdown table")
    parser.add_argument("--root", type=Path, default=ROOT, help="project tree to copy and measure (default: this one)")
    parser.add_argument("--before", type=Path,
                        help="(10): also measure the site job of this tree (a checkout of an earlier commit)")
    parser.add_argument("--only-site", action="store_true", help="only (10), the site job before and after")
    args = parser.parse_args(argv)
    if args.only_site:
        report = Report()
        with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
            site_jobs(report, args, Path(tmp))
        report.print()
        if args.markdown:
            print("\n" + report.markdown())
        return 1 if report.failures else 0

    report = Report()
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs, jobs={args.jobs}", flush=True)
    bench_load(report, args.runs)
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        work = Path(tmp)
        bench_jobs(report, args, work)
        site_jobs(report, args, work)
        if args.setup:
            bench_setup(report, args, work)
    report.print()
    if args.markdown:
        print("\n" + report.markdown())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
