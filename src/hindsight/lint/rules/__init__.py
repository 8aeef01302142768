"""The rule families; importing this package registers every rule in :data:`RULES`."""

from hindsight.lint.rules import (  # noqa: F401  (registers)
    actions,
    completeness,
    language,
    process,
    timeline,
)
