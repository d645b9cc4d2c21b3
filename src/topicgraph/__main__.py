"""``python -m topicgraph`` runs the command line."""

from .cli import main

main()
