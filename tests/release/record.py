"""Record the release goldens from the oracle's Helm: ``python -m tests.release.record``.

Each case is ``helm install NAME CHART --dry-run=client -o json ARGS`` over a chart of
``tests/release/charts``; the JSON Helm prints is the release it would store.
``sql_schema.json`` is the catalog of a PostgreSQL database Helm's sql driver set up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "tests" / "golden" / "release"

CASES = {
    "rich": {"name": "rel", "chart": "rich", "namespace": "ns1", "labels": {"team": "core"},
             "set": ["x=1.5e21", "s=<a>", "f=2.5", "i=7"], "set_string": ["n=007"]},
    "empty": {"name": "e", "chart": "empty"},
}


def helm_args(case: dict) -> list[str]:
    """The install flags of a case."""
    args = [case["name"], str(HERE / "charts" / case["chart"])]
    if "namespace" in case:
        args += ["-n", case["namespace"]]
    for v in case.get("set", []):
        args += ["--set", v]
    for v in case.get("set_string", []):
        args += ["--set-string", v]
    if case.get("labels"):
        args += ["--labels", ",".join(f"{k}={v}" for k, v in case["labels"].items())]
    return args


def main() -> int:
    from tests.release.oracle import HELM_BIN

    helm = str(HELM_BIN)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HELM_CONFIG_HOME": f"{home}/c", "HELM_CACHE_HOME": f"{home}/k",
               "HELM_DATA_HOME": f"{home}/d", "TZ": "UTC"}
        for case, spec in CASES.items():
            out = subprocess.run(
                [helm, "install", *helm_args(spec), "--dry-run=client", "-o", "json"], env=env,
                check=True, capture_output=True, text=True, timeout=60,
            ).stdout
            yaml_out = subprocess.run(
                [helm, "install", *helm_args(spec), "--dry-run=client", "-o", "yaml"], env=env,
                check=True, capture_output=True, text=True, timeout=60,
            ).stdout
            doc = {"case": spec, "stdout": out, "stdout_yaml": yaml_out}
            (GOLDEN / f"{case}.json").write_text(json.dumps(doc, indent=1) + "\n")
            print(f"recorded {case}")
        record_sql_schema(helm, env)
    return 0


def record_sql_schema(helm: str, env: dict[str, str]) -> None:
    """The catalog of a database Helm's sql driver set up (its migrations run on first use)."""
    from tests.release import pgserver
    from tests.release.catalog import catalog
    from tests.release.versionapi import version_api

    server = pgserver.start()
    try:
        conninfo = server.create_database("helm_schema")
        with version_api() as url:
            subprocess.run([helm, "--kube-apiserver", url, "list"], check=True, timeout=60,
                           capture_output=True, env={**env, "HELM_DRIVER": "sql",
                                                     "HELM_DRIVER_SQL_CONNECTION_STRING": conninfo})
        (GOLDEN / "sql_schema.json").write_text(json.dumps(catalog(conninfo), indent=1) + "\n")
        print("recorded sql_schema")
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
