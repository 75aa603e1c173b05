r"""Check a notebook's parameters (the cell tagged ``parameters``) and stop with a one-line answer.

A reader who sets ``STAGE = "prelim"`` or ``REPORT_HOUR = "22"`` should learn at once what is allowed,
not meet a traceback ten cells later. Each check returns the value in the form the notebook uses::

    STAGE = params.one_of("STAGE", STAGE, ["preliminary", "final"])
    REPORT_HOUR = params.whole_number("REPORT_HOUR", REPORT_HOUR, allowed=hours)      # or low=, high=
    UNIT_ID = params.unit("UNIT", UNIT)                      # any name or code units.resolve accepts
    EXCLUDED = params.unit_ids("EXCLUDE_UNITS", EXCLUDE_UNITS)  # a list; every bad name in one line
    params.enough("EXCLUDE_UNITS", EXCLUDE_UNITS, left=17 - len(EXCLUDED), need=3, what="a rank correlation")
    notes = [params.choices_note(WRITTEN_FOR, used), params.unit_note("UNIT", UNIT)]  # '' when nothing to say
    note = "\n\n".join(n for n in notes if n); Markdown(note) if note else None

Every refusal is one line naming the parameter, the value given and what is allowed; ``None`` and a single
text where a list is expected get their own line (never a list of letters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from helpers import units
from helpers.errors import ParameterError, UnknownUnitError
from helpers.i18n import _

_T = TypeVar("_T")
_LISTS = (list, tuple, set, frozenset)


def _listing(allowed: Iterable[object]) -> str:
    return ", ".join(repr(a) for a in allowed)


def _example(allowed: Sequence[object], given: object = None) -> str:
    """``['almaty_city']``: a one-item list to show, the value given itself when it is allowed."""
    item = given if given is not None and given in allowed else (allowed[0] if allowed else "...")
    return f"[{item!r}]"


def _missing(name: str, expected: str) -> ParameterError:
    return ParameterError(_("{name} = None: no value given; expected {expected}").format(name=name, expected=expected))


def one_of(name: str, value: _T, allowed: Sequence[_T]) -> _T:
    """``value`` if it is one of ``allowed``, else a :class:`ParameterError` naming the allowed values.

    A text that differs from an allowed one only in case or surrounding spaces (``" Final"``) is that value.
    """
    choose = _("one of {values}").format(values=_listing(allowed))
    if value is None and None not in allowed:
        raise _missing(name, choose)
    if isinstance(value, _LISTS) and not any(isinstance(a, _LISTS) for a in allowed):
        raise ParameterError(_("{name} = {value} is a list; expected a single value, {choose}").format(
            name=name, value=repr(value), choose=choose))
    if value in allowed:
        return value
    if isinstance(value, str):
        same = [a for a in allowed if isinstance(a, str) and a.strip().casefold() == value.strip().casefold()]
        if len(same) == 1:
            return same[0]
    raise ParameterError(_("{name} = {value} is not allowed; choose {choose}").format(
        name=name, value=repr(value), choose=choose))


def _as_whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().replace("_", "").lstrip("+-").isdigit():
        return int(value.strip())
    return None


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("between {low} and {high}").format(low=low, high=high)
    if low is not None:
        return _("at least {low}").format(low=low)
    return _("at most {high}").format(high=high) if high is not None else ""


def whole_number(name: str, value: object, allowed: Sequence[int] | None = None, *,
                 low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int (a whole number given as text, such as ``"22"``, is accepted).

    With ``allowed``, it must be one of them; with ``low``/``high``, within those bounds. Every refusal names
    what is allowed (the values or the range) in the same line.
    """
    expected = _("one of {values}").format(values=_listing(allowed)) if allowed is not None else " ".join(
        part for part in (_("a whole number"), _bounds(low, high)) if part)
    if value is None:
        raise _missing(name, expected)
    if isinstance(value, _LISTS):
        raise ParameterError(_("{name} = {value} is a list; expected a single whole number, {expected}").format(
            name=name, value=repr(value), expected=expected))
    number = _as_whole(value)
    if number is None:
        raise ParameterError(_("{name} = {value} is not a whole number; expected {expected}").format(
            name=name, value=repr(value), expected=expected))
    if allowed is not None and number not in allowed:
        raise ParameterError(_("{name} = {value} is not allowed; choose {choose}").format(
            name=name, value=repr(value), choose=_("one of {values}").format(values=_listing(allowed))))
    if (low is not None and number < low) or (high is not None and number > high):
        raise ParameterError(_("{name} = {value} is out of range; expected a whole number {bounds}").format(
            name=name, value=repr(value), bounds=_bounds(low, high)))
    return number


def _as_list(name: str, values: object, allowed: Sequence[object], single: bool, what: str) -> list[object]:
    """``values`` as a list; a single text or number is refused as a whole (or taken as one item with ``single``)."""
    if values is None:
        raise _missing(name, _("a list such as {example}, or [] for none").format(example=_example(allowed)))
    if isinstance(values, _LISTS):
        return list(values)
    if single:
        return [values]
    message = (_("{name} = {value} is a text; expected a list such as {example}") if isinstance(values, str) else
               _("{name} = {value} is a single unit; expected a list such as {example}") if what == "unit" else
               _("{name} = {value} is a single value; expected a list such as {example}"))
    raise ParameterError(message.format(name=name, value=repr(values), example=_example(allowed, values)))


def subset_of(name: str, values: Iterable[_T] | _T, allowed: Sequence[_T], *, single: bool = False) -> list[_T]:
    """``values`` as a list (repeats dropped) if every one is in ``allowed``, else one line naming every bad one.

    A single text where a list is expected (``EXCLUDE_UNITS = "almaty_city"``) is refused as a whole, with
    the list to write instead; with ``single=True`` it is taken as a one-item list.
    """
    chosen = _as_list(name, values, allowed, single, "value")
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise ParameterError(_("{name}: {bad} not allowed; choose from {values}").format(
            name=name, bad=_listing(bad), values=_listing(allowed)))
    return list(dict.fromkeys(chosen))  # type: ignore[arg-type]


def unit(name: str, value: object, folder: Path | str | None = None) -> str:
    """The unit_id for one unit named in any way :func:`helpers.units.resolve` accepts, else one line naming the
    parameter, the value and what to write (suggestions for a near miss; the 2022 unit of a later region)."""
    if value is None:
        raise _missing(name, _("the name or code of one of the 17 units of 5 June 2022, such as 'Almaty (city)'"))
    if isinstance(value, _LISTS):
        raise ParameterError(_("{name} = {value} is a list; expected one unit, such as 'Almaty (city)'").format(
            name=name, value=repr(value)))
    if not isinstance(value, str):
        raise ParameterError(_("{name} = {value} is not a unit's name; expected the name or code of one of the 17 "
                               "units of 5 June 2022 as text, such as 'Almaty (city)' or 'KZ-ALA'").format(
                                   name=name, value=repr(value)))
    try:
        return units.lookup(value, folder)
    except UnknownUnitError as failure:
        raise ParameterError(f"{name} = {value!r}: {_unknown_reason(failure)}") from None


def _unknown_reason(failure: UnknownUnitError) -> str:
    """Why a name found no unit, short: the error's note, or "not one of the 17 units ..." with its suggestions."""
    if failure.note:
        return failure.note
    reason = _("not one of the 17 units of 5 June 2022 (English, Russian or Kazakh name, ISO code or unit_id)")
    if failure.suggestions:
        names = failure.suggestions
        reason += _("; did you mean {names}?").format(names=_("{first} or {last}").format(
            first=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 else names[0])
    return reason


def unit_ids(name: str, values: object, folder: Path | str | None = None, *, single: bool = False) -> list[str]:
    """The unit_ids of a list of units, each named in any way :func:`helpers.units.resolve` accepts (repeats
    dropped, order kept); one line naming every name not found, each with its suggestions.

    A single text (``EXCLUDE_UNITS = "almaty_city"``) is refused as a whole with the list to write instead,
    unless ``single=True``.
    """
    chosen = _as_list(name, values, ["almaty_city"], single, "unit")
    found: list[str] = []
    bad: list[str] = []
    for value in chosen:
        try:
            found.append(units.lookup(value, folder) if isinstance(value, str) else units.lookup("", folder))
        except UnknownUnitError as failure:
            bad.append(f"{value!r}: {_unknown_reason(failure).rstrip('.')}")
    if bad:
        raise ParameterError(f"{name}: {'; '.join(bad)}")
    return list(dict.fromkeys(found))


def unit_note(name: str, values: object, folder: Path | str | None = None) -> str:
    """One Markdown line with what :func:`helpers.units.resolve` notes about the unit name(s) of a parameter
    (today's name or code, an older name, a bare "Almaty"); '' when none needs a note. Call it after
    :func:`unit` or :func:`unit_ids` has accepted the value."""
    chosen = list(values) if isinstance(values, _LISTS) else [values]
    notes = [units.resolve(str(value), folder).note for value in chosen]
    said = list(dict.fromkeys(note for note in notes if note))
    return f"`{name}`: " + " ".join(said) if said else ""


def enough(name: str, value: object, left: int, need: int, what: str) -> None:
    """Stop when a choice leaves fewer than ``need`` items (units, votes) for ``what`` the notebook computes next."""
    if left < need:
        raise ParameterError(_("{name} = {value} leaves {left}; {what} needs at least {need}").format(
            name=name, value=repr(value), left=left, what=what, need=need))


def changed_choices(written_for: Mapping[str, object], used: Mapping[str, object]) -> list[str]:
    """The parameters whose value in this run differs from the one the notebook's prose was written for."""
    missing = sorted(set(written_for) ^ set(used))
    if missing:
        raise KeyError(f"written_for and used must name the same parameters; differ on {missing}")
    return [name for name in written_for if written_for[name] != used[name]]


def choices_note(written_for: Mapping[str, object], used: Mapping[str, object]) -> str:
    """'' when this run uses the choices the prose was written for; else one line saying what changed and where
    the sentences recomputed for this run's choices are (the notebook's closing "In short, for this run")."""
    names = changed_choices(written_for, used)
    if not names:
        return ""
    changes = "; ".join(f"`{name}`: `{written_for[name]!r}` → `{used[name]!r}`" for name in names)
    return _("**This run's choices differ from those the text was written for** ({changes}). The tables, charts "
             "and computed sentences follow your choices; the In short at the top was written for the committed "
             "choices, and the same points recomputed for yours are at the end, under \"In short, for this "
             "run's choices\".").format(changes=changes)
