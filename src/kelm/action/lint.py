"""`kelm lint`: Helm's lint action over chart directories and packaged charts."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any

from kelm.lint.support import ERROR, INFO, WARNING, Message


@dataclass
class LintResult:
    total: int = 0
    messages: list[Message] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def has_warnings_or_errors(self) -> bool:
        return any(m.severity > INFO for m in self.messages) or bool(self.errors)


@dataclass
class LintOptions:
    strict: bool = False
    namespace: str = "default"
    quiet: bool = False
    skip_schema: bool = False
    kube_version: Any = None


def _expand(archive: str, dest: str) -> str:
    """Unpack a chart archive under ``dest``/<chart name> (Helm's ``chartutil.Expand``)."""
    from kelm.chart.archive import load_archive_files
    from kelm.chart.model import ChartError
    from kelm.yaml import YAMLError, load_helm

    with open(archive, "rb") as fh:
        data = fh.read()
    if len(data) < 10:  # Go's gzip reader wants a whole 10-byte header first
        raise ChartError("unexpected EOF" if data else "EOF")
    files = load_archive_files(data)
    name = ""
    for f in files:
        if f.name == "Chart.yaml":
            try:
                doc = load_helm(f.data.decode("utf-8", "replace"))
            except YAMLError as e:
                raise ChartError(str(e)) from None
            name = str(doc.get("name", "")) if isinstance(doc, dict) else ""
    if not name:
        raise ChartError("no Chart.yaml exists in directory")
    root = os.path.join(dest, name)
    for f in files:
        target = os.path.join(root, f.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(f.data)
    return root


def lint_path(path: str, values: dict[str, Any], opts: LintOptions) -> tuple[list[Message], str]:
    """Messages for one chart (dir or .tgz); the error text when it cannot be linted."""
    from kelm.chart.model import ChartError
    from kelm.lint.runner import run_all

    tmp = None
    try:
        chart_dir = path
        if path.endswith((".tgz", ".tar.gz")):
            tmp = tempfile.mkdtemp(prefix="helm-lint")
            try:
                chart_dir = _expand(path, tmp)
            except OSError as e:
                return [], f"unable to open tarball: open {path}: {(e.strerror or '').lower()}"
            except ChartError as e:
                return [], f"unable to extract tarball: {e}"
        chart_yaml = os.path.join(chart_dir, "Chart.yaml")
        try:
            os.stat(chart_yaml)
        except OSError as e:
            return [], ("unable to check Chart.yaml file in chart: stat "
                        f"{chart_yaml}: {(e.strerror or '').lower()}")
        linter = run_all(chart_dir, values, opts.namespace, opts.kube_version, opts.skip_schema)
        return linter.messages, ""
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def lint(paths: list[str], values: dict[str, Any], opts: LintOptions) -> LintResult:
    """Helm's ``Lint.Run``: messages of every path; errors at or above the tolerance."""
    tolerance = WARNING if opts.strict else ERROR
    result = LintResult()
    for p in paths:
        msgs, err = lint_path(p, values, opts)
        if err:
            result.errors.append(err)
            continue
        result.messages.extend(msgs)
        result.total += 1
        result.errors.extend(m.err for m in msgs if m.severity >= tolerance)
    return result


def subchart_paths(path: str) -> list[str]:
    """Charts below ``path``/charts (dirs holding a Chart.yaml, archives), in walk order."""
    out: list[str] = []
    top = os.path.normpath(os.path.join(path, "charts"))
    if not os.path.exists(top):
        return out

    def visit(p: str) -> None:
        if os.path.basename(p) == "Chart.yaml":
            out.append(os.path.dirname(p))
        elif p.endswith((".tgz", ".tar.gz")):
            out.append(p)
        if os.path.isdir(p) and not os.path.islink(p):
            for n in sorted(os.listdir(p)):
                visit(os.path.join(p, n))

    visit(top)
    return out


@dataclass
class Report:
    text: str
    summary: str
    failed: int
    noisy: int  # charts with warnings or errors


def format_report(paths: list[str], values: dict[str, Any], opts: LintOptions) -> Report:
    """The text ``helm lint`` prints for ``paths`` and its summary line."""
    parts: list[str] = []
    failed = noisy_charts = 0
    for p in paths:
        res = lint([p], values, opts)
        noisy = res.has_warnings_or_errors()
        noisy_charts += noisy
        if opts.quiet and not noisy:
            continue
        parts.append(f"==> Linting {p}\n")
        if not res.messages:
            parts.extend(f"Error {e}\n" for e in res.errors)
        for m in res.messages:
            if not opts.quiet or m.severity > INFO:
                parts.append(f"{m}\n")
        if res.errors:
            failed += 1
        parts.append("\n")
    summary = f"{len(paths)} chart(s) linted, {failed} chart(s) failed"
    return Report("".join(parts), summary, failed, noisy_charts)


__all__ = ["ERROR", "LintOptions", "LintResult", "Report", "format_report", "lint", "subchart_paths"]
