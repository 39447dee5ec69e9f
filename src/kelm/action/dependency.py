"""`kelm dependency list|build|update`: Helm's dependency action and download manager.

``list`` prints Helm's status table.  ``update`` resolves Chart.yaml's dependencies (local
``charts/`` folders, ``file://`` directories, repositories from repositories.yaml or given by
URL), fetches them into ``charts/`` and writes Chart.lock (requirements.lock for v1 charts)
with Helm's digest; ``build`` re-fetches exactly what the lock file says.  Messages and their
order follow Helm v4.1.4; repositories are fetched one after another.  With ``verify`` each
downloaded chart is checked against its provenance file, fetched into ``charts/``'s staging
directory beside it as Helm's ``DownloadTo`` does (``always``: a missing file fails;
``if-possible``: it is a warning).
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from kelm.action.uitable import uitable
from kelm.chart.model import Chart, ChartError, Dependency

MANAGER_PREFIX = "helm-manager-"


class DependencyError(Exception):
    """A dependency command failed; ``str()`` is Helm's message."""


# -- list ------------------------------------------------------------------------------------


def _strict_semver(v: str) -> bool:
    from kelm.lint.chartfile import STRICT_SEMVER

    return STRICT_SEMVER.match(v) is not None


def _version_status(dep: Dependency, version: str) -> str:
    from kelm.chart.semver import check, parse_constraints, parse_version

    if version == dep.version:
        return ""
    if parse_constraints(dep.version) is None or parse_version(version) is None:
        return "invalid version"
    return "" if check(dep.version, version) else "wrong version"


def _archive_status(archive: str, dep: Dependency) -> str:
    from kelm.chart import load_chart

    if not os.path.exists(archive):
        return ""
    try:
        c = load_chart(archive)
    except ChartError:
        return "corrupt"
    if c.name != dep.name:
        return "misnamed"
    return _version_status(dep, c.metadata.version) or "ok"


def dependency_status(chart_path: str, dep: Dependency, parent: Chart) -> str:
    archives = sorted(glob.glob(os.path.join(chart_path, "charts", f"{dep.name}-*.tgz")))
    if len(archives) > 1:
        found = [a for a in archives
                 if _strict_semver(os.path.basename(a)[:-4][len(dep.name) + 1:])]
        if len(found) == 1:
            r = _archive_status(found[0], dep)
            if r:
                return r
        elif len(found) > 1:
            return "too many matches"
    elif len(archives) == 1:
        r = _archive_status(archives[0], dep)
        if r:
            return r
    dep_chart = None
    for item in parent.dependencies:
        if item.name == dep.name:
            dep_chart = item
    if dep_chart is None:
        return "missing"
    return _version_status(dep, dep_chart.metadata.version) or "unpacked"


def list_dependencies(chart_path: str, max_width: int = 80) -> str:
    """What ``helm dependency list`` prints."""
    from kelm.chart import load_chart

    try:
        chart = load_chart(chart_path, detect=False)  # Helm's v2 loader, its bare errors
    except ChartError as e:
        raise DependencyError(str(e)) from None
    md = chart.metadata
    if "dependencies" not in md.present:
        return f"WARNING: no dependencies at {os.path.join(chart_path, 'charts')}\n"
    rows = [["NAME", "VERSION", "REPOSITORY", "STATUS"]]
    for d in md.dependencies:
        if d is not None:
            rows.append([d.name, d.version, d.repository,
                         dependency_status(chart_path, d, chart)])
    out = [uitable(rows, max_width) + "\n", "\n"]
    for f in sorted(glob.glob(os.path.join(chart_path, "charts", "*"))):
        if not os.path.isdir(f) and not f.endswith(".tgz"):
            continue
        try:
            c = load_chart(f)
        except ChartError:
            out.append(f"WARNING: {_goq(f)} is not a chart.\n")
            continue
        if not any(d is not None and d.name == c.name for d in md.dependencies):
            out.append(f"WARNING: {_goq(f)} is not in Chart.yaml.\n")
    return "".join(out)


def _goq(s: str) -> str:
    from kelm.gotemplate.lexer import go_quote

    return go_quote(s)


# -- digest and lock file ------------------------------------------------------------------


def _dep_json(d: Dependency) -> str:
    """encoding/json of a ``chart.Dependency`` (struct field order, omitempty)."""
    from kelm.yaml import dump_json

    parts = ['"name":' + dump_json(d.name)]
    if d.version:
        parts.append('"version":' + dump_json(d.version))
    parts.append('"repository":' + dump_json(d.repository))
    if d.condition:
        parts.append('"condition":' + dump_json(d.condition))
    if d.tags:
        parts.append('"tags":' + dump_json(list(d.tags)))
    if d.enabled:
        parts.append('"enabled":true')
    if d.import_values:
        parts.append('"import-values":' + dump_json(list(d.import_values)))
    if d.alias:
        parts.append('"alias":' + dump_json(d.alias))
    return "{" + ",".join(parts) + "}"


def _deps_json(deps: list[Dependency | None]) -> str:
    return "[" + ",".join("null" if d is None else _dep_json(d) for d in deps) + "]"


def hash_req(req: list[Dependency | None], lock: list[Dependency | None]) -> str:
    """Helm's ``resolver.HashReq``: sha256 of the JSON pair (requested, locked)."""
    data = "[" + _deps_json(req) + "," + _deps_json(lock) + "]"
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


def hash_v2_req(req: list[Dependency | None]) -> str:
    data = '{"dependencies":' + _deps_json(req) + "}"
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


def go_now() -> str:
    """``time.Now()`` as Go's JSON writes it (RFC 3339, nanoseconds, local offset)."""
    ns = time.time_ns()
    secs, frac = divmod(ns, 1_000_000_000)
    lt = time.localtime(secs)
    off = lt.tm_gmtoff or 0
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", lt)
    digits = f"{frac:09d}".rstrip("0")
    zone = "Z" if off == 0 else f"{'+' if off > 0 else '-'}{abs(off) // 3600:02d}:{abs(off) % 3600 // 60:02d}"
    return stamp + ("." + digits if digits else "") + zone


@dataclass
class Lock:
    digest: str
    dependencies: list[Dependency]
    generated: str = ""


def lock_from_chart(raw: Any) -> Lock | None:
    from kelm.chart.metadata import parse_dependency

    if not isinstance(raw, dict):
        return None
    deps = []
    for d in raw.get("dependencies") or []:
        try:
            dep = parse_dependency(d)
        except Exception:  # noqa: BLE001 - malformed entries are skipped
            dep = None
        if dep is not None:
            deps.append(dep)
    return Lock(str(raw.get("digest") or ""), deps, str(raw.get("generated") or ""))


def write_lock(chart_path: str, lock: Lock, legacy: bool) -> None:
    from kelm.chart.jsonform import dependency_json
    from kelm.yaml import dump_v2

    doc = {"generated": lock.generated, "digest": lock.digest,
           "dependencies": [dependency_json(d) for d in lock.dependencies]}
    name = "requirements.lock" if legacy else "Chart.lock"
    dest = os.path.join(chart_path, name)
    if os.path.islink(dest):
        raise DependencyError(f"the {name} file is a symlink to {_goq(os.readlink(dest))}")
    with open(dest, "w", encoding="utf-8") as fh:
        fh.write(dump_v2(doc))


# -- the manager -----------------------------------------------------------------------------


def local_path(repo: str, chart_path: str) -> str:
    """``resolver.GetLocalPath``: a file:// repository as a directory that must exist."""
    p = repo[len("file://"):] if repo.startswith("file://") else repo
    dep = os.path.abspath(p) if p.startswith("/") else os.path.normpath(os.path.join(chart_path, p))
    if not os.path.exists(dep):
        raise DependencyError(f"directory {dep} not found")
    return dep


def _is_oci(url: str) -> bool:
    return url.startswith("oci://")


def _oci_chart(url: str) -> tuple[str, str]:
    """Helm's ``parseOCIRef``: ``oci://host[:port]/path/name:tag`` as (reference, tag)."""
    import re

    m = re.match(r"^(oci://[^:]+(:[0-9]{1,5})?[^:]+):(.*)$", url)
    if m is None:
        raise DependencyError(f"could not parse OCI reference: improperly formatted oci "
                              f"chart reference: {url}")
    return m.group(1), m.group(3)


def _is_request_uri(s: str) -> bool:
    from kelm.lint.urls import is_request_url

    return is_request_url(s) or s.startswith("/")


class Manager:
    """Helm's ``downloader.Manager`` for one unpacked chart."""

    def __init__(
        self,
        chart_path: str,
        out: TextIO | None = None,
        debug: bool = False,
        skip_update: bool = False,
        repository_config: str = "",
        repository_cache: str = "",
        content_cache: str = "",
        registry: Any = None,
        verify: str = "",
        keyring: str = "",
    ) -> None:
        from kelm.repo.paths import settings

        self.registry = registry  # kelm.repo.oci.RegistryOptions for oci:// dependencies
        self.verify = verify  # "", kelm.action.verify.ALWAYS or IF_POSSIBLE
        self.keyring = keyring
        self.chart_path = chart_path
        self.out = out
        self.debug = debug
        self.skip_update = skip_update
        s = settings(repository_config, repository_cache, content_cache)
        self.repo_config = s.repository_config
        self.repo_cache = s.repository_cache
        self.content_cache = s.content_cache

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)
            self.out.flush()

    # loading

    def _load(self) -> Chart:
        if not os.path.exists(self.chart_path):
            raise DependencyError(
                f"could not find {self.chart_path}: stat {self.chart_path}: "
                "no such file or directory"
            )
        if not os.path.isdir(self.chart_path):
            raise DependencyError("only unpacked charts can be updated")
        from kelm.lint.support import load_chart_v2

        try:
            return load_chart_v2(self.chart_path)
        except ChartError as e:
            raise DependencyError(str(e)) from None

    def _repo_file(self) -> Any:
        """repositories.yaml as Helm's ``repo.LoadFile`` reads it (a missing file is empty)."""
        from kelm.repo.config import load_repositories
        from kelm.repo.files import RepoFile, RepoFileError

        try:
            return load_repositories(self.repo_config)
        except FileNotFoundError:
            return RepoFile()
        except RepoFileError as e:
            raise DependencyError(str(e)) from None

    # commands

    def build(self) -> None:
        chart = self._load()
        raw_lock = lock_from_chart(chart.lock)
        if raw_lock is None:
            self.update()
            return
        req = [d for d in chart.metadata.dependencies if d is not None]
        legacy = chart.metadata.api_version == "v1"
        v2sum = hash_v2_req(list(req)) if legacy else ""
        self.resolve_repo_names(req)
        if hash_req(list(req), list(raw_lock.dependencies)) != raw_lock.digest:
            if legacy:
                if v2sum != raw_lock.digest:
                    raise DependencyError(
                        "the lock file (requirements.lock) is out of sync with the dependencies "
                        "file (requirements.yaml). Please update the dependencies")
            else:
                raise DependencyError(
                    "the lock file (Chart.lock) is out of sync with the dependencies file "
                    "(Chart.yaml). Please update the dependencies")
        self._has_all_repos(raw_lock.dependencies)
        if not self.skip_update:
            self.update_repositories()
        self.download_all(raw_lock.dependencies)

    def update(self) -> None:
        chart = self._load()
        md = chart.metadata
        if "dependencies" not in md.present:
            return
        req = [d for d in md.dependencies if d is not None]
        repo_names = self.resolve_repo_names(req)
        repo_names = self.ensure_missing_repos(repo_names, req)
        if not self.skip_update:
            self.update_repositories()
        lock = self.resolve(req, repo_names)
        self.download_all(lock.dependencies)
        lock.digest = hash_req(list(req), list(lock.dependencies))
        old = lock_from_chart(chart.lock)
        if old is not None and old.digest == lock.digest:
            return
        write_lock(self.chart_path, lock, md.api_version == "v1")

    # repositories

    def resolve_repo_names(self, deps: list[Dependency]) -> dict[str, str]:
        from kelm.repo.urls import url_equal

        rf = self._repo_file()
        names: dict[str, str] = {}
        missing = []
        for d in deps:
            if not d.repository:
                continue
            if d.repository.startswith("file://"):
                local_path(d.repository, self.chart_path)
                if self.debug:
                    self.say(f"Repository from local path: {d.repository}\n")
                names[d.name] = d.repository
                continue
            if _is_oci(d.repository):
                names[d.name] = d.repository
                continue
            found = False
            for r in rf.repositories:
                alias = (d.repository[1:] if d.repository.startswith("@") else
                         d.repository[6:] if d.repository.startswith("alias:") else None)
                if alias is not None and alias == r.name:
                    found = True
                    d.repository = r.url
                    names[d.name] = r.name
                    break
                if url_equal(r.url, d.repository):
                    found = True
                    names[d.name] = r.name
                    break
            if not found:
                if _is_request_uri(d.repository):
                    names[d.repository] = d.repository
                    continue
                missing.append(d.repository)
        if missing:
            msg = ("no repository definition for " + ", ".join(missing)
                   + ". Please add them via 'helm repo add'")
            if any("//" not in m and not m.startswith(("@", "alias:")) for m in missing):
                msg += ('\nNote that repositories must be URLs or aliases. For example, to refer '
                        'to the "example"\nrepository, use "https://charts.example.com/" or '
                        '"@example" instead of\n"example". Don\'t forget to add the repo, too '
                        "('helm repo add').")
            raise DependencyError(msg)
        return names

    def ensure_missing_repos(self, names: dict[str, str], deps: list[Dependency]) -> dict[str, str]:
        from kelm.repo.files import RepoEntry

        todo = []
        for d in deps:
            if not d.repository or d.name in names:
                continue
            rn = MANAGER_PREFIX + hashlib.sha256(d.repository.encode()).hexdigest()
            names[d.name] = rn
            todo.append(RepoEntry(name=rn, url=d.repository))
        if not self.skip_update and todo:
            self.say("Getting updates for unmanaged Helm repositories...\n")
            self._update_repos(todo)
        return names

    def update_repositories(self) -> None:
        repos = self._repo_file().repositories
        if repos:
            self.say("Hang tight while we grab the latest from your chart repositories...\n")
            self._update_repos(repos)
            self.say("Update Complete. \u2388Happy Helming!\u2388\n")

    def _update_repos(self, repos: list[Any]) -> None:
        from kelm.repo.chartrepo import download_index

        seen: dict[str, Any] = {}
        for r in repos:
            seen[r.url.rstrip("/")] = r
        for r in seen.values():
            label = r.url if r.name.startswith(MANAGER_PREFIX) else r.name
            try:
                download_index(r, self.repo_cache)
            except Exception as e:  # noqa: BLE001 - reported, not fatal (as Helm)
                if r.name.startswith(MANAGER_PREFIX):
                    self.say(f"...Unable to get an update from the {_goq(r.url)} chart "
                             f"repository:\n\t{e}\n")
                else:
                    self.say(f"...Unable to get an update from the {_goq(r.name)} chart "
                             f"repository ({r.url}):\n\t{e}\n")
                continue
            self.say(f"...Successfully got an update from the {_goq(label)} chart repository\n")

    def _has_all_repos(self, deps: list[Dependency]) -> None:
        from kelm.repo.urls import url_equal

        repos = self._repo_file().repositories
        missing = []
        for d in deps:
            if not d.repository or d.repository.startswith("file://") or _is_oci(d.repository):
                continue
            if not any(url_equal(r.url, d.repository.rstrip("/")) for r in repos):
                missing.append(d.repository)
        if missing:
            raise DependencyError("no repository definition for " + ", ".join(missing)
                                  + ". Please add the missing repos via 'helm repo add'")

    # resolution

    def resolve(self, reqs: list[Dependency], repo_names: dict[str, str]) -> Lock:
        from kelm.chart.semver import check as version_check
        from kelm.chart.semver import parse_constraints, parse_version
        from kelm.repo.index import load_index_file
        from kelm.repo.paths import cache_index_file
        from kelm.repo.transport import RepoError

        locked: list[Dependency] = []
        missing = []
        for d in reqs:
            if parse_constraints(d.version) is None:
                raise DependencyError(
                    f"dependency {_goq(d.name)} has an invalid version/constraint format: "
                    f"improper constraint: {d.version}")
            if not d.repository:
                local_path(os.path.join("charts", d.name), self.chart_path)
                locked.append(Dependency(name=d.name, version=d.version))
                continue
            if d.repository.startswith("file://"):
                from kelm.lint.support import load_chart_v2

                try:
                    ch: Any = load_chart_v2(local_path(d.repository, self.chart_path))
                except ChartError as e:
                    raise DependencyError(str(e)) from None
                if parse_version(ch.metadata.version) is None:
                    continue
                if not version_check(d.version, ch.metadata.version):
                    missing.append(f"{_goq(d.name)} (repository {_goq(d.repository)}, "
                                   f"version {_goq(d.version)})")
                    continue
                locked.append(Dependency(name=d.name, repository=d.repository,
                                         version=ch.metadata.version))
                continue
            repo_name = repo_names.get(d.name, "")
            if not repo_name:
                locked.append(Dependency(name=d.name, repository=d.repository, version=d.version))
                continue
            if _is_oci(d.repository):
                locked.append(Dependency(name=d.name, repository=d.repository,
                                         version=self._oci_version(d)))
                continue
            idx_path = os.path.join(self.repo_cache, cache_index_file(repo_name))
            try:
                idx = load_index_file(idx_path)
            except OSError as e:
                raise DependencyError(
                    f"no cached repository for {repo_name} found. (try 'helm repo update'): "
                    f"open {idx_path}: {(e.strerror or '').lower()}") from None
            except RepoError as e:
                raise DependencyError(
                    f"no cached repository for {repo_name} found. (try 'helm repo update'): {e}"
                ) from None
            versions = idx.entries.get(d.name)
            if versions is None:
                raise DependencyError(f"{d.name} chart not found in repo {d.repository}")
            chosen = ""
            for cv in versions:
                if parse_version(cv.version) is None or not cv.urls:
                    continue
                if version_check(d.version, cv.version):
                    chosen = cv.version
                    break
            locked.append(Dependency(name=d.name, repository=d.repository, version=chosen))
            if not chosen:
                missing.append(f"{_goq(d.name)} (repository {_goq(d.repository)}, "
                               f"version {_goq(d.version)})")
        if missing:
            raise DependencyError(
                f"can't get a valid version for {len(missing)} subchart(s): "
                f"{', '.join(missing)}. Make sure a matching chart version exists in the repo, "
                "or change the version constraint in Chart.yaml")
        return Lock(hash_req(list(reqs), list(locked)), locked, go_now())

    def _registry_options(self) -> Any:
        import sys

        from kelm.repo.oci import RegistryOptions

        return self.registry if self.registry is not None else RegistryOptions(out=sys.stderr)

    def _oci_version(self, d: Dependency) -> str:
        """Helm's resolver for a registry: an exact version is taken as is; a constraint
        picks the highest matching tag (none matching leaves the constraint, and the
        download fails later, as in Helm)."""
        from kelm.chart.semver import check as version_check
        from kelm.chart.semver import parse_version
        from kelm.repo.oci import RegistryClient, RegistryError, parse_reference, semver_tags

        if parse_version(d.version) is not None:
            return d.version
        try:
            ref = parse_reference(f"{d.repository}/{d.name}")
            with RegistryClient(ref.registry, self._registry_options()) as client:
                tags = semver_tags(client.tags(ref.repository))
        except RegistryError as e:
            raise DependencyError(f"could not retrieve list of tags for repository "
                                  f"{d.repository}: {e}") from None
        return next((t for t in tags if version_check(d.version, t)), d.version)

    # downloads

    def download_all(self, deps: list[Dependency]) -> None:
        from kelm.chart.semver import check as version_check
        from kelm.chart.semver import parse_constraints, parse_version
        from kelm.lint.support import load_chart_v2

        repos = self._load_chart_repositories()
        dest = os.path.join(self.chart_path, "charts")
        tmp = os.path.join(self.chart_path, f"tmpcharts-{os.getpid()}")
        if os.path.exists(dest):
            if not os.path.isdir(dest):
                raise DependencyError(f"{_goq(dest)} is not a directory")
        else:
            os.makedirs(dest, 0o755, exist_ok=True)
        os.makedirs(tmp, 0o755, exist_ok=True)
        try:
            self.say(f"Saving {len(deps)} charts\n")
            save_error: str = ""
            fetched: set[str] = set()
            for d in deps:
                if not d.repository:
                    self.say(f"Dependency {d.name} did not declare a repository. Assuming it "
                             "exists in the charts directory\n")
                    cpath = os.path.join(dest, d.name)
                    try:
                        ch: Any = load_chart_v2(cpath)
                    except ChartError as e:
                        raise DependencyError(f"unable to load chart '{cpath}': {e}") from None
                    if parse_constraints(d.version) is None:
                        raise DependencyError(
                            f"dependency {d.name} has an invalid version/constraint format: "
                            f"improper constraint: {d.version}")
                    if parse_version(ch.metadata.version) is None:
                        raise DependencyError(f"invalid version {d.version} for dependency "
                                              f"{d.name}: invalid semantic version")
                    if not version_check(d.version, ch.metadata.version):
                        save_error = (f"dependency {d.name} at version {ch.metadata.version} "
                                      f"does not satisfy the constraint {d.version}")
                        break
                    continue
                if d.repository.startswith("file://"):
                    if self.debug:
                        self.say(f"Archiving {d.name} from repo {d.repository}\n")
                    try:
                        d.version = self._tar_from_local_dir(d, tmp)
                    except DependencyError as e:
                        save_error = str(e)
                        break
                    continue
                try:
                    url, creds, digest = self._find_chart_url(d, repos)
                except DependencyError as e:
                    save_error = f"could not find : {e}"
                    break
                churl = _oci_chart(url)[0] if _is_oci(url) else url  # Helm: without the tag
                if churl in fetched:
                    self.say(f"Already downloaded {d.name} from repo {d.repository}\n")
                    continue
                self.say(f"Downloading {d.name} from repo {d.repository}\n")
                try:
                    self._download(url, creds, digest, tmp)
                except DependencyError as e:
                    save_error = f"could not download {churl}: {e}"
                    break
                fetched.add(churl)
            if save_error:
                self.say(f"Save error occurred:  {save_error}\n")
                raise DependencyError(save_error)
            self._safe_move(deps, tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _tar_from_local_dir(self, d: Dependency, tmp: str) -> str:
        from kelm.action.package import PackageError, save_chart
        from kelm.chart.semver import check as version_check
        from kelm.chart.semver import parse_constraints, parse_version
        from kelm.lint.support import load_chart_v2

        orig = local_path(d.repository, self.chart_path)
        try:
            ch: Any = load_chart_v2(orig)
        except ChartError as e:
            raise DependencyError(str(e)) from None
        if parse_constraints(d.version) is None:
            raise DependencyError(f"dependency {d.name} has an invalid version/constraint "
                                  f"format: improper constraint: {d.version}")
        if parse_version(ch.metadata.version) is None:
            raise DependencyError("invalid semantic version")
        if version_check(d.version, ch.metadata.version):
            try:
                save_chart(ch, tmp)
            except PackageError as e:
                raise DependencyError(str(e)) from None
            return str(ch.metadata.version)
        raise DependencyError(f"can't get a valid version for dependency {d.name}")

    def _load_chart_repositories(self) -> dict[str, Any]:
        from kelm.repo.index import load_index_file
        from kelm.repo.paths import cache_index_file
        from kelm.repo.transport import RepoError

        out: dict[str, Any] = {}
        for r in self._repo_file().repositories:
            path = os.path.join(self.repo_cache, cache_index_file(r.name))
            try:
                out[r.name] = (r, load_index_file(path))
            except OSError as e:
                raise DependencyError(f"open {path}: {(e.strerror or '').lower()}") from None
            except RepoError as e:
                raise DependencyError(str(e)) from None
        return out

    def _find_chart_url(self, d: Dependency, repos: dict[str, Any]) -> tuple[str, Any, str]:
        from kelm.repo.chartrepo import find_chart_in_repo_url, find_versioned_entry
        from kelm.repo.transport import Credentials, RepoError
        from kelm.repo.urls import resolve_reference_url, url_equal

        if _is_oci(d.repository):
            return f"{d.repository}/{d.name}:{d.version}", None, ""
        for entry, idx in repos.values():
            if url_equal(d.repository, entry.url):
                versions = idx.entries.get(d.name)
                if versions is None:
                    raise DependencyError("entry not found")
                cv = find_versioned_entry(d.version, versions)
                if cv is None:
                    raise DependencyError("no matching version")
                creds = Credentials(entry.username, entry.password, entry.cert_file,
                                    entry.key_file, entry.ca_file,
                                    entry.insecure_skip_tls_verify, entry.pass_credentials_all,
                                    entry.url)
                return resolve_reference_url(d.repository, cv.urls[0]), creds, cv.digest
        try:
            url, digest = find_chart_in_repo_url(d.repository, d.name, d.version, self.repo_cache)
        except RepoError as e:
            raise DependencyError(f"chart {d.name} not found in {d.repository}: {e}") from None
        return url, Credentials(repo_url=d.repository), digest

    def _download(self, url: str, creds: Any, digest: str, tmp: str) -> None:
        from urllib.parse import unquote, urlsplit

        from kelm.repo.chartrepo import cached_chart, store_chart
        from kelm.repo.transport import RepoError, fetch

        if _is_oci(url):
            self._pull_oci(url, tmp)
            return
        data = cached_chart(self.content_cache, digest)
        if data is None:
            try:
                data = fetch(url, creds, accept="application/gzip,application/octet-stream")
            except RepoError as e:
                raise DependencyError(str(e)) from None
            store_chart(self.content_cache, digest, data)
        name = os.path.basename(unquote(urlsplit(url).path))
        dest = os.path.join(tmp, name)
        with open(dest, "wb") as fh:
            fh.write(data)
        if self.verify:
            self._verify_http(url, creds, digest, dest)

    def _verify_http(self, url: str, creds: Any, digest: str, dest: str) -> None:
        """``URL.prov`` (the content cache's copy when the index gave a digest), saved
        beside the chart and checked."""
        from kelm.action.verify import cached_provenance
        from kelm.repo.transport import RepoError, fetch

        prov = cached_provenance(self.content_cache, digest) if digest else None
        if prov is None:
            try:
                prov = fetch(url + ".prov", creds,
                             accept="application/gzip,application/octet-stream")
            except RepoError as e:
                self._missing_provenance(url, url + ".prov", e)
                return
        self._check(dest, prov)

    def _missing_provenance(self, ref: str, prov_url: str, err: Exception) -> None:
        from kelm.action.verify import ALWAYS

        if self.verify == ALWAYS:
            raise DependencyError(f'failed to fetch provenance "{prov_url}"')
        self.say(f"WARNING: Verification not found for {ref}: {err}\n")

    def _check(self, dest: str, prov: bytes) -> None:
        from kelm.action.verify import ProvenanceError, verify_chart

        with open(dest + ".prov", "wb") as fh:
            fh.write(prov)
        try:
            verify_chart(dest, dest + ".prov", self.keyring)
        except ProvenanceError as e:
            raise DependencyError(str(e)) from None

    def _pull_oci(self, url: str, tmp: str) -> None:
        from kelm.repo.oci import RegistryError, chart_filename, pull

        ref, tag = _oci_chart(url)
        ropts = self._registry_options()
        try:
            res = pull(ref, tag, ropts)
        except RegistryError as e:
            raise DependencyError(str(e)) from None
        target = res.requested or res.ref
        dest = os.path.join(tmp, chart_filename(target))
        with open(dest, "wb") as fh:
            fh.write(res.chart)
        if self.verify:
            from kelm.action.verify import oci_provenance

            shown = "oci://" + str(target)
            try:
                prov = oci_provenance(shown, ropts)
            except RegistryError as e:
                self._missing_provenance(ref, shown + ".prov", e)
                return
            self._check(dest, prov)

    def _safe_move(self, deps: list[Dependency], source: str, dest: str) -> None:
        from kelm.chart.loader import load_file

        local = {d.name for d in deps if not d.repository}
        dest_files = sorted(os.listdir(dest))
        src_files = sorted(os.listdir(source))
        in_source = set()
        for name in src_files:
            sp = os.path.join(source, name)
            if os.path.isdir(sp):
                continue
            in_source.add(name)
            try:
                load_file(sp)
            except ChartError as e:
                self.say(f"Could not verify {sp} for moving: {e} (Skipping)")
                continue
            os.replace(sp, os.path.join(dest, name))
        self.say("Deleting outdated charts\n")
        for name in dest_files:
            fp = os.path.join(dest, name)
            if os.path.isdir(fp) or name in in_source:
                continue
            try:
                ch = load_file(fp)
            except ChartError as e:
                self.say(f"Could not verify {fp} for deletion: {e} (Skipping)\n")
                continue
            if ch.name in local:
                continue
            try:
                os.remove(fp)
            except OSError as e:
                self.say(f"Could not delete {fp}: {e} (Skipping)")


def stdout() -> TextIO:
    return sys.stdout
