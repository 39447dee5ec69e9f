"""Chart repositories as Helm knows them: repositories.yaml, cached index files, downloads.

Public API: :func:`settings` (config/cache locations), :class:`RepoFile`, :class:`RepoEntry`,
:func:`load_repositories`,
:class:`IndexFile`, :class:`ChartVersion`, :func:`load_index`, :func:`fetch`,
:func:`url_equal`, :func:`resolve_reference_url`, :class:`RepoError`.
"""

from kelm.repo.config import load_repositories
from kelm.repo.files import RepoEntry, RepoFile
from kelm.repo.index import ChartVersion, IndexFile, load_index, load_index_file
from kelm.repo.paths import RepoSettings, settings
from kelm.repo.transport import RepoError, fetch
from kelm.repo.urls import resolve_reference_url, url_equal, url_join

__all__ = [
    "ChartVersion",
    "IndexFile",
    "RepoEntry",
    "RepoError",
    "RepoFile",
    "RepoSettings",
    "fetch",
    "load_index",
    "load_index_file",
    "load_repositories",
    "resolve_reference_url",
    "settings",
    "url_equal",
    "url_join",
]
