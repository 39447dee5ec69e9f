"""File access for one kustomization root, with kustomize's load restrictions.

Files must lie in or below the root unless the restrictor is LoadRestrictionsNone;
directories (sub-kustomizations) may live anywhere but must not form a cycle.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from kelm.kustomize.errors import KustomizeError

ROOT_ONLY = "LoadRestrictionsRootOnly"
NONE = "LoadRestrictionsNone"

_REMOTE = re.compile(
    r"^(https?://|git::|ssh://|git@|github\.com[/:]|gitlab\.com[/:]|bitbucket\.org[/:])"
)


def is_remote(path: str) -> bool:
    return bool(_REMOTE.match(path))


def _lstat_msg(p: str) -> str:
    return f"evalsymlink failure on '{p}' : lstat {p}: no such file or directory"


def _missing_msg(p: str) -> str:
    """Go's EvalSymlinks error names the first missing path component."""
    probe = p
    parts = []
    while probe and not os.path.lexists(probe):
        parts.append(probe)
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    first = parts[-1] if parts else p
    return f"evalsymlink failure on '{p}' : lstat {first}: no such file or directory"


@dataclass
class Loader:
    root: str
    restrictor: str = ROOT_ONLY
    visited: list[str] = field(default_factory=list)

    def abspath(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.root, path))

    def _check(self, p: str) -> str:
        if not os.path.lexists(p):
            raise KustomizeError(_missing_msg(p))
        real = os.path.realpath(p)
        if self.restrictor == ROOT_ONLY:
            root = os.path.realpath(self.root)
            if not (real == root or real.startswith(root.rstrip("/") + "/")):
                raise KustomizeError(f"security; file '{real}' is not in or below '{root}'")
        return real

    def load(self, path: str) -> bytes:
        if is_remote(path):
            raise KustomizeError(
                f"remote resource '{path}' cannot be fetched: remote resources are not "
                "supported offline"
            )
        p = self.abspath(path)
        if os.path.isdir(p):  # kustomize's file loader says so before its restrictor does
            raise KustomizeError(f"'{p}' must resolve to a file")
        real = self._check(p)
        try:
            with open(real, "rb") as f:
                return f.read()
        except OSError as e:
            raise KustomizeError(f"{p}: {e.strerror}") from None

    def load_text(self, path: str) -> str:
        data = self.load(path)
        return data.decode("utf-8", errors="replace")

    def exists_file(self, name: str) -> bool:
        return os.path.isfile(os.path.join(self.root, name))

    def new(self, path: str) -> Loader:
        """A loader rooted at a sub-directory (a base, overlay or component)."""
        if is_remote(path):
            raise KustomizeError(
                f"remote kustomization '{path}' cannot be fetched: remote resources are not "
                "supported offline"
            )
        p = self.abspath(path)
        if not os.path.lexists(p):
            raise KustomizeError(f"must build at directory: not a valid directory: {_missing_msg(p)}")
        real = os.path.realpath(p)
        if not os.path.isdir(real):
            raise KustomizeError(f"must build at directory: '{real}': file is not directory")
        chain = [*self.visited, os.path.realpath(self.root)]
        for v in chain:
            if v == real or v.startswith(real.rstrip("/") + "/"):
                raise KustomizeError(
                    f"cycle detected: candidate root '{real}' contains visited root '{v}'"
                )
        return Loader(real, self.restrictor, chain)


def root_loader(path: str, restrictor: str) -> Loader:
    p = os.path.abspath(path)
    if not os.path.lexists(p):
        raise KustomizeError(f"must build at directory: not a valid directory: {_missing_msg(p)}")
    real = os.path.realpath(p)
    if not os.path.isdir(real):
        raise KustomizeError(f"must build at directory: '{real}': file is not directory")
    return Loader(real, restrictor, [])
