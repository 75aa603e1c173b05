"""Benchmarks of the main job, printed from one run (``make bench``).

    .venv/bin/python bench/bench.py            # (1)-(4)
    .venv/bin/python bench/bench.py --setup    # also (5): empty venv + pip install -r requirements.lock

(1) ``import helpers`` + ``helpers.load.load_all()`` in a new process, warm: median of 5.
(2) main job (scripts/build_site.py, 2 parallel kernels, execute + render) / floor, where the floor
    is the same job on as many trivial notebooks that only import the same libraries (target <= 1.3).
(3) naive route (serial ``jupyter nbconvert --execute --to html`` per notebook) / main job
    (target >= 1.8).
(4) peak RSS of any kernel while the main job runs, sampled with psutil (target < 400 MB).
(5) optional: setup time from an empty venv.

Everything runs on temporary copies of the notebooks: nothing in the repository changes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
JUPYTER = str(Path(sys.executable).parent / "jupyter")
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
FLOOR_IMPORTS = (
    "import pandas\nimport matplotlib.pyplot as plt\nimport seaborn\nimport helpers\n"
    "import geopandas\nimport statsmodels.api\nimport scipy.stats"
)
LOAD_SNIPPET = (
    "import time\n"
    "t = time.perf_counter()\n"
    "import helpers, helpers.load\n"
    "helpers.load.load_all()\n"
    "print(time.perf_counter() - t)\n"
)
TARGET_FLOOR_RATIO = 1.3
TARGET_NAIVE_SPEEDUP = 1.8
TARGET_KERNEL_RSS_MB = 400.0
MB = 1024 * 1024


@dataclass
class Report:
    """Lines of the final summary: (label, value, verdict)."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, label: str, value: str, verdict: str = "") -> None:
        """Add one line and echo it immediately."""
        self.rows.append((label, value, verdict))
        print(f"  {label}: {value} {verdict}".rstrip(), flush=True)

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


def verdict(ok: bool) -> str:
    """[ok] or [MISS]."""
    return "[ok]" if ok else "[MISS]"


def run(cmd: list[str], cwd: Path) -> float:
    """Run a command quietly; return its wall time; raise with its output if it fails."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return elapsed


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


def build_command(notebooks: Path, out: Path, jobs: int) -> list[str]:
    """The main job on a given notebooks folder, writing the site to ``out``."""
    return [
        PYTHON,
        str(ROOT / "scripts/build_site.py"),
        "--notebooks",
        str(notebooks),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
    ]


def run_main_job(notebooks: Path, out: Path, jobs: int) -> tuple[float, dict[int, int]]:
    """Time the main job and sample its kernels' RSS."""
    sampler = KernelRssSampler()
    started = time.perf_counter()
    proc = subprocess.Popen(
        build_command(notebooks, out, jobs),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler.start(proc.pid)
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - started
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"main job failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return elapsed, sampler.peak


def copy_notebooks(source: Path, dest: Path) -> list[Path]:
    """Copy the numbered notebooks to a fresh folder; return the copies."""
    dest.mkdir(parents=True)
    for path in sorted(source.glob(NOTEBOOK_GLOB)):
        shutil.copyfile(path, dest / path.name)
    return sorted(dest.glob(NOTEBOOK_GLOB))


def write_floor_notebooks(dest: Path, count: int) -> None:
    """``count`` trivial notebooks: a title and one cell importing the same libraries."""
    dest.mkdir(parents=True)
    for index in range(1, count + 1):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# Floor {index}"), nbformat.v4.new_code_cell(FLOOR_IMPORTS)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, dest / f"{index:02d}_floor.ipynb")


def bench_load(report: Report, runs: int) -> None:
    """(1) import helpers + load every table, in a new process each time; median of ``runs``."""
    probe = subprocess.run(
        [PYTHON, "-c", "import helpers.load as m; print(hasattr(m, 'load_all'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.stdout.strip() != "True":
        print("  (1) skipped: helpers.load.load_all() is not available yet")
        return
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
    )


def bench_setup(report: Report, work: Path) -> None:
    """(5) create an empty venv and install the lock file into it."""
    lock = ROOT / "requirements.lock"
    if not lock.exists():
        print("  (5) skipped: requirements.lock not found")
        return
    venv = work / "venv"
    seconds = run([PYTHON, "-m", "venv", str(venv)], cwd=work)
    seconds += run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "-r", str(lock)], cwd=ROOT)
    report.add("(5) setup from an empty venv", f"{seconds:.1f} s")


def timed(label: str, action: Callable[[], float]) -> float:
    """Announce, run and return the seconds."""
    print(f"running {label} ...", flush=True)
    return action()


def bench_jobs(report: Report, args: argparse.Namespace, work: Path) -> None:
    """(2)-(4): floor, main job (with kernel RSS sampling) and the naive route, on temporary copies."""
    notebooks = copy_notebooks(args.notebooks, work / "main/notebooks")
    if not notebooks:
        print("  (2)-(4) skipped: no notebooks yet")
        return
    n = len(notebooks)
    write_floor_notebooks(work / "floor/notebooks", n)
    floor = timed(
        f"floor ({n} trivial notebooks)",
        lambda: run(build_command(work / "floor/notebooks", work / "floor/_site", args.jobs), ROOT),
    )
    print(f"running the main job ({n} notebooks) ...", flush=True)
    main_s, peaks = run_main_job(work / "main/notebooks", work / "main/_site", args.jobs)
    naive_dir = work / "naive/notebooks"
    naive = timed(
        "naive route (serial nbconvert --execute --to html)",
        lambda: sum(
            run([JUPYTER, "nbconvert", "--execute", "--to", "html", str(p)], naive_dir)
            for p in copy_notebooks(args.notebooks, naive_dir)
        ),
    )
    ratio, speedup = main_s / floor, naive / main_s
    peak_mb = max(peaks.values(), default=0) / MB
    report.add("(2) main job", f"{main_s:.1f} s for {n} notebooks; floor {floor:.1f} s")
    report.add("(2) main job / floor", f"{ratio:.2f}", verdict(ratio <= TARGET_FLOOR_RATIO) + " target <= 1.3")
    report.add(
        "(3) naive / main job",
        f"{speedup:.2f}x (naive {naive:.1f} s)",
        verdict(speedup >= TARGET_NAIVE_SPEEDUP) + " target >= 1.8",
    )
    report.add(
        "(4) peak kernel RSS",
        f"{peak_mb:.0f} MB (max over {len(peaks)} kernels)",
        verdict(0 < peak_mb < TARGET_KERNEL_RSS_MB) + " target < 400 MB",
    )


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="also time setup from an empty venv")
    parser.add_argument("--jobs", type=int, default=2, help="parallel kernels of the main job (default 2)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions for (1) (default 5)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="notebooks to benchmark")
    parser.add_argument("--markdown", action="store_true", help="also print the summary as a markdown table")
    args = parser.parse_args(argv)

    report = Report()
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs, jobs={args.jobs}")
    bench_load(report, args.runs)
    status = 0
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        work = Path(tmp)
        try:
            bench_jobs(report, args, work)
        except RuntimeError as exc:
            status = 1
            print(f"  (2)-(4) not measured, a run failed:\n{exc}", file=sys.stderr)
        if args.setup:
            bench_setup(report, work)
    report.print()
    if args.markdown:
        print("\n" + report.markdown())
    return status


if __name__ == "__main__":
    sys.exit(main())
