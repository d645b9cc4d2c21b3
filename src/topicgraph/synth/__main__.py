"""``python -m topicgraph.synth OUT -n N``: see :func:`topicgraph.synth.cli.main`."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
