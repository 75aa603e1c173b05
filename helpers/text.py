"""Words around computed values: lists and counts that read right for 0, 1 and many."""

from __future__ import annotations

from collections.abc import Sequence

from helpers.i18n import _


def listing(items: Sequence[str], *, empty: str | None = None) -> str:
    """``'a'``, ``'a and b'``, ``'a, b and c'``; ``empty`` for no items (an error if none is given).

    An empty list must never reach a sentence, so the caller says what to write for it.
    """
    names = [str(item) for item in items]
    if not names:
        if empty is None:
            raise ValueError("listing() got no items and no wording for an empty list")
        return empty
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def count(n: int, one: str, many: str) -> str:
    """``'no units'``, ``'1 unit'``, ``'5 units'``: ``one`` and ``many`` are the noun's two forms."""
    if n == 0:
        return _("no {things}").format(things=many)
    return f"{n} {one if n == 1 else many}"
