"""The postmortems to analyse: every stored one, or the documents in folders (``--from DIR``).

One function, :func:`collect`, serves every insight command on both paths, so that each runs
on a folder of Markdown postmortems without a database.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hindsight.errors import HindsightError, InvalidInput, NotFound

if TYPE_CHECKING:
    from hindsight.model import Postmortem
    from hindsight.settings import Settings


@dataclass
class Collection:
    """Postmortems, where they came from, and the files that could not be read (with why)."""

    postmortems: list[Postmortem]
    source: str
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def find(self, ref: str) -> Postmortem:
        """The postmortem with id ``ref``: exactly, else the only one that matches ignoring
        case."""
        ref = ref.strip()
        exact = [pm for pm in self.postmortems if pm.id == ref]
        if exact:
            return exact[0]
        loose = [pm for pm in self.postmortems if (pm.id or "").lower() == ref.lower()]
        if len(loose) == 1:
            return loose[0]
        if loose:
            raise InvalidInput(f"{ref!r} matches several postmortems when case is ignored")
        raise NotFound(f"no postmortem {ref!r} in {self.source}")


def collect(*, settings: Settings, from_paths: Sequence[Path] | None = None) -> Collection:
    """Every stored postmortem, or, when ``from_paths`` names files or folders, the postmortem
    documents in them (Markdown in any layout, JSON or YAML). No database is opened then."""
    if from_paths:
        return _from_files(from_paths)
    from hindsight.service import transaction
    from hindsight.store import repository

    with transaction(settings) as session, gc_paused():
        stored = repository.list_postmortems(session=session)
    return Collection([s.postmortem for s in stored], "the store")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block, for reading many postmortems at once.

    Reading builds hundreds of thousands of objects that all outlive the block; every few
    thousand of them the collector walks everything built so far and finds nothing to free.
    That walking was more than half the time of reading 10,000 stored postmortems. Cycles made
    in the block are freed by the next collection after it.
    """
    if not gc.isenabled():  # Paused already (an outer block, or the application).
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _from_files(paths: Sequence[Path]) -> Collection:
    from hindsight.documents import iter_documents, load_path

    found: list[Postmortem] = []
    skipped: list[tuple[Path, str]] = []
    for path in iter_documents(paths):
        try:
            found.append(load_path(path).postmortem)
        except HindsightError as exc:
            skipped.append((path, exc.message))
    names = ", ".join(str(p) for p in paths)
    if not found:
        reason = f" ({len(skipped)} could not be read)" if skipped else ""
        raise NotFound(f"no postmortem documents in {names}{reason}")
    return Collection(found, names, skipped)
