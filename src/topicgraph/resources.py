"""Where the shipped Turtle lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["taxonomy_dir", "ontology_dir", "shapes_dir", "queries_dir"]


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
