"""Every setting Hindsight reads from the environment, read here and nowhere else.

=============================  ==========================================================
variable                       meaning (default)
=============================  ==========================================================
``HINDSIGHT_DATABASE_URL``     SQLAlchemy URL; PostgreSQL for teams
                               (``sqlite:///<data dir>/hindsight.db``)
``HINDSIGHT_DATA_DIR``         where the SQLite file lives
                               (``$XDG_DATA_HOME/hindsight`` or ``~/.local/share/hindsight``)
``HINDSIGHT_SEVERITY_SCHEME``  how severities are shown: ``sev``, ``p`` or ``words`` (``sev``)
``HINDSIGHT_ID_PATTERN``       pattern for new ids (``INC-{date:%Y-%m-%d}-{seq:03d}``)
``HINDSIGHT_LAYOUT``           layout used when none is named (``sre``)
``HINDSIGHT_LAYOUTS_DIR``      a directory of custom Jinja2 layouts (none)
``HINDSIGHT_USER``             who revisions are recorded as (``$USER``, else ``unknown``)
``EDITOR`` / ``VISUAL``        the editor ``hindsight edit`` opens (``vi``)
``HINDSIGHT_DUE_POLICY``       due dates by priority or severity, e.g. ``P0=14,SEV-1=7`` (days;
                               ``P0=14,P1=30,P2=60,P3=90``)
``NO_COLOR``                   any value turns off colour in terminal output
=============================  ==========================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hindsight.errors import InvalidInput

SEVERITY_SCHEMES = ("sev", "p", "words")
DEFAULT_ID_PATTERN = "INC-{date:%Y-%m-%d}-{seq:03d}"


def _default_data_dir(env: Mapping[str, str]) -> Path:
    if env.get("HINDSIGHT_DATA_DIR"):
        return Path(env["HINDSIGHT_DATA_DIR"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "hindsight"


@dataclass(frozen=True)
class Settings:
    """What Hindsight is configured with; build one with :meth:`from_env` or by hand in tests."""

    data_dir: Path
    database_url: str
    severity_scheme: str = "sev"
    id_pattern: str = DEFAULT_ID_PATTERN
    default_layout: str = "sre"
    layouts_dir: Path | None = None
    user: str = "unknown"
    editor: str = "vi"
    no_color: bool = False
    due_policy: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = _default_data_dir(env)
        database_url = env.get("HINDSIGHT_DATABASE_URL") or f"sqlite:///{data_dir / 'hindsight.db'}"
        scheme = env.get("HINDSIGHT_SEVERITY_SCHEME", "sev").strip().lower() or "sev"
        if scheme not in SEVERITY_SCHEMES:
            raise InvalidInput(
                f"unknown severity scheme {scheme!r}; use one of {', '.join(SEVERITY_SCHEMES)}",
                where="HINDSIGHT_SEVERITY_SCHEME",
            )
        layouts_dir = env.get("HINDSIGHT_LAYOUTS_DIR")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            severity_scheme=scheme,
            id_pattern=env.get("HINDSIGHT_ID_PATTERN") or DEFAULT_ID_PATTERN,
            default_layout=env.get("HINDSIGHT_LAYOUT") or "sre",
            layouts_dir=Path(layouts_dir).expanduser() if layouts_dir else None,
            user=env.get("HINDSIGHT_USER") or env.get("USER") or "unknown",
            editor=env.get("VISUAL") or env.get("EDITOR") or "vi",
            no_color=bool(env.get("NO_COLOR")),
            due_policy=env.get("HINDSIGHT_DUE_POLICY") or None,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
