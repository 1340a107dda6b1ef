"""What the code verifier ships into the sandbox, and the cache of compiled programs.

`RUNNER_SOURCE` is the in-sandbox test runner (verifiers/_code_runner.py) with the deletion
helper it uses to wipe scratch folders (sandboxes/_wipe.py, standard library only, shipped the
same way by the docker backend) in front of it. It receives the spec on stdin: never an expected
value, only programs' inputs, deadlines and limits; results come back as one JSON line.

`BuildCache` keeps what a compilation produced (the binary, or the compiler's error) keyed by the
SHA-256 of the sandbox backend, the compile command and the source, so identical submissions
(common in a GRPO group) compile once per process: every CodeVerifier shares `SHARED_BUILDS`
unless it is given its own cache.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from gymhub.sandboxes import _wipe

RUNNER_SOURCE = (
    Path(_wipe.__file__).read_text()
    + "\n\n"
    + (Path(__file__).parent / "_code_runner.py").read_text()
)


class BuildCache:
    """A bounded, thread-safe LRU of compile outcomes: `("binary", bytes)` or `("error", text)`.

    Keys are content hashes, so a cached entry can only ever be served for the very same
    source compiled the very same way on the same backend.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 256 * 1024 * 1024) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("BuildCache needs max_entries >= 1 and max_bytes >= 1")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[str, bytes | str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key(backend: str, command: list[str], source: str) -> str:
        """The content hash naming one compilation."""
        digest = hashlib.sha256()
        for part in (backend, "\0".join(command), source):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data) + data)
        return digest.hexdigest()

    def get(self, key: str) -> tuple[str, bytes | str] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: str, kind: str, value: bytes | str) -> None:
        if kind not in ("binary", "error"):
            raise ValueError("BuildCache entries are 'binary' or 'error'")
        size = len(value)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (kind, value)
            self._bytes += size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


#: the process-wide cache CodeVerifiers use by default (keys name the backend, so sharing is safe)
SHARED_BUILDS = BuildCache(max_entries=256, max_bytes=128 * 1024 * 1024)
