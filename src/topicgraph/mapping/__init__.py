"""Mapping records to RDF (schema.org, SKOS, PROV) with deterministic IRIs."""

from .mapper import EntityMention, MappedRecord, Mapper, count_mentions, entity_nquads

__all__ = ["Mapper", "MappedRecord", "EntityMention", "entity_nquads", "count_mentions"]
