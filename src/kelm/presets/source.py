"""Preset sources: where a long-running consumer (the webhook) gets its current presets.

A source hands out an immutable snapshot; the directory source re-reads the directory
when something in it changes.  A cluster source (a watch on PodPreset objects) can be
added later behind the same protocol.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from kelm.presets.errors import PresetError
from kelm.presets.model import PodPreset

log = logging.getLogger("kelm.presets")


class PresetSource(Protocol):
    def presets(self) -> Sequence[PodPreset]:
        """The current presets (an immutable snapshot; cheap, called per request)."""
        ...

    def refresh(self) -> bool:
        """Pick up changes; True when the snapshot changed."""
        ...


class StaticSource:
    """A fixed list of presets (tests, embedding)."""

    def __init__(self, presets: Sequence[PodPreset]):
        self._presets = tuple(presets)

    def presets(self) -> Sequence[PodPreset]:
        return self._presets

    def refresh(self) -> bool:
        return False


class DirectorySource:
    """Presets from YAML files under a directory, reloaded when file mtimes/sizes change.

    An invalid file on reload is logged and the whole previous snapshot is kept, so a
    half-edited preset never takes effect.
    """

    def __init__(self, directory: str | Path, *, strict: bool = True):
        self.directory = Path(directory)
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._presets: tuple[PodPreset, ...] = ()
        if not self.directory.is_dir():
            raise PresetError("not a directory", source=str(self.directory))
        signature = self._scan()
        if strict:  # the first load must succeed: fail fast with the full error
            from kelm.presets.loader import load_presets

            self._presets = tuple(load_presets([self.directory]))
            self._signature = signature
        else:
            self._load(signature)

    def presets(self) -> Sequence[PodPreset]:
        return self._presets

    def _scan(self) -> tuple[tuple[str, int, int], ...]:
        from kelm.presets.loader import yaml_files

        entries = []
        for path in yaml_files(self.directory):
            try:
                st = os.stat(path)  # follows symlinks: a ConfigMap update retargets them
            except OSError:
                continue
            entries.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(entries)

    def refresh(self) -> bool:
        signature = self._scan()
        if signature == self._signature:
            return False
        return self._load(signature)

    def _load(self, signature: tuple[tuple[str, int, int], ...]) -> bool:
        from kelm.presets.loader import load_presets

        with self._lock:
            self._signature = signature
            try:
                presets = tuple(load_presets([self.directory]))
            except PresetError as e:
                self.last_error = str(e)
                log.error("presets not reloaded, keeping %d: %s", len(self._presets), e)
                return False
            self.last_error = None
            changed = presets != self._presets or any(
                a.version != b.version for a, b in zip(presets, self._presets, strict=False)
            )
            self._presets = presets
            log.info("loaded %d preset(s) from %s", len(presets), self.directory)
            return changed


class Poller:
    """Calls ``source.refresh()`` every ``interval`` seconds on a daemon thread."""

    def __init__(self, source: PresetSource, interval: float = 2.0):
        self.source = source
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="preset-poller", daemon=True)

    def start(self) -> Poller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.source.refresh()
            except Exception:  # a poll failure must never kill the server
                log.exception("preset reload failed")
