"""Checking a query before it runs: updates, ``LOAD`` and ``SERVICE`` refused, nesting bounded, errors located.

Against the embedded store every query is checked first: updates, ``LOAD`` and ``SERVICE`` are refused, because
pyoxigraph would carry out ``SERVICE`` with real HTTP requests. The check parses the query with rdflib's SPARQL
parser (so a keyword in a comment, string or IRI is not a ``SERVICE``); a query rdflib cannot parse is refused
when the word ``SERVICE`` appears anywhere in it (and a query without the word anywhere needs no parse at all:
pyoxigraph's query parser never runs an update). Brackets nested deeper than ``MAX_NESTING`` are refused before
any parser sees them: pyoxigraph's recursive parser would overflow its stack and take the process down.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import TopicgraphError
from . import syntax
from .diagnose import diagnose
from .terms import predeclared

__all__ = ["check_query", "check_nesting", "check_complexity", "syntax_error", "CheckedQuery", "QueryRefused", "QuerySyntaxError",
           "QueryTooComplex", "ResultTooLarge", "MAX_NESTING", "MAX_OPERATORS", "MAX_PATTERNS"]

#: the deepest nesting of ``{}``, ``()`` and ``[]`` a query may have (pyoxigraph overflows its stack at a few
#: thousand; real queries stay under twenty)
MAX_NESTING = 128
#: the most operators (``!``, ``||``, ``&&``, comparisons, arithmetic, and the path operators ``/``, ``|``,
#: ``^``) one query may hold: pyoxigraph's recursive parser and optimiser overflow the stack of a process at
#: 10,000 in one chain (5,000 pass); the named queries hold at most a few dozen
MAX_OPERATORS = 2_000
#: the most graph pattern keywords (``OPTIONAL``, ``UNION``, ``MINUS``, ``BIND``, ``FILTER``, ``GRAPH``,
#: ``SERVICE``, ``EXISTS``, ``VALUES``) and ``AS`` (projected expressions) one query may hold: 5,000 ``BIND``,
#: ``MINUS`` or ``(1 AS ?x)`` overflow the stack (2,000 pass); the named queries hold at most a dozen
MAX_PATTERNS = 1_000

_OPERATORS = frozenset({"!", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"})
_PATTERNS = frozenset({"OPTIONAL", "UNION", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "EXISTS", "VALUES",
                       "AS"})

class QueryRefused(TopicgraphError):
    """A query that would change data or reach out to the network: refused before it runs."""


class ResultTooLarge(TopicgraphError):
    """More result rows (or triples) than the limit allows."""


class QuerySyntaxError(TopicgraphError):
    """A syntax error located by line and column, shown with the query text around it."""

    def __init__(self, message: str, sparql: str, line: int, col: int) -> None:
        self.reason, self.line, self.col, self.sparql = message, line, col, sparql
        super().__init__(f"SPARQL syntax error at line {line}, column {col}: {message}\n"
                         f"{syntax.excerpt(sparql, line, col)}")


class QueryTooComplex(QuerySyntaxError):
    """A query nested deeper than the limit: refused before a recursive parser could overflow its stack."""


@dataclass(frozen=True)
class CheckedQuery:
    form: str | None
    has_service: bool
    #: the query names its own dataset (``FROM`` / ``FROM NAMED``)
    has_dataset: bool = False


def _node_names(node) -> list[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    out: list[str] = []
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            out.append(x.name)
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)) or type(x).__name__ == "ParseResults":
            stack.extend(x)
    return out


_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
_UPDATE_MSG = ("updates are refused: topicgraph runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE); "
               "INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY never run here")
_SERVICE_MSG = ("SERVICE is refused: a federated query would make this machine fetch data from other servers; "
                "query the other endpoint directly with `topicgraph query --endpoint URL`")


def check_nesting(sparql: str, max_depth: int | None = MAX_NESTING) -> None:
    """Raise :class:`QueryTooComplex` when brackets nest deeper than ``max_depth`` (None: no limit).

    >>> check_nesting("SELECT * WHERE " + "{" * 200 + "}" * 200)
    Traceback (most recent call last):
    ...
    topicgraph.queries.checks.QueryTooComplex: SPARQL syntax error at line 1, column 144: brackets ...
    """
    if max_depth is None or sum(sparql.count(c) for c in "{([") <= max_depth:  # cannot be deeper: skip the scan
        return
    depth, offset = syntax.nesting_depth(sparql, stop_above=max_depth)
    if depth > max_depth:
        line, col = syntax.line_col(sparql, offset)
        raise QueryTooComplex(f"brackets ({{ }}, ( ) and [ ]) nest more than {max_depth} levels deep here, "
                              "this endpoint's limit: flatten the groups and expressions", sparql, line, col)


def check_complexity(sparql: str, tokens=None) -> None:
    """Raise :class:`QueryTooComplex` when a query holds more operators than :data:`MAX_OPERATORS` or more
    graph pattern keywords than :data:`MAX_PATTERNS`: beyond those, pyoxigraph would overflow its stack and
    take the process down (a signal, no message). ``tokens`` are the query's tokens, if already split.

    >>> check_complexity("SELECT * WHERE { FILTER(" + "!" * 3000 + "true) }")
    Traceback (most recent call last):
    ...
    topicgraph.queries.checks.QueryTooComplex: SPARQL syntax error at line 1, column ...: the query holds 3001 operators ...
    """
    operators = patterns = 0
    for tok in tokens if tokens is not None else syntax.tokenize(sparql):
        if tok.kind == "PUNCT" and tok.text in _OPERATORS:
            operators += 1
            if operators > MAX_OPERATORS:
                _too_many(sparql, tok.start, "operators (!, ||, &&, comparisons, arithmetic, path steps / | ^)",
                          _count(tokens, sparql, _OPERATORS, "PUNCT"), MAX_OPERATORS)
        elif tok.kind == "WORD" and tok.text.upper() in _PATTERNS:
            patterns += 1
            if patterns > MAX_PATTERNS:
                _too_many(sparql, tok.start, "graph patterns and expressions (OPTIONAL, UNION, "
                          "MINUS, BIND, FILTER, GRAPH, VALUES, EXISTS, AS)", _count(tokens, sparql, _PATTERNS, "WORD"), MAX_PATTERNS)


def _count(tokens, sparql: str, words: frozenset[str], kind: str) -> int:
    """How many tokens of ``kind`` in ``sparql`` are one of ``words`` (upper-cased for keywords)."""
    toks = tokens if tokens is not None else syntax.tokenize(sparql)
    return sum(1 for t in toks if t.kind == kind and (t.text.upper() if kind == "WORD" else t.text) in words)


def _too_many(sparql: str, offset: int, what: str, count: int, limit: int) -> None:
    line, col = syntax.line_col(sparql, offset)
    raise QueryTooComplex(f"the query holds {count} {what}, more than the limit of {limit} (beyond "
                          "it the SPARQL engine could overflow its stack): split the query, or put long lists of "
                          "values in a VALUES block", sparql, line, col)


def check_query(sparql: str, *, allow_service: bool = False, max_depth: int | None = MAX_NESTING) -> CheckedQuery:
    """Refuse an update, ``LOAD`` or (unless allowed) ``SERVICE`` before anything runs; return the query form.

    >>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE <http://x/> {}").form
    'SELECT'
    >>> check_query("SELECT * WHERE { service <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    topicgraph.queries.checks.QueryRefused: SERVICE is refused: ...
    """
    if len(sparql) <= _REMEMBERED_CHARS:
        verdict = _remembered_verdict(sparql, allow_service, max_depth)
    else:
        verdict = _verdict(sparql, allow_service, max_depth)
    if isinstance(verdict, BaseException):
        raise verdict.with_traceback(None)
    return verdict


#: rdflib's parser takes 10-50 ms a query, pyoxigraph often 1 ms: the verdicts on recent texts (the named
#: queries, a dashboard's queries) are kept, so that the check does not cost more than the query
_REMEMBERED_CHARS = 20_000


def _verdict(sparql: str, allow_service: bool, max_depth: int | None) -> CheckedQuery | TopicgraphError:
    try:
        return _check(sparql, allow_service, max_depth)
    except TopicgraphError as exc:
        return exc


_remembered_verdict = functools.lru_cache(maxsize=512)(_verdict)


def _check(sparql: str, allow_service: bool, max_depth: int | None) -> CheckedQuery:
    tokens = list(syntax.tokenize(sparql))
    if not "".join(t.text for t in tokens).strip():
        raise QuerySyntaxError("the query is empty", sparql or " ", 1, 1)
    check_nesting(sparql, max_depth)
    check_complexity(sparql, tokens)
    form = syntax.query_form(sparql)
    has_dataset = syntax.has_dataset_clause(sparql)
    if form in syntax.QUERY_FORMS and "service" not in sparql.lower() \
            and "service" not in syntax.expand_escapes(sparql).lower():
        # without the word anywhere, no parser can find a SERVICE; and pyoxigraph's query parser never runs an
        # update. Only a text that has the word pays for rdflib's parse (10-50 ms) to tell where it is.
        return CheckedQuery(form, False, has_dataset)
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # only here: importing it costs 0.1-0.2 s

    try:
        tree = parseQuery(sparql)
    except Exception:  # noqa: BLE001 - any parse failure: fall back to the conservative checks below
        tree = None
    if tree is None:
        try:
            update = parseUpdate(sparql)
            is_update = bool(update.get("request"))
        except Exception:  # noqa: BLE001
            is_update = False
        expanded = syntax.expand_escapes(sparql)
        if is_update or form == "UPDATE" or re.search(r"(?i)\bLOAD\b", expanded) and form is None:
            raise QueryRefused(_UPDATE_MSG)
        has_service = re.search(r"(?i)\bSERVICE\b", expanded) is not None
    else:
        names = _node_names(tree)
        # SERVICE as a bare word (never a variable, prefixed name, string or IRI) is the keyword in any parser
        has_service = "ServiceGraphPattern" in names or any(
            t.kind == "WORD" and t.text.upper() == "SERVICE" for t in tokens)
        form = next((_FORMS[n] for n in names if n in _FORMS), None)
    if has_service and not allow_service:
        raise QueryRefused(_SERVICE_MSG)
    return CheckedQuery(form, has_service, has_dataset)

def syntax_error(sparql: str, exc: SyntaxError, prefixes: dict[str, str] | None = None) -> TopicgraphError:
    """The parser's ``exc`` as a :class:`QuerySyntaxError` that says what is wrong in words where it can (an
    unknown prefix, a triple without object, a missing ``.`` or ``}``, a mistyped keyword), placed and shown."""
    prefixes = predeclared() if prefixes is None else prefixes
    message = str(exc)
    unknown = syntax.undeclared_prefix(sparql, prefixes)
    if unknown is not None:
        prefix, offset = unknown
        line, col = syntax.line_col(sparql, offset)
        known = ", ".join(f"{p}:" for p in prefixes)
        return QuerySyntaxError(f"unknown prefix '{prefix}:' (declare it with PREFIX {prefix}: <...>, or use one "
                                f"of the predeclared prefixes {known})", sparql, line, col)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if m:
        reason = re.sub(r"\s+", " ", m.group(3)).strip()
        reason = re.sub(r"\[[^\[\]]*\]", "", reason)  # drop the character classes pyoxigraph lists
        reason = re.sub(r"(,\s*)+(?=,|$)", "", re.sub(r"one of\s*,\s*", "one of ", reason)).strip(" ,")
        if len(reason) > 240:
            reason = reason[:240] + "…"
        line, col = int(m.group(1)), int(m.group(2))
        said = diagnose(sparql)
        if said is not None:  # a common mistake, said in words; the parser's list of tokens after it
            sentence, offset = said
            return QuerySyntaxError(f"{sentence} (the parser said: {reason})", sparql,
                                    *syntax.line_col(sparql, offset))
        # pyoxigraph reports where its parser finally gave up, often past the mistake; rdflib's parser stops at
        # the start of the clause it could not read. Point at the earlier place and say what pyoxigraph wanted.
        start = _rdflib_error_position(sparql)
        if start is not None and start < (line, col):
            return QuerySyntaxError(f"cannot read the query from here (at line {line}, column {col}: {reason})",
                                    sparql, *start)
        return QuerySyntaxError(reason, sparql, line, col)
    return TopicgraphError(f"SPARQL syntax error: {message}")


def _rdflib_error_position(sparql: str) -> tuple[int, int] | None:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(sparql)
    except Exception as exc:  # noqa: BLE001 - pyparsing's ParseException and friends
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    return None
