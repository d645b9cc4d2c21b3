"""Mapping records to RDF (schema.org, SKOS, PROV) with deterministic IRIs."""

from .mapper import EntityMention, MappedRecord, Mapper, entity_nquads

__all__ = ["Mapper", "MappedRecord", "EntityMention", "entity_nquads"]
