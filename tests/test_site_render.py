"""The index takes each notebook's "In short" items, wherever the heading stands in its first cells."""

from __future__ import annotations

from pathlib import Path

import nbformat

from sitebuild import render as site_render

ROOT = Path(__file__).resolve().parents[1]


def notebook(*markdown: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    return nb


def test_in_short_in_its_own_cell() -> None:
    nb = notebook("# Who voted?", "## In short\n- **68.05 %** took part\n- 17 units\n  reported")
    assert site_render.extract_in_short(nb) == ["**68.05 %** took part", "17 units reported"]


def test_in_short_under_the_title_in_the_same_cell_stops_at_the_next_heading() -> None:
    nb = notebook("# What can the numbers show?\n\n## In short\n- one\n- two\n\n## Method\n- not a finding")
    assert site_render.extract_in_short(nb) == ["one", "two"]


def test_a_notebook_without_in_short_gives_nothing() -> None:
    assert site_render.extract_in_short(notebook("# Title", "- a list, but no In short heading")) == []


# --- issue 18: pure parts of the phone-ready site (no browser) ----------------------------------------


def test_tables_numbers_right_text_left_in_a_scroll_box() -> None:
    html = "<table><tr><th>unit</th><td>Almaty city</td><td>33.04</td><td>7,985,769</td><td>-0.13 %</td></tr></table>"
    out = site_render.readable_tables(html)
    assert out.startswith('<div class="site-table-wrap" tabindex="0" role="region" aria-label="Table"><table>')
    assert "<td>Almaty city</td>" in out
    for number in ("33.04", "7,985,769", "-0.13 %"):
        assert f'<td class="site-num">{number}</td>' in out


def test_russian_and_kazakh_text_carry_lang_and_the_readme_is_the_data_page() -> None:
    html = "<head><title>Алматы</title></head>"
    html += "<body><p>Ballot: «Принимаете ли Вы» / «Қабылдайсыз ба» (see data/README.md)</p></body>"
    out = site_render.mark_languages(html)
    assert "<title>Алматы</title>" in out  # the head is left alone
    assert '<span lang="ru">Принимаете ли Вы»</span>' in out
    assert '<span lang="kk">Қабылдайсыз ба»</span>' in out
    assert "(see the data page)" in out and "README.md" not in out.split("<body")[1]


def test_quiet_code_cells_fold_into_the_next_code_cell_but_not_the_parameters() -> None:
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("stream", text="x")
    params = nbformat.v4.new_code_cell("UNIT = 'almaty_city'", metadata={"tags": ["parameters"]})
    nb.cells = [
        nbformat.v4.new_code_cell("import a"), params,
        nbformat.v4.new_code_cell("b = 1"), nbformat.v4.new_code_cell("c = 2"),
        nbformat.v4.new_code_cell("show(b, c)", outputs=[output]),
        nbformat.v4.new_markdown_cell("## Next"), nbformat.v4.new_code_cell("d = 3"),
    ]
    site_render.merge_quiet_code(nb)
    assert [cell.source for cell in nb.cells] == ["import a", "UNIT = 'almaty_city'", "b = 1\n\nc = 2\n\nshow(b, c)",
                                                   "## Next", "d = 3"]
    assert nb.cells[2].outputs == [output]


def test_png_carries_its_imprint_as_text_chunks() -> None:
    from PIL import Image

    from helpers import plots  # noqa: F401  (the PNGs of the site come from plots.finish)

    buffer = __import__("io").BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    out = site_render.png_with_text(buffer.getvalue(), {"Title": "Turnout 68.05 %", "Copyright": "CC-BY-4.0", "X": ""})
    with Image.open(__import__("io").BytesIO(out)) as image:
        image.load()
        assert image.size == (4, 3)
        assert image.text == {"Title": "Turnout 68.05 %", "Copyright": "CC-BY-4.0"}
    assert site_render.png_with_text(b"not a png", {"Title": "t"}) == b"not a png"


def test_chart_sources_link_the_tables_and_the_data_page() -> None:
    imprint = site_render.Imprint(site="S", licence="CC-BY-4.0", version="0.2.0", date="2026-12-01",
                                  table_sources={"turnout_timeline": ["https://www.inform.kz/a", "https://inform.kz/b"],
                                                 "units": []})
    html = site_render.source_html("turnout_timeline, units (CEC; see data/README.md)", imprint)
    assert html == ('<a href="data/README.html#table-turnout_timeline">turnout_timeline</a>, '
                    '<a href="data/README.html#table-units">units</a> (CEC)')
    assert site_render.source_html("exit_polls (see data/README.md).", imprint) == "exit_polls."
    assert site_render.source_html("x; data/README.md", imprint) == 'x; <a href="data/README.html">the data page</a>'
    links = site_render.source_links(site_render.tables_named("turnout_timeline and units", imprint.table_sources),
                                     imprint)
    expected = [{"href": "https://www.inform.kz/a", "label": "inform.kz"},
                {"href": "https://inform.kz/b", "label": "inform.kz (2)"}]
    anchor = "data/README.html#table-turnout_timeline"
    assert links == [{"table": "turnout_timeline", "href": anchor, "links": expected}]
    assert site_render.cite_line("T", imprint, "02_turnout.html#chart-t") == (
        "“T”, S, data version 0.2.0 (2026-12-01), CC-BY-4.0. 02_turnout.html#chart-t")


def test_binder_and_colab_only_with_a_repository() -> None:
    assert site_render.binder_url("", "notebooks/02_turnout.ipynb") == ""
    assert site_render.colab_url("", "notebooks/02_turnout.ipynb") == ""
    repo = "https://github.com/example/kz-referendum-2022"
    assert site_render.binder_url(repo, "notebooks/02_turnout.ipynb").endswith(
        "/gh/example/kz-referendum-2022/HEAD?labpath=notebooks/02_turnout.ipynb")
    assert site_render.colab_url(repo, "notebooks/02_turnout.ipynb") == (
        "https://colab.research.google.com/github/example/kz-referendum-2022/blob/HEAD/notebooks/02_turnout.ipynb")


def test_a_bare_row_number_index_is_not_shown() -> None:
    import pandas as pd

    shown = site_render.readable_tables(pd.DataFrame({"unit": ["Almaty city", "Shymkent"], "n": [1, 2]})._repr_html_())
    assert "<th>0</th>" not in shown and "<th>1</th>" not in shown and "<th></th>" not in shown
    assert "<th>unit</th>" in shown and "<td>Almaty city</td>" in shown
    named = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="unit"))._repr_html_()
    assert site_render.drop_bare_index(named) == named  # a real index stays


def test_every_table_title_of_the_data_package_is_a_site_word() -> None:
    """The data page and the index show each table's title in the edition's language: every title of
    data/datapackage.json must be among the catalogued site words (a new or changed title fails here)."""
    import json

    from sitebuild.languages import UI_STRINGS

    package = json.loads((ROOT / "data/datapackage.json").read_text(encoding="utf-8"))
    titles = [resource["title"] for resource in package["resources"] if resource.get("title")]
    assert titles and [title for title in titles if title not in UI_STRINGS] == []


def test_a_page_of_one_edition_linking_to_another_editions_download_is_refused() -> None:
    from sitebuild.build import other_editions_downloads

    page = '<img src="../downloads/02_turnout/c.png"><a href="downloads/02_turnout/c.csv">'
    assert other_editions_downloads(page, "kk/02_turnout.html") == [
        "kk/02_turnout.html: links to downloads/02_turnout/c.png, a download of another edition"]
    assert other_editions_downloads('<img src="downloads/02_turnout/c.png">', "02_turnout.html") == []
    assert other_editions_downloads('<a href="../downloads/kz-referendum-2022-project.zip">', "ru/index.html") == []


def test_a_number_keeps_its_percent_sign_on_its_line_but_code_stays_as_written() -> None:
    page = ('<p>**68.05 %** took part, <b>7 %</b>, 68,05 %-ы</p><img alt="5 %"/><pre>x = 5 %</pre>'
            '<script>if (a<b) { y = 5 % 2; }</script><p>then 12 %</p><PRE class="x"><code>1 %</code></PRE>')
    assert site_render.unbroken_percentages(page) == (
        '<p>**68.05\u00a0%** took part, <b>7\u00a0%</b>, 68,05\u00a0%-ы</p><img alt="5 %"/><pre>x = 5 %</pre>'
        '<script>if (a<b) { y = 5 % 2; }</script><p>then 12\u00a0%</p><PRE class="x"><code>1 %</code></PRE>')
