"""Run the ``hindsight`` command in this process, as a shell would, and capture what it prints."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

from hindsight.cli import main


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """``hindsight ARGS`` with ``input`` on stdin: the exit code, stdout and stderr."""
    out_bytes = io.BytesIO()
    # Text and bytes (the calendar writes bytes) land in one buffer, in the order written.
    stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    stderr = io.StringIO()
    stdin = io.StringIO(input or "")
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        code = main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    stdout.flush()
    return code, out_bytes.getvalue().decode("utf-8"), stderr.getvalue()


def run_json(*args: str) -> Any:
    """``hindsight ARGS --json``, which must succeed: the JSON it printed."""
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)
