"""The environment equals the lock; the uv route, the pip route and the conda route agree; one cell timeout.

``scripts/`` is on the tests' import path (pyproject.toml, ``[tool.pytest.ini_options] pythonpath``).
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib

import setup_env
import sync_environment
import yaml

from sitebuild import execute as site_execute
from tests import notebook_runs
from tests.conftest import ROOT

PROJECT = "kz-referendum-2022"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        assert version, f"not an exact pin: {line!r}"
        pins[normalise(name)] = version
    return pins


def test_installed_versions_equal_the_lock() -> None:
    """What the tests run on is exactly requirements.lock (plus the project), whichever route made it."""
    locked = pinned(sync_environment.locked_requirements())
    installed = {normalise(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, version in locked.items() if installed.get(name) != version}
    assert not wrong, f"installed versions differ from the lock (locked, installed): {wrong}"
    extra = sorted(set(installed) - set(locked) - {PROJECT})
    assert not extra, f"installed but not in requirements.lock: {extra} (run `make env`, or pin them)"


def test_environment_yml_lists_exactly_the_locked_packages() -> None:
    locked = pinned(sync_environment.locked_requirements())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    from_conda = pinned([line for line in pip_section if not line.startswith("-e")])
    conda_pip = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("pip="))
    from_conda["pip"] = conda_pip.partition("=")[2]
    assert from_conda == locked
    assert "python=3.11" in environment["dependencies"]


def test_environment_yml_is_regenerated_from_the_lock() -> None:
    assert sync_environment.main(["--check"]) == 0


def test_every_declared_dependency_is_pinned_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    locked = pinned(sync_environment.locked_requirements())
    names = {normalise(re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0]) for spec in declared}
    missing = sorted(names - set(locked))
    assert not missing, f"declared in pyproject.toml but not pinned in requirements.lock: {missing}"


def test_uv_is_pinned_to_one_release() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", setup_env.UV_VERSION), setup_env.UV_VERSION
    assert setup_env.locked_names() == set(pinned(sync_environment.locked_requirements()))


def test_one_cell_timeout_for_every_batch_run() -> None:
    """The main job, nbval (pytest options and the Makefile's test command) and papermill share one bound."""
    bound = site_execute.CELL_TIMEOUT
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert f"--nbval-cell-timeout={bound}" in addopts["addopts"].split()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^CELL_TIMEOUT\s*:=\s*{bound}$", makefile, re.MULTILINE)
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "--nbval-cell-timeout=$(CELL_TIMEOUT)" in test_recipe
    assert notebook_runs.PAPERMILL_OPTIONS["execution_timeout"] == bound
    assert 0 < site_execute.CELL_TIMEOUT < site_execute.STALL_TIMEOUT
    for path in sorted((ROOT / "tests").rglob("*.py")):  # other tests that run notebooks name the same bound
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r"\b(?:CELL_TIMEOUT\s*=|execution_timeout\s*=|nbval-cell-timeout=)\s*(\d+)", text):
            assert int(value) == bound, f"{path.relative_to(ROOT)}: a cell timeout of {value} s, not {bound} s"
