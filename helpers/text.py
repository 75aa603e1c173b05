"""Words around computed values: lists, counts and ordinals that read right for 0, 1 and many, in each language."""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale

from helpers.i18n import _, language


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


def count(n: int, phrase: str, *, none: str | None = None) -> str:
    """``phrase`` (an ``ngettext`` result with ``{n}``) filled in, or ``none`` when ``n`` is 0 and it is given.

    ``text.count(k, ngettext("{n} unit", "{n} units", k), none=_("no units"))``: the catalog holds every plural
    form a language needs (Russian has three), so the noun agrees with the number in each language.
    """
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    if "{n}" not in phrase:
        raise ValueError(f"the phrase {phrase!r} has no {{n}} for the count")
    if n == 0 and none is not None:
        return none
    return phrase.format(n=n)


# Kazakh ordinal suffix after digits follows the vowel of the last number word (1-ші, 6-шы, 10-шы, 20-шы).
_KK_BACK_VOWEL_LAST = {6, 9, 10, 20, 30, 40, 60, 90}


def _kk_ordinal_suffix(n: int) -> str:
    """``шы`` or ``ші``: the vowel harmony of the last word of ``n`` read aloud in Kazakh."""
    if n % 10:
        last = n % 10
    elif n % 100:
        last = n % 100
    else:
        return "ші"  # жүз, мың: front vowels; ... миллион (back) does not occur in this collection
    return "шы" if last in _KK_BACK_VOWEL_LAST else "ші"


def ordinal(n: int) -> str:
    """``n`` as an ordinal in the run's language: ``15th`` (en), ``15-е`` (ru, neuter: место), ``15-ші`` (kk)."""
    if n < 1:
        raise ValueError(f"an ordinal needs a whole number from 1, not {n}")
    lang = language()
    if lang == "ru":
        return f"{n}-е"
    if lang == "kk":
        return f"{n}-{_kk_ordinal_suffix(n)}"
    form = Locale("en").ordinal_form(n)
    suffix = {"one": "st", "two": "nd", "few": "rd"}.get(form, "th")
    return f"{n}{suffix}"
