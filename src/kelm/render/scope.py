"""The Go objects templates see besides plain maps: ``.Capabilities`` and ``.Files``.

``.Release``, ``.Chart``, ``.Values``, ``.Template`` and ``.Subcharts`` are plain maps built
by :mod:`kelm.render.engine`; the types here carry Go methods (``.Files.Get``,
``.Capabilities.APIVersions.Has``) and Go type names for ``%T``/``printf``.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from kelm.golang.value import GoStruct, TypedList, TypedMap, gofunc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

HELM_VERSION = "v4.1.4"
HELM_GIT_COMMIT = "05fa37973dc9e42b76e1d2883494c87174b6074f"
GO_VERSION = "go1.25.9"
KUBE_CLIENT_VERSION = "v1.35"
DEFAULT_KUBE_VERSION = "v1.35.0"

DEFAULT_API_VERSIONS = (
    "v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 "
    "admissionregistration.k8s.io/v1beta1 internal.apiserver.k8s.io/v1alpha1 apps/v1 "
    "apps/v1beta1 apps/v1beta2 authentication.k8s.io/v1 authentication.k8s.io/v1alpha1 "
    "authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 "
    "autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 "
    "batch/v1beta1 certificates.k8s.io/v1 certificates.k8s.io/v1beta1 "
    "certificates.k8s.io/v1alpha1 coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 "
    "coordination.k8s.io/v1 discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 "
    "events.k8s.io/v1beta1 extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 "
    "flowcontrol.apiserver.k8s.io/v1beta1 flowcontrol.apiserver.k8s.io/v1beta2 "
    "flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 networking.k8s.io/v1beta1 "
    "node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 policy/v1beta1 "
    "rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 "
    "rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 resource.k8s.io/v1beta2 "
    "resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 "
    "scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 "
    "storage.k8s.io/v1alpha1 storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 "
    "apiextensions.k8s.io/v1"
).split()


class KubeVersionError(ValueError):
    pass


class KubeVersion(GoStruct):
    """``common.KubeVersion``: ``Version`` keeps the input, ``String`` is normalised."""

    go_type = "common.KubeVersion"
    _go_fields = ("Version", "Major", "Minor")
    # String() has a pointer receiver: only {{ .Capabilities.KubeVersion }} itself uses it;
    # toString/printf/quote print the struct with its unexported field
    go_stringer_ptr = True
    _go_print_fields = ("Version", ("normalizedVersion", "normalized"), "Major", "Minor")

    def __init__(self, version: str, normalized: str, major: str, minor: str) -> None:
        self.Version = version
        self.normalized = normalized
        self.Major = major
        self.Minor = minor

    def __go_string__(self) -> str:
        return self.normalized or self.Version

    @gofunc("func() string")
    def String(self) -> str:  # noqa: N802 - Go method name
        return self.normalized or self.Version

    @gofunc("func() string")
    def GitVersion(self) -> str:  # noqa: N802
        return self.Version


def parse_kube_version(text: str) -> KubeVersion:
    """Helm's ``ParseKubeVersion`` (k8s ``ParseGeneric`` rules)."""
    m = re.match(r"^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$", text, re.S)
    if m is None:
        raise KubeVersionError(f'could not parse "{text}" as version')
    comps = m.group(1).split(".")
    if len(comps) < 2:
        raise KubeVersionError(f'illegal version string "{text}"')
    for c in comps:
        if len(c) > 1 and c[0] == "0":
            raise KubeVersionError(f'illegal zero-prefixed version component "{c}" in "{text}"')
    git = text if text.startswith("v") else "v" + text
    normalized = "v" + ".".join(str(int(c)) for c in comps)
    return KubeVersion(git, normalized, str(int(comps[0])), str(int(comps[1])))


def default_kube_version() -> KubeVersion:
    return KubeVersion(DEFAULT_KUBE_VERSION, DEFAULT_KUBE_VERSION, "1", "35")


class VersionSet(TypedList):
    """``common.VersionSet`` ([]string with ``Has``)."""

    _go_methods = ("Has",)
    _go_fields: tuple[str, ...] = ()  # lets the engine look up its methods

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items, "common.VersionSet")

    @gofunc("func(string) bool")
    def Has(self, v: str) -> bool:  # noqa: N802
        return v in self


class BuildInfo(GoStruct):
    go_type = "version.BuildInfo"
    _go_fields = ("Version", "GitCommit", "GitTreeState", "GoVersion", "KubeClientVersion")
    _go_json_names = {  # the struct's json tags (toJson/toYaml)
        "Version": "version", "GitCommit": "git_commit", "GitTreeState": "git_tree_state",
        "GoVersion": "go_version", "KubeClientVersion": "kube_client_version",
    }

    def __init__(self) -> None:
        self.Version = HELM_VERSION
        self.GitCommit = HELM_GIT_COMMIT
        self.GitTreeState = "clean"
        self.GoVersion = GO_VERSION
        self.KubeClientVersion = KUBE_CLIENT_VERSION


class Capabilities(GoStruct):
    """``*common.Capabilities`` as templates see it."""

    go_type = "*common.Capabilities"
    _go_fields = ("KubeVersion", "APIVersions", "HelmVersion")

    def __init__(
        self, kube_version: KubeVersion | None = None, extra_apis: list[str] | None = None
    ) -> None:
        self.KubeVersion = kube_version or default_kube_version()
        self.APIVersions = VersionSet(list(DEFAULT_API_VERSIONS) + list(extra_apis or ()))
        self.HelmVersion = BuildInfo()


class Values(dict):
    """Helm's ``common.Values``: a named ``map[string]interface {}`` (the top-level scope,
    ``.Values`` and ``.Template``); ``%T``, ``typeOf`` and type errors name it."""

    __slots__ = ()
    go_type = "common.Values"
    _go_methods = ("AsMap", "Encode", "PathValue", "Table", "YAML")  # kelm.funcs.chartvalues

    @gofunc("func() map[string]interface {}")
    def AsMap(self) -> dict:  # noqa: N802 - Go method name
        from kelm.funcs.chartvalues import as_map

        return as_map(self)

    @gofunc("func(string) (common.Values, error)")
    def Table(self, name: str) -> dict:  # noqa: N802
        from kelm.funcs.chartvalues import table

        return table(self, name, Values)

    @gofunc("func(string) (interface {}, error)")
    def PathValue(self, path: str) -> Any:  # noqa: N802
        from kelm.funcs.chartvalues import path_value

        return path_value(self, path, Values)

    @gofunc("func() (string, error)")
    def YAML(self) -> str:  # noqa: N802
        from kelm.funcs.chartvalues import yaml_text

        return yaml_text(self)

    @gofunc("func(io.Writer) error")
    def Encode(self, w: Any) -> None:  # noqa: N802 - no template value is an io.Writer
        raise AssertionError("unreachable")


class Files(TypedMap):
    """``engine.files``: chart files by path, with Helm's accessor methods."""

    _go_methods = ("Get", "GetBytes", "Glob", "AsConfig", "AsSecrets", "Lines")

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items, "engine.files")

    @gofunc("func(string) []uint8")
    def GetBytes(self, name: str) -> bytes:  # noqa: N802
        return self.get(name, b"")

    @gofunc("func(string) string")
    def Get(self, name: str) -> str:  # noqa: N802
        return self.get(name, b"").decode("utf-8", errors="replace")

    @gofunc("func(string) engine.files")
    def Glob(self, pattern: str) -> Files:  # noqa: N802
        rx = _glob(pattern)
        return Files({k: v for k, v in self.items() if rx.match(k)})

    @gofunc("func() string")
    def AsConfig(self) -> str:  # noqa: N802
        m = {k.rsplit("/", 1)[-1]: v.decode("utf-8", errors="replace") for k, v in self.items()}
        return _to_yaml(m)

    @gofunc("func() string")
    def AsSecrets(self) -> str:  # noqa: N802
        m = {k.rsplit("/", 1)[-1]: base64.b64encode(v).decode() for k, v in self.items()}
        return _to_yaml(m)

    @gofunc("func(string) []string")
    def Lines(self, path: str) -> TypedList:  # noqa: N802
        data = self.get(path)
        if not data:
            return TypedList([], "[]string")
        s = data.decode("utf-8", errors="replace")
        if s.endswith("\n"):
            s = s[:-1]
        return TypedList(s.split("\n"), "[]string")


def _to_yaml(m: dict[str, str]) -> str:
    from kelm.yaml import dump_v2

    text = dump_v2(TypedMap(m, "map[string]string"))
    return text[:-1] if text.endswith("\n") else text


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """gobwas/glob with '/' as separator; an invalid pattern matches everything (Helm falls
    back to ``**``)."""
    from kelm.chart.globs import FILES_GLOB, GlobError, compile_glob

    try:
        return compile_glob(pattern, FILES_GLOB)
    except GlobError:
        return re.compile(r".*\Z", re.S)


def new_files(files: list[Any]) -> Files:
    return Files({f.name: f.data for f in files})
