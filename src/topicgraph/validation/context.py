"""What checking a file needs besides the file: the taxonomy, the mapper, the shapes and the settings, made once
per process and reused for every file (and what a cached result is keyed by)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..records import DEFAULT_PROFILE, MAX_BYTES, Profile
from ..shacl import Shapes
from ..vocab import DEFAULT_BASE_IRI, RDF_TYPE, SKOS, SKOS_CONCEPT, SKOS_CONCEPT_SCHEME, SKOS_IN_SCHEME

__all__ = ["Context"]


@dataclass
class Context:
    """What checking a file needs besides the file: loaded once per process and reused for every file."""

    taxonomy: object
    mapper: object
    shapes: Shapes
    profile: Profile = DEFAULT_PROFILE
    max_bytes: int = MAX_BYTES
    taxonomy_types: dict[str, str] = field(default_factory=dict)  # taxonomy node -> its class IRI
    taxonomy_stubs: dict[str, str] = field(default_factory=dict)  # taxonomy node -> minimal N-Triples description
    _taxonomy_nt: str | None = None

    @classmethod
    def create(cls, *, taxonomy: str | Path | None = None, shapes: str | Path | None = None,
               profile: Profile = DEFAULT_PROFILE, base_iri: str = DEFAULT_BASE_IRI,
               max_bytes: int = MAX_BYTES) -> "Context":
        from ..iris import IriMinter
        from ..mapping import Mapper
        from ..mapping.nquads import literal
        from ..shacl import typed_literal
        from ..taxonomy import load_taxonomy

        tax = load_taxonomy(taxonomy, strict=False)  # an ambiguous vendor is a finding of the taxonomy check
        types = {iri: SKOS_CONCEPT for iri in tax.concepts}
        types.update({iri: SKOS_CONCEPT_SCHEME for iri in tax.schemes})
        # A record's graph names taxonomy nodes; a minimal valid description of each (type, English label, scheme)
        # satisfies the record's sh:class checks without re-validating the taxonomy for every record.
        label = f"<{SKOS}prefLabel>"
        stubs = {iri: f"<{iri}> <{RDF_TYPE}> <{SKOS_CONCEPT_SCHEME}> .\n<{iri}> {label} "
                      f"{literal(name, lang='en')} .\n" for iri, name in tax.schemes.items()}
        for iri, info in tax.concepts.items():
            stubs[iri] = f"<{iri}> <{RDF_TYPE}> <{SKOS_CONCEPT}> .\n<{iri}> {label} " \
                         f"{literal(info.label, lang='en')} .\n" + \
                         (f"<{iri}> <{SKOS_IN_SCHEME}> <{info.scheme}> .\n" if info.scheme else "")
        # the mapper hands over each record's statements parsed as well (MappedRecord.own): not read back here
        mapper = Mapper(IriMinter(base_iri), tax, triples=typed_literal)
        return cls(tax, mapper, Shapes.load(shapes), profile, max_bytes, types, stubs)

    def taxonomy_nt(self) -> str:
        """The taxonomy as N-Triples (mixed into RDF files, so that their topics' ``sh:class`` checks can pass)."""
        if self._taxonomy_nt is None:
            import pyoxigraph

            parts = []
            for path in self.taxonomy.files:
                for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE,
                                          base_iri=path.resolve().as_uri()):
                    parts.append(f"{t.subject} {t.predicate} {t.object} .\n")
            self._taxonomy_nt = "".join(parts)
        return self._taxonomy_nt
