"""The language of a run: translated messages (gettext catalogs in ``locale/``) and number formats (Babel).

The English notebooks are the walk-through; a run in Russian or Kazakh is the same computation with
``KZREF_LANG=ru`` (or ``kk``) in the environment. Sentences written by code keep their English text readable,
with named placeholders, and numbers are formatted for the language, never retyped::

    from helpers.i18n import _, fmt
    Markdown(_("At {hour}:00 the spread is {spread} points.").format(hour=22, spread=fmt.decimal(22.6, 2)))

A message with no translation in the catalog stays in English (gettext's fallback), so a changed English
sentence shows up as untranslated, never as a stale translation.
"""

from __future__ import annotations

import gettext
import os
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal

from helpers.errors import ParameterError

LANGUAGE_ENV = "KZREF_LANG"
LANGUAGES = ("en", "ru", "kk")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def language() -> str:
    """The language of this run: ``KZREF_LANG`` (``en``, ``ru`` or ``kk``), English when unset."""
    chosen = os.environ.get(LANGUAGE_ENV, "").strip() or "en"
    if chosen not in LANGUAGES:
        raise ParameterError(f"{LANGUAGE_ENV} = {chosen!r} is not a language of this collection; "
                             f"choose one of {', '.join(repr(code) for code in LANGUAGES)}")
    return chosen


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the language of this run (the English text where the catalog has no translation)."""
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the language of this run."""
    return _catalog(language()).ngettext(singular, plural, count)


class _Formats:
    """Numbers written for the language of this run (Babel's locale data)."""

    @staticmethod
    def _locale() -> Locale:
        return Locale.parse(language())

    def decimal(self, value: float | int | Decimal, places: int) -> str:
        """``68.05`` (en), ``68,05`` (ru, kk), with the locale's group separator for large values."""
        pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
        return str(format_decimal(value, format=pattern, locale=self._locale(), decimal_quantization=True))

    def integer(self, value: int | float) -> str:
        """``11,734,642`` (en), ``11 734 642`` (ru, kk); a float must be whole."""
        if float(value) != int(value):
            raise ValueError(f"{value!r} is not a whole number")
        return self.decimal(int(value), 0)

    def percent(self, value: float | int | Decimal, places: int) -> str:
        """A percentage already multiplied by 100: ``68.05 %`` (en), ``68,05 %`` (ru, kk)."""
        return f"{self.decimal(value, places)}\u00a0%"

    def signed(self, value: float | int | Decimal, places: int) -> str:
        """A change with its sign: ``+0.38``, ``−0.38`` (a true minus sign)."""
        text = self.decimal(-value if value < 0 else value, places)
        if not any(digit in "123456789" for digit in text):  # rounds to zero: no sign
            return text
        return ("+" if value > 0 else "\u2212") + text


fmt = _Formats()
