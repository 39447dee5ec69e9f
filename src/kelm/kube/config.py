"""kubeconfig loading as kubectl does it, plus Helm's flags and ``HELM_*`` variables.

Files come from ``--kubeconfig`` (that file alone, which must exist), else every file in
``KUBECONFIG`` (missing ones skipped), else ``~/.kube/config``.  Merging follows client-go:
for clusters, users and contexts the first file naming an entry wins it whole; for
``current-context`` and preferences the first file that sets a value wins.  Relative paths are
resolved against the file that holds them.  :func:`load_config` then picks the context, applies
the flag overrides and validates, returning one :class:`RestConfig` the client uses.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kelm.kube.errors import ConfigError

DEFAULT_SERVER = "http://localhost:8080"  # client-go's fallback when nothing names a server
HELM_DEFAULT_BURST = 100
DEFAULT_QPS = 5.0  # client-go's rate when none is configured (Helm's HELM_QPS=0)


@dataclass
class ConfigFlags:
    """The Kubernetes flags Helm takes; None (or empty) means "not given"."""

    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None
    api_server: str | None = None
    token: str | None = None
    as_user: str | None = None
    as_groups: tuple[str, ...] = ()
    ca_file: str | None = None
    insecure_skip_tls_verify: bool = False
    tls_server_name: str | None = None
    qps: float | None = None
    burst: int | None = None


@dataclass
class ExecConfig:
    """A ``users[].user.exec`` credential plugin."""

    command: str
    api_version: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    install_hint: str = ""
    provide_cluster_info: bool = False
    interactive_mode: str = ""


@dataclass
class RestConfig:
    """Everything needed to talk to one API server, resolved from kubeconfig + flags + env."""

    server: str = DEFAULT_SERVER
    namespace: str = "default"
    namespace_from_flag: bool = False
    context: str = ""
    cluster_name: str = ""
    user_name: str = ""
    ca_file: str | None = None
    ca_data: bytes | None = None
    insecure: bool = False
    tls_server_name: str | None = None
    proxy_url: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    cert_data: bytes | None = None
    key_data: bytes | None = None
    token: str | None = None
    token_file: str | None = None
    username: str | None = None
    password: str | None = None
    exec: ExecConfig | None = None
    auth_provider: str | None = None
    auth_provider_config: dict[str, str] = field(default_factory=dict)
    as_user: str | None = None
    as_groups: tuple[str, ...] = ()
    as_uid: str | None = None
    as_extra: dict[str, list[str]] = field(default_factory=dict)
    qps: float = DEFAULT_QPS
    burst: int = HELM_DEFAULT_BURST

    @property
    def host(self) -> str:
        """``host:port`` of the server, for messages and cache keys."""
        rest = self.server.split("://", 1)[-1]
        hostport = rest.split("/", 1)[0]
        if ":" not in hostport.rsplit("]", 1)[-1]:
            hostport += ":443" if self.server.startswith("https") else ":80"
        return hostport


# -- reading and merging files ------------------------------------------------------------

def kubeconfig_paths(explicit: str | None, env: Mapping[str, str]) -> tuple[list[str], bool]:
    """The files to read, and whether the one path is explicit (so must exist)."""
    if explicit:
        return [explicit], True
    value = env.get("KUBECONFIG", "")
    if value:
        seen: list[str] = []
        for p in value.split(os.pathsep):
            if p and p not in seen:
                seen.append(p)
        return seen, False
    home = env.get("HOME") or os.path.expanduser("~")
    return [os.path.join(home, ".kube", "config")], False


# the Go type client-go decodes a kubeconfig's apiVersion/kind into, as %v prints it
_TYPE_META = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
              'Kind string "json:\\"kind,omitempty\\"" }')


def _read_file(path: str, must_exist: bool) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as fh:
            text = fh.read()
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(f"stat {path}: no such file or directory") from None
        return None
    except OSError as e:
        raise ConfigError(f"error loading config file \"{path}\": {e.strerror}") from None
    if not text.strip():
        return {}
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.reader.ReaderError as e:  # bytes that are not text: go-yaml's one line
        from kelm.yaml.loader import go_error

        raise ConfigError(f"error loading config file \"{path}\": "
                          f"{go_error(e, text).message}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = ""
        if mark is not None:
            line = mark.line + 1
            if mark.index >= len(text) and mark.column == 0 and line > 1:
                line -= 1  # Go's parser places an error at the end of input on the last line
            where = f"line {line}: "
        problem = getattr(e, "problem", None) or str(e)
        raise ConfigError(f"error loading config file \"{path}\": yaml: {where}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        from kelm.yaml.jsondec import go_json_kind

        raise ConfigError(f"error loading config file \"{path}\": "
                          "couldn't get version/kind; json parse error: json: cannot unmarshal "
                          f"{go_json_kind(data)} into Go value of type {_TYPE_META}")
    _resolve_paths(data, os.path.dirname(os.path.abspath(path)))
    return data


def _named(data: dict[str, Any], section: str, key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in data.get(section) or ():
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            body = item.get(key)
            out.setdefault(item["name"], body if isinstance(body, dict) else {})
    return out


def _abs(base: str, value: Any) -> Any:
    if isinstance(value, str) and value and not os.path.isabs(value):
        return os.path.join(base, value)
    return value


def _resolve_paths(data: dict[str, Any], base: str) -> None:
    for cluster in _named(data, "clusters", "cluster").values():
        if "certificate-authority" in cluster:
            cluster["certificate-authority"] = _abs(base, cluster["certificate-authority"])
    for user in _named(data, "users", "user").values():
        for key in ("client-certificate", "client-key", "tokenFile"):
            if key in user:
                user[key] = _abs(base, user[key])
        ex = user.get("exec")
        if isinstance(ex, dict) and isinstance(ex.get("command"), str) and os.sep in ex["command"]:
            ex["command"] = _abs(base, ex["command"])


@dataclass
class MergedConfig:
    """The merge of every kubeconfig file read."""

    clusters: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)
    current_context: str = ""
    preferences: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def load_kubeconfig(explicit: str | None = None,
                    env: Mapping[str, str] | None = None) -> MergedConfig:
    """Read and merge the kubeconfig files as kubectl does (first file wins each key)."""
    env = os.environ if env is None else env
    paths, must = kubeconfig_paths(explicit, env)
    merged = MergedConfig()
    for path in paths:
        data = _read_file(path, must)
        if data is None:
            continue
        merged.files.append(path)
        for section, key, target in (("clusters", "cluster", merged.clusters),
                                     ("users", "user", merged.users),
                                     ("contexts", "context", merged.contexts)):
            for name, body in _named(data, section, key).items():
                target.setdefault(name, body)
        if not merged.current_context and isinstance(data.get("current-context"), str):
            merged.current_context = data["current-context"]
        prefs = data.get("preferences")
        if isinstance(prefs, dict):
            for k, v in prefs.items():
                if v not in (None, "", False) and k not in merged.preferences:
                    merged.preferences[k] = v
    return merged


# -- environment -----------------------------------------------------------------------

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}


def flags_from_env(flags: ConfigFlags, env: Mapping[str, str]) -> ConfigFlags:
    """Fill unset flags from Helm's ``HELM_*`` variables (flags win)."""

    def pick(value: Any, name: str) -> Any:
        return value if value else (env.get(name) or None)

    groups = flags.as_groups or tuple(g for g in env.get("HELM_KUBEASGROUPS", "").split(",") if g)
    qps = flags.qps
    if qps is None and env.get("HELM_QPS"):
        try:
            qps = float(env["HELM_QPS"])
        except ValueError:
            qps = None
    burst = flags.burst
    if burst is None and env.get("HELM_BURST_LIMIT"):
        try:
            burst = int(env["HELM_BURST_LIMIT"])
        except ValueError:
            burst = None
    return ConfigFlags(
        kubeconfig=flags.kubeconfig or None,
        context=pick(flags.context, "HELM_KUBECONTEXT"),
        namespace=pick(flags.namespace, "HELM_NAMESPACE"),
        api_server=pick(flags.api_server, "HELM_KUBEAPISERVER"),
        token=pick(flags.token, "HELM_KUBETOKEN"),
        as_user=pick(flags.as_user, "HELM_KUBEASUSER"),
        as_groups=tuple(groups),
        ca_file=pick(flags.ca_file, "HELM_KUBECAFILE"),
        insecure_skip_tls_verify=(flags.insecure_skip_tls_verify
                                  or env.get("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "") in _TRUE),
        tls_server_name=pick(flags.tls_server_name, "HELM_KUBETLS_SERVER_NAME"),
        qps=qps,
        burst=burst,
    )


# -- resolving one context ---------------------------------------------------------------

def _b64(value: Any, what: str, name: str) -> bytes | None:
    if value in (None, ""):
        return None
    try:
        return base64.b64decode(str(value), validate=False)
    except ValueError:
        raise ConfigError(f"invalid configuration: {what} for {name} is not valid base64") from None


def _exec_config(raw: dict[str, Any]) -> ExecConfig:
    env_list = []
    for item in raw.get("env") or ():
        if isinstance(item, dict):
            env_list.append((str(item.get("name", "")), str(item.get("value", ""))))
    return ExecConfig(
        command=str(raw.get("command") or ""),
        api_version=str(raw.get("apiVersion") or ""),
        args=tuple(str(a) for a in raw.get("args") or ()),
        env=tuple(env_list),
        install_hint=str(raw.get("installHint") or ""),
        provide_cluster_info=bool(raw.get("provideClusterInfo")),
        interactive_mode=str(raw.get("interactiveMode") or ""),
    )


def load_config(flags: ConfigFlags | None = None,
                env: Mapping[str, str] | None = None) -> RestConfig:
    """The client configuration for ``flags`` (kubeconfig files + flags + ``HELM_*`` env)."""
    env = os.environ if env is None else env
    flags = flags_from_env(flags or ConfigFlags(), env)
    merged = load_kubeconfig(flags.kubeconfig, env)

    ctx_name = flags.context or merged.current_context
    if flags.context and flags.context not in merged.contexts:
        raise ConfigError(f'context "{flags.context}" does not exist')
    if ctx_name and ctx_name not in merged.contexts:
        raise ConfigError("invalid configuration: context was not found for specified "
                          f"context: {ctx_name}")
    ctx = merged.contexts.get(ctx_name, {}) if ctx_name else {}
    cluster_name = str(ctx.get("cluster") or "")
    user_name = str(ctx.get("user") or "")
    cluster = dict(merged.clusters.get(cluster_name, {}))
    user = dict(merged.users.get(user_name, {}))

    cfg = RestConfig(context=ctx_name, cluster_name=cluster_name, user_name=user_name)
    cfg.server = flags.api_server or str(cluster.get("server") or "") or DEFAULT_SERVER
    if flags.namespace:
        cfg.namespace, cfg.namespace_from_flag = flags.namespace, True
    else:
        cfg.namespace = str(ctx.get("namespace") or "") or "default"

    # cluster: TLS
    cfg.insecure = bool(cluster.get("insecure-skip-tls-verify"))
    cfg.ca_file = cluster.get("certificate-authority") or None
    cfg.ca_data = _b64(cluster.get("certificate-authority-data"), "certificate-authority-data",
                       cluster_name)
    if flags.insecure_skip_tls_verify:
        cfg.insecure, cfg.ca_file, cfg.ca_data = True, None, None
    if flags.ca_file:
        cfg.ca_file, cfg.ca_data = flags.ca_file, None
    cfg.tls_server_name = flags.tls_server_name or cluster.get("tls-server-name") or None
    cfg.proxy_url = cluster.get("proxy-url") or None

    # user: credentials and impersonation
    cfg.cert_file = user.get("client-certificate") or None
    cfg.key_file = user.get("client-key") or None
    cfg.cert_data = _b64(user.get("client-certificate-data"), "client-certificate-data", user_name)
    cfg.key_data = _b64(user.get("client-key-data"), "client-key-data", user_name)
    cfg.token = flags.token or user.get("token") or None
    cfg.token_file = None if flags.token else (user.get("tokenFile") or None)
    cfg.username = user.get("username") or None
    cfg.password = user.get("password") or None
    if isinstance(user.get("exec"), dict):
        cfg.exec = _exec_config(user["exec"])
    if isinstance(user.get("auth-provider"), dict):
        cfg.auth_provider = str(user["auth-provider"].get("name") or "")
        conf = user["auth-provider"].get("config")
        if isinstance(conf, dict):
            cfg.auth_provider_config = {str(k): str(v) for k, v in conf.items()}
    cfg.as_user = flags.as_user or user.get("as") or None
    cfg.as_groups = tuple(flags.as_groups) or tuple(str(g) for g in user.get("as-groups") or ())
    cfg.as_uid = user.get("as-uid") or None
    extra = user.get("as-user-extra")
    if isinstance(extra, dict):
        cfg.as_extra = {str(k): [str(x) for x in (v or ())] for k, v in extra.items()}

    cfg.qps = flags.qps if flags.qps else DEFAULT_QPS
    cfg.burst = flags.burst if flags.burst else HELM_DEFAULT_BURST
    _validate(cfg)
    return cfg


def _validate(cfg: RestConfig) -> None:
    """client-go's checks, reported together as ``invalid configuration: [...]``."""
    problems: list[str] = []
    if not cfg.server.startswith(("http://", "https://")) and "://" in cfg.server:
        problems.append(f"unsupported scheme in server URL {cfg.server}")
    if cfg.insecure and (cfg.ca_file or cfg.ca_data) and not cfg.server.startswith("http://"):
        problems.append("specifying a root certificates file with the insecure flag is not allowed")
    methods = []
    if cfg.token or cfg.token_file:
        methods.append("token")
    if cfg.username or cfg.password:
        methods.append("basicAuth")
    if len(methods) > 1:
        problems.append(f"more than one authentication method found for {cfg.user_name}; "
                        f"found [{' '.join(methods)}], only one is allowed")
    if cfg.exec is not None and cfg.auth_provider is not None:
        problems.append("authProvider cannot be provided in combination with an exec plugin "
                        f"for {cfg.user_name}")
    if cfg.exec is not None:
        if not cfg.exec.command:
            problems.append(f"command must be specified for {cfg.user_name} to use exec authentication plugin")
        if not cfg.exec.api_version:
            problems.append(f"apiVersion must be specified for {cfg.user_name} to use exec authentication plugin")
        if cfg.exec.interactive_mode not in ("", "Never", "IfAvailable", "Always"):
            problems.append(f"invalid interactiveMode for {cfg.user_name}: "
                            f"{cfg.exec.interactive_mode!r}")
    for what, path, name in (("certificate-authority", cfg.ca_file, cfg.cluster_name),
                             ("client-cert", cfg.cert_file, cfg.user_name),
                             ("client-key", cfg.key_file, cfg.user_name)):
        if path and not os.access(path, os.R_OK):
            reason = "no such file or directory" if not os.path.exists(path) else "permission denied"
            problems.append(f"unable to read {what} {path} for {name} due to open {path}: {reason}")
    if (cfg.cert_file or cfg.cert_data) and not (cfg.key_file or cfg.key_data):
        problems.append(f"client-key-data or client-key must be specified for {cfg.user_name} "
                        "to use the clientCert authentication method.")
    if (cfg.key_file or cfg.key_data) and not (cfg.cert_file or cfg.cert_data):
        problems.append(f"client-cert-data or client-cert must be specified for {cfg.user_name} "
                        "to use the clientCert authentication method.")
    if len(problems) == 1:
        raise ConfigError(f"invalid configuration: {problems[0]}")
    if problems:
        raise ConfigError(f"invalid configuration: [{', '.join(problems)}]")
