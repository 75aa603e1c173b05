"""Shared code for the Kazakhstan 2022 referendum notebooks.

Submodules (imported on use, so ``import helpers`` stays cheap):

- :mod:`helpers.load` - validated, typed tables from ``data/`` (the Frictionless Data Package)
- :mod:`helpers.units` - unit (region) name and code lookup
- :mod:`helpers.params` - checks of a notebook's parameters cell, with one-line answers
- :mod:`helpers.stats` - intervals for samples, design effects, rank correlations, permutation p-values
- :mod:`helpers.plots` - the house chart style, the chart output (picture + data) and the generic builders
- :mod:`helpers.tables` - tables for readers
- :mod:`helpers.robust` - a finding under the alternatives a critic would try: the table and the phrase
- :mod:`helpers.text` - lists and counts in sentences that read right for 0, 1 and many
- :mod:`helpers.i18n` - the run's language: translated messages (gettext) and number formats (Babel)

The analysis itself lives in the notebooks; this package holds only what they share.
"""

from helpers.errors import DataError, ParameterError, UnknownUnitError

__all__ = ["DataError", "ParameterError", "UnknownUnitError"]
