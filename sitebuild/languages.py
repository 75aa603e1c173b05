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
and watchdog (sitebuild.execute.run_all), and only when needed: the runs are kept in ``<out>/runs/<lang>/``
with a record of their inputs (``digests.json`` there): the English notebook's code, the helpers, data, lock,
Python and executor digests of sitebuild.digests, and the digest of the *code messages* of the language's
catalog (translations of messages that ``helpers/`` or the notebook's code cells use). A changed markdown
translation therefore re-renders the page without executing anything; a changed computed-sentence translation,
helper or notebook code re-executes that notebook in that language.
"""

from __future__ import annotations

import argparse
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
from helpers.i18n import LANGUAGE_ENV, translated
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

    text = join_markdown(pieces, render)
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
    chunks = []
    for message in read_catalog(path, lang):
        places = {name for name, _line in message.locations}
        used = any(name.startswith("helpers/") for name in places) or (
            f"notebooks/{notebook}" in places and any(c.startswith("code cell") for c in message.auto_comments))
        if message.id and used:
            chunks.append(json.dumps([message.id, message.string, message.fuzzy], ensure_ascii=False))
    return hashlib.sha256("\n".join(chunks).encode()).hexdigest()[: digests.SHORT]


def run_inputs(path: Path, lang: str, shared: dict[str, str]) -> dict[str, str]:
    """What a run of ``path`` in ``lang`` is computed from (compare with the record of the kept run)."""
    return {**digests.inputs_of(path, shared), "catalog": code_messages_digest(lang, path.name), "language": lang}


@dataclass
class Editions:
    """The notebooks in each language, and which of them had to be executed to get there."""

    notebooks: dict[str, dict[str, Any]] = field(default_factory=dict)  # lang -> notebook name -> notebook
    coverage: dict[str, dict[str, Coverage]] = field(default_factory=dict)  # lang -> name -> coverage
    executed: dict[str, list[str]] = field(default_factory=dict)  # lang -> names executed in this call


def editions(paths: list[Path], langs: list[str], out: Path, jobs: int = 2) -> Editions:
    """Each notebook of ``paths`` in each of ``langs``, executing only the runs whose inputs changed.

    Runs are kept in ``out/runs/<lang>/`` with their input records; translated notebooks are returned (not
    written). Raises RuntimeError naming the notebook, the language and the cell if a run fails.
    """
    from sitebuild.execute import run_all, write_if_changed

    shared = digests.shared_inputs()
    result = Editions()
    for lang in langs:
        folder = out / "runs" / lang
        folder.mkdir(parents=True, exist_ok=True)
        records = digests.load_records(folder)
        wanted = {path: run_inputs(path, lang, shared) for path in paths}
        stale = [path for path, inputs in wanted.items()
                 if records.get(path.name) != inputs or not (folder / path.name).exists()]
        with language_environment(lang):  # the workers fork with it, their kernels inherit it
            for run in run_all(stale, jobs):
                if not run.ok:
                    raise RuntimeError(f"the {lang} run failed: {run.error}")
                write_if_changed(folder / run.path.name, run.text)
                digests.update_records(folder, {run.path.name: wanted[run.path]})
        digests.update_records(folder, keep_only=[path.name for path in paths])
        result.executed[lang] = sorted(path.name for path in stale)
        result.notebooks[lang], result.coverage[lang] = {}, {}
        for path in paths:
            english = nbformat.read(path, as_version=4)
            run = nbformat.read(folder / path.name, as_version=4)
            nb, coverage = translate_notebook(english, lang, run)
            result.notebooks[lang][path.name], result.coverage[lang][path.name] = nb, coverage
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--lang", nargs="+", default=["ru", "kk"], choices=["ru", "kk"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("_artifacts/languages"))
    args = parser.parse_args(argv)
    built = editions(sorted(args.notebooks), args.lang, args.out, args.jobs)
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
