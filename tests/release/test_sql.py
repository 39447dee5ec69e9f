"""The sql driver against a real PostgreSQL: Helm's schema, whole-or-nothing writes."""

from __future__ import annotations

import json

import psycopg
import pytest

from kelm.release.drivers.sql import SQLDriver, lib_pq_conninfo
from kelm.release.errors import ReleaseNotFound, StorageError
from kelm.release.labels import make_key
from tests.release.catalog import catalog
from tests.release.helpers import GOLDEN, make_release


def test_schema_is_the_one_helm_creates(pg_conninfo: str) -> None:
    SQLDriver(pg_conninfo).close()
    assert catalog(pg_conninfo) == json.loads((GOLDEN / "sql_schema.json").read_text())


def test_missing_migration_is_applied_once(pg_conninfo: str) -> None:
    SQLDriver(pg_conninfo).close()
    with psycopg.connect(pg_conninfo, autocommit=True) as db:
        db.execute("DROP TABLE custom_labels_v1")
        db.execute("DELETE FROM gorp_migrations WHERE id = 'custom_labels'")
    d = SQLDriver(pg_conninfo)  # an older database: only "init" recorded
    assert d.applied_migrations() == {"init", "custom_labels"}
    d.close()
    SQLDriver(pg_conninfo).close()  # nothing left to apply: no "already exists" failure
    assert catalog(pg_conninfo) == json.loads((GOLDEN / "sql_schema.json").read_text())


def test_row_columns_and_labels_table(pg_conninfo: str) -> None:
    d = SQLDriver(pg_conninfo, "prod")
    d.create(make_key("web", 2), make_release(version=2, namespace="prod",
                                               labels={"team": "core", "owner": "me"}))
    with psycopg.connect(pg_conninfo) as db:
        row = db.execute("SELECT key, type, name, namespace, version, status, owner, createdAt, "
                         "modifiedAt FROM releases_v1").fetchone()
        labels = db.execute("SELECT releaseKey, releaseNamespace, key, value "
                            "FROM custom_labels_v1").fetchall()
    assert row[:7] == ("sh.helm.release.v1.web.v2", "helm.sh/release.v1", "web", "prod", 2,
                       "deployed", "helm")
    assert row[7] > 1_700_000_000 and row[8] == 0
    assert labels == [("sh.helm.release.v1.web.v2", "prod", "team", "core")]  # system ones dropped
    d.update(make_key("web", 2), make_release(version=2, namespace="prod", status="superseded"))
    with psycopg.connect(pg_conninfo) as db:
        status, modified = db.execute("SELECT status, modifiedAt FROM releases_v1").fetchone()
    assert status == "superseded" and modified > 1_700_000_000
    d.close()


def test_failed_write_leaves_nothing(pg_conninfo: str) -> None:
    d = SQLDriver(pg_conninfo)
    long_value = "v" * 64  # custom_labels_v1.value is VARCHAR(63)
    with pytest.raises(StorageError, match="too long"):
        d.create(make_key("web", 1), make_release(labels={"a": "ok", "b": long_value}))
    with pytest.raises(ReleaseNotFound):
        d.get(make_key("web", 1))
    with psycopg.connect(pg_conninfo) as db:
        assert db.execute("SELECT count(*) FROM custom_labels_v1").fetchone() == (0,)
    d.create(make_key("web", 1), make_release())  # the same key is free afterwards
    d.close()


def test_query_knows_only_system_labels(pg_conninfo: str) -> None:
    d = SQLDriver(pg_conninfo)
    with pytest.raises(StorageError, match="^unknown label team$"):
        d.query({"team": "core"})
    d.close()


def test_bad_connection_is_one_clear_line() -> None:
    with pytest.raises(StorageError, match="^unable to instantiate SQL driver: ") as e:
        SQLDriver("host=127.0.0.1 port=1 user=x dbname=x sslmode=disable connect_timeout=5")
    assert "\n" not in str(e.value)


def test_lib_pq_default_sslmode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert lib_pq_conninfo("host=h user=u") == "host=h user=u sslmode=require"
    assert lib_pq_conninfo("postgres://u@h/db") == "postgres://u@h/db?sslmode=require"
    assert lib_pq_conninfo("postgres://u@h/db?x=1") == "postgres://u@h/db?x=1&sslmode=require"
    assert lib_pq_conninfo("host=h sslmode=disable") == "host=h sslmode=disable"
    monkeypatch.setenv("PGSSLMODE", "disable")
    assert lib_pq_conninfo("host=h") == "host=h"
