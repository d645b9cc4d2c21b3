"""What a query returned (:class:`QueryResult`), and pyoxigraph's results collected into one under a row limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .checks import ResultTooLarge

__all__ = ["QueryResult", "collect"]


@dataclass
class QueryResult:
    """What a query returned: SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples (pyoxigraph terms)."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``bindings``, ``boolean`` or ``graph``: which result formats apply."""
        if self.form == "ASK":
            return "boolean"
        return "graph" if self.form in ("CONSTRUCT", "DESCRIBE") else "bindings"

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def values(self) -> list[dict[str, Any]]:
        """The rows as plain Python values (IRIs and strings as ``str``, numbers as numbers)."""
        from ..terms import to_python

        return [{k: to_python(v) for k, v in row.items()} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """One column's plain values, ``None`` where unbound."""
        from ..terms import to_python

        return [to_python(row.get(name)) for row in self.rows]


def collect(raw, form: str | None, max_rows: int | None) -> QueryResult:
    import pyoxigraph

    if isinstance(raw, pyoxigraph.QueryBoolean):
        return QueryResult("ASK", boolean=bool(raw))
    if isinstance(raw, pyoxigraph.QuerySolutions):
        names = [v.value for v in raw.variables]
        rows = []
        for solution in raw:
            if max_rows is not None and len(rows) >= max_rows:
                raise ResultTooLarge(f"the result has more than {max_rows} rows: add LIMIT (and OFFSET to page), "
                                     "or narrow the query")
            rows.append({n: solution[n] for n in names if solution[n] is not None})
        return QueryResult("SELECT", names, rows)
    triples = []
    for t in raw:
        if max_rows is not None and len(triples) >= max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} triples: add LIMIT to the WHERE clause, "
                                 "or narrow the query")
        triples.append(t)
    return QueryResult(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=triples)
