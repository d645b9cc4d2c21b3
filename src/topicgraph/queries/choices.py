"""Values to choose from when a named query's required parameter is left out, found by asking the store.

A parameter named ``topic``, ``identifier`` or ``vendor`` has a small query here that lists the values the
store (or endpoint) actually holds, most used first, so that the error names real values of this corpus
instead of the seeds'.
"""

from __future__ import annotations

from collections.abc import Callable

from .formats import compact_iri
from .result import QueryResult

__all__ = ["CHOICE_QUERIES", "find_choices"]

#: parameter name -> (heading, SELECT with ?value, ?label and optionally ?n: the articles that use it)
CHOICE_QUERIES: dict[str, tuple[str, str]] = {
    "topic": ("The most used topics in this store", """
        SELECT ?value (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n)
        WHERE { ?a schema:about ?value . OPTIONAL { ?value skos:prefLabel ?l } }
        GROUP BY ?value ORDER BY DESC(?n) STR(?value) LIMIT 10"""),
    "identifier": ("Some article identifiers in this store (articles with topics)", """
        SELECT ?value (SAMPLE(?h) AS ?label) (COUNT(DISTINCT ?t) AS ?topics)
        WHERE { ?a schema:identifier ?value ; schema:about ?t . OPTIONAL { ?a schema:headline ?h } }
        GROUP BY ?value ORDER BY DESC(?topics) STR(?value) LIMIT 5"""),
    "vendor": ("The vendors' schemes in this store", """
        SELECT ?value (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n)
        WHERE { ?a schema:about ?t . ?t skos:inScheme ?value . OPTIONAL { ?value skos:prefLabel ?l } }
        GROUP BY ?value ORDER BY DESC(?n) STR(?value) LIMIT 10"""),
}


def find_choices(name: str, run: Callable[[str], QueryResult],
                 prefixes: dict[str, str]) -> tuple[str, list[str]] | None:
    """(heading, one line per value) for the parameter ``name``, from ``run(sparql)``; None when there is no
    query for it or the store holds no value. Each line starts with the value as it would be passed."""
    if name not in CHOICE_QUERIES:
        return None
    heading, sparql = CHOICE_QUERIES[name]
    rows = []
    for row in run(sparql).rows:
        value = row.get("value")
        if value is None:
            continue
        shown = compact_iri(value.value, prefixes) if type(value).__name__ == "NamedNode" else value.value
        label = " ".join(row["label"].value.split()) if row.get("label") is not None else ""
        n = row.get("n")
        if n is not None:
            count = int(n.value)
            label = f"{label} ({count} article{'' if count == 1 else 's'})".strip()
        rows.append((shown, label))
    if not rows:
        return None
    width = max(len(v) for v, _ in rows)
    return heading, [f"{v:<{width}}  {label}".rstrip() for v, label in rows]
