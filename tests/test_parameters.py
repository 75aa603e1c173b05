"""Readers explore by editing a notebook's ``parameters`` cell: other values work, bad ones stop at once.

Each notebook with a cell tagged ``parameters`` runs (papermill, into a temporary folder, never over the
committed notebook) with another value: it must complete, and what depends on the choice must change
(the ``expect`` text appears in its outputs and not in the committed ones). The runs of this file share one
kernel (tests/notebook_runs.py), each from an emptied namespace. Bad values: tests/test_parameters_refused.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import notebook_runs, sweep
from tests.conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"

# notebook stem -> (other parameters, a text that must then appear in the outputs, and not before)
OTHER_VALUES: dict[str, tuple[dict[str, Any], str]] = {
    "03_approval": ({"STAGE": "preliminary"}, "only 5 of the 12 units needed have a published yes share and the others "
                    "depend on the chair's statement (holds under all 2 alternatives tried: stage)"),
    "04_regional": ({"UNIT": "Kostanay", "REPORT_HOUR": 20},
                    "of the macro-regions with a new count; the western had none"),
    "02_turnout": ({"REPORT_HOUR": 20, "UNIT": "Kostanay"},
                   "**At 20:00 turnout ran from 32.25\u00a0% in Almaty city to 80.66\u00a0% in Turkestan** among "
                   "the 12 units with a count"),
    "01_at_a_glance": ({"STAGE": "preliminary"}, "Yes won 6,163,863 votes at the preliminary count, 77.18\u00a0% of "
                       "all who took part and 52.53\u00a0% of all registered voters (holds under all 8 alternatives"),
    "07_three_referendums": ({"COMPARE": ["2022-06-05", "2024-10-06"], "REPORT_HOUR": 20},
                             "2022 had a higher turnout than 2024, 68.05\u00a0% of registered voters against "
                             "63.66\u00a0% (holds under all 5 alternatives tried: turnout and yes measures)"),
    "05_claims_checked": ({"RECENT_VOTES_FROM": 1991},  # claim 9's verdict and the In short must not change with it
                          "From 1991 on (your choice), 4 of the 16 votes known then had a lower turnout"),
    "06_what_the_numbers_can_show": ({"N_SIMULATIONS": 4000, "SEED": 7, "MADE_UP_PERCENT": [10, 50, 100]},
                                     "the numbers tried are too far apart to say more: add values between them"),
    "08_what_went_with_turnout": ({"REPORT_HOUR": 16},
                                  "**1 of the seven statistics is clearly linked to turnout even once we allow for "
                                  "having tried seven**: GRP per person"),
}
# notebook stem -> (a bad parameter value, a text the error must contain)
BAD_VALUES: dict[str, tuple[dict[str, Any], str]] = {
    "03_approval": ({"STAGE": "prelim"}, "STAGE = 'prelim' is not allowed; choose one of 'preliminary', 'final'"),
    "04_regional": ({"UNIT": "Abai"}, "Abai Region did not exist on 5 June 2022: it was part of East Kazakhstan"),
    "02_turnout": ({"REPORT_HOUR": 21}, "REPORT_HOUR = 21 is not allowed; choose one of 10, 12, 14"),
    "05_claims_checked": ({"RECENT_VOTES_FROM": 2022},
                          "RECENT_VOTES_FROM = 2022 is out of range; expected a whole number between 1991 and 2019"),
    "06_what_the_numbers_can_show": ({"MADE_UP_PERCENT": 0},
                                     "MADE_UP_PERCENT = 0 leaves 0; the power check (a number of made-up figures"),
    "08_what_went_with_turnout": ({"EXCLUDE_UNITS": ["akmola", "aktobe", "almaty_region", "atyrau", "west_kazakhstan",
                                                    "zhambyl", "karaganda", "kostanay"]},
                                  "leaves 9; a run at 22:00 of the 17 units needs at least 10"),
    "01_at_a_glance": ({"STAGE": "prelim"}, "choose one of 'preliminary', 'final'"),
    "07_three_referendums": ({"COMPARE": "2022-06-05"},
                             "must list '2022-06-05' (this collection's vote) and at least one of '2024-10-06' or"),
}


def parameterised() -> list[Path]:
    """The notebooks that have a cell tagged ``parameters``."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
            found.append(path)
    return found


def output_text(nb: dict[str, Any]) -> str:
    """All text outputs of a notebook, joined (plain, markdown, HTML, chart data)."""
    parts: list[str] = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for mime in ("text/plain", "text/markdown", "text/html", "text/csv"):
                value = output.get("data", {}).get(mime, "")
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def run(path: Path, out: Path, parameters: dict[str, Any], kernel: Any) -> dict[str, Any]:
    """Execute a copy of the notebook with the parameters injected (the main job's bounds), in ``kernel``."""
    return dict(notebook_runs.run_with_parameters(path, out, parameters, kernel=kernel))


def test_at_least_five_notebooks_have_a_parameters_cell_and_each_is_tried() -> None:
    stems = {p.stem for p in parameterised()}
    assert len(stems) >= 5, f"only {sorted(stems)} have a cell tagged 'parameters'"
    assert stems == set(OTHER_VALUES) == set(BAD_VALUES), (
        f"parameterised {sorted(stems)}; other values for {sorted(OTHER_VALUES)}; bad values for {sorted(BAD_VALUES)}")


@pytest.mark.parametrize("stem", sorted(OTHER_VALUES))
def test_another_value_tells_the_story_for_that_choice(stem: str, tmp_path: Path, kernel: Any) -> None:
    parameters, expect = OTHER_VALUES[stem]
    path = NOTEBOOKS / f"{stem}.ipynb"
    committed = output_text(json.loads(path.read_text(encoding="utf-8")))
    assert expect not in committed, f"{stem}: {expect!r} is already in the committed outputs; choose a telling text"
    executed = run(path, tmp_path / path.name, parameters, kernel)
    assert expect in output_text(executed), f"{stem} with {parameters}: {expect!r} not in the outputs"
    # the sweep's checks (tests/sweep.py) on this run: its fast sample in the test suite
    problems = sweep.check_run(sweep.Case(stem, parameters), executed, sweep.parameters_cell(stem))
    assert not problems, f"{stem} with {parameters}: {problems}"


def test_a_shared_kernel_starts_each_run_from_an_empty_namespace(tmp_path: Path, kernel: Any) -> None:
    """What one run leaves (a name, an open figure) is gone when the next starts: a notebook that relies on a name
    it does not define fails in the shared kernel as in a new one."""
    import nbformat
    import papermill

    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    for path, code in ((first, "import matplotlib.pyplot as plt\nleft_over = 1\nplt.figure()"),
                       (second, "import matplotlib.pyplot as plt\nassert plt.get_fignums() == []\nleft_over")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, path)
    run(first, tmp_path / "first-out.ipynb", {}, kernel)
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        run(second, tmp_path / "second-out.ipynb", {}, kernel)
    assert failure.value.ename == "NameError" and "left_over" in failure.value.evalue


def test_a_shared_kernel_left_busy_by_a_timed_out_cell_is_restarted_for_the_next_run(tmp_path: Path,
                                                                                       kernel: Any) -> None:
    import nbformat

    hung, after = tmp_path / "hung.ipynb", tmp_path / "after.ipynb"
    for path, code in ((hung, "import time\ntime.sleep(600)"), (after, "print('ran')")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, path)
    with pytest.raises(TimeoutError):
        notebook_runs.run_with_parameters(hung, tmp_path / "hung-out.ipynb", {}, cell_timeout=3, kernel=kernel)
    done = notebook_runs.run_with_parameters(after, tmp_path / "after-out.ipynb", {}, cell_timeout=10, kernel=kernel)
    assert done.cells[-1].outputs[0]["text"] == "ran\n"
