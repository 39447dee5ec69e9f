"""Fixtures of the release storage tests: a real PostgreSQL server for the sql driver."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.release import pgserver

_db_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.PostgresServer]:
    """One server for the session; under CI=true failing to get one is a failure."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    try:
        server = pgserver.start()
    except (pgserver.Unavailable, OSError, subprocess.TimeoutExpired) as e:
        _unavailable(str(e))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_conninfo(postgres: pgserver.PostgresServer) -> str:
    """A connection string to a new, empty database."""
    return postgres.create_database(f"kelm_t{next(_db_names)}")


def _unavailable(why: str) -> None:
    msg = f"no PostgreSQL for the sql driver tests: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)
