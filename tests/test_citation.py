"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the data package it cites.

The reference validator, ``cffconvert``, cannot be installed beside the lock (it needs jsonschema < 4);
it accepted this file when it was written (``cffconvert --validate``, in a separate environment). These
tests check what the CFF 1.2.0 schema requires (its required keys, the allowed top-level keys, the shape
of authors and dates) and that the version, date, title, authors and licence match datapackage.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"cff-version", "message", "title", "authors"}
ALLOWED = REQUIRED | {
    "abstract", "commit", "contact", "date-released", "doi", "identifiers", "keywords", "license",
    "license-url", "preferred-citation", "references", "repository", "repository-artifact", "repository-code",
    "type", "url", "version",
}
PERSON_KEYS = {"family-names", "given-names", "name-particle", "name-suffix", "affiliation", "orcid", "email",
               "alias", "address", "city", "country", "post-code", "region", "tel", "fax", "website"}
ENTITY_KEYS = {"name", "address", "city", "country", "email", "orcid", "post-code", "region", "tel", "fax",
               "website", "date-start", "date-end", "location", "alias"}


@pytest.fixture(scope="module")
def cff() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "CITATION.cff is not a YAML mapping"
    return loaded


@pytest.fixture(scope="module")
def package() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    return loaded


def test_cff_has_the_required_keys_and_no_unknown_ones(cff: dict[str, Any]) -> None:
    assert cff["cff-version"] == "1.2.0"
    assert set(cff) >= REQUIRED, f"missing: {sorted(REQUIRED - set(cff))}"
    assert set(cff) <= ALLOWED, f"not CFF 1.2.0 keys: {sorted(set(cff) - ALLOWED)}"
    assert all(isinstance(cff[key], str) and cff[key].strip() for key in ("message", "title", "version"))
    assert cff.get("type", "software") in {"software", "dataset"}


def test_cff_authors_are_persons_or_entities(cff: dict[str, Any]) -> None:
    assert isinstance(cff["authors"], list) and cff["authors"], "authors must be a non-empty list"
    for author in cff["authors"]:
        keys = set(author)
        person = keys <= PERSON_KEYS and bool(keys & {"family-names", "given-names"})
        entity = keys <= ENTITY_KEYS and "name" in keys
        assert person or entity, f"author {author} is neither a person nor an entity of CFF 1.2.0"


def test_cff_date_is_a_calendar_date_not_in_the_future(cff: dict[str, Any]) -> None:
    released = cff["date-released"]
    assert isinstance(released, dt.date), "date-released must be an unquoted YYYY-MM-DD date"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(released))
    assert released <= dt.date.today()


def test_cff_matches_the_data_package(cff: dict[str, Any], package: dict[str, Any]) -> None:
    """Version, title, authors and licence are the data package's, so a citation names the data it used."""
    assert cff["version"] == package["version"]
    assert cff["title"] == package["title"]
    authors = [c["title"] for c in package.get("contributors", []) if c.get("role") == "author"]
    assert [a.get("name") for a in cff["authors"]] == authors
    assert cff["license"] in {lic["name"] for lic in package["licenses"]}
    if "created" in package:  # Frictionless' date of the package, when it records one
        assert str(cff["date-released"]) == str(package["created"])[:10]
