"""What the In shorts and the README say about a finding's robustness is what the notebooks computed.

- The In short at the top of a notebook (written for the committed choices) is, bullet for bullet, the
  In short that the notebook's closing cell (source starting ``# in-short``) computes from the values
  of the run: a data correction, a changed verdict or a changed robustness table fails here.
- Every row of the README's findings table says, in its "holds up?" column, a robustness phrase that the
  notebook it cites printed (``helpers.robust.verdict``'s wording), never a typed one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.prose import readme_findings

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
VERDICT = re.compile(
    r"holds under all \d+ alternatives tried|holds under the one alternative tried|"
    r"holds under none of the \d+ alternatives tried|"
    r"depends on the choice: holds under \d+ of \d+ alternatives tried, not under [^|;]+"
)


def _plain(text: str) -> str:
    """Markdown reduced to its words: no emphasis marks or link targets, one kind of space."""
    text = re.sub(r"\]\([^)]*\)", "]", text).replace("[", "").replace("]", "")
    text = text.replace("**", "").replace("*", "").replace("`", "").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def _bullets(markdown: str) -> list[str]:
    """The top-level bullet points of a markdown text, each as one line of plain words."""
    points: list[str] = []
    for line in markdown.splitlines():
        if line.startswith(("- ", "* ")):
            points.append(line[2:])
        elif points and line.startswith("  ") and line.strip():
            points[-1] += " " + line.strip()
    return [_plain(p) for p in points]


def _cells(path: Path) -> list[dict[str, object]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert isinstance(cells, list)
    return cells


def _source(cell: dict[str, object]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _markdown_outputs(cell: dict[str, object]) -> str:
    texts = []
    for output in cell.get("outputs", []) or []:  # type: ignore[attr-defined]
        data = output.get("data", {})
        if "text/markdown" in data:
            value = data["text/markdown"]
            texts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(texts)


def _all_outputs(path: Path) -> str:
    texts = []
    for cell in _cells(path):
        for output in cell.get("outputs", []) or []:  # type: ignore[attr-defined]
            if output.get("output_type") == "stream":
                texts.append("".join(output.get("text", [])))
            for mime in ("text/markdown", "text/html", "text/plain"):
                value = output.get("data", {}).get(mime)
                if value is not None:
                    texts.append("".join(value) if isinstance(value, list) else str(value))
    return _plain(re.sub(r"<[^>]+>", " ", "\n".join(texts)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_top_in_short_is_the_computed_one(path: Path) -> None:
    cells = _cells(path)
    tops = [_source(c).split("## In short", 1)[1] for c in cells
            if c.get("cell_type") == "markdown" and re.search(r"(?m)^## In short\s*$", _source(c))]
    assert tops, f"{path.name}: no markdown cell with the heading '## In short'"
    computed = [c for c in cells if c.get("cell_type") == "code" and _source(c).lstrip().startswith("# in-short")]
    assert len(computed) == 1, f"{path.name}: expected one code cell starting '# in-short', found {len(computed)}"
    written, recomputed = _bullets(tops[0]), _bullets(_markdown_outputs(computed[0]))
    assert 3 <= len(recomputed) <= 5, f"{path.name}: the computed In short has {len(recomputed)} points, not 3-5"
    for i, (top, now) in enumerate(zip(written, recomputed, strict=False), 1):
        assert top == now, f"{path.name}, In short point {i}:\n  written:  {top}\n  computed: {now}"
    assert len(written) == len(recomputed), (
        f"{path.name}: the In short has {len(written)} points, the computation {len(recomputed)}")


def _findings_rows() -> list[list[str]]:
    rows = []
    for line in readme_findings(ROOT / "README.md").splitlines():
        if line.startswith("| **"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def test_readme_findings_have_a_holds_up_column() -> None:
    rows = _findings_rows()
    assert len(rows) >= 10
    header = next(line for line in readme_findings(ROOT / "README.md").splitlines() if line.startswith("| finding"))
    assert [h.strip() for h in header.strip().strip("|").split("|")] == ["finding", "holds up?", "where it comes from"]
    for row in rows:
        assert len(row) == 3, f"README findings row has {len(row)} columns, not 3: {row[0][:80]}"


@pytest.mark.parametrize("row", _findings_rows(), ids=lambda r: _plain(r[0])[:40])
def test_readme_robustness_is_what_the_notebook_printed(row: list[str]) -> None:
    finding, holds_up, where = row
    phrases = [part.split(" — ")[0].strip() for part in _plain(holds_up).split("; ")]  # "PHRASE — on WHAT"
    for phrase in phrases:
        assert VERDICT.fullmatch(phrase), (
            f"README row «{_plain(finding)[:70]}…»: 'holds up?' is not a computed robustness phrase: {phrase!r}")
    cited = sorted({m for m in re.findall(r"notebooks/(\d\d_[a-z_]+)\.ipynb", where)})
    assert cited, f"README row «{_plain(finding)[:70]}…» cites no notebook"
    outputs = " ".join(_all_outputs(ROOT / "notebooks" / f"{stem}.ipynb") for stem in cited)
    for phrase in phrases:
        assert phrase.strip() in outputs, (
            f"README row «{_plain(finding)[:70]}…»: {phrase!r} is not printed by {', '.join(cited)}")
