"""Which notebooks the main job re-executes: the input digests of sitebuild/digests.py (no kernels here)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitebuild import digests
from tests.conftest import ROOT


def notebook(code: list[str], markdown: str = "# Title", outputs: list[Any] | None = None) -> dict[str, Any]:
    """A minimal notebook as plain JSON."""
    cells: list[dict[str, Any]] = [{"cell_type": "markdown", "metadata": {}, "source": markdown}]
    for index, source in enumerate(code):
        cells.append(
            {
                "cell_type": "code",
                "metadata": {},
                "source": source,
                "execution_count": index + 1,
                "outputs": (outputs or [])[index : index + 1],
            }
        )
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, nb: dict[str, Any]) -> str:
    text = json.dumps(nb, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project: helpers, data, lock, the executor and one recorded notebook."""
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers/load.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "data/boundaries").mkdir(parents=True)
    (tmp_path / "data/units.csv").write_text("unit_id\nalmaty_city\n", encoding="utf-8")
    (tmp_path / "data/boundaries/units.geojson").write_text("{}", encoding="utf-8")
    (tmp_path / "requirements.lock").write_text("pandas==3.1.1\n", encoding="utf-8")
    (tmp_path / "sitebuild").mkdir()
    shutil.copyfile(ROOT / "sitebuild/execute.py", tmp_path / "sitebuild/execute.py")
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks/01_first.ipynb"
    text = write(path, notebook(["UNIT = 'almaty_city'", "print(UNIT)"], outputs=[{"output_type": "stream"}]))
    inputs = digests.inputs_of(path, digests.shared_inputs(tmp_path))
    digests.update_records(path.parent, {path.name: digests.record_for(inputs, text)})
    return tmp_path


def reason(project: Path) -> str:
    """Why the recorded notebook would be executed now ("" when up to date)."""
    path = project / "notebooks/01_first.ipynb"
    records = digests.load_records(path.parent)
    return digests.stale_reason(path, digests.inputs_of(path, digests.shared_inputs(project)), records)


def test_nothing_changed_means_up_to_date(project: Path) -> None:
    assert reason(project) == ""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p.joinpath("helpers/load.py").write_text("X = 2\n"), "helpers changed"),
        (lambda p: p.joinpath("helpers/new.py").write_text(""), "helpers changed"),
        (lambda p: p.joinpath("data/units.csv").write_text("unit_id\nastana_city\n"), "data changed"),
        (lambda p: p.joinpath("data/boundaries/units.geojson").write_text("[]"), "data changed"),
        (lambda p: p.joinpath("requirements.lock").write_text("pandas==3.1.2\n"), "lock changed"),
        (lambda p: p.joinpath("sitebuild/execute.py").write_text("# other\n"), "executor changed"),
    ],
)
def test_a_changed_shared_input_executes_again(project: Path, change: Any, expected: str) -> None:
    change(project)
    assert reason(project) == expected


def _set(cell: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(nb: dict[str, Any]) -> None:
        if key == "tags":
            nb["cells"][cell]["metadata"]["tags"] = value
        else:
            nb["cells"][cell][key] = value
    return change


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_set(0, "source", "# A better title"), ""),  # prose only: nothing to execute
        (_set(1, "source", "UNIT = 'astana_city'"), "code changed"),  # code or a parameter
        (_set(1, "tags", ["parameters"]), "code changed"),
        (_set(1, "execution_count", 7), "its outputs are not the ones the job wrote"),  # re-run by hand in Lab
    ],
    ids=["prose", "code", "tags", "outputs-by-hand"],
)
def test_an_edited_notebook_executes_again_only_when_its_code_or_outputs_changed(
    project: Path, edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    path = project / "notebooks/01_first.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    edit(nb)
    write(path, nb)
    assert reason(project) == expected


def test_another_python_executes_again(project: Path) -> None:
    path = project / "notebooks/01_first.ipynb"
    records = digests.load_records(path.parent)
    records[path.name]["python"] = "CPython 3.12.0"
    digests.update_records(path.parent, records)
    assert reason(project) == "python changed"


def test_unrecorded_or_unreadable_notebook_executes(project: Path) -> None:
    other = project / "notebooks/02_second.ipynb"
    other.write_text("{ not json", encoding="utf-8")
    records = digests.load_records(other.parent)
    inputs = digests.inputs_of(other, digests.shared_inputs(project))
    assert digests.stale_reason(other, inputs, records) == "no record of its inputs"


def test_records_file_is_stable_and_pruned(project: Path) -> None:
    folder = project / "notebooks"
    before = (folder / digests.RECORDS_NAME).read_bytes()
    assert digests.update_records(folder, {}) is False  # same content: not rewritten
    assert (folder / digests.RECORDS_NAME).read_bytes() == before
    assert digests.update_records(folder, {"02_gone.ipynb": {"code": "x"}}) is True
    assert set(digests.load_records(folder)) == {"01_first.ipynb", "02_gone.ipynb"}
    digests.update_records(folder, keep_only=["01_first.ipynb"])
    assert (folder / digests.RECORDS_NAME).read_bytes() == before


def test_the_committed_records_name_only_existing_notebooks() -> None:
    """The job prunes records of notebooks that were renamed or removed."""
    folder = ROOT / "notebooks"
    names = {path.name for path in folder.glob("[0-9][0-9]_*.ipynb")}
    assert set(digests.load_records(folder)) <= names
