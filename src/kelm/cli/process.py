"""Process-wide tuning for one short ``kelm`` command, kept out of the library.

``import kelm`` leaves its host program as it was (garbage collector, bytecode setting,
``re``, nothing written under ``~/.cache``).  A ``kelm`` command owns its process and runs
for a fraction of a second, so the CLI's entry point may trade generality for start-up time:
:func:`prepare` switches the tricks on, :func:`exit_now` ends the process without tearing the
interpreter down.  Call them only when kelm owns the process (the ``kelm`` console script or
``python -m kelm``, i.e. ``main()`` without explicit arguments), never from a library caller.
"""

from __future__ import annotations

import sys

_PREPARED: list[bool] = []


def prepare() -> None:
    """Tune this process for one short command (idempotent)."""
    if _PREPARED:
        return
    _PREPARED.append(True)
    _keep_bytecode()
    import gc

    # One command per process: the cyclic collector only re-walks the long-lived modules,
    # templates and values it builds -- 5-10% of a run, 15% on large charts -- and finds
    # little to free (peak memory is the same with it off, even on the largest charts).  It
    # stays off up to the exit (a collection at shutdown costs milliseconds too).
    gc.disable()
    from kelm import cachefiles
    from kelm._pyyaml import defer_pyyaml_patterns

    cachefiles.activate()  # the machine caches (regex matchers, generated code)
    defer_pyyaml_patterns()  # PyYAML's import compiles none of its patterns (~15 ms)


def prepared() -> bool:
    """Whether :func:`prepare` ran in this process."""
    return bool(_PREPARED)


def _keep_bytecode() -> None:
    """Write bytecode even under PYTHONDONTWRITEBYTECODE: a command imports a lot of Python
    and compiling even a small module costs a run ~3 ms.  The kelm modules imported before
    this point were compiled without writing: write their .pyc now (once)."""
    sys.dont_write_bytecode = False
    import os

    for name, module in list(sys.modules.items()):
        if name != "kelm" and not name.startswith("kelm."):
            continue
        spec = getattr(module, "__spec__", None)
        if spec is None or not spec.has_location or not spec.cached or spec.loader is None:
            continue
        try:
            if os.stat(spec.cached).st_mtime >= os.stat(spec.origin).st_mtime:
                continue
        except OSError:
            pass
        try:
            spec.loader.get_code(name)  # writes the .pyc as a side effect
        except Exception:  # noqa: BLE001 - a read-only tree only costs speed
            pass


def exit_now(code: int) -> None:
    """End a one-shot command: exit handlers (cache writes) and output flushed, then leave
    without tearing down every module and object (10-15% of a run, for nothing)."""
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 1
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


__all__ = ["exit_now", "prepare", "prepared"]
