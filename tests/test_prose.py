"""Every number in the prose (notebooks' markdown, README findings, hence the site's index) is computed.

The matching rules and the one list of deliberate exceptions are in ``tests/prose.py``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import zmq
from nbclient import NotebookClient
from traitlets.config import Config

from tests import prose
from tests.conftest import DATA, ROOT, edit_csv

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_number_in_a_notebooks_prose_is_computed(path: Path) -> None:
    problems = prose.check_notebook(path)
    assert not problems, "\n".join(str(p) for p in problems)


def test_every_number_in_the_readme_findings_is_computed() -> None:
    problems = prose.check_readme(ROOT / "README.md", NOTEBOOKS)
    assert not problems, "\n".join(str(p) for p in problems)


def test_the_matching_rules() -> None:
    computed = prose.numbers_in("yes 77.1843 of 7985769, fell -524, 0.125")
    assert prose.is_backed("77.18", computed)
    assert prose.is_backed("77.2", computed)
    assert not prose.is_backed("77.19", computed)
    assert prose.is_backed("7,985,769", computed)
    assert prose.is_backed("524", computed)
    assert prose.is_backed("0.13", computed) and prose.is_backed("0.12", computed)  # half up or half even
    checked = [n for n, _ in prose.prose_numbers("In 2022, 17 units; 68.05 % of 11,734,642 (`x = 3.5`), see [a](b1.2)")]
    assert checked == ["68.05", "11,734,642"]


def _move_votes_from_no_to_yes(folder: Path, votes: int) -> tuple[int, int]:
    """In the final national row of 2022, move ``votes`` from no to yes (the parts still add up)."""
    moved: list[int] = []

    def change(rows: list[list[str]]) -> None:
        header = rows[0]
        for row in rows[1:]:
            if row[header.index("referendum_date")] == "2022-06-05" and row[header.index("stage")] == "final":
                yes, no = int(row[header.index("yes_votes")]), int(row[header.index("no_votes")])
                row[header.index("yes_votes")], row[header.index("no_votes")] = str(yes + votes), str(no - votes)
                moved.extend([yes, yes + votes])
                return
        raise AssertionError("no final 2022 row in national_results.csv")

    edit_csv(folder / "national_results.csv", change)
    return moved[0], moved[1]


def test_a_data_correction_the_text_does_not_follow_fails(tmp_path: Path) -> None:
    """Change a figure the prose quotes, re-execute: the check names the notebook, the sentence, old and new."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    old, new = _move_votes_from_no_to_yes(data, 100)  # small enough that yes_pct and no_pct still agree
    source = ROOT / "notebooks" / "01_at_a_glance.ipynb"
    quoted = f"{old:,}"
    assert any(quoted == n for n, _ in prose.prose_numbers(source.read_text(encoding="utf-8"))), (
        f"01 no longer quotes the yes count {quoted}; pick another quoted figure for this test")
    nb = nbformat.read(source, as_version=4)
    os.environ[prose_env()] = str(data)
    try:
        NotebookClient(nb, timeout=60, kernel_name="python3", config=quiet_kernel(),
                       resources={"metadata": {"path": str(source.parent)}}).execute()
    finally:
        del os.environ[prose_env()]
    executed = tmp_path / source.name
    nbformat.write(nb, executed)
    problems = prose.check_notebook(executed, data, before=source)
    mine = [p for p in problems if p.number == quoted]
    assert mine, f"the stale {quoted} was not caught: {problems}"
    report = str(mine[0])
    assert source.name in report and quoted in report and f"{new:,}" in report and "«" in report


def quiet_kernel() -> Config:
    """Encrypt the local kernel channels, as the main job does (the kernel warns on stderr otherwise)."""
    config = Config()
    config.KernelManager.transport_encryption = "auto" if zmq.has("curve") else "disabled"
    return config


def prose_env() -> str:
    from helpers.load import DATA_DIR_ENV

    return DATA_DIR_ENV


def test_each_readme_finding_names_sections_its_notebooks_have() -> None:
    """A finding's "where it comes from" names notebook sections (“…”); each must be a heading of that notebook."""
    rows = [line for line in prose.readme_findings(ROOT / "README.md").splitlines() if line.startswith("| **")]
    assert len(rows) >= 8, "the README's findings table is nearly empty"
    for row in rows:
        where = row.rsplit("| [", 1)[1]
        for target, sections in re.findall(r"\]\(notebooks/([^)]+)\)((?:[,;]? (?:and )?“[^”]+”)*)", where):
            headings = {line.lstrip("#").strip() for cell in prose.notebook_cells(ROOT / "notebooks" / target)
                        if cell.get("cell_type") == "markdown"
                        for line in "".join(cell.get("source", [])).splitlines() if line.startswith("#")}  # type: ignore[arg-type]
            for section in re.findall(r"“([^”]+)”", sections):
                assert section in headings, f"README finding points to “{section}” in {target}: no such heading"
