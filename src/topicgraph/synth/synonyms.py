"""Vocabulary labels that the shipped taxonomy makes one concept of, per vendor, so the generator never plants them
as two topics.

A label that is another label's ``skos:altLabel`` in a vendor's shipped scheme (``Medigy: Care Transitions`` is an
altLabel of ``Medigy: Care Coordination``) resolves to the same concept when the corpus is built: planting both
under that vendor, perhaps in different groups, would merge two planted topics (and their groups) in the graph and
make the ground truth contradict the taxonomy. The table is written out here, not read from ``taxonomy/`` at run
time, so that generating a corpus parses no Turtle; ``tests/test_synth.py`` recomputes it from the shipped taxonomy
(:func:`shipped_synonyms`) and fails when the two differ.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["SHIPPED_SYNONYMS", "concept_of", "shipped_synonyms"]

#: (vendor, labels of the vocabulary that vendor's shipped scheme resolves to one concept), sorted
SHIPPED_SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Gartner", ("FHIR", "Interoperability")),
    ("Gartner", ("Generative AI", "Large Language Models")),
    ("Gartner", ("Telehealth", "Virtual Care")),
    ("Medigy", ("Artificial Intelligence", "Machine Learning")),
    ("Medigy", ("Care Coordination", "Care Transitions")),
    ("Medigy", ("FHIR", "Interoperability")),
    ("Medigy", ("Home Health", "Home-Based Care")),
    ("Medigy", ("Telehealth", "Virtual Care")),
    ("Symplur", ("Artificial Intelligence", "Machine Learning")),
    ("Symplur", ("Fitness Trackers", "Wearables")),
    ("Symplur", ("Patient Safety", "Safety Culture")),
    ("Symplur", ("Telehealth", "Virtual Care")),
)

_CONCEPT = {(vendor, label): labels[0] for vendor, labels in SHIPPED_SYNONYMS for label in labels}


def concept_of(vendor: str, label: str) -> str:
    """A name for the concept ``vendor: label`` stands for: the first label of its synonym set, else the label.

    >>> concept_of("Medigy", "Care Transitions"), concept_of("Gartner", "Care Transitions")
    ('Care Coordination', 'Care Transitions')
    """
    return _CONCEPT.get((vendor, label), label)


def shipped_synonyms(taxonomy, labels: Iterable[str], vendors: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The synonym sets of ``labels`` under ``vendors`` in ``taxonomy`` (a :class:`~topicgraph.taxonomy.Taxonomy`),
    in the form of :data:`SHIPPED_SYNONYMS`."""
    out = []
    labels = sorted(set(labels))
    for vendor in sorted(set(vendors)):
        by_concept: dict[str, list[str]] = {}
        for label in labels:
            iri, known = taxonomy.resolve(vendor, label)
            if known:
                by_concept.setdefault(iri, []).append(label)
        out += [(vendor, tuple(ls)) for ls in by_concept.values() if len(ls) > 1]
    return tuple(sorted(out))
