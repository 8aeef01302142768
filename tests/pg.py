"""A throwaway PostgreSQL server for the test run.

:func:`start_server` finds ``initdb`` and ``pg_ctl`` (on ``PATH`` or in
``/usr/lib/postgresql/*/bin``), creates a cluster in a temporary directory, and starts it on a
free port of 127.0.0.1 with its unix socket in that directory. As root, the server runs as the
``postgres`` user (PostgreSQL refuses to run as root). Durability is turned off: the data dies
with the run anyway, and tests go several times faster.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

PREFIX = "hindsight-pg-"
SUPERUSER = "hindsight"
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=50"
)


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be found or started; the message says why."""


@dataclass
class PostgresServer:
    """A server this process started; :meth:`stop` removes it and its data."""

    bin_dir: Path
    base_dir: Path
    port: int
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _run(self, "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base_dir, ignore_errors=True)


def find_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``, newest version first."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in [*candidates, *versions]:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    raise PostgresUnavailable(
        "initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin; "
        "install the PostgreSQL server (apt-get install postgresql)"
    )


def start_server(attempts: int = 3) -> PostgresServer:
    """A new, started server; raises :class:`PostgresUnavailable` with the reason."""
    bin_dir = find_bin_dir()
    run_as = _server_user()
    reap_orphans(bin_dir=bin_dir, run_as=run_as)
    # Short and outside pytest's private tmp: the socket path has a length limit, and the
    # postgres user must be able to reach the directory.
    base_dir = Path(tempfile.mkdtemp(prefix=PREFIX))
    (base_dir / "owner").write_text(str(os.getpid()))
    server = PostgresServer(bin_dir=bin_dir, base_dir=base_dir, port=0, run_as=run_as)
    try:
        if run_as is not None:
            shutil.chown(base_dir, user=run_as)
        _initdb(server)
        for _ in range(attempts):
            server.port = _free_port()
            if _pg_ctl_start(server):
                return server
        raise PostgresUnavailable(f"the server did not start: {_log_tail(server)}")
    except BaseException:
        server.stop()
        raise


def reap_orphans(*, bin_dir: Path, run_as: str | None) -> None:
    """Stop the servers of earlier runs that were killed before they could stop them.

    Only servers whose owning process is gone: other test runs on this machine keep theirs.
    """
    for base_dir in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((base_dir / "owner").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        PostgresServer(bin_dir=bin_dir, base_dir=base_dir, port=0, run_as=run_as).stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root, and there is no 'postgres' user to run the server as"
        ) from None
    return "postgres"


def _run(server: PostgresServer, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(server.bin_dir / tool), *args]
    if server.run_as is not None:
        command = ["runuser", "-u", server.run_as, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _initdb(server: PostgresServer) -> None:
    done = _run(
        server,
        "initdb",
        "-D",
        str(server.data_dir),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--no-locale",
        "--no-sync",
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise PostgresUnavailable(f"initdb failed: {reason[-1] if reason else done.returncode}")


def _pg_ctl_start(server: PostgresServer) -> bool:
    options = f"{SERVER_OPTIONS} -p {server.port} -k {server.base_dir}"
    done = _run(
        server,
        "pg_ctl",
        "-D",
        str(server.data_dir),
        "-l",
        str(server.base_dir / "server.log"),
        "-o",
        options,
        "-w",
        "-t",
        "30",
        "start",
    )
    return done.returncode == 0


def _log_tail(server: PostgresServer) -> str:
    try:
        lines = (server.base_dir / "server.log").read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no server log"
    return " | ".join(lines[-3:]) or "empty server log"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- databases ----------------------------------------------------------------------------------


class Databases:
    """Hands each test an empty database, and empties it again afterwards.

    The database is the one in ``url`` (its user needs CREATE on it); each test gets a schema of
    its own, named in the URL's ``search_path``, so that it sees nothing but its own tables. A
    schema is made and dropped in milliseconds, where a new database takes a quarter second.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        try:
            self._connection = psycopg.connect(_conninfo(self.url), autocommit=True)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()
            raise PostgresUnavailable(
                f"cannot connect to {self.url.render_as_string(hide_password=True)}: "
                f"{reason[0] if reason else type(exc).__name__}"
            ) from exc
        # A test that forgot to close a connection would otherwise hang the DROP for ever.
        self._connection.execute("SET lock_timeout = '10s'")

    @contextlib.contextmanager
    def fresh(self) -> Iterator[str]:
        """The URL of an empty database (a new schema first on the search path), dropped after."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self._connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        try:
            url = self.url.update_query_dict({"options": f"-csearch_path={name}"})
            yield url.render_as_string(hide_password=False)
        finally:
            self._connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
            )

    def close(self) -> None:
        self._connection.close()


def create_database(server: PostgresServer, name: str) -> str:
    """Create database ``name`` on ``server``; returns its URL."""
    try:
        with psycopg.connect(_conninfo(make_url(server.url())), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise PostgresUnavailable(f"cannot create database {name}: {exc}") from exc
    return server.url(name)


def _conninfo(url: URL) -> str:
    """A libpq connection string from a SQLAlchemy URL (``postgresql+psycopg://...``)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
