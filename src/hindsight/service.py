"""What the CLI and the web app do, one function per action, over the store, model and layouts.

Functions take keywords and a session, raise :mod:`hindsight.errors`, and never commit: the
caller owns the transaction (see :func:`transaction`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from hindsight.errors import Conflict, HindsightError, InvalidInput, NotFound
from hindsight.model import ActionItem, EventKind, Postmortem, TimelineEvent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hindsight.lint import Finding
    from hindsight.settings import Settings
    from hindsight.store.repository import Stored

Outcome = Literal["created", "updated", "unchanged", "failed"]


@contextmanager
def transaction(settings: Settings) -> Iterator[Session]:
    """A session on the configured database, committed when the block ends without error."""
    from hindsight.store.engine import make_engine, make_sessionmaker

    engine = make_engine(settings)
    try:
        with make_sessionmaker(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def _value_error(exc: ValueError | LookupError, *, where: str | None = None) -> HindsightError:
    if isinstance(exc, LookupError):
        return NotFound(str(exc).strip("'\""), where=where)
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        from hindsight.errors import invalid_from_validation

        return invalid_from_validation(exc, where=where)
    return InvalidInput(str(exc), where=where)


# --- creating ---------------------------------------------------------------------------------


def read_details(path: Path) -> Postmortem:
    """A draft postmortem from a YAML or JSON file of incident details."""
    from pydantic import ValidationError

    from hindsight.documents import load_data, read_text
    from hindsight.model.details import IncidentDetails, postmortem_from_details
    from hindsight.text.kinds import classify

    suffix = ".json" if path.suffix.lower() == ".json" else ".yaml"
    data = load_data(read_text(path), suffix=suffix, where=str(path))
    if not isinstance(data, dict):
        raise InvalidInput("expected a mapping of incident details", where=str(path))
    try:
        details = IncidentDetails.model_validate(data)
        return postmortem_from_details(details, classify=lambda text: EventKind(classify(text)))
    except (ValidationError, ValueError) as exc:
        raise _value_error(exc, where=str(path)) from exc


def create(
    *, session: Session, postmortem: Postmortem, settings: Settings, now: datetime
) -> Stored:
    from hindsight.store import repository

    if postmortem.layout is None:
        # A postmortem remembers the layout it is written in, so exports read back unchanged.
        postmortem = postmortem.model_copy(update={"layout": settings.default_layout})
    return repository.create_postmortem(
        session=session,
        postmortem=postmortem,
        author=settings.user,
        now=now,
        id_pattern=settings.id_pattern,
    )


# --- changing ---------------------------------------------------------------------------------


def _save(
    *,
    session: Session,
    ref: str,
    change: Callable[[Postmortem], Postmortem],
    settings: Settings,
    now: datetime,
    message: str,
    base_revision: int | None = None,
) -> Stored:
    from hindsight.store import repository

    stored = repository.get_postmortem(session=session, ref=ref)
    try:
        updated = change(stored.postmortem)
    except (ValueError, LookupError) as exc:
        raise _value_error(exc, where=stored.postmortem.id) from exc
    return repository.save_postmortem(
        session=session,
        postmortem=updated,
        base_revision=stored.revision if base_revision is None else base_revision,
        author=settings.user,
        now=now,
        message=message,
    )


def add_timeline_event(
    *, session: Session, ref: str, event: TimelineEvent, settings: Settings, now: datetime
) -> Stored:
    from hindsight.model.edits import add_event

    return _save(
        session=session,
        ref=ref,
        change=lambda pm: add_event(pm, event),
        settings=settings,
        now=now,
        message=f"timeline: added {event.text[:60]!r}",
    )


def add_action_item(
    *, session: Session, ref: str, item: ActionItem, settings: Settings, now: datetime
) -> Stored:
    from hindsight.model.edits import add_action

    return _save(
        session=session,
        ref=ref,
        change=lambda pm: add_action(pm, item),
        settings=settings,
        now=now,
        message=f"action items: added {item.action[:60]!r}",
    )


def set_action_item(
    *,
    session: Session,
    ref: str,
    action_id: str,
    changes: dict[str, Any],
    settings: Settings,
    now: datetime,
) -> Stored:
    from hindsight.model.edits import update_action

    fields = ", ".join(sorted(k for k, v in changes.items() if v is not None)) or "nothing"
    return _save(
        session=session,
        ref=ref,
        change=lambda pm: update_action(pm, action_id, **changes),
        settings=settings,
        now=now,
        message=f"action {action_id}: set {fields}",
    )


def save_edited_markdown(
    *,
    session: Session,
    ref: str,
    text: str,
    base_revision: int,
    settings: Settings,
    now: datetime,
    where: str,
) -> Stored:
    """Save a Markdown document edited from revision ``base_revision`` as a new revision."""
    from hindsight.layouts.parse import parse_markdown
    from hindsight.model.edits import carry_hidden

    parsed = parse_markdown(text, source=where).postmortem

    def change(stored: Postmortem) -> Postmortem:
        if parsed.id and stored.id and parsed.id != stored.id:
            raise ValueError(f"the id was changed from {stored.id} to {parsed.id}; keep the id")
        merged = carry_hidden(stored, parsed)
        return merged.model_copy(update={"id": stored.id})

    return _save(
        session=session,
        ref=ref,
        change=change,
        settings=settings,
        now=now,
        message="edited",
        base_revision=base_revision,
    )


def change_status(
    *,
    session: Session,
    ref: str,
    to: str,
    settings: Settings,
    now: datetime,
    note: str | None = None,
    override: str | None = None,
    lint_root: Path | None = None,
) -> Stored:
    """Move a postmortem through its review.

    Moving to final runs the linter: error-level findings refuse the move, unless ``override``
    gives a reason, which is then recorded in the status history and the revision.
    """
    from hindsight.model import DocumentStatus
    from hindsight.model.review import ALLOWED, parse_status
    from hindsight.store import repository

    try:
        target = parse_status(to)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    stored = repository.get_postmortem(session=session, ref=ref)
    if target is DocumentStatus.FINAL and target in ALLOWED[stored.postmortem.status]:
        blockers = final_blockers(stored.postmortem, settings=settings, now=now, root=lint_root)
        if blockers and not override:
            first = blockers[0]
            raise Conflict(
                f"{len(blockers)} lint error(s) keep it from final; first: {first.rule} line "
                f"{first.line}: {first.message} (see `hindsight lint {stored.postmortem.id}`, or "
                "give --override REASON)",
                where=stored.postmortem.id,
            )
        if blockers:
            rules = ", ".join(sorted({f.rule for f in blockers}))
            note = f"final despite {len(blockers)} lint error(s) ({rules}): {override}" + (
                f"; {note}" if note else ""
            )
    return repository.transition_status(
        session=session, ref=ref, to=target, author=settings.user, now=now, note=note
    )


def final_blockers(
    postmortem: Postmortem, *, settings: Settings, now: datetime, root: Path | None = None
) -> list[Finding]:
    """The error-level lint findings that keep ``postmortem`` from being final."""
    from hindsight.lint import blocking, lint_postmortem, load_config

    config = load_config(root or Path.cwd())
    findings = lint_postmortem(
        postmortem,
        path=f"{postmortem.id}.md",
        config=config,
        now=now,
        layout=postmortem.layout or settings.default_layout,
    )
    return blocking(findings)


# --- importing and exporting ------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, file by file."""

    outcomes: list[tuple[Path, Outcome, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o, _ in self.outcomes if o == outcome)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def import_files(
    *,
    session_factory: Callable[[], Any],
    paths: Iterable[Path],
    settings: Settings,
    now: datetime,
    progress: Callable[[Path, Outcome], None] | None = None,
) -> ImportReport:
    """Import each file in its own transaction: one bad file neither stops nor spoils the rest.

    Importing is idempotent by id: a file already imported unchanged is ``unchanged``. Two files
    of one run never share an id: a second document that states the same id is refused, and a
    second id made from a file name (``template.md`` in two folders) gets its folder's name.
    """
    from hindsight.documents import load_path
    from hindsight.store import repository

    report = ImportReport()
    seen: dict[str, Path] = {}
    for path in paths:
        outcome: Outcome
        try:
            loaded = load_path(path)
            postmortem = _unique_in_run(loaded.postmortem, path, seen, report)
            with session_factory() as session, session.begin():
                if loaded.is_markdown:
                    postmortem = _with_stored_hidden(session, postmortem)
                stored, outcome = repository.import_postmortem(
                    session=session,
                    postmortem=postmortem,
                    author=settings.user,
                    now=now,
                    id_pattern=settings.id_pattern,
                )
            detail = stored.postmortem.id or ""
        except HindsightError as exc:
            outcome, detail = "failed", str(exc)
        report.outcomes.append((path, outcome, detail))
        if progress is not None:
            progress(path, outcome)
    return report


def _unique_in_run(
    postmortem: Postmortem, path: Path, seen: dict[str, Path], report: ImportReport
) -> Postmortem:
    from hindsight.documents import fallback_id

    pm_id = postmortem.id
    if pm_id is None:
        return postmortem
    if pm_id in seen:
        if pm_id != fallback_id(path):
            raise Conflict(f"states id {pm_id}, which {seen[pm_id]} already has", where=str(path))
        pm_id = fallback_id(path.parent / f"{path.parent.name}-{path.name}") or pm_id
        if pm_id in seen:
            raise Conflict(f"its id {pm_id} is taken by {seen[pm_id]}", where=str(path))
        report.warnings.append(f"{path}: id {postmortem.id} is taken in this import; using {pm_id}")
        postmortem = postmortem.model_copy(update={"id": pm_id})
    seen[pm_id] = path
    return postmortem


def _with_stored_hidden(session: Session, postmortem: Postmortem) -> Postmortem:
    """A Markdown document for a stored id keeps what Markdown cannot show (event kinds and
    sources, action trackers), as an edit does; a new id is taken as it is."""
    from hindsight.model.edits import carry_hidden
    from hindsight.store import repository

    if postmortem.id is None:
        return postmortem
    try:
        stored = repository.get_postmortem(session=session, ref=postmortem.id)
    except NotFound:
        return postmortem
    return carry_hidden(stored.postmortem, postmortem)


def export_all(
    *,
    session: Session,
    directory: Path,
    fmt: str,
    layout: str,
    settings: Settings,
) -> list[Path]:
    """Write every stored postmortem to ``directory/ID.<ext>``; returns the files written."""
    from hindsight.documents import dump
    from hindsight.store import repository

    extension = {"md": ".md", "json": ".json", "yaml": ".yaml", "html": ".html"}.get(fmt)
    if extension is None:
        raise InvalidInput(f"unknown format {fmt!r}; use md, json, yaml or html")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {directory}: {exc.strerror}") from exc
    written = []
    for stored in repository.list_postmortems(session=session):
        pm = stored.postmortem
        text = dump(
            pm,
            fmt=fmt,
            layout=pm.layout or layout,
            scheme=settings.severity_scheme,
            layouts_dir=settings.layouts_dir,
        )
        target = directory / f"{pm.id}{extension}"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
