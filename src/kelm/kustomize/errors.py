"""The one exception type of the kustomize build; its text is kustomize's message."""

from __future__ import annotations


class KustomizeError(Exception):
    """A build failure; ``str()`` is the message printed after ``error: ``."""

    # a resource file that was read but did not parse: when its path is no directory either,
    # this error is reported as it is (not inside "accumulation err=...")
    malformed = False
