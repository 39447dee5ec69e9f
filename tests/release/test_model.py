"""The release record against the JSON Helm v4.1.4 prints for ``install --dry-run -o json``
(recorded in tests/golden/release by ``python -m tests.release.record``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kelm.golang.time import GoTime, fixed_zone, parse_time
from kelm.release import Hook, HookExecution, Info, Release, ReleaseDecodeError, Status
from kelm.release.model import RFC3339
from tests.release import record

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "golden" / "release"
CASES = sorted(record.CASES)
# times of this run (now, file modtimes) differ from the recording's: compared masked
_NOW_OR_MTIME = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"')


def golden(case: str) -> tuple[dict, str]:
    doc = json.loads((GOLDEN / f"{case}.json").read_text())
    return doc["case"], doc["stdout"].rstrip("\n")


@pytest.mark.parametrize("case", CASES)
def test_helm_json_round_trips_byte_for_byte(case: str) -> None:
    _, text = golden(case)
    rel = Release.from_json(text)
    assert rel.to_json() == text
    assert Release.decode(rel.encode()) == rel


@pytest.mark.parametrize("case", CASES)
def test_release_from_kelm_render_is_helms(case: str) -> None:
    from kelm.chart import load_chart
    from kelm.render import InstallOptions, render_chart
    from kelm.values.options import ValueOptions

    spec, text = golden(case)
    vals = ValueOptions(values=spec.get("set"), string_values=spec.get("set_string")).merge_values()
    opts = InstallOptions(release_name=spec["name"], namespace=spec.get("namespace", "default"),
                          labels=spec.get("labels"))
    rel = Release.from_render(render_chart(load_chart(str(HERE / "charts" / spec["chart"])), vals, opts))
    assert _NOW_OR_MTIME.sub("T", rel.to_json()) == _NOW_OR_MTIME.sub("T", text)
    # -o yaml: sigs.k8s.io/yaml of the same JSON data
    from kelm.yaml import dump_v2

    yaml_text = json.loads((GOLDEN / f"{case}.json").read_text())["stdout_yaml"]
    mask = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"')
    assert mask.sub("T", dump_v2(rel.to_json_dict(), json_roundtrip=False)) == mask.sub("T", yaml_text)


def test_decoded_fields() -> None:
    _, text = golden("rich")
    rel = Release.from_json(text, labels={"team": "core"})
    assert (rel.name, rel.namespace, rel.version, rel.apply_method) == ("rel", "ns1", 1, "ssa")
    assert rel.labels == {"team": "core"}
    assert rel.info is not None and rel.info.status == Status.PENDING_INSTALL
    assert rel.info.notes == "Thanks for installing rel <&>.\n"
    assert rel.config == {"n": "007", "s": "<a>", "x": "1.5e21", "f": "2.5", "i": 7.0}
    assert rel.chart is not None and rel.chart.metadata.name == "rich"
    assert rel.chart.values is not None and rel.chart.values["replicas"] == 2.0
    assert [h.events for h in rel.hooks] == [["test"], ["pre-install", "pre-upgrade"]]
    assert rel.hooks[1].weight == -5 and rel.hooks[1].output_log_policies == ["hook-failed"]
    assert rel.chart.lock["generated"] == "2024-05-06T07:08:09.123456789+02:00"


def test_go_time_rules() -> None:
    t = parse_time(RFC3339, "2026-01-02T03:04:05.120000000+01:00")
    info = Info(first_deployed=t, status="deployed")
    assert info.to_json_dict()["first_deployed"] == "2026-01-02T03:04:05.12+01:00"
    whole = GoTime(1767225600, 0, fixed_zone("", 0))
    assert Release(info=Info(last_deployed=whole)).to_json() == (
        '{"info":{"last_deployed":"2026-01-01T00:00:00Z"}}'
    )


def test_omitempty_and_hook_last_run() -> None:
    rel = Release(name="a", hooks=[Hook(name="h", last_run=HookExecution(phase="Succeeded"))])
    assert rel.to_json() == '{"name":"a","hooks":[{"name":"h","last_run":{"phase":"Succeeded"}}]}'
    assert Release().to_json() == "{}"


def test_status_values() -> None:
    assert Status.ALL == (
        "unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling",
        "pending-install", "pending-upgrade", "pending-rollback",
    )
    assert Status.is_pending("pending-upgrade") and not Status.is_pending("deployed")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("{", "release JSON"),
        ('{"version": "1"}', "version: expected an integer"),
        ('{"info": {"first_deployed": "yesterday"}}', "info.first_deployed"),
        ('{"chart": {"templates": [{"name": "t", "data": "!!"}]}}', "illegal base64"),
    ],
)
def test_bad_json_is_a_clear_error(text: str, what: str) -> None:
    with pytest.raises(ReleaseDecodeError, match=re.escape(what)):
        Release.from_json(text)


def test_decode_accepts_plain_json_and_rejects_garbage() -> None:
    import base64

    assert Release.decode(base64.b64encode(b'{"name":"x","version":3}')).version == 3
    with pytest.raises(ReleaseDecodeError, match="base64"):
        Release.decode("not base64!")
