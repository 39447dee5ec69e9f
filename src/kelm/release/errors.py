"""Storage errors; ``str()`` is Helm's text (``release: not found`` and friends)."""

from __future__ import annotations


class ReleaseDecodeError(ValueError):
    """A stored release that is not Helm's JSON; ``str()`` says what is wrong."""


class StorageError(Exception):
    """A storage operation that failed."""


class ReleaseNotFound(StorageError):
    def __init__(self, msg: str = "release: not found") -> None:
        super().__init__(msg)


class ReleaseExists(StorageError):
    def __init__(self, msg: str = "release: already exists") -> None:
        super().__init__(msg)


class InvalidKey(StorageError):
    def __init__(self, msg: str = "release: invalid key") -> None:
        super().__init__(msg)


class NoDeployedReleases(StorageError):
    """``"NAME" has no deployed releases``."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{go_quote(name)} has no deployed releases")
        self.release_name = name


def go_quote(s: str) -> str:
    """Go's ``%q`` of a string, as Helm's messages quote names."""
    from kelm.golang.fmt import quote

    return quote(s)
