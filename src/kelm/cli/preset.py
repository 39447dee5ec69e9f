"""``kelm preset``: PodPreset CRD, client-side application, explain, webhook serve/config."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.root import refuse_kube_flags


def _fail(err: Exception) -> None:
    from kelm.presets.errors import PresetError

    lines = [f"Error: {err}"]
    if isinstance(err, PresetError) and len(err.problems) > 1:
        lines += [f"  - {p}" for p in err.problems]
    sys.stderr.write("\n".join(lines) + "\n")
    raise SystemExit(1)


def _echo(text: str, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text)


def _dump(docs: list[Any]) -> str:
    from kelm.presets.yamlio import dump_documents

    return dump_documents(docs)


def _load(files: list[str]) -> tuple[list[Any], list[Any]]:
    """(preset documents as Document, other manifests) from files, dirs or '-' (stdin)."""
    from kelm.presets.apply import coerce_presets
    from kelm.presets.loader import Document, load_documents, load_paths, presets_from_documents
    from kelm.presets.model import is_preset_document

    docs: list[Document] = []
    for f in files:
        if f == "-":
            docs += load_documents(sys.stdin.read(), "<stdin>")
        else:
            docs += load_paths([f])
    preset_docs = [d for d in docs if is_preset_document(d.data) or _is_preset_list(d.data)]
    others = [d.data for d in docs if not (is_preset_document(d.data) or _is_preset_list(d.data))]
    presets = coerce_presets(presets_from_documents(preset_docs))
    return presets, others


def _is_preset_list(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == "PodPresetList"


def _required(p: Parsed, *names: str) -> None:
    missing = [n for n in names if not p.get(n)]
    if missing:
        fail("required flag(s) " + ", ".join(f'"{n}"' for n in missing) + " not set")


def _choice(*allowed: str) -> Any:
    def check(v: str) -> str:
        return "" if v in allowed else "must be one of " + ", ".join(allowed)

    return check


def _int_range(lo: int, hi: int | None = None) -> Any:
    def check(v: str) -> str:
        try:
            n = int(v, 0)
        except ValueError:
            return ""  # the int parser reports it
        if n < lo or (hi is not None and n > hi):
            return f"must be in [{lo}, {hi}]" if hi is not None else f"must be >= {lo}"
        return ""

    return check


def _crd(cmd: Command, p: Parsed) -> None:
    from kelm.presets.manifests import crd

    _echo(_dump([crd(p.get("group"))]))


def _apply(cmd: Command, p: Parsed) -> None:
    from kelm.presets.apply import apply_presets
    from kelm.presets.errors import PresetError

    _required(p, "filename")
    try:
        presets, objects = _load(p.get("filename"))
        result = apply_presets(presets, objects, namespace=p.get("namespace"))
    except PresetError as e:
        _fail(e)
        return
    if not presets:
        _echo("warning: no PodPreset found in the inputs\n", err=True)
    _echo(_dump(result.objects))
    for report in result.conflicts:
        _echo(f"warning: {report.ref}: {report.message}\n", err=True)
        for conflict in report.conflicts:
            _echo(f"  {conflict}\n", err=True)
    if p.get("fail-on-conflict") and result.conflicts:
        raise SystemExit(2)


def _explain(cmd: Command, p: Parsed) -> None:
    from kelm.presets.apply import apply_presets
    from kelm.presets.errors import PresetError
    from kelm.presets.explain import explain, summary

    _required(p, "filename")
    try:
        presets, objects = _load(p.get("filename"))
        result = apply_presets(presets, objects, namespace=p.get("namespace"))
    except PresetError as e:
        _fail(e)
        return
    if p.get("output") == "json":
        import json

        data = {"presets": [x.ref for x in presets], "objects": [r.to_dict() for r in result.reports]}
        _echo(json.dumps(data, indent=2) + "\n")
        return
    _echo(f"{len(presets)} preset(s); {summary(result.reports)}\n")
    _echo("(+ added, = already present)\n\n")
    _echo(explain(result.reports, verbose=bool(p.get("verbose"))))


def _serve(cmd: Command, p: Parsed) -> None:
    import logging
    import ssl

    from kelm.presets.errors import PresetError
    from kelm.presets.webhook import serve

    _required(p, "presets", "tls-cert", "tls-key")
    if not os.path.isdir(p.get("presets")):
        raise CommandError(f"--presets: directory '{p.get('presets')}' does not exist")
    for name in ("tls-cert", "tls-key"):
        if not os.path.isfile(p.get(name)):
            raise CommandError(f"--{name}: file '{p.get(name)}' does not exist")
    logging.basicConfig(
        level=p.get("log-level").upper(), stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    host, port = p.get("host"), p.get("port")
    try:
        serve(
            p.get("presets"), host=host, port=port, certfile=p.get("tls-cert"),
            keyfile=p.get("tls-key"), poll_interval=p.get("poll-interval"),
            default_namespace=p.get("default-namespace"),
            max_request_bytes=p.get("max-request-bytes"),
            max_connections=p.get("max-connections"),
        )
    except PresetError as e:
        _fail(e)
    except (OSError, ssl.SSLError) as e:
        _fail(RuntimeError(f"cannot serve on {host}:{port}: {e}"))


def _webhook_config(cmd: Command, p: Parsed) -> None:
    from kelm.presets import certs
    from kelm.presets.manifests import WebhookInstall, webhook_manifests

    name, namespace = p.get("name"), p.get("namespace")
    opts = WebhookInstall(
        name=name, namespace=namespace, service_port=p.get("port"),
        target_port=p.get("target-port"), failure_policy=p.get("failure-policy"),
        timeout_seconds=p.get("timeout"),
    )
    bundle = certs.generate(certs.service_dns_names(name, namespace), days=p.get("days"))
    cert_dir = p.get("cert-dir")
    if cert_dir:
        out = Path(cert_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "ca.crt").write_bytes(bundle.ca_cert)
        (out / "tls.crt").write_bytes(bundle.cert)
        (out / "tls.key").write_bytes(bundle.key)
        (out / "tls.key").chmod(0o600)
    _echo(_dump(webhook_manifests(opts, bundle.ca_cert, bundle.cert, bundle.key)))


def _files() -> Flag:
    return Flag("filename", "array", "f",
                help="preset and manifest files or directories (repeatable; '-' reads stdin)")


def _namespace(default: str, what: str) -> Flag:
    return Flag("namespace", "string", "n", default, help=what)


_NS_HELP = "namespace of objects and presets that do not name one"

COMMAND = Command(
    "preset", short="PodPresets: inject env, envFrom, volumes and mounts into matching pods",
    long="\nPodPreset (settings.k8s.io/v1alpha1): inject env, envFrom, volumes and volume\n"
         "mounts into the pods and pod templates a preset's selector matches, client-side\n"
         "('apply', 'explain', 'kelm template --preset') or as a mutating admission webhook\n"
         "('serve', 'webhook-config').\n",
    pre_run=refuse_kube_flags("preset"),
    subcommands=[
        Command("apply", short="apply the PodPresets of the inputs to every pod and pod "
                "template, print the YAML",
                flags=[_files(), _namespace("default", _NS_HELP),
                       Flag("fail-on-conflict", "bool", default=False,
                            help="exit 2 when presets conflict on a pod")],
                args=("none",), run=_apply),
        Command("crd", short="print the PodPreset CustomResourceDefinition",
                flags=[Flag("group", "string", default="settings.k8s.io",
                            help="API group of the CRD")],
                args=("none",), run=_crd),
        Command("explain", short="show which preset changed which container, and why a preset "
                "was skipped",
                flags=[_files(), _namespace("default", _NS_HELP),
                       Flag("verbose", "bool", "v", False,
                            help="also list other-namespace presets and non-pod kinds"),
                       Flag("output", "string", "o", "text", check=_choice("text", "json"),
                            help="output format: text or json")],
                args=("none",), run=_explain),
        Command("serve", short="run the mutating admission webhook (AdmissionReview v1 over TLS)",
                flags=[
                    Flag("presets", "string", default="", help="directory of PodPreset files"),
                    Flag("tls-cert", "string", default="", help="serving certificate (PEM)"),
                    Flag("tls-key", "string", default="", help="serving key (PEM)"),
                    Flag("port", "int", default=8443, help="port to listen on"),
                    Flag("host", "string", default="0.0.0.0", help="address to listen on"),
                    Flag("poll-interval", "float", default=2.0, default_text="2",
                         help="seconds between checks of the presets directory"),
                    Flag("default-namespace", "string", default="default",
                         help="namespace of presets that do not name one"),
                    Flag("max-request-bytes", "int", default=4 * 1024 * 1024,
                         help="largest AdmissionReview request accepted"),
                    Flag("max-connections", "int", default=512, check=_int_range(1),
                         help="concurrent connections served (one thread each); more are "
                              "refused"),
                    Flag("log-level", "string", default="info",
                         check=_choice("debug", "info", "warning", "error"),
                         help="debug, info, warning or error"),
                ],
                args=("none",), run=_serve),
        Command("webhook-config", short="print the MutatingWebhookConfiguration, Service and "
                "certificate Secret",
                flags=[
                    Flag("name", "string", default="kelm-podpreset", help="name of all objects"),
                    _namespace("kelm-system", "webhook namespace"),
                    Flag("failure-policy", "string", default="Ignore",
                         check=_choice("Ignore", "Fail"), help="Ignore or Fail"),
                    Flag("port", "int", default=443, help="service port"),
                    Flag("target-port", "int", default=8443, help="container port"),
                    Flag("timeout", "int", default=5, check=_int_range(1, 30),
                         help="webhook timeout in seconds (1-30)"),
                    Flag("days", "int", default=365, check=_int_range(1, 36500),
                         help="validity of the serving certificate in days"),
                    Flag("cert-dir", "string", default="",
                         help="also write ca.crt, tls.crt and tls.key to this directory"),
                ],
                args=("none",), run=_webhook_config),
    ],
)
