"""``helm push CHART.tgz oci://...``: upload a packaged chart (and its ``.prov``) to a registry.

The reference is the remote joined with the chart name, tagged with its version; the manifest's
``created`` annotation is the archive's modification time, as Helm sets it, so pushing the
same file twice gives the same digest.
"""

from __future__ import annotations

import os
import posixpath
from urllib.parse import urlsplit

from kelm.repo.oci import RegistryError, RegistryOptions, go_rfc3339, push_chart

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kelm.repo.oci import PushResult


class PushError(Exception):
    """The push failed; ``str()`` is Helm's message."""


def push(chart_ref: str, remote: str, opts: RegistryOptions) -> PushResult:
    """Helm's ``ChartUploader.UploadTo`` with the OCI pusher."""
    scheme = urlsplit(remote).scheme if "://" in remote else ""
    if not scheme:
        raise PushError(f"invalid chart URL format: {remote}")
    if scheme != "oci":
        raise PushError(f'scheme "{scheme}" not supported')
    try:
        st = os.stat(chart_ref)
    except FileNotFoundError:
        raise PushError(f"{chart_ref}: no such file") from None
    except OSError as e:
        raise PushError(f"stat {chart_ref}: {(e.strerror or '').lower()}") from None
    if os.path.isdir(chart_ref):
        raise PushError("cannot push directory, must provide chart archive (.tgz)")
    from kelm.chart.loader import load_chart
    from kelm.chart.model import ChartError

    try:
        ch = load_chart(chart_ref)
        with open(chart_ref, "rb") as fh:
            data = fh.read()
        prov = None
        if os.path.exists(chart_ref + ".prov"):
            with open(chart_ref + ".prov", "rb") as fh:
                prov = fh.read()
    except ChartError as e:
        raise PushError(str(e)) from None
    except OSError as e:
        raise PushError(f"open {e.filename}: {(e.strerror or '').lower()}") from None
    base = posixpath.normpath(posixpath.join(remote.removeprefix("oci://"), ch.metadata.name))
    ref = f"{base}:{ch.metadata.version}"
    try:
        return push_chart(data, ref, opts, prov=prov, created=go_rfc3339(st.st_mtime))
    except RegistryError as e:
        raise PushError(str(e)) from None


__all__ = ["PushError", "push"]
