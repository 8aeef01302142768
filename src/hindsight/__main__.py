"""``python -m hindsight``."""

from hindsight.cli import app

app()
