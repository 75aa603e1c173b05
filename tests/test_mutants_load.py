"""Tests that kill the mutants of helpers/load.py that the first suite let live (``make mutation``)."""

from __future__ import annotations
