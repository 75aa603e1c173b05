"""The static site in a real browser, with the network cut: every page loads without console errors, and
each reader feature works: contents list, previous/next, search, folded code, chart and table downloads,
the notebook download with run instructions, the citation block.

Run: ``.venv/bin/python -m pytest tests/browser/test_site.py``. Needs /usr/bin/chromium.
The checks are generic (they hold for whatever notebooks are there) and run on two sites: the
repository's, and a throwaway one whose content is known exactly (see conftest.py), where they
also compare with that content. Screenshots go to ``_artifacts/screenshots/``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import struct
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pandas as pd
import pytest
import yaml
from conftest import Mini, build_site  # the browser tests' conftest.py, beside this file

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_PAGE_RE = re.compile(r"/\d\d_[^/]*\.html$")
SCREENSHOTS = ROOT / "_artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAGE_TIMEOUT_MS = 30_000


@dataclass
class Crawl:
    """What the crawl saw: problems, blocked requests, and the pages visited."""

    problems: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    notebook_pages: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    """True for data: URLs and for http(s) requests to this machine."""
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname in LOCAL_HOSTS


def internal_links(page: Any, base_url: str) -> list[str]:
    """Absolute, fragment-free URLs of every link on the page that stays on the test server."""
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    links = [urldefrag(href)[0] for href in hrefs]
    return sorted({link for link in links if link.startswith(base_url)})


def check_images(page: Any, url: str) -> list[str]:
    """Every <img> decoded with a non-zero natural width (lazy images are loaded first)."""
    page.evaluate(
        """() => Promise.all(Array.from(document.images).map(img => {
               img.loading = "eager"; return img.decode().catch(() => null); }))"""
    )
    images: list[dict[str, Any]] = page.eval_on_selector_all(
        "img", "els => els.map(e => ({src: e.currentSrc.slice(0, 60), width: e.naturalWidth}))"
    )
    return [f"{url}: image not rendered ({img['src']}...)" for img in images if img["width"] <= 0]


def check_fragments(page: Any, url: str) -> list[str]:
    """Every same-page ``#fragment`` link points at an element that exists."""
    # as browsers do: try the fragment as written, then percent-decoded
    page.evaluate("window.decode = s => { try { return decodeURIComponent(s); } catch { return s; } }")
    missing: list[str] = page.eval_on_selector_all(
        "a[href*='#']",
        """els => els.filter(e => e.href.split('#')[0] === location.href.split('#')[0])
                  .map(e => e.hash.slice(1))
                  .filter(raw => raw && !document.getElementById(raw) && !document.getElementById(decode(raw)))""",
    )
    return [f"{url}: link to missing anchor #{frag}" for frag in sorted(set(missing))]


def check_notebook_page(page: Any, url: str) -> list[str]:
    """A notebook page shows its title (h1) and at least one figure."""
    problems = []
    title = page.locator("h1").first
    if page.locator("h1").count() == 0 or not title.inner_text().strip() or not title.is_visible():
        problems.append(f"{url}: no visible h1 title")
    if page.locator(".jp-OutputArea-output img").count() == 0:
        problems.append(f"{url}: no figure image in the outputs")
    return problems


def visit(page: Any, url: str, base_url: str, crawl: Crawl, errors: list[str]) -> list[str]:
    """Load one HTML page in ``page`` (whose console errors arrive in ``errors``), record its problems and return
    the links found on it."""
    errors.clear()
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or response.status != 200:
        crawl.problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
        return []
    crawl.pages.append(url)
    crawl.problems += check_images(page, url)
    crawl.problems += check_fragments(page, url)
    if NOTEBOOK_PAGE_RE.search(url):
        crawl.notebook_pages.append(url)
        crawl.problems += check_notebook_page(page, url)
    links = internal_links(page, base_url)
    crawl.problems += [f"{url}: console error: {error}" for error in errors]  # those of the checks included
    return links


def crawl_site(context: Any, base_url: str) -> Crawl:
    """Breadth-first over every internal link, starting at the index (prev/next links included)."""
    crawl = Crawl()

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            crawl.external.append(route.request.url)
            route.abort()

    # only what does not go to this machine passes through Python (every local image would otherwise be routed
    # here one by one: the three editions load about 700); is_local still decides
    context.route(re.compile(r"^(?!https?://(?:127\.0\.0\.1|localhost)[:/])"), route)
    # one tab for every page, as a reader following links (a new tab per page cost 0.35 s each, 15 s a crawl)
    page, errors = context.new_page(), []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    queue, seen = deque([base_url + "index.html"]), set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if url.endswith((".html", "/")):
            queue.extend(visit(page, url, base_url, crawl, errors))
        else:  # data files: they only have to exist (HEAD: the downloads of three editions are ~75 MB)
            status = context.request.head(url).status
            if status != 200:
                crawl.problems.append(f"{url}: HTTP {status}")
    return crawl


def test_one_page_per_notebook(site_dir: Path) -> None:
    """The site has exactly one page per numbered notebook (when built from this repository)."""
    if os.environ.get("SITE_DIR"):
        return
    expected = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.stem for p in site_dir.glob("[0-9][0-9]_*.html")) == expected


def test_every_page_loads_offline(browser: Any, base_url: str, site_dir: Path) -> None:
    """Index, notebook pages, data README and data files load; nothing leaves localhost."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        crawl = crawl_site(context, base_url)
    finally:
        context.close()
    assert crawl.external == [], f"requests left localhost: {crawl.external}"
    assert crawl.problems == [], "\n".join(crawl.problems)
    expected = sorted(p.stem for p in site_dir.glob("[0-9][0-9]_*.html"))
    folders = [urlparse(u).path.removeprefix(urlparse(base_url).path).rpartition("/")[0] for u in crawl.notebook_pages]
    for edition in ("", "ru", "kk"):  # the Russian and Kazakh editions are reached through the language switcher
        found = sorted(Path(urlparse(u).path).stem for u, folder in zip(crawl.notebook_pages, folders, strict=True)
                       if folder == edition)
        assert found == expected, f"{edition or 'English'} notebook pages reached from the index: {found}"
        assert base_url + (edition and edition + "/") + "data/README.html" in crawl.pages


def test_prev_next_chain(browser: Any, base_url: str) -> None:
    """Following "next" from the first notebook visits every notebook in order, and "prev" returns."""
    page = browser.new_page()
    try:
        page.goto(base_url + "index.html")
        cards = page.eval_on_selector_all(".site-card-link", "els => els.map(e => e.href)")
        if not cards:
            return
        visited = []
        url: str | None = cards[0]
        while url:
            page.goto(url)
            visited.append(url)
            nxt = page.locator(".site-nav-top a[rel=next]")
            url = nxt.evaluate("e => e.href") if nxt.count() else None
        assert visited == cards, "next links do not follow the index order"
        back = []
        while page.locator(".site-nav-top a[rel=prev]").count():
            page.locator(".site-nav-top a[rel=prev]").click()
            back.append(page.url)
        assert back == cards[-2::-1], "prev links do not walk back in order"
    finally:
        page.close()


# --- Reader features, checked on both sites -----------------------------------------------------------

SITES = ["repository", "throwaway"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Site:
    """A built site: its folder, its URL, and for the throwaway site the content it must show."""

    name: str
    folder: Path
    url: str
    known: Mini | None = None

    def notebook_pages(self) -> list[str]:
        """URLs of the notebook pages, in order."""
        return [self.url + p.name for p in sorted(self.folder.glob("[0-9][0-9]_*.html"))]


@pytest.fixture(params=SITES)
def site(request: pytest.FixtureRequest) -> Site:
    """Each site in turn."""
    if request.param == "repository":
        return Site("repository", request.getfixturevalue("site_dir"), request.getfixturevalue("base_url"))
    known, folder = request.getfixturevalue("mini")
    return Site("throwaway", folder, request.getfixturevalue("mini_url"), known)


@contextlib.contextmanager
def offline_page(browser: Any) -> Iterator[Any]:
    """A page whose every request off this machine is aborted; on exit, asserts there were none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    external: list[str] = []

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert external == [], f"requests left localhost: {external}"


def fetch(page: Any, url: str) -> bytes:
    """A file of the site, fetched through the page's (offline) context."""
    response = page.context.request.get(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    body: bytes = response.body()
    return body


def download(page: Any, link: Any) -> bytes:
    """Click a download link as a reader would; return the downloaded bytes."""
    with page.expect_download() as caught:
        link.click()
    path = caught.value.path()
    return Path(path).read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == PNG_MAGIC, "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def chart_frame(text: str) -> tuple[dict[str, str], pd.DataFrame]:
    """A chart CSV: its ``# Key: value`` header lines, and the table (read as pandas reads it)."""
    notes = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(": ")
        notes[key] = value
    return notes, pd.read_csv(io.StringIO(text), comment="#")


def test_toc_on_every_notebook_page(browser: Any, site: Site) -> None:
    """Every notebook page lists its sections (h2, with h3 nested), each link lands on its heading."""
    with offline_page(browser) as page:
        for url in site.notebook_pages():
            page.goto(url)
            links = page.locator(".site-toc a")
            assert links.count() > 0, f"{url}: no contents list"
            toc = links.evaluate_all("els => els.map(e => [e.hash.slice(1), e.textContent.trim()])")
            headings = page.eval_on_selector_all(
                ".site-content h2[id], .site-content h3[id]",
                "els => els.map(e => [e.id, e.textContent.replace('¶', '').trim()])",
            )
            assert [text for _, text in toc] == [text for _, text in headings], f"{url}: contents list != headings"
            for position in (0, len(toc) - 1):  # follow the first and the last: the page scrolls there
                links.nth(position).click()
                assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == toc[position][0]
                top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", toc[position][0])
                bottom = page.evaluate("innerHeight") - 20
                assert -2 <= top < (50 if position == 0 else bottom), f"{url}: {toc[position][1]!r} not in view ({top})"
            if site.known:
                assert [text for _, text in toc] == ["In short", *site.known.sections, "Run this notebook yourself"]
                nested = page.locator(".site-toc ol > li > ul > li > a").all_inner_texts()
                assert nested == site.known.sections[2:], "the level-3 heading is not nested under its section"


def test_search_finds_sections_offline(browser: Any, site: Site) -> None:
    """From any page's search box: "Almaty" finds sections; the first hit opens on a section that says it."""
    with offline_page(browser) as page:
        page.goto(site.url + "index.html")
        page.fill(".site-search-box input[name=q]", "Almaty")
        page.press(".site-search-box input[name=q]", "Enter")
        page.wait_for_url("**/search.html?q=Almaty")
        hits = page.locator("#site-search-results li a")
        assert hits.count() > 0, "a search for Almaty found nothing"
        assert "Almaty" in page.locator("#site-search-results li").first.inner_text()
        pages = set(hits.evaluate_all("els => els.map(e => e.pathname.split('/').pop())"))
        assert pages & {Path(u).name for u in site.notebook_pages()}, "no notebook page among the hits"
        target = hits.first.evaluate("e => e.href")
        page.goto(target)
        anchor = urlparse(target).fragment
        section = page.locator(f"[id='{anchor}']") if anchor else page.locator("h1")
        assert section.count() == 1, f"search hit {target} points at a missing anchor"
        page.goto(site.url + "search.html?q=qwxzv")
        assert page.locator("#site-search-results li").count() == 0
        assert "Nothing found" in page.inner_text("#site-search-status")
        if site.known:  # the throwaway page: its section on Almaty is the first hit, with the word marked
            page.goto(site.url + "search.html?q=almaty%20lowest")
            texts = page.locator("#site-search-results li").all_inner_texts()
            hit = next((text for text in texts if site.known.sections[0] in text), "")
            assert hit, f"the section on Almaty is not among the hits: {texts}"
            assert page.locator("#site-search-results li mark").count() >= 2


def test_search_index_covers_every_page(site: Site) -> None:
    """The prebuilt index (inlined in search.html) has sections of every notebook page, the index and the data page."""
    html = (site.folder / "search.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="site-search-index">(.*?)</script>', html, re.DOTALL)
    assert match, "search.html has no inlined index"
    index = json.loads(match.group(1))
    assert index["lang"] == "en" and index["aliases"].get("aqtobe") == "aktobe", "the units' other names are missing"
    entries = index["docs"]
    pages = {entry[0] for entry in entries}
    expected = {Path(u).name for u in site.notebook_pages()} | {"index.html", "data/README.html", "changelog.html"}
    assert expected <= pages, f"pages missing from the search index: {sorted(expected - pages)}"
    assert not any("import " in entry[4] and "from helpers" in entry[4] for entry in entries), "code was indexed"


def test_code_is_folded_and_opens_with_one_click(browser: Any, site: Site) -> None:
    """Every code cell starts folded; a click on its summary shows the code; "Show all code" opens them all."""
    with offline_page(browser) as page:
        for url in site.notebook_pages():
            page.goto(url)
            folds = page.locator("details.site-code")
            cells = page.locator(".jp-CodeCell").count()
            assert folds.count() == cells > 0, f"{url}: {folds.count()} folds for {cells} code cells"
            assert folds.evaluate_all("els => els.filter(e => e.open).length") == 0, f"{url}: code shown unfolded"
            code = folds.first.locator("pre").first
            assert not code.is_visible()
            folds.first.locator("summary").click()
            assert code.is_visible(), f"{url}: a click on the summary did not show the code"
            page.click(".site-unfold")
            assert folds.evaluate_all("els => els.every(e => e.open)"), f"{url}: 'Show all code' left some folded"


def test_every_chart_offers_png_and_its_data(browser: Any, site: Site) -> None:
    """Each chart: a PNG download at print resolution and a CSV of the data it draws, beside it.

    The CSV must be the chart's own data as the notebook holds it (the ``text/csv`` of the output, which
    nbval compares with every rerun), name the chart, its source and each column's unit, and parse.
    """
    with offline_page(browser) as page:
        for url in site.notebook_pages():
            page.goto(url)
            notebook = json.loads(fetch(page, urljoin(url, page.get_attribute("a.site-ipynb", "href"))))
            outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
            bundles = [o["data"] for o in outputs if "image/png" in o.get("data", {})]
            figures = page.locator(".site-figure")
            assert figures.count() == len(bundles), f"{url}: {figures.count()} figures for {len(bundles)} PNG outputs"
            for position, bundle in enumerate(bundles):
                figure = figures.nth(position)
                png_link, csv_link = figure.locator("a.site-download-chart"), figure.locator("a.site-download-data")
                where = f"{url}, chart {position + 1}"
                assert png_link.count() == 1, f"{where}: no PNG download"
                width, _ = png_size(fetch(page, urljoin(url, png_link.get_attribute("href"))))
                shown = figure.locator("img").evaluate("e => e.getBoundingClientRect().width")
                assert csv_link.count() == 1, f"{where}: no CSV of the chart's data (use plots.finish)"
                assert width >= 1.9 * shown, f"{where}: PNG {width} px wide for {shown:.0f} px on screen"
                text = download(page, csv_link).decode("utf-8")
                expected = "".join(bundle["text/csv"]) if isinstance(bundle["text/csv"], list) else bundle["text/csv"]
                imprint, _, data = text.partition("# Chart: ")
                assert "# Chart: " + data == expected, f"{where}: the CSV is not the chart's data"
                pattern = r"# Site: .+\n# Licence: CC-BY-4\.0\n# Data version: 0\.\d+\.\d+ of \d{4}-\d\d-\d\d\n"
                pattern += r"# Page: \d\d_\w+\.html#chart-[\w-]+\n"
                assert re.fullmatch(pattern, imprint), f"{where}: imprint {imprint!r}"
                notes, frame = chart_frame(text)
                assert notes.get("Chart") == figure.locator("img").get_attribute("alt"), f"{where}: title differs"
                assert notes.get("Source"), f"{where}: no source line"
                units = {k.removeprefix("Column ") for k in notes if k.startswith("Column ")}
                assert units <= set(frame.columns) and len(frame) > 0, f"{where}: columns {units} not in the data"
            if site.known:
                assert "# Chart: " + data == site.known.chart_csv
                assert shown == site.known.chart_width


def test_every_table_offers_csv(browser: Any, site: Site) -> None:
    """Each table has a CSV download with its visible header and one row per table row."""
    with offline_page(browser) as page:
        for url in site.notebook_pages():
            page.goto(url)
            outputs = page.locator(".jp-RenderedHTML:has(table)")
            for position in range(outputs.count()):
                output = outputs.nth(position)
                link = output.locator("a.site-download-table")
                assert link.count() == 1, f"{url}, table {position + 1}: no CSV download"
                rows = pd.read_csv(io.BytesIO(fetch(page, urljoin(url, link.get_attribute("href")))),
                                   comment="#", dtype=str, keep_default_na=False)
                rows.columns = ["" if c.startswith("Unnamed: ") else c for c in rows.columns]
                shown = output.locator("table tbody tr").count()
                assert len(rows) == shown, f"{url}, table {position + 1}: {len(rows)} CSV rows for {shown} shown"
                headers = output.locator("table thead th").evaluate_all("els => els.map(e => e.textContent.trim())")
                # as words: the page's text holds a % to its number with a no-break space, the CSV as computed
                columns, shown_headers = ({" ".join(h.split()) for h in names} for names in (rows.columns, headers))
                assert columns <= shown_headers | {""}, f"{url}, table {position + 1}: header differs"
                if site.known:
                    assert [list(rows.columns), *rows.values.tolist()] == site.known.table_rows


def test_notebook_download_and_run_instructions(browser: Any, site: Site) -> None:
    """Each notebook page offers its .ipynb (the notebook, titled as the page) and says how to run it."""
    with offline_page(browser) as page:
        for url in site.notebook_pages():
            page.goto(url)
            link = page.locator("a.site-ipynb")
            assert link.get_attribute("href").endswith(Path(url).stem + ".ipynb")
            notebook = json.loads(download(page, link))
            assert notebook["nbformat"] == 4 and notebook["cells"], f"{url}: the download is not a notebook"
            title = page.locator("h1").first.inner_text().replace("¶", "").strip()
            assert title in "".join(notebook["cells"][0]["source"]), f"{url}: the .ipynb is another notebook"
            run = page.locator("#run-it").inner_text()
            assert "Download the whole project" in run and "make" in run, f"{url}: no run instructions"
            # no repository is configured (site_template/site.json): no Binder or Colab link, not even a generic one
            assert page.locator("#run-it a.site-binder, #run-it a.site-colab").count() == 0
            assert "mybinder.org" not in page.content()


def test_citation_block_matches_citation_cff(browser: Any, site: Site) -> None:
    """The index's citation block shows what CITATION.cff says; the file downloads unchanged."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    with offline_page(browser) as page:
        page.goto(site.url + "index.html")
        block = page.locator(".site-citation")
        assert block.count() == 1, "no citation block on the index page"
        assert block.get_attribute("data-version") == str(cff["version"])
        assert block.get_attribute("data-date") == str(cff["date-released"])
        assert page.inner_text(".site-citation-title") == cff["title"]
        assert page.inner_text(".site-citation-version") == str(cff["version"])
        assert page.get_attribute(".site-citation-date", "datetime") == str(cff["date-released"])
        authors = page.inner_text(".site-citation-authors")
        for author in cff["authors"]:
            assert (author.get("name") or author["family-names"]) in authors
        assert download(page, page.locator("a.site-citation-file")) == (ROOT / "CITATION.cff").read_bytes()


def test_rebuild_is_byte_identical(tmp_path: Path, site_dir: Path) -> None:
    """Rendering the repository's notebooks again, into another folder, gives the same bytes as the site the other
    tests read, file for file, in all three editions (and no path of the machine in them)."""
    if os.environ.get("SITE_DIR"):
        pytest.skip("SITE_DIR names a site built elsewhere: nothing to render it again from")
    again = build_site(tmp_path / "again")

    def snapshot(folder: Path) -> dict[str, bytes]:  # without the build's stamp (.build-inputs.json names its folder)
        files = (p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith("."))
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}

    first, second = snapshot(site_dir), snapshot(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    text = "".join(content.decode("utf-8", "replace") for content in second.values())
    assert str(tmp_path) not in text and str(ROOT) not in text, "a page names a folder of this machine"


def limits() -> dict[str, int]:
    """PAGE_LIMIT, DOWNLOAD_LIMIT and SITE_LIMIT as sitebuild/build.py sets them."""
    tree = ast.parse((ROOT / "sitebuild/build.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id.endswith("LIMIT"):
            found[target.id] = ast.literal_eval(node.value)
    return found


def test_pages_and_site_within_size_limits(site_dir: Path) -> None:
    """Every page and stylesheet, every download and the whole site stay within the build's limits."""
    budget = limits()
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    for path in files:
        limit = budget["PAGE_LIMIT"] if path.suffix in (".html", ".css") else budget["DOWNLOAD_LIMIT"]
        assert path.stat().st_size <= limit, f"{path.relative_to(site_dir)}: {path.stat().st_size} bytes > {limit}"
    assert sum(p.stat().st_size for p in files) <= budget["SITE_LIMIT"]


def test_screenshots(browser: Any, base_url: str) -> None:
    """Screenshots of the index and of the first notebook page, for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base_url + "index.html")
        page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
        cards = page.eval_on_selector_all(".site-card-link", "els => els.map(e => e.href)")
        if cards:
            page.goto(cards[0])
            page.screenshot(path=str(SCREENSHOTS / "notebook.png"), full_page=False)
    finally:
        page.close()
    assert (SCREENSHOTS / "index.png").stat().st_size > 0


def test_table_csv_fills_spans_and_drops_a_bare_index() -> None:
    """The table CSV has one cell per column also for pandas' MultiIndex rows and columns (no browser)."""
    from sitebuild.render import table_rows

    rows_index = pd.MultiIndex.from_tuples([("2022", "final"), ("2022", "preliminary"), ("2024", "final")],
                                           names=["year", "stage"])
    frame = pd.DataFrame({"yes": [1, 2, 3]}, index=rows_index)
    assert table_rows(frame._repr_html_()) == [
        ["year", "stage", "yes"], ["2022", "final", "1"], ["2022", "preliminary", "2"], ["2024", "final", "3"]]
    columns = pd.MultiIndex.from_tuples([("turnout", "18:00"), ("turnout", "20:00"), ("yes", "final")])
    wide = pd.DataFrame([[55.9, 58.1, 77.2]], columns=columns)
    assert table_rows(wide._repr_html_()) == [["turnout / 18:00", "turnout / 20:00", "yes / final"],
                                             ["55.9", "58.1", "77.2"]]
    assert table_rows("<p>no table here</p>") == []
