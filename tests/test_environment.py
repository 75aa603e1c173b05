"""The pip route (requirements.lock) and the conda route (environment.yml) agree, and cover pyproject."""

from __future__ import annotations

import re
import sys
import tomllib

import yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import sync_environment


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        assert version, f"not an exact pin: {line!r}"
        pins[normalise(name)] = version
    return pins


def test_environment_yml_lists_exactly_the_locked_packages() -> None:
    locked = pinned(sync_environment.locked_requirements())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    from_conda = pinned([line for line in pip_section if not line.startswith("-e")])
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
