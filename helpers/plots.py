"""The house chart style: colour-blind-safe, readable in grey, every chart with a title and a source line.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies). Where a chart must
still read when printed in grey, pair colours with :data:`LINESTYLES`, :data:`MARKERS` or :data:`HATCHES`.
Maps use reversed ``cividis``: its lightness changes steadily with the value, and reversed, darker always
means more, in colour or in grey. The three cities and the exit-poll organisations keep one colour and one
marker each across every notebook (:func:`unit_style`, :func:`_poll_style`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers.i18n import N_, _, fmt, language, ngettext

if TYPE_CHECKING:
    import geopandas

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple",
                                  "sky_blue", "yellow", "black")]
YES, NO, INVALID, BOTH_MARKED = OKABE_ITO["blue"], OKABE_ITO["vermillion"], "#7F7F7F", OKABE_ITO["yellow"]
NATIONAL = OKABE_ITO["black"]
HIGHLIGHT, CONTEXT = OKABE_ITO["vermillion"], "#BBBBBB"
LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++"]
_SEQUENTIAL_CMAP = "cividis_r"
_MISSING_COLOUR = "#FFFFFF"
_MISSING_HATCH = "////"
_SOURCE_PREFIX = N_("Source: ")

CITY_STYLES = {
    "nur_sultan": {"color": OKABE_ITO["blue"], "marker": "o", "linestyle": "-"},
    "almaty_city": {"color": OKABE_ITO["vermillion"], "marker": "s", "linestyle": "--"},
    "shymkent": {"color": OKABE_ITO["bluish_green"], "marker": "^", "linestyle": ":"},
}
_OBLAST_STYLE = {"color": CONTEXT, "marker": ".", "linestyle": "-"}
_POLL_STYLES = {  # by the organisation's English name in data/exit_polls.csv
    "Public Opinion Research Institute (Qogamdyq Pikir)": {"color": OKABE_ITO["orange"], "marker": "D"},
    "Institute for Comprehensive Social Research 'SOCIS-A'": {"color": OKABE_ITO["sky_blue"], "marker": "v"},
    "Institute of Democracy (research association)": {"color": OKABE_ITO["reddish_purple"], "marker": "P"},
    "Institute of Public Policy (AMANAT party)": {"color": OKABE_ITO["bluish_green"], "marker": "X"},
    "Eurasian Integration Institute": {"color": OKABE_ITO["black"], "marker": "*"},
}


_POLL_LABELS = {  # short names for charts and tables, the same everywhere (translated where they are shown)
    "Public Opinion Research Institute (Qogamdyq Pikir)": N_("Qogamdyq Pikir"),
    "Institute for Comprehensive Social Research 'SOCIS-A'": N_("SOCIS-A"),
    "Institute of Democracy (research association)": N_("Institute of Democracy"),
    "Institute of Public Policy (AMANAT party)": N_("Institute of Public Policy (AMANAT)"),
    "Eurasian Integration Institute": N_("Eurasian Integration Institute"),
}


def poll_label(organisation: str) -> str:
    """The short name of an exit-poll organisation used in every chart and table, in the run's language."""
    return _(_POLL_LABELS[organisation]) if organisation in _POLL_LABELS else organisation


def unit_style(unit_id: str) -> dict[str, str]:
    """Colour, marker and line style of a unit: one fixed style per city, a grey one for every oblast."""
    return dict(CITY_STYLES.get(str(unit_id), _OBLAST_STYLE))


def _poll_style(organisation: str) -> dict[str, str]:
    """Colour and marker of an exit-poll organisation, the same in every chart (by its English name)."""
    try:
        return dict(_POLL_STYLES[organisation])
    except KeyError:
        raise KeyError(f"no chart style for exit-poll organisation {organisation!r}; add it to "
                       f"helpers.plots.POLL_STYLES (known: {', '.join(_POLL_STYLES)})") from None


def set_style() -> None:
    """Apply the house style to matplotlib and seaborn (call once at the top of a notebook)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    mpl.rcParams.update({
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.constrained_layout.use": True,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "image.cmap": _SEQUENTIAL_CMAP,
        "svg.hashsalt": "kz-referendum-2022",
        "pdf.compression": 9,
    })


def _add_source(fig: Figure, text: str) -> None:
    """Write the source line under the chart (bottom left, small, grey)."""
    prefix = _(_SOURCE_PREFIX)
    label = text if text.startswith((_SOURCE_PREFIX, prefix)) else prefix + text
    fig.text(0.0, -0.02, label, ha="left", va="top", fontsize=8, color="#444444", wrap=True)


def finish(
    target: Axes | Figure,
    title: str,
    source: str,
    *,
    data: pd.DataFrame,
    xlabel: str | None = None,
    ylabel: str | None = None,
    units: Mapping[str, str] | None = None,
) -> Chart:
    """Finish a chart: the finding as its title, axis labels with units, the source line, and its data.

    ``target`` is the chart's axes (the title goes on them) or, for a multi-panel chart, its figure (the
    title becomes the figure's title). ``data`` is exactly what the chart draws; ``units`` says what each
    of its columns measures (e.g. ``{"turnout_pct": "% of registered voters"}``). The figure is rendered
    and closed, and the returned :class:`Chart` shows itself as the cell's output: the picture, and the
    data as CSV for the site's download link (and for nbval, which compares it with every rerun).
    """
    if isinstance(target, Figure):
        fig = target
        fig.suptitle(title, x=0.0, ha="left", fontsize=12, fontweight="bold")
    else:
        target.set_title(title)
        if xlabel is not None:
            target.set_xlabel(xlabel)
        if ylabel is not None:
            target.set_ylabel(ylabel)
        owner = target.get_figure()
        if not isinstance(owner, Figure):
            raise TypeError("the axes do not belong to a figure")
        fig = owner
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValueError(f"chart {title!r}: pass the data the chart draws as a non-empty DataFrame")
    unknown = sorted(set(units or {}) - {str(c) for c in data.columns})
    if unknown:
        raise ValueError(f"chart {title!r}: units given for columns the data does not have: {unknown}")
    _add_source(fig, source)
    png = _png(fig)
    chart = Chart(title=title, source=source, png=png, csv=_chart_csv(data, title, source, units or {}),
                  size=_display_size(png), text=figure_text(fig))
    plt.close(fig)
    return chart


@dataclass(frozen=True)
class Chart:
    """A finished chart as a notebook output: the picture (PNG) and the data it draws (CSV)."""

    title: str
    source: str
    png: bytes
    csv: str
    size: tuple[int, int]  # width, height in CSS pixels
    text: tuple[str, ...] = ()  # every piece of text drawn in the picture (see figure_text)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        data = {
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/csv": self.csv,
            "text/plain": "Chart: " + " ".join(self.title.split()),  # a marker the site reads: not translated
        }
        width, height = self.size
        metadata: dict[str, Any] = {"image/png": {"width": width, "height": height}}
        if language() != "en":  # what the tests check for English left in a Russian or Kazakh chart
            metadata["chart_text"] = list(self.text)
        return data, metadata


def figure_text(fig: Figure) -> tuple[str, ...]:
    """Every visible, non-empty piece of text drawn in ``fig``: titles, axis and tick labels, legends,
    annotations, the source line (in drawing order, each once)."""
    from matplotlib.text import Text

    hidden = {id(text) for ax in fig.axes if not ax.axison  # an axis switched off draws no labels or ticks
              for axis in (ax.xaxis, ax.yaxis)
              for text in [axis.label, *axis.get_ticklabels(), *axis.get_ticklabels(minor=True)]}
    seen: dict[str, None] = {}
    for artist in fig.findobj(Text):
        if id(artist) in hidden:
            continue
        if artist.get_visible() and artist.get_text().strip() and artist.get_figure() is not None:
            seen.setdefault(" ".join(artist.get_text().split()), None)
    return tuple(seen)


def _chart_csv(data: pd.DataFrame, title: str, source: str, units: Mapping[str, str]) -> str:
    """The chart's data as CSV, after ``#`` lines naming the chart, its source and each column's unit.

    Read it back with ``pandas.read_csv(path, comment="#")`` (or ``comment.char = "#"`` in R).
    """
    lines = [_("# Chart: {title}").format(title=title), f"# {_(_SOURCE_PREFIX)}{source}"]
    lines += [_("# Column {name}: {unit}").format(name=_(str(name)), unit=unit) for name, unit in units.items()]
    frame = data.reset_index(drop=not any(data.index.names)) if not isinstance(data.index, pd.RangeIndex) else data
    frame = frame.rename(columns=lambda column: _(str(column)))  # headers in the run's language (values as drawn)
    body = frame.to_csv(index=False, lineterminator="\n", float_format=_float_format)
    return "\n".join(" ".join(line.split()) for line in lines) + "\n" + body


def _float_format(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.6g}" if abs(number) < 1e6 else f"{number:.0f}"


_PRINT_DPI = 200  # the PNG is rendered at this resolution and shown at half size (sharp on screen and paper)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_PRINT_DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _display_size(png: bytes) -> tuple[int, int]:
    """The size at which the inline backend would show the picture (``figure.dpi``), in CSS pixels."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        width, height = picture.size
    scale = mpl.rcParams["figure.dpi"] / _PRINT_DPI
    return round(width * scale), round(height * scale)


def choropleth(
    shapes: geopandas.GeoDataFrame,
    column: str,
    *,
    ax: Axes | None = None,
    legend_label: str,
    missing_label: str = N_("no published figure"),
    vmin: float | None = None,
    vmax: float | None = None,
    **kwargs: Any,
) -> Axes:
    """Map ``column`` over the units; units with no value are white with grey hatching and labelled.

    ``shapes`` is :func:`helpers.load.boundaries` merged with the values to show. Never fill a missing
    value: the hatching says "not published".
    """
    if ax is None:
        _figure, ax = plt.subplots(figsize=(9, 5.2))
    present = shapes[shapes[column].notna()]
    missing = shapes[shapes[column].isna()]
    if len(present):
        present.plot(column=column, ax=ax, cmap=_SEQUENTIAL_CMAP, edgecolor="white", linewidth=0.6,
                     legend=True, vmin=vmin, vmax=vmax,
                     legend_kwds={"label": legend_label, "shrink": 0.7}, **kwargs)
    if len(missing):
        missing.plot(ax=ax, color=_MISSING_COLOUR, edgecolor="#555555", hatch=_MISSING_HATCH, linewidth=0.6)
        ax.legend(handles=[Patch(facecolor=_MISSING_COLOUR, edgecolor="#555555", hatch=_MISSING_HATCH,
                                 label=ngettext("{label} ({n} unit)", "{label} ({n} units)", len(missing)).format(
                                     label=_(missing_label), n=len(missing)))],
                  loc="lower left", fontsize=8)
    ax.set_axis_off()
    ax.set_aspect(1.6)  # about right for Kazakhstan's latitudes in plain lon/lat
    return ax


_CALLOUT_OFFSETS = {"nur_sultan": (3.5, 3.0), "almaty_city": (4.0, -2.2), "shymkent": (-6.0, -1.8)}  # degrees


def label_cities(shapes: geopandas.GeoDataFrame, column: str, ax: Axes, *, decimals: int = 1,
                 missing_label: str = N_("not published")) -> None:
    """Call out the three cities, too small to read on a national map: name (in the run's language) and value
    beside a leader line."""
    from helpers import units

    names = units.names()
    for _index, row in shapes.iterrows():
        offset = _CALLOUT_OFFSETS.get(str(row["unit_id"]))
        if offset is None:
            continue
        point = row.geometry.representative_point()
        value = row[column]
        shown = _(missing_label) if value is None or value != value else fmt.symbols(f"{value:.{decimals}f}")
        name = names[str(row["unit_id"])]
        ax.annotate(f"{name}\n{shown}", (point.x, point.y),
                    xytext=(point.x + offset[0], point.y + offset[1]), fontsize=8, ha="center", va="center",
                    arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.8},
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#333333", "linewidth": 0.5})



def _is_city(unit_id: object) -> bool:
    return str(unit_id) in CITY_STYLES


def ranked_bars(
    frame: pd.DataFrame,
    value: str,
    label: str,
    *,
    unit: str | None = "unit_id",
    reference: tuple[str, float] | None = None,
    decimals: int = 2,
    xlim: tuple[float, float] | None = (0, 100),
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of ``value`` in the order of ``frame`` (first row on top), each labelled with its value.

    Oblasts are grey; the three cities keep their house colour and are hatched (so they read in grey too),
    when ``unit`` names the frame's unit-id column. ``reference`` = (label, value) draws a dashed line, e.g.
    the national figure. Sort the frame in the notebook: the order is the reader's to see and change.
    """
    if ax is None:
        _figure, ax = plt.subplots(figsize=(8.5, max(2.5, 0.33 * len(frame) + 1.2)))
    rows = frame.reset_index(drop=True)
    positions = list(range(len(rows)))[::-1]
    for y, (_index, row) in zip(positions, rows.iterrows(), strict=True):
        unit_id = row[unit] if unit is not None and unit in rows.columns else None
        city = unit_id is not None and _is_city(unit_id)
        colour = unit_style(str(unit_id))["color"] if city else CONTEXT if unit is not None else PALETTE[0]
        number = float(row[value])
        ax.barh(y, number, color=colour, hatch=HATCHES[1] if city else "", edgecolor="white", height=0.75)
        ax.text(number, y, " " + fmt.symbols(f"{number:.{decimals}f}"), va="center", ha="left", fontsize=8)
    ax.set_yticks(positions, [str(v) for v in rows[label]], fontsize=9)
    if reference is not None:
        name, number = reference
        ax.axvline(number, color=NATIONAL, linestyle="--", linewidth=1)
        shown = fmt.symbols(f"{number:.{decimals}f}")
        ax.text(number, len(rows) - 0.35, f"{name} {shown} ", ha="right", va="bottom", fontsize=8)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_ylim(-0.6, len(rows) + 0.1)
    ax.grid(axis="y", visible=False)
    if unit is not None and rows[unit].map(_is_city).any():
        ax.legend(handles=[Patch(color=CONTEXT, label=_("oblast")),
                           Patch(facecolor="#777777", hatch=HATCHES[1], edgecolor="white",
                                 label=_("city (own colour)"))],
                  loc="lower right", fontsize=8)
    return ax


def small_multiples(
    frame: pd.DataFrame,
    x: str,
    y: str,
    panel: str,
    *,
    reference: pd.DataFrame | None = None,
    reference_label: str = N_("nation"),
    ncols: int = 6,
    panel_height: float = 2.35,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> tuple[Figure, dict[str, Axes]]:
    """One small line panel per value of ``panel`` (in order of appearance), all on the same axes.

    ``reference`` (columns ``x`` and ``y``) is drawn grey and dashed behind every panel (e.g. the nation).
    Returns the figure and the panels by name, so a notebook can mark what matters in each one.
    """
    names = list(dict.fromkeys(frame[panel].astype(str)))
    nrows = -(-len(names) // ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(13, panel_height * nrows + 0.7), sharex=True, sharey=True,
                             squeeze=False)
    panels: dict[str, Axes] = {}
    for ax, name in zip(grid.flat, names, strict=False):
        if reference is not None:
            ax.plot(reference[x], reference[y], color=CONTEXT, linestyle="--", linewidth=1.6, zorder=1,
                    label=_(reference_label))
        rows = frame[frame[panel].astype(str) == name]
        ax.plot(rows[x], rows[y], color=YES, marker="o", markersize=3.5, linewidth=1.8, zorder=3)
        ax.set_title(name, fontsize=9.5)
        ax.tick_params(labelsize=9)
        panels[name] = ax
    for ax in list(grid.flat)[len(names):]:
        ax.set_visible(False)
    for ax in grid[:, 0]:
        ax.set_ylabel(ylabel or y, fontsize=9)
    for ax in grid[-1, :]:
        ax.set_xlabel(xlabel or x, fontsize=9)
    return fig, panels


def dot_interval(
    frame: pd.DataFrame,
    estimate: str,
    low: str,
    high: str,
    label: str,
    *,
    style: str | None = None,
    references: Mapping[str, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each row's estimate as a dot with its interval (``low``-``high``; empty ends draw the dot alone, hollow).

    ``style`` names a column of exit-poll organisations (house colour and marker per poll); ``references``
    maps a label to a value drawn as a vertical line (solid, then dotted), e.g. the official result.
    """
    if ax is None:
        _figure, ax = plt.subplots(figsize=(8.5, max(2.5, 0.55 * len(frame) + 1.4)))
    rows = frame.reset_index(drop=True)
    for y, (_index, row) in enumerate(rows.iterrows()):
        look = _poll_style(str(row[style])) if style is not None else {"color": PALETTE[0], "marker": "o"}
        point = float(row[estimate])
        if pd.isna(row[low]) or pd.isna(row[high]):
            ax.plot(point, y, marker=look["marker"], markersize=7, markerfacecolor="white",
                    markeredgecolor=look["color"], linestyle="none")
            continue
        ax.errorbar(point, y, xerr=[[point - float(row[low])], [float(row[high]) - point]], fmt=look["marker"],
                    color=look["color"], capsize=3, markersize=6)
    for (name, number), line in zip((references or {}).items(), LINESTYLES[:1] + LINESTYLES[2:], strict=False):
        ax.axvline(number, color=NATIONAL, linestyle=line, linewidth=1.3)
        shown = fmt.symbols(f"{number:.2f}")
        ax.text(number, len(rows) - 0.4, f" {name}\n {shown}", fontsize=8, va="bottom", ha="left")
    ax.set_yticks(range(len(rows)), [str(v) for v in rows[label]])
    ax.set_ylim(len(rows) + 0.6, -0.7)
    ax.grid(axis="y", visible=False)
    return ax


def labelled_scatter(
    frame: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    *,
    unit: str = "unit_id",
    named: Collection[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Points of ``y`` against ``x``; oblasts grey circles, the cities in their house style.

    Every point is named unless ``named`` lists the unit ids to name (when labels would crowd). No fitted
    line is drawn: with the few units this project has, a line suggests more than the points say.
    """
    if ax is None:
        _figure, ax = plt.subplots(figsize=(7.5, 5.0))
    for _index, row in frame.iterrows():
        city = _is_city(row[unit])
        look = unit_style(str(row[unit])) if city else {"color": "#555555", "marker": "o"}
        ax.scatter(float(row[x]), float(row[y]), color=look["color"], marker=look["marker"], s=60 if city else 36,
                   zorder=4 if city else 3, edgecolor="white", linewidth=0.5)
        if named is None or str(row[unit]) in named:
            ax.annotate(str(row[label]), (float(row[x]), float(row[y])), textcoords="offset points",
                        xytext=(4, 3), fontsize=8, fontweight="bold" if city else "normal")
    handles = [Line2D([], [], color="#555555", marker="o", linestyle="none", label=_("oblast"))]
    for uid, look in CITY_STYLES.items():
        here = frame[frame[unit].astype(str) == uid]
        if len(here):
            handles.append(Line2D([], [], linestyle="none", color=look["color"], marker=look["marker"],
                                  label=str(here[label].iloc[0])))
    ax.legend(handles=handles, fontsize=8, loc="best")
    return ax
