"""``helm status``: a stored revision of a release, with the live objects of its manifest.

:func:`load_revision` is Helm's ``releaseContent`` (the newest revision, or ``--revision N``);
:func:`fetch_resources` asks the cluster for each object of the manifest (and the pods of
workloads with a ``matchLabels`` selector) as Helm's ``kube.Client.Get`` does: as server-side
tables for the text report, as full objects for ``-o json|yaml``.  :func:`status_report` is
Helm's ``statusPrinter.WriteTable`` (``get all`` uses it too, with values and manifests), and
:func:`resources_text` prints the tables as kubectl's table printer does.

Helm walks the resources in Go map order, which is random; kelm prints them in the order of
the manifest (each kind where it first appears, its related pods after it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

RELEASE_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
ANSIC = "Mon Jan _2 15:04:05 2006"
RELATED_PODS = "v1/Pod(related)"
_SELECTOR_KINDS = ("ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job")
_STATUS_COLORS = {"deployed": "32", "failed": "31", "unknown": "31", "pending-install": "33",
                  "pending-upgrade": "33", "pending-rollback": "33", "uninstalling": "33"}


class StatusError(Exception):
    """A release that cannot be shown; ``str()`` is Helm's message."""


def valid_release_name(name: str) -> bool:
    """``chartutil.ValidateReleaseName``: a DNS-1123 subdomain of at most 53 characters."""
    return 0 < len(name) <= 53 and RELEASE_NAME.fullmatch(name) is not None


def require_reachable(client: Any) -> None:
    """Helm's ``IsReachable`` before a read action: its error, as a :class:`StatusError`."""
    from kelm.kube import KubeError

    try:
        client.check_reachable()
    except KubeError as e:
        raise StatusError(str(e)) from None


def load_revision(storage: Any, name: str, version: int = 0) -> Any:
    """Helm's ``releaseContent``: revision ``version``, or the newest one when it is <= 0."""
    from kelm.release.errors import StorageError

    if not valid_release_name(name):
        raise StatusError(f"releaseContent: Release name is invalid: {name}")
    try:
        return storage.last(name) if version <= 0 else storage.get(name, version)
    except StorageError as e:
        raise StatusError(str(e)) from None


# ---- the live objects


def _selector(obj: dict[str, Any]) -> dict[str, str] | None:
    """``getSelectorFromObject``: the pod selector of a workload (None: none to follow)."""
    kind = obj.get("kind")
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if kind in _SELECTOR_KINDS:
        sel = spec.get("selector")
        found = sel.get("matchLabels") if isinstance(sel, dict) else None
    elif kind == "ReplicationController":
        found = spec.get("selector")
    else:
        return None
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        return None
    return {str(k): v for k, v in found.items()}


def fetch_resources(client: Any, manifest: str, table: bool,
                    debug: Callable[[str], Any] | None = None) -> dict[str, list[Any]]:
    """``kube.Client.Get(resources, related=true)``: ``"VERSION/KIND"`` -> the objects found
    (tables when ``table``); objects that cannot be read are left out, as Helm does.
    ``debug`` gets Helm's ``--debug`` log lines."""
    from kelm.action.apply import parse_objects
    from kelm.kube import KubeError, NoMatch
    from kelm.release.labels import selector

    out: dict[str, list[Any]] = {}
    seen: list[dict[str, str]] = []
    for obj in parse_objects(manifest):
        api_version, kind = str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")
        meta = obj.get("metadata") or {}
        name = str(meta.get("name", ""))
        try:
            res = client.resource_for(api_version, kind)
        except NoMatch:
            continue  # a kind the server no longer serves (its CRD deleted): Helm skips it
        ns = str(meta.get("namespace") or client.namespace) if res.namespaced else ""
        try:
            found = (client.get_table if table else client.get)(api_version, kind, name, ns)
        except KubeError:
            continue
        version = api_version.rsplit("/", 1)[-1]
        out.setdefault(f"{version}/{kind}", []).append(found)
        if debug is not None:
            debug(debug_line("get relation pod of object", namespace=ns, name=name, kind=kind))
        sel = _selector(obj)
        if sel is None or sel in seen:
            continue
        seen.append(sel)
        try:
            out.setdefault(RELATED_PODS, []).append(
                _related_pods(client, ns or client.namespace, selector(sel), table))
        except KubeError:
            continue
    return out


def _related_pods(client: Any, namespace: str, label_selector: str, table: bool) -> Any:
    """The pods a workload selects: one Table, or the ``PodList`` as the server sends it
    (its items carrying apiVersion and kind, as Go's unstructured decoding leaves them)."""
    if table:
        return client.list_table("v1", "Pod", namespace, label_selector)
    items, version = client.list_with_version("v1", "Pod", namespace, label_selector)
    return {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": version},
            "items": items}


def debug_line(msg: str, **attrs: str) -> str:
    """A ``level=DEBUG`` line as Helm's slog text handler writes it."""
    from kelm.golang.slog import text_value

    tail = "".join(f" {k}={text_value(v)}" for k, v in attrs.items())
    return f"level=DEBUG msg={text_value(msg)}{tail}\n"


# ---- kubectl's table printer


def _cell(v: Any) -> str:
    if isinstance(v, str):
        cut = min((i for i in (v.find("\f"), v.find("\n"), v.find("\r")) if i >= 0), default=-1)
        return v if cut < 0 else v[:cut] + "..."
    if v is None:
        return ""
    from kelm.golang.fmt import sprint

    return sprint(v)


def tabwrite(rows: list[list[str]], minwidth: int = 6, padding: int = 3) -> str:
    """Go's text/tabwriter as kubectl sets it up: each cell but a line's last one padded to
    its column (widest cell + padding, at least ``minwidth``); widths count runes."""
    widths: list[int] = []
    for row in rows:
        for i, c in enumerate(row[:-1]):
            if i == len(widths):
                widths.append(minwidth)
            widths[i] = max(widths[i], len(c) + padding)
    return "".join("".join(c.ljust(widths[i]) for i, c in enumerate(row[:-1]))
                   + (row[-1] if row else "") + "\n" for row in rows)


class TablePrinter:
    """kubectl's ``HumanReadablePrinter`` for server-side tables: the header is left out when
    the columns are those of the table printed before (after one that had rows)."""

    def __init__(self) -> None:
        self.last_columns: Any = None
        self.printed_headers = False

    def print_table(self, table: Any) -> str:
        if not isinstance(table, dict) or table.get("kind") != "Table":
            return ""
        columns = table.get("columnDefinitions") or []
        rows = table.get("rows") or []
        no_headers = self.printed_headers and (not columns or columns == self.last_columns)
        if not columns:
            columns = self.last_columns or []
        elif columns != self.last_columns:
            self.last_columns = columns
            self.printed_headers = False
        if rows:
            self.printed_headers = True
        shown = [i for i, c in enumerate(columns) if not c.get("priority")]
        lines: list[list[str]] = []
        if not no_headers:
            if not rows:
                return ""
            lines.append([str(columns[i].get("name", "")).upper() for i in shown])
        for row in rows:
            cells = row.get("cells") or []
            lines.append([_cell(cells[i]) if i < len(cells) else "" for i in shown])
        return tabwrite(lines)


def resources_text(resources: dict[str, list[Any]]) -> str:
    """The body of the RESOURCES section: ``==> KEY`` and its tables, a blank line after each."""
    printer = TablePrinter()
    out = []
    for key, tables in resources.items():
        out.append(f"==> {key}\n")
        out.extend(printer.print_table(t) for t in tables)
        out.append("\n")
    return "".join(out)


# ---- the report


def _colored(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _ansic(t: Any) -> str:
    from kelm.golang.time import zero_time

    return (t or zero_time()).Format(ANSIC)


def status_report(rel: Any, *, color: bool = False, debug: bool = False,
                  show_metadata: bool = False, hide_notes: bool = False,
                  resources: str = "") -> str:
    """``statusPrinter.WriteTable`` for a stored release: the text ``helm status`` (and
    ``helm get all``, with ``debug`` and ``show_metadata``; ``install``/``upgrade``, with
    ``hide_notes`` for ``--hide-notes``) prints; ``resources``: :func:`resources_text`."""
    from kelm.yaml import dump_v2

    info = rel.info
    out = [f"NAME: {rel.name}\n"]
    if info.last_deployed is not None:
        out.append(f"LAST DEPLOYED: {_ansic(info.last_deployed)}\n")
    out.append(f"NAMESPACE: {_colored(rel.namespace, '36', color)}\n")
    out.append(f"STATUS: {_colored(info.status, _STATUS_COLORS.get(info.status), color)}\n")
    out.append(f"REVISION: {rel.version}\n")
    if show_metadata:
        md = rel.chart.metadata
        out.append(f"CHART: {md.name}\nVERSION: {md.version}\nAPP_VERSION: {md.app_version}\n")
    out.append(f"DESCRIPTION: {info.description}\n")
    if resources:
        out.append(f"RESOURCES:\n{resources}\n")
    tests = [h for h in rel.hooks if "test" in h.events]
    if not tests:
        out.append("TEST SUITE: None\n")
    for h in tests:
        run = h.last_run
        if run.started_at is None:
            continue  # never ran
        out.append(f"TEST SUITE:     {h.name}\nLast Started:   {_ansic(run.started_at)}\n"
                   f"Last Completed: {_ansic(run.completed_at)}\nPhase:          {run.phase}\n")
    if debug:
        from kelm.values.coalesce import coalesce_values

        out.append("USER-SUPPLIED VALUES:\n" + dump_v2(rel.config or None) + "\n")
        out.append("COMPUTED VALUES:\n" + dump_v2(coalesce_values(rel.chart, rel.config))
                   + "\n")
    if debug or info.description.lower() == "dry run complete":
        out.append("HOOKS:\n")
        out.extend(f"---\n# Source: {h.path}\n{h.manifest}\n" for h in rel.hooks)
        out.append(f"MANIFEST:\n{rel.manifest}\n")
    if info.notes and not hide_notes:
        from kelm.render.manifests import go_trim

        out.append(f"NOTES:\n{go_trim(info.notes)}\n")
    return "".join(out)


def release_document(rel: Any, fmt: str) -> str:
    """``-o json|yaml``: the release record without its chart (resources included)."""
    chart, rel.chart = rel.chart, None
    try:
        text = rel.to_json()
    finally:
        rel.chart = chart
    if fmt == "json":
        return text + "\n"
    import json

    from kelm.yaml import dump_v2

    return dump_v2(json.loads(text))


def release_status(client: Any, storage: Any, name: str, version: int, fmt: str,
                   debug: Callable[[str], Any] | None = None) -> Any:
    """``Status.Run``: the revision with ``info.resources`` filled from the cluster."""
    from kelm.kube import KubeError

    require_reachable(client)
    rel = load_revision(storage, name, version)
    try:
        rel.info.resources = fetch_resources(client, rel.manifest, fmt == "table", debug)
    except KubeError as e:
        raise StatusError(str(e)) from None
    return rel


__all__ = ["ANSIC", "StatusError", "TablePrinter", "debug_line", "fetch_resources", "load_revision",
           "release_document", "release_status", "require_reachable", "resources_text",
           "status_report", "tabwrite", "valid_release_name"]
