"""The site as a reader meets it on a 390 px phone and a 1366 px desktop (issue 18), in headless Chromium.

Charts readable (the full-screen view shows the smallest chart text at 9 CSS px or more), every chart and
table one click from its sources, the first finding on the first phone screen, search that finds what people
type, downloads that do not replace the page from ``file://``, no page wider than a 360 px screen or an A4
sheet, and the accessibility and citation details. Runs on the site built from the repository's notebooks.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# the smallest text helpers.plots draws is 7 pt (dot_interval's labels); the PNG is rendered at 200 dpi
SMALLEST_PT, PRINT_DPI = 7, 200
SMALLEST_IMAGE_PX = SMALLEST_PT * PRINT_DPI / 72
READABLE_PX = 9


def pages(site_dir: Path) -> list[str]:
    """Every HTML page of the site, relative to its folder."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))


def notebook_pages(site_dir: Path) -> list[str]:
    """The notebook pages, in order."""
    return sorted(p.name for p in site_dir.glob("[0-9][0-9]_*.html"))


@pytest.fixture(params=list(SIZES))
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """The phone's and the desktop's window."""
    return SIZES[request.param]


@pytest.fixture
def page(browser: Any, viewport: dict[str, int]) -> Any:
    """A fresh page at the given size, accepting downloads."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    yield context.new_page()
    context.close()


# --- Search -------------------------------------------------------------------------------------------

QUERIES = [  # what a reader types, and what the first hit must be
    ("turnout", "02_turnout.html", r"turnout"),
    ("turnuot", "02_turnout.html", r"turnout"),  # two letters swapped
    ("явка", "02_turnout.html", r"turnout"),  # Russian for turnout
    ("no vote", "04_regional.html", r"\bno\b.*\bvote\b|\bvote\b.*\bno\b"),
    ("Алматы", None, r"Almaty"),  # the Russian and Kazakh name of the city and the region
    ("Almty", None, r"Almaty"),  # a letter missing
]
NUMBERS = [("77.18%", "77.18"), ("77,18", "77.18"), ("68,05", "68.05"), ("68.05 %", "68.05")]


def hits(page: Any, query: str) -> list[dict[str, str]]:
    """The search page's results for a query typed into its box: link, heading and snippet text."""
    page.fill("#site-search-q", query)
    result: list[dict[str, str]] = page.eval_on_selector_all(
        "#site-search-results > li",
        "els => els.map(li => ({href: li.querySelector('a').getAttribute('href'), "
        "heading: li.querySelector('a').textContent, text: li.innerText}))",
    )
    return result


def test_search_puts_the_right_section_first(page: Any, site_dir: Path) -> None:
    """English, Russian and misspelt queries: the first hit is a section whose heading answers them."""
    page.goto((site_dir / "search.html").as_uri())  # from file://, as the README says to open the site
    for query, on_page, heading in QUERIES:
        found = hits(page, query)
        assert found, f"nothing found for {query!r}"
        first = found[0]
        section = first["heading"].split(" › ")[-1]
        assert re.search(heading, section, re.IGNORECASE), f"{query!r}: first hit {first['heading']!r}"
        if on_page:
            assert first["href"].split("#")[0] == on_page, f"{query!r}: first hit on {first['href']}"


def test_search_knows_other_names_and_numbers_as_written(page: Any, site_dir: Path) -> None:
    """Aqtobe finds Aktobe (units.csv's other names); 77.18%, 77,18 and 68,05 find the figures as printed."""
    page.goto((site_dir / "search.html").as_uri())
    found = hits(page, "Aqtobe")
    assert found and "Aktobe" in found[0]["text"], f"Aqtobe: {found[:1]}"
    assert len(found) == len(hits(page, "Aktobe")), "Aqtobe and Aktobe should find the same sections"
    for query, printed in NUMBERS:
        found = hits(page, query)
        assert found and printed in found[0]["text"], f"{query!r}: first hit {found[:1]}"
    assert hits(page, "qwxzv") == [] and "Nothing found" in page.inner_text("#site-search-status")


# --- The first screen, navigation, accessibility ------------------------------------------------------


def test_first_finding_on_the_first_phone_screen(page: Any, site_dir: Path, viewport: dict[str, int]) -> None:
    """A notebook page opens on its question and first finding: contents folded on a phone, open on a desktop."""
    phone = viewport["width"] < 500
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        first = page.locator("#In-short").locator("xpath=following::li[1]")
        top = first.evaluate("e => e.getBoundingClientRect().top")
        assert top < viewport["height"] - 40, f"{name}: first finding at {top:.0f} px"
        assert page.locator("#site-aside").evaluate("e => e.open") is not phone, f"{name}: contents fold"
        assert page.locator(".site-nav-top .site-nav-steps").is_visible() is not phone


def test_index_shows_questions_and_first_points(page: Any, site_dir: Path) -> None:
    """Each card: the question, at most two "In short" points, a thumbnail whose alt text says what it shows."""
    page.goto((site_dir / "index.html").as_uri())
    cards = page.locator(".site-card")
    assert cards.count() == len(notebook_pages(site_dir))
    for position in range(cards.count()):
        card = cards.nth(position)
        assert card.locator("h3").inner_text().strip()
        assert 1 <= card.locator("ul > li").count() <= 2
        for alt in card.locator("img").evaluate_all("els => els.map(e => e.alt)"):
            assert len(alt) > 20 and not re.search(r"\.png|\d\d_\w+$|^Key figure of", alt), f"thumbnail alt {alt!r}"


def test_skip_link_h1_first_and_lang(page: Any, site_dir: Path) -> None:
    """The first Tab reaches "Skip to the content"; the h1 is the first heading; Cyrillic text carries lang."""
    languages: set[str] = set()
    for name in [*notebook_pages(site_dir), "index.html", "data/README.html", "search.html", "changelog.html"]:
        page.goto((site_dir / name).as_uri())
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the content", name
        target = page.evaluate("document.activeElement.hash.slice(1)")
        assert page.locator(f"[id='{target}']").count() == 1, f"{name}: the skip link's target is missing"
        assert page.evaluate("document.querySelector('h1, h2, h3, h4').tagName") == "H1", f"{name}: a heading before h1"
        unmarked = page.evaluate(
            """() => { const out = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                 while (walk.nextNode()) { const n = walk.currentNode;
                   const marked = n.parentElement.closest('[lang=ru], [lang=kk], script');
                   if (/[\\u0400-\\u04ff]/.test(n.textContent) && !marked) out.push(n.textContent.trim().slice(0, 40));
                 }
                 return out; }"""
        )
        assert unmarked == [], f"{name}: Cyrillic text without lang: {unmarked[:3]}"
        languages |= set(page.eval_on_selector_all("[lang=ru], [lang=kk]", "els => els.map(e => e.lang)"))
    assert languages == {"ru", "kk"}, "the ballot wording in Russian and Kazakh should be marked"


def test_no_prompts_empty_fold_runs_or_build_footer(page: Any, site_dir: Path) -> None:
    """No Out[n] prompts; never two code folds in a row without an output (but the parameters cell, which readers
    change, stays a fold of its own); no build instructions in the footer."""
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        assert page.locator(".jp-OutputPrompt, .jp-InputPrompt").count() == 0, name
        assert not re.search(r"\bOut\[\d+\]", page.inner_text("body")), f"{name}: Out[n] prompt"
        quiet_pairs = page.evaluate(
            """() => [...document.querySelectorAll('.jp-CodeCell.jp-mod-noOutputs:not(.celltag_parameters)')]
                 .filter(c => { const next = c.nextElementSibling;
                                return next && next.matches('.jp-CodeCell:not(.celltag_parameters)'); }).length"""
        )
        assert quiet_pairs == 0, f"{name}: {quiet_pairs} code folds followed by another fold"
        footer = page.inner_text(".site-footer")
        assert "make site" not in footer and re.search(r"last changed \d{4}-\d\d-\d\d", footer), f"{name}: {footer!r}"


# --- Width: phone and paper ---------------------------------------------------------------------------


def test_no_page_wider_than_a_360_px_screen(browser: Any, site_dir: Path) -> None:
    """At 360 px every page fits: wide tables scroll inside their own box."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    wide = {}
    for name in pages(site_dir):
        page.goto((site_dir / name).as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[name] = width
    context.close()
    assert wide == {}, f"pages wider than 360 px: {wide}"


def text_nodes(path: Path, leave_out: str = "pre|code|script|style|textarea") -> list[str]:
    """The text between the tags of a page, without the elements named in ``leave_out`` (by default all code)."""
    from sitebuild.render import TAG_RE

    raw = re.compile(rf"(<({leave_out})\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
    pieces = raw.split(path.read_text(encoding="utf-8"))  # text, left-out element, its tag name, text, ...
    return [text for i in range(0, len(pieces), 3) for text in TAG_RE.split(pieces[i])[::2]]


def page_text(path: Path) -> str:
    """Everything a page can show as one string: prose, code and printed outputs (scripts and styles left out)."""
    return " ".join(" ".join(text_nodes(path, "script|style|textarea")).split())


def test_no_percent_sign_can_wrap_away_from_its_number(site_dir: Path) -> None:
    """In every edition's text (code left out) a number and its % are held together by a no-break space: on a phone
    "68,05" must not end one line and "%" start the next (the translations' markdown types an ordinary space)."""
    found = {}
    for name in pages(site_dir):
        if loose := [hit for text in text_nodes(site_dir / name) for hit in re.findall(r"\S*\d[ \t\n]+%\S*", text)]:
            found[name] = loose[:3]
    assert found == {}, f"a % that can wrap away from its number: {found}"


def test_tables_align_and_fit_a4(browser: Any, site_dir: Path) -> None:
    """Numbers right, text left, the label column sticky on screen; printed on A4, no table is cut."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        aligns = page.eval_on_selector_all(
            ".site-table-wrap td",
            # numbers as written in each edition: 68.05 %, 11 734 642 and 68,05 % with no-break or thin spaces
            "els => els.map(e => [/^\\s*[-−+(<>≤≥~]?\\s*\\d[\\d,. \\u00a0\\u202f]*%?\\)?\\s*$/.test(e.textContent),"
            " getComputedStyle(e).textAlign])",
        )
        for numeric, align in aligns:
            assert align == ("right" if numeric else "left"), f"{name}: a {'number' if numeric else 'text'} {align}"
        sticky = page.eval_on_selector_all(
            ".site-table-wrap tr > :first-child", "els => els.map(e => getComputedStyle(e).position)"
        )
        assert set(sticky) <= {"sticky"}, f"{name}: label column not sticky"
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 680, "height": 900})  # A4 minus 15 mm margins, at 96 px per inch
        cut = page.eval_on_selector_all(".site-table-wrap table", "els => els.filter(t => t.scrollWidth > 682).length")
        assert cut == 0, f"{name}: {cut} tables wider than an A4 page"
        page.emulate_media(media="screen")
        page.set_viewport_size(PHONE)
    context.close()


# --- Charts: readable, sourced, citable ---------------------------------------------------------------


ZOOM_EVERY_CHART = """async () => {
  const sizes = [];
  for (const opener of document.querySelectorAll("figure.site-chart .site-enlarge")) {
    opener.click();
    const zoomed = document.querySelector(".site-zoom[open] img");
    if (!zoomed) { sizes.push(null); continue; }
    await zoomed.decode();
    sizes.push(zoomed.getBoundingClientRect().width / zoomed.naturalWidth);
    document.querySelector(".site-zoom-close").click();
    if (document.querySelector(".site-zoom[open]")) sizes.push(null);
  }
  return sizes;
}"""


def test_charts_readable_full_screen(browser: Any, site_dir: Path) -> None:
    """A tap on a chart shows it full screen, its smallest text at 9 CSS px or more; its title is text (on the
    phone, where the chart in the page is too small to read; on a desktop it is read in the page). The first chart
    of each page is tapped as a reader does, then every chart is opened and closed by its own button in the page."""
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        charts = page.locator("figure.site-chart")
        assert charts.count() > 0, name
        titles = charts.evaluate_all("""els => els.map(e => [e.querySelector("figcaption").innerText,
                                                            e.querySelector("img").alt])""")
        for position, (title, alt) in enumerate(titles):  # the page's text holds a % to its number: as words
            assert title.rstrip(" #").split() == alt.split(), f"{name}, chart {position + 1}: title is not text"
        charts.first.locator(".site-enlarge").click()
        assert page.locator(".site-zoom[open] img").count() == 1, f"{name}: a tap does not enlarge the chart"
        page.click(".site-zoom-close")
        assert page.locator(".site-zoom[open]").count() == 0, f"{name}: the enlarged chart does not close"
        sizes = page.evaluate(ZOOM_EVERY_CHART)
        assert None not in sizes and len(sizes) == len(titles), f"{name}: a chart does not open or close: {sizes}"
        for position, ratio in enumerate(sizes):
            size = ratio * SMALLEST_IMAGE_PX
            assert size >= READABLE_PX, f"{name}, chart {position + 1}: smallest text {size:.1f} px when enlarged"
    context.close()


def test_every_chart_and_table_lists_its_sources(browser: Any, site_dir: Path) -> None:
    """Sources as links under every chart (and every table whose notebook loads a data table); permalinks;
    how to cite; "see data/README.md" nowhere (what the page holds, the same at any width: checked on the phone)."""
    mentions = [name for name in pages(site_dir) if "data/README.md" in page_text(site_dir / name)]
    assert mentions == [], f"pages that send the reader to data/README.md: {mentions}"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        for chart in page.locator("figure.site-chart").all():
            links = chart.locator("a.site-source-link").evaluate_all("els => els.map(e => e.href)")
            assert links and all(link.startswith(("https://", "http://")) for link in links), f"{name}: {links}"
            anchor = chart.get_attribute("id")
            assert chart.locator("a.site-permalink").get_attribute("href") == f"#{anchor}"
            assert f"{name}#{anchor}" in chart.locator(".site-cite").inner_text()
        for table in page.locator(".jp-RenderedHTML:has(.site-table-wrap)").all():
            assert table.locator("a.site-source-link").count() > 0, f"{name}: a table without sources"
    page.goto((site_dir / "data/README.html").as_uri())
    for table in page.locator(".site-data-table").all():
        assert table.locator("a.site-source-link").count() > 0 and table.locator("a[download]").count() == 1
    context.close()


def png_texts(data: bytes) -> dict[bytes, bytes]:
    """The uncompressed iTXt chunks of a PNG: keyword -> text."""
    found, pos = {}, 8
    while pos + 8 <= len(data):
        length, kind = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            found[key] = rest[4:]  # compression flag and method, empty language tag and translated keyword
        pos += 12 + length
    return found


def test_chart_png_carries_site_licence_version_date(site_dir: Path) -> None:
    """The PNG downloads hold the chart's title, the site, the licence, the data version and date as text."""
    for png in sorted((site_dir / "downloads").rglob("*_chart_*.png")):
        texts = png_texts(png.read_bytes())
        assert {b"Title", b"Copyright", b"Version", b"Creation Time", b"Software"} <= set(texts), png.name
        assert texts[b"Copyright"] == b"CC-BY-4.0" and re.fullmatch(rb"\d{4}-\d\d-\d\d", texts[b"Creation Time"])


# --- Downloads and the project ------------------------------------------------------------------------


def test_downloads_do_not_replace_the_page_from_file(page: Any, site_dir: Path) -> None:
    """From file:// every download link names its file and opens beside the page; the page stays."""
    for name in [notebook_pages(site_dir)[0], "index.html"]:
        url = (site_dir / name).as_uri()
        page.goto(url)
        links = page.locator("a[download]")
        assert links.count() > 0
        for link in links.all():
            assert link.get_attribute("download"), f"{name}: {link.get_attribute('href')} has no file name"
            assert link.get_attribute("target") == "_blank", f"{name}: {link.get_attribute('href')} replaces the page"
        page.locator("a.site-download-chart, a.site-citation-file").first.click()
        page.wait_for_timeout(300)
        assert page.url == url, f"{name}: the download replaced the page"


def test_downloads_download_when_served(page: Any, base_url: str, site_dir: Path) -> None:
    """Served over HTTP, the PNG, the notebook, the project and CITATION.cff download under their names."""
    page.goto(base_url + notebook_pages(site_dir)[0])
    page.evaluate("document.getElementById('site-aside').open = true")  # folded on a phone
    for selector in ("a.site-download-chart", "a.site-ipynb", "a.site-project"):
        with page.expect_download() as caught:
            page.locator(selector).first.click()
        assert caught.value.suggested_filename == page.locator(selector).first.get_attribute("download")
    page.goto(base_url + "index.html")
    with page.expect_download() as caught:
        page.click("a.site-citation-file")
    assert caught.value.suggested_filename == "CITATION.cff"


def test_project_archive_runs_with_make(site_dir: Path) -> None:
    """The whole project as one ZIP: what `make` needs, notebooks without outputs, fixed dates."""
    archives = list((site_dir / "downloads").glob("*-project.zip"))
    assert len(archives) == 1
    with zipfile.ZipFile(BytesIO(archives[0].read_bytes())) as archive:
        names = archive.namelist()
        top = {name.split("/", 2)[1] for name in names}
        assert {"README.md", "Makefile", "pyproject.toml", "requirements.lock", "helpers", "data", "notebooks",
                "scripts", "sitebuild"} <= top
        assert names == sorted(names) and {info.date_time for info in archive.infolist()} == {(2022, 6, 5, 0, 0, 0)}
        assert not [n for n in names if "__pycache__" in n]
        notebook = next(n for n in names if re.search(r"notebooks/\d\d_\w+\.ipynb$", n))
        assert '"outputs": []' in archive.read(notebook).decode("utf-8")


def test_changelog_page(page: Any, site_dir: Path) -> None:
    """The changelog lists data corrections and changed findings with data-package versions and dates."""
    page.goto((site_dir / "changelog.html").as_uri())
    text = page.inner_text("main")
    assert re.search(r"Data package \d+\.\d+\.\d+ — \d{4}-\d\d-\d\d", text)
    assert "Aktobe" in text and "55.90" in text  # a correction made while copying


def test_section_permalinks_visible(page: Any, site_dir: Path) -> None:
    """Every section heading of a notebook page shows a link to itself."""
    for name in notebook_pages(site_dir):
        page.goto((site_dir / name).as_uri())
        for heading in page.locator(".site-content h2[id]").all()[:5]:
            link = heading.locator("a.anchor-link")
            assert link.is_visible(), f"{name}: no visible permalink on {heading.inner_text()!r}"
            assert link.get_attribute("href") == "#" + heading.get_attribute("id")


def test_every_content_page_says_when_it_last_changed(page: Any, site_dir: Path) -> None:
    """Index, notebook pages, data page and changelog: "Content last changed YYYY-MM-DD" (from git), and a link
    to the changelog."""
    for name in ["index.html", *notebook_pages(site_dir), "data/README.html", "changelog.html"]:
        page.goto((site_dir / name).as_uri())
        footer = page.locator("footer.site-footer")
        assert re.search(r"Content last changed \d{4}-\d\d-\d\d", footer.inner_text()), name
        assert footer.locator("a[href$='changelog.html']").count() == 1, name


# --- The Russian and Kazakh editions (issue 20) --------------------------------------------------------

EDITION_PAGES = ["index.html", "03_approval.html", "data/README.html", "glossary.html", "search.html"]
# what a Russian or Kazakh reader types, and what the heading of the first hit must say (Kazakh for turnout is
# "келу", the voters "сайлаушылар")
EDITION_QUERIES = {
    "ru": [("явка", r"явк"), ("Алматы", r"Алматы"), ("экзитпол", r"экзитпол")],
    "kk": [("сайлаушылар", r"сайлаушылар"), ("келу", r"келу"), ("Алматы", r"Алматы")],
}


def edition_file(site_dir: Path, lang: str, name: str) -> Path:
    """A page of an edition: English at the site's root, the others in ru/ and kk/."""
    return site_dir / name if lang in ("en", "x-default") else site_dir / lang / name


def test_each_edition_says_its_language_and_links_the_others(page: Any, site_dir: Path) -> None:
    """<html lang>, hreflang alternates for the three editions and x-default, the site's words in the page's
    language, and a visible switcher on the phone and the desktop."""
    from helpers.i18n import translated

    for lang in ("ru", "kk"):
        for name in EDITION_PAGES:
            page.goto(edition_file(site_dir, lang, name).as_uri())
            assert page.evaluate("document.documentElement.lang") == lang, f"{lang}/{name}"
            alternates = page.eval_on_selector_all(
                "link[rel=alternate][hreflang]", "els => els.map(e => [e.hreflang, e.href])")
            assert sorted(code for code, _ in alternates) == ["en", "kk", "ru", "x-default"], f"{lang}/{name}"
            for code, href in alternates:
                assert href == edition_file(site_dir, code, name).as_uri(), f"{lang}/{name}: {code} -> {href}"
            search = translated("Search", lang)
            assert search and search != "Search" and page.inner_text(".site-nav-top .site-search-link") == search
            switcher = page.locator(".site-nav-top .site-lang")
            assert switcher.is_visible() and switcher.get_attribute("aria-label") == translated("Language", lang)
            assert page.locator(".site-lang [aria-current=page]").get_attribute("lang") == lang
    page.goto((site_dir / "index.html").as_uri())
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".site-lang a[hreflang=ru]").get_attribute("href") == "ru/index.html"


def test_switcher_lands_on_the_same_page_and_section(page: Any, site_dir: Path, viewport: dict[str, int]) -> None:
    """From a section of a Russian notebook page, the switcher opens the same section in Kazakh, then in English
    (the editions share their section ids), scrolled into view."""
    start = site_dir / "ru" / "03_approval.html"
    page.goto(start.as_uri())
    sections = page.locator(".site-content h2[id]").evaluate_all("els => els.map(e => e.id)")
    assert len(sections) > 3
    section = sections[3]
    page.goto(f"{start.as_uri()}#{quote(section)}")
    for lang in ("kk", "en"):
        page.locator(f".site-nav-top .site-lang a[hreflang={lang}]").click()
        page.wait_for_load_state()
        address, _, fragment = page.url.partition("#")
        assert address == edition_file(site_dir, lang, "03_approval.html").as_uri()
        assert unquote(fragment) == section, f"{lang}: landed on #{unquote(fragment)}"
        assert page.evaluate("document.documentElement.lang") == lang
        heading = page.locator(f"[id='{section}']")
        assert heading.count() == 1, f"{lang}: no section {section!r}"
        top = heading.evaluate("e => e.getBoundingClientRect().top")
        assert -2 <= top < viewport["height"] / 2, f"{lang}: the section starts at {top:.0f} px"


def test_each_edition_searches_its_own_language(page: Any, site_dir: Path) -> None:
    """The Russian and Kazakh search pages index their own edition's pages and put a section that answers the
    query first; the status line speaks the edition's language."""
    from helpers.i18n import translated

    for lang, queries in EDITION_QUERIES.items():
        page.goto((site_dir / lang / "search.html").as_uri())
        for query, heading in queries:
            found = hits(page, query)
            assert found, f"{lang}: nothing found for {query!r}"
            section = found[0]["heading"].split(" › ")[-1]
            assert re.search(heading, section, re.IGNORECASE), f"{lang} {query!r}: first hit {found[0]['heading']!r}"
            assert (site_dir / lang / found[0]["href"].split("#")[0]).is_file(), found[0]["href"]
            status = str(translated("Sections found: {count}", lang)).split("{")[0]
            assert status.strip(), f"{lang}: the status line's translation starts with its count"
            assert page.inner_text("#site-search-status").startswith(status), page.inner_text("#site-search-status")


def test_each_edition_offers_its_own_downloads(site_dir: Path) -> None:
    """Per edition: the notebook in that language (.ipynb), each chart's PNG and CSV from that language's run, CSV
    header lines in that language."""
    from helpers.i18n import translated

    english = sorted((site_dir / "downloads").rglob("*_chart_*.csv"))
    for lang in ("ru", "kk"):
        notebook = (site_dir / lang / "notebooks/03_approval.ipynb").read_text(encoding="utf-8")
        assert '"language": "' + lang + '"' in notebook
        charts = sorted((site_dir / lang / "downloads").rglob("*_chart_*.csv"))
        assert [p.name for p in charts] == [p.name for p in english], f"{lang}: not the same charts"
        licence = str(translated("Licence: {licence}", lang)).split("{")[0]
        assert licence.strip(), f"{lang}: the licence line's translation starts with its value"
        for csv_file in charts:
            text = csv_file.read_text(encoding="utf-8")
            assert f"# {licence}" in text, f"{lang}/{csv_file.name}: header lines not in {lang}"
        differs = [p for p in charts if p.read_bytes() != (site_dir / p.relative_to(site_dir / lang)).read_bytes()]
        assert differs, f"{lang}: every chart CSV is the English one"
        pngs = sorted((site_dir / lang / "downloads" / "03_approval").glob("*.png"))
        assert pngs and all(p.read_bytes() != (site_dir / p.relative_to(site_dir / lang)).read_bytes() for p in pngs)
