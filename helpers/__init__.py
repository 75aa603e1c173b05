"""Shared code for the Kazakhstan 2022 referendum notebooks.

Submodules (imported on use, so ``import helpers`` stays cheap):

- :mod:`helpers.load` - validated, typed tables from ``data/`` (the Frictionless Data Package)
- :mod:`helpers.units` - unit (region) name and code lookup
- :mod:`helpers.stats` - confidence intervals and bootstraps
- :mod:`helpers.plots` - the house chart style, source lines and the choropleth
"""

from helpers.errors import DataError, UnknownUnitError

__all__ = ["DataError", "UnknownUnitError"]
