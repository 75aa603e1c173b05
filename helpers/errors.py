"""Errors raised when data or a lookup is not what the analysis expects."""

from __future__ import annotations


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent.

    The message always names the file and, where it applies, the line, the column or the unit,
    and says what was expected.
    """


class UnknownUnitError(KeyError):
    """A unit name or code that matches none of the 17 units of 5 June 2022."""

    def __init__(self, name: str, suggestions: list[str], note: str | None = None) -> None:
        self.name = name
        self.suggestions = suggestions
        self.note = note
        if note is not None:
            super().__init__(f"Unknown unit {name!r}: {note}")
            return
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown unit {name!r}: expected one of the 17 units of 5 June 2022 "
            f"(English, Russian or Kazakh name, ISO 3166-2 code or unit_id).{hint}"
        )

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class ParameterError(ValueError):
    """A notebook parameter (the cell tagged ``parameters``) has a value the notebook cannot use.

    The message names the parameter, the value given and the values allowed.
    """
