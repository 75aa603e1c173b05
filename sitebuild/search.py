"""The search stage: split rendered pages into sections and write the index the search page reads.

Each entry is one section of one page (its heading, its text), taken from the HTML a reader sees:
code folds, navigation, the contents list, scripts and styles are left out. The index is a plain JSON
list built into ``search.html`` (no server, works from ``file://``); one index is built per site
folder, so a build per language gets its own index by calling these functions on that language's pages.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

UNINDEXED_RE = re.compile(
    r'<details class="site-code">.*?</details>|<style\b.*?</style>|<script\b.*?</script>', re.DOTALL | re.IGNORECASE
)


class SectionText(HTMLParser):
    """Splits a rendered page into sections at its headings (h1-h3 with an id), keeping their text.

    Code (``<details class="site-code">``), navigation, the contents list, scripts and styles are left
    out: the search finds what a reader reads.
    """

    SKIP_TAGS = frozenset({"style", "script", "nav", "aside", "footer", "form", "head", "button", "title"})
    # untranslated-mark: the "not yet translated" after an English unit of a Russian or Kazakh page
    SKIP_CLASSES = frozenset({"site-code", "site-downloads", "anchor-link", "site-toc", "untranslated-mark"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self, page_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict[str, str]] = [{"anchor": "", "title": page_title, "text": ""}]
        self._stack: list[tuple[str, bool]] = []  # open tags, and whether each starts a skipped part
        self._heading: list[str] | None = None
        self._heading_id = ""
        self._parts: list[str] = []

    @property
    def skipping(self) -> bool:
        """True inside a part that is not indexed."""
        return any(skip for _, skip in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a tag; start a heading."""
        if tag in self.VOID:
            return
        values = {name: value or "" for name, value in attrs}
        skip = tag in self.SKIP_TAGS or bool(self.SKIP_CLASSES & set(values.get("class", "").split()))
        self._stack.append((tag, skip))
        if re.fullmatch(r"h[1-3]", tag) and values.get("id") and not self.skipping:
            self._close_section()
            self._heading, self._heading_id = [], values["id"]

    def handle_endtag(self, tag: str) -> None:
        """Close tags up to the matching one; finish a heading."""
        if tag in self.VOID or all(open_tag != tag for open_tag, _ in self._stack):
            return
        while self._stack and self._stack.pop()[0] != tag:
            pass
        if re.fullmatch(r"h[1-3]", tag) and self._heading is not None:
            title = " ".join("".join(self._heading).split())
            self.sections.append({"anchor": self._heading_id, "title": title, "text": ""})
            self._heading = None

    def handle_data(self, data: str) -> None:
        """Text goes to the heading being read or to the current section."""
        if self.skipping:
            return
        (self._heading if self._heading is not None else self._parts).append(data)

    def _close_section(self) -> None:
        self.sections[-1]["text"] += " ".join(" ".join(self._parts).split())
        self._parts = []

    def result(self) -> list[dict[str, str]]:
        """The sections with their text (empty sections without a heading dropped)."""
        self._close_section()
        return [s for s in self.sections if s["text"] or s["anchor"]]


def page_sections(html: str, page: str, page_title: str) -> list[dict[str, str]]:
    """Search entries of one page: page, page title, section anchor, section title, text."""
    parser = SectionText(page_title)
    parser.feed(UNINDEXED_RE.sub("", html))  # the parser would skip these too, but slowly (code is most of a page)
    parser.close()
    return [{"page": page, "page_title": page_title, **section} for section in parser.result()]


def search_index_json(
    entries: list[dict[str, str]], aliases: dict[str, str] | None = None, lang: str = "en",
    words: dict[str, str] | None = None,
) -> str:
    """The search index of one site (one language) as JSON that is safe inside ``<script type="application/json">``.

    ``docs``: [page, page title, section anchor, section title, text] per section; ``aliases``: other
    names and spellings (folded) -> the words the pages use; ``lang``: the language of the pages; ``words``: the
    messages the script shows (English msgid -> the edition's text).
    """
    docs = [[e["page"], e["page_title"], e["anchor"], e["title"], e["text"]] for e in entries]
    index = {"lang": lang, "aliases": aliases or {}, "words": words or {}, "docs": docs}
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# --- Other names: what readers type for what the pages say ---------------------------------------

ALIAS_STOPWORDS = frozenset({
    "region", "city", "oblast", "oblysy", "область", "облысы", "город", "қаласы",
    "former", "name", "names", "until", "soviet", "era", "russian", "derived", "the", "of", "and",
})
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents, as search.js folds every text and query (NFD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")


def _key(name: str) -> str:
    """The words of a name that tell it apart: folded, without parentheses and words like 'Region'."""
    words = WORD_RE.findall(fold(re.sub(r"\([^)]*\)", " ", name)))
    return " ".join(word for word in words if word not in ALIAS_STOPWORDS)


def unit_aliases(units: list[dict[str, str]], lang: str = "en") -> dict[str, str]:
    """Other name of a unit (in the other languages, romanisations, former names) -> the words the pages of the
    ``lang`` edition use (its ``name_<lang>``).

    From ``data/units.csv`` (``name_en``, ``name_ru``, ``name_kk`` and the ``;``-separated ``alt_names``).
    A name that is itself some unit's name in ``lang``, or that would stand for two units, is left out.
    """
    column = f"name_{lang}"
    canonical = {_key(row.get(column) or row["name_en"]) for row in units}
    found: dict[str, set[str]] = {}
    for row in units:
        target = _key(row.get(column) or row["name_en"])
        names = [row.get(f"name_{other}", "") for other in ("en", "ru", "kk") if other != lang]
        names += row.get("alt_names", "").split(";")
        for name in names:
            key = _key(name)
            if key and key != target and key not in canonical:
                found.setdefault(key, set()).add(target)
    return {key: targets.pop() for key, targets in sorted(found.items()) if len(targets) == 1}


def read_aliases(units_csv: Path, terms_json: Path, lang: str = "en") -> dict[str, str]:
    """The search's other names: the units' (data/units.csv) and, for the English edition, a kept list of Russian
    and Kazakh terms (site_template: the Russian and Kazakh editions have those words on their own pages)."""
    aliases: dict[str, str] = {}
    if units_csv.exists():
        with units_csv.open(encoding="utf-8", newline="") as handle:
            aliases.update(unit_aliases(list(csv.DictReader(handle)), lang))
    if terms_json.exists() and lang == "en":
        terms = json.loads(terms_json.read_text(encoding="utf-8"))
        for other, english in terms.get("terms", {}).items():
            if _key(other) and _key(english):
                aliases[_key(other)] = _key(english)
    return dict(sorted(aliases.items()))
