"""Main job: execute the notebooks whose inputs changed in fresh kernels, write outputs back, build the site.

    .venv/bin/python -m sitebuild               # execute what changed (2 kernels) + render _site/
    .venv/bin/python -m sitebuild --rerun       # execute every notebook (what `make rerun` does)
    .venv/bin/python -m sitebuild --no-execute  # render the committed outputs only
    .venv/bin/python -m sitebuild --jobs 1 --out /tmp/site

A notebook is executed only when its code, the helpers, the data, the lock file, the Python version or
the executor changed since its stored outputs were written (digests in notebooks/digests.json, see
sitebuild/digests.py); every cell runs under the watchdog of sitebuild/execute.py (60 s per cell).
A notebook is written back only if it ran without error (and only if its bytes changed); any
failure stops the job with a non-zero exit naming the notebook and the cell, and the previous
site stays in place: pages are built in a temporary folder that replaces ``_site/`` at the end.
Running the job twice gives byte-identical notebooks and pages (no timestamps, random ids or
absolute paths). Rendering details and the choice of nbconvert are in ``sitebuild/render.py``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sitebuild import archive, digests
from sitebuild.execute import CELL_TIMEOUT, RunResult, file_digest, run_all, write_if_changed
from sitebuild.render import (
    Imprint,
    LinkMapper,
    NotebookInfo,
    SiteRenderer,
    copy_file,
    markdown_section,
    marker_block,
    network_problems,
    notebook_info_from_text,
    read_notebook_info,
    readme_intro,
    source_links,
    thumbnail,
    write_text,
)
from sitebuild.search import page_sections, read_aliases

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PAGE_LIMIT = 1_500_000  # bytes, any HTML page or stylesheet: what a reader loads on opening a page
# Downloads (chart PNGs at print resolution, the .ipynb files that hold those PNGs again as base64)
# are fetched only when clicked, so they have a limit of their own; the whole site grew with them
# (200 dpi PNGs have four times the pixels, and every chart now exists as PNG file and in its .ipynb).
DOWNLOAD_LIMIT = 5_000_000  # bytes, any other single file (the largest .ipynb is about 2.4 MB)
SITE_LIMIT = 30_000_000  # bytes, the whole site (about 15 MB with 28 of ~45 charts at 200 dpi)
PAGE_SUFFIXES = (".html", ".css")
URL_RE = re.compile(r"https?://[^\s;,]+")
ARCHIVE = "downloads/kz-referendum-2022-project.zip"  # the whole project, to run it yourself (see archive.py)
PLACEHOLDER_README = "# Data package\n\nThe data README has not been written yet.\n"


class BuildError(Exception):
    """A failure that stops the job; the message is shown to the user."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true", help="render the committed outputs only")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (default 2)")
    parser.add_argument(
        "--rerun", action="store_true", help="execute every notebook, even those whose inputs did not change"
    )
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT, help=f"seconds allowed per cell (default {CELL_TIMEOUT})"
    )
    parser.add_argument("--timings", type=Path, help="also write per-notebook execution times to this JSON file")
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="site folder (default _site/)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="notebooks folder")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data package folder")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="project README (findings)")
    parser.add_argument("--citation", type=Path, default=ROOT / "CITATION.cff", help="citation file (index page)")
    return parser.parse_args(argv)


def display_path(path: Path) -> str:
    """Path relative to the working directory when possible (never print absolute repo paths)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def find_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(folder.glob(NOTEBOOK_GLOB))


def stale_notebooks(paths: list[Path], rerun: bool) -> dict[Path, dict[str, str]]:
    """The notebooks to execute, each with its current input digests (see sitebuild/digests.py).

    Without ``rerun`` only those whose inputs (or stored outputs) differ from their record.
    """
    if not paths:
        return {}
    shared = digests.shared_inputs()
    records = digests.load_records(paths[0].parent)
    stale: dict[Path, dict[str, str]] = {}
    fresh: list[str] = []
    for path in paths:
        inputs = digests.inputs_of(path, shared)
        reason = "--rerun" if rerun else digests.stale_reason(path, inputs, records)
        if reason:
            stale[path] = inputs
            print(f"to run   {path.name} ({reason})", flush=True)
        else:
            fresh.append(path.stem[:2])
    if fresh:
        print(f"up to date (inputs unchanged, not executed): {', '.join(fresh)}", flush=True)
    return stale


def execute(paths: list[Path], args: argparse.Namespace, on_success: Callable[[Path, str], None]) -> list[RunResult]:
    """Run the notebooks whose inputs changed; write back, record and hand on the successful ones.

    Returns the results of those executed; raises BuildError on any failure (after recording the
    notebooks that did succeed).
    """
    stale = stale_notebooks(paths, args.rerun)
    failures: list[RunResult] = []
    results: list[RunResult] = []
    written: dict[str, dict[str, str]] = {}
    for result in run_all(list(stale), args.jobs, args.timeout):
        results.append(result)
        if not result.ok:
            failures.append(result)
            print(f"FAILED   {result.path.name} ({result.seconds:.1f} s)", flush=True)
            continue
        if file_digest(result.path) != result.digest:
            state = "NOT written back: the file was saved by someone else during the run"
        else:
            state = "updated" if write_if_changed(result.path, result.text) else "unchanged"
            written[result.path.name] = digests.record_for(stale[result.path], result.text)
        number, seconds = result.slowest_cell
        print(
            f"executed {result.path.name} ({result.seconds:.1f} s: kernel up in {result.kernel_start:.1f} s, "
            f"cells {result.cell_seconds:.1f} s, slowest cell {number} {seconds:.1f} s; {state})",
            flush=True,
        )
        for warning in result.warnings:
            print(f"  warning: {warning}", flush=True)
        if not failures:
            on_success(result.path, result.text)
    if paths:
        digests.update_records(paths[0].parent, written, keep_only=[path.name for path in paths])
    if failures:
        reports = "\n\n".join(f.error for f in failures)
        raise BuildError(f"notebook execution failed (nothing written back for it):\n{reports}")
    return results


def site_inputs(args: argparse.Namespace) -> str:
    """Digest of everything a build reads (notebooks, READMEs, data, templates, scripts, lock, options)."""
    options = f"{args.out}|{args.readme}|{args.data}|{args.notebooks}".encode()
    read = [args.notebooks, args.data, args.readme, args.citation, ROOT / "site_template", ROOT / "sitebuild"]
    read += [ROOT / name for name in (*archive.FOLDERS, *archive.FILES) if (ROOT / name).exists()]  # the archive
    return f"{digests.tree_digest([*read, ROOT / 'requirements.lock'])}-{hashlib.sha256(options).hexdigest()[:16]}"


def write_timings(path: Path, results: list[RunResult], seconds: float) -> None:
    """Per-notebook execution figures of this job as JSON (read by bench/bench.py)."""
    notebooks = [
        {
            "name": r.path.name,
            "seconds": round(r.seconds, 3),
            "kernel_start": round(r.kernel_start, 3),
            "cell_seconds": round(r.cell_seconds, 3),
            "slowest_cell": [r.slowest_cell[0], round(r.slowest_cell[1], 3)],
        }
        for r in results
    ]
    path.write_text(json.dumps({"job_seconds": round(seconds, 3), "executed": notebooks}, indent=1) + "\n")


def load_datapackage(data_dir: Path) -> dict[str, Any]:
    """datapackage.json as a dict ({} when absent)."""
    path = data_dir / "datapackage.json"
    if not path.exists():
        return {}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def resource_paths(package: dict[str, Any], data_dir: Path) -> list[tuple[dict[str, Any], str]]:
    """(resource, relative path) for every local resource file of the package that exists."""
    found: list[tuple[dict[str, Any], str]] = []
    for resource in package.get("resources", []):
        paths = resource.get("path", [])
        for rel in [paths] if isinstance(paths, str) else paths:
            if "://" not in rel and ".." not in Path(rel).parts and (data_dir / rel).is_file():
                found.append((resource, rel))
    return found


def published_files(infos: list[NotebookInfo], package_files: list[str], has_package: bool) -> dict[str, str]:
    """Repository path -> site path for everything the site publishes."""
    published = {"README.md": "index.html", "data/README.md": "data/README.html"}
    published.update({f"notebooks/{info.stem}.ipynb": info.page for info in infos})
    if has_package:
        published["data/datapackage.json"] = "data/datapackage.json"
    published.update({f"data/{rel}": f"data/{rel}" for rel in package_files})
    return published


def table_sources(package: dict[str, Any], data_dir: Path) -> dict[str, list[str]]:
    """Data table name -> the distinct web addresses in its rows' ``source_url`` (and ``*_source``) cells, in order."""
    found: dict[str, list[str]] = {}
    for resource, rel in resource_paths(package, data_dir):
        urls: list[str] = []
        with (data_dir / rel).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                cells = [value or "" for key, value in row.items() if key == "source_url" or key.endswith("_source")]
                urls += [url.rstrip(".,;)") for cell in cells for url in URL_RE.findall(cell)]
        found[str(resource.get("name", Path(rel).stem))] = list(dict.fromkeys(urls))
    return found


def imprint(package: dict[str, Any], data_dir: Path, site: str) -> Imprint:
    """Site name, licence, the data package's version and date, and each table's sources."""
    licences = package.get("licenses", [])
    licence = str(licences[0].get("name", "")) if licences else ""
    return Imprint(
        site=site,
        licence=licence,
        version=str(package.get("version", "")),
        date=str(package.get("created", ""))[:10],
        table_sources=table_sources(package, data_dir),
    )


def last_changed_in(folder: Path, names: list[str]) -> dict[str, str]:
    """File name -> date (YYYY-MM-DD) of the last commit that changed it; {} outside a git checkout.

    One ``git log`` for the whole folder. Taken from git, not the clock or the files' mtimes, so that two
    builds of one commit are identical.
    """
    try:
        done = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--", *names],
            cwd=folder, capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str] = {}
    if done.returncode != 0:
        return found
    for block in done.stdout.split("\0")[1:]:
        date, *files = block.strip().splitlines()
        for name in files:
            found.setdefault(Path(name).name, date)
    return found


def last_changed(path: Path) -> str:
    """Date of the last commit that changed one file ("" outside a git checkout)."""
    return last_changed_in(path.parent, [path.name]).get(path.name, "")


def package_sources(package: dict[str, Any]) -> list[dict[str, str]]:
    """The package's ``sources`` as title/href pairs (href only for web addresses)."""
    sources = []
    for source in package.get("sources", []):
        link = source.get("path") or source.get("url") or ""
        href = link if link.startswith(("https://", "http://")) else ""
        sources.append({"title": source.get("title") or link, "href": href})
    return sources


class SiteBuild:
    """Writes the pages of the site into a staging folder.

    Notebook pages are rendered as soon as each notebook has run (while the other kernel is still
    busy), then ``finish`` renders whatever is left, the data page and the index.
    """

    def __init__(self, args: argparse.Namespace, paths: list[Path], staging: Path) -> None:
        self.args, self.staging = args, staging
        self.package = load_datapackage(args.data)
        config = json.loads((ROOT / "site_template/site.json").read_text(encoding="utf-8"))
        self.renderer = SiteRenderer(ROOT / "site_template", {**config, "has_package": bool(self.package)})
        # titles (for prev/next) come from the markdown, which execution does not change
        self.infos = [read_notebook_info(path) for path in paths]
        self.package_files = resource_paths(self.package, args.data)
        files = [rel for _, rel in self.package_files]
        self.links = LinkMapper(published_files(self.infos, files, bool(self.package)))
        self.links.add_site_files(["search.html", "CITATION.cff", "changelog.html", ARCHIVE])
        self.renderer.imprint = imprint(self.package, args.data, self.renderer.config["title"])
        self._paths = paths
        self.renderer.archive = ARCHIVE
        self.rendered: set[str] = set()
        self.sections: dict[str, list[dict[str, str]]] = {}  # page -> its sections, for the search index

    def dates_of_notebooks(self) -> None:
        """When each notebook last changed (one git call, made when the first page is rendered)."""
        if self._paths and not self.renderer.changed:
            dates = last_changed_in(self._paths[0].parent, [path.name for path in self._paths])
            self.renderer.changed = {path.stem: dates.get(path.name, "") for path in self._paths}

    def notebook_executed(self, path: Path, text: str) -> None:
        """Render the page of a freshly executed notebook from its normalised text."""
        position = next(i for i, info in enumerate(self.infos) if info.stem == path.stem)
        self.infos[position] = notebook_info_from_text(text, path.stem)
        self.write_notebook_page(position)

    def write_notebook_page(self, position: int) -> None:
        """One notebook page with prev/next navigation, and its thumbnail."""
        self.dates_of_notebooks()
        info = self.infos[position]
        prev = self.infos[position - 1] if position > 0 else None
        nxt = self.infos[position + 1] if position + 1 < len(self.infos) else None
        page = self.renderer.notebook_page(info, prev, nxt)
        for rel, content in page.files.items():  # chart and table downloads, the .ipynb
            (self.staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.staging / rel).write_bytes(content)
        self.links.add_site_files(list(page.files))
        html = self.links.rewrite(page.html, "notebooks", info.page)
        write_text(self.staging / info.page, html)
        self.sections[info.page] = page_sections(html, info.page, info.title)
        if info.key_png:
            (self.staging / "img").mkdir(exist_ok=True)
            (self.staging / "img" / f"{info.stem}.png").write_bytes(thumbnail(info.key_png))
        self.rendered.add(info.stem)

    def write_data_pages(self) -> None:
        """The data README as HTML, datapackage.json and the resource files it lists."""
        readme_path = self.args.data / "README.md"
        readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else PLACEHOLDER_README
        tables = []
        for resource, rel in self.package_files:
            name = str(resource.get("name", Path(rel).stem))
            with (self.args.data / rel).open(encoding="utf-8-sig", newline="") as handle:
                rows = sum(1 for _ in csv.DictReader(handle))
            links = source_links([name], self.renderer.imprint)[0]["links"]
            tables.append({"name": name, "title": resource.get("title", ""), "href": rel, "file": Path(rel).name,
                           "rows": rows, "links": links})
        changed = last_changed(readme_path) if readme_path.exists() else ""
        page = self.renderer.data_page(readme, tables, changed)
        html = self.links.rewrite(page, "data", "data/README.html")
        write_text(self.staging / "data/README.html", html)
        self.sections["data/README.html"] = page_sections(html, "data/README.html", "Data package")
        if self.package:
            copy_file(self.args.data / "datapackage.json", self.staging / "data/datapackage.json")
        for _, rel in self.package_files:
            copy_file(self.args.data / rel, self.staging / "data" / rel)

    def write_changelog(self) -> None:
        """The changelog page: data corrections and changed findings (site_template/changelog.md)."""
        path = ROOT / "site_template/changelog.md"
        text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n\nNothing recorded yet.\n"
        html = self.renderer.text_page("Changelog", text, last_changed(path) if path.exists() else "")
        write_text(self.staging / "changelog.html", html)
        self.sections["changelog.html"] = page_sections(html, "changelog.html", "Changelog")

    def write_index(self) -> None:
        """The landing page, with heading, intro and findings taken from the project README."""
        readme_md = self.args.readme.read_text(encoding="utf-8") if self.args.readme.exists() else ""
        findings = marker_block(readme_md, "findings") or markdown_section(readme_md, "finding")
        self.renderer.config["heading"], self.renderer.config["intro"] = readme_intro(readme_md)
        resources = [
            {"name": rel, "title": res.get("title", ""), "href": f"data/{rel}"} for res, rel in self.package_files
        ]
        citation = load_citation(self.args.citation)
        if citation:
            copy_file(self.args.citation, self.staging / "CITATION.cff")
        index = self.renderer.index_page(
            self.infos, findings, package_sources(self.package), resources, citation,
            card_links=lambda html: self.links.rewrite(html, "notebooks", "index.html"),
            changed=max([last_changed(self.args.readme) if self.args.readme.exists() else "",
                         *self.renderer.changed.values()]),
        )
        html = self.links.rewrite(index, "", "index.html")
        write_text(self.staging / "index.html", html)
        self.sections["index.html"] = page_sections(html, "index.html", self.renderer.config["title"])

    def write_search_and_assets(self) -> None:
        """The search page (index of every section of every page, in site order) and the shared stylesheets."""
        order = ["index.html", *(info.page for info in self.infos), "data/README.html", "changelog.html"]
        entries = [entry for page in order for entry in self.sections.get(page, [])]
        aliases = read_aliases(self.args.data / "units.csv", ROOT / "site_template/search_terms.json")
        write_text(self.staging / "search.html", self.renderer.search_page(entries, aliases))
        archive_bytes = archive.project_zip(ROOT, self.args.notebooks, self.args.data)
        (self.staging / ARCHIVE).parent.mkdir(parents=True, exist_ok=True)
        (self.staging / ARCHIVE).write_bytes(archive_bytes)
        for rel, content in self.renderer.assets().items():
            (self.staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.staging / rel).write_bytes(content)

    def finish(self) -> list[str]:
        """Render the remaining pages; return warnings (links the site does not publish)."""
        for position, info in enumerate(self.infos):
            if info.stem not in self.rendered:
                self.write_notebook_page(position)
        self.write_data_pages()
        self.write_changelog()
        self.write_index()
        self.write_search_and_assets()
        return [f"link not published in the site: {item}" for item in self.links.unresolved]


def load_citation(path: Path) -> dict[str, Any]:
    """CITATION.cff as a dict ({} when absent); a file that is not a YAML mapping stops the job."""
    if not path.exists():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BuildError(f"{display_path(path)}: not valid YAML ({exc})") from None
    if not isinstance(loaded, dict):
        raise BuildError(f"{display_path(path)}: expected a mapping of CFF keys (title, authors, version, ...)")
    return loaded


def check_site(staging: Path) -> list[tuple[str, int]]:
    """Enforce the offline rule and the size budgets; return (file, bytes) sorted by name."""
    sizes: list[tuple[str, int]] = []
    problems: list[str] = []
    absolute_root = str(ROOT)
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = path.relative_to(staging).as_posix()
        sizes.append((rel, path.stat().st_size))
        if path.suffix in PAGE_SUFFIXES:
            html = path.read_text(encoding="utf-8")
            problems += network_problems(html, rel)
            if absolute_root in html:
                problems.append(f"{rel}: contains the absolute path of the repository")
        limit, what = (PAGE_LIMIT, "page") if path.suffix in PAGE_SUFFIXES else (DOWNLOAD_LIMIT, "download")
        if path.stat().st_size > limit:
            problems.append(f"{rel}: {path.stat().st_size / 1e6:.2f} MB > {limit / 1e6:.1f} MB per {what}")
    total = sum(size for _, size in sizes)
    if total > SITE_LIMIT:
        problems.append(f"site is {total / 1e6:.2f} MB > {SITE_LIMIT / 1e6:.0f} MB")
    if problems:
        raise BuildError("site check failed:\n  " + "\n  ".join(problems))
    return sizes


def swap_into_place(staging: Path, dest: Path) -> None:
    """Replace ``dest`` by ``staging`` with two renames (the old site survives any earlier failure)."""
    old = dest.with_name(dest.name + ".tmp-old")
    if old.exists():
        shutil.rmtree(old)
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def print_sizes(sizes: list[tuple[str, int]]) -> None:
    """Size of every page and of the whole site."""
    print("site files:")
    for rel, size in sizes:
        print(f"  {size / 1e3:9.1f} kB  {rel}")
    print(f"  {sum(s for _, s in sizes) / 1e6:9.2f} MB  total ({len(sizes)} files)")


def main(argv: list[str] | None = None) -> int:
    """Run the job; return the process exit code."""
    args = parse_args(argv)
    args.out = args.out.resolve()
    paths = find_notebooks(args.notebooks)
    if not paths:
        print(f"warning: no notebooks matching {NOTEBOOK_GLOB} in {display_path(args.notebooks)}")
    started = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=args.out.name + ".tmp-", dir=args.out.parent))
    staging.chmod(0o755)
    try:
        site = SiteBuild(args, paths, staging)
        results = execute(paths, args, site.notebook_executed) if not args.no_execute and paths else []
        inputs = site_inputs(args)
        if not results and digests.site_is_current(args.out, inputs):
            shutil.rmtree(staging, ignore_errors=True)
            print(f"site up to date: {display_path(args.out)}/ was built from these same inputs, nothing to render")
            if args.timings:
                write_timings(args.timings, results, time.perf_counter() - started)
            return 0
        for warning in site.finish():
            print(f"warning: {warning}")
        sizes = check_site(staging)
        swap_into_place(staging, args.out)
        digests.stamp_site(args.out, inputs)
    except BuildError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: {exc}\nThe previous site (if any) was left unchanged.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print_sizes(sizes)
    print(f"built {len(paths)} notebook pages in {time.perf_counter() - started:.1f} s")
    print(f"open the site: {display_path(args.out / 'index.html')}")
    if args.timings:
        write_timings(args.timings, results, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
