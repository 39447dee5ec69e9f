"""Manifest splitting, head decoding, hooks and kind ordering (Helm's releaseutil)."""

from __future__ import annotations

import random
import re

import pytest

from kelm.render.manifests import (
    ManifestError,
    go_trim,
    parse_head,
    sort_manifests,
    split_manifests,
)

_HELM_SEP = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


def _reference_split(big: str) -> list[str]:
    return [go_trim(d) for d in _HELM_SEP.split(go_trim(big)) if d != ""]


def test_split_matches_helms_regex_on_random_input() -> None:
    rnd = random.Random(7)
    alphabet = ["a", "-", "--", "---", "\n", " ", "\t", "\r", "x: 1", "\n---\n", "---\n", "#c"]
    for _ in range(5000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        assert split_manifests(s) == _reference_split(s), repr(s)


def test_split_quirk_keeps_second_separator() -> None:
    assert split_manifests("a: 1\n---\n\n---\n# only comment\n") == ["a: 1", "---\n# only comment"]


@pytest.mark.parametrize("doc", [
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: test\n",
    "kind: 5\nmetadata:\n  name: 1.10\n",
    "metadata:\n  annotations:\n  labels:\n    a: b\n",
    '{"apiVersion": "v1", "kind": "List"}',
    "kind: 'Quoted'\nmetadata:\n  name: \"n\"\n  annotations:\n    a: 'x'\n",
])
def test_head_fast_path_equals_full_decoding(doc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import kelm.render.manifests as m

    fast = parse_head(doc)
    monkeypatch.setattr(m, "_head_text", lambda _d: None)
    assert parse_head(doc) == fast


def test_invalid_yaml_and_non_mapping() -> None:
    with pytest.raises(ManifestError, match="mapping values are not allowed in this context"):
        parse_head("a: b: c\n")
    with pytest.raises(ManifestError, match="cannot unmarshal array into Go value of type "
                       "util.SimpleHead"):
        parse_head("- a\n")


def test_sort_kinds_hooks_and_unknown_hooks() -> None:
    files = {
        "c/templates/b.yaml": "kind: Deployment\nmetadata:\n  name: d\n---\nkind: Service\n"
        "metadata:\n  name: s\n",
        "c/templates/a.yaml": "kind: Widget\n---\nkind: Apple\n---\nkind: Namespace\n",
        "c/templates/h.yaml": "kind: Job\nmetadata:\n  name: j\n  annotations:\n"
        "    helm.sh/hook: pre-install, Post-Install\n    helm.sh/hook-weight: \"3\"\n---\n"
        "kind: Pod\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: bogus\n",
        "c/templates/_p.yaml": "kind: Ignored\n",
        "c/templates/e.yaml": "  \n",
    }
    hooks, manifests, logs = sort_manifests(files)
    assert [m.head.kind for m in manifests] == ["Namespace", "Service", "Deployment", "Apple",
                                                 "Widget"]
    assert [(h.name, h.events, h.weight) for h in hooks] == [
        ("j", ["pre-install", "post-install"], 3)]
    assert logs == ['level=INFO msg="skipping unknown hooks" hookTypes=bogus']
