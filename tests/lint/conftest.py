"""Lint tests: the ``hindsight lint`` command is registered on the app before any test runs."""

import hindsight.cli.lint  # noqa: F401  (until hindsight/cli/__init__.py imports it)
