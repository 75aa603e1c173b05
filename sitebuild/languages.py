"""The Russian and Kazakh editions of an executed English notebook, every number still computed.

A notebook in another language is the English notebook with

- its markdown cells translated unit by unit (heading, list item, paragraph, table cell) from the language's
  catalog, ``locale/<lang>/LC_MESSAGES/messages.po``; a unit without a translation stays in English inside
  ``<span lang="en" class="untranslated">`` followed by a visible "not yet translated" mark, and is counted;
- the outputs of its code cells taken from running the same notebook once with ``KZREF_LANG=<lang>``: the
  sentences the code writes (``helpers.i18n._``), chart titles and labels, table headers, unit names and
  number formats come out in that language from the same computation. Code stays as written.

    python -m sitebuild.languages notebooks/02_turnout.ipynb --lang ru kk --out _artifacts/languages

executes each notebook once per language (the English run is the main job's) and writes
``<out>/<lang>/<stem>.ipynb``, printing how many units are not yet translated.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from helpers.i18n import LANGUAGE_ENV, translated
from sitebuild.catalogs import Unit, join_markdown, split_markdown


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


def translate_markdown(source: str, lang: str) -> tuple[str, Coverage]:
    """A markdown cell in ``lang``: each unit from the catalog, or in English and marked."""
    missing = 0
    pieces = split_markdown(source)

    def render(unit: Unit) -> str:
        nonlocal missing
        found = translated(unit.text, lang)
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


def build(path: Path, langs: list[str], out: Path) -> dict[str, Coverage]:
    """Write ``out/<lang>/<stem>.ipynb`` for each language: one execution per language."""
    english = nbformat.read(path, as_version=4)
    result = {}
    for lang in langs:
        nb, coverage = translate_notebook(english, lang, execute_in(path, lang))
        target = out / lang / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        result[lang] = coverage
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--lang", nargs="+", default=["ru", "kk"], choices=["ru", "kk"])
    parser.add_argument("--out", type=Path, default=Path("_artifacts/languages"))
    args = parser.parse_args(argv)
    for path in args.notebooks:
        for lang, coverage in build(path, args.lang, args.out).items():
            print(f"{lang}/{path.name}: {coverage.units - coverage.untranslated} of {coverage.units} "
                  "markdown units translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
