"""Main job: execute the notebooks whose inputs changed in fresh kernels, write outputs back, build the site.

    .venv/bin/python -m sitebuild               # execute what changed (2 kernels) + render _site/
    .venv/bin/python -m sitebuild --rerun       # execute every notebook (what `make rerun` does)
    .venv/bin/python -m sitebuild --no-execute  # render the committed outputs only
    .venv/bin/python -m sitebuild --jobs 1 --out /tmp/site

A notebook is executed only when its code, the helpers, the data, the lock file, the Python version or
the executor changed since its stored outputs were written (digests in notebooks/digests.json, see
sitebuild/digests.py); every cell runs under the watchdog of sitebuild/execute.py (60 s per cell).
A notebook is written back only if it ran without error (and only if its bytes changed); a failing
English notebook stops the job with a non-zero exit naming the notebook and the cell, and the previous
site stays in place: pages are built in a temporary folder that replaces ``_site/`` at the end.

The site has an edition per language (``--languages``, default en ru kk: English at the root, the others in
``ru/`` and ``kk/``). Each notebook runs once more per language (``sitebuild/languages.py``; runs kept in
``locale/runs/<lang>/`` and re-executed only when their inputs change); a Russian or Kazakh run that fails does
not stop the job: its page shows the English outputs under a visible note, the job warns, and
``tests/test_languages.py`` fails. An edition whose inputs did not change is copied from the previous site.
Running the job twice gives byte-identical notebooks and pages (no timestamps, random ids or
absolute paths). Rendering details and the choice of nbconvert are in ``sitebuild/render.py``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html as html_lib
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import yaml
from markupsafe import Markup

from helpers import i18n
from helpers.i18n import LANGUAGES
from sitebuild import archive, digests, languages
from sitebuild.catalogs import GLOSSARY, glossary_rows
from sitebuild.execute import CELL_TIMEOUT, RunResult, file_digest, run_all, write_if_changed
from sitebuild.render import (
    SCHEME_RE,
    Imprint,
    LinkMapper,
    NotebookInfo,
    SiteRenderer,
    add_heading_ids,
    copy_file,
    gettext_of,
    heading_ids,
    markdown_section,
    marker_block,
    network_problems,
    notebook_info,
    notebook_info_from_text,
    plain_text,
    read_notebook_info,
    readme_intro,
    slugify,
    source_links,
    thumbnail,
    unique_id,
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
# The whole site: three editions (English, Russian, Kazakh), each with its own charts (drawn per language) and
# .ipynb downloads, about 25 MB each, plus about 2 MB shared (data tables, project ZIP, stylesheets): 77.5 MB on
# 2026-12-07. One edition used to be limited to 30 MB; three get 100 MB, the same headroom per edition.
SITE_LIMIT = 100_000_000  # bytes
PAGE_SUFFIXES = (".html", ".css")
URL_RE = re.compile(r"https?://[^\s;,]+")
ARCHIVE = "downloads/kz-referendum-2022-project.zip"  # the whole project, to run it yourself (see archive.py)
PLACEHOLDER_README = "# Data package\n\nThe data README has not been written yet.\n"


class BuildError(Exception):
    """A failure that stops the job; the message is shown to the user."""


# the editions (helpers.i18n.LANGUAGES): English at the site's root, the others in ru/ and kk/
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
    parser.add_argument("--languages", nargs="+", choices=LANGUAGES, default=list(LANGUAGES),
                        help="the editions to build (default: en ru kk; English, the site's root, always)")
    parser.add_argument("--catalogs", type=Path, default=ROOT / "locale",
                        help="folder of the message catalogs, <lang>/LC_MESSAGES/messages.po (default locale/)")
    parser.add_argument("--runs", type=Path, default=None,
                        help="where the Russian and Kazakh runs are kept, in <lang>/ (default: locale/runs/ beside "
                             "the notebooks folder)")
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
    options = f"{args.out}|{args.readme}|{args.data}|{args.notebooks}|{args.languages}".encode()
    read = [args.notebooks, args.data, args.readme, args.citation, ROOT / "site_template", ROOT / "sitebuild",
            *(i18n.catalog_path(lang) for lang in args.languages[1:]),
            *(args.runs / lang for lang in args.languages[1:])]
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


AUTONYMS = {"en": "English", "ru": "Русский", "kk": "Қазақша"}  # each language named in itself, in every edition
SWITCH_TITLES = {"en": "This page in English", "ru": "This page in Russian", "kk": "This page in Kazakh"}
ATTR_LINK_RE = re.compile(r'(\b(?:href|src)=")([^"#?]*)([^"]*")')


def prefix(lang: str) -> str:
    """The folder of an edition in the site: English at the root, the others in ``ru/`` and ``kk/``."""
    return "" if lang == "en" else f"{lang}/"


def edition_links(lang: str, page: str, langs: tuple[str, ...] = LANGUAGES) -> dict[str, Any]:
    """The language switcher's entries and the ``hreflang`` alternates of ``page`` (edition-relative) in ``lang``,
    among the editions ``langs`` (no switcher for one edition)."""
    if len(langs) < 2:
        return {"switcher": [], "alternates": []}
    here = posixpath.dirname(prefix(lang) + page) or "."

    def href(other: str) -> str:
        return posixpath.relpath(prefix(other) + page, here)

    switcher = [{"code": code, "name": AUTONYMS[code], "title": SWITCH_TITLES[code], "href": href(code),
                 "current": code == lang} for code in langs]
    alternates = [{"hreflang": code, "href": href(code)} for code in langs]
    alternates.append({"hreflang": "x-default", "href": href("en")})
    return {"switcher": switcher, "alternates": alternates}


def to_shared(html: str, page: str, lang: str, shared: set[str]) -> str:
    """Links of a Russian or Kazakh page to files all editions share (stylesheets, data tables, the project ZIP,
    CITATION.cff), which lie once at the site's root: ``assets/site.css`` becomes ``../assets/site.css``."""
    if lang == "en":
        return html
    page_dir = posixpath.dirname(page)

    def link(match: re.Match[str]) -> str:
        path = match.group(2)
        if not path or path.startswith("/") or SCHEME_RE.match(path):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(page_dir, path))
        if target not in shared:
            return match.group(0)
        here = posixpath.join(prefix(lang), page_dir) or "."
        return match.group(1) + posixpath.relpath(target, here) + match.group(3)

    return ATTR_LINK_RE.sub(link, html)


class SiteBuild:
    """Writes the pages of one edition of the site (English, Russian or Kazakh) into a staging folder.

    English notebook pages are rendered as soon as each notebook has run (while the other kernel is still
    busy), then ``finish`` renders whatever is left, the data page and the index. A Russian or Kazakh edition
    (in ``ru/``, ``kk/``) renders the translated notebooks (sitebuild.languages), with the English pages' section
    and chart ids (``ids``), and links to the files all editions share at the site's root.
    """

    def __init__(self, args: argparse.Namespace, paths: list[Path], staging: Path, lang: str = "en",
                 notebooks: dict[str, Any] | None = None, shared: set[str] | None = None) -> None:
        self.args, self.lang, self.root = args, lang, staging
        self.staging = staging / prefix(lang) if lang != "en" else staging
        self.package = load_datapackage(args.data)
        config = json.loads((ROOT / "site_template/site.json").read_text(encoding="utf-8"))
        translate = gettext_of(lang)  # the site's name and summary are site words too (UI_STRINGS)
        config.update(title=translate(config["title"]), summary=[translate(line) for line in config.get("summary", [])])
        self.renderer = SiteRenderer(ROOT / "site_template", {**config, "has_package": bool(self.package)}, lang)
        langs = tuple(args.languages)
        self.renderer.editions = lambda page: edition_links(lang, page, langs)
        self.t = self.renderer.t
        # titles (for prev/next) come from the markdown, which execution does not change
        self.english = {path.stem: nbformat.read(path, as_version=4) for path in paths} if lang != "en" else {}
        if notebooks is None:
            self.infos = [read_notebook_info(path) for path in paths]
        else:
            self.infos = [notebook_info(notebooks[path.name], path.stem, english=self.english[path.stem])
                          for path in paths]
        self.package_files = resource_paths(self.package, args.data)
        files = [rel for _, rel in self.package_files]
        self.links = LinkMapper(published_files(self.infos, files, bool(self.package)))
        own = ["index.html", "search.html", "changelog.html", "glossary.html", "data/README.html",
               *(info.page for info in self.infos)]
        self.links.add_site_files([*own, "CITATION.cff", "glossary.csv", ARCHIVE])
        # the language switcher's links: the same pages in the other editions
        self.links.add_site_files([posixpath.relpath(prefix(code) + page, prefix(lang) or ".")
                                   for code in langs if code != lang for page in own])
        self.renderer.imprint = imprint(self.package, args.data, self.renderer.config["title"])
        self.renderer.imprint.lang = lang
        self._paths = paths
        self.renderer.archive = ARCHIVE
        self.shared = shared or set()
        self.notes: dict[str, str] = {}  # notebook name -> why its outputs are the English ones (no usable run)
        self.rendered: set[str] = set()
        self.sections: dict[str, list[dict[str, str]]] = {}  # page -> its sections, for the search index

    def english_ids(self, markdown_text: str) -> list[str] | None:
        """The heading ids the English page made of ``markdown_text`` gets (None for the English edition)."""
        return heading_ids(add_heading_ids(self.renderer.md.render(markdown_text))) if self.lang != "en" else None

    def write_page(self, page: str, html: str) -> None:
        """Write one HTML page of this edition, its links to the shared files pointing at the site's root."""
        write_text(self.staging / page, to_shared(html, page, self.lang, self.shared))

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
        ids = None
        if self.lang != "en" and (self.root / info.page).exists():
            ids = SiteRenderer.page_ids((self.root / info.page).read_text(encoding="utf-8"))
        page = self.renderer.notebook_page(info, prev, nxt, ids)
        for rel, content in page.files.items():  # chart and table downloads, the .ipynb
            (self.staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.staging / rel).write_bytes(content)
        self.links.add_site_files(list(page.files))
        html = self.links.rewrite(page.html, "notebooks", info.page)
        note = self.notes.get(f"{info.stem}.ipynb")
        if note:
            html = html.replace('<div class="site-content" id="site-main" tabindex="-1">',
                                '<div class="site-content" id="site-main" tabindex="-1">\n'
                                f'<p class="site-note" role="note">{html_lib.escape(note)}</p>', 1)
        self.write_page(info.page, html)
        self.sections[info.page] = page_sections(html, info.page, plain_text(info.title))
        if info.key_png:
            (self.staging / "img").mkdir(parents=True, exist_ok=True)
            (self.staging / "img" / f"{info.stem}.png").write_bytes(thumbnail(info.key_png))
        self.rendered.add(info.stem)

    def translate(self, markdown_text: str, document: str | None = None) -> str:
        """Markdown in this edition's language (unit by unit from the catalog, untranslated units marked);
        ``document``: the site document it comes from (its messages' context, see catalogs.site_documents)."""
        if self.lang == "en":
            return markdown_text
        return languages.translate_markdown(markdown_text, self.lang, document)[0]

    def write_data_pages(self) -> None:
        """The data README as HTML (datapackage.json and the table files are shared: ``write_shared``)."""
        readme_path = self.args.data / "README.md"
        readme = readme_path.read_text(encoding="utf-8") if readme_path.exists() else PLACEHOLDER_README
        tables = []
        for resource, rel in self.package_files:
            name = str(resource.get("name", Path(rel).stem))
            with (self.args.data / rel).open(encoding="utf-8-sig", newline="") as handle:
                rows = sum(1 for _ in csv.DictReader(handle))
            links = source_links([name], self.renderer.imprint)[0]["links"]
            title = str(resource.get("title", ""))
            tables.append({"name": name, "title": Markup(self.renderer.md.renderInline(self.translate(title))),
                           "href": rel, "file": Path(rel).name, "rows": rows, "links": links})
        changed = last_changed(readme_path) if readme_path.exists() else ""
        page = self.renderer.data_page(self.translate(readme, "data/README.md"), tables, changed,
                                       self.english_ids(readme))
        html = self.links.rewrite(page, "data", "data/README.html")
        self.write_page("data/README.html", html)
        self.sections["data/README.html"] = page_sections(html, "data/README.html", self.t("Data package"))

    def write_changelog(self) -> None:
        """The changelog page: data corrections and changed findings (site_template/changelog.md)."""
        path = ROOT / "site_template/changelog.md"
        text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n\nNothing recorded yet.\n"
        html = self.renderer.text_page(self.t("Changelog"), self.translate(text, "site_template/changelog.md"),
                                       last_changed(path) if path.exists() else "", ids=self.english_ids(text))
        self.write_page("changelog.html", html)
        self.sections["changelog.html"] = page_sections(html, "changelog.html", self.t("Changelog"))

    def write_glossary(self) -> None:
        """The glossary page (locale/glossary.csv): each term in the three languages, with its sources."""
        rows, taken = [], set()
        for row in glossary_rows(GLOSSARY) if GLOSSARY.exists() else []:
            urls = [url.strip() for url in row.get("source_url", "").split(" ; ") if url.strip()]
            links = [{"href": url, "label": urlsplit(url).netloc.removeprefix("www.") or url} for url in urls]
            rows.append({"id": unique_id(slugify(row["term_en"]), taken), "en": row["term_en"], "ru": row["term_ru"],
                         "kk": row["term_kk"], "source": row.get("source", ""), "note": row.get("note", ""),
                         "links": links})
        html = self.renderer.glossary_page(rows, last_changed(GLOSSARY) if GLOSSARY.exists() else "")
        self.write_page("glossary.html", html)
        self.sections["glossary.html"] = page_sections(html, "glossary.html", self.t("Glossary"))

    def write_index(self) -> None:
        """The landing page, with heading, intro and findings taken from the project README (translated)."""
        readme_md = self.args.readme.read_text(encoding="utf-8") if self.args.readme.exists() else ""
        findings = marker_block(readme_md, "findings") or markdown_section(readme_md, "finding")
        heading, intro = readme_intro(readme_md)
        self.renderer.config["heading"], self.renderer.config["intro"] = heading, intro
        if self.lang != "en":
            heading = self.translate(f"# {heading}", "README.md").removeprefix("# ") if heading else ""
            intro = self.translate(intro, "README.md") if intro else ""
            findings = self.translate(findings, "README.md") if findings else ""
        resources = [
            {"name": rel, "title": Markup(self.renderer.md.renderInline(self.translate(str(res.get("title", ""))))),
             "href": f"data/{rel}"} for res, rel in self.package_files
        ]
        citation = load_citation(self.args.citation)
        index = self.renderer.index_page(
            self.infos, findings, package_sources(self.package), resources, citation,
            card_links=lambda html: self.links.rewrite(html, "notebooks", "index.html"),
            changed=max([last_changed(self.args.readme) if self.args.readme.exists() else "",
                         *self.renderer.changed.values()]),
            heading=heading, intro=intro,
        )
        html = self.links.rewrite(index, "", "index.html")
        self.write_page("index.html", html)
        self.sections["index.html"] = page_sections(html, "index.html", self.renderer.config["title"])

    def write_search(self) -> None:
        """The search page: the index of every section of every page of this edition, in site order."""
        order = ["index.html", *(info.page for info in self.infos), "data/README.html", "glossary.html",
                 "changelog.html"]
        entries = [entry for page in order for entry in self.sections.get(page, [])]
        aliases = read_aliases(self.args.data / "units.csv", ROOT / "site_template/search_terms.json", self.lang)
        self.write_page("search.html", self.renderer.search_page(entries, aliases))

    def finish(self) -> list[str]:
        """Render the remaining pages; return warnings (links the site does not publish)."""
        self.dates_of_notebooks()
        for position, info in enumerate(self.infos):
            if info.stem not in self.rendered:
                self.write_notebook_page(position)
        self.write_data_pages()
        self.write_changelog()
        self.write_glossary()
        self.write_index()
        self.write_search()
        where = f"{self.lang}: " if self.lang != "en" else ""
        return [f"link not published in the site: {where}{item}" for item in self.links.unresolved]


def write_shared(args: argparse.Namespace, staging: Path, renderer: SiteRenderer, package: dict[str, Any],
                 package_files: list[tuple[dict[str, Any], str]]) -> set[str]:
    """The files every edition links to, once at the site's root: stylesheets, the data package's files,
    CITATION.cff, the glossary as CSV and the whole project as a ZIP; returns their site paths (only these: the
    English pages and downloads already in ``staging`` while notebooks run are not shared)."""
    before = {p for p in staging.rglob("*") if p.is_file()}
    if package:
        copy_file(args.data / "datapackage.json", staging / "data/datapackage.json")
    for _, rel in package_files:
        copy_file(args.data / rel, staging / "data" / rel)
    if args.citation.exists():
        copy_file(args.citation, staging / "CITATION.cff")
    if GLOSSARY.exists():
        copy_file(GLOSSARY, staging / "glossary.csv")
    archive_bytes = archive.project_zip(ROOT, args.notebooks, args.data)
    (staging / ARCHIVE).parent.mkdir(parents=True, exist_ok=True)
    (staging / ARCHIVE).write_bytes(archive_bytes)
    for rel, content in renderer.assets().items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(content)
    return {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file() and p not in before}


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
            problems += network_problems(html, rel) + other_editions_downloads(html, rel)
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


DOWNLOAD_LINK_RE = re.compile(r'(?:src|href)="([^"#?]*downloads/[^"#?]*)"')


def other_editions_downloads(html: str, rel: str) -> list[str]:
    """Links of a page to a chart, table or notebook download of another edition (a Russian page must show the
    Russian chart); the project ZIP, shared by all, is allowed."""
    here = edition_of(rel) or "en"
    problems = []
    for link in DOWNLOAD_LINK_RE.findall(html):
        if SCHEME_RE.match(link):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), link))
        if target != ARCHIVE and (edition_of(target) or "en") != here:
            problems.append(f"{rel}: links to {target}, a download of another edition")
    return problems[:3]


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
    """Size of each edition's pages and downloads, the largest files, and the whole site."""
    print("site files:")
    for lang in LANGUAGES:
        mine = [size for rel, size in sizes if edition_of(rel) == lang]
        print(f"  {sum(mine) / 1e6:9.2f} MB  {lang} edition ({len(mine)} files)")
    common = [size for rel, size in sizes if edition_of(rel) == ""]
    print(f"  {sum(common) / 1e6:9.2f} MB  shared: stylesheets, data tables, project ZIP ({len(common)} files)")
    for rel, size in sorted(sizes, key=lambda item: -item[1])[:5]:
        print(f"  {size / 1e3:9.1f} kB  {rel}")
    print(f"  {sum(s for _, s in sizes) / 1e6:9.2f} MB  total ({len(sizes)} files)")


def edition_of(rel: str) -> str:
    """The edition a site file belongs to ("" for the shared files)."""
    top = rel.split("/", 1)[0]
    if top in LANGUAGES[1:] and "/" in rel:
        return top
    shared = (top in ("assets", "data") and not rel.endswith(".html")) or rel in (
        "CITATION.cff", "glossary.csv", ARCHIVE)
    return "" if shared else "en"


EDITIONS_STAMP = ".build-editions.json"  # in the site folder: the inputs each edition was rendered from


def edition_inputs(args: argparse.Namespace, lang: str, common: str) -> str:
    """Digest of what one edition is rendered from: ``common`` (notebooks, data, READMEs, templates, sitebuild,
    lock, glossary, options) and, for Russian or Kazakh, the language's catalog and kept runs."""
    if lang == "en":
        return common
    own = [i18n.catalog_path(lang), args.runs / lang]
    return f"{common}-{digests.tree_digest(own)}"


def common_inputs(args: argparse.Namespace) -> str:
    """Digest of what every edition is rendered from (see ``edition_inputs``)."""
    options = f"{args.out}|{args.readme}|{args.data}|{args.notebooks}|{args.runs}|{args.languages}".encode()
    read = [args.notebooks, args.data, args.readme, args.citation, ROOT / "site_template", ROOT / "sitebuild",
            ROOT / "helpers", GLOSSARY]  # helpers: the editions' words and number formats (helpers.i18n)
    return f"{digests.tree_digest([*read, ROOT / 'requirements.lock'])}-{hashlib.sha256(options).hexdigest()[:16]}"


def previous_editions(out: Path) -> dict[str, str]:
    """The inputs each edition of the site in ``out`` was rendered from, if that site is as the job left it."""
    try:
        stamp = json.loads((out / digests.SITE_STAMP).read_text(encoding="utf-8"))
        editions = json.loads((out / EDITIONS_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stamp, dict) or not digests.site_is_current(out, str(stamp.get("inputs", ""))):
        return {}
    return {str(k): str(v) for k, v in editions.items()} if isinstance(editions, dict) else {}


def reuse_edition(out: Path, staging: Path, lang: str, shared: set[str]) -> int:
    """Copy the pages of one edition from the previous site (times kept); return how many files."""
    source = out / prefix(lang) if lang != "en" else out
    skip = {digests.SITE_STAMP, EDITIONS_STAMP, *(prefix(code).rstrip("/") for code in LANGUAGES if code != "en")}
    count = 0
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if not path.is_file() or rel.split("/", 1)[0] in skip or (lang == "en" and rel in shared):
            continue
        target = staging / prefix(lang) / rel if lang != "en" else staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        count += 1
    return count


def build_languages(args: argparse.Namespace, paths: list[Path], staging: Path, shared: set[str],
                    todo: dict[str, bool], runs: dict[str, languages.LanguageRuns]) -> list[str]:
    """Render (or copy from the previous site) the Russian and Kazakh editions; return warnings.

    With ``--jobs`` 2 or more, two editions render at once: the second in a forked process (rendering is one
    core's work, and the editions share nothing but the English pages, already written).
    """
    warnings: list[str] = []
    render = []
    for lang in args.languages[1:]:
        if todo[lang]:
            render.append(lang)
        else:
            print(f"{lang} edition: inputs unchanged, pages kept from the previous site "
                  f"({reuse_edition(args.out, staging, lang, shared)} files)", flush=True)
    forked = None
    if len(render) > 1 and args.jobs > 1 and sys.platform == "linux":
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        other = render.pop()
        forked = context.Process(target=_render_in_child, args=(send, args, paths, staging, shared, other, runs[other]))
        sys.stdout.flush()  # the child would print what is still in the buffer a second time
        forked.start()
        send.close()
    try:
        for lang in render:
            warnings += render_edition(args, paths, staging, shared, lang, runs[lang])
    except BaseException:
        if forked is not None:  # it writes into the staging folder the caller is about to remove
            forked.terminate()
            forked.join()
        raise
    if forked is not None:
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = ("error", "the process rendering an edition ended without a word")
        forked.join()
        if outcome[0] == "error" or forked.exitcode != 0:
            raise BuildError(f"rendering an edition failed: {outcome[1]}")
        warnings += outcome[1]
    return warnings


def _render_in_child(send: Any, args: argparse.Namespace, paths: list[Path], staging: Path, shared: set[str],
                     lang: str, found: languages.LanguageRuns) -> None:
    """Render one edition in a forked process; send back ("ok", warnings) or ("error", message)."""
    try:
        send.send(("ok", render_edition(args, paths, staging, shared, lang, found)))
    except BaseException as exc:  # reported by the parent, which stops the job
        send.send(("error", f"{lang}: {type(exc).__name__}: {exc}"))
        raise SystemExit(1) from None
    finally:
        sys.stdout.flush()


def render_edition(args: argparse.Namespace, paths: list[Path], staging: Path, shared: set[str], lang: str,
                   found: languages.LanguageRuns) -> list[str]:
    """Render the pages of the Russian or Kazakh edition from the translated notebooks; return warnings."""
    notebooks, notes = {}, {}
    for path in paths:
        kept = found.runs.get(path.name)
        run = nbformat.read(kept, as_version=4) if kept else None
        english = nbformat.read(path, as_version=4)
        notebooks[path.name] = languages.translate_notebook(english, lang, run)[0]
        if run is None:
            notes[path.name] = languages_note(lang, path.name in found.failed)
    site = SiteBuild(args, paths, staging, lang, notebooks, shared)
    site.notes = notes
    warnings = site.finish()
    print(f"{lang} edition: rendered", flush=True)
    return warnings


def languages_note(lang: str, failed: bool) -> str:
    """The visible note on a page whose code outputs are the English ones (no run in ``lang`` to show)."""
    t = gettext_of(lang)
    if failed:
        return t("The run of this notebook in this language failed: its results are shown in English.")
    return t("This notebook has not yet been run in this language: its results are shown in English.")


def main(argv: list[str] | None = None) -> int:
    """Run the job; return the process exit code."""
    args = parse_args(argv)
    args.out = args.out.resolve()
    args.runs = (args.runs or args.notebooks.parent / "locale" / "runs").resolve()
    args.languages = [lang for lang in LANGUAGES if lang in args.languages]
    if "en" not in args.languages:
        print("error: --languages must include en (the English edition is the site's root)", file=sys.stderr)
        return 2
    i18n.LOCALE_DIR = args.catalogs.resolve()  # the catalogs this job translates with (compiled on first use)
    i18n._catalog.cache_clear()
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
        runs = {lang: languages.language_runs(paths, lang, args.runs, args.jobs, args.timeout,
                                              run=not args.no_execute, rerun=args.rerun)
                for lang in args.languages[1:]}
        for lang, found in runs.items():
            for name, error in found.failed.items():
                print(f"warning: {name} failed in {lang} ({error}); its {lang} page shows the English outputs "
                      f"until its inputs change ({display_path(args.runs / lang / languages.FAILED_NAME)})")
            if found.stale:
                print(f"warning: {lang} runs out of date, shown as kept (--no-execute): {', '.join(found.stale)}")
        inputs = site_inputs(args)
        if not results and digests.site_is_current(args.out, inputs):
            shutil.rmtree(staging, ignore_errors=True)
            print(f"site up to date: {display_path(args.out)}/ was built from these same inputs, nothing to render")
            if args.timings:
                write_timings(args.timings, results, time.perf_counter() - started)
            return 0
        common = common_inputs(args)
        wanted = {lang: edition_inputs(args, lang, common) for lang in args.languages}
        before = previous_editions(args.out)
        todo = {lang: bool(results) or before.get(lang) != wanted[lang] for lang in args.languages}
        shared = write_shared(args, staging, site.renderer, site.package, site.package_files)
        warnings: list[str] = []
        if todo["en"]:
            warnings += site.finish()
        else:
            print(f"en edition: inputs unchanged, pages kept from the previous site "
                  f"({reuse_edition(args.out, staging, 'en', shared)} files)", flush=True)
        warnings += build_languages(args, paths, staging, shared, todo, runs)
        for warning in warnings:
            print(f"warning: {warning}")
        (staging / EDITIONS_STAMP).write_text(json.dumps(wanted, indent=1, sort_keys=True) + "\n", encoding="utf-8")
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
    print(f"built {len(paths)} notebook pages in each of {len(args.languages)} languages "
          f"in {time.perf_counter() - started:.1f} s")
    print(f"open the site: {display_path(args.out / 'index.html')}")
    if args.timings:
        write_timings(args.timings, results, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
