"""The ``kelm`` command: one command tree (:mod:`kelm.cli.command`) with pflag-style flags
(:mod:`kelm.cli.flags`), Helm's global flags and cobra's help and errors.

Commands live in their own modules and are imported only when the command line names them,
so ``kelm --version`` and ``kelm template`` import nothing they do not use.  ``cli`` only
parses and prints; what a command does lives in :mod:`kelm.action`.
"""

from __future__ import annotations

import sys

# (kelm/__init__.py keeps bytecode caching on, even under PYTHONDONTWRITEBYTECODE.)
from kelm import HELM_VERSION, KUSTOMIZE_VERSION, __version__

# Commands whose runner is looked up at call time (tests wrap them); the rest go straight
# through the tree.
_RUNNERS: dict[str, str] = {
    "template": "kelm.cli.template:run_template",
    "install": "kelm.cli.install:run_install",
}
# long-running commands keep the cyclic garbage collector on
_SERVERS = ("preset",)


def version_text() -> str:
    return f"kelm {__version__} (compatible with Helm {HELM_VERSION}, Kustomize {KUSTOMIZE_VERSION})"


def run_subcommand(name: str | None, argv: list[str]) -> None:
    """Run ``kelm NAME ARGV...`` (``name=None``: ``argv`` is the whole command line)."""
    from kelm.cli.command import execute
    from kelm.cli.root import root_command

    args = list(argv) if name is None else [name, *argv]
    execute(root_command(args[0] if args else None), args)


def main(argv: list[str] | None = None) -> None:
    """The ``kelm`` command.  Without ``argv`` (the console script, ``python -m kelm``) kelm
    owns the process: :func:`kelm.cli.process.prepare` tunes it and it ends without
    interpreter teardown.  With ``argv`` (an in-process caller) it raises ``SystemExit`` and
    leaves the process as it was (the cyclic collector is off only while the command runs)."""
    args = sys.argv[1:] if argv is None else list(argv)
    in_process = argv is not None
    if args == ["--version"]:
        sys.stdout.write(version_text() + "\n")
        sys.exit(0)
    import gc

    server = bool(args) and args[0] in _SERVERS
    was_enabled = gc.isenabled()
    if not in_process:
        from kelm.cli import process

        process.prepare()  # one short command: bytecode kept, gc off, machine caches on
        if server:
            gc.enable()  # a long-running webhook collects its garbage
    elif not server:
        gc.disable()
    code = 0
    try:
        first = args[0] if args else ""
        if first in _RUNNERS:
            import importlib

            module, _, attr = _RUNNERS[first].partition(":")
            getattr(importlib.import_module(module), attr)(args[1:])
        else:
            run_subcommand(None, args)
    except BrokenPipeError:
        code = 1
    except KeyboardInterrupt:
        code = 130
    except SystemExit as e:
        if in_process:
            raise
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"), as Python itself reports it
            sys.stderr.write(f"{e.code}\n")
            code = 1
    finally:
        if in_process and was_enabled:
            gc.enable()
    if in_process:
        sys.exit(code)
    from kelm.cli.process import exit_now

    exit_now(code)


__all__ = ["main", "run_subcommand", "version_text"]
