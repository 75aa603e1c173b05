"""Render executed notebooks, the data package README, an index and a search page into a static site.

Why nbconvert (and not Jupyter Book or Quarto): see README, "The site". In short: it is the Jupyter
project's own converter and already in the stack; Jupyter Book 1 cannot be installed beside the lock
(its myst-parser needs markdown-it-py 3, the lock has 4), brings 36 more packages and a 7 MB theme,
and Quarto from PyPI downloads its binary from outside the package registry when installed.

What readers get, all without a network: a contents list and previous/next on every notebook page,
code folded in ``<details>`` (one click opens it), each chart's PNG (print resolution) and CSV and
each table's CSV as downloads beside it, the ``.ipynb`` to download with instructions to run it, a
search page over every section of every page (the index is prebuilt into the page: no server, works
from ``file://``), and a citation block taken from ``CITATION.cff``. Our page template
(``site_template/page``) extends nbconvert's ``lab`` template and removes every network dependency
(require.js, MathJax, Mermaid, widget managers); the stylesheets are two shared local files.
"""

from __future__ import annotations

import base64
import csv
import html as html_lib
import io
import json
import posixpath
import re
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from PIL import Image

from helpers.i18n import _catalog, translated
from sitebuild.search import search_index_json

THUMB_WIDTH = 480
CARD_POINTS = 2  # "In short" points an index card shows
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")
HREF_RE = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)
IMG_NO_ALT_RE = re.compile(r"<img((?:(?!\balt=)[^>])*>)", re.IGNORECASE)
FOCUSABLE_RE = re.compile(r'(<div class="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?:\s[^"]*)?")')
STYLE_RE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Anything that would make a browser fetch from the network (links in <a href> are fine: they are
# followed only when the reader clicks them).
NETWORK_PATTERNS = {
    "external script": re.compile(r"<script\b[^>]*\bsrc=", re.IGNORECASE),
    "external stylesheet/link": re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//", re.IGNORECASE),
    "remote src": re.compile(r"\bsrc=[\"']?(?:https?:)?//", re.IGNORECASE),
    "remote CSS url()": re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    "CSS @import": re.compile(r"@import\b", re.IGNORECASE),
    "iframe": re.compile(r"<iframe\b", re.IGNORECASE),
    "remote srcset": re.compile(r"\bsrcset=[\"'][^\"']*(?:https?:)?//", re.IGNORECASE),
}


class SiteHTMLExporter(HTMLExporter):  # type: ignore[misc]
    """nbconvert's HTMLExporter minus its BeautifulSoup pass (about 0.4 s a page).

    That pass only adds ``alt`` to images lacking one and ``tabindex="0"`` to input and output
    areas; ``accessible_html`` does the same with two regular expressions. If a future nbconvert
    lacks the internals used here, the stock exporter is used instead.
    """

    def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
        """Render with the lab filters registered, as HTMLExporter does."""
        if not (hasattr(self, "_init_resources") and hasattr(self, "_nb_metadata")):
            body, out = super().from_notebook_node(nb, resources, **kw)
            return str(body), out
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        if not isinstance(highlight, CachedHighlight):
            highlight = CachedHighlight(highlight)
        resources = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight)
        self.register_filter("filter_data_type", data_types)
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible_html(body), resources


class CachedHighlight:
    """nbconvert's code highlighting (Pygments), remembered per source: the three editions show the same code, and
    highlighting is most of a page's rendering time (a forked edition inherits what the English one did)."""

    done: ClassVar[dict[tuple[str, str, str], str]] = {}

    def __init__(self, highlight: Any) -> None:
        self.highlight = highlight

    def __call__(self, source: str, language: str | None = None, metadata: Any = None) -> str:
        key = (source, language or "", json.dumps(metadata or {}, sort_keys=True, default=str))
        if key not in self.done:
            self.done[key] = str(self.highlight(source, language, metadata))
        return self.done[key]


def accessible_html(html: str) -> str:
    """Default alt text on images without one; input and output areas focusable (keyboard scrolling)."""
    html = IMG_NO_ALT_RE.sub(r'<img alt="No description has been provided for this image"\1', html)
    return FOCUSABLE_RE.sub(r'\1 tabindex="0"', html)


# a number and its per cent sign, typed with an ordinary space in markdown ("68.05 %", "68,05 %-ы")
PERCENT_SPACE_RE = re.compile(r"(?<=\d) (?=%)")
TAG_RE = re.compile(r"(<[^>]*>)")
RAW_TEXT_RE = re.compile(r"(<(pre|code|script|style|textarea)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)


def unbroken_percentages(html: str) -> str:
    """A page's text with a no-break space between a number and its ``%`` (a phone would otherwise end a line after
    "68,05" and start the next with "%"); code, scripts and attributes are left as written."""
    pieces = RAW_TEXT_RE.split(html)  # text, raw element, its tag name, text, ...
    for index in range(0, len(pieces), 3):
        parts = TAG_RE.split(pieces[index])
        parts[::2] = [PERCENT_SPACE_RE.sub("\u00a0", text) for text in parts[::2]]
        pieces[index] = "".join(parts)
    return "".join(piece for index, piece in enumerate(pieces) if index % 3 != 2)


def markdown() -> MarkdownIt:
    """CommonMark with tables and strikethrough (what notebooks and READMEs use)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@dataclass
class NotebookInfo:
    """What the index and navigation need to know about one notebook."""

    stem: str
    title: str
    in_short: list[str]
    key_png: bytes | None
    nb: Any = field(repr=False)
    text: str = field(default="", repr=False)  # the .ipynb as published for download

    @property
    def page(self) -> str:
        """Site-relative path of the notebook's HTML page."""
        return f"{self.stem}.html"

    @property
    def download(self) -> str:
        """Site-relative path of the notebook file offered for download."""
        return f"notebooks/{self.stem}.ipynb"


def markdown_headings(nb: Any) -> list[tuple[int, int, str]]:
    """All (cell index, level, text) headings of the markdown cells, in order."""
    found: list[tuple[int, int, str]] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = HEADING_RE.match(line)
                if match:
                    found.append((index, len(match.group(1)), match.group(2)))
    return found


def extract_title(nb: Any, fallback: str) -> str:
    """The first markdown heading (the notebook's question), preferring a level-1 heading."""
    headings = markdown_headings(nb)
    level_one = [text for _, level, text in headings if level == 1]
    if level_one:
        return level_one[0]
    return headings[0][2] if headings else fallback


def in_short_position(nb: Any) -> tuple[int, int] | None:
    """(cell index, heading number within the cell) of the "In short" heading of an English notebook."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            headings = [m.group(2) for line in cell.source.strip().splitlines() if (m := HEADING_RE.match(line))]
            for number, text in enumerate(headings):
                if text.lower().startswith("in short"):
                    return index, number
    return None


def extract_in_short(nb: Any, position: tuple[int, int] | None = None) -> list[str]:
    """Markdown items of the bullet list under the "In short" heading (in its own cell or after the title).

    ``position``: where the English notebook has that heading (``in_short_position``), for a translation.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or (position is not None and index != position[0]):
            continue
        lines = cell.source.strip().splitlines()
        if position is None:
            starts = [i for i, line in enumerate(lines)
                      if (m := HEADING_RE.match(line)) and m.group(2).lower().startswith("in short")]
        else:
            starts = [i for i, line in enumerate(lines) if HEADING_RE.match(line)][position[1]:position[1] + 1]
        if not starts:
            continue
        items: list[str] = []
        for line in lines[starts[0] + 1:]:
            if HEADING_RE.match(line):
                break  # the next section
            match = LIST_ITEM_RE.match(line)
            if match:
                items.append(match.group(1).strip())
            elif items and line.strip() and line.startswith((" ", "\t")):
                items[-1] += " " + line.strip()  # continuation line of the previous item
        return items
    return []


def key_figure(nb: Any) -> bytes | None:
    """PNG bytes of the figure in a cell tagged ``key-figure``, else of the first PNG output."""
    first: bytes | None = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png is None:
                continue
            data = base64.b64decode(png)
            if "key-figure" in cell.metadata.get("tags", []):
                return data
            if first is None:
                first = data
    return first


def key_figure_title(nb: Any) -> str:
    """The title of the figure ``key_figure`` picks ("" for a figure without one)."""
    first = ""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if "image/png" not in output.get("data", {}):
                continue
            if "key-figure" in cell.metadata.get("tags", []):
                return chart_title(output)
            first = first or chart_title(output) or " "
    return first.strip()


def thumbnail(png: bytes, width: int = THUMB_WIDTH) -> bytes:
    """A downscaled PNG (deterministic: Pillow writes no timestamp)."""
    image: Image.Image = Image.open(io.BytesIO(png))
    image.load()
    if image.width > width:
        height = round(image.height * width / image.width)
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def read_notebook_info(path: Path) -> NotebookInfo:
    """Read a notebook file and extract title, "In short" items and key figure."""
    return notebook_info_from_text(path.read_text(encoding="utf-8"), path.stem)


def notebook_info_from_text(text: str, stem: str) -> NotebookInfo:
    """The same, from a notebook's JSON text."""
    return notebook_info(nbformat.reads(text, as_version=4), stem, text)


def notebook_info(nb: Any, stem: str, text: str = "", english: Any | None = None) -> NotebookInfo:
    """Title, "In short" items and key figure of a notebook node (``english``: the notebook it translates)."""
    return NotebookInfo(
        stem=stem,
        title=extract_title(nb, stem),
        in_short=extract_in_short(nb, in_short_position(english)) if english is not None else extract_in_short(nb),
        key_png=key_figure(nb),
        nb=nb,
        text=text or nbformat.writes(nb) + "\n",
    )


class LinkMapper:
    """Rewrites relative links written for the repository so that they work inside the site.

    ``published`` maps repository paths (``notebooks/01_x.ipynb``, ``data/README.md``) to site
    paths (``01_x.html``, ``data/README.html``). Links to anything not published are left alone
    and reported, so authors learn about them at build time rather than from a reader.
    """

    def __init__(self, published: dict[str, str]) -> None:
        self.published = published
        self.site_paths = set(published.values())
        self.unresolved: list[str] = []

    def add_site_files(self, paths: list[str]) -> None:
        """Files the site publishes that have no repository counterpart (downloads, assets)."""
        self.site_paths.update(paths)

    def target(self, href: str, source_dir: str, page: str) -> str:
        """The rewritten href for one link found in a page built from ``source_dir``."""
        if not href or href.startswith(("#", "/")) or SCHEME_RE.match(href):
            return href
        path, sep, fragment = href.partition("#")
        path = path.split("?", 1)[0]
        repo_path = posixpath.normpath(posixpath.join(source_dir, path)) if path else ""
        site_path = self.published.get(repo_path)
        page_dir = posixpath.dirname(page) or "."
        if site_path is None:
            if posixpath.normpath(posixpath.join(page_dir, path)) not in self.site_paths:
                self.unresolved.append(f"{page}: {href}")
            return href  # unknown, or already a site link (navigation written by our templates)
        return posixpath.relpath(site_path, page_dir) + (sep + fragment if sep else "")

    def rewrite(self, html: str, source_dir: str, page: str) -> str:
        """Rewrite every ``<a href>`` in html."""
        return HREF_RE.sub(lambda m: m.group(1) + self.target(m.group(2), source_dir, page) + m.group(3), html)


def network_problems(html: str, page: str) -> list[str]:
    """Everything in a page that would load a resource from the network."""
    return [f"{page}: {label}" for label, pattern in NETWORK_PATTERNS.items() if pattern.search(html)]


def slugify(text: str) -> str:
    """A stable heading id, as GitHub makes them (so README links like ``#per-unit-searches`` work)."""
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-") or "section"


def add_heading_ids(html: str, ids: list[str] | None = None) -> str:
    """Give every h1-h4 an id derived from its text (unique within the page), or the English page's ``ids`` by
    position (a Russian or Kazakh page: links to a section work in every edition) when there are as many."""
    used: dict[str, int] = {}
    given = iter(ids) if ids is not None and len(ids) == len(re.findall(r"<h[1-4]>", html)) else None

    def replace(match: re.Match[str]) -> str:
        if given is not None:
            return f'<h{match.group(1)} id="{next(given)}">{match.group(2)}</h{match.group(1)}>'
        slug = slugify(match.group(2))
        used[slug] = used.get(slug, 0) + 1
        if used[slug] > 1:
            slug = f"{slug}-{used[slug]}"
        return f'<h{match.group(1)} id="{slug}">{match.group(2)}</h{match.group(1)}>'

    return re.sub(r"<h([1-4])>(.*?)</h\1>", replace, html)


def marker_block(text: str, name: str) -> str:
    """The markdown between ``<!-- name:start -->`` and ``<!-- name:end -->`` ("" when absent)."""
    match = re.search(rf"<!--\s*{name}:start\s*-->(.*?)<!--\s*{name}:end\s*-->", text, re.DOTALL)
    return match.group(1).strip() if match else ""


def readme_intro(text: str) -> tuple[str, str]:
    """(first level-1 heading, first paragraph after it) of a README, "" where absent."""
    title, paragraph, lines = "", [], text.splitlines()
    for position, line in enumerate(lines):
        match = HEADING_RE.match(line)
        if match and len(match.group(1)) == 1:
            title = match.group(2)
            for following in lines[position + 1 :]:
                if following.strip() and not following.lstrip().startswith(("<!--", "#")):
                    paragraph.append(following.strip())
                elif paragraph:
                    break
            break
    return title, " ".join(paragraph)


def markdown_section(text: str, pattern: str) -> str:
    """The markdown between a heading matching ``pattern`` and the next heading of the same or higher level."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        match = HEADING_RE.match(line)
        if match and re.search(pattern, match.group(2), re.IGNORECASE):
            level = len(match.group(1))
            body: list[str] = []
            for following in lines[start + 1 :]:
                other = HEADING_RE.match(following)
                if other and len(other.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body).strip()
    return ""


# --- Downloads beside charts and tables -------------------------------------------------------------

CHART_PREFIX = "Chart: "


class TableCells(HTMLParser):
    """The cells of the first ``<table>`` of an HTML fragment, header rows and body rows apart.

    Row and column spans (pandas writes them for a MultiIndex) are filled in, so every row has
    one cell per column.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[list[str]] = []
        self.body: list[list[str]] = []
        self._section = "body"
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._spans: dict[int, tuple[int, str]] = {}  # column -> (rows still to fill, text)
        self._colspan, self._rowspan = 1, 1
        self._depth = 0  # tables seen (only the first is read)
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Track the table structure."""
        values = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._depth += 1
        elif tag == "style":
            self._style = True
        elif self._depth != 1:
            return
        elif tag == "thead":
            self._section = "head"
        elif tag == "tbody":
            self._section = "body"
        elif tag == "tr":
            self._row = []
            self._fill_spans()
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._colspan = int(values.get("colspan") or 1)
            self._rowspan = int(values.get("rowspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        """Close cells and rows."""
        if tag == "style":
            self._style = False
        elif tag == "table":
            self._depth += 1  # anything after the first table is ignored
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            for _ in range(self._colspan):
                if self._rowspan > 1:
                    self._spans[len(self._row)] = (self._rowspan - 1, text)
                self._row.append(text)
                self._fill_spans()
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (self.head if self._section == "head" else self.body).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        """Text of the current cell."""
        if self._cell is not None and not self._style:
            self._cell.append(data)

    def _fill_spans(self) -> None:
        """Repeat cells of earlier rows that span into this position."""
        assert self._row is not None
        while len(self._row) in self._spans:
            left, text = self._spans.pop(len(self._row))
            if left > 1:
                self._spans[len(self._row)] = (left - 1, text)
            self._row.append(text)


def table_rows(html: str) -> list[list[str]]:
    """Header plus body rows of the first table in an HTML fragment ([] when there is none).

    Several header rows (pandas puts the index name in a row of its own) become one, joining the
    non-empty parts of each column. A bare 0, 1, 2 ... index column (a RangeIndex) is dropped.
    """
    parser = TableCells()
    parser.feed(html)
    if not parser.body:
        return []
    width = max(len(row) for row in [*parser.head, *parser.body])
    grid = [row + [""] * (width - len(row)) for row in [*parser.head, *parser.body]]
    head_rows, body = grid[: len(parser.head)], grid[len(parser.head) :]
    header = [" / ".join(dict.fromkeys(row[i] for row in head_rows if row[i])) for i in range(width)]
    if not head_rows:
        header, body = body[0], body[1:]
    if width > 1 and not header[0] and [row[0] for row in body] == [str(i) for i in range(len(body))]:
        header, body = header[1:], [row[1:] for row in body]
    return [header, *body]


def table_csv(rows: list[list[str]], comments: list[str]) -> str:
    """CSV text (Unix newlines) with ``#`` comment lines first, as the chart CSVs have."""
    out = io.StringIO()
    for line in comments:
        out.write("# " + " ".join(line.split()) + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def chart_title(output: Any) -> str:
    """The chart's title from its ``text/plain`` ("Chart: <title>"), "" for a plain figure."""
    text = output.get("data", {}).get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else str(text)
    return text[len(CHART_PREFIX) :].strip() if text.startswith(CHART_PREFIX) else ""


@dataclass
class Imprint:
    """What every chart and table download carries: the site, its licence, the data's version and date,
    and the sources of each data table (``source_url`` of its rows)."""

    site: str = ""
    licence: str = ""
    version: str = ""
    date: str = ""
    table_sources: dict[str, list[str]] = field(default_factory=dict)

    lang: str = "en"

    def t(self, message: str) -> str:
        """A site word in the imprint's language."""
        return gettext_of(self.lang)(message)

    def lines(self) -> list[str]:
        """The ``#`` header lines of a CSV download (without the ``# ``)."""
        t = self.t
        found = [t("Site: {site}").format(site=self.site) if self.site else "",
                 t("Licence: {licence}").format(licence=self.licence) if self.licence else ""]
        if self.version:
            found.append(t("Data version: {version} of {date}").format(version=self.version, date=self.date)
                         if self.date else t("Data version: {version}").format(version=self.version))
        return [line for line in found if line]


TABLE_NAME_RE = re.compile(r"(?<![\w/.])([a-z][a-z0-9]*(?:_[a-z0-9]+)*)(?![\w])")
LOAD_RE = re.compile(r"""load\.(?:table|published_text)\(\s*["']([a-z0-9_]+)["']""")


def tables_named(text: str, known: dict[str, list[str]]) -> list[str]:
    """The data tables a text names (``turnout_timeline``, ``data/unit_results.csv``), in order, once each."""
    names = [m.group(1) for m in TABLE_NAME_RE.finditer(text.replace(".csv", " "))]
    return list(dict.fromkeys(name for name in names if known.get(name)))


def source_links(tables: list[str], imprint: Imprint) -> list[dict[str, Any]]:
    """Per table: its anchor on the data page and its rows' source pages as links (label: the site's name)."""
    found = []
    for name in tables:
        links, seen = [], {}
        for url in imprint.table_sources.get(name, []):
            host = re.sub(r"^www\.", "", urlsplit(url).netloc) or url
            seen[host] = seen.get(host, 0) + 1
            links.append({"href": url, "label": host if seen[host] == 1 else f"{host} ({seen[host]})"})
        found.append({"table": name, "href": f"data/README.html#table-{name}", "links": links})
    return found


def png_with_text(png: bytes, text: dict[str, str]) -> bytes:
    """The PNG with ``iTXt`` chunks (UTF-8 key/value text) inserted after its header chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return png
    end_of_header = 8 + 4 + 4 + int.from_bytes(png[8:12], "big") + 4
    chunks = b""
    for key, value in text.items():
        if value:
            body = key.encode("latin-1") + b"\x00\x00\x00\x00\x00" + value.encode("utf-8")
            crc = zlib.crc32(b"iTXt" + body).to_bytes(4, "big")
            chunks += len(body).to_bytes(4, "big") + b"iTXt" + body + crc
    return png[:end_of_header] + chunks + png[end_of_header:]


def chart_source(csv_text: str, lang: str = "en") -> str:
    """The source line of a chart's CSV (``# Source: ...``, its prefix in the run's language), "" when it has none."""
    prefix = translated("Source: ", lang) or "Source: "
    match = re.search(rf"^# (?:{re.escape(prefix)}|Source: )(.*)$", csv_text, re.MULTILINE)
    return match.group(1).strip() if match else ""


def merge_quiet_code(nb: Any) -> None:
    """Fold runs of code cells without output into the code cell that follows them (one fold, not four).

    Only adjacent code cells merge; the parameters cell stays on its own (readers change it).
    """
    merged: list[Any] = []
    pending: list[Any] = []  # quiet code cells waiting for the next code cell
    for cell in nb.cells:
        mergeable = cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", [])
        if mergeable and pending:
            cell.source = "\n\n".join([*(c.source for c in pending), cell.source])
            pending = []
        elif pending:
            merged.append(_joined(pending))
            pending = []
        if mergeable and not cell.get("outputs"):
            pending.append(cell)
            continue
        merged.append(cell)
    if pending:
        merged.append(_joined(pending))
    nb.cells = merged


def _joined(cells: list[Any]) -> Any:
    first = cells[0]
    first.source = "\n\n".join(c.source for c in cells)
    return first


def attach_downloads(
    nb: Any, stem: str, title: str, imprint: Imprint | None = None, anchors: list[str] | None = None
) -> dict[str, bytes]:
    """Give every chart and table of the notebook its download files; return them by site path.

    Charts (PNG outputs) become files under ``downloads/<stem>/``: the PNG as the notebook holds it
    (``plots.finish`` renders it at print resolution) and, when the output carries the chart's data as
    ``text/csv``, that CSV. Tables (HTML outputs holding a ``<table>``) get a CSV of the cells as shown.
    Each output's ``metadata`` learns its file names (``filenames`` for nbconvert's ``<img src>``,
    ``site_downloads`` for our template). Names are numbered in page order, so rebuilds are identical.
    ``anchors``: the English page's chart ids, by position (a Russian or Kazakh page keeps them, so that a link
    to a chart works in every edition); the words of the files follow ``imprint.lang``.
    """
    imprint = imprint or Imprint()
    t = imprint.t
    files: dict[str, bytes] = {}
    charts = tables = 0
    page_tables = tables_named(" ".join(LOAD_RE.findall(" ".join(c.source for c in nb.cells))), imprint.table_sources)
    ids: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            downloads: list[dict[str, str]] = []
            meta = output.setdefault("metadata", {})
            if "image/png" in data:
                charts += 1
                base = f"downloads/{stem}/{stem}_chart_{charts:02d}"
                name = chart_title(output)
                csv_text = text_of(data.get("text/csv", ""))
                source = chart_source(csv_text, imprint.lang)
                own = anchors[charts - 1] if anchors and charts <= len(anchors) else ""
                anchor = unique_id(own or "chart-" + (slugify(name)[:60].strip("-") or f"{charts:02d}"), ids)
                png = base64.b64decode(data["image/png"])
                files[base + ".png"] = png_with_text(png, {
                    "Title": name, "Source": source, "Copyright": imprint.licence,
                    "Software": imprint.site, "Comment": f"{stem}.html#{anchor}",
                    "Creation Time": imprint.date, "Version": imprint.version,
                })
                meta.setdefault("filenames", {})["image/png"] = base + ".png"
                downloads.append(download(base + ".png", "chart", t("Image (PNG, {size})").format(size=png_size(png))))
                if "text/csv" in data:
                    lines = [*imprint.lines(), t("Page: {page}").format(page=f"{stem}.html#{anchor}")]
                    files[base + ".csv"] = ("".join(f"# {line}\n" for line in lines) + csv_text).encode("utf-8")
                    downloads.append(download(base + ".csv", "data", t("Data (CSV)")))
                named = tables_named(source, imprint.table_sources) or tables_named(cell.source, imprint.table_sources)
                meta["site_chart"] = {
                    "id": anchor, "number": charts, "title": name, "source": source,
                    "source_html": source_html(source, imprint, t("the data page")),
                    "sources": source_links(named or page_tables, imprint),
                    "cite": cite_line(name, imprint, f"{stem}.html#{anchor}"),
                }
            elif "text/html" in data and "<table" in text_of(data["text/html"]):
                rows = table_rows(text_of(data["text/html"]))
                if not rows:
                    continue
                tables += 1
                path = f"downloads/{stem}/{stem}_table_{tables:02d}.csv"
                named = tables_named(cell.source, imprint.table_sources) or page_tables
                urls = [url for name in named for url in imprint.table_sources.get(name, [])]
                notes = [*imprint.lines(), t("Page: {page}").format(page=f"{stem}.html#table-{tables:02d}")]
                notes += [t("Sources ({tables}): {urls}").format(tables=", ".join(named),
                                                                urls=" ; ".join(dict.fromkeys(urls)))] if named else []
                if "text/csv" in data:  # a table that carries its own data wins over the parsed cells
                    files[path] = ("".join(f"# {n}\n" for n in notes) + text_of(data["text/csv"])).encode("utf-8")
                else:
                    notes = [t("Table {number} of {page}: {title}").format(number=tables, page=stem, title=title),
                             t("Values as shown on the page."), *notes]
                    files[path] = table_csv(rows, notes).encode("utf-8")
                downloads.append(download(path, "table", t("Table (CSV)")))
                meta["site_table"] = {"id": f"table-{tables:02d}", "sources": source_links(named, imprint)}
            if downloads:
                meta["site_downloads"] = downloads
    return files


def source_html(source: str, imprint: Imprint, data_page: str = "the data page") -> str:
    """A chart's source line as HTML: the data tables it names link to the data page (no "data/README.md")."""
    plain = re.sub(r"\s*\((?:see )?data/README\.md\)|;\s*see data/README\.md", "", source)
    text = html_lib.escape(plain)
    text = text.replace("data/README.md", "\0data-page\0")

    def link(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in imprint.table_sources:
            return match.group(0)
        return f'<a href="data/README.html#table-{name}">{match.group(0)}</a>'

    text = re.sub(r"(?<![\w/])(?:data/)?([a-z][a-z0-9]*(?:_[a-z0-9]+)*)(?:\.csv)?(?![\w])", link, text)
    return text.replace("\0data-page\0", f'<a href="data/README.html">{html_lib.escape(data_page)}</a>')


def unique_id(anchor: str, taken: set[str]) -> str:
    """``anchor``, or ``anchor-2``, ``anchor-3``... when the page has it already."""
    found, n = anchor, 1
    while found in taken:
        n += 1
        found = f"{anchor}-{n}"
    taken.add(found)
    return found


def cite_line(title: str, imprint: Imprint, where: str) -> str:
    """How to cite one chart: the chart, the site, the data version and date, the licence."""
    parts = [f"“{title}”" if title else imprint.t("Chart"), imprint.site]
    if imprint.version:
        parts.append(imprint.t("data version {version}").format(version=imprint.version)
                     + (f" ({imprint.date})" if imprint.date else ""))
    if imprint.licence:
        parts.append(imprint.licence)
    return ", ".join(p for p in parts if p) + f". {where}"


def download(href: str, kind: str, label: str) -> dict[str, str]:
    """One download link: site path, kind (chart/data/table), label and the file name to save as."""
    return {"href": href, "kind": kind, "label": label, "name": posixpath.basename(href)}


def text_of(value: Any) -> str:
    """An output's text, which nbformat may hold as a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


def text_bytes(value: Any) -> bytes:
    """An output's text as UTF-8 bytes with Unix newlines."""
    return text_of(value).replace("\r\n", "\n").encode("utf-8")


def png_size(png: bytes) -> str:
    """Pixel size of a PNG, with its resolution when it records one, e.g. ``1600 × 900 px, 200 dpi``."""
    with Image.open(io.BytesIO(png)) as picture:
        dpi = picture.info.get("dpi")
        resolution = f", {round(float(dpi[0]))} dpi" if dpi and round(float(dpi[0])) > 72 else ""
        return f"{picture.width} × {picture.height} px{resolution}"


# --- Contents list ------------------------------------------------------------------------------------

HEADING_TAG_RE = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
ANCHOR_LINK_RE = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
TOC_MARK = "<!-- site-toc -->"
def page_headings(html: str, levels: tuple[int, ...] = (2, 3)) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings of a rendered page, in order."""
    found = []
    for match in HEADING_TAG_RE.finditer(html):
        level = int(match.group(1))
        if level in levels:
            text = html_lib.unescape(re.sub(r"<[^>]+>", "", ANCHOR_LINK_RE.sub("", match.group(3)))).strip()
            found.append((level, match.group(2), text))
    return found


def toc_html(headings: list[tuple[int, str, str]]) -> str:
    """A nested list of links to the page's sections (level 2) and their parts (level 3)."""
    items: list[str] = []
    open_sub = False
    for level, anchor, text in headings:
        link = f'<a href="#{html_lib.escape(anchor)}">{html_lib.escape(text)}</a>'
        if level > 2 and items:
            if not open_sub:
                items[-1] = items[-1].removesuffix("</li>") + "<ul>"
                open_sub = True
            items.append(f"<li>{link}</li>")
            continue
        if open_sub:
            items.append("</ul></li>")
            open_sub = False
        items.append(f"<li>{link}</li>")
    if open_sub:
        items.append("</ul></li>")
    return "<ol>\n" + "\n".join(items) + "\n</ol>" if items else ""


# --- Citation ---------------------------------------------------------------------------------------


def citation_context(cff: dict[str, Any]) -> dict[str, Any]:
    """What the index's citation block shows, from a parsed ``CITATION.cff`` ({} when there is none)."""
    if not cff:
        return {}
    authors = []
    for author in cff.get("authors", []):
        if author.get("name"):
            authors.append(str(author["name"]))
        else:
            given, family = author.get("given-names", ""), author.get("family-names", "")
            authors.append(" ".join(part for part in (given, family) if part))
    released = str(cff.get("date-released", ""))
    return {
        "title": str(cff.get("title", "")),
        "version": str(cff.get("version", "")),
        "date": released,
        "year": released[:4],
        "authors": authors,
        "url": str(cff.get("url") or cff.get("repository-code") or ""),
        "license": str(cff.get("license", "")),
        "message": str(cff.get("message", "")),
    }


@dataclass
class PageIds:
    """The ids of a notebook page's headings and charts, in page order."""

    headings: list[str]
    charts: list[str]


# the search page's words, which its script shows (sitebuild.languages.UI_STRINGS)
SEARCH_WORDS = (
    "Type a word or two, e.g. Almaty or exit poll.",
    "Sections found: {count}",
    "Sections found: {count}, the first {shown} shown",
    "Nothing found for “{query}”.",
)


@dataclass
class RenderedPage:
    """One rendered page: its HTML and the files it links to (site path -> bytes)."""

    html: str
    files: dict[str, bytes] = field(default_factory=dict)


class SiteRenderer:
    """Builds the pages of the site from notebooks and the data package, into an output folder."""

    def __init__(self, template_dir: Path, config: dict[str, Any], lang: str = "en") -> None:
        self.template_dir = template_dir
        self.config = config
        self.lang = lang
        self.t = gettext_of(lang)  # the site's words (sitebuild.languages.UI_STRINGS) in the edition's language
        # the edition's links to itself in the other languages: page -> (switcher entries, alternate links)
        self.editions: Callable[[str], dict[str, Any]] = lambda page: {"switcher": [], "alternates": []}
        self.css = (template_dir / "site.css").read_text(encoding="utf-8")
        self.imprint = Imprint(site=config.get("title", ""))  # the build sets licence, version, date, sources
        self.changed: dict[str, str] = {}  # notebook stem -> date its content last changed (from git)
        self.archive = ""  # site path of the whole project as one ZIP
        self.search_js = (template_dir / "search.js").read_text(encoding="utf-8")
        # MiniSearch 7.2.0 (npm "minisearch", dist/umd/index.js; MIT, licence in assets/): inlined, not
        # linked, so that no page loads a script file; its source map is not shipped
        library = (template_dir / "vendor/minisearch.js").read_text(encoding="utf-8")
        self.search_library = library.replace("//# sourceMappingURL=index.js.map", "").rstrip() + "\n"
        self.md = markdown()
        self.env = Environment(
            loader=FileSystemLoader(str(template_dir)),
            autoescape=select_autoescape(["html", "j2"]),
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        self.env.install_gettext_translations(_catalog(lang), newstyle=True)  # type: ignore[attr-defined]
        self.exporter = SiteHTMLExporter(
            template_name="page",
            extra_template_basedirs=[str(template_dir)],
            embed_images=False,
            theme="light",
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code=lang,
        )

    def _page_environment(self) -> None:
        """The site's words in nbconvert's template environment too (``{{ _("...") }}`` in site_template/page)."""
        env = self.exporter.environment
        if "jinja2.ext.InternationalizationExtension" not in env.extensions:
            env.add_extension("jinja2.ext.i18n")
            env.install_gettext_translations(_catalog(self.lang), newstyle=True)

    def assets(self) -> dict[str, bytes]:
        """The stylesheets every page links to: JupyterLab's (from nbconvert) and the site's own."""
        nb = nbformat.v4.new_notebook()
        head, _ = self.exporter.from_notebook_node(nb, resources={"site": {"css_only": True}})
        lab_css = "\n".join(CSS_COMMENT_RE.sub("", m.group(2)).strip() for m in STYLE_RE.finditer(head))
        vendor = self.template_dir / "vendor"
        return {
            "assets/notebook.css": (lab_css + "\n").encode("utf-8"),
            "assets/site.css": self.css.encode("utf-8"),
            # the licence of MiniSearch, which search.html inlines (see search_page)
            "assets/minisearch-LICENSE.txt": (vendor / "minisearch-LICENSE.txt").read_bytes(),
        }

    def notebook_page(
        self, info: NotebookInfo, prev: NotebookInfo | None, nxt: NotebookInfo | None, ids: PageIds | None = None
    ) -> RenderedPage:
        """One notebook page with contents, navigation and downloads, and the files it links to.

        ``ids``: the English page's section and chart ids, which a Russian or Kazakh page takes over by position.
        """
        nb = nbformat.from_dict(json.loads(json.dumps(info.nb)))  # private copy
        nb.metadata["title"] = plain_text(info.title)
        merge_quiet_code(nb)
        files = attach_downloads(nb, info.stem, plain_text(info.title), self.imprint, ids.charts if ids else None)
        files[info.download] = info.text.encode("utf-8")
        repository = self.config.get("repository", "")
        nav = {
            "index": "index.html",
            "prev": {"href": prev.page, "title": plain_text(prev.title), "stem": prev.stem} if prev else None,
            "next": {"href": nxt.page, "title": plain_text(nxt.title), "stem": nxt.stem} if nxt else None,
            "source": f"notebooks/{info.stem}.ipynb",
            "download": info.download,
            "site_title": self.config["title"],
            "repository": self.config.get("repository", ""),
            "binder": binder_url(repository, info.download),
            "colab": colab_url(repository, info.download),
            "archive": self.archive,
            "changed": self.changed.get(info.stem, ""),
            "version": self.imprint.version,
            "data_date": self.imprint.date,
            **self.editions(info.page),
        }
        resources = {"metadata": {"name": info.stem}, "site": {"nav": nav, "css_only": False}}
        self._page_environment()
        body, _ = self.exporter.from_notebook_node(nb, resources=resources)
        head, mark, content = body.partition(TOC_MARK)  # the headings after the contents list itself
        if ids is not None:
            content = same_heading_ids(content, ids.headings)
        body = head + toc_html(page_headings(content)) + content if mark else body
        return RenderedPage(unbroken_percentages(mark_languages(readable_tables(body, self.t("Table")), self.lang)),
                            files)

    @staticmethod
    def page_ids(html: str) -> PageIds:
        """The section and chart ids of a rendered notebook page (an English one: the others take them over)."""
        content = html.partition('id="site-main"')[2] or html
        charts = re.findall(r'<figure class="[^"]*site-chart[^"]*" id="([^"]+)"', content)
        return PageIds(heading_ids(content), charts)

    def render_template(self, name: str, page: str = "", **context: Any) -> str:
        """Render one of our Jinja2 templates with the shared configuration, for the site page ``page``."""
        template = self.env.get_template(name)
        return unbroken_percentages(template.render(site=self.config, lang=self.lang, **self.editions(page), **context))

    def data_page(
        self, readme_md: str, tables: list[dict[str, Any]] | None = None, changed: str = "",
        ids: list[str] | None = None,
    ) -> str:
        """The data package README as a page: its intro, then every table to download with its sources (links),
        then the rest of the README; web addresses in the text are links; a contents list of its sections."""
        body = readable_tables(link_urls(add_heading_ids(self.md.render(readme_md), ids)), self.t("Table"))
        intro, found, rest = body.partition("<h2")
        rest = found + rest
        headings = page_headings(rest, levels=(2,))
        if tables:
            headings.insert(0, (2, "data-tables", self.t("The tables: download and sources")))
        html = self.render_template(
            "data.html.j2", "data/README.html", intro=Markup(intro), body=Markup(rest),
            toc=Markup(toc_html(headings)), tables=tables or [], changed=changed, root="../",
        )
        return mark_languages(html, self.lang)

    def text_page(self, title: str, text_md: str, changed: str = "", ids: list[str] | None = None) -> str:
        """The changelog page from its Markdown; ``ids``: the English page's heading ids, by position."""
        body = readable_tables(link_urls(add_heading_ids(self.md.render(text_md), ids)), self.t("Table"))
        html = self.render_template("text.html.j2", "changelog.html", title=title, body=Markup(body), changed=changed,
                                    root="")
        return mark_languages(html, self.lang)

    def glossary_page(self, rows: list[dict[str, Any]], changed: str = "") -> str:
        """The glossary: each term in English, Russian and Kazakh, with who published the wording and where."""
        # every cell says its language (lang="ru", lang="kk"): no guessing from the letters, as mark_languages does
        return self.render_template("glossary.html.j2", "glossary.html", rows=rows, changed=changed, root="")

    def search_page(self, entries: list[dict[str, str]], aliases: dict[str, str]) -> str:
        """The search page of one site folder (one language): its prebuilt index, and the script that reads it."""
        words = {key: self.t(key) for key in SEARCH_WORDS}
        return self.render_template(
            "search.html.j2",
            "search.html",
            index_json=Markup(search_index_json(entries, aliases, self.lang, words)),
            library=Markup(self.search_library.replace("</", "<\\/")),
            script=Markup(self.search_js.replace("</", "<\\/")),
            root="",
        )

    def index_page(
        self,
        notebooks: list[NotebookInfo],
        findings_md: str,
        sources: list[dict[str, str]],
        resources: list[dict[str, str]],
        citation: dict[str, Any] | None = None,
        card_links: Callable[[str], str] = str,
        changed: str = "",
        heading: str = "",
        intro: str = "",
    ) -> str:
        """The landing page: summary, findings, one card per notebook, data, sources and how to cite.

        ``card_links`` rewrites the links of the cards' "In short" items, which were written relative to
        the notebooks' folder; ``heading`` and ``intro`` (markdown) default to the site's configuration.
        """
        more = {1: self.t("One more point and the evidence")}
        cards = [
            {
                "href": info.page,
                "stem": info.stem,
                "title": Markup(self.md.renderInline(info.title)),  # headings may hold `code` or *emphasis*
                # the question and its first points: the rest is on the page
                "bullets": [Markup(card_links(self.md.renderInline(item))) for item in info.in_short[:CARD_POINTS]],
                "more": max(0, len(info.in_short) - CARD_POINTS),
                "more_text": more.get(len(info.in_short) - CARD_POINTS) or self.t(
                    "{count} more points and the evidence").format(count=len(info.in_short) - CARD_POINTS),
                "thumb": f"img/{info.stem}.png" if info.key_png else None,
                "thumb_alt": key_figure_title(info.nb) or self.t("Key chart of {title}").format(
                    title=plain_text(info.title)),
            }
            for info in notebooks
        ]
        if findings_md:
            findings = Markup(self.md.render(findings_md))
        else:  # fall back to the first "In short" item of each notebook
            items = [f"- {info.in_short[0]}" for info in notebooks if info.in_short]
            findings = Markup(self.md.render("\n".join(items))) if items else Markup("")
        return mark_languages(self.render_template(
            "index.html.j2",
            "index.html",
            heading=Markup(self.md.renderInline(heading or self.config.get("heading", ""))),
            intro=Markup(self.md.renderInline(intro or self.config.get("intro", ""))),
            cards=cards,
            findings=findings,
            sources=sources,
            resources=resources,
            citation=citation_context(citation or {}),
            archive=self.archive,
            changed=changed,
            root="",
        ), self.lang)


LINK_OR_TAG_RE = re.compile(r"(<a\b.*?</a>|<code\b.*?</code>|<[^>]+>)", re.DOTALL | re.IGNORECASE)
BARE_URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")


def link_urls(html: str) -> str:
    """Web addresses written out in the text become links (not inside links, tags or code)."""
    parts = LINK_OR_TAG_RE.split(html)
    for i in range(0, len(parts), 2):  # the text between tags, links and code
        parts[i] = BARE_URL_RE.sub(lambda m: f'<a href="{m.group(0)}" rel="external">{m.group(0)}</a>', parts[i])
    return "".join(parts)


def colab_url(repository: str, notebook: str) -> str:
    """A Colab link for a notebook of a public GitHub repository ("" when no repository is configured)."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository or "")
    if not match:
        return ""
    return f"https://colab.research.google.com/github/{match.group(1)}/{match.group(2)}/blob/HEAD/{notebook}"


TABLE_RE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
TD_RE = re.compile(r"<td\b([^>]*)>([^<]*)</td>", re.IGNORECASE)
NUMBER_RE = re.compile(r"^\s*[(<>≤≥~≈±+−-]?\s*\d[\d,. \u202f\u00a0]*(?:%|‰| pp| points?)?\)?\s*$")


ROW_NUMBER_TH_RE = re.compile(r"(<tr\b[^>]*>\s*)<th>(\d+)</th>")
EMPTY_CORNER_RE = re.compile(r"(<tr\b[^>]*>\s*)<th></th>")


def drop_bare_index(table: str) -> str:
    """A pandas table's row numbers (a bare integer index: no name, one header row) are left out."""
    head, found, body = table.partition("<tbody>")
    if not found or len(re.findall(r"<tr\b", head)) != 1 or not EMPTY_CORNER_RE.search(head):
        return table
    numbers = [int(m.group(2)) for m in ROW_NUMBER_TH_RE.finditer(body)]
    if not numbers or len(numbers) != len(re.findall(r"<tr\b", body)):  # every row starts with its number
        return table
    return EMPTY_CORNER_RE.sub(r"\1", head, count=1) + found + ROW_NUMBER_TH_RE.sub(r"\1", body)


def readable_tables(html: str, label: str = "Table") -> str:
    """Tables: numbers right-aligned (``site-num``), text left; each in a box that scrolls sideways on its own
    (a keyboard can scroll it too), so no table makes the page wider than the screen."""

    def cell(match: re.Match[str]) -> str:
        attrs, text = match.group(1), match.group(2)
        if not NUMBER_RE.match(html_lib.unescape(text)):
            return match.group(0)
        if 'class="' in attrs:
            attrs = attrs.replace('class="', 'class="site-num ', 1)
        else:
            attrs += ' class="site-num"'
        return f"<td{attrs}>{text}</td>"

    def wrap(match: re.Match[str]) -> str:
        table = TD_RE.sub(cell, drop_bare_index(match.group(0)))
        aria = html_lib.escape(label)
        return f'<div class="site-table-wrap" tabindex="0" role="region" aria-label="{aria}">{table}</div>'

    return TABLE_RE.sub(wrap, html)


CYRILLIC_RUN_RE = re.compile(r"[\u0400-\u04ff](?:[\u0400-\u04ff0-9\s«»„“”\"'(),.;:!?–—-]*[\u0400-\u04ff»”)])?")
DATA_README_RE = re.compile(r"(?:\.\./)?data/README\.md")
TEXT_NODE_RE = re.compile(r">([^<]+)<")
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def mark_languages(html: str, lang: str = "en") -> str:
    """Russian and Kazakh text in the body of an English page as ``<span lang="ru">``/``<span lang="kk">`` (Kazakh
    when it holds a letter only Kazakh uses), so that screen readers, hyphenation and translation treat it right.
    A Russian or Kazakh page says its language in ``<html lang>``: its text is left as it is. Where the text names
    the data README, it says "the data page" in the page's language (its links go there)."""
    head, found, body = html.partition("<body")
    if not found:
        return html
    if lang != "en":
        data_page = gettext_of(lang)("the data page")
        return head + found + TEXT_NODE_RE.sub(lambda m: ">" + DATA_README_RE.sub(data_page, m.group(1)) + "<", body)

    def run(match: re.Match[str]) -> str:
        text = match.group(0)
        lang = "kk" if KAZAKH_LETTERS & set(text) else "ru"
        return f'<span lang="{lang}">{text}</span>'

    def text(match: re.Match[str]) -> str:
        # the data README is a page of the site: say so where the text names the file (its links go there)
        words = DATA_README_RE.sub("the data page", match.group(1))
        return ">" + CYRILLIC_RUN_RE.sub(run, words) + "<"

    return head + found + TEXT_NODE_RE.sub(text, body)


def gettext_of(lang: str) -> Callable[[str], str]:
    """The site's words in ``lang`` (the catalog's translation, the English text where it has none)."""
    return _catalog(lang).gettext


def plain_text(html: str) -> str:
    """Text of an HTML or markdown fragment without tags and without the "not yet translated" mark (for a page's
    <title>, navigation and the search index)."""
    text = re.sub(r'<sup class="untranslated-mark">.*?</sup>', "", html, flags=re.DOTALL)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", text)).split())


HEADING_ID_RE = re.compile(r'<h([1-6]) id="([^"]*)"(.*?)</h\1>', re.DOTALL)


def heading_ids(html: str) -> list[str]:
    """The ids of a rendered page's headings, in order."""
    return [m.group(2) for m in HEADING_ID_RE.finditer(html)]


def same_heading_ids(html: str, ids: list[str]) -> str:
    """The page's headings given the ids of the English page's headings, by position (so that a link to a section
    works in every edition); the heading's own permalink follows. Unchanged when the count differs."""
    found = heading_ids(html)
    if len(found) != len(ids):
        return html
    positions = iter(ids)

    def replace(match: re.Match[str]) -> str:
        new, old = next(positions), match.group(2)
        inner = match.group(3).replace(f'href="#{old}"', f'href="#{new}"')  # ids as the English page writes them
        return f'<h{match.group(1)} id="{new}"{inner}</h{match.group(1)}>'

    return HEADING_ID_RE.sub(replace, html)


def binder_url(repository: str, notebook: str) -> str:
    """A Binder link for a notebook of a public GitHub repository ("" when no repository is configured)."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository or "")
    if not match:
        return ""
    return f"https://mybinder.org/v2/gh/{match.group(1)}/{match.group(2)}/HEAD?labpath={notebook}"


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with Unix newlines, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def copy_file(src: Path, dest: Path) -> None:
    """Copy bytes only (no timestamps or permissions carried over)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
