"""``kelm preset``: PodPreset CRD, client-side application, explain, webhook serve/config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click


def _fail(err: Exception) -> None:
    from kelm.presets.errors import PresetError

    lines = [f"Error: {err}"]
    if isinstance(err, PresetError) and len(err.problems) > 1:
        lines += [f"  - {p}" for p in err.problems]
    click.echo("\n".join(lines), err=True)
    sys.exit(1)


def _dump(docs: list[Any]) -> str:
    from kelm.presets.yamlio import dump_documents

    return dump_documents(docs)


def _load(files: tuple[str, ...]) -> tuple[list[Any], list[Any]]:
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


@click.group("preset")
def preset() -> None:
    """PodPreset: inject env, envFrom, volumes and mounts into matching pods."""


@preset.command("crd")
@click.option("--group", default="settings.k8s.io", show_default=True, help="API group of the CRD.")
def crd_cmd(group: str) -> None:
    """Print the PodPreset CustomResourceDefinition."""
    from kelm.presets.manifests import crd

    click.echo(_dump([crd(group)]), nl=False)


_files = click.option(
    "-f", "--filename", "files", multiple=True, required=True,
    help="Preset and manifest files or directories (repeatable; '-' reads stdin).",
)
_namespace = click.option(
    "-n", "--namespace", default="default", show_default=True,
    help="Namespace of objects and presets that do not name one.",
)


@preset.command("apply")
@_files
@_namespace
@click.option("--fail-on-conflict", is_flag=True, help="Exit 2 when presets conflict on a pod.")
def apply_cmd(files: tuple[str, ...], namespace: str, fail_on_conflict: bool) -> None:
    """Apply the PodPresets found in the inputs to every pod and pod template, print the YAML."""
    from kelm.presets.apply import apply_presets
    from kelm.presets.errors import PresetError

    try:
        presets, objects = _load(files)
        result = apply_presets(presets, objects, namespace=namespace)
    except PresetError as e:
        _fail(e)
        return
    if not presets:
        click.echo("warning: no PodPreset found in the inputs", err=True)
    click.echo(_dump(result.objects), nl=False)
    for report in result.conflicts:
        click.echo(f"warning: {report.ref}: {report.message}", err=True)
        for conflict in report.conflicts:
            click.echo(f"  {conflict}", err=True)
    if fail_on_conflict and result.conflicts:
        sys.exit(2)


@preset.command("explain")
@_files
@_namespace
@click.option("-v", "--verbose", is_flag=True, help="Also list other-namespace presets and non-pod kinds.")
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain_cmd(files: tuple[str, ...], namespace: str, verbose: bool, output: str) -> None:
    """Show which preset changed which container, and why a preset was skipped."""
    from kelm.presets.apply import apply_presets
    from kelm.presets.errors import PresetError
    from kelm.presets.explain import explain, summary

    try:
        presets, objects = _load(files)
        result = apply_presets(presets, objects, namespace=namespace)
    except PresetError as e:
        _fail(e)
        return
    if output == "json":
        import json

        data = {"presets": [p.ref for p in presets], "objects": [r.to_dict() for r in result.reports]}
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{len(presets)} preset(s); {summary(result.reports)}")
    click.echo("(+ added, = already present)\n")
    click.echo(explain(result.reports, verbose=verbose), nl=False)


@preset.command("serve")
@click.option("--presets", "presets_dir", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--tls-cert", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--tls-key", required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--port", default=8443, show_default=True, type=int)
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--poll-interval", default=2.0, show_default=True, type=float,
              help="Seconds between checks of the presets directory.")
@click.option("--default-namespace", default="default", show_default=True,
              help="Namespace of presets that do not name one.")
@click.option("--max-request-bytes", default=4 * 1024 * 1024, show_default=True, type=int)
@click.option("--max-connections", default=512, show_default=True, type=click.IntRange(1),
              help="Concurrent connections served (one thread each); more are refused.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]))
def serve_cmd(
    presets_dir: str, tls_cert: str, tls_key: str, port: int, host: str, poll_interval: float,
    default_namespace: str, max_request_bytes: int, max_connections: int, log_level: str,
) -> None:
    """Run the mutating admission webhook (AdmissionReview v1 over TLS)."""
    import logging
    import ssl

    from kelm.presets.errors import PresetError
    from kelm.presets.webhook import serve

    logging.basicConfig(
        level=log_level.upper(), stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        serve(
            presets_dir, host=host, port=port, certfile=tls_cert, keyfile=tls_key,
            poll_interval=poll_interval, default_namespace=default_namespace,
            max_request_bytes=max_request_bytes, max_connections=max_connections,
        )
    except PresetError as e:
        _fail(e)
    except (OSError, ssl.SSLError) as e:
        _fail(RuntimeError(f"cannot serve on {host}:{port}: {e}"))


@preset.command("webhook-config")
@click.option("--name", default="kelm-podpreset", show_default=True, help="Name of all objects.")
@click.option("--namespace", default="kelm-system", show_default=True, help="Webhook namespace.")
@click.option("--failure-policy", default="Ignore", show_default=True,
              type=click.Choice(["Ignore", "Fail"]))
@click.option("--port", default=443, show_default=True, type=int, help="Service port.")
@click.option("--target-port", default=8443, show_default=True, type=int, help="Container port.")
@click.option("--timeout", "timeout_seconds", default=5, show_default=True, type=click.IntRange(1, 30))
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500),
              help="Validity of the serving certificate.")
@click.option("--cert-dir", type=click.Path(file_okay=False),
              help="Also write ca.crt, tls.crt and tls.key to this directory.")
def webhook_config_cmd(
    name: str, namespace: str, failure_policy: str, port: int, target_port: int,
    timeout_seconds: int, days: int, cert_dir: str | None,
) -> None:
    """Print the MutatingWebhookConfiguration, Service and certificate Secret."""
    from kelm.presets import certs
    from kelm.presets.manifests import WebhookInstall, webhook_manifests

    opts = WebhookInstall(
        name=name, namespace=namespace, service_port=port, target_port=target_port,
        failure_policy=failure_policy, timeout_seconds=timeout_seconds,
    )
    bundle = certs.generate(certs.service_dns_names(name, namespace), days=days)
    if cert_dir:
        out = Path(cert_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "ca.crt").write_bytes(bundle.ca_cert)
        (out / "tls.crt").write_bytes(bundle.cert)
        (out / "tls.key").write_bytes(bundle.key)
        (out / "tls.key").chmod(0o600)
    docs = webhook_manifests(opts, bundle.ca_cert, bundle.cert, bundle.key)
    click.echo(_dump(docs), nl=False)
