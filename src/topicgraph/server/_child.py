"""Entry point of one query worker process: ``python -m topicgraph.server._child BUILD_FOLDER [MEMORY_MB]``."""

from __future__ import annotations

import sys

if __name__ == "__main__":  # pragma: no cover - runs in the child process
    from topicgraph.server.workers import _worker_main

    _worker_main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
