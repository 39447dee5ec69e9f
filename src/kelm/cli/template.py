"""``kelm template``: ``helm template`` v4.1.4, same arguments, flags, output and errors.

Flags are parsed the way cobra/pflag does (interspersed with arguments, ``--flag=value``,
``--bool=false``, comma-split ``strings`` flags, optional-value ``--dry-run``), so command
lines written for helm work unchanged.  Shared with ``kelm install``.
"""

from __future__ import annotations

import os
import sys

from kelm._slots import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# -- a small pflag ----------------------------------------------------------------------------


class Flag(Record):
    """One pflag flag.  ``kind``: bool, string, array (stringArray), slice (strings), map
    (stringToString) or opt; ``no_opt``: the value of an opt flag given without ``=``."""

    __slots__ = ("name", "kind", "short", "default", "no_opt")

    def __init__(
        self, name: str, kind: str, short: str = "", default: Any = None, no_opt: str | None = None
    ) -> None:
        self.name = name
        self.kind = kind
        self.short = short
        self.default = default
        self.no_opt = no_opt


class FlagError(Exception):
    pass


class Parsed(Record):
    """A parsed command line: positional ``args``, flag ``values``, the flags ``given``."""

    __slots__ = ("args", "values", "given")

    def __init__(
        self,
        args: list[str] | None = None,
        values: dict[str, Any] | None = None,
        given: set[str] | None = None,
    ) -> None:
        self.args: list[str] = [] if args is None else args
        self.values: dict[str, Any] = {} if values is None else values
        self.given: set[str] = set() if given is None else given

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _parse_bool(name: str, v: str) -> bool:
    low = v.lower() if v not in ("t", "T", "f", "F") else v
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    del low
    raise FlagError(f'invalid argument "{v}" for "--{name}" flag: strconv.ParseBool: parsing '
                    f'"{v}": invalid syntax')


def _split_csv(v: str) -> list[str]:
    import csv

    if v == "":
        return []
    return next(csv.reader([v]))


def parse_flags(argv: list[str], specs: list[Flag]) -> Parsed:
    by_name = {f.name: f for f in specs}
    by_short = {f.short: f for f in specs if f.short}
    p = Parsed()
    for f in specs:
        if f.kind in ("array", "slice"):
            p.values[f.name] = list(f.default or [])
        elif f.kind == "map":
            p.values[f.name] = dict(f.default or {})
        else:
            p.values[f.name] = f.default

    def assign(f: Flag, value: str) -> None:
        if f.kind == "bool":
            p.values[f.name] = _parse_bool(f.name, value)
        elif f.kind == "array":
            if f.name not in p.given:
                p.values[f.name] = []
            p.values[f.name].append(value)
        elif f.kind == "slice":
            if f.name not in p.given:
                p.values[f.name] = []
            p.values[f.name].extend(_split_csv(value))
        elif f.kind == "map":
            if f.name not in p.given:
                p.values[f.name] = {}
            for item in _split_csv(value):
                k, sep, v = item.partition("=")
                if not sep:
                    raise FlagError(
                        f'invalid argument "{value}" for "--{f.name}" flag: {item} must be '
                        "formatted as key=value"
                    )
                p.values[f.name][k] = v
        else:
            p.values[f.name] = value
        p.given.add(f.name)

    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            p.args.extend(argv[i:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            f = by_name.get(name)
            if f is None:
                raise FlagError(f"unknown flag: --{name}")
            if eq:
                assign(f, value)
            elif f.kind == "bool":
                assign(f, "true")
            elif f.kind == "opt":
                assign(f, f.no_opt or "")
            else:
                if i >= len(argv):
                    raise FlagError(f"flag needs an argument: --{name}")
                assign(f, argv[i])
                i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                f = by_short.get(c)
                if f is None:
                    raise FlagError(f"unknown shorthand flag: '{c}' in {a}")
                rest = a[j + 1 :]
                if f.kind == "bool":
                    if rest.startswith("="):
                        assign(f, rest[1:])
                        break
                    assign(f, "true")
                    j += 1
                    continue
                if rest.startswith("="):
                    rest = rest[1:]
                if rest:
                    assign(f, rest)
                elif i < len(argv):
                    assign(f, argv[i])
                    i += 1
                else:
                    raise FlagError(f"flag needs an argument: '{c}' in -{c}")
                break
            continue
        p.args.append(a)
    return p


GLOBAL_FLAGS = [
    Flag("debug", "bool", default=False),
    Flag("namespace", "string", "n", ""),
    Flag("kube-context", "string", default=""),
    Flag("kubeconfig", "string", default=""),
    Flag("kube-apiserver", "string", default=""),
    Flag("kube-as-user", "string", default=""),
    Flag("kube-as-group", "array"),
    Flag("kube-ca-file", "string", default=""),
    Flag("kube-insecure-skip-tls-verify", "bool", default=False),
    Flag("kube-tls-server-name", "string", default=""),
    Flag("kube-token", "string", default=""),
    Flag("burst-limit", "string", default="100"),
    Flag("qps", "string", default="0"),
    Flag("color", "string", default="auto"),
    Flag("colour", "string", default="auto"),
    Flag("content-cache", "string", default=""),
    Flag("registry-config", "string", default=""),
    Flag("repository-cache", "string", default=""),
    Flag("repository-config", "string", default=""),
    Flag("help", "bool", "h", False),
]

INSTALL_FLAGS = [
    Flag("create-namespace", "bool", default=False),
    Flag("force-replace", "bool", default=False),
    Flag("force", "bool", default=False),
    Flag("force-conflicts", "bool", default=False),
    Flag("server-side", "bool", default=True),
    Flag("no-hooks", "bool", default=False),
    Flag("replace", "bool", default=False),
    Flag("timeout", "string", default="5m0s"),
    Flag("wait-for-jobs", "bool", default=False),
    Flag("generate-name", "bool", "g", False),
    Flag("name-template", "string", default=""),
    Flag("description", "string", default=""),
    Flag("devel", "bool", default=False),
    Flag("dependency-update", "bool", default=False),
    Flag("disable-openapi-validation", "bool", default=False),
    Flag("rollback-on-failure", "bool", default=False),
    Flag("atomic", "bool", default=False),
    Flag("skip-crds", "bool", default=False),
    Flag("render-subchart-notes", "bool", default=False),
    Flag("skip-schema-validation", "bool", default=False),
    Flag("labels", "map", "l"),
    Flag("enable-dns", "bool", default=False),
    Flag("hide-notes", "bool", default=False),
    Flag("take-ownership", "bool", default=False),
    Flag("values", "slice", "f"),
    Flag("set", "array"),
    Flag("set-string", "array"),
    Flag("set-file", "array"),
    Flag("set-json", "array"),
    Flag("set-literal", "array"),
    Flag("version", "string", default=""),
    Flag("verify", "bool", default=False),
    Flag("keyring", "string", default=""),
    Flag("repo", "string", default=""),
    Flag("username", "string", default=""),
    Flag("password", "string", default=""),
    Flag("cert-file", "string", default=""),
    Flag("key-file", "string", default=""),
    Flag("ca-file", "string", default=""),
    Flag("insecure-skip-tls-verify", "bool", default=False),
    Flag("plain-http", "bool", default=False),
    Flag("pass-credentials", "bool", default=False),
    Flag("wait", "opt", default="hookOnly", no_opt="watcher"),
    Flag("post-renderer", "string", default=""),
    Flag("post-renderer-args", "array"),
    Flag("preset", "slice"),
]

TEMPLATE_FLAGS = INSTALL_FLAGS + [
    Flag("show-only", "array", "s"),
    Flag("output-dir", "string", default=""),
    Flag("validate", "bool", default=False),
    Flag("include-crds", "bool", default=False),
    Flag("skip-tests", "bool", default=False),
    Flag("is-upgrade", "bool", default=False),
    Flag("kube-version", "string", default=""),
    Flag("api-versions", "slice", "a"),
    Flag("release-name", "bool", default=False),
    Flag("dry-run", "opt", default="client", no_opt="unset"),
]


class CommandError(Exception):
    """``Error: <msg>`` on stderr, exit 1."""


def fail(msg: str, code: int = 1) -> None:
    sys.stdout.flush()
    sys.stderr.write(f"Error: {msg}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _kubeconfig_server(p: Parsed) -> str | None:
    """The API server of the current context of the kubeconfig, if one is configured."""
    path = p.get("kubeconfig") or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0]
    if not path:
        path = os.path.expanduser("~/.kube/config")
    try:
        from kelm.values.yamlload import load_yaml

        with open(path, encoding="utf-8") as fh:
            cfg = load_yaml(fh.read())
        ctx_name = p.get("kube-context") or cfg.get("current-context")
        ctx = next(c["context"] for c in cfg.get("contexts") or [] if c.get("name") == ctx_name)
        cluster = next(
            c["cluster"] for c in cfg.get("clusters") or [] if c.get("name") == ctx.get("cluster")
        )
        return str(cluster.get("server") or "") or None
    except Exception:  # noqa: BLE001 - no usable kubeconfig: client-go's default applies
        return None


def cluster_unreachable(p: Parsed) -> str:
    """Helm's error when no Kubernetes API server answers (kelm has no cluster client yet)."""
    server = p.get("kube-apiserver") or _kubeconfig_server(p) or "http://localhost:8080"
    if "://" not in server:
        server = "https://" + server
    host = server.split("://", 1)[1].split("/", 1)[0]
    hostport = host if ":" in host else host + (":443" if server.startswith("https") else ":80")
    if hostport.startswith("localhost:"):
        hostport = "127.0.0.1" + hostport[len("localhost") :]
    return (
        "kubernetes cluster unreachable: Get "
        f'"{server.rstrip("/")}/version": dial tcp {hostport}: connect: connection refused'
    )


# -- shared install/template plumbing -----------------------------------------------------


def name_and_chart(p: Parsed, release_name_default: str = "") -> tuple[str, str]:
    """Helm's ``Install.NameAndChart``."""
    args = p.args
    gen = p.get("generate-name")
    tmpl = p.get("name-template")
    if len(args) > 2:
        raise CommandError(
            "expected at most two arguments, unexpected arguments: " + ", ".join(args[2:])
        )
    if len(args) == 2:
        if gen:
            raise CommandError("cannot set --generate-name and also specify a name")
        if tmpl:
            raise CommandError("cannot set --name-template and also specify a name")
        return args[0], args[1]
    if tmpl:
        return render_name_template(tmpl), args[0]
    if release_name_default:
        return release_name_default, args[0]
    if not gen:
        raise CommandError("must either provide a name or specify --generate-name")
    import time

    base = os.path.basename(args[0].rstrip("/")) or "chart"
    if base == ".":
        base = "chart"
    base = base.split(".", 1)[0]
    return f"{base}-{int(time.time())}", args[0]


def render_name_template(text: str) -> str:
    from kelm.funcs import sprig_funcs
    from kelm.gotemplate import TemplateSet
    from kelm.gotemplate.errors import TemplateError

    ts = TemplateSet(sprig_funcs(), "default", "name-template")
    try:
        ts.parse("name-template", text)
        return ts.execute("name-template", None)
    except TemplateError as e:
        raise CommandError(str(e)) from None


def locate_chart(name: str, p: Parsed) -> str:
    name = name.strip()
    if not p.get("repo") and os.path.exists(name):
        return os.path.abspath(name)
    if os.path.isabs(name) or name.startswith("."):
        raise CommandError(f'path "{name}" not found')
    if "://" in name or p.get("repo"):
        raise CommandError(
            f'failed to download "{name}": kelm works offline; pass a chart directory or a '
            ".tgz file"
        )
    if "/" not in name:
        raise CommandError(
            f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
        )
    repo = name.split("/", 1)[0]
    raise CommandError(f"repo {repo} not found")


def value_options(p: Parsed) -> Any:
    from kelm.values.options import ValueOptions

    return ValueOptions(
        value_files=p.get("values"),
        json_values=p.get("set-json"),
        values=p.get("set"),
        string_values=p.get("set-string"),
        file_values=p.get("set-file"),
        literal_values=p.get("set-literal"),
    )


def post_renderer(p: Parsed) -> Any:
    cmd = p.get("post-renderer")
    if not cmd:
        return None
    if cmd.startswith("kustomize:"):  # kelm's built-in kustomize post-renderer
        from kelm.kustomize.postrender import post_render

        directory = cmd[len("kustomize:"):]
        if not os.path.isdir(directory):
            raise CommandError(f"kustomize post-renderer: '{directory}' is not a directory")
        return lambda text: post_render(text, directory)
    import shutil
    import subprocess

    path = cmd if os.path.sep in cmd else (shutil.which(cmd) or cmd)
    if not os.path.exists(path):
        raise CommandError(
            f'invalid argument "{cmd}" for "--post-renderer" flag: plugin: '
            f"{{Name:{cmd} Type:postrenderer/v1}} not found"
        )
    args = list(p.get("post-renderer-args") or [])

    def run(text: str) -> str:
        proc = subprocess.run([path, *args], input=text.encode(), capture_output=True)
        if proc.returncode != 0:
            raise RuntimeError(
                f"error while running command {path}. error output:\n"
                f"{proc.stderr.decode(errors='replace')}: exit status {proc.returncode}"
            )
        return proc.stdout.decode("utf-8", errors="replace")

    return run


def prepare(p: Parsed, command: str, release_default: str) -> tuple[Any, Any, Any, list[str]]:
    """Name, chart, user values and options; returns (chart, values, opts, logs)."""
    from kelm.chart import ChartError, check_dependencies, load_chart
    from kelm.chart.dependencies import MissingDependencies
    from kelm.render.action import ActionError, InstallOptions, check_installable
    from kelm.render.manifests import _slog_value
    from kelm.values.options import ValuesError

    logs: list[str] = []
    debug = bool(p.get("debug"))
    if debug:
        write_stderr_lines(
            [f'level=DEBUG msg="Original chart version" version={_slog_value(p.get("version") or "")}']
        )
    name, chart_ref = name_and_chart(p, release_default)
    chart_path = locate_chart(chart_ref, p)
    if debug:
        write_stderr_lines([f'level=DEBUG msg="Chart path" path={_slog_value(chart_path)}'])
    try:
        vals = value_options(p).merge_values()
    except ValuesError as e:
        raise CommandError(str(e)) from None
    try:
        chart = load_chart(chart_path)
    except ChartError as e:
        raise CommandError(str(e)) from None
    try:
        check_installable(chart)
    except ActionError as e:
        raise CommandError(str(e)) from None
    if chart.metadata.deprecated:
        logs.append('level=WARN msg="this chart is deprecated"')
    if chart.metadata.dependencies:
        try:
            check_dependencies(chart)
        except MissingDependencies as e:
            if p.get("dependency-update"):
                chart = _dependency_update(chart_path, e)
            else:
                raise CommandError(
                    "an error occurred while checking for chart dependencies. You may need to "
                    f"run `helm dependency build` to fetch missing dependencies: {e}"
                ) from None
    kube_version = None
    kv = p.get("kube-version") or ""
    if kv:
        from kelm.render.scope import KubeVersionError, parse_kube_version

        try:
            kube_version = parse_kube_version(kv)
        except KubeVersionError as e:
            raise CommandError(f"invalid kube version '{kv}': {e}") from None
    opts = InstallOptions(
        release_name=name,
        namespace=p.get("namespace") or _default_namespace(),
        is_upgrade=bool(p.get("is-upgrade")),
        kube_version=kube_version,
        api_versions=list(p.get("api-versions") or []),
        include_crds=bool(p.get("include-crds")),
        sub_notes=bool(p.get("render-subchart-notes")),
        skip_schema_validation=bool(p.get("skip-schema-validation")),
        labels=dict(p.get("labels") or {}),
        post_renderer=post_renderer(p),
        enable_dns=bool(p.get("enable-dns")),
        description=p.get("description") or "",
        server_side_apply=bool(p.get("server-side")),
        debug=debug,
        presets=_load_presets(p),
    )
    return chart, vals, opts, logs


def _load_presets(p: Parsed) -> list[Any]:
    paths = p.get("preset") or []
    if not paths:
        return []
    from kelm.presets.errors import PresetError
    from kelm.presets.loader import load_presets

    try:
        return load_presets(paths)
    except (PresetError, OSError) as e:
        raise CommandError(str(e)) from None


def _default_namespace() -> str:
    return os.environ.get("HELM_NAMESPACE") or "default"


def _dependency_update(chart_path: str, err: Exception) -> Any:
    """``--dependency-update``: vendor file:// dependencies (offline), then reload."""
    from kelm.chart import ChartError, load_chart
    from kelm.chart.depupdate import update_dependencies

    try:
        chart = load_chart(chart_path)
        for line in update_dependencies(chart_path, chart):
            sys.stdout.write(line + "\n")
        return load_chart(chart_path)
    except ChartError as e:
        raise CommandError(str(e)) from None


def write_stderr_lines(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")


def run_template(argv: list[str]) -> None:
    from kelm.render.action import ActionError, render_chart

    try:
        p = parse_flags(argv, TEMPLATE_FLAGS + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    if p.get("help"):
        print(HELP)
        return
    if not p.args:
        fail('"helm template" requires at least 1 argument\n\nUsage:  helm template [NAME] '
             "[CHART] [flags]")
    if "validate" in p.given and "dry-run" in p.given:
        fail("if any flags in the group [validate dry-run] are set none of the others can be; "
             "[dry-run validate] were all set")
    if p.get("validate"):
        sys.stderr.write("Flag --validate has been deprecated, use '--dry-run=server' instead\n")
    debug = bool(p.get("debug"))
    try:
        strategy = dry_run_strategy(p, True)
    except CommandError as e:
        fail(str(e))
        return
    if p.get("validate") or strategy == "server":
        msg = cluster_unreachable(p)
        sys.stderr.write(f'level=ERROR msg="cluster reachability check failed: {_esc(msg)}"\n')
        fail(f"cluster reachability check failed: {msg}")
    try:
        chart, vals, opts, logs = prepare(p, "template", "release-name")
    except CommandError as e:
        fail(str(e))
        return
    write_stderr_lines(logs)
    try:
        rel = render_chart(chart, vals, opts)
        err: ActionError | None = None
    except ActionError as e:
        rel = e.release
        err = e
    if rel is not None:
        write_stderr_lines(rel.logs)
    if err is not None and not debug:
        if rel is not None:
            fail(f"{err}\n\nUse --debug flag to render out invalid YAML")
        fail(str(err))
    if rel is not None:
        try:
            emit_template_output(rel, p)
        except CommandError as e:
            fail(str(e))
    if err is not None:
        fail(str(err))


def dry_run_strategy(p: Parsed, is_template: bool) -> str:
    """Helm's ``cmdGetDryRunFlagStrategy``: "none", "client" or "server"."""
    v = p.get("dry-run")
    if v == "unset":
        sys.stderr.write(
            "level=WARN msg=\"--dry-run is deprecated and should be replaced with "
            "'--dry-run=client'\"\n"
        )
        return "client"
    if v in ("client", "server"):
        return v
    if v == "none":
        if is_template:
            raise CommandError(f'invalid dry-run value ("{v}"). Must be "server" or "client"')
        return "none"
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        b = True
    elif v in ("0", "f", "F", "FALSE", "false", "False"):
        b = False
    else:
        raise CommandError(
            f'invalid dry-run value ("{v}"). Must be "none", "server", or "client"'
        )
    if is_template and not b:
        raise CommandError(f'invalid dry-run value ("{v}"). Must be "server" or "client"')
    result = "client" if b else "none"
    sys.stderr.write(
        f"level=WARN msg=\"boolean '--dry-run={v}' flag is deprecated and must be replaced "
        f"with '--dry-run={result}'\"\n"
    )
    return result


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def emit_template_output(rel: Any, p: Parsed) -> None:
    from kelm.render.manifests import GO_SPACE, split_manifests

    out_dir = p.get("output-dir") or ""
    skip_tests = bool(p.get("skip-tests"))
    buf = ["" if out_dir else rel.manifest.strip(GO_SPACE), "\n"]
    if out_dir:
        _write_manifests_to_dir(rel, p)
    if not p.get("no-hooks"):
        written: set[str] = set()
        for h in rel.hooks:
            if skip_tests and "test" in h.events:
                continue
            if not out_dir:
                buf.append(f"---\n# Source: {h.path}\n{h.manifest}\n")
            else:
                base = out_dir
                if p.get("release-name"):
                    base = os.path.join(out_dir, rel.name)
                target = os.path.join(base, h.path)
                append = h.path in written or os.path.exists(target)
                _write_file(base, h.path, h.manifest, append)
                written.add(h.path)
    manifests = "".join(buf)
    show = p.get("show-only") or []
    if show:
        import re

        from kelm.chart.ignore import go_match

        docs = split_manifests(manifests)
        name_re = re.compile(r"# Source: [^/]+/(.+)")
        selected = []
        for f in show:
            f = f.replace(os.sep, "/")
            missing = True
            for d in docs:
                m = name_re.search(d)
                if m is None:
                    continue
                try:
                    ok = go_match(f, m.group(1))
                except Exception:
                    ok = False
                if not ok:
                    continue
                selected.append(d)
                missing = False
            if missing:
                raise CommandError(f"could not find template {f} in chart")
        sys.stdout.write("".join(f"---\n{d}\n" for d in selected))
    else:
        sys.stdout.write(manifests)
    sys.stdout.flush()


def _write_manifests_to_dir(rel: Any, p: Parsed) -> None:
    out_dir = p.get("output-dir")
    base = os.path.join(out_dir, rel.name) if p.get("release-name") else out_dir
    written: set[str] = set()
    if p.get("include-crds"):
        for filename, f in rel.chart.crd_objects():
            _write_file(out_dir, filename, f.data.decode("utf-8", "replace"), filename in written)
            written.add(filename)
    for m in rel.manifests:
        _write_file(base, m.name, m.content, m.name in written)
        written.add(m.name)


def _write_file(out_dir: str, name: str, data: str, append: bool) -> None:
    target = out_dir + os.sep + name
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "a" if append else "w", encoding="utf-8") as fh:
        fh.write(f"---\n# Source: {name}\n{data}\n")
    sys.stdout.write(f"wrote {target}\n")


HELP = """Render chart templates locally and display the output.

Any values that would normally be looked up or retrieved in-cluster will be
faked locally. Additionally, none of the server-side testing of chart validity
(e.g. whether an API is supported) is done.

Usage:
  kelm template [NAME] [CHART] [flags]

Flags are those of helm template v4.1.4 (see `helm template --help`)."""


def make_command(name: str, runner: Any, doc: str) -> Any:
    """A click command handing its raw arguments to ``runner`` (flags parsed pflag-style)."""
    import click

    @click.command(
        name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                          "help_option_names": []},
        add_help_option=False,
        help=doc,
    )
    @click.argument("argv", nargs=-1, type=click.UNPROCESSED)
    def command(argv: tuple[str, ...]) -> None:
        guarded(runner, list(argv))

    return command


def __getattr__(name: str) -> Any:
    # the click command is built on first access, so run_template never needs click
    if name == "template":
        cmd = make_command("template", run_template, "Locally render templates (helm template).")
        globals()["template"] = cmd
        return cmd
    raise AttributeError(name)


def guarded(fn: Any, argv: list[str]) -> None:
    """Run a command; an unexpected exception becomes ``Error: ...`` (never a traceback)."""
    try:
        fn(argv)
    except (SystemExit, KeyboardInterrupt):
        raise
    except RecursionError:
        fail("rendering template failed: runtime error: stack overflow")
    except Exception as e:  # noqa: BLE001 - last-resort guard
        fail(f"{type(e).__name__}: {e}" if not str(e) else str(e))
