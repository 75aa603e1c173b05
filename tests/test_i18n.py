"""The Russian and Kazakh editions: catalogs, glossary, translated notebooks (issue 20).

The catalogs are checked as committed: they parse, they are up to date with the sources, every translation keeps
its message's placeholders and numbers, the glossary's terms are translated as the glossary says, and the share
translated is the one the README quotes. A changed English text must show up as untranslated, never as a stale
translation. One small notebook is executed once per language (shared by the tests that need it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from babel.messages.catalog import Message

from helpers import i18n, units
from sitebuild import catalogs, digests, languages

from .conftest import ROOT

LANGS = catalogs.LANGUAGES
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# English numbers: 11,734,642 / 68.05 / 5; Russian and Kazakh: 11 734 642 (no-break or thin spaces) / 68,05
EN_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.,])\d+(?:\.\d+)?(?!\d)")
LOCAL_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?!\d)|(?<![\w.,])\d+(?:,\d+)?(?!\d)")


def english_numbers(text: str) -> set[float]:
    """The values of the numbers written in an English text (code spans and link targets left out)."""
    return {float(n.replace(",", "")) for n in EN_NUMBER.findall(_prose(text))}


def local_numbers(text: str) -> set[float]:
    """The values of the numbers written the Russian / Kazakh way."""
    return {float(re.sub(r"[\u00a0\u202f ]", "", n).replace(",", ".")) for n in LOCAL_NUMBER.findall(_prose(text))}


# versions, not figures: 0.3.0, 22.3.5, tzdata 2025b (but the 1990s are years)
VERSION = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}[a-z]?(?![\w.])|(?<![\w.])\d{4}[a-rt-z](?![\w.])")
NUMBER_TOKEN = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def _prose(text: str) -> str:
    return VERSION.sub(" ", re.sub(r"\]\([^)]*\)", "]", re.sub(r"`[^`]*`", " ", text)))


QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


def _quoted_as_printed(msgid: str, msgstr: str) -> tuple[str, str]:
    """Both texts without the numbers written identically in each that are quotations: a figure as its Russian
    source printed it ("206 096", "69,8": written the Russian way in the English text too), or any figure inside
    quotation marks in both texts. An English-written number (68.05, 11,734,642) copied into a translation outside
    quotation marks stays, and fails: the translation must write it the language's way."""
    quoted_id, quoted_str = " ".join(QUOTED.findall(msgid)), " ".join(QUOTED.findall(msgstr))
    for token in sorted(set(NUMBER_TOKEN.findall(msgid)), key=len, reverse=True):
        times = min(msgid.count(token), msgstr.count(token))  # each quotation once: "206 096" quoted, then used
        written_locally = re.search(r"[ \u00a0\u202f]|,(?!\d{3}(?!\d))", token) is not None  # 206 096, 69,8
        in_quotes = token in quoted_id and token in quoted_str
        if re.search(r"[ \u00a0\u202f,.]", token) and times and (written_locally or in_quotes):
            msgid, msgstr = msgid.replace(token, " ", times), msgstr.replace(token, " ", times)
    return msgid, msgstr


def number_problems(msgid: str, msgstr: str) -> list[str]:
    """Numbers of a translation that its English text does not have, and English numbers it lost (versions such
    as 0.3.0 and numbers quoted character for character in both texts are left out)."""
    versions = sorted(set(VERSION.findall(msgid)) ^ set(VERSION.findall(msgstr)))
    msgid, msgstr = _quoted_as_printed(msgid, msgstr)
    english, local = english_numbers(msgid), local_numbers(msgstr)
    problems = [f"{value:g} is not a number of the English text" for value in sorted(local - english)]
    problems += [f"version {version} is not written as in the English text" for version in versions]
    return problems + [f"{value:g} of the English text is missing" for value in sorted(english - local)]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


@pytest.fixture(scope="module")
def po() -> dict[str, Any]:
    return {lang: catalogs.read_catalog(catalogs.po_path(lang), lang) for lang in LANGS}


def test_the_catalogs_parse_and_have_the_language_plural_rules(po: dict[str, Any]) -> None:
    template = catalogs.read_catalog(catalogs.TEMPLATE)
    assert len([m for m in template if m.id]) > 50
    assert po["ru"].num_plurals == 3 and po["kk"].num_plurals == 2


def test_the_catalogs_are_up_to_date_with_the_notebooks_and_helpers() -> None:
    assert catalogs.out_of_date() == []


def test_a_message_added_to_a_notebook_makes_the_catalogs_out_of_date(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    for name in ("helpers", "sitebuild"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, tmp_path / "notebooks")
    for name in catalogs.site_documents(ROOT):  # the README, the data README and the changelog
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    assert catalogs.out_of_date(tmp_path) == []
    path = tmp_path / "notebooks" / "02_turnout.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell('print(_("A new computed sentence at {hour}:00.").format(hour=22))'))
    nbformat.write(nb, path)
    problems = catalogs.out_of_date(tmp_path)
    assert len(problems) == 3 and all("1 message(s) new" in p and "A new computed sentence" in p for p in problems)
    catalogs.update(tmp_path)
    assert catalogs.out_of_date(tmp_path) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_keeps_its_placeholders_and_no_others(po: dict[str, Any], lang: str) -> None:
    wrong = []
    for message in po[lang]:
        if not catalogs.is_translated(message):
            continue
        wanted = {p for text in _ids(message) for p in PLACEHOLDER.findall(text)}
        for form in _strings(message):
            if set(PLACEHOLDER.findall(form)) != wanted:
                wrong.append(f"{message.id!r} -> {form!r}")
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_of_a_translation_is_a_number_of_its_english_text(po: dict[str, Any], lang: str) -> None:
    wrong = []
    for message in po[lang]:
        if catalogs.is_translated(message) and not isinstance(message.id, tuple):
            problems = number_problems(message.id, str(message.string))
            if problems:
                wrong.append(f"{message.id!r} -> {message.string!r}: {'; '.join(problems)}")
    assert not wrong, "numbers retyped in translations:\n" + "\n".join(wrong)


def test_the_number_check_catches_a_retyped_or_dropped_number() -> None:
    english, russian = "**68.05 %** of 11,734,642 took part", "**68,05 %** из 11\u00a0734\u00a0642 приняли участие"
    assert number_problems(english, russian) == []
    assert number_problems("68.05 % took part", "68,06 % приняли участие") == [
        "68.06 is not a number of the English text", "68.05 of the English text is missing"]
    assert number_problems("at 22:00 on 5 June 2022", "в 22:00 5 июня") == ["2022 of the English text is missing"]
    assert number_problems("Data package 0.3.0 (tzdata 2025b)", "Пакет данных 0.3.0 (tzdata 2025b)") == []
    assert number_problems("Data package 0.3.0", "Пакет данных 0.3.1") == [
        "version 0.3.0 is not written as in the English text", "version 0.3.1 is not written as in the English text"]
    assert number_problems("it printed “206 096 votes”", "напечатано «206 096 голосов»") == []
    assert number_problems("it printed “206 096 votes”", "напечатано «206 097 голосов»") != []
    assert number_problems("“206 096”: **206,096** entered", "«206 096»: внесено **206 096**") == []
    assert number_problems("“206 096”: **206,096** entered", "«206 096»: внесено **206 069**") != []
    # an English-written number copied into a translation is not the language's way, unless both texts quote it
    assert number_problems("68.05 % took part", "68.05 % приняли участие") != []
    assert number_problems("of 11,734,642 voters", "из 11,734,642 избирателей") != []
    assert number_problems('printed "68.05 %"', "напечатано «68.05 %»") == []
    assert number_problems("Atpress prints 69,8 %", "Atpress печатает 69,8 %") == []  # a source's own writing


def test_the_glossary_has_every_language_and_a_source_or_a_note_saying_there_is_none() -> None:
    rows = catalogs.glossary_rows()
    assert {"registered voters", "took part", "ballots received", "valid", "invalid", "both boxes marked",
            "preliminary results", "final results", "exit poll", "margin of error", "design effect",
            "carried forward", "like-for-like base", "turnout", "Central Referendum Commission",
            "polling station"} <= {row["term_en"] for row in rows}
    for number, row in enumerate(rows, start=2):
        where = f"locale/glossary.csv row {number} ({row['term_en']})"
        assert all(row[f"term_{lang}"].strip() for lang in ("en", "ru", "kk")), f"{where}: a language is empty"
        urls = [u.strip() for u in row["source_url"].split(" ; ") if u.strip()]
        assert all(re.fullmatch(r"https?://\S+", u) for u in urls), f"{where}: source_url is not a list of URLs"
        if urls:
            assert row["source"].strip(), f"{where}: a URL without saying what it is"
        else:
            assert "no source" in row["note"].lower(), f"{where}: no source, and the note does not say so"
        if "no source found" in row["source"]:
            assert "our rendering" in row["note"], f"{where}: an unsourced language must be called our rendering"


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogs_translate_each_glossary_term_as_the_glossary_does(po: dict[str, Any], lang: str) -> None:
    for row in catalogs.glossary_rows():
        message = po[lang].get(row["term_en"])
        assert message is not None and message.string == row[f"term_{lang}"], row["term_en"]


def test_the_share_translated_is_the_one_the_readme_states(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogs.main(["status"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == len(LANGS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in printed:
        assert line in readme, f"README does not quote `make i18n-status`: {line!r}"


def test_a_unit_split_gives_the_cell_back_and_keeps_code_links_and_table_rules() -> None:
    source = ("## In short\n- **68.05 %** took part\n  (final result)\n\nSee [notebook 02](02_turnout.ipynb) and "
              "`REPORT_HOUR`.\n\n| notebook | question |\n|---|---|\n| [02_turnout.ipynb](02_turnout.ipynb) | "
              "Who voted? |\n\n```python\nx = 1\n```")
    pieces = catalogs.split_markdown(source)
    assert catalogs.join_markdown(pieces) == source
    assert [(u.kind, u.text) for u in catalogs.markdown_units(source)] == [
        ("heading", "In short"), ("list item", "**68.05 %** took part (final result)"),
        ("paragraph", "See [notebook 02](02_turnout.ipynb) and `REPORT_HOUR`."), ("table cell", "notebook"),
        ("table cell", "question"), ("table cell", "Who voted?")]


def test_a_translated_cell_uses_the_catalog_and_marks_what_is_not_translated() -> None:
    text, coverage = languages.translate_markdown("## In short\n- a sentence nobody has translated", "ru")
    assert text.startswith("## Коротко\n- ")
    assert '<span lang="en" class="untranslated">a sentence nobody has translated</span>' in text
    assert "ещё не переведено" in text
    assert coverage == languages.Coverage(units=2, untranslated=1)


@pytest.fixture
def isolated_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's notebooks/02 and locale/ in which to change English text; helpers.i18n reads it."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "02_turnout.ipynb", tmp_path / "notebooks")
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n._catalog.cache_clear()
    yield tmp_path
    i18n._catalog.cache_clear()


def test_an_english_text_changed_in_a_notebook_shows_up_as_untranslated(isolated_catalogs: Path) -> None:
    path = isolated_catalogs / "notebooks" / "02_turnout.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source == "# Who voted, and when?"
    assert languages.translate_markdown(nb.cells[0].source, "ru")[1].untranslated == 0
    old = {lang: i18n.translated("Who voted, and when?", lang) for lang in LANGS}
    assert all(old.values())
    nb.cells[0].source = "# Who voted, and at what hour?"
    nbformat.write(nb, path)
    catalogs.update(isolated_catalogs)
    i18n._catalog.cache_clear()
    for lang in LANGS:
        catalog = catalogs.read_catalog(isolated_catalogs / "locale" / lang / "LC_MESSAGES" / "messages.po", lang)
        new = catalog.get("Who voted, and at what hour?")
        assert new is not None and not catalogs.is_translated(new)  # at most a fuzzy suggestion, never used
        # the old translation is kept for the translator: as a fuzzy suggestion on the new text, or obsolete
        assert (new.fuzzy and new.string == old[lang]) or (
            "Who voted, and when?" in catalog.obsolete)
        assert catalog.get("Who voted, and when?") is None
        text, coverage = languages.translate_markdown(nb.cells[0].source, lang)
        assert coverage.untranslated == 1 and 'lang="en"' in text and "at what hour" in text


# ----------------------------------------------------------------------------------------------------------
# A notebook run in each language: executed once per language, shared by the tests below
# ----------------------------------------------------------------------------------------------------------

PROBE_CODE = """\
import pandas as pd
from helpers import robust, tables
from helpers.i18n import _, fmt
print(robust.verdict({"base": True, "stage": False, "Almaty city left out": True}))
print(_("{first} and {last}").format(first="a", last="b"), fmt.percent(68.05, 2), fmt.integer(11734642))
tables.readable(pd.DataFrame({"unit_id": ["almaty_city"], "took_part": [7985769], "flag": [True]}))"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, languages.Editions]:
    """A small notebook and its editions: executed once per language on the main job's workers."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Who voted, and when?\n\nA sentence not yet in the catalogs."),
                nbformat.v4.new_code_cell(PROBE_CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path_factory.mktemp("probe") / "probe.ipynb"
    nbformat.write(nb, path)
    built = languages.editions([path], list(LANGS), path.parent / "out", jobs=2)
    assert built.executed == {lang: ["probe.ipynb"] for lang in LANGS}
    return nb, path, built


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", ["зависит от выбора: подтверждается при 2 из 3 проверенных альтернатив, но не в вариантах: stage",
            "a и b 68,05\u00a0% 11\u00a0734\u00a0642", "город Алматы", "7\u00a0985\u00a0769", "да"]),
    ("kk", ["таңдауға байланысты: сыналған 3 баламаның 2 баламасында расталады, stage бойынша расталмайды",
            "a және b 68,05\u00a0% 11\u00a0734\u00a0642", "Алматы қаласы", "7\u00a0985\u00a0769", "иә"]),
])
def test_a_notebook_run_in_a_language_computes_its_sentences_tables_and_names_in_it(
        probe: tuple[Any, Path, languages.Editions], lang: str, expected: list[str]) -> None:
    _english, _path, built = probe
    nb, coverage = built.notebooks[lang]["probe.ipynb"], built.coverage[lang]["probe.ipynb"]
    assert nb.cells[0].source.startswith("# " + str(i18n.translated("Who voted, and when?", lang)))
    assert coverage == languages.Coverage(units=2, untranslated=1)
    assert nb.metadata["translation"] == {"markdown_units": 2, "not_yet_translated": 1}
    assert nb.metadata["language"] == lang
    assert nb.cells[1].source == PROBE_CODE  # the code is the English notebook's
    shown = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/html", "")) for o in nb.cells[1].outputs)
    for text in expected:
        assert text in shown, f"{text!r} not in the {lang} run's output:\n{shown}"
    assert "depends on the choice" not in shown and units.name_of("almaty_city", "en") not in shown


def test_a_run_whose_code_differs_from_the_english_notebook_is_refused(
        probe: tuple[Any, Path, languages.Editions]) -> None:
    english, path, _built = probe
    changed = nbformat.read(path.parent / "out" / "runs" / "ru" / "probe.ipynb", as_version=4)
    changed.cells[1].source += "\n1"
    with pytest.raises(ValueError, match="cell 1 of the ru run differs"):
        languages.translate_notebook(english, "ru", changed)


def test_runs_are_kept_until_their_code_changes_and_markdown_never_re_executes(
        probe: tuple[Any, Path, languages.Editions], tmp_path: Path) -> None:
    _english, original, _built = probe
    path = tmp_path / "probe.ipynb"
    shutil.copy(original, path)
    shutil.copytree(original.parent / "out", tmp_path / "out")
    again = languages.editions([path], list(LANGS), tmp_path / "out")
    assert again.executed == {lang: [] for lang in LANGS}  # nothing changed: no kernel started
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# Who voted, and when?\n\nAnother sentence, changed in the English text."
    nbformat.write(nb, path)
    prose = languages.editions([path], ["ru"], tmp_path / "out")
    assert prose.executed == {"ru": []}  # markdown is translated from the catalog, not executed
    assert "Another sentence" in prose.notebooks["ru"]["probe.ipynb"].cells[0].source
    runs = tmp_path / "out" / "runs" / "ru"
    record = digests.load_records(runs)["probe.ipynb"]
    assert record["catalog"] == languages.code_messages_digest("ru", "probe.ipynb") and record["language"] == "ru"
    nb.cells[1].source = PROBE_CODE.replace('"stage": False', '"stage": True')
    nbformat.write(nb, path)  # new code: the kept run no longer matches (checked without starting a kernel)
    assert languages.run_inputs(path, "ru", digests.shared_inputs()) != record
    assert languages.run_inputs(path, "ru", digests.shared_inputs())["catalog"] == record["catalog"]


def test_only_translations_that_code_uses_make_a_run_stale(isolated_catalogs: Path) -> None:
    before = languages.code_messages_digest("ru", "02_turnout.ipynb")
    po_file = isolated_catalogs / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = po_file.read_text(encoding="utf-8")
    assert 'msgstr "Кто голосовал и когда?"' in text and 'msgstr "вывод подтверждается?"' in text
    po_file.write_text(text.replace('msgstr "Кто голосовал и когда?"', 'msgstr "Кто и когда голосовал?"'), "utf-8")
    assert languages.code_messages_digest("ru", "02_turnout.ipynb") == before  # a heading: re-render only
    po_file.write_text(text.replace('msgid "finding holds?"\nmsgstr "вывод подтверждается?"',
                                    'msgid "finding holds?"\nmsgstr "вывод верен?"'), "utf-8")
    assert languages.code_messages_digest("ru", "02_turnout.ipynb") != before  # a helper's word: re-execute


@pytest.mark.parametrize(("lang", "day"), [
    ("en", "5 June 2022"),  # day first, as the collection's prose and sources write it (not CLDR's "June 5, 2022")
    ("ru", "5 июня 2022\u202fг."),  # CLDR keeps the year and its abbreviation together
    ("kk", "2022\u00a0жылғы 5 маусым"),  # as official texts write it, not CLDR's "2022 ж."
])
def test_dates_are_written_by_babel_for_the_language(monkeypatch: pytest.MonkeyPatch, lang: str, day: str) -> None:
    import datetime as dt

    monkeypatch.setenv("KZREF_LANG", lang)
    assert i18n.fmt.date(dt.date(2022, 6, 5)) == day


def test_a_site_document_message_has_its_document_as_context(po: dict[str, Any]) -> None:
    # "notes" is a column name in the data README (kept) and a table header in 01 (translated): two messages.
    documents = set(catalogs.site_documents(ROOT))
    for lang in LANGS:
        for message in po[lang]:
            places = {name for name, _line in message.locations}
            if message.id and places & documents:
                assert message.context in documents and places == {message.context}, (lang, message.id, places)
    assert i18n.translated("notes", "ru") != i18n.translated("notes", "ru", context="data/README.md") == "notes"


@pytest.mark.parametrize(("lang", "registered", "share"), [
    ("ru", "**11\u00a0734\u00a0642**", "68,0529 (68,05 ✔)"),
    ("kk", "**11\u00a0734\u00a0642**", "68,0529 (68,05 ✔)"),
])
def test_a_table_cell_of_figures_is_written_with_the_languages_symbols(lang: str, registered: str, share: str) -> None:
    """The data README's cells of figures have no words (so no message), yet a Russian or Kazakh reader sees them
    written as the rest of the page; names in code, dates and counts stay as they are."""
    from sitebuild.languages import translate_markdown

    source = ("| measure | value | column | from |\n|---|---|---|---|\n"
              "| registered | **11,734,642** | `turnout_2000` | 2023-01-01 (20) |\n"
              "| turnout | 68.0529 (68.05 ✔) | `data/boundaries/units_2022.geojson` | 17 |\n"
              "| version | 0.3.0 | 1.5 | 2023-01-01 |")
    text = translate_markdown(source, lang, "data/README.md")[0]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in text.splitlines()]
    assert rows[2][1] == registered and rows[3][1] == share
    assert rows[2][2:] == ["`turnout_2000`", "2023-01-01 (20)"]
    assert rows[3][2:] == ["`data/boundaries/units_2022.geojson`", "17"]
    assert rows[4][1:] == ["0.3.0", "1,5", "2023-01-01"]  # a version is not a number
