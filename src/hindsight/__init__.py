"""Hindsight: blameless incident postmortems as structured data."""

__version__ = "0.1.0"
