"""Check a notebook's parameters (the cell tagged ``parameters``) and stop with a one-line answer.

A reader who sets ``STAGE = "prelim"`` or ``REPORT_HOUR = "22"`` should learn at once what is allowed,
not meet a traceback ten cells later. Each check returns the value in the form the notebook uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from helpers.errors import ParameterError
from helpers.i18n import _

_T = TypeVar("_T")


def _listing(allowed: Iterable[object]) -> str:
    return ", ".join(repr(a) for a in allowed)


def one_of(name: str, value: _T, allowed: Sequence[_T]) -> _T:
    """``value`` if it is one of ``allowed``, else a :class:`ParameterError` naming the allowed values."""
    if value in allowed:
        return value
    raise ParameterError(f"{name} = {value!r} is not allowed; choose one of {_listing(allowed)}")


def whole_number(name: str, value: object, allowed: Sequence[int] | None = None, *,
                 low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int (a whole number given as text, such as ``"22"``, is accepted).

    With ``allowed``, it must be one of them; with ``low``/``high``, within those bounds.
    """
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number is None:
        expected = f"one of {_listing(allowed)}" if allowed is not None else "a whole number"
        raise ParameterError(f"{name} = {value!r} is not a whole number; expected {expected}")
    if allowed is not None and number not in allowed:
        raise ParameterError(f"{name} = {value!r} is not allowed; choose one of {_listing(allowed)}")
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"between {low} and {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        raise ParameterError(f"{name} = {value!r} is out of range; expected a whole number {bounds}")
    return number


def subset_of(name: str, values: Iterable[_T], allowed: Sequence[_T]) -> list[_T]:
    """``values`` as a list if every one is in ``allowed``, else a :class:`ParameterError` naming the bad ones."""
    chosen = list(values)
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise ParameterError(f"{name}: {_listing(bad)} not allowed; choose from {_listing(allowed)}")
    return chosen


def enough(name: str, value: object, left: int, need: int, what: str) -> None:
    """Stop when a choice leaves fewer than ``need`` items (units, votes) for ``what`` the notebook computes next."""
    if left < need:
        raise ParameterError(f"{name} = {value!r} leaves {left}; {what} needs at least {need}")


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
    changes = "; ".join(f"`{name}` {written_for[name]!r} → {used[name]!r}" for name in names)
    return _("**This run's choices differ from those the text was written for** ({changes}). The tables, charts "
             "and computed sentences follow your choices; the In short at the top was written for the committed "
             "choices, and the same points recomputed for yours are at the end, under \"In short, for this "
             "run's choices\".").format(changes=changes)
