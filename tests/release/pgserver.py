"""A throw-away PostgreSQL server for the sql driver's tests.

It runs the distribution's ``initdb``/``pg_ctl`` (installing the ``postgresql`` package with
apt-get when absent and running as root, as on CI) in a temporary directory, listening on a
free loopback port with its socket in that directory, as a non-root user (PostgreSQL refuses
to run as root).  :func:`start` returns the server or raises :class:`Unavailable` saying why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_TIMEOUT = 900
START_TIMEOUT = 60


class Unavailable(Exception):
    """No PostgreSQL could be started here; ``str()`` says why."""


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` with initdb, else initdb on PATH."""
    cands = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")],
    )
    if cands:
        return Path(cands[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def install() -> None:
    """apt-get install postgresql (non-interactive, bounded), as root only."""
    if os.geteuid() != 0:
        raise Unavailable("PostgreSQL is not installed and installing it needs root")
    if not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL is not installed and there is no apt-get to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"]
    try:
        if subprocess.run(cmd, env=env, capture_output=True, timeout=INSTALL_TIMEOUT).returncode:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True,
                           timeout=INSTALL_TIMEOUT)
            done = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT)
            if done.returncode:
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
                raise Unavailable("apt-get install postgresql failed: " + " ".join(tail))
    except subprocess.TimeoutExpired:
        raise Unavailable(f"apt-get install postgresql took over {INSTALL_TIMEOUT} s") from None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that drops root (``runuser -u postgres --``), and that user."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], user
    raise Unavailable("running as root and there is no postgres or nobody user to run as")


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.prefix, user = _run_as_user()
        self.dir = Path(tempfile.mkdtemp(prefix="kelm-pg-"))
        if user is not None:
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres"
        self.started = False

    def _run(self, *args: str, timeout: float = START_TIMEOUT) -> None:
        done = subprocess.run([*self.prefix, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.dir)
        if done.returncode:
            log = self.dir / "server.log"
            extra = log.read_text(errors="replace")[-500:] if log.exists() else ""
            raise Unavailable(f"{Path(args[0]).name} failed: {done.stderr.strip()} {extra}".strip())

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user,
                  "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c full_page_writes=off -c synchronous_commit=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.dir / "server.log"), "-o", opts, "-w", "-t", str(START_TIMEOUT),
                  "start")
        self.started = True

    def stop(self) -> None:
        if self.started:
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                          "-w", "stop")
            except (Unavailable, subprocess.TimeoutExpired):
                pass
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def conninfo(self, dbname: str = "postgres") -> str:
        """A lib/pq and libpq connection string (TCP on loopback, no TLS)."""
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={dbname} sslmode=disable"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.conninfo(name)


def start() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        install()
        bindir = find_bindir()
        if bindir is None:
            raise Unavailable("apt-get installed postgresql but no initdb was found")
    server = PostgresServer(bindir)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
