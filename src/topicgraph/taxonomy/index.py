"""Load the taxonomy's Turtle and look topics up by vendor and label (prefLabel or altLabel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TopicgraphError
from ..iris import IriMinter, label_key
from ..resources import taxonomy_dir, turtle_files
from ..vocab import RDF_TYPE, SKOS, SKOS_CONCEPT, SKOS_CONCEPT_SCHEME, SKOS_IN_SCHEME

__all__ = ["Taxonomy", "ConceptInfo", "load_taxonomy", "taxonomy_files"]

_PREF_LABEL, _ALT_LABEL = SKOS + "prefLabel", SKOS + "altLabel"


@dataclass
class ConceptInfo:
    iri: str
    scheme: str | None = None
    pref_labels: dict[str, list[str]] = field(default_factory=dict)  # language -> labels
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    definition: str | None = None
    broader: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        for lang in ("en", ""):
            if self.pref_labels.get(lang):
                return self.pref_labels[lang][0]
        for labels in self.pref_labels.values():
            return labels[0]
        return self.iri.rsplit("/", 1)[-1]


@dataclass(eq=False)
class Taxonomy:
    """The concept schemes and concepts of a set of Turtle files (compared, and hashed, by identity: loaded once and
    never changed, it keys the look-up caches built over it).

    ``resolve`` finds the concept a curated topic names, by its vendor's scheme and a case-insensitive match on
    ``skos:prefLabel`` or ``skos:altLabel``; a topic the taxonomy does not know gets the IRI a taxonomist would
    give it, so adding it to the taxonomy later changes nothing in the graph.
    """

    files: list[Path] = field(default_factory=list)
    schemes: dict[str, str] = field(default_factory=dict)  # scheme IRI -> label
    concepts: dict[str, ConceptInfo] = field(default_factory=dict)
    _vendor_index: dict[str, str] = field(default_factory=dict)  # label_key(vendor) -> scheme IRI
    #: label_key(vendor) -> the schemes (sorted IRIs) that share that label; the first one is used
    ambiguous_vendors: dict[str, list[str]] = field(default_factory=dict)
    _label_index: dict[tuple[str, str], str] = field(default_factory=dict)  # (scheme, label_key) -> concept

    def scheme_for(self, vendor: str) -> str | None:
        return self._vendor_index.get(label_key(vendor))

    def resolve(self, vendor: str, label: str) -> tuple[str, bool]:
        """``(concept IRI, known)`` for the topic ``vendor: label``.

        >>> t = Taxonomy()
        >>> t.resolve("Medigy", "Patient Acquisition")
        ('https://w3id.org/topicgraph/taxonomy/medigy/patient-acquisition', False)
        """
        scheme = self.scheme_for(vendor)
        if scheme is not None:
            hit = self._label_index.get((scheme, label_key(label)))
            if hit is not None:
                return hit, True
        return IriMinter.concept(vendor, label), False

    def labels_in(self, scheme: str) -> dict[str, str]:
        """Every label (pref and alt, normalised) of a scheme, to its concept IRI."""
        return {lab: iri for (s, lab), iri in self._label_index.items() if s == scheme}

    def _index(self) -> None:
        by_label: dict[str, list[str]] = {}
        for iri, label in sorted(self.schemes.items()):
            by_label.setdefault(label_key(label), []).append(iri)
        for key, iris in by_label.items():
            self._vendor_index[key] = iris[0]
            if len(iris) > 1:
                self.ambiguous_vendors[key] = iris
        for info in self.concepts.values():
            if info.scheme is None:
                continue
            # prefLabels win over altLabels when both would claim the same text
            for labels in (info.alt_labels, info.pref_labels):
                for values in labels.values():
                    for value in values:
                        self._label_index[(info.scheme, label_key(value))] = info.iri


def taxonomy_files(folder: str | Path | None = None) -> list[Path]:
    """The taxonomy's ``*.ttl`` files (default: the shipped ``taxonomy/``)."""
    return turtle_files(folder, taxonomy_dir(), missing="taxonomy folder {root} does not exist: give a folder of "
                        ".ttl files", empty="taxonomy folder {root} holds no .ttl file: give the folder with the "
                        "vendors' concept schemes in Turtle (the shipped one is taxonomy/)")


def load_taxonomy(folder: str | Path | None = None, *, strict: bool = True) -> Taxonomy:
    """Load every ``*.ttl`` of ``folder`` (default: the shipped ``taxonomy/``); never reaches the network.

    Two concept schemes with the same label (a vendor's name) would make that vendor's topics ambiguous: with
    ``strict`` that is a :class:`TopicgraphError`; without, the first scheme by IRI is used and
    ``ambiguous_vendors`` says which (``taxonomy check`` reports it as ``skos.scheme-label-unique``).
    """
    from pyoxigraph import RdfFormat, parse

    files = taxonomy_files(folder)
    triples = []
    for path in files:
        try:
            with open(path, "rb") as fh:
                triples.extend(parse(fh, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
        except SyntaxError as exc:
            raise TopicgraphError(f"{path}: not valid Turtle: {exc}") from None
    return taxonomy_from_triples(triples, files=files, strict=strict,
                                 where=str(folder) if folder is not None else "taxonomy/")


def taxonomy_from_triples(triples: list, *, files: list[Path] | None = None, strict: bool = True,
                          where: str = "taxonomy/") -> Taxonomy:
    """The :class:`Taxonomy` of pyoxigraph ``triples`` (or quads), e.g. a build's taxonomy graph read back from its
    store; ``files`` are where they came from (none for a store), ``where`` names them in errors."""
    from pyoxigraph import Literal

    tax = Taxonomy(files=list(files or []))
    concept_types: set[str] = set()
    scheme_types: set[str] = set()
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            if t.object.value == SKOS_CONCEPT:
                concept_types.add(t.subject.value)
            elif t.object.value == SKOS_CONCEPT_SCHEME:
                scheme_types.add(t.subject.value)
    for iri in sorted(concept_types):
        tax.concepts[iri] = ConceptInfo(iri)
    scheme_labels: dict[str, str] = {}
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object
        if s in scheme_types and p == _PREF_LABEL and isinstance(o, Literal):
            if o.language in (None, "en") or s not in scheme_labels:
                scheme_labels[s] = o.value
        info = tax.concepts.get(s)
        if info is None:
            continue
        if p == SKOS_IN_SCHEME:
            info.scheme = info.scheme or o.value
        elif p in (_PREF_LABEL, _ALT_LABEL) and isinstance(o, Literal):
            target = info.pref_labels if p == _PREF_LABEL else info.alt_labels
            target.setdefault(o.language or "", []).append(o.value)
        elif p == SKOS + "definition" and isinstance(o, Literal):
            info.definition = o.value
        elif p == SKOS + "broader":
            info.broader.append(o.value)
    for iri in sorted(scheme_types):
        tax.schemes[iri] = scheme_labels.get(iri, iri.rsplit("/", 1)[-1])
    tax._index()
    if strict and tax.ambiguous_vendors:
        iris = next(iter(tax.ambiguous_vendors.values()))
        raise TopicgraphError(
            f"taxonomy {where}: the concept schemes "
            f"{' and '.join(f'<{i}>' for i in iris)} are all labelled {tax.schemes[iris[0]]!r}, so a topic "
            f"'{tax.schemes[iris[0]]}: ...' could belong to any of them: relabel or remove all but one "
            "(`topicgraph taxonomy check` shows the files and lines)")
    return tax
