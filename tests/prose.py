"""Every number written in the prose must be one the computation produced.

    .venv/bin/python -m tests.prose notebooks/02_turnout.ipynb [...]   # list unbacked numbers
    .venv/bin/python -m tests.prose --readme README.md                  # the README's findings table

How a number is matched
- Prose: the markdown cells of a notebook (or the findings table of the README, which the site's index
  shows), with inline code, link targets and HTML tags removed.
- Checked: every number with a decimal part (``77.18``, ``0.39``), and every count written with
  thousands separators or of five digits or more (``7,985,769``). Small whole numbers (``17 units``,
  ``10 of 13``) and four-digit numbers without a separator (years, ``2022``) are not checked: a count
  such as "10 of 13" must therefore be printed by a cell or written by code (a Markdown output).
- Backed: the number equals, at the precision it is printed with, a number in the notebook's outputs
  (text/plain, text/html, text/markdown, text/csv of charts, stdout) or a figure in a data/ CSV (a cell
  that holds one number; numbers inside notes do not count). "At its
  precision" means the computed value rounded to the prose number's decimals (half up or half even),
  sign ignored ("fell by 524" is backed by ``-524``).
- Numbers that are deliberately not computed (a threshold in the law, a round number of a rule) are
  listed in :data:`EXCEPTIONS`, one place for all of them, each with its reason.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# notebook stem (or "README") -> {number as written in the prose: reason it is not computed}
EXCEPTIONS: dict[str, dict[str, str]] = {
    "06_what_the_numbers_can_show": {
        "55.09": "Kazinform's misprint of Aktobe's 18:00 turnout, quoted from the turnout_timeline notes (data "
                 "README, discrepancy 1); the figure used is 55.90",
    },
}

_NUMBER = re.compile(
    r"(?<![\w.,])[-−–]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{5,})(?![\w]|\.\d|,\d{3})"
)
_ANY_NUMBER = re.compile(r"[-−–]?\d+(?:,\d{3})*(?:\.\d+)?")
_CODE_SPAN = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Unbacked:
    """A number in the prose that no computed value matches."""

    where: str  # e.g. "02_turnout.ipynb, markdown cell 5"
    number: str
    sentence: str
    nearest: str | None

    def __str__(self) -> str:
        near = f"; nearest computed value: {self.nearest}" if self.nearest else ""
        return f"{self.where}: {self.number!r} is not a computed value{near}\n    in: «{self.sentence}»"


def _value(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("−", "-").replace("–", "-")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def prose_text(markdown: str) -> str:
    """Markdown without the parts that hold no prose numbers (code spans, link targets, tags, URLs)."""
    text = _CODE_SPAN.sub(" ", markdown)
    text = _LINK_TARGET.sub("]", text)
    text = _URL.sub(" ", text)
    return html.unescape(_TAG.sub(" ", text))


def prose_numbers(markdown: str) -> Iterator[tuple[str, str]]:
    """(number as written, the sentence it stands in) for every checked number of a markdown text."""
    for sentence in _SENTENCE_END.split(prose_text(markdown)):
        for match in _NUMBER.finditer(sentence):
            yield match.group(0), " ".join(sentence.split())


def numbers_in(text: str) -> set[Decimal]:
    """Every number in a text (outputs, data cells), as exact decimals, sign dropped."""
    found: set[Decimal] = set()
    for match in _ANY_NUMBER.finditer(text):
        value = _value(match.group(0))
        if value is not None and value.is_finite():
            found.add(abs(value))
    return found


def _output_texts(output: dict[str, object]) -> Iterator[str]:
    if output.get("output_type") == "stream":
        yield "".join(output.get("text", []))  # type: ignore[arg-type]
        return
    data = output.get("data", {})
    assert isinstance(data, dict)
    for mime in ("text/plain", "text/html", "text/markdown", "text/csv"):
        if mime in data:
            value = data[mime]
            text = "".join(value) if isinstance(value, list) else str(value)
            yield _TAG.sub(" ", text) if mime == "text/html" else text


def notebook_cells(path: Path) -> list[dict[str, object]]:
    """The cells of a notebook file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert isinstance(cells, list)
    return cells


def computed_numbers(path: Path) -> set[Decimal]:
    """Every number in a notebook's stored outputs."""
    found: set[Decimal] = set()
    for cell in notebook_cells(path):
        for output in cell.get("outputs", []) or []:  # type: ignore[attr-defined]
            for text in _output_texts(output):
                found |= numbers_in(text)
    return found


def data_numbers(folder: Path) -> set[Decimal]:
    """Every figure of the data package's CSV files: cells that hold one number (not numbers inside notes)."""
    found: set[Decimal] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if _ANY_NUMBER.fullmatch(cell.strip()):
                        found |= numbers_in(cell)
    return found


def _decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def _rounded(value: Decimal, places: int) -> set[Decimal]:
    quantum = Decimal(1).scaleb(-places)
    return {value.quantize(quantum, rounding=mode) for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)}


def is_backed(number: str, computed: Iterable[Decimal]) -> bool:
    """Whether a computed value, rounded to the prose number's decimals, equals it."""
    target = _value(number)
    if target is None:
        return False
    target, places = abs(target), _decimals(number)
    return any(target in _rounded(value, places) for value in computed)


def nearest(number: str, computed: Iterable[Decimal]) -> str | None:
    """The computed value closest to a prose number (to say what the text should now read)."""
    target = _value(number)
    values = list(computed)
    if target is None or not values:
        return None
    best = min(values, key=lambda v: abs(v - abs(target)))
    places = _decimals(number)
    shown = best.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown:,.{places}f}"


def check_texts(label: str, texts: Iterable[tuple[str, str]], computed: set[Decimal],
                new: set[Decimal] | None = None) -> list[Unbacked]:
    """Check (where, markdown) pieces against the computed numbers; ``label`` keys :data:`EXCEPTIONS`.

    ``new`` (values that were not computed before a change) is where the "nearest value" is looked for
    first, so that a stale figure is reported with the figure that replaced it.
    """
    allowed = EXCEPTIONS.get(label, {})
    problems: list[Unbacked] = []
    for where, markdown in texts:
        for number, sentence in prose_numbers(markdown):
            if number in allowed or is_backed(number, computed):
                continue
            problems.append(Unbacked(where, number, sentence, nearest(number, new or computed)))
    return problems


def check_notebook(path: Path, data_folder: Path | None = None, before: Path | None = None) -> list[Unbacked]:
    """Unbacked numbers in a notebook's markdown cells (against its outputs and data/).

    ``before``: the same notebook as it was before a change (e.g. the committed one), to name new values.
    """
    outputs = computed_numbers(path)
    computed = outputs | data_numbers(data_folder or ROOT / "data")
    new = outputs - computed_numbers(before) if before is not None else None
    texts = [(f"{path.name}, markdown cell {i}", "".join(cell.get("source", [])))  # type: ignore[arg-type]
             for i, cell in enumerate(notebook_cells(path), 1) if cell.get("cell_type") == "markdown"]
    return check_texts(path.stem, texts, computed, new)


def readme_findings(readme: Path) -> str:
    """The findings table of the README (between its findings markers)."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find("<!-- findings:start -->"), text.find("<!-- findings:end -->")
    if start < 0 or end < start:
        raise ValueError(f"{readme}: no '<!-- findings:start -->' ... '<!-- findings:end -->' block")
    return text[start:end]


def check_readme(readme: Path, notebooks: Iterable[Path], data_folder: Path | None = None) -> list[Unbacked]:
    """Unbacked numbers in the README's findings table (against every notebook's outputs and data/)."""
    computed = data_numbers(data_folder or ROOT / "data")
    for path in notebooks:
        computed |= computed_numbers(path)
    rows = [(f"{readme.name}, findings row {i}", line)
            for i, line in enumerate(readme_findings(readme).splitlines(), 1) if line.startswith("| **")]
    return check_texts("README", rows, computed)


def main(argv: list[str] | None = None) -> int:
    """List the unbacked numbers of the notebooks (and README) named; exit 1 if there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--readme", type=Path, help="also check this README's findings table")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    problems: list[Unbacked] = []
    for path in args.notebooks:
        problems += check_notebook(path, args.data)
    if args.readme:
        every = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        problems += check_readme(args.readme, every, args.data)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} unbacked number(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
