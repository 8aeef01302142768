"""The review of a postmortem document: draft, in review, final, and back.

Pure functions over the model; the caller supplies the clock and who acts.
"""

from __future__ import annotations

from datetime import datetime

from hindsight.model.postmortem import DocumentStatus, Postmortem, StatusChange

ALLOWED: dict[DocumentStatus, frozenset[DocumentStatus]] = {
    DocumentStatus.DRAFT: frozenset({DocumentStatus.IN_REVIEW}),
    DocumentStatus.IN_REVIEW: frozenset({DocumentStatus.DRAFT, DocumentStatus.FINAL}),
    # Reopening a final postmortem sends it back to review, never straight to draft.
    DocumentStatus.FINAL: frozenset({DocumentStatus.IN_REVIEW}),
}


def parse_status(value: str) -> DocumentStatus:
    """Read ``draft``, ``in review``, ``in-review``, ``Under Review``, ``final`` and the like."""
    cleaned = value.strip().strip("[]*_").strip().lower().replace("-", " ").replace("_", " ")
    aliases = {
        "draft": DocumentStatus.DRAFT,
        "in review": DocumentStatus.IN_REVIEW,
        "under review": DocumentStatus.IN_REVIEW,
        "review": DocumentStatus.IN_REVIEW,
        "reviewing": DocumentStatus.IN_REVIEW,
        "final": DocumentStatus.FINAL,
        "finalised": DocumentStatus.FINAL,
        "finalized": DocumentStatus.FINAL,
        "published": DocumentStatus.FINAL,
        "complete": DocumentStatus.FINAL,
        "completed": DocumentStatus.FINAL,
    }
    if cleaned in aliases:
        return aliases[cleaned]
    raise ValueError(f"unknown status {value!r}; use draft, in_review or final")


def transition(
    postmortem: Postmortem,
    to: DocumentStatus,
    *,
    at: datetime,
    by: str | None = None,
    note: str | None = None,
) -> Postmortem:
    """A copy of ``postmortem`` moved to status ``to``, with the change in its history.

    Raises ``ValueError`` for a move the review does not allow (such as draft straight to final).
    Moving to final records ``postmortem_completed_at`` unless it is already known; the first
    move out of draft records ``postmortem_started_at`` the same way.
    """
    current = postmortem.status
    if to is current:
        raise ValueError(f"the postmortem is already {current.value}")
    if to not in ALLOWED[current]:
        allowed = ", ".join(sorted(status.value for status in ALLOWED[current]))
        raise ValueError(f"cannot move from {current.value} to {to.value}; from here: {allowed}")
    milestones = postmortem.milestones
    if milestones.postmortem_started_at is None:
        milestones = milestones.replace(postmortem_started_at=at)
    if to is DocumentStatus.FINAL and milestones.postmortem_completed_at is None:
        milestones = milestones.replace(postmortem_completed_at=at)
    change = StatusChange(status=to, at=at, by=by, note=note)
    return postmortem.model_copy(
        update={
            "status": to,
            "status_history": [*postmortem.status_history, change],
            "milestones": milestones,
        },
        deep=True,
    )
