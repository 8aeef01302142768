"""The shared corpus must be there: a missing corpus fails the source tests loudly."""

from __future__ import annotations

import pytest

from .places import PAYLOADS


@pytest.fixture(autouse=True)
def _corpus_present() -> None:
    if not PAYLOADS.is_dir():
        pytest.fail(f"the shared corpus is missing: {PAYLOADS}", pytrace=False)
