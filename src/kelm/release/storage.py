"""Helm's ``storage.Storage``: release operations over a driver, with history pruning.

Revisions are addressed by (name, version) through the key ``sh.helm.release.v1.NAME.vN``.
``max_history`` > 0 keeps at most that many revisions of a release: creating one more first
deletes the oldest ones, never the deployed revision.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from kelm.release.errors import NoDeployedReleases, ReleaseNotFound, StorageError, go_quote
from kelm.release.labels import OWNER, make_key
from kelm.release.model import Release, Status

if TYPE_CHECKING:
    from collections.abc import Callable

    from kelm.release.drivers.base import Driver


def _by_version(rels: builtins.list[Release]) -> builtins.list[Release]:
    return sorted(rels, key=lambda r: r.version)


class Storage:
    def __init__(self, driver: Driver | None = None, max_history: int = 0) -> None:
        if driver is None:
            from kelm.release.drivers.memory import MemoryDriver

            driver = MemoryDriver()
        self.driver = driver
        self.max_history = max_history

    # ---- single records

    def get(self, name: str, version: int) -> Release:
        return self.driver.get(make_key(name, version))

    def create(self, rel: Release) -> None:
        if self.max_history > 0:
            try:
                self.remove_least_recent(rel.name, self.max_history - 1)
            except ReleaseNotFound:
                pass
        self.driver.create(make_key(rel.name, rel.version), rel)

    def update(self, rel: Release) -> None:
        self.driver.update(make_key(rel.name, rel.version), rel)

    def delete(self, name: str, version: int) -> Release:
        return self.driver.delete(make_key(name, version))

    # ---- lists

    def list(self, keep: Callable[[Release], bool]) -> builtins.list[Release]:
        return self.driver.list(keep)

    def query(self, labels: dict[str, str]) -> builtins.list[Release]:
        return self.driver.query(labels)

    def list_releases(self) -> builtins.list[Release]:
        return self.driver.list(lambda _r: True)

    def list_uninstalled(self) -> builtins.list[Release]:
        return self.driver.list(lambda r: r.status == Status.UNINSTALLED)

    def list_deployed(self) -> builtins.list[Release]:
        return self.driver.list(lambda r: r.status == Status.DEPLOYED)

    def deployed_all(self, name: str) -> builtins.list[Release]:
        try:
            return self.driver.query({"name": name, "owner": OWNER, "status": Status.DEPLOYED})
        except StorageError as e:
            if "not found" in str(e):
                raise NoDeployedReleases(name) from None
            raise

    def deployed(self, name: str) -> Release:
        """The newest deployed revision (NoDeployedReleases when none)."""
        rels = self.deployed_all(name)
        if not rels:
            raise NoDeployedReleases(name)
        return _by_version(rels)[-1]

    def history(self, name: str) -> builtins.list[Release]:
        """Every stored revision of ``name`` (ReleaseNotFound when none), in driver order."""
        return self.driver.query({"name": name, "owner": OWNER})

    def last(self, name: str) -> Release:
        """The newest revision, whatever its status."""
        h = self.history(name)
        if not h:
            raise StorageError(f"no revision for release {go_quote(name)}")
        return _by_version(h)[-1]

    # ---- pruning

    def remove_least_recent(self, name: str, maximum: int) -> None:
        """Delete the oldest revisions until ``maximum`` remain, sparing the deployed one."""
        if maximum < 0:
            return
        h = self.history(name)
        if len(h) <= maximum:
            return
        rels = _by_version(h)
        try:
            last_deployed: Release | None = self.deployed(name)
        except NoDeployedReleases:
            last_deployed = None
        to_delete: builtins.list[Release] = []
        for rel in rels:
            if len(rels) - len(to_delete) == maximum:
                break
            if last_deployed is None or rel.version != last_deployed.version:
                to_delete.append(rel)
        errors: builtins.list[StorageError] = []
        for rel in to_delete:
            try:
                self.delete(name, rel.version)
            except StorageError as e:
                errors.append(e)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise StorageError(
                f"encountered {len(errors)} deletion errors. First is: {errors[0]}"
            )

