"""The static site in a real browser: every internal link loads, offline, without console errors.

Run: ``.venv/bin/python -m pytest tests/browser/test_site.py``. Needs /usr/bin/chromium.
Screenshots of the index and of one notebook page go to ``_artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

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
    """Every <img> decoded with a non-zero natural width."""
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


def visit(page: Any, url: str, base_url: str, crawl: Crawl) -> list[str]:
    """Load one HTML page, record its problems and return the links found on it."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or response.status != 200:
        crawl.problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
        return []
    crawl.pages.append(url)
    crawl.problems += [f"{url}: console error: {error}" for error in errors]
    crawl.problems += check_images(page, url)
    crawl.problems += check_fragments(page, url)
    if NOTEBOOK_PAGE_RE.search(url):
        crawl.notebook_pages.append(url)
        crawl.problems += check_notebook_page(page, url)
    return internal_links(page, base_url)


def crawl_site(context: Any, base_url: str) -> Crawl:
    """Breadth-first over every internal link, starting at the index (prev/next links included)."""
    crawl = Crawl()

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            crawl.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    queue, seen = deque([base_url + "index.html"]), set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if url.endswith((".html", "/")):
            page = context.new_page()
            queue.extend(visit(page, url, base_url, crawl))
            page.close()
        else:  # data files: they only have to exist
            status = context.request.get(url).status
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
    found = sorted(Path(urlparse(u).path).stem for u in crawl.notebook_pages)
    assert found == expected, f"notebook pages reached from the index: {found}, expected {expected}"
    assert base_url + "data/README.html" in crawl.pages


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
