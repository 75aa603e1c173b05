"""The Russian and Kazakh runs of the notebooks, as committed in ``locale/runs/<lang>/`` (issue 20).

The site's Russian and Kazakh pages show the outputs of running each English notebook once with
``KZREF_LANG=ru`` / ``kk`` (sitebuild/languages.py). The runs are committed, so that a fresh clone renders every
edition without executing, and checked here without executing anything:

- each run is current: its record matches what it would be computed from today (the notebook's code, helpers,
  data, lock, Python, executor and the language's code messages), so a data correction fails these tests in both
  languages exactly as nbval fails the English notebooks;
- nothing a reader sees is left in English: the sentences, tables and CSV headers the code writes, and every piece
  of text drawn in each chart (``chart_text``, recorded by helpers.plots.finish), apart from names that are the
  same in every language (:data:`SAME_IN_EVERY_LANGUAGE`);
- numbers are never retyped: every number in a cell's Russian or Kazakh output is a number of the same cell's
  English output.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
import pytest

from sitebuild import digests, languages

from .conftest import ROOT
from .test_i18n import english_numbers, local_numbers

LANGS = ("ru", "kk")
RUNS = ROOT / "locale" / "runs"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Words written in Latin letters in every edition: organisations' and people's names as they publish them, data
# and statistics notation, file and column identifiers a re-user types. Anything else in Latin letters in a
# Russian or Kazakh output is English left untranslated.
SAME_IN_EVERY_LANGUAGE = frozenset({
    # sources and organisations as they write their names
    "KazISS", "Qogamdyq", "Pikir", "Kazinform", "Trend", "Informburo", "Nohlen", "Azernews", "Tengrinews",
    "NewTimes", "rossaprimavera", "Vestnik", "Kavkaza",
    # statistics and software
    "Holm", "Bonferroni", "Fisher", "Wilson", "Mann", "Whitney", "Spearman", "Pearson", "Benford", "Kendall",
    "rho", "BCa", "scipy", "statsmodels", "pandas",
    # the data package's table names (a re-user types them)
    *(resource["name"] for resource in json.loads((ROOT / "data/datapackage.json").read_text("utf-8"))["resources"]),
})
STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
CODE_LIKE = re.compile(
    r"`[^`]*`|https?://\S+"  # code, addresses
    r"|\b[\w./-]+\.(?:csv|json|ipynb|py|md|png|[a-z]{2,3})\b"  # files and web sites (egemen.kz, sudd.ch)
    r"|\b[\w.-]+/[\w./-]+"  # paths (data/boundaries)
    r"|'[A-Za-z][^'\n]*'|\"[A-Za-z][^\"\n]*\"|“[A-Za-z][^”\n]*”|«[A-Za-z][^»\n]*»"  # quoted English ('set forth in')
    r"|\b[a-z]+(?:[_-][a-z]+)+\b"  # identifiers and site names (unit_id, open-data-kazakhstan)
    r"|\b[A-Z][A-Z0-9_+-]+\b")  # parameter names and acronyms (REPORT_HOUR, UTC+5, PDF, SOCIS-A, CSV)


# The ballot question's English wording is data shown as data (a row of data/constitution_facts.csv, beside the
# Russian and Kazakh wordings): a quotation, the same in every edition.
_FACTS = {row["fact_id"]: row["value"] for row in csv.DictReader(
    (ROOT / "data/constitution_facts.csv").open(encoding="utf-8", newline=""))}
QUOTED_AS_DATA = (" ".join(_FACTS["ballot_question_en"].split()),)


def reader_text(output: dict[str, Any], *, charts: bool = True) -> list[str]:
    """What a reader sees of one output: its text, markdown and table HTML (tags stripped), the CSV's header and
    comment lines, and (``charts``) the chart's drawn text, which only the Russian and Kazakh runs record."""
    data = output.get("data", {})
    shown: list[str] = []
    if output.get("output_type") == "stream" and output.get("name") == "stdout":
        shown.append(str(output.get("text", "")))
    for mime in ("text/markdown", "text/html"):
        if mime in data:
            shown.append(html.unescape(TAG.sub(" ", STYLE.sub(" ", str(data[mime])))))
    if "text/plain" in data and not ({"text/markdown", "text/html", "image/png"} & set(data)):
        shown.append(str(data["text/plain"]))
    if "text/csv" in data:
        lines = str(data["text/csv"]).splitlines()
        shown += [line for line in lines if line.startswith("#")]
        shown += [next((line for line in lines if not line.startswith("#")), "")]
    if charts:
        shown += [str(text) for text in output.get("metadata", {}).get("chart_text", [])]
    return shown


def english_left(texts: list[str]) -> Counter[str]:
    """Words of three or more Latin letters that are not names or notation (see SAME_IN_EVERY_LANGUAGE)."""
    found: Counter[str] = Counter()
    for text in texts:
        text = " ".join(text.split())
        for quoted in QUOTED_AS_DATA:
            text = text.replace(quoted, " ")
        for word in LATIN_WORD.findall(CODE_LIKE.sub(" ", text)):
            if word not in SAME_IN_EVERY_LANGUAGE:
                found[word] += 1
    return found


def run_of(lang: str, path: Path) -> Any:
    run = RUNS / lang / path.name
    assert run.exists(), f"{run.relative_to(ROOT)} is missing: run `make` (the main job writes the language runs)"
    return nbformat.read(run, as_version=4)


def test_a_run_of_every_notebook_is_committed_for_every_language() -> None:
    assert NOTEBOOKS, "no notebooks found"
    for lang in LANGS:
        kept = sorted(p.name for p in (RUNS / lang).glob("*.ipynb"))
        assert kept == [p.name for p in NOTEBOOKS], f"locale/runs/{lang}/ holds {kept}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_committed_run_is_current(lang: str) -> None:
    shared = digests.shared_inputs()
    records = digests.load_records(RUNS / lang)
    stale = {path.name: sorted(k for k, v in languages.run_inputs(path, lang, shared).items()
                                if records.get(path.name, {}).get(k) != v) for path in NOTEBOOKS}
    stale = {name: keys for name, keys in stale.items() if keys}
    assert not stale, f"{lang} runs computed from other inputs than today's (changed: {stale}): run `make`"


def test_a_data_correction_makes_the_runs_of_every_language_stale(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for name in ("helpers", "sitebuild"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    assert digests.shared_inputs(tmp_path) == digests.shared_inputs()
    results = tmp_path / "data" / "national_results.csv"
    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace("68.05", "68.06", 1), encoding="utf-8")
    assert results.read_text(encoding="utf-8") != text, "the test's correction did not apply"
    corrected = digests.shared_inputs(tmp_path)
    for lang in LANGS:
        records = digests.load_records(RUNS / lang)
        for path in NOTEBOOKS:
            assert languages.run_inputs(path, lang, corrected) != records[path.name]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_nothing_a_reader_sees_in_a_run_is_left_in_english(lang: str, path: Path) -> None:
    run = run_of(lang, path)
    left: Counter[str] = Counter()
    for cell in run.cells:
        if cell.cell_type == "code":
            for output in cell.outputs:
                left += english_left(reader_text(output))
    assert not left, f"{lang}/{path.name}: English words in outputs: {dict(left.most_common(40))}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_number_of_a_run_is_a_number_of_the_english_output(lang: str, path: Path) -> None:
    english, run = nbformat.read(path, as_version=4), run_of(lang, path)
    assert len(english.cells) == len(run.cells), f"{lang}/{path.name} has other cells than the English notebook"
    problems = []
    for number, (ours, theirs) in enumerate(zip(english.cells, run.cells, strict=True)):
        if ours.cell_type != "code":
            continue
        english_values = english_numbers("\n".join(t for o in ours.outputs for t in reader_text(o, charts=False)))
        local_values = local_numbers("\n".join(t for o in theirs.outputs for t in reader_text(o, charts=False)))
        extra = sorted(local_values - english_values)
        if extra:
            problems.append(f"cell {number}: {', '.join(f'{v:g}' for v in extra[:8])}")
    assert not problems, f"{lang}/{path.name}: numbers not in the English output: {problems}"


def test_the_english_check_finds_english_and_passes_names_and_identifiers() -> None:
    output = {"output_type": "display_data", "metadata": {"chart_text": ["Явка, % зарегистрированных", "SOCIS-A"]},
              "data": {"text/markdown": "Явка выросла на 2,5 пункта в `turnout_pct` (data/results.csv).",
                       "text/csv": "# Диаграмма\nunit_id,turnout\n1,2\n"}}
    assert english_left(reader_text(output)) == Counter({"turnout": 1})
    assert english_left(["перевод со словами «set forth in», egemen.kz, data/boundaries"]) == Counter()
    output["metadata"]["chart_text"].append("holds under all 3 alternatives tried")
    assert set(english_left(reader_text(output))) == {"turnout", "holds", "under", "all", "alternatives", "tried"}


def test_the_number_check_catches_a_number_the_english_output_does_not_have() -> None:
    assert local_numbers("68,05\u00a0% и 11\u00a0734\u00a0642") <= english_numbers("68.05 % and 11,734,642")
    assert not local_numbers("68,06\u00a0%") <= english_numbers("68.05 %")
