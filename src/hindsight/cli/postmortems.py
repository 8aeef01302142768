"""Commands on stored postmortems: new, show, list, edit, import, export, status, history, info."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hindsight.cli._app import app, argument, flag, option, print_error
from hindsight.cli._common import (
    INCIDENT_FILTERS,
    JSON_OPTION,
    console,
    echo,
    now,
    parse_date,
    print_json,
    print_table,
    session_for,
    settings,
    write_output,
)
from hindsight.errors import InvalidInput

if TYPE_CHECKING:
    from hindsight.model import Postmortem
    from hindsight.store.repository import Stored

REF = argument("ref", help="Postmortem id, such as INC-2026-10-14-001.")


def _summary(stored: Stored) -> dict[str, Any]:
    pm = stored.postmortem
    return {
        "id": pm.id,
        "title": pm.title,
        "status": pm.status.value,
        "severity": pm.severity.label() if pm.severity else None,
        "date": pm.incident_date.isoformat() if pm.incident_date else None,
        "services": pm.services,
        "revision": stored.revision,
        "updated_at": stored.updated_at.isoformat(),
        "updated_by": stored.updated_by,
    }


def _from_flags(
    title: str | None,
    severity: str | None,
    services: list[str],
    day: str | None,
    summary: str | None,
) -> Postmortem:
    from pydantic import ValidationError

    from hindsight.errors import invalid_from_validation
    from hindsight.model import Postmortem

    try:
        return Postmortem(
            title=title or "",
            severity=severity,
            services=services,
            date=parse_date(day, option="--date"),
            summary=summary,
        )
    except ValidationError as exc:
        raise invalid_from_validation(exc) from exc


@app.command(
    option("--title", "-t", help="Title of the incident."),
    option("--severity", "-s", help="SEV-2, P1, High..."),
    option("--service", dest="services", repeat=True, help="A service affected (repeatable)."),
    option("--date", dest="day", help="Incident date, YYYY-MM-DD."),
    option("--summary", help="One-line summary."),
    option(
        "--from",
        dest="details",
        type=Path,
        help="YAML or JSON file of incident details to draft from.",
    ),
    option("--layout", "-l", help="Layout to print it in."),
    flag("--show", help="Print the new postmortem in its layout."),
    JSON_OPTION,
)
def new(
    *,
    title: str | None,
    severity: str | None,
    services: list[str],
    day: str | None,
    summary: str | None,
    details: Path | None,
    layout: str | None,
    show: bool,
    as_json: bool,
) -> None:
    """Create a postmortem: from flags, from a file of incident details, or blank."""
    from hindsight import service

    config = settings()
    if details is not None:
        postmortem = service.read_details(details)
    else:
        postmortem = _from_flags(title, severity, services, day, summary)
    if layout:
        postmortem = postmortem.model_copy(update={"layout": layout})
    with session_for(config) as session:
        stored = service.create(session=session, postmortem=postmortem, settings=config, now=now())
    if as_json:
        print_json(stored.postmortem.model_dump(mode="json"))
        return
    echo(f"created {stored.postmortem.id} (revision {stored.revision})", err=True)
    if show:
        _print_document(stored.postmortem, layout=layout, fmt="md")
    else:
        echo(stored.postmortem.id)


def _print_document(postmortem: Postmortem, *, layout: str | None, fmt: str) -> None:
    from hindsight.documents import dump

    config = settings()
    text = dump(
        postmortem,
        fmt=fmt,
        layout=layout or postmortem.layout or config.default_layout,
        scheme=config.severity_scheme,
        layouts_dir=config.layouts_dir,
    )
    sys.stdout.write(text)


@app.command(
    REF,
    option("--layout", "-l", help="Layout to print it in."),
    option("--format", "-f", dest="fmt", default="md", help="md, html, json or yaml."),
    option("--revision", "-r", type=int, help="An older revision."),
    JSON_OPTION,
)
def show(*, ref: str, layout: str | None, fmt: str, revision: int | None, as_json: bool) -> None:
    """Print a stored postmortem in a layout, or as JSON."""
    from hindsight.store import repository

    with session_for(settings()) as session:
        if revision is None:
            postmortem = repository.get_postmortem(session=session, ref=ref).postmortem
        else:
            postmortem = repository.get_revision(session=session, ref=ref, number=revision)
    _print_document(postmortem, layout=layout, fmt="json" if as_json else fmt)


@app.command(
    *INCIDENT_FILTERS,
    option("--limit", "-n", type=int, minimum=1, help="At most this many."),
    JSON_OPTION,
    name="list",
)
def list_(
    *,
    status: str | None,
    severity: str | None,
    service: str | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored postmortems, newest incident first."""
    from hindsight.model import Severity
    from hindsight.model.review import parse_status
    from hindsight.store import repository

    try:
        wanted_status = parse_status(status) if status else None
        wanted_severity = Severity.parse(severity) if severity else None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    config = settings()
    with session_for(config) as session:
        found = repository.list_postmortems(
            session=session,
            status=wanted_status,
            severity=wanted_severity,
            service=service,
            tag=tag,
            since=parse_date(since, option="--since"),
            until=parse_date(until, option="--until"),
            limit=limit,
        )
    rows = [_summary(stored) for stored in found]
    if as_json:
        print_json(rows)
        return
    scheme = config.severity_scheme
    table_rows = [
        (
            s.postmortem.id,
            r["date"],
            s.postmortem.severity.label(scheme) if s.postmortem.severity else "",
            r["status"],
            r["title"],
        )
        for s, r in zip(found, rows, strict=True)
    ]
    print_table(None, ("id", "date", "severity", "status", "title"), table_rows)


@app.command(REF, option("--layout", "-l", help="Layout to edit it in."))
def edit(*, ref: str, layout: str | None) -> None:
    """Open the postmortem in $EDITOR as Markdown and save the result as a new revision.

    If someone saved a newer revision meanwhile, nothing is overwritten: your text is kept in a
    file and the command says where.
    """
    import shlex
    import subprocess
    import tempfile

    from hindsight import service
    from hindsight.documents import dump
    from hindsight.errors import HindsightError
    from hindsight.store import repository

    config = settings()
    with session_for(config) as session:
        stored = repository.get_postmortem(session=session, ref=ref)
    pm = stored.postmortem
    text = dump(
        pm,
        fmt="md",
        layout=layout or pm.layout or config.default_layout,
        scheme=config.severity_scheme,
        layouts_dir=config.layouts_dir,
    )
    with tempfile.NamedTemporaryFile(
        "w", suffix=".md", prefix=f"{pm.id}-", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
        path = Path(handle.name)
    try:
        subprocess.run([*shlex.split(config.editor), str(path)], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InvalidInput(f"the editor {config.editor!r} failed ({exc}); kept {path}") from exc
    edited = path.read_text(encoding="utf-8")
    if edited == text:
        path.unlink()
        echo(f"{pm.id}: no changes", err=True)
        return
    try:
        with session_for(config) as session:
            saved = service.save_edited_markdown(
                session=session,
                ref=ref,
                text=edited,
                base_revision=stored.revision,
                settings=config,
                now=now(),
                where=str(path),
            )
    except HindsightError as exc:
        exc.message = f"{exc.message} (your edit is kept in {path})"
        raise
    path.unlink()
    echo(f"saved {saved.postmortem.id} revision {saved.revision}", err=True)


@app.command(
    argument("paths", type=Path, many=True, help="Files or directories of postmortems."),
    JSON_OPTION,
    name="import",
)
def import_(*, paths: list[Path], as_json: bool) -> int:
    """Import Markdown, JSON or YAML postmortems; idempotent by id.

    Each file is imported on its own: a bad file is reported and the rest go in. The exit code
    is 2 when any file failed.
    """
    from rich.progress import Progress

    from hindsight import service
    from hindsight.documents import iter_documents
    from hindsight.store.engine import make_engine, make_sessionmaker

    config = settings()
    files = list(iter_documents(paths))
    engine = make_engine(config)
    try:
        factory = make_sessionmaker(engine)
        with Progress(console=console(stderr=True), transient=True) as bar:
            task = bar.add_task("importing", total=len(files))
            report = service.import_files(
                session_factory=factory,
                paths=files,
                settings=config,
                now=now(),
                progress=lambda _path, _outcome: bar.advance(task),
            )
    finally:
        engine.dispose()
    if as_json:
        print_json([{"path": str(p), "outcome": o, "detail": d} for p, o, d in report.outcomes])
    else:
        for warning in report.warnings:
            echo(f"hindsight: warning: {warning}", err=True)
        for _path, outcome, detail in report.outcomes:
            if outcome == "failed":
                print_error(detail)
        counts = ", ".join(
            f"{report.count(o)} {o}" for o in ("created", "updated", "unchanged", "failed")
        )
        echo(f"imported {len(files)} files: {counts}")
    return 2 if report.failed else 0


@app.command(
    option(
        "--dir", "-d", dest="directory", type=Path, required=True, help="Directory to write into."
    ),
    option("--format", "-f", dest="fmt", default="md", help="md, json, yaml or html."),
    option("--layout", "-l", help="Layout for Markdown."),
)
def export(*, directory: Path, fmt: str, layout: str | None) -> None:
    """Write every stored postmortem to a directory, one file each (ID.md)."""
    from hindsight import service

    config = settings()
    with session_for(config) as session:
        written = service.export_all(
            session=session,
            directory=directory,
            fmt=fmt,
            layout=layout or config.default_layout,
            settings=config,
        )
    echo(f"wrote {len(written)} files to {directory}")


@app.command(
    REF,
    argument("to", help="draft, in_review or final."),
    option("--note", help="Why, recorded in the history."),
    option(
        "--override",
        help="Reason to go final despite lint errors; recorded in the history and revision.",
    ),
    JSON_OPTION,
)
def status(*, ref: str, to: str, note: str | None, override: str | None, as_json: bool) -> None:
    """Move a postmortem through its review: draft -> in_review -> final (and back).

    Going final runs `hindsight lint` on it and is refused while error-level findings remain,
    unless --override gives a reason.
    """
    from hindsight import service

    config = settings()
    with session_for(config) as session:
        stored = service.change_status(
            session=session,
            ref=ref,
            to=to,
            settings=config,
            now=now(),
            note=note,
            override=override,
        )
    if as_json:
        print_json(_summary(stored))
    else:
        echo(f"{stored.postmortem.id} is now {stored.postmortem.status.value}")


@app.command(
    REF,
    option(
        "--diff",
        type=int,
        nargs=2,
        metavar="OLD NEW",
        help="Show what changed between two revisions: --diff 1 3.",
    ),
    JSON_OPTION,
)
def history(*, ref: str, diff: list[int] | None, as_json: bool) -> None:
    """List a postmortem's revisions (who, when, what), or diff two of them."""
    from hindsight.store import repository

    with session_for(settings()) as session:
        if diff is not None:
            from hindsight.store.diff import diff_text

            old = repository.get_revision(session=session, ref=ref, number=diff[0])
            new_ = repository.get_revision(session=session, ref=ref, number=diff[1])
            write_output(
                diff_text(old, new_, old_label=f"{ref}@{diff[0]}", new_label=f"{ref}@{diff[1]}"),
                None,
            )
            return
        revisions = repository.list_revisions(session=session, ref=ref)
    if as_json:
        print_json(
            [
                {
                    "revision": r.number,
                    "author": r.author,
                    "created_at": r.created_at.isoformat(),
                    "message": r.message,
                    "changes": r.changes,
                }
                for r in revisions
            ]
        )
        return
    rows = [
        (
            r.number,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            r.author,
            r.message or "",
            ", ".join(r.changes[:6]) + (" …" if len(r.changes) > 6 else ""),
        )
        for r in revisions
    ]
    print_table(ref, ("rev", "when (UTC)", "who", "message", "changed"), rows)


@app.command(JSON_OPTION)
def info(*, as_json: bool) -> None:
    """Show the version, where data is stored and how Hindsight is configured."""
    from hindsight import __version__

    config = settings()
    data: dict[str, Any] = {
        "version": __version__,
        "database_url": _redact(config.database_url),
        "database": "sqlite" if config.is_sqlite else "postgresql",
        "sqlite_file": config.database_url.removeprefix("sqlite:///") if config.is_sqlite else None,
        "data_dir": str(config.data_dir),
        "default_layout": config.default_layout,
        "layouts_dir": str(config.layouts_dir) if config.layouts_dir else None,
        "severity_scheme": config.severity_scheme,
        "id_pattern": config.id_pattern,
        "user": config.user,
    }
    if as_json:
        print_json(data)
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        echo(f"{key.ljust(width)}  {'' if value is None else value}")


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    import re

    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)
