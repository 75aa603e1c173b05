"""The search stage's other names (from data/units.csv) and the project archive's determinism (no browser)."""

from __future__ import annotations

import csv
import zipfile
from io import BytesIO
from pathlib import Path

from sitebuild import archive, search
from tests.conftest import DATA, ROOT


def test_units_other_names_lead_to_the_english_words() -> None:
    with (DATA / "units.csv").open(encoding="utf-8", newline="") as handle:
        aliases = search.unit_aliases(list(csv.DictReader(handle)))
    assert aliases["aqtobe"] == "aktobe"  # a romanisation
    assert aliases["алматы"] == "almaty"  # Russian and Kazakh: city and region agree on the word
    assert aliases["актюбинская"] == "aktobe"
    assert aliases["astana"] == "nur sultan"  # a former (and later) name
    assert "akmola" not in aliases  # an English unit name (and Nur-Sultan's former name): never rewritten


def test_kept_terms_and_folding() -> None:
    aliases = search.read_aliases(DATA / "units.csv", ROOT / "site_template/search_terms.json")
    assert aliases["явка"] == "turnout"
    assert "" not in aliases
    assert search.fold("Aqtöbe") == "aqtobe" and search.fold("Қабылдайсыз") == "қабылдаисыз"


def test_search_index_is_one_object_per_language() -> None:
    entries = [{"page": "a.html", "page_title": "A", "anchor": "x", "title": "X", "text": "<b>"}]
    text = search.search_index_json(entries, {"aqtobe": "aktobe"}, "ru", {"Search": "Поиск"})
    assert text == ('{"lang":"ru","aliases":{"aqtobe":"aktobe"},"words":{"Search":"Поиск"},'
                    '"docs":[["a.html","A","x","X","\\u003cb>"]]}')


def test_project_archive_is_deterministic_and_complete(tmp_path: Path) -> None:
    first = archive.project_zip(ROOT, ROOT / "notebooks", DATA)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in sorted((ROOT / "notebooks").iterdir()):  # a copy written later: other mtimes, same bytes
        (notebooks / path.name).write_bytes(path.read_bytes())
    assert archive.project_zip(ROOT, notebooks, DATA) == first
    with zipfile.ZipFile(BytesIO(first)) as built:
        names = built.namelist()
    assert "kz-referendum-2022/requirements.lock" in names and "kz-referendum-2022/sitebuild/archive.py" in names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def test_the_not_yet_translated_mark_is_not_indexed() -> None:
    """A Russian page's English unit is found by its words, not by the mark that follows it."""
    html = ('<body><h2 id="a">Явка<span lang="en" class="untranslated">Turnout</span>'
            '<sup class="untranslated-mark">ещё не переведено</sup></h2><p>текст</p></body>')
    [entry] = [e for e in search.page_sections(html, "x.html", "X") if e["anchor"] == "a"]
    assert entry["title"] == "ЯвкаTurnout" and "переведено" not in entry["title"] + entry["text"]
