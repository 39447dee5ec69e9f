"""The Storage facade (Helm's storage.Storage) and the choice of driver from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from kelm.release.drivers.kube import ConfigMapDriver, SecretDriver
from kelm.release.drivers.memory import MemoryDriver
from kelm.release.env import driver_from_env, max_history_from_env, storage_from_env
from kelm.release.errors import NoDeployedReleases, ReleaseNotFound, StorageError
from kelm.release.storage import Storage
from tests.release.fakekube import FakeKube
from tests.release.helpers import golden_release, make_release


def _versions(rels: list) -> list[int]:
    return sorted(r.version for r in rels)


def test_history_last_deployed() -> None:
    s = Storage(MemoryDriver())
    s.create(make_release(version=1, status="superseded"))
    s.create(make_release(version=2, status="deployed"))
    s.create(make_release(version=3, status="failed"))
    s.create(make_release("db", status="deployed"))
    assert _versions(s.history("web")) == [1, 2, 3]
    assert s.last("web").version == 3
    assert s.deployed("web").version == 2
    assert s.get("web", 1).status == "superseded"
    assert [r.name for r in s.list_deployed()] in (["web", "db"], ["db", "web"])
    with pytest.raises(NoDeployedReleases, match='^"api" has no deployed releases$'):
        s.deployed("api")
    with pytest.raises(ReleaseNotFound):
        s.history("api")


def test_max_history_prunes_oldest_but_keeps_deployed() -> None:
    s = Storage(SecretDriver(FakeKube(), "default"), max_history=3)
    s.create(make_release(version=1, status="deployed"))
    for v in (2, 3, 4, 5):
        s.create(make_release(version=v, status="failed"))
    # each create leaves room for itself: 3 kept, the deployed revision 1 spared
    assert _versions(s.history("web")) == [1, 4, 5]
    assert s.deployed("web").version == 1


def test_max_history_zero_keeps_everything() -> None:
    s = Storage(MemoryDriver())
    for v in range(1, 13):
        s.create(make_release(version=v, status="superseded"))
    assert len(s.history("web")) == 12


def test_update_and_delete() -> None:
    s = Storage(MemoryDriver())
    s.create(make_release(version=1))
    rel = s.get("web", 1)
    rel.set_status("superseded", "Upgraded")
    s.update(rel)
    assert s.get("web", 1).info.description == "Upgraded"
    assert s.delete("web", 1).version == 1
    assert s.list_releases() == []


@pytest.mark.parametrize(
    ("value", "cls"),
    [("", SecretDriver), ("secret", SecretDriver), ("secrets", SecretDriver),
     ("configmap", ConfigMapDriver), ("configmaps", ConfigMapDriver)],
)
def test_driver_from_env(value: str, cls: type) -> None:
    kube = FakeKube()
    d = driver_from_env("prod", lambda: kube, {"HELM_DRIVER": value})
    assert type(d) is cls and d.namespace == "prod"


def test_unknown_driver_is_helms_error() -> None:
    with pytest.raises(StorageError, match='^unknown driver "etcd"$'):
        driver_from_env("default", None, {"HELM_DRIVER": "etcd"})


def test_sql_driver_from_env(pg_conninfo: str) -> None:
    from kelm.release.drivers.sql import SQLDriver

    d = driver_from_env("x", None, {"HELM_DRIVER": "sql",
                                    "HELM_DRIVER_SQL_CONNECTION_STRING": pg_conninfo})
    assert isinstance(d, SQLDriver) and d.namespace == "x"
    d.close()


def test_max_history_env() -> None:
    assert max_history_from_env({}) == 10
    assert max_history_from_env({"HELM_MAX_HISTORY": "3"}) == 3
    assert max_history_from_env({"HELM_MAX_HISTORY": "many"}) == 10
    s = storage_from_env("default", lambda: FakeKube(), {"HELM_MAX_HISTORY": "2"})
    assert s.max_history == 2


def test_memory_driver_data_files(tmp_path: Path) -> None:
    from kelm.yaml import dump_v2

    rel = golden_release("rich")
    (tmp_path / "a.yaml").write_text(dump_v2([rel.to_json_dict()]))
    other = make_release("db", namespace="ns1")
    (tmp_path / "b.yaml").write_text(dump_v2([other.to_json_dict()]))
    env = {"HELM_DRIVER": "memory",
           "HELM_MEMORY_DRIVER_DATA": f"{tmp_path / 'a.yaml'}:{tmp_path / 'b.yaml'}"}
    d = driver_from_env("ns1", None, env)
    assert Storage(d).get("rel", 1).to_json() == rel.to_json()
    assert Storage(d).get("db", 1).name == "db"
    nope = tmp_path / "nope"
    with pytest.raises(StorageError) as e:
        driver_from_env("ns1", None, {**env, "HELM_MEMORY_DRIVER_DATA": str(nope)})
    assert str(e.value) == f"Unable to read memory driver dataopen {nope}: no such file or directory"
    # as Helm: no data files named is one empty name, which cannot be opened
    with pytest.raises(StorageError, match="^Unable to read memory driver dataopen : no such"):
        driver_from_env("ns1", None, {"HELM_DRIVER": "memory"})
    (tmp_path / "map.yaml").write_text("name: x\n")
    with pytest.raises(StorageError) as e:
        driver_from_env("ns1", None, {**env, "HELM_MEMORY_DRIVER_DATA": str(tmp_path / "map.yaml")})
    assert str(e.value) == (
        "Unable to unmarshal memory driver data: error unmarshaling JSON: while decoding JSON: "
        "json: cannot unmarshal object into Go value of type []*v1.Release")
