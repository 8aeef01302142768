"""The ``hindsight`` command line: thin commands over the library, one module per noun.

Importing this package must stay cheap: command modules import heavy libraries (the store,
Jinja2, Rich, pydantic) inside the commands that need them.
"""

from hindsight.cli import (  # noqa: F401  (each module registers its commands)
    actions,
    documents,
    draft,
    insights,
    lint,
    postmortems,
    timeline,
)
from hindsight.cli._app import app, main

__all__ = ["app", "main"]
