"""The one exception tree of Hindsight.

Every error a user can cause is a :class:`HindsightError`. Each class knows the exit code the CLI
returns and the HTTP status the web app answers with; only those two edges translate errors into
output. The message is one line that names the problem and where it is::

    HindsightError                 exit 1, HTTP 500
    ├── InvalidInput               exit 2, HTTP 422   a malformed file, an unknown field, bad value
    │   └── ParseError             exit 2, HTTP 422   a document that cannot be read (with a place)
    ├── NotFound                   exit 3, HTTP 404   no postmortem, layout or revision by that name
    ├── Conflict                   exit 4, HTTP 409   a stale save, a duplicate id, a bad transition
    └── StorageError               exit 5, HTTP 503   the database cannot be reached or migrated
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pydantic import ValidationError


class HindsightError(Exception):
    """Root of every error Hindsight raises on purpose."""

    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InvalidInput(HindsightError):
    """Input that Hindsight will not accept: a bad value, an unknown field, a wrong type."""

    exit_code = 2
    http_status = 422


class ParseError(InvalidInput):
    """A document or payload that cannot be read; ``where`` names the file and line."""


class NotFound(HindsightError):
    """Nothing by that reference: a postmortem, revision, layout or file."""

    exit_code = 3
    http_status = 404


class Conflict(HindsightError):
    """The request disagrees with the stored state: a stale save, a duplicate, a bad transition."""

    exit_code = 4
    http_status = 409


class StorageError(HindsightError):
    """The database cannot be reached, created or migrated."""

    exit_code = 5
    http_status = 503


def describe_validation_error(exc: ValidationError) -> str:
    """One line for a pydantic error: the first problem with its field path, and how many more."""
    problems = exc.errors(include_url=False)
    if not problems:
        return str(exc)
    first = problems[0]
    path = ".".join(str(part) for part in first["loc"]) or "(document)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{path}: {message}{more}"


def invalid_from_validation(exc: ValidationError, *, where: str | None = None) -> InvalidInput:
    """Turn a pydantic validation error into a one-line :class:`InvalidInput`."""
    return InvalidInput(describe_validation_error(exc), where=where)
