"""Fault injection knobs and the request log a test reads (thread-safe)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    status: int
    seconds: float
    user_agent: str


@dataclass
class Faults:
    """Set by a test, read by the server for each request.

    ``error_storm(n, code)``: the next ``n`` requests get Status failures (500 InternalError;
    429, 503 and 504 with ``Retry-After: 1``). ``cut_watches()``: every open watch stream is
    cut without its closing chunk (clients must reconnect).
    ``drop_connections(n)``: the next ``n`` requests are read and then the connection is cut
    half way through the response. ``delay``: seconds every response waits first. ``hang``:
    requests wait (up to ``hang_limit`` seconds) without an answer, as a stuck server does.
    """

    delay: float = 0.0
    hang: bool = False
    hang_limit: float = 30.0
    _storm: int = 0
    _storm_code: int = 500
    _drops: int = 0
    watch_epoch: int = 0
    on_cut: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def error_storm(self, requests: int, code: int = 500) -> None:
        with self._lock:
            self._storm, self._storm_code = requests, code

    def drop_connections(self, requests: int = 1) -> None:
        with self._lock:
            self._drops = requests

    def cut_watches(self) -> None:
        with self._lock:
            self.watch_epoch += 1
        for wake in self.on_cut:  # waiting watch streams notice at once
            wake()

    def clear(self) -> None:
        with self._lock:
            self._storm = self._drops = 0
            self.delay, self.hang = 0.0, False

    def take_storm(self) -> int:
        """The status code to fail this request with, or 0."""
        with self._lock:
            if self._storm > 0:
                self._storm -= 1
                return self._storm_code
            return 0

    def take_drop(self) -> bool:
        with self._lock:
            if self._drops > 0:
                self._drops -= 1
                return True
            return False

    def wait_hang(self, stopped: threading.Event) -> None:
        deadline = time.monotonic() + self.hang_limit
        while self.hang and not stopped.is_set() and time.monotonic() < deadline:
            stopped.wait(0.05)


class RequestLog:
    """Every request the server answered, in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Request] = []

    def add(self, r: Request) -> None:
        with self._lock:
            self._items.append(r)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[Request]:
        with self._lock:
            return iter(list(self._items))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def count(self, method: str | None = None, path_contains: str = "") -> int:
        with self._lock:
            return sum(1 for r in self._items if (method is None or r.method == method)
                       and path_contains in r.path)
