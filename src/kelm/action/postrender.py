"""``--post-renderer``: the function that rewrites the rendered manifests before sorting.

``kustomize:DIR`` runs kelm's own kustomize over the manifests in-process; any other value is
an executable (a path, or a name found on PATH) that reads the manifests on stdin and writes
the new ones to stdout, with ``--post-renderer-args`` as its arguments.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable


class PostRendererError(Exception):
    """The post-renderer cannot be set up; ``str()`` is Helm's message."""


def post_renderer(command: str, args: list[str]) -> Callable[[str], str] | None:
    """The post-render function for ``--post-renderer command`` (None without one)."""
    if not command:
        return None
    if command.startswith("kustomize:"):
        from kelm.kustomize.postrender import post_render

        directory = command[len("kustomize:"):]
        if not os.path.isdir(directory):
            raise PostRendererError(f"kustomize post-renderer: '{directory}' is not a directory")
        return lambda text: post_render(text, directory)
    import shutil

    path = command if os.path.sep in command else (shutil.which(command) or command)
    if not os.path.exists(path):
        raise PostRendererError(
            f'invalid argument "{command}" for "--post-renderer" flag: plugin: '
            f"{{Name:{command} Type:postrenderer/v1}} not found"
        )
    argv = [path, *args]

    def run(text: str) -> str:
        import subprocess

        proc = subprocess.run(argv, input=text.encode(), capture_output=True)
        if proc.returncode != 0:
            raise RuntimeError(
                f"error while running command {path}. error output:\n"
                f"{proc.stderr.decode(errors='replace')}: exit status {proc.returncode}"
            )
        return proc.stdout.decode("utf-8", errors="replace")

    return run


__all__ = ["PostRendererError", "post_renderer"]
