"""The endpoint's answer cache: a build folder never changes under a running server, so neither do its answers.

Answers (``200`` only) are kept by the exact request (query text, ``Accept``, ``format``, dataset), up to a
number of bytes, least recently used first out, and all dropped when the build folder's manifest changes (a
rebuild). Identical requests that arrive while the first is still running wait for its answer instead of
running the query again ("single flight"), so fifty dashboards opening at once cost one query each.

>>> import tempfile, topicgraph
>>> from topicgraph.server.workers import Reply
>>> out = tempfile.mkdtemp()
>>> _ = topicgraph.build(["seeds"], out=out, jobs=1)
>>> cache = AnswerCache(out, max_bytes=1000)
>>> reply, hit = cache.get_or_run(("ASK {}",), lambda: Reply(200, "text/plain", b"yes"))
>>> reply.body, hit
(b'yes', False)
>>> reply, hit = cache.get_or_run(("ASK {}",), lambda: Reply(200, "text/plain", b"never run"))
>>> reply.body, hit
(b'yes', True)
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from .workers import Reply

__all__ = ["AnswerCache"]


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.reply: Reply | None = None


class AnswerCache:
    """At most ``max_bytes`` of answers for the build folder ``folder`` (0: keep none, but still share flights)."""

    def __init__(self, folder: str | Path, max_bytes: int) -> None:
        from ..store import MANIFEST

        self.manifest = Path(folder) / MANIFEST
        self.max_bytes = max(0, int(max_bytes))
        self.max_entry = self.max_bytes // 8  # one huge answer must not push out every other
        self._entries: OrderedDict[Hashable, Reply] = OrderedDict()
        self._size = 0
        self._stamp: tuple | None = None
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _current_stamp(self) -> tuple | None:
        try:
            st = os.stat(self.manifest)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_ino, st.st_size

    def _refresh(self) -> tuple | None:
        """Drop everything when the build changed; called with the lock held."""
        stamp = self._current_stamp()
        if stamp != self._stamp:
            self._entries.clear()
            self._size = 0
            self._stamp = stamp
        return stamp

    def get_or_run(self, key: Hashable, run: Callable[[], Reply], *, wait: float = 600.0) -> tuple[Reply, bool]:
        """The kept answer for ``key`` (and True), or ``run()``'s (and False), shared with identical requests
        that arrive meanwhile. ``run`` must return a reply, never raise."""
        while True:
            with self._lock:
                stamp = self._refresh()
                kept = self._entries.get(key)
                if kept is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return kept, True
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight()
                    self.misses += 1
                    break
            if flight.done.wait(wait) and flight.reply is not None:
                return flight.reply, False
        try:
            flight.reply = reply = run()
        finally:
            with self._lock:
                self._flights.pop(key, None)
                reply = flight.reply
                if reply is not None and reply.status == 200 and 0 < len(reply.body) <= self.max_entry \
                        and stamp == self._refresh():
                    self._entries[key] = reply
                    self._size += len(reply.body)
                    while self._size > self.max_bytes:
                        _, old = self._entries.popitem(last=False)
                        self._size -= len(old.body)
            flight.done.set()
        return reply, False
