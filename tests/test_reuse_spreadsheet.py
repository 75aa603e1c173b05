"""Every data CSV opened in LibreOffice Calc (headless) and saved back as CSV, in two ways: with Calc's
default import (which does not assume UTF-8, as Excel on Windows does not) and with an explicit UTF-8
import. Each result loads with values identical to the original, or is refused with a message naming
the file: never changed values without an error. Needs ``soffice`` (Debian: libreoffice-calc-nogui,
installed by .ci/run); all files are converted in one soffice call per way."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import load
from helpers.errors import DataError
from tests.conftest import DATA

TABLES = load._resource_names()
# Export: comma, double quote, UTF-8 (76), from line 1 - Calc's "Text CSV" with the UTF-8 character set.
EXPORT = 'csv:Text - txt - csv (StarCalc):44,34,76,1'
IMPORTS = {
    "default import": [],  # Calc guesses the character set: a single-byte code page, not UTF-8
    "UTF-8 import": ["--infilter=CSV:44,34,76,1"],
}


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is needed: apt-get install libreoffice-calc-nogui (.ci/run installs it)"
    return found


@pytest.fixture(scope="module")
def round_trips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per way of importing, holding every data CSV as Calc saved it."""
    base = tmp_path_factory.mktemp("calc")
    profile = (base / "profile").as_uri()  # a fresh Calc profile: no settings from the machine
    files = [str(DATA / load._resource(name, DATA)["path"]) for name in TABLES]
    out: dict[str, Path] = {}
    for way, infilter in IMPORTS.items():
        folder = base / way.replace(" ", "_")
        command = [soffice(), f"-env:UserInstallation={profile}", "--headless", *infilter,
                   "--convert-to", EXPORT, "--outdir", str(folder), *files]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        out[way] = folder
    return out


def load_round_trip(name: str, saved: Path, tmp_path: Path) -> pd.DataFrame:
    """Load table ``name`` from a copy of data/ in which only its file is Calc's."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    file = load._resource(name, DATA)["path"]
    shutil.copyfile(saved / file, folder / file)
    return load.table(name, folder)


@pytest.mark.parametrize("way", list(IMPORTS))
@pytest.mark.parametrize("name", TABLES)
def test_calc_round_trip_loads_identically_or_is_refused(name: str, way: str, round_trips: dict[str, Path],
                                                         tmp_path: Path) -> None:
    file = load._resource(name, DATA)["path"]
    assert (round_trips[way] / file).exists(), f"Calc wrote no {file}"
    try:
        loaded = load_round_trip(name, round_trips[way], tmp_path)
    except DataError as refused:
        assert f"data/{file}" in str(refused), f"the message does not name the file: {refused}"
        return
    pd.testing.assert_frame_equal(loaded, load.table(name))


def test_calc_default_import_mojibake_is_refused_naming_the_cell(round_trips: dict[str, Path],
                                                                 tmp_path: Path) -> None:
    """The damage the round trip does is real (this is no test of a no-op): Russian names turn to mojibake."""
    with pytest.raises(DataError) as refused:
        load_round_trip("units", round_trips["default import"], tmp_path)
    message = str(refused.value)
    for fragment in ("data/units.csv", "row 1 (unit_id=akmola)", "column 'name_ru'", "mojibake", "UTF-8"):
        assert fragment in message, message


def test_calc_utf8_import_reformatted_text_is_refused(round_trips: dict[str, Path], tmp_path: Path) -> None:
    """With a UTF-8 import Calc re-formats what it reads as a date ('Jun 2022' -> '06/01/2022')."""
    saved = (round_trips["UTF-8 import"] / "unit_facts.csv").read_text(encoding="utf-8")
    assert ",Jun 2022," in (DATA / "unit_facts.csv").read_text(encoding="utf-8")
    assert ",Jun 2022," not in saved, "this Calc no longer re-formats the text: the test needs another example"
    with pytest.raises(DataError, match=r"data/unit_facts.csv: row \d+ .*column 'reference_date'"):
        load_round_trip("unit_facts", round_trips["UTF-8 import"], tmp_path)
