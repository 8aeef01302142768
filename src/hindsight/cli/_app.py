"""The command line's parser: commands declared next to their functions, parsed by argparse.

A command module declares a command with the decorator of its group, naming its arguments and
options; the docstring is its help, and the function takes the parsed values as keywords::

    @app.command(
        argument("file", help="A postmortem file.", type=Path),
        option("--format", "-f", dest="fmt", default="md", help="md, html, json or yaml."),
        flag("--json", dest="as_json", help="Print JSON for machines instead of text."),
    )
    def render(*, file: Path, fmt: str, as_json: bool) -> None:
        \"\"\"Convert a postmortem file to a layout or format.\"\"\"

:func:`main` walks the groups to the command named on the command line, builds the parser of
that command only, and calls it. A command returns its exit code (``None`` for 0). A usage
error and a :class:`~hindsight.errors.HindsightError` are one line on stderr,
``hindsight: error: ...``, with exit code 2 or the error's own; nothing else is printed.

argparse rather than Click or Typer: it is in the standard library and costs a few
milliseconds at start, which keeps ``hindsight lint FILE`` fast from a cold start.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, NoReturn, TypeVar

from hindsight import __version__
from hindsight.errors import HindsightError

HELP = """Blameless incident postmortems as structured data.

Write, render, parse, store and review postmortems; `hindsight COMMAND --help` for each command.
Data lives in SQLite by default (`hindsight info` shows where) or PostgreSQL
(HINDSIGHT_DATABASE_URL)."""

HELP_OPTION = "Show this message and exit."

CommandFunction = Callable[..., int | None]
F = TypeVar("F", bound=CommandFunction)
C = TypeVar("C", bound="Command | Group")


# --- what a command declares ------------------------------------------------------------------


# Named tuples rather than dataclasses: ``import dataclasses`` alone costs a fifth of the time
# `hindsight --help` takes.


class Param(NamedTuple):
    """An argument (no ``flags``) or an option of a command, as declared."""

    dest: str
    help: str
    flags: tuple[str, ...] = ()
    type: Callable[[str], Any] = str
    default: Any = None
    required: bool = False
    many: bool = False  # an argument taking one or more values; an option given many times
    is_flag: bool = False  # an option that takes no value: False, or True when given
    nargs: int = 1  # values one use of the option takes (--diff OLD NEW)
    metavar: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def display(self) -> str:
        """The name shown for the value: ``FILE``, ``PATH|DIR|REF``, ``LAYOUT``."""
        if self.metavar:
            return self.metavar
        long = next((f for f in self.flags if f.startswith("--")), "")
        return (long.lstrip("-") or self.dest).replace("-", "_").upper()


def argument(
    name: str,
    *,
    help: str,
    type: Callable[[str], Any] = str,
    default: str | None = None,
    many: bool = False,
    metavar: str | None = None,
) -> Param:
    """A positional argument; required unless it has a default. ``many``: one or more."""
    required = default is None
    return Param(
        name, help, type=type, default=default, required=required, many=many, metavar=metavar
    )


def option(
    *flags: str,
    help: str,
    dest: str | None = None,
    type: Callable[[str], Any] = str,
    default: Any = None,
    required: bool = False,
    repeat: bool = False,
    nargs: int = 1,
    metavar: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> Param:
    """An option taking a value; ``repeat``: may be given many times, giving a list."""
    return Param(
        dest or _dest(flags),
        help,
        flags=flags,
        type=type,
        default=[] if repeat else default,
        required=required,
        many=repeat,
        nargs=nargs,
        metavar=metavar,
        minimum=minimum,
        maximum=maximum,
    )


def flag(*flags: str, help: str, dest: str | None = None) -> Param:
    """An option without a value: ``False``, or ``True`` when given."""
    return Param(dest or _dest(flags), help, flags=flags, default=False, is_flag=True)


def _dest(flags: Sequence[str]) -> str:
    long = next(f for f in flags if f.startswith("--"))
    return long.removeprefix("--").replace("-", "_")


class Command(NamedTuple):
    """A command: its path (``hindsight timeline add``), function, parameters and help."""

    path: str
    function: CommandFunction
    params: tuple[Param, ...]
    help: str

    @property
    def name(self) -> str:
        return self.path.rsplit(" ", 1)[-1]

    def usage(self) -> str:
        """``hindsight status [OPTIONS] REF TO``: required options and arguments are named."""
        words = [self.path, "[OPTIONS]"]
        words += [f"{p.flags[0]} {p.display}" for p in self.params if p.flags and p.required]
        for param in self.params:
            if not param.flags:
                shown = param.display + ("..." if param.many else "")
                words.append(shown if param.required else f"[{shown}]")
        return " ".join(words)

    def parser(self) -> argparse.ArgumentParser:
        parser = _parser(self.path, usage=self.usage(), description=self.help)
        arguments = parser.add_argument_group("arguments")
        options = parser.add_argument_group("options")
        for param in self.params:
            _add(options if param.flags else arguments, param)
        options.add_argument("--help", action="help", help=HELP_OPTION)
        return parser


class Group:
    """Commands under one name: ``hindsight`` itself, ``hindsight timeline``..."""

    def __init__(self, name: str, *, help: str, parent: Group | None = None) -> None:
        self.path: str = name if parent is None else f"{parent.path} {name}"
        self.help = help
        self.is_root = parent is None
        self.children: dict[str, Command | Group] = {}

    @property
    def name(self) -> str:
        return self.path.rsplit(" ", 1)[-1]

    def group(self, name: str, *, help: str) -> Group:
        """A group of commands under this one."""
        return self._add(name, Group(name, help=help, parent=self))

    def command(self, *params: Param, name: str | None = None) -> Callable[[F], F]:
        """Register the function as a command named ``name`` (default: the function's name)."""

        def register(function: F) -> F:
            called = name or function.__name__
            path = f"{self.path} {called}"
            self._add(called, Command(path, function, params, _docstring(function.__doc__)))
            return function

        return register

    def commands(self) -> Iterator[Command]:
        """Every command under this group, its own before its subgroups' (as in the help)."""
        for child in self._listed():
            if isinstance(child, Group):
                yield from child.commands()
            else:
                yield child

    def find(self, name: str) -> Command | Group:
        try:
            return self.children[name]
        except KeyError:
            raise UsageError(f"no such command {name!r} (see '{self.path} --help')") from None

    def parser(self) -> argparse.ArgumentParser:
        parser = _parser(
            self.path,
            usage=f"{self.path} [OPTIONS] COMMAND [ARGS]...",
            description=self.help,
            epilog=self._listing(),
        )
        parser.add_argument("command", nargs="?", help=argparse.SUPPRESS)
        parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        if self.is_root:
            version = f"hindsight {__version__}"
            parser.add_argument(
                "--version", action="version", version=version, help="Print the version and exit."
            )
        parser.add_argument("--help", action="help", help=HELP_OPTION)
        return parser

    def _add(self, name: str, child: C) -> C:
        if name in self.children:
            raise ValueError(f"{self.path} {name}: declared twice")
        self.children[name] = child
        return child

    def _listed(self) -> list[Command | Group]:
        children = list(self.children.values())
        return [c for c in children if isinstance(c, Command)] + [
            c for c in children if isinstance(c, Group)
        ]

    def _listing(self) -> str:
        children = self._listed()
        width = max((len(c.name) for c in children), default=0)
        # Each line fits 80 columns: two spaces, the name, two spaces, the short help.
        lines = [f"  {c.name.ljust(width)}  {_short(c.help, 76 - width)}" for c in children]
        return "\n".join(["commands:", *lines])


def _docstring(doc: str | None) -> str:
    """The docstring without its indentation, like ``inspect.cleandoc`` (which is slow to
    import)."""
    first, _, rest = (doc or "").expandtabs().strip().partition("\n")
    return "\n".join([first.strip(), textwrap.dedent(rest)]).strip()


def _short(help_text: str, width: int) -> str:
    """The first sentence of the first paragraph, cut at a word to fit ``width``."""
    text = " ".join(help_text.split("\n\n", 1)[0].split())
    sentence, dot, _ = text.partition(". ")
    text = sentence + dot.strip()
    if len(text) <= width:
        return text
    return text[: width - 3].rsplit(" ", 1)[0] + "..."


app = Group("hindsight", help=HELP)
timeline_app = app.group("timeline", help="Add events to a stored postmortem's timeline.")
action_app = app.group("action", help="Add and change a stored postmortem's action items.")


# --- parsing ----------------------------------------------------------------------------------


class UsageError(Exception):
    """A command line that does not fit the command: one line, exit code 2."""


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """Raises instead of printing and exiting, so that :func:`main` returns the exit code."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise _Exit(status)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the docstrings' paragraphs; shows ``-f, --format FORMAT`` once, not per flag."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings:
            return super()._format_action_invocation(action)
        flags = ", ".join(sorted(action.option_strings, key=len))
        if action.nargs == 0:
            return flags
        return f"{flags} {self._format_args(action, action.dest.upper())}"


def _parser(prog: str, **kwargs: Any) -> _Parser:
    escaped = {key: value.replace("%", "%%") for key, value in kwargs.items()}
    return _Parser(
        prog=prog, formatter_class=_Formatter, add_help=False, allow_abbrev=False, **escaped
    )


def _add(group: argparse._ArgumentGroup, param: Param) -> None:
    """Add a declared parameter to a section of an argparse parser."""
    help_text = (param.help + _notes(param)).replace("%", "%%")
    convert = _bounded(param) if _range(param) else param.type
    if not param.flags:
        nargs = "+" if param.many else (None if param.required else "?")
        group.add_argument(
            param.dest,
            help=help_text,
            type=param.type,
            default=param.default,
            nargs=nargs,
            metavar=param.display,
        )
    elif param.is_flag:
        group.add_argument(*param.flags, dest=param.dest, action="store_true", help=help_text)
    else:
        group.add_argument(
            *param.flags,
            dest=param.dest,
            help=help_text,
            type=convert,
            # A new list for each parse: argparse appends to a copy, but the command may not.
            default=list(param.default) if param.many else param.default,
            required=param.required,
            action="append" if param.many else "store",
            nargs=param.nargs if param.nargs > 1 else None,
            metavar=_metavar(param),
        )


def _metavar(param: Param) -> str | tuple[str, ...]:
    """``OLD NEW`` declared for an option taking two values names each of them."""
    names = param.display.split()
    return tuple(names) if param.nargs > 1 and len(names) == param.nargs else param.display


def _notes(param: Param) -> str:
    """What the help adds to the declared text: the default, the range, that it is needed."""
    notes = []
    if param.required and param.flags:
        notes.append("required")
    if param.many and param.flags and "repeatable" not in param.help:
        notes.append("repeatable")
    if limits := _range(param):
        notes.append(limits)
    if param.default not in (None, False, []):
        notes.append(f"default: {param.default}")
    return f" [{'; '.join(notes)}]" if notes else ""


def _range(param: Param) -> str:
    low, high = param.minimum, param.maximum
    if low is not None:
        return f"at least {low}" if high is None else f"{low} to {high}"
    return "" if high is None else f"at most {high}"


def _bounded(param: Param) -> Callable[[str], int]:
    """The converter of a whole number with a minimum or maximum."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        low, high = param.minimum, param.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is out of range ({_range(param)})")
        return value

    return convert


# --- running ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (default: ``sys.argv``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command, values = _parse(app, args)
    except _Exit as done:
        return done.code
    except UsageError as exc:
        print_error(str(exc))
        return 2
    return _call(command, values)


def print_error(message: str) -> None:
    """The one line a failed command prints."""
    sys.stderr.write(f"hindsight: error: {message}\n")


def _parse(group: Group, args: list[str]) -> tuple[Command, dict[str, Any]]:
    """The command the arguments name, and its parsed values by keyword."""
    node: Command | Group = group
    while isinstance(node, Group):
        parser = node.parser()
        chosen = parser.parse_args(args)
        if chosen.command is None:  # no command named: the help, as an error (as Click does)
            sys.stderr.write(parser.format_help())
            raise _Exit(2)
        node, args = node.find(chosen.command), chosen.args
    # Intermixed: options may come between arguments (`lint a.md --strict b.md`), as in Click.
    return node, vars(node.parser().parse_intermixed_args(args))


def _call(command: Command, values: dict[str, Any]) -> int:
    """Run a command; Hindsight's errors become one line on stderr and the error's exit code."""
    try:
        return command.function(**values) or 0
    except HindsightError as exc:
        print_error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print_error("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """After the reader of our output went away (``hindsight list | head``), point stdout at
    the null device so that flushing it at exit raises nothing."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
