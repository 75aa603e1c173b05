"""Render executed notebooks, the data package README and an index page into a static site.

Why nbconvert: it is the Jupyter project's own, well-maintained converter, it is already in the
stack (nbclient/nbformat come with it), it works offline, and its ``lab`` template gives pages that
look like JupyterLab. Our template (``site_template/page``) extends ``lab`` and removes every
network dependency (require.js, MathJax, Mermaid, widget managers): CSS is inlined and images are
embedded as base64 data URIs, so the site opens from disk or any static host with no CDN.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from PIL import Image

THUMB_WIDTH = 480
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
        resources = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight)
        self.register_filter("filter_data_type", data_types)
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible_html(body), resources


def accessible_html(html: str) -> str:
    """Default alt text on images without one; input and output areas focusable (keyboard scrolling)."""
    html = IMG_NO_ALT_RE.sub(r'<img alt="No description has been provided for this image"\1', html)
    return FOCUSABLE_RE.sub(r'\1 tabindex="0"', html)


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

    @property
    def page(self) -> str:
        """Site-relative path of the notebook's HTML page."""
        return f"{self.stem}.html"


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


def extract_in_short(nb: Any) -> list[str]:
    """Markdown items of the bullet list in the cell that starts with an "In short" heading."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        first = HEADING_RE.match(lines[0]) if lines else None
        if not first or not first.group(2).lower().startswith("in short"):
            continue
        items: list[str] = []
        for line in lines[1:]:
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
    return notebook_info(nbformat.read(path, as_version=4), path.stem)


def notebook_info_from_text(text: str, stem: str) -> NotebookInfo:
    """The same, from a notebook's JSON text."""
    return notebook_info(nbformat.reads(text, as_version=4), stem)


def notebook_info(nb: Any, stem: str) -> NotebookInfo:
    """Title, "In short" items and key figure of a notebook node."""
    return NotebookInfo(
        stem=stem,
        title=extract_title(nb, stem),
        in_short=extract_in_short(nb),
        key_png=key_figure(nb),
        nb=nb,
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


def strip_css_comments(html: str) -> str:
    """Drop /* comments */ inside <style> blocks (the lab CSS carries credits with URLs; saves bytes)."""

    def clean(match: re.Match[str]) -> str:
        return match.group(1) + CSS_COMMENT_RE.sub("", match.group(2)) + match.group(3)

    return STYLE_RE.sub(clean, html)


def network_problems(html: str, page: str) -> list[str]:
    """Everything in a page that would load a resource from the network."""
    return [f"{page}: {label}" for label, pattern in NETWORK_PATTERNS.items() if pattern.search(html)]


def slugify(text: str) -> str:
    """A stable heading id, as GitHub makes them (so README links like ``#per-unit-searches`` work)."""
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-") or "section"


def add_heading_ids(html: str) -> str:
    """Give every h1-h4 an id derived from its text (unique within the page)."""
    used: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
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


class SiteRenderer:
    """Builds the pages of the site from notebooks and the data package, into an output folder."""

    def __init__(self, template_dir: Path, config: dict[str, Any]) -> None:
        self.template_dir = template_dir
        self.config = config
        self.css = (template_dir / "site.css").read_text(encoding="utf-8")
        self.md = markdown()
        self.env = Environment(
            loader=FileSystemLoader(str(template_dir)),
            autoescape=select_autoescape(["html", "j2"]),
            keep_trailing_newline=True,
        )
        self.exporter = SiteHTMLExporter(
            template_name="page",
            extra_template_basedirs=[str(template_dir)],
            embed_images=True,
            theme="light",
        )

    def notebook_page(self, info: NotebookInfo, prev: NotebookInfo | None, nxt: NotebookInfo | None) -> str:
        """HTML of one notebook page, with site navigation."""
        nb = nbformat.from_dict(json.loads(json.dumps(info.nb)))  # private copy
        nb.metadata["title"] = info.title
        nav = {
            "index": "index.html",
            "prev": {"href": prev.page, "title": prev.title, "stem": prev.stem} if prev else None,
            "next": {"href": nxt.page, "title": nxt.title, "stem": nxt.stem} if nxt else None,
            "source": f"notebooks/{info.stem}.ipynb",
            "site_title": self.config["title"],
        }
        resources = {"metadata": {"name": info.stem}, "site": {"css": self.css, "nav": nav}}
        body, _ = self.exporter.from_notebook_node(nb, resources=resources)
        return strip_css_comments(body)

    def render_template(self, name: str, **context: Any) -> str:
        """Render one of our Jinja2 templates with the shared CSS and configuration."""
        template = self.env.get_template(name)
        return template.render(css=Markup(self.css), site=self.config, **context)

    def data_page(self, readme_md: str) -> str:
        """The data package README rendered to HTML."""
        body = add_heading_ids(self.md.render(readme_md))
        return self.render_template("data.html.j2", body=Markup(body), root="../")

    def index_page(
        self,
        notebooks: list[NotebookInfo],
        findings_md: str,
        sources: list[dict[str, str]],
        resources: list[dict[str, str]],
    ) -> str:
        """The landing page: summary, headline findings, one card per notebook, data and sources."""
        cards = [
            {
                "href": info.page,
                "stem": info.stem,
                "title": Markup(self.md.renderInline(info.title)),  # headings may hold `code` or *emphasis*
                "bullets": [Markup(self.md.renderInline(item)) for item in info.in_short],
                "thumb": f"img/{info.stem}.png" if info.key_png else None,
            }
            for info in notebooks
        ]
        if findings_md:
            findings = Markup(self.md.render(findings_md))
        else:  # fall back to the first "In short" item of each notebook
            items = [f"- {info.in_short[0]}" for info in notebooks if info.in_short]
            findings = Markup(self.md.render("\n".join(items))) if items else Markup("")
        return self.render_template(
            "index.html.j2",
            intro=Markup(self.md.renderInline(self.config.get("intro", ""))),
            cards=cards,
            findings=findings,
            sources=sources,
            resources=resources,
            root="",
        )


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with Unix newlines, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def copy_file(src: Path, dest: Path) -> None:
    """Copy bytes only (no timestamps or permissions carried over)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
