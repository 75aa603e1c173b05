"""The sweep (``make sweep``): every notebook under every allowed value of each parameter, one at a time.

    .venv/bin/python -m tests.sweep                 # the whole grid, 2 workers
    .venv/bin/python -m tests.sweep --only 02,08    # some notebooks
    .venv/bin/python -m tests.sweep --list          # the cases, without running them

Each case runs a copy of the notebook with papermill into a temporary folder, under the main job's bounds
(tests/notebook_runs.py: 60 s a cell), and is checked mechanically:

* a value the notebook accepts: it finishes; nothing on stderr; no empty list or missing value rendered into a
  sentence (": ;", ": .", ", ,", " and .", "[]", "()", "nan", "None", "<NA>" in Markdown or printed text); the
  choices note (``params.choices_note``) appears exactly when a value differs from the committed one; the value
  chosen is named in the text (REPORT_HOUR 20 -> "20:00", UNIT -> the unit's English name ...);
* a value it must refuse: it stops in the cell right after the parameters with one line, from the project's
  checks (ParameterError or UnknownUnitError), naming the parameter and what is allowed.

The grid (notebook -> parameter -> values) is :data:`GRID`, built from the data where the values are finite
(report hours from turnout_timeline, units from units.csv, years from elections_history, stages and polling
days from national_results); :data:`COMBINATIONS` adds the combinations the notebooks' text invites and
:data:`REFUSED` the values that must be refused. tests/test_sweep.py checks that the grid names every parameter
of every notebook's ``parameters`` cell. Prints each failure (notebook, parameter=value, kind, message) and a
summary (runs, failures by kind, time); exits 1 if any case failed.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# three named groups the notebooks' alternatives leave out (NOTEBOOKS.md, "Shape of every notebook", point 3)
THREE_CITIES = ["almaty_city", "nur_sultan", "shymkent"]
TWO_BIG_CITIES = ["almaty_city", "nur_sultan"]
WEST = ["atyrau", "mangistau", "aktobe", "west_kazakhstan"]
# 08's covariates (defined in the notebook, not in the data): name -> how its text names it
COVARIATES_08 = {"urban_share": "urban share", "population_millions": "population", "wage": "wage",
                 "unemployment": "unemployment", "grp_per_capita": "GRP per person",
                 "pension_age_share": "above working age", "higher_education_share": "higher education"}

# "None" counts only inside a sentence: "None fell." opening a sentence is English, "Left out: None." is not
EMPTY_IN_TEXT = re.compile(r":\s*[;.,]|,\s*,|\band\s*[.;]|\band\s+,|"
                           r"(?<![\w`])\[\]|(?<![\w`])\(\s*\)|\bnan\b|\bNaN\b|<NA>"
                           r"|(?<=[^.!?*#>\-\s]\s)None\b|(?<=[(\[=:,])None\b")
REFUSAL_ERRORS = {"ParameterError", "UnknownUnitError"}
REFUSAL_SAYS = re.compile(r"expected|choose|did you mean|part of|needs at least|must", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """One run: a notebook, the parameters injected, and whether it must run, must be refused, or either."""

    stem: str
    parameters: dict[str, Any]
    expect: str = "runs"  # "runs", "refused" or "either" (a clean refusal or a clean run)

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()) or "(committed values)"


@dataclass
class Result:
    """What a case gave: its failures (kind, message) and its time."""

    case: Case
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------- the grid, from the data
@cache
def _data() -> dict[str, Any]:
    from helpers import load

    timeline = load.table("turnout_timeline")
    later = load.table("later_turnout_timeline")
    national = load.table("national_results")
    history = load.table("elections_history")
    units = load.table("units").sort_values("display_order")
    results_2022 = national[(national["referendum_date"] == "2022-06-05") & national["took_part"].notna()]
    finals = sorted(f"{d:%Y-%m-%d}" for d in national.loc[national["stage"] == "final", "referendum_date"].unique())
    hours_later = later.loc[later["scope"] != "abroad", "timestamp"] if "scope" in later else later["timestamp"]
    return {
        "hours_2022": sorted(int(h) for h in timeline["timestamp"].dt.hour.unique()),
        "hours_any": sorted({int(h) for h in timeline["timestamp"].dt.hour} | {int(h) for h in hours_later.dt.hour}),
        "stages_2022": sorted(str(s) for s in results_2022["stage"]),
        # 05 judges a June 2022 statement on the votes known then, and needs two of them: every start year
        # of a vote before 5 June 2022 except the last one's
        "vote_years": sorted({int(d.year) for d in history["date"] if f"{d:%Y-%m-%d}" < "2022-06-05"})[:-1],
        "unit_ids": [str(u) for u in units["unit_id"]],
        "unit_names": [str(n) for n in units["name_en"]],
        "polling_days": finals,
    }


def _with_2022(days: list[str]) -> list[list[str]]:
    """COMPARE values: 2022 with each later vote, and with all of them."""
    others = [d for d in days if d != "2022-06-05"]
    return [["2022-06-05", d] for d in others] + ([["2022-06-05", *others]] if len(others) > 1 else [])


@cache
def grid() -> dict[str, dict[str, list[Any]]]:
    """notebook stem -> parameter -> the values tried one at a time (the committed one among them)."""
    d = _data()
    hours, units = d["hours_2022"], d["unit_names"]
    return {
        "01_at_a_glance": {"STAGE": d["stages_2022"]},
        "02_turnout": {"REPORT_HOUR": hours, "UNIT": units},
        "03_approval": {"STAGE": d["stages_2022"]},
        "04_regional": {"UNIT": units, "REPORT_HOUR": hours},
        "05_claims_checked": {"RECENT_VOTES_FROM": d["vote_years"], "REPORT_HOUR": hours},
        "06_what_the_numbers_can_show": {
            "N_SIMULATIONS": [1_000, 4_000, 20_000, 50_000],  # the bounds the notebook accepts, and two between
            "SEED": [0, 7, 2022],
            "MADE_UP_PERCENT": [[0, 5, 10, 15, 20, 25, 30, 40], [10, 50, 100], 20],  # [0] alone is refused
        },
        "07_three_referendums": {"COMPARE": _with_2022(d["polling_days"]), "REPORT_HOUR": d["hours_any"]},
        "08_what_went_with_turnout": {
            "REPORT_HOUR": hours,
            "COVARIATE": list(COVARIATES_08),
            "EXCLUDE_UNITS": [[], *[[u] for u in d["unit_ids"]], TWO_BIG_CITIES, THREE_CITIES, WEST],
            "RESAMPLES": [999, 9999, 99_999],
            "SEED": [0, 2022],
        },
    }


# combinations the notebooks' text invites: the 20:00 report (carried-forward figures) with a western unit,
# the cities left out together with another covariate, a group leaving few units
COMBINATIONS: dict[str, list[Case]] = {
    "02_turnout": [Case("02_turnout", {"REPORT_HOUR": 20, "UNIT": "Aktobe Region"})],
    "04_regional": [Case("04_regional", {"REPORT_HOUR": 20, "UNIT": "Atyrau Region"})],
    "05_claims_checked": [Case("05_claims_checked", {"RECENT_VOTES_FROM": 1991, "REPORT_HOUR": 20})],
    "07_three_referendums": [Case("07_three_referendums",
                                  {"COMPARE": ["2022-06-05", "2024-10-06"], "REPORT_HOUR": 20})],
    "08_what_went_with_turnout": [
        # at 20:00 the five carried-forward units are left out too: 9 units, which 08 refuses in one line
        Case("08_what_went_with_turnout", {"REPORT_HOUR": 20, "EXCLUDE_UNITS": THREE_CITIES}, "either"),
        Case("08_what_went_with_turnout", {"COVARIATE": "grp_per_capita", "EXCLUDE_UNITS": THREE_CITIES}),
        Case("08_what_went_with_turnout", {"EXCLUDE_UNITS": [*THREE_CITIES, *WEST, "kyzylorda", "turkestan",
                                                             "zhambyl", "almaty_region", "karaganda"]}, "either"),
    ],
}

# values that must be refused at once, with one line naming the parameter and what is allowed
REFUSED: dict[str, list[dict[str, Any]]] = {
    "01_at_a_glance": [{"STAGE": "prelim"}, {"STAGE": None}],
    "02_turnout": [{"REPORT_HOUR": 21}, {"REPORT_HOUR": "noon"}, {"REPORT_HOUR": None}, {"UNIT": "Almty"},
                   {"UNIT": "Abai"}, {"UNIT": None}, {"UNIT": ["Almaty"]}],
    "03_approval": [{"STAGE": "prelim"}, {"STAGE": None}],
    "04_regional": [{"UNIT": "Zhetisu"}, {"UNIT": 17}, {"REPORT_HOUR": 23}],
    "05_claims_checked": [{"RECENT_VOTES_FROM": 1990}, {"RECENT_VOTES_FROM": "2019x"}, {"RECENT_VOTES_FROM": None},
                          {"REPORT_HOUR": None}],
    "06_what_the_numbers_can_show": [{"N_SIMULATIONS": 500}, {"N_SIMULATIONS": "many"}, {"SEED": -1},
                                     {"MADE_UP_PERCENT": [0]}, {"MADE_UP_PERCENT": [150]}, {"MADE_UP_PERCENT": "ten"}],
    "07_three_referendums": [{"COMPARE": "2024"}, {"COMPARE": None}, {"COMPARE": ["2022-06-05"]},
                             {"COMPARE": ["2024-10-06", "2026-03-15"]}, {"REPORT_HOUR": 9}],
    "08_what_went_with_turnout": [{"EXCLUDE_UNITS": "almaty_city"}, {"EXCLUDE_UNITS": "2024"},
                                  {"EXCLUDE_UNITS": None}, {"EXCLUDE_UNITS": ["Almty"]}, {"COVARIATE": None},
                                  {"COVARIATE": "urban"}, {"RESAMPLES": 10}, {"SEED": "x"},
                                  {"EXCLUDE_UNITS": [u for u in _data()["unit_ids"]
                                                     if u not in ("akmola", "pavlodar")]}],  # leaves 2
}


def parameters_cell(stem: str) -> dict[str, Any]:
    """The committed values of a notebook's ``parameters`` cell (name -> value)."""
    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    source = next("".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    values: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = ast.literal_eval(node.value)
    return values


def parameterised() -> list[str]:
    """The notebooks with a cell tagged ``parameters``."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
            found.append(path.stem)
    return found


def spread(values: list[Any], most: int | None) -> list[Any]:
    """At most ``most`` of ``values``, evenly spaced, the first and the last among them (all when None)."""
    if most is None or len(values) <= most:
        return values
    if most <= 1:
        return values[:most]
    return [values[i] for i in sorted({round(k * (len(values) - 1) / (most - 1)) for k in range(most)})]


def cases(only: list[str] | None = None, per_parameter: int | None = None) -> list[Case]:
    """Every case of the sweep: the committed values, each other value one at a time (or ``per_parameter`` of
    them, evenly spread, for a shorter run), the combinations, the refusals; in a fixed order."""
    found: list[Case] = []
    for stem, table in grid().items():
        if only and stem[:2] not in only and stem not in only:
            continue
        committed = parameters_cell(stem)
        found.append(Case(stem, {}))
        for name, values in table.items():
            others = [value for value in values if value != committed.get(name)]
            found += [Case(stem, {name: value}) for value in spread(others, per_parameter)]
        found += COMBINATIONS.get(stem, [])
        found += [Case(stem, bad, "refused") for bad in REFUSED.get(stem, [])]
    return found


# ---------------------------------------------------------------- the checks
@cache
def note_marker() -> str:
    """The opening words of the choices note, as params.choices_note writes it in this run's language."""
    from helpers import params

    return params.choices_note({"X": 1}, {"X": 2}).split(" (")[0]


def _unit_names(value: object) -> list[str]:
    from helpers import units

    name = units.name_of(str(value))
    forms = [name, name.replace(" (city)", " city"), name.replace(" (city)", ""), name.replace(" Region", "")]
    return list(dict.fromkeys(forms))


NAMED: dict[str, Callable[[Any], list[str]]] = {
    "REPORT_HOUR": lambda h: [f"{int(h)}:00"],
    "UNIT": _unit_names,
    "STAGE": lambda s: [str(s)],
    "COVARIATE": lambda c: [str(c), str(c).replace("_", " "), COVARIATES_08.get(str(c), str(c))],
    "RECENT_VOTES_FROM": lambda y: [str(y)],
    "N_SIMULATIONS": lambda n: [f"{int(n):,}"],
    "RESAMPLES": lambda n: [f"{int(n):,}"],
    "SEED": lambda s: [f"seed {s}"],
}


def _named_each(value: Any, name: str) -> list[list[str]]:
    """For a list parameter, the forms of each item; else the forms of the value (one group)."""
    if name == "EXCLUDE_UNITS":
        return [_unit_names(u) for u in value]
    if name == "COMPARE":
        return [[str(d)[:4]] for d in value]
    if name in NAMED:
        return [NAMED[name](value)]
    return []


def texts(nb: dict[str, Any]) -> list[str]:
    """The sentences a run shows: Markdown outputs and printed text (stdout), one string per output."""
    found: list[str] = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                found.append("".join(output.get("text", "")))
            markdown = output.get("data", {}).get("text/markdown")
            if markdown:
                found.append("".join(markdown) if isinstance(markdown, list) else markdown)
    return found


def stderr_of(nb: dict[str, Any]) -> list[str]:
    return ["".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
            if o.get("output_type") == "stream" and o.get("name") == "stderr"]


def check_run(case: Case, nb: dict[str, Any], committed: dict[str, Any]) -> list[tuple[str, str]]:
    """The failures of a run that finished: stderr, empty lists in sentences, the choices note, the choice named."""
    failures: list[tuple[str, str]] = []
    for text in stderr_of(nb):
        failures.append(("stderr", text.strip().splitlines()[0] if text.strip() else "(blank)"))
    shown = texts(nb)
    for text in shown:
        for line in text.splitlines():
            hit = EMPTY_IN_TEXT.search(line)
            if hit:
                failures.append(("empty or missing value in a sentence", f"{hit.group(0)!r} in: {line.strip()[:160]}"))
    everything = "\n".join(shown)
    differs = any(value != committed.get(name) for name, value in case.parameters.items())
    noted = note_marker() in everything
    if differs and not noted:
        failures.append(("choices note missing", "a value differs from the committed one but no choices note"))
    if noted and not differs:
        failures.append(("choices note at the committed values", "the choices note shows at the committed values"))
    for name, value in case.parameters.items():
        if value == committed.get(name):
            continue
        for forms in _named_each(value, name):
            if not any(form in everything for form in forms):
                failures.append(("choice not named", f"{name}={value!r}: none of {forms} in the text"))
    return failures


def check_refusal(case: Case, error: Any, nb: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The failures of a refused run: not the project's check, not right after the parameters, not one line,
    not naming the parameter or what is allowed."""
    message = f"{error.ename}: {error.evalue}"
    failures: list[tuple[str, str]] = []
    if error.ename not in REFUSAL_ERRORS:
        failures.append(("refusal unclear (raw error)", message[:200]))
    if nb is not None:
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        tags = [c.get("metadata", {}).get("tags", []) for c in code]
        injected = next((i for i, t in enumerate(tags) if "injected-parameters" in t), None)
        failed = next((i for i, c in enumerate(code)
                       if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        if injected is not None and failed is not None and failed != injected + 1:
            failures.append(("refused late", f"in code cell {failed}, not {injected + 1}: {message[:160]}"))
    if "\n" in str(error.evalue).strip():
        failures.append(("refusal not one line", message[:200]))
    names = list(case.parameters)
    if error.ename in REFUSAL_ERRORS and not any(name in str(error.evalue) for name in names):
        failures.append(("refusal does not name the parameter", message[:200]))
    if error.ename in REFUSAL_ERRORS and not REFUSAL_SAYS.search(str(error.evalue)):
        failures.append(("refusal does not say what is allowed", message[:200]))
    for value in case.parameters.values():
        if isinstance(value, str) and len(value) > 1 and f"'{value[0]}', '{value[1]}'" in str(error.evalue):
            failures.append(("text refused letter by letter", message[:200]))
    return failures


def run_case(case: Case, folder: str) -> Result:
    """Execute one case into ``folder`` and check it."""
    import papermill

    from tests import notebook_runs

    started = time.perf_counter()
    result = Result(case)
    path = NOTEBOOKS / f"{case.stem}.ipynb"
    out = Path(folder) / f"{case.stem}-{abs(hash(case.label)):x}.ipynb"
    committed = parameters_cell(case.stem)
    try:
        nb = dict(notebook_runs.run_with_parameters(path, out, case.parameters))
    except papermill.PapermillExecutionError as error:
        executed = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
        if case.expect == "runs":
            result.failures.append(("error at an accepted value", f"cell {error.cell_index}: {error.ename}: "
                                    f"{str(error.evalue).strip().splitlines()[0][:200] if error.evalue else ''}"))
        else:
            result.failures += check_refusal(case, error, executed)
    except Exception as error:  # a cell over the time bound, a dead kernel
        result.failures.append(("did not finish", f"{type(error).__name__}: {str(error).strip()[:200]}"))
    else:
        if case.expect == "refused":
            result.failures.append(("bad value accepted", "the notebook ran to the end"))
        result.failures += check_run(case, nb, committed)
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------- the command
def interleaved(selected: list[Case]) -> list[Case]:
    """The cases taken in turn from each notebook, so a run cut short has covered every notebook alike."""
    rank: dict[str, int] = {}
    keyed = []
    for case in selected:
        rank[case.stem] = rank.get(case.stem, -1) + 1
        keyed.append((rank[case.stem], case.stem, case))
    return [case for _r, _s, case in sorted(keyed, key=lambda k: (k[0], k[1]))]


def sweep(selected: list[Case], jobs: int) -> list[Result]:
    """Run the cases on ``jobs`` workers; print each failure as it comes."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kz-sweep-") as folder, ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_case, case, folder): case for case in interleaved(selected)}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            state = "ok" if not result.failures else f"{len(result.failures)} failure(s)"
            print(f"[{done}/{len(selected)}] {result.case.stem} {result.case.label}: {state} "
                  f"({result.seconds:.0f} s)", flush=True)
            for kind, message in result.failures:
                print(f"    {kind}: {message}", flush=True)
    return results


def summary(results: list[Result], seconds: float) -> str:
    """Runs, failed runs, failures by kind and by notebook, time."""
    failed = [r for r in results if r.failures]
    kinds = Counter(kind for r in results for kind, _ in r.failures)
    notebooks = Counter(r.case.stem for r in failed)
    lines = [f"sweep: {len(results)} runs ({sum(r.case.expect != 'refused' for r in results)} accepted values, "
             f"{sum(r.case.expect == 'refused' for r in results)} refused), {len(failed)} with failures, "
             f"{sum(kinds.values())} failures; {seconds / 60:.1f} min"]
    lines += [f"  {count:4d}  {kind}" for kind, count in kinds.most_common()]
    lines += [f"  runs with failures in {stem}: {count} of {sum(r.case.stem == stem for r in results)}"
              for stem, count in sorted(notebooks.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    parser.add_argument("--only", type=lambda s: [x for x in s.split(",") if x], default=None, help="e.g. 02,08")
    parser.add_argument("--per-parameter", type=int, default=None,
                        help="a shorter sweep: at most this many other values per parameter, evenly spread")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    args = parser.parse_args(argv)
    selected = cases(args.only, args.per_parameter)
    if args.list:
        for case in selected:
            print(f"{case.stem}  {case.expect:8s} {case.label}")
        print(f"{len(selected)} cases")
        return 0
    started = time.perf_counter()
    results = sweep(selected, args.jobs)
    results.sort(key=lambda r: selected.index(r.case))
    if args.json:
        args.json.write_text(json.dumps([{"notebook": r.case.stem, "parameters": r.case.label, "expect": r.case.expect,
                                          "seconds": round(r.seconds, 1), "failures": r.failures}
                                         for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    print(summary(results, time.perf_counter() - started))
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
