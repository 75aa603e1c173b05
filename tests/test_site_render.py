"""The index takes each notebook's "In short" items, wherever the heading stands in its first cells."""

from __future__ import annotations

import nbformat

from sitebuild import render as site_render


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
