"""Main job: execute every notebook in a fresh kernel, write normalised outputs back, build the site.

    .venv/bin/python scripts/build_site.py               # execute (2 parallel kernels) + render _site/
    .venv/bin/python scripts/build_site.py --no-execute  # render the committed outputs only
    .venv/bin/python scripts/build_site.py --jobs 1 --out /tmp/site

A notebook is written back only if it ran without error (and only if its bytes changed); any
failure stops the job with a non-zero exit naming the notebook and the cell, and the previous
site stays in place: pages are built in a temporary folder that replaces ``_site/`` at the end.
Running the job twice gives byte-identical notebooks and pages (no timestamps, random ids or
absolute paths). Rendering details and the choice of nbconvert are in ``scripts/site_render.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# nbformat -> jsonschema imports rfc3987_syntax when present, which compiles a grammar for ~1.7 s;
# notebook validation never checks the "iri" formats it serves, so mark it absent (ImportError is
# handled by jsonschema). Saves that time on every run of the job.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

from site_execute import RunResult, file_digest, run_all, write_if_changed  # noqa: E402 (after the two lines above)
from site_render import (  # noqa: E402
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
    thumbnail,
    write_text,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PAGE_LIMIT = 1_500_000  # bytes, any single file of the site
SITE_LIMIT = 10_000_000  # bytes, the whole site
PLACEHOLDER_README = "# Data package\n\nThe data README has not been written yet.\n"


class BuildError(Exception):
    """A failure that stops the job; the message is shown to the user."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true", help="render the committed outputs only")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (default 2)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="site folder (default _site/)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="notebooks folder")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data package folder")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="project README (findings)")
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


def execute(paths: list[Path], jobs: int, timeout: int, on_success: Callable[[Path, str], None]) -> None:
    """Run the notebooks; write back and hand on the successful ones; raise BuildError on any failure."""
    failures: list[RunResult] = []
    for result in run_all(paths, jobs, timeout):
        if not result.ok:
            failures.append(result)
            print(f"FAILED   {result.path.name} ({result.seconds:.1f} s)", flush=True)
            continue
        if file_digest(result.path) != result.digest:
            state = "NOT written back: the file was saved by someone else during the run"
        else:
            state = "updated" if write_if_changed(result.path, result.text) else "unchanged"
        print(f"executed {result.path.name} ({result.seconds:.1f} s, {state})", flush=True)
        for warning in result.warnings:
            print(f"  warning: {warning}", flush=True)
        if not failures:
            on_success(result.path, result.text)
    if failures:
        reports = "\n\n".join(f.error for f in failures)
        raise BuildError(f"notebook execution failed (nothing written back for it):\n{reports}")


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
        self.rendered: set[str] = set()

    def notebook_executed(self, path: Path, text: str) -> None:
        """Render the page of a freshly executed notebook from its normalised text."""
        position = next(i for i, info in enumerate(self.infos) if info.stem == path.stem)
        self.infos[position] = notebook_info_from_text(text, path.stem)
        self.write_notebook_page(position)

    def write_notebook_page(self, position: int) -> None:
        """One notebook page with prev/next navigation, and its thumbnail."""
        info = self.infos[position]
        prev = self.infos[position - 1] if position > 0 else None
        nxt = self.infos[position + 1] if position + 1 < len(self.infos) else None
        html = self.renderer.notebook_page(info, prev, nxt)
        write_text(self.staging / info.page, self.links.rewrite(html, "notebooks", info.page))
        if info.key_png:
            (self.staging / "img").mkdir(exist_ok=True)
            (self.staging / "img" / f"{info.stem}.png").write_bytes(thumbnail(info.key_png))
        self.rendered.add(info.stem)

    def write_data_pages(self) -> None:
        """The data README as HTML, datapackage.json and the resource files it lists."""
        readme_path = self.args.data / "README.md"
        readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else PLACEHOLDER_README
        html = self.links.rewrite(self.renderer.data_page(readme), "data", "data/README.html")
        write_text(self.staging / "data/README.html", html)
        if self.package:
            copy_file(self.args.data / "datapackage.json", self.staging / "data/datapackage.json")
        for _, rel in self.package_files:
            copy_file(self.args.data / rel, self.staging / "data" / rel)

    def write_index(self) -> None:
        """The landing page, with heading, intro and findings taken from the project README."""
        readme_md = self.args.readme.read_text(encoding="utf-8") if self.args.readme.exists() else ""
        findings = marker_block(readme_md, "findings") or markdown_section(readme_md, "finding")
        self.renderer.config["heading"], self.renderer.config["intro"] = readme_intro(readme_md)
        resources = [
            {"name": rel, "title": res.get("title", ""), "href": f"data/{rel}"} for res, rel in self.package_files
        ]
        index = self.renderer.index_page(self.infos, findings, package_sources(self.package), resources)
        write_text(self.staging / "index.html", self.links.rewrite(index, "", "index.html"))

    def finish(self) -> list[str]:
        """Render the remaining pages; return warnings (links the site does not publish)."""
        for position, info in enumerate(self.infos):
            if info.stem not in self.rendered:
                self.write_notebook_page(position)
        self.write_data_pages()
        self.write_index()
        return [f"link not published in the site: {item}" for item in self.links.unresolved]


def check_site(staging: Path) -> list[tuple[str, int]]:
    """Enforce the offline rule and the size budgets; return (file, bytes) sorted by name."""
    sizes: list[tuple[str, int]] = []
    problems: list[str] = []
    absolute_root = str(ROOT)
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = path.relative_to(staging).as_posix()
        sizes.append((rel, path.stat().st_size))
        if path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            problems += network_problems(html, rel)
            if absolute_root in html:
                problems.append(f"{rel}: contains the absolute path of the repository")
        if path.stat().st_size > PAGE_LIMIT:
            problems.append(f"{rel}: {path.stat().st_size / 1e6:.2f} MB > {PAGE_LIMIT / 1e6:.1f} MB per page")
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
        if not args.no_execute and paths:
            execute(paths, args.jobs, args.timeout, site.notebook_executed)
        for warning in site.finish():
            print(f"warning: {warning}")
        sizes = check_site(staging)
        swap_into_place(staging, args.out)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
