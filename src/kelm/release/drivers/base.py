"""What every storage driver offers (Helm's ``driver.Driver``), keyed by storage key."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from kelm.release.model import Release


class Driver(Protocol):
    """``get``/``delete`` return labels without the system ones; ``list``/``query`` return
    the records' labels as stored (Helm's drivers differ here, and callers rely on it)."""

    name: str

    def get(self, key: str) -> Release: ...

    def list(self, keep: Callable[[Release], bool]) -> builtins.list[Release]: ...

    def query(self, labels: dict[str, str]) -> builtins.list[Release]:
        """Records whose labels match all of ``labels``; ReleaseNotFound when none."""
        ...

    def create(self, key: str, rel: Release) -> None: ...

    def update(self, key: str, rel: Release) -> None: ...

    def delete(self, key: str) -> Release: ...
