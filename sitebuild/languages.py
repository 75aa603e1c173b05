"""The Russian and Kazakh editions of an executed English notebook, every number still computed.

A notebook in another language is the English notebook with

- its markdown cells translated unit by unit (heading, list item, paragraph, table cell) from the language's
  catalog, ``locale/<lang>/LC_MESSAGES/messages.po``; a unit without a translation stays in English inside
  ``<span lang="en" class="untranslated">`` followed by a visible "not yet translated" mark, and is counted;
- the outputs of its code cells taken from running the same notebook once with ``KZREF_LANG=<lang>``: the
  sentences the code writes (``helpers.i18n._``), chart titles and labels, table headers, unit names and
  number formats come out in that language from the same computation. Code stays as written.

    python -m sitebuild.languages notebooks/*.ipynb --lang ru kk --jobs 2 --out _artifacts/languages

writes ``<out>/<lang>/<name>.ipynb`` for each language, printing how many units are not yet translated. Each
notebook is executed at most once per language (the English run is the main job's), on the main job's workers
and watchdog (sitebuild.execute.run_all), and only when needed: the runs are kept in ``locale/runs/<lang>/``
(committed: the main job renders the Russian and Kazakh pages from them) with a record of their inputs
(``digests.json`` there): the English notebook's code, the helpers, data, lock,
Python and executor digests of sitebuild.digests, and the digest of the *code messages* of the language's
catalog (translations of messages that ``helpers/`` or the notebook's code cells use). A changed markdown
translation therefore re-renders the page without executing anything; a changed computed-sentence translation,
helper or notebook code re-executes that notebook in that language. A run that fails is recorded in
``failed.json`` beside the records and not retried until its inputs change (:func:`language_runs`); the main job
then shows that page's English outputs under a visible note and warns on every build.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from helpers import i18n
from helpers.i18n import LANGUAGE_ENV, translated, written_for
from sitebuild import digests
from sitebuild.catalogs import Unit, join_markdown, read_catalog, split_markdown


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it here."""
    return message


# The site's own words (templates, download labels, the language switcher), in the catalogs for the
# three-edition rendering; the templates pick them up with the same msgids.
UI_STRINGS = (
    N_("not yet translated"),
    N_("Contents"),
    N_("Search"),
    N_("Show all code"),
    N_("Download the notebook (.ipynb)"),
    N_("How to run it yourself"),
    N_("Run this notebook yourself"),
    N_("Headline findings"),
    N_("The notebooks"),
    N_("Data"),
    N_("Data package"),
    N_("Sources"),
    N_("How to cite"),
    N_("Glossary"),
    N_("Image (PNG, {size})"),
    N_("Data (CSV)"),
    N_("Table (CSV)"),
    N_("Words to find in every section of every page"),
    N_("The search runs in this page, without a network."),
    N_("The search needs JavaScript. Without it, use the contents list of each page."),
    N_("Language"),
    N_("English"),
    N_("Russian"),
    N_("Kazakh"),
    N_("This page in English"),
    N_("This page in Russian"),
    N_("This page in Kazakh"),
    # the tables' titles in data/datapackage.json (the data page and the index list them; tests/test_site_render.py
    # fails when a title there is not here)
    N_("The 17 first-level units that voted on 5 June 2022"),
    N_("Regions created on 8 June 2022 from 2022 units"),
    N_("National figures by referendum and stage"),
    N_("2022 per-unit results as published (partial)"),
    N_("Published bounds on per-unit results"),
    N_("Polling-day turnout reports, 5 June 2022"),
    N_("Exit polls, 2022, 2024 and 2026 referendums"),
    N_("Opinion surveys around the 2022 referendum"),
    N_("National votes in Kazakhstan, 1991-2026"),
    N_("Facts about the Constitution and the 2022 reform"),
    N_("Context figures per 2022 unit (census, population, area, ethnic shares, voter lists)"),
    N_("Per-unit results published for the 2024 and 2026 referendums"),
    N_("Polling-day turnout reports, 2024 and 2026 referendums"),
    N_("Regional statistics per unit: population, urban population, wages, unemployment, GRP per "
       "capita, age groups, higher education (2020-2023)"),
    # the site's name (site_template/site.json)
    N_("Kazakhstan's referendum of 5 June 2022"),
    # the pages' own words (site_template/, sitebuild/render.py and build.py: labels, downloads, CSV headers)
    N_("Contents of this page"),
    N_("The tables: download and sources"),
    N_('Each table as CSV (UTF-8; an empty cell means "not published"), and the pages its rows were '
       "copied from (every row names its own in the column <code>source_url</code>)."),
    N_("Link to this table"),
    N_("Download %(file)s"),
    N_("rows: %(rows)s"),
    N_("Sources:"),
    N_('Machine-readable description: <a href="%(href)s" download="datapackage.json" '
       'target="_blank">datapackage.json</a> (Frictionless Data Package).'),
    N_("The terms that carry the analysis, as the Central Referendum Commission uses them in Russian "
       "and Kazakh, with the source of each wording. Every page of the three editions uses these words."),
    N_("Source"),
    N_('The same as CSV, with a note on each term: <a href="%(href)s" download="glossary.csv" '
       'target="_blank">glossary.csv</a>.'),
    N_("No notebooks yet."),
    N_('Every figure comes from the tidy tables of the data package: the <a href="%(page)s">data '
       "page</a> offers each table as CSV with the pages its rows come from, and explains definitions "
       "and discrepancies."),
    N_('Take the <a href="%(href)s" download="datapackage.json" target="_blank">datapackage.json</a> '
       "into R, Excel or your own code."),
    N_('To run the analysis yourself, <a class="site-project" href="%(href)s" download="%(name)s" '
       'target="_blank">download the whole project</a> (ZIP: notebooks, helpers, data, lock file): '
       "unpack it, run <code>make</code> in its folder (Python %(python)s), then <code>make lab</code>."),
    N_('Corrections and changed findings: <a href="%(href)s">changelog</a>. The terms, as the '
       'commission uses them in Russian and Kazakh: <a href="%(glossary)s">glossary</a>.'),
    N_("Each row of each table names the page its figure was copied from (<code>source_url</code>); "
       'under every chart and table the pages behind it are links. The <a href="%(href)s">data page</a> '
       "lists discrepancies between sources and how they were resolved."),
    N_("Version"),
    N_("data of"),
    N_("Licence:"),
    N_('The same in machine-readable form: <a class="site-citation-file" href="%(href)s" '
       'download="CITATION.cff" target="_blank">CITATION.cff</a> (Citation File Format %(version)s; reference '
       "managers and GitHub read it). To reuse a chart, take its PNG and the CSV of its data from the "
       "links under it; each CSV starts with the chart's title, source and units."),
    N_("Skip to the content"),
    N_("Site"),
    N_("Search all pages"),
    N_("Changelog"),
    N_("Content last changed"),
    N_("Notebooks"),
    N_("Download:"),
    N_("Hide all code"),
    N_('<a class="site-project" href="%(href)s" download="%(name)s" target="_blank">Download the whole '
       "project</a> (notebooks, helpers, data, lock file; ZIP) and unpack it."),
    N_("In its folder run <code>make</code> (Python %(python)s: it installs the pinned packages into "
       "<code>.venv/</code> and runs every notebook), then <code>make lab</code>."),
    N_("Open <code>%(source)s</code>, change a value in its <code>parameters</code> cell if you like, "
       "and run all cells."),
    N_("The notebook alone, with the outputs shown here:"),
    N_("In the browser:"),
    N_("Changelog: corrections and changed findings"),
    N_("data version %(version)s"),
    N_("Chart, enlarged"),
    N_("Close"),
    N_("Code: the parameters you can change"),
    N_("Code"),
    N_("(1 line)"),
    N_("(%(count)s lines)"),
    N_("Link to this chart"),
    N_("Enlarge the chart"),
    N_("How to cite this chart:"),
    N_("Figure"),
    N_("(JavaScript output: not shown in the static site)"),
    N_("(Interactive widget: open the notebook in JupyterLab)"),
    N_("Site: {site}"),
    N_("Licence: {licence}"),
    N_("Data version: {version} of {date}"),
    N_("Data version: {version}"),
    N_("Page: {page}"),
    N_("the data page"),
    N_("Sources ({tables}): {urls}"),
    N_("Table {number} of {page}: {title}"),
    N_("Values as shown on the page."),
    N_("Chart"),
    N_("data version {version}"),
    N_("Table"),
    N_("One more point and the evidence"),
    N_("{count} more points and the evidence"),
    N_("Key chart of {title}"),
    N_("The run of this notebook in this language failed: its results are shown in English."),
    N_("This notebook has not yet been run in this language: its results are shown in English."),
    N_("Type a word or two, e.g. Almaty or exit poll."),
    N_("Sections found: {count}"),
    N_("Sections found: {count}, the first {shown} shown"),
    N_("Nothing found for “{query}”."),
    # the message of CITATION.cff, shown above the citation block (index page)
    N_("If you use these figures, the data package or the notebooks, please cite them as below."),
)
UNTRANSLATED_CLASS = "untranslated"


@dataclass(frozen=True)
class Coverage:
    """Translatable markdown units of a notebook (or cell) and how many of them are not yet translated."""

    units: int = 0
    untranslated: int = 0

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.units + other.units, self.untranslated + other.untranslated)


def mark_untranslated(text: str, lang: str) -> str:
    """The English text of a unit, marked as English and visibly as not yet translated."""
    mark = translated("not yet translated", lang) or "not yet translated"
    return (f'<span lang="en" class="{UNTRANSLATED_CLASS}">{text}</span>'
            f'<sup class="untranslated-mark">{html.escape(mark)}</sup>')


def translate_markdown(source: str, lang: str, context: str | None = None) -> tuple[str, Coverage]:
    """A markdown cell in ``lang``: each unit from the catalog, or in English and marked. ``context``: the name of
    a site document (``data/README.md``, see catalogs.site_documents), whose messages carry it."""
    missing = 0
    pieces = split_markdown(source)

    def render(unit: Unit) -> str:
        nonlocal missing
        found = translated(unit.text, lang, context)
        if found is None:
            missing += 1
            return mark_untranslated(unit.text, lang)
        return found

    text = join_markdown(pieces, render, figures=lambda cell: written_for(cell, lang))
    return text, Coverage(sum(isinstance(p, Unit) for p in pieces), missing)


def translate_notebook(english: Any, lang: str, executed: Any | None = None) -> tuple[Any, Coverage]:
    """``english`` in ``lang``: markdown from the catalog, code outputs from ``executed`` (the run in ``lang``).

    ``executed`` must be the same notebook (same cells, same code) run with ``KZREF_LANG=lang``; without it the
    English outputs are kept (for a markdown-only preview).
    """
    nb = nbformat.from_dict(english)
    if executed is not None and len(executed.cells) != len(nb.cells):
        raise ValueError(f"the {lang} run has {len(executed.cells)} cells, the English notebook {len(nb.cells)}")
    coverage = Coverage()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source, counted = translate_markdown(cell.source, lang)
            coverage += counted
        elif cell.cell_type == "code" and executed is not None:
            run = executed.cells[index]
            if run.source != cell.source:
                raise ValueError(f"cell {index} of the {lang} run differs from the English notebook's code")
            cell.outputs = run.outputs
            cell.execution_count = run.execution_count
    nb.metadata["language"] = lang
    nb.metadata["translation"] = {"markdown_units": coverage.units, "not_yet_translated": coverage.untranslated}
    return nb, coverage


@contextmanager
def language_environment(lang: str) -> Iterator[None]:
    """``KZREF_LANG=lang`` for the kernels started inside (they inherit this process's environment)."""
    before = os.environ.get(LANGUAGE_ENV)
    os.environ[LANGUAGE_ENV] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = before


def execute_in(path: Path, lang: str) -> Any:
    """Run the notebook at ``path`` once with ``KZREF_LANG=lang`` (the main job's executor and bounds)."""
    from sitebuild.execute import execute_notebook

    with language_environment(lang):
        result = execute_notebook(path)
    if not result.ok:
        raise RuntimeError(f"{path.name} failed in {lang}: {result.error}")
    return nbformat.reads(result.text, as_version=4)


def code_messages_digest(lang: str, notebook: str) -> str:
    """Digest of the translations a run of ``notebook`` in ``lang`` can use: messages of ``helpers/`` and of the
    notebook's code cells (markdown-only messages left out: they never reach an output)."""
    path = i18n.catalog_path(lang)
    if not path.exists():
        return "no catalog"
    stat = path.stat()
    return _code_messages_digest(path, lang, notebook, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _code_messages_digest(path: Path, lang: str, notebook: str, _mtime: int, _size: int) -> str:
    """:func:`code_messages_digest` for one state of the catalog file (parsed once per state, not per notebook)."""
    chunks = []
    for message in _parsed_catalog(path, lang, _mtime, _size):
        places = {name for name, _line in message.locations}
        used = any(name.startswith("helpers/") for name in places) or (
            f"notebooks/{notebook}" in places and any(c.startswith("code cell") for c in message.auto_comments))
        if message.id and used:
            chunks.append(json.dumps([message.id, message.string, message.fuzzy], ensure_ascii=False))
    return hashlib.sha256("\n".join(chunks).encode()).hexdigest()[: digests.SHORT]


@functools.lru_cache(maxsize=4)
def _parsed_catalog(path: Path, lang: str, _mtime: int, _size: int) -> Any:
    return read_catalog(path, lang)


def run_inputs(path: Path, lang: str, shared: dict[str, str]) -> dict[str, str]:
    """What a run of ``path`` in ``lang`` is computed from (compare with the record of the kept run)."""
    return {**digests.inputs_of(path, shared), "catalog": code_messages_digest(lang, path.name), "language": lang}


FAILED_NAME = "failed.json"  # beside a language's digests.json: runs that failed, with the inputs they failed on


@dataclass
class LanguageRuns:
    """Each notebook's run in one language (None where there is no usable run), and what happened to them."""

    runs: dict[str, Path | None] = field(default_factory=dict)  # notebook name -> the kept run, or None
    executed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # notebook name -> the error (this job or recorded)
    stale: list[str] = field(default_factory=list)  # kept runs used although their inputs changed (--no-execute)


def _read_failed(folder: Path) -> dict[str, Any]:
    path = folder / FAILED_NAME
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_failed(folder: Path, failed: dict[str, Any]) -> None:
    path = folder / FAILED_NAME
    if not failed:
        path.unlink(missing_ok=True)
        return
    text = json.dumps(dict(sorted(failed.items())), indent=1, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def language_runs(
    paths: list[Path], lang: str, runs: Path, jobs: int, timeout: int | None = None, run: bool = True,
    rerun: bool = False,
) -> LanguageRuns:
    """The runs of ``paths`` with ``KZREF_LANG=lang``, kept in ``runs/<lang>/`` (``locale/runs/``) with their input
    records (the same as sitebuild.languages.editions'), executing those whose inputs changed when ``run`` (all of
    them with ``rerun``, as ``make rerun`` asks).

    A run that fails is recorded in ``failed.json`` with its inputs and not retried until they change: its page
    shows the English outputs with a visible note and the job prints a warning on every build (the English
    edition, the reference, is not held back by a translation's failure; see issue 20).
    """
    from sitebuild.execute import CELL_TIMEOUT, run_all, write_if_changed

    folder = runs / lang
    folder.mkdir(parents=True, exist_ok=True)
    shared = digests.shared_inputs()
    records, failed = digests.load_records(folder), _read_failed(folder)
    wanted = {path: run_inputs(path, lang, shared) for path in paths}
    result = LanguageRuns()
    stale = [p for p, inputs in wanted.items() if records.get(p.name) != inputs or not (folder / p.name).exists()]
    todo = list(paths) if rerun else [p for p in stale if failed.get(p.name, {}).get("inputs") != wanted[p]]
    while run and todo:  # run_all starts nothing new after a failure: go on with the rest
        with language_environment(lang):  # the workers fork with it, their kernels inherit it
            results = list(run_all(todo, jobs, timeout or CELL_TIMEOUT))
        for done in results:
            name = done.path.name
            if done.ok:
                write_if_changed(folder / name, done.text)
                digests.update_records(folder, {name: wanted[done.path]})
                failed.pop(name, None)
                result.executed.append(name)
                print(f"executed {name} in {lang} ({done.seconds:.1f} s)", flush=True)
            else:
                failed[name] = {"inputs": wanted[done.path], "error": done.error.splitlines()[0]}
                print(f"FAILED   {name} in {lang} ({done.seconds:.1f} s):\n{done.error}", flush=True)
        finished = {done.path for done in results}
        todo = [p for p in todo if p not in finished] if finished else []
    digests.update_records(folder, keep_only=[p.name for p in paths])
    _write_failed(folder, {n: f for n, f in failed.items() if n in {p.name for p in paths}})
    records = digests.load_records(folder)
    for path in paths:
        name, kept = path.name, folder / path.name
        if name in failed and failed[name].get("inputs") == wanted[path]:
            result.failed[name] = str(failed[name].get("error", "failed"))
            result.runs[name] = None
        elif kept.exists():
            if records.get(name) != wanted[path]:
                result.stale.append(name)
            result.runs[name] = kept
        else:
            result.runs[name] = None
            result.stale.append(name)
    return result


@dataclass
class Editions:
    """The notebooks in each language, and which of them had to be executed to get there."""

    notebooks: dict[str, dict[str, Any]] = field(default_factory=dict)  # lang -> notebook name -> notebook
    coverage: dict[str, dict[str, Coverage]] = field(default_factory=dict)  # lang -> name -> coverage
    executed: dict[str, list[str]] = field(default_factory=dict)  # lang -> names executed in this call


def editions(paths: list[Path], langs: list[str], out: Path, jobs: int = 2, runs: Path | None = None) -> Editions:
    """Each notebook of ``paths`` in each of ``langs``, executing only the runs whose inputs changed.

    Runs are kept in ``runs/<lang>/`` (default ``out/runs/``) with their input records (:func:`language_runs`);
    translated notebooks are returned (not written). Raises RuntimeError naming the notebook, the language and the
    cell if a run fails.
    """
    runs = out / "runs" if runs is None else runs
    result = Editions()
    for lang in langs:
        found = language_runs(paths, lang, runs, jobs, run=True)
        if found.failed:
            raise RuntimeError(f"the {lang} run failed: " + "; ".join(f"{n}: {e}" for n, e in found.failed.items()))
        result.executed[lang] = sorted(found.executed)
        result.notebooks[lang], result.coverage[lang] = {}, {}
        for path in paths:
            english = nbformat.read(path, as_version=4)
            run = nbformat.read(runs / lang / path.name, as_version=4)
            nb, coverage = translate_notebook(english, lang, run)
            result.notebooks[lang][path.name], result.coverage[lang][path.name] = nb, coverage
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--lang", nargs="+", default=["ru", "kk"], choices=["ru", "kk"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("_artifacts/languages"), help="the translated notebooks")
    parser.add_argument("--runs", type=Path, default=i18n.LOCALE_DIR / "runs",
                        help="the runs kept with their records (default locale/runs/, the ones the site uses)")
    args = parser.parse_args(argv)
    built = editions(sorted(args.notebooks), args.lang, args.out, args.jobs, args.runs)
    for lang, notebooks in built.notebooks.items():
        for name, nb in notebooks.items():
            target = args.out / lang / name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = nbformat.writes(nb) + "\n"
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
            coverage = built.coverage[lang][name]
            state = "executed" if name in built.executed[lang] else "run kept"
            print(f"{lang}/{name}: {coverage.units - coverage.untranslated} of {coverage.units} markdown units "
                  f"translated ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
