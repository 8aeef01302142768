"""Where the source tests find their inputs: the shared corpus of real payloads (read in place,
never copied here), and the hand-written notes and incident files next to these tests."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
PAYLOADS = CORPUS / "payloads"
SLACK_ARCHIVE = PAYLOADS / "slack_export" / "hfaran-slack-export-viewer-testarchive"
NOTES = HERE / "notes"
INCIDENT = HERE / "incident"
DATA = HERE / "data"
