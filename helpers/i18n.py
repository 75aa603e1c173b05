"""The language of a run: translated messages (gettext catalogs in ``locale/``) and number formats (Babel).

The English notebooks are the walk-through; a run in Russian or Kazakh is the same computation with
``KZREF_LANG=ru`` (or ``kk``) in the environment. Sentences written by code keep their English text readable,
with named placeholders, and numbers are formatted for the language, never retyped::

    from helpers.i18n import _, fmt
    Markdown(_("At {hour}:00 the spread is {spread} points.").format(hour=22, spread=fmt.decimal(22.6, 2)))

A message with no translation in the catalog stays in English (gettext's fallback), so a changed English
sentence shows up as untranslated, never as a stale translation. The catalogs are the text files
``locale/<lang>/LC_MESSAGES/messages.po`` (``make catalogs`` extracts and updates them, sitebuild/catalogs.py);
they are compiled in memory on first use, without committed binaries, and fuzzy entries (a translation of an
earlier English text, kept as a suggestion for the translator) are never used.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

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


def catalog_path(lang: str) -> Path:
    """The message catalog of ``lang``: ``locale/<lang>/LC_MESSAGES/messages.po``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, compiled in memory from its .po (English fallback when it has none)."""
    path = catalog_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except Exception as exc:  # babel's PoFileError and locale errors: name the file
        raise ValueError(f"{path}: not a readable message catalog: {exc}") from exc
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def translated(message: str, lang: str, context: str | None = None) -> str | None:
    """The translation of ``message`` into ``lang`` (in ``context``, if the message has one), or None when the
    catalog has none (untranslated or fuzzy)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if lang == "en":
        return message
    catalog = _catalog(lang)
    found = catalog.pgettext(context, message) if context else catalog.gettext(message)
    return found if found != message or _translates_to_itself(message, lang, context) else None


def _translates_to_itself(message: str, lang: str, context: str | None = None) -> bool:
    """True for a message whose translation is the English text itself (a name, a code, a number)."""
    table = getattr(_catalog(lang), "_catalog", {})
    key = f"{context}\x04{message}" if context else message
    return isinstance(table, dict) and table.get(key) == message


def _(message: str) -> str:
    """``message`` in the language of this run (the English text where the catalog has no translation)."""
    return _catalog(language()).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now (a default argument, a constant):
    translate it with ``_()`` where it is used."""
    return message


def pgettext(context: str, message: str) -> str:
    """``message`` in the language of this run, where the same English word needs another translation in
    ``context`` (a table header "no" vs the answer "no")."""
    return _catalog(language()).pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the language of this run."""
    return _catalog(language()).ngettext(singular, plural, count)


def written_for(text: str, lang: str) -> str:
    """Figures written the English way (``1,234.50``) with ``lang``'s group and decimal symbols (``1 234,50`` in ru
    and kk, a no-break space); digits kept exactly, English returned unchanged."""
    if lang == "en":
        return text
    symbols = Locale.parse(lang).number_symbols["latn"]
    return "".join(symbols["group"] if c == "," else symbols["decimal"] if c == "." else c for c in text)


# A date as this collection writes it: English day first, as its sources and prose do ("5 June 2022"); Russian in
# CLDR's long form; Kazakh as official texts write it, "2022 жылғы 5 маусым" (the year kept with its word by a
# no-break space), not CLDR's abbreviation "2022 ж. 5 маусым". Month names are Babel's.
DATE_PATTERNS = {"en": "d MMMM y", "ru": "long", "kk": "y\u00a0'жылғы' d MMMM"}


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

    def symbols(self, text: str) -> str:
        """A number written the English way (``f"{x:,.2f}"``: ``1,234.50``) with this run's separators.

        The digits are kept exactly (no second rounding); only ``,`` and ``.`` become the locale's group and
        decimal symbols (``1 234,50`` in ru and kk, with a no-break space). English text is returned unchanged.
        """
        return written_for(text, language())

    def date(self, day: dt.date) -> str:
        """``5 June 2022`` (en), ``5 июня 2022 г.`` (ru), ``2022 жылғы 5 маусым`` (kk): see DATE_PATTERNS."""
        return str(format_date(day, format=DATE_PATTERNS[language()], locale=self._locale()))

    def signed(self, value: float | int | Decimal, places: int) -> str:
        """A change with its sign: ``+0.38``, ``−0.38`` (a true minus sign)."""
        text = self.decimal(-value if value < 0 else value, places)
        if not any(digit in "123456789" for digit in text):  # rounds to zero: no sign
            return text
        return ("+" if value > 0 else "\u2212") + text


fmt = _Formats()
