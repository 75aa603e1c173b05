"""Print the mutation score per module from mutmut's results (``mutants/helpers/*.py.meta``).

Score = killed (incl. timeouts and type-check catches) / mutants tested; a mutant no test reaches
("no tests") counts as survived. ``make mutation`` runs mutmut, then this.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 37, 152, 255}
SURVIVED = {0, 5, 33}


def scores(folder: Path) -> dict[str, Counter[str]]:
    """Counts of killed / survived / not checked mutants per module."""
    out: dict[str, Counter[str]] = {}
    for meta in sorted(folder.glob("helpers/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        tally: Counter[str] = Counter()
        for code in codes.values():
            tally["killed" if code in KILLED else "survived" if code in SURVIVED else "not checked"] += 1
        out[meta.name.removesuffix(".py.meta")] = tally
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    args = parser.parse_args()
    print(f"{'module':10} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>7}")
    for module, tally in scores(args.mutants).items():
        tested = tally["killed"] + tally["survived"]
        score = f"{100 * tally['killed'] / tested:.1f} %" if tested else "-"
        print(f"{module:10} {sum(tally.values()):8d} {tally['killed']:7d} {tally['survived']:9d} {score:>7}")


if __name__ == "__main__":
    main()
