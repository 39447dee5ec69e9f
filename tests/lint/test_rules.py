"""Unit checks of the lint building blocks (texts cross-checked with the scratch goldens)."""

from __future__ import annotations

import pytest

from kelm.lint.deprecations import deprecation_warning
from kelm.lint.k8snames import dns1035_label, dns_label, dns_subdomain, path_segment
from kelm.lint.support import ERROR, WARNING, Linter, go_quote
from kelm.lint.templates import DocumentError, decode_object, top_indent_error, yaml_documents


def test_documents_split_like_k8s_reader() -> None:
    docs = list(yaml_documents("---\na: 1\n---\nb: 2\n--- # c\n\nc: 3"))
    assert docs == ["---\na: 1\n", "b: 2\n", "\nc: 3\n"]
    with pytest.raises(DocumentError, match="invalid Yaml document separator: x"):
        list(yaml_documents("a: 1\n---x\n"))


def test_decode_object_fields_and_errors() -> None:
    obj = decode_object("apiVersion: v1\nKind: Service\nmetadata:\n  name: 12\n")
    assert obj is not None and (obj.api_version, obj.kind, obj.name) == ("v1", "Service", "12")
    assert decode_object("\n# only a comment\n") is None
    with pytest.raises(DocumentError, match="rules.k8sYamlStruct"):
        decode_object("- 1\n")


def test_deprecations_respect_kube_version() -> None:
    msg = deprecation_warning("batch/v1beta1", "CronJob", 1, 35)
    assert msg == ("batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; "
                   "use batch/v1 CronJob")
    assert deprecation_warning("batch/v1beta1", "CronJob", 1, 20) is None
    assert deprecation_warning("batch/v1", "CronJob", 1, 35) is None
    assert deprecation_warning("", "CronJob", 1, 35) is None


def test_name_rules() -> None:
    assert dns_subdomain("a.b-c") == []
    assert dns_label("a.b") == ["must not contain dots"]
    assert dns1035_label("1a")[0].startswith("a DNS-1035 label")
    assert path_segment("..") == ["may not be '..'"]
    assert dns_subdomain("x" * 254)[0] == "must be no more than 253 characters"


def test_indent_and_quote() -> None:
    assert top_indent_error("\n\n  a: 1\n") is not None
    assert top_indent_error("a:\n  b: 1\n") is None
    assert go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'


def test_linter_tracks_highest_severity() -> None:
    lin = Linter("/x")
    assert lin.rule(WARNING, "p", None)
    assert not lin.rule(WARNING, "p", "w")
    assert not lin.rule(ERROR, "p", "e")
    assert lin.highest == ERROR
    assert [str(m) for m in lin.messages] == ["[WARNING] p: w", "[ERROR] p: e"]
