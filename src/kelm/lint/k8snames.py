"""Kubernetes object-name rules per kind, with apimachinery's messages (lint's metadata check)."""

from __future__ import annotations

import re
from collections.abc import Callable

_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN = _LABEL + "(\\." + _LABEL + ")*"
_DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?"
_LABEL_RE = re.compile("^" + _LABEL + "$")
_SUBDOMAIN_RE = re.compile("^" + _SUBDOMAIN + "$")
_DNS1035_RE = re.compile("^" + _DNS1035 + "$")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character")
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric character")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character")


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    ex = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {ex}regex used for validation is '{fmt}')"


def _max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def _fullmatch(rx: re.Pattern[str], s: str) -> bool:
    # Go's $ does not accept a trailing newline
    return rx.match(s) is not None and not s.endswith("\n")


def dns_subdomain(name: str) -> list[str]:
    errs = []
    if len(name.encode()) > 253:
        errs.append(_max_len(253))
    if not _fullmatch(_SUBDOMAIN_RE, name):
        errs.append(_regex_error(_SUBDOMAIN_MSG, _SUBDOMAIN, "example.com"))
    return errs


def dns_label(name: str) -> list[str]:
    errs = []
    if len(name.encode()) > 63:
        errs.append(_max_len(63))
    if not _fullmatch(_LABEL_RE, name):
        if _fullmatch(_SUBDOMAIN_RE, name):
            errs.append("must not contain dots")
        else:
            errs.append(_regex_error(_LABEL_MSG, _LABEL, "my-name", "123-abc"))
    return errs


def dns1035_label(name: str) -> list[str]:
    errs = []
    if len(name.encode()) > 63:
        errs.append(_max_len(63))
    if not _fullmatch(_DNS1035_RE, name):
        errs.append(_regex_error(_DNS1035_MSG, _DNS1035, "my-name", "abc-123"))
    return errs


def path_segment(name: str) -> list[str]:
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def name_rule(kind: str) -> Callable[[str], list[str]]:
    k = kind.lower()
    if k == "service":
        return dns1035_label
    if k == "namespace":
        return dns_label
    if k == "certificatesigningrequest":
        return lambda _name: []
    if k in ("role", "clusterrole", "rolebinding", "clusterrolebinding"):
        return path_segment
    return dns_subdomain
