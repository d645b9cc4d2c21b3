"""Where the shipped Turtle lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import TopicgraphError

__all__ = ["taxonomy_dir", "ontology_dir", "shapes_dir", "queries_dir", "turtle_files"]


def _data_dir(name: str) -> Path:
    shipped = Path(str(resources.files("topicgraph"))) / "_data" / name
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / name  # src/topicgraph/ -> repository root
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"topicgraph's {name}/ folder is missing from this installation: reinstall topicgraph")


def taxonomy_dir() -> Path:
    """The shipped ``taxonomy/`` folder (one SKOS concept scheme per vendor, plus ``mappings.ttl``)."""
    return _data_dir("taxonomy")


def ontology_dir() -> Path:
    """The shipped ``ontology/`` folder (our OWL terms and the SHACL shapes)."""
    return _data_dir("ontology")


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


def queries_dir() -> Path:
    """Named SPARQL queries shipped inside the package."""
    return Path(str(resources.files("topicgraph"))) / "queries" / "library"


def turtle_files(folder: str | Path | None, default: Path, *, missing: str, empty: str) -> list[Path]:
    """The ``*.ttl`` files of ``folder`` (``default`` when None), or the one file it names, sorted by name.

    ``missing`` and ``empty`` are the messages (with ``{root}``) of the error raised when the folder does not exist
    or holds no Turtle.

    >>> [p.name for p in turtle_files(None, shapes_dir(), missing="", empty="")][:2]
    ['article.ttl', 'community.ttl']
    """
    root = Path(folder) if folder is not None else default
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise TopicgraphError(missing.format(root=root))
    files = sorted(root.glob("*.ttl"))
    if not files:
        raise TopicgraphError(empty.format(root=root))
    return files
