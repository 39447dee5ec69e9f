"""The one exception type of the kustomize build; its text is kustomize's message."""

from __future__ import annotations


class KustomizeError(Exception):
    """A build failure; ``str()`` is the message printed after ``error: ``."""
