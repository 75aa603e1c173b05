"""A bad value in a notebook's ``parameters`` cell stops in the next cell with a one-line answer that names the
allowed values (the values and the runner are tests/test_parameters.py's; a file of its own so that the test
runner's two workers share the papermill runs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import papermill
import pytest

from tests import sweep
from tests.test_parameters import BAD_VALUES, NOTEBOOKS, run


@pytest.mark.parametrize("stem", sorted(BAD_VALUES))
def test_a_bad_value_stops_with_the_allowed_values(stem: str, tmp_path: Path, kernel: Any) -> None:
    parameters, expect = BAD_VALUES[stem]
    path = NOTEBOOKS / f"{stem}.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        run(path, tmp_path / path.name, parameters, kernel)
    message = f"{failure.value.ename}: {failure.value.evalue}"
    assert expect in message, f"{stem} with {parameters}: the error reads {message!r}"
    executed = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
    tags = [c.get("metadata", {}).get("tags", []) for c in executed["cells"] if c["cell_type"] == "code"]
    failed = next(i for i, c in enumerate(c for c in executed["cells"] if c["cell_type"] == "code")
                  if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
    injected = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    assert failed == injected + 1, f"{stem}: the bad value should stop right after the parameters, not in cell {failed}"
    problems = sweep.check_refusal(sweep.Case(stem, parameters, "refused"), failure.value, executed)
    assert not problems, f"{stem} with {parameters}: {problems}"
