"""Helm's ``sql`` driver for PostgreSQL: the tables and migrations Helm's SQL driver uses.

``releases_v1`` holds one row per revision (key, type, base64(gzip(JSON)) body, name,
namespace, version, status, owner, createdAt, modifiedAt; primary key (key, namespace)) and
``custom_labels_v1`` the release's own labels.  The schema is created by two migrations
(``init``, ``custom_labels``) recorded in ``gorp_migrations`` as Helm's migration library
records them, so a database kelm set up is one Helm uses as it is, and the other way round.
Every write runs in one transaction: a record is stored whole or not at all.

Needs ``psycopg`` (``pip install 'kelm[sql]'``), imported only when the driver is used.
"""

from __future__ import annotations

import builtins
import time
from typing import TYPE_CHECKING, Any

from kelm.release.errors import ReleaseExists, ReleaseNotFound, StorageError, go_quote
from kelm.release.labels import (
    OWNER,
    RELEASE_TYPE,
    SYSTEM_LABELS,
    filter_system_labels,
    system_labels,
)
from kelm.release.model import Release, ReleaseDecodeError

if TYPE_CHECKING:
    from collections.abc import Callable

RELEASES = "releases_v1"
CUSTOM_LABELS = "custom_labels_v1"
MIGRATIONS_TABLE = "gorp_migrations"
DEFAULT_NAMESPACE = "default"

# Unquoted identifiers, as Helm writes them (PostgreSQL folds createdAt to createdat).
MIGRATIONS = (
    (
        "init",
        f"""
CREATE TABLE {RELEASES} (
    key VARCHAR(90),
    type VARCHAR(64) NOT NULL,
    body TEXT NOT NULL,
    name VARCHAR(64) NOT NULL,
    namespace VARCHAR(64) NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    createdAt INTEGER NOT NULL,
    modifiedAt INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(key, namespace)
);
CREATE INDEX ON {RELEASES} (key, namespace);
CREATE INDEX ON {RELEASES} (version);
CREATE INDEX ON {RELEASES} (status);
CREATE INDEX ON {RELEASES} (owner);
CREATE INDEX ON {RELEASES} (createdAt);
CREATE INDEX ON {RELEASES} (modifiedAt);
GRANT ALL ON {RELEASES} TO PUBLIC;
ALTER TABLE {RELEASES} ENABLE ROW LEVEL SECURITY;
""",
    ),
    (
        "custom_labels",
        f"""
CREATE TABLE {CUSTOM_LABELS} (
    releaseKey VARCHAR(64),
    releaseNamespace VARCHAR(67),
    key VARCHAR({253 + 1 + 63}),
    value VARCHAR(63)
);
CREATE INDEX ON {CUSTOM_LABELS} (releaseKey, releaseNamespace);
GRANT ALL ON {CUSTOM_LABELS} TO PUBLIC;
ALTER TABLE {CUSTOM_LABELS} ENABLE ROW LEVEL SECURITY;
""",
    ),
)
# the bookkeeping table of Helm's migration library (gorp's PostgreSQL types)
MIGRATIONS_DDL = (
    f'CREATE TABLE IF NOT EXISTS "{MIGRATIONS_TABLE}" '
    '("id" text not null primary key, "applied_at" timestamp with time zone)'
)
QUERY_LABELS = frozenset(SYSTEM_LABELS)


def lib_pq_conninfo(conn: str) -> str:
    """The connection string as lib/pq (Helm's client) reads it: lib/pq requires TLS unless
    ``sslmode`` says otherwise, where libpq would only prefer it."""
    import os

    if "sslmode" in conn or os.environ.get("PGSSLMODE"):
        return conn
    if conn.startswith(("postgres://", "postgresql://")):
        return conn + ("&" if "?" in conn else "?") + "sslmode=require"
    return (conn + " sslmode=require").strip()


class SQLDriver:
    name = "SQL"

    def __init__(self, connection_string: str, namespace: str = DEFAULT_NAMESPACE) -> None:
        try:
            import psycopg
        except ImportError:
            raise StorageError(
                "unable to instantiate SQL driver: the sql driver needs psycopg "
                "(pip install 'kelm[sql]')"
            ) from None
        self._psycopg = psycopg
        try:
            self.db = psycopg.connect(lib_pq_conninfo(connection_string), autocommit=True,
                                      connect_timeout=10)
        except psycopg.Error as e:
            raise StorageError(f"unable to instantiate SQL driver: {_one_line(e)}") from None
        self.namespace = namespace
        try:
            self.ensure_db_setup()
        except psycopg.Error as e:
            self.db.close()
            raise StorageError(f"unable to instantiate SQL driver: {_one_line(e)}") from None

    def close(self) -> None:
        self.db.close()

    # ---- schema

    def applied_migrations(self) -> set[str]:
        exists = self.db.execute("SELECT to_regclass(%s)", (MIGRATIONS_TABLE,)).fetchone()
        if not exists or exists[0] is None:
            return set()
        return {r[0] for r in self.db.execute(f'SELECT id FROM "{MIGRATIONS_TABLE}"')}

    def ensure_db_setup(self) -> None:
        """Apply the migrations not yet recorded, each in its own transaction."""
        done = self.applied_migrations()
        if all(mid in done for mid, _ in MIGRATIONS):
            return
        self.db.execute(MIGRATIONS_DDL)
        for mid, ddl in sorted(MIGRATIONS):  # Helm's migration library applies them by id
            if mid in done:
                continue
            with self.db.transaction():
                self.db.execute(ddl)
                self.db.execute(
                    f'INSERT INTO "{MIGRATIONS_TABLE}" (id, applied_at) VALUES (%s, now())', (mid,)
                )

    # ---- reading

    def _custom_labels(self, key: str, namespace: str) -> dict[str, str]:
        rows = self.db.execute(
            f"SELECT key, value FROM {CUSTOM_LABELS} WHERE releaseKey = %s AND releaseNamespace = %s",
            (key, namespace),
        )
        return filter_system_labels({k: v for k, v in rows})

    def get(self, key: str) -> Release:
        row = self.db.execute(
            f"SELECT body FROM {RELEASES} WHERE key = %s AND namespace = %s", (key, self.namespace)
        ).fetchone()
        if row is None:
            raise ReleaseNotFound()
        rel = _decode(row[0])
        rel.labels = self._custom_labels(key, self.namespace)
        return rel

    def _rows(self, where: builtins.list[str], args: builtins.list[Any]) -> builtins.list[tuple[str, str, str]]:
        if self.namespace:
            where.append("namespace = %s")
            args.append(self.namespace)
        sql = f"SELECT key, namespace, body FROM {RELEASES}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return list(self.db.execute(sql + " ORDER BY namespace, key", args))

    def _releases(self, rows: builtins.list[tuple[str, str, str]], with_system: bool) -> builtins.list[Release]:
        out = []
        for key, ns, body in rows:
            try:
                rel = _decode(body)
            except StorageError:
                continue  # Helm logs undecodable rows at debug level and skips them
            rel.labels = self._custom_labels(key, ns if not self.namespace else self.namespace)
            if with_system:
                rel.labels.update(system_labels(rel.name, rel.status, rel.version))
            out.append(rel)
        return out

    def list(self, keep: Callable[[Release], bool]) -> builtins.list[Release]:
        rels = self._releases(self._rows(["owner = %s"], [OWNER]), with_system=True)
        return [r for r in rels if keep(r)]

    def query(self, labels: dict[str, str]) -> builtins.list[Release]:
        where, args = [], []
        for k in sorted(labels):
            if k not in QUERY_LABELS:
                raise StorageError(f"unknown label {k}")
            where.append(f"{k} = %s")
            args.append(labels[k])
        rels = self._releases(self._rows(where, args), with_system=False)
        if not rels:
            raise ReleaseNotFound()
        return rels

    # ---- writing

    def create(self, key: str, rel: Release) -> None:
        namespace = rel.namespace or DEFAULT_NAMESPACE
        self.namespace = namespace
        body = _encode(rel)
        pg = self._psycopg
        try:
            with self.db.transaction():
                self.db.execute(
                    f"INSERT INTO {RELEASES} (key, type, body, name, namespace, version, status, "
                    "owner, createdAt) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (key, RELEASE_TYPE, body, rel.name, namespace, rel.version, rel.status, OWNER,
                     int(time.time())),
                )
                for k, v in filter_system_labels(rel.labels).items():
                    self.db.execute(
                        f"INSERT INTO {CUSTOM_LABELS} (releaseKey, releaseNamespace, key, value) "
                        "VALUES (%s, %s, %s, %s)",
                        (key, namespace, k, v),
                    )
        except pg.errors.UniqueViolation:
            raise ReleaseExists() from None
        except pg.Error as e:
            raise StorageError(_one_line(e)) from None

    def update(self, key: str, rel: Release) -> None:
        namespace = rel.namespace or DEFAULT_NAMESPACE
        self.namespace = namespace
        body = _encode(rel)
        try:
            self.db.execute(
                f"UPDATE {RELEASES} SET body = %s, name = %s, version = %s, status = %s, "
                "owner = %s, modifiedAt = %s WHERE key = %s AND namespace = %s",
                (body, rel.name, rel.version, rel.status, OWNER, int(time.time()), key, namespace),
            )
        except self._psycopg.Error as e:
            raise StorageError(_one_line(e)) from None

    def delete(self, key: str) -> Release:
        ns = self.namespace
        try:
            with self.db.transaction():
                row = self.db.execute(
                    f"SELECT body FROM {RELEASES} WHERE key = %s AND namespace = %s FOR UPDATE",
                    (key, ns),
                ).fetchone()
                if row is None:
                    raise ReleaseNotFound()
                rel = _decode(row[0])
                rel.labels = self._custom_labels(key, ns)
                self.db.execute(f"DELETE FROM {RELEASES} WHERE key = %s AND namespace = %s", (key, ns))
                self.db.execute(
                    f"DELETE FROM {CUSTOM_LABELS} WHERE releaseKey = %s AND releaseNamespace = %s",
                    (key, ns),
                )
        except self._psycopg.Error as e:
            raise StorageError(_one_line(e)) from None
        return rel


def _encode(rel: Release) -> str:
    try:
        return rel.encode()
    except ValueError as e:  # JSONError
        raise StorageError(f"failed to encode release {go_quote(rel.name)}: {e}") from None


def _decode(body: str) -> Release:
    try:
        return Release.decode(body)
    except ReleaseDecodeError as e:
        raise StorageError(str(e)) from None


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())
