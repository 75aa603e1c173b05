"""Check a notebook's parameters (the cell tagged ``parameters``) and stop with a one-line answer.

A reader who sets ``STAGE = "prelim"`` or ``REPORT_HOUR = "22"`` should learn at once what is allowed,
not meet a traceback ten cells later. Each check returns the value in the form the notebook uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from helpers.errors import ParameterError

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
