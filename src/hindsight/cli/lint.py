"""``hindsight lint``: check postmortems for blameless language, completeness, action items,
timeline and process."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hindsight.cli._app import app, argument, flag, option, print_error
from hindsight.cli._common import now, parse_instant, write_output
from hindsight.errors import InvalidInput

if TYPE_CHECKING:
    from hindsight.lint import Finding, LintConfig
    from hindsight.lint.run import LintRun


@app.command(
    argument(
        "targets",
        many=True,
        metavar="PATH|DIR|REF",
        help="Markdown files, directories (searched for .md, .markdown, .md.erb, "
        ".mediawiki) or ids of stored postmortems.",
    ),
    option("--format", "-f", dest="fmt", default="text", help="text, json or sarif."),
    option("--output", "-o", help="Write the report here."),
    flag("--strict", help="Exit 1 on warnings too."),
    option("--select", repeat=True, help="Only these rules: ids, names or prefixes (L, L1, L101)."),
    option("--ignore", repeat=True, help="Leave out these rules."),
    option(
        "--config",
        dest="config_file",
        type=Path,
        help="Read settings from this TOML file instead of searching.",
    ),
    option(
        "--now",
        dest="now_text",
        help="The current time for deadline rules (ISO 8601; default: now).",
    ),
    flag("--statistics", help="Also count findings per rule."),
)
def lint(
    *,
    targets: list[str],
    fmt: str,
    output: str | None,
    strict: bool,
    select: list[str],
    ignore: list[str],
    config_file: Path | None,
    now_text: str | None,
    statistics: bool,
) -> int:
    """Lint postmortems: blameless language, completeness, action items, timeline, process.

    Exit codes: 0 no error-level finding, 1 an error-level finding (or a warning with
    --strict), 2 a usage or configuration error or a file that could not be read.
    Configuration: [tool.hindsight.lint] in pyproject.toml or [lint] in hindsight.toml.
    """
    from hindsight import __version__
    from hindsight.lint.config import read_config
    from hindsight.lint.output import FORMATS, report
    from hindsight.lint.run import lint_files

    if fmt not in FORMATS:
        raise InvalidInput(f"--format: use one of {', '.join(FORMATS)}, not {fmt!r}")
    moment = parse_instant(now_text, option="--now") or now()
    config = read_config(config_file) if config_file is not None else None
    paths = [Path(t) for t in targets if Path(t).exists()]
    refs = [t for t in targets if not Path(t).exists()]
    run = lint_files(paths, now=moment, config=config, select=select, ignore=ignore)
    if refs:
        _lint_stored(refs, run, config=config, select=select, ignore=ignore, moment=moment)
    for problem in run.problems:
        print_error(problem)
    colour = fmt == "text" and output in (None, "-") and _colour()
    text = report(
        run.findings,
        fmt=fmt,
        files=run.files,
        colour=colour,
        show_stats=statistics,
        version=__version__,
    )
    write_output(text, output)
    return _exit_code(run.findings, strict=strict, failed=bool(run.problems))


def _lint_stored(
    refs: list[str],
    run: LintRun,
    *,
    config: LintConfig | None,
    select: list[str],
    ignore: list[str],
    moment: datetime,
) -> None:
    """Lint stored postmortems by id, rendered in their own layout."""
    from hindsight.errors import NotFound
    from hindsight.lint import lint_postmortem, load_config
    from hindsight.service import transaction
    from hindsight.settings import Settings
    from hindsight.store.repository import get_postmortem

    settings = Settings.from_env()
    chosen = (config or load_config(Path.cwd())).with_overrides(select=select, ignore=ignore)
    with transaction(settings) as session:
        for ref in refs:
            try:
                pm = get_postmortem(session=session, ref=ref).postmortem
            except NotFound:
                run.problems.append(f"{ref}: no such file, directory or stored postmortem")
                continue
            layout = pm.layout or settings.default_layout
            run.files += 1
            run.findings.extend(
                lint_postmortem(pm, path=f"{ref}.md", config=chosen, now=moment, layout=layout)
            )


def _colour() -> bool:
    from hindsight.settings import Settings

    return sys.stdout.isatty() and not Settings.from_env().no_color


def _exit_code(findings: list[Finding], *, strict: bool, failed: bool) -> int:
    if failed:
        return 2
    levels = {finding.severity for finding in findings}
    if "error" in levels or (strict and "warning" in levels):
        return 1
    return 0
