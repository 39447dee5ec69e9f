"""Helm's memory driver loading releases kelm wrote (``HELM_MEMORY_DRIVER_DATA``: YAML lists of
releases in their JSON form); with it Helm needs no cluster at all."""

from __future__ import annotations

import json
from pathlib import Path

from kelm.yaml import dump_v2
from tests.release.helpers import golden_release
from tests.release.oracle import Helm, helm_binary  # noqa: F401 - fixture


def test_helm_reads_kelm_memory_data(helm_binary: str, tmp_path: Path) -> None:  # noqa: F811
    first = golden_release("rich")
    first.set_status("superseded", "Install complete")
    second = golden_release("rich")
    second.version, second.config = 2, {"replicas": 5}
    second.set_status("deployed", "Upgrade complete")
    data = tmp_path / "releases.yaml"
    data.write_text(dump_v2([first.to_json_dict(), second.to_json_dict()]))
    helm = Helm(helm_binary, tmp_path, {"HELM_DRIVER": "memory",
                                        "HELM_MEMORY_DRIVER_DATA": str(data)})

    status = helm.json("status", "rel", "-n", "ns1")
    expected = json.loads(second.to_json())
    expected.pop("chart")
    assert status == expected
    hist = helm.json("history", "rel", "-n", "ns1")
    assert [(h["revision"], h["status"]) for h in hist] == [(1, "superseded"), (2, "deployed")]
    assert helm.json("get", "values", "rel", "-n", "ns1", "--revision", "1") == first.config
    assert helm.run("get", "notes", "rel", "-n", "ns1") == "NOTES:\n" + second.info.notes + "\n"
