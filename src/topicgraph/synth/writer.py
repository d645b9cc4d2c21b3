"""The output folder: clearing what a previous run wrote, and writing files on a background thread."""

from __future__ import annotations

import queue
import re
import shutil
import threading
from pathlib import Path

from .groundtruth import LEGACY_MANIFEST_NAME, MANIFEST_NAME


def prepare_root(root: Path, overwrite: bool) -> None:
    """Make ``root``, refusing a non-empty one unless ``overwrite``, which removes only what a run writes."""
    if root.exists():
        if not root.is_dir():
            raise NotADirectoryError(f"{root} is not a directory")
        entries = sorted(root.iterdir())
        if entries and not overwrite:
            raise FileExistsError(f"{root} is not empty: pass --force to replace the corpus in it (only the files "
                                  "a generate run writes are removed), or choose an empty folder")
        for entry in entries:  # only what a previous run wrote
            if entry.name in (MANIFEST_NAME, LEGACY_MANIFEST_NAME) and entry.is_file():
                entry.unlink()
            elif entry.is_dir() and re.fullmatch(r"\d{4,}", entry.name):
                shutil.rmtree(entry)
    root.mkdir(parents=True, exist_ok=True)


class BackgroundWriter:
    """Writes files on a background thread, so file-system calls (which release the GIL) overlap generation.
    Batches go through a bounded queue, so memory stays bounded however many records are written."""

    _BATCH = 64

    def __init__(self) -> None:
        self._queue: queue.Queue[list[tuple[Path, bytes]] | None] = queue.Queue(maxsize=64)
        self._batch: list[tuple[Path, bytes]] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="synth-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:
                try:
                    for path, data in batch:
                        with open(path, "wb") as fh:
                            fh.write(data)
                except BaseException as exc:  # re-raised in the generating thread
                    self._error = exc

    def write(self, path: Path, data: bytes) -> None:
        self._batch.append((path, data))
        if len(self._batch) >= self._BATCH:
            self.flush()

    def flush(self) -> None:
        if self._error is not None:
            raise self._error
        if self._batch:
            self._queue.put(self._batch)
            self._batch = []

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error
