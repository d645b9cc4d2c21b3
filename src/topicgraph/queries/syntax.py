"""Reading SPARQL text without running it: a tokenizer, the query form, prefixes, safe VALUES and paging edits.

The tokenizer knows SPARQL's comments, four kinds of string, IRIs, variables, prefixed names and language tags,
so a keyword inside a comment, a string or an IRI is never mistaken for one in the query.

>>> [t.text for t in tokenize('SELECT ?s # SERVICE\\nWHERE { ?s a "SERVICE" }') if t.kind == "WORD"]
['SELECT', 'WHERE', 'a']
>>> query_form("PREFIX ex: <http://e/> ASK { ?s ?p ?o }")
'ASK'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["Token", "tokenize", "expand_escapes", "nesting_depth", "query_form", "declared_prefixes",
           "undeclared_prefix", "insert_values", "limit_offset_editable", "with_limit_offset", "line_col", "excerpt",
           "UPDATE_KEYWORDS", "QUERY_FORMS", "has_dataset_clause"]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Words that only ever start or shape a SPARQL Update operation (none of them is a query keyword or function).
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
                             "USING", "DATA"})

_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"

_TOKEN_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in [
    ("WS", r"\s+"),
    ("COMMENT", r"#[^\r\n]*"),
    # An unterminated string runs to the end of its line (or of the text, for a long string) instead of failing:
    # a failed match would be retried from every later quote, which is quadratic on hostile input.
    ("STRING", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*(?:'''|'{0,2}\\?$)"
               r"|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*(?:\"\"\"|\"{0,2}\\?$)"
               r"|'(?:[^'\\\r\n]|\\[^\r\n])*'?|\"(?:[^\"\\\r\n]|\\[^\r\n])*\"?"),
    ("IRI", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("VAR", f"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("BNODE", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("PNAME", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("NUMBER", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("WORD", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("PUNCT", r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*/+\-!=<>^|?$@]"),
    ("OTHER", r"."),
]), re.DOTALL)

_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (``WORD``, ``PNAME``, ``IRI``, ``STRING``, ``PUNCT``…), text and offset."""

    kind: str
    text: str
    start: int


def expand_escapes(sparql: str) -> str:
    r"""Apply SPARQL's codepoint escapes (``\u0053`` is ``S``), which the grammar applies before anything else.

    >>> expand_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def sub(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE_RE.sub(sub, sparql)


def tokenize(sparql: str, *, comments: bool = False) -> Iterator[Token]:
    """The tokens of ``sparql`` (white space always, comments unless asked for, left out)."""
    for m in _TOKEN_RE.finditer(sparql):
        kind = m.lastgroup
        if kind == "WS" or (kind == "COMMENT" and not comments):
            continue
        text = m.group()
        if kind == "PNAME" and text.endswith("."):  # a trailing dot ends the triple, not the name
            text = text.rstrip(".")
        yield Token(kind, text, m.start())


_NEST_RE = re.compile(r"""[#'"<{}()\[\]]""")
_IRI_RE = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_SHORT_STRING_END = {"'": re.compile(r"(?:[^'\\\r\n]|\\[^\r\n])*'?"), '"': re.compile(r'(?:[^"\\\r\n]|\\[^\r\n])*"?')}
_LONG_STRING_END = {q: re.compile(f"(?:(?:{q}|{q}{q})?(?:[^{q}\\\\]|\\\\.))*(?:{q}{q}{q}|{q}{{0,2}}\\\\?$)", re.DOTALL)
                    for q in "'\""}


def nesting_depth(sparql: str, *, stop_above: int | None = None) -> tuple[int, int]:
    """How deep ``{}``, ``()`` and ``[]`` nest outside comments, strings and IRIs, and the offset of the deepest.

    One pass in linear time whatever the text, so that a server can measure a hostile query before any
    recursive parser sees it; with ``stop_above``, the scan stops at the first bracket deeper than that.

    >>> nesting_depth("SELECT * WHERE { ?s ?p ?o FILTER((?o > 1)) } # {{{{")
    (3, 33)
    """
    depth = deepest = where = 0
    pos, n = 0, len(sparql)
    while pos < n:
        m = _NEST_RE.search(sparql, pos)
        if m is None:
            break
        c, at = m.group(), m.start()
        pos = at + 1
        if c in "{([":
            depth += 1
            if depth > deepest:
                deepest, where = depth, at
                if stop_above is not None and depth > stop_above:
                    break
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c == "#":
            end = sparql.find("\n", at)
            pos = n if end < 0 else end
        elif c == "<":
            iri = _IRI_RE.match(sparql, at)
            if iri is not None:
                pos = iri.end()
        elif sparql.startswith(c * 3, at):  # the end patterns always match, so each character is read once
            pos = _LONG_STRING_END[c].match(sparql, at + 3).end()
        else:
            pos = _SHORT_STRING_END[c].match(sparql, at + 1).end()
    return deepest, where


def _words(sparql: str) -> list[Token]:
    return list(tokenize(sparql))


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; ``UPDATE`` for an update; None when it cannot tell."""
    for tok in tokenize(expand_escapes(sparql)):
        if tok.kind != "WORD":
            continue
        word = tok.text.upper()
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
        if word not in ("PREFIX", "BASE"):
            return None
    return None


def has_dataset_clause(sparql: str) -> bool:
    """True when the query names its dataset with ``FROM`` or ``FROM NAMED`` (a keyword nowhere else).

    >>> has_dataset_clause("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT ?from WHERE { ?from ?p 'FROM' } # FROM")
    False
    """
    text = expand_escapes(sparql) if "\\" in sparql else sparql
    if "from" not in text.lower():
        return False
    return any(t.kind == "WORD" and t.text.upper() == "FROM" for t in tokenize(text))


def declared_prefixes(sparql: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query: prefix -> namespace IRI.

    >>> declared_prefixes("PREFIX ex: <http://e/> PREFIX : <http://d/> SELECT * {}")
    {'ex': 'http://e/', '': 'http://d/'}
    """
    toks = _words(sparql)
    found: dict[str, str] = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind == "WORD" and tok.text.upper() == "PREFIX" and toks[i + 1].kind == "PNAME" \
                and toks[i + 1].text.endswith(":") and toks[i + 2].kind == "IRI":
            found[toks[i + 1].text[:-1]] = toks[i + 2].text[1:-1]
    return found


def undeclared_prefix(sparql: str, predeclared: Mapping[str, str] = ()) -> tuple[str, int] | None:
    """The first prefixed name whose prefix is neither declared nor predeclared: ``(prefix, offset)``."""
    known = set(predeclared) | set(declared_prefixes(sparql))
    toks = _words(sparql)
    for i, tok in enumerate(toks):
        if tok.kind != "PNAME":
            continue
        if i and toks[i - 1].kind == "WORD" and toks[i - 1].text.upper() == "PREFIX":
            continue
        prefix = tok.text.split(":", 1)[0]
        if prefix not in known:
            return prefix, tok.start
    return None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def excerpt(text: str, line: int, col: int, *, around: int = 2, columns: int = 120) -> str:
    """The lines around ``line`` with numbers and a caret under ``col``, for error messages.

    Lines longer than ``columns`` show only the part around ``col``, marked with ``…``.

    >>> print(excerpt("SELECT *\\nWHERE { ?s ?p }", 2, 16))
      1 | SELECT *
      2 | WHERE { ?s ?p }
        |                ^
    >>> print(excerpt("SELECT * WHERE {" + " " * 300 + "?s ?p }", 1, 317, columns=20))
      1 | …          ?s ?p }
        |            ^
    """
    lines = text.splitlines() or [""]
    line = max(1, min(line, len(lines)))
    first, last = max(1, line - around), min(len(lines), line + around)
    width = len(str(last))
    start = max(0, col - 1 - columns // 2) if len(lines[line - 1]) > columns else 0
    out = []
    for n in range(first, last + 1):
        shown = lines[n - 1][start:start + columns]
        if start and lines[n - 1][:start]:
            shown = "…" + shown
        if len(lines[n - 1]) > start + columns:
            shown += "…"
        out.append(f"  {n:>{width}} | {shown}".rstrip())
        if n == line:
            out.append(f"  {'':>{width}} | {' ' * (max(0, col - 1 - start) + (1 if start else 0))}^")
    return "\n".join(out)


def _where_brace(toks: list[Token]) -> int | None:
    """Index of the ``{`` that opens the query's WHERE group (depth 0), or None."""
    form_seen = None
    depth = paren = 0
    braces_at_top = 0
    for i, tok in enumerate(toks):
        t = tok.text
        if tok.kind == "PUNCT":
            if t == "(":
                paren += 1
            elif t == ")":
                paren -= 1
            elif t == "{":
                if depth == 0 and paren == 0 and form_seen:
                    braces_at_top += 1
                    prev = toks[i - 1] if i else None
                    if prev is not None and prev.kind == "WORD" and prev.text.upper() == "WHERE":
                        return i
                    if form_seen != "CONSTRUCT" or braces_at_top == 2:
                        return i
                depth += 1
            elif t == "}":
                depth -= 1
        elif tok.kind == "WORD" and depth == 0 and paren == 0 and form_seen is None \
                and tok.text.upper() in QUERY_FORMS:
            form_seen = tok.text.upper()
    return None


def _sub_selects(toks: list[Token]) -> list[tuple[int, int, int]]:
    """``(SELECT index, WHERE-brace index, index of the closing brace)`` of every sub-SELECT, outermost first."""
    found: list[tuple[int, int, int]] = []
    opened: list[int] = []  # index into found of the sub-SELECT each open brace belongs to, or -1
    waiting: list[int] = []  # sub-SELECTs whose WHERE brace is still to come, with the paren depth they began at
    paren = 0
    for i, tok in enumerate(toks):
        kind, t = tok.kind, tok.text
        if kind == "WORD" and t.upper() == "SELECT" and i and toks[i - 1].kind == "PUNCT" \
                and toks[i - 1].text == "{" and opened:
            opened[-1] = len(found)  # the brace before SELECT closes where the sub-SELECT ends
            found.append((i, -1, -1))
            waiting.append(paren)
        elif kind == "PUNCT":
            if t == "(":
                paren += 1
            elif t == ")":
                paren -= 1
            elif t == "{":
                if waiting and waiting[-1] == paren:
                    waiting.pop()
                    sel = max(j for j, f in enumerate(found) if f[1] == -1)
                    found[sel] = (found[sel][0], i, -1)
                opened.append(-1)
            elif t == "}" and opened:
                owner = opened.pop()
                if owner >= 0:
                    found[owner] = (found[owner][0], found[owner][1], i)
    return [f for f in found if f[1] >= 0 and f[2] >= 0]


def _binding_braces(toks: list[Token], outer: int, name: str) -> list[int]:
    """The ``{`` braces where ``?name`` is bound.

    First, the WHERE group of the innermost sub-SELECT that holds every use of the variable and does not make it
    itself (``AS ?name``), or the query's own WHERE group when there is none. Then, below that, the WHERE group of
    every sub-SELECT that hands the variable up as it is (``?name`` or ``*`` in its projection, no ``LIMIT`` or
    ``OFFSET``), through sub-SELECTs that all do so too: there the binding means the same (the solutions it keeps
    are those the join above would keep) and the subquery works on far fewer (a count-first subquery counts for
    the one topic asked about instead of all of them).
    """
    uses = [i for i, tok in enumerate(toks) if tok.kind == "VAR" and tok.text[1:] == name]
    subs = _sub_selects(toks)
    first, first_span = outer, (0, len(toks))
    if uses:
        for sel, where, close in subs:  # outermost first: a later match is nested inside this one
            if sel < uses[0] and uses[-1] < close and not _makes(toks, sel, where, name):
                first, first_span = where, (sel, close)
    braces = [first]
    opaque: list[tuple[int, int]] = []  # sub-SELECTs the binding must not cross
    for sel, where, close in subs:
        if not (first_span[0] < sel and close < first_span[1]) or any(a < sel and close < b for a, b in opaque):
            continue
        if _hands_up(toks, sel, where, close, name) and any(where < u < close for u in uses):
            braces.append(where)
        else:
            opaque.append((sel, close))
    return braces


def _makes(toks: list[Token], sel: int, where: int, name: str) -> bool:
    return any(toks[j].kind == "WORD" and toks[j].text.upper() == "AS" and toks[j + 1].kind == "VAR"
               and toks[j + 1].text[1:] == name for j in range(sel, where))


def _hands_up(toks: list[Token], sel: int, where: int, close: int, name: str) -> bool:
    """Whether the sub-SELECT projects ``?name`` as it is and keeps every solution (no LIMIT or OFFSET)."""
    paren = 0
    plain = False
    for j in range(sel + 1, where):
        tok = toks[j]
        if tok.kind == "PUNCT" and tok.text == "(":
            paren += 1
        elif tok.kind == "PUNCT" and tok.text == ")":
            paren -= 1
        elif paren == 0 and ((tok.kind == "PUNCT" and tok.text == "*")
                             or (tok.kind == "VAR" and tok.text[1:] == name)):
            plain = True
    if not plain:
        return False
    depth = 0
    for j in range(where, close):  # the solution modifiers follow the WHERE group, at its level
        tok = toks[j]
        if tok.kind == "PUNCT" and tok.text in "{}":
            depth += 1 if tok.text == "{" else -1
        elif depth == 0 and tok.kind == "WORD" and tok.text.upper() in ("LIMIT", "OFFSET"):
            return False
    return True


def insert_values(sparql: str, bindings: Mapping[str, str]) -> str:
    """Bind variables by a ``VALUES`` block opening the WHERE group; values are terms in SPARQL syntax.

    A variable used only inside a sub-SELECT is bound there, in the innermost one that holds all its uses:
    bound outside, it would not reach the subquery, which is evaluated on its own (a count-first subquery
    would count for every article instead of the one asked about). A sub-SELECT that hands the variable up
    unchanged gets the binding too (see :func:`_binding_braces`). The terms must already be serialised RDF
    terms (``str()`` of a pyoxigraph term), never user text.

    >>> insert_values("SELECT ?a WHERE { ?a ?p ?t }", {"t": "<http://e/x>"})
    'SELECT ?a WHERE { VALUES (?t) { (<http://e/x>) } ?a ?p ?t }'
    >>> insert_values("SELECT ?a ?n WHERE { { SELECT ?a (COUNT(*) AS ?n) { ?a ?p ?t } GROUP BY ?a } }",
    ...               {"t": "<http://e/x>"})
    'SELECT ?a ?n WHERE { { SELECT ?a (COUNT(*) AS ?n) { VALUES (?t) { (<http://e/x>) } ?a ?p ?t } GROUP BY ?a } }'
    """
    if not bindings:
        return sparql
    toks = _words(sparql)
    idx = _where_brace(toks)
    if idx is None:
        from ..errors import TopicgraphError

        raise TopicgraphError("cannot find the query's WHERE clause to bind the parameters")
    at: dict[int, list[str]] = {}
    for name in bindings:
        for brace in _binding_braces(toks, idx, name):
            at.setdefault(brace, []).append(name)
    out = sparql
    for brace in sorted(at, reverse=True):  # from the end, so earlier offsets stay valid
        names = " ".join(f"?{n}" for n in at[brace])
        values = " ".join(bindings[n] for n in at[brace])
        pos = toks[brace].start + 1
        out = f"{out[:pos]} VALUES ({names}) {{ ({values}) }}{out[pos:]}"
    return out


def limit_offset_editable(sparql: str) -> bool:
    """True for a SELECT whose outermost level has no LIMIT, OFFSET or trailing VALUES, so paging can be added."""
    toks = _words(sparql)
    if query_form(sparql) != "SELECT":
        return False
    depth = 0
    seen_group = False
    for tok in toks:
        if tok.kind == "PUNCT" and tok.text == "{":
            depth += 1
            seen_group = True
        elif tok.kind == "PUNCT" and tok.text == "}":
            depth -= 1
        elif tok.kind == "WORD" and depth == 0 and seen_group and tok.text.upper() in ("LIMIT", "OFFSET", "VALUES"):
            return False
    return seen_group


def with_limit_offset(sparql: str, limit: int, offset: int, variables: list[str] | None = None) -> str:
    r"""One page of a SELECT (check :func:`limit_offset_editable` first).

    A query without ``ORDER BY`` gets ``LIMIT``/``OFFSET`` appended. An ordered one is wrapped as a subquery
    and paged outside it (with its ``FROM`` clauses moved out, and ``variables`` projected when given), because
    Virtuoso refuses ``OFFSET`` past its row cap on a sorted result but pages a sorted subquery.

    >>> with_limit_offset("SELECT ?s WHERE { ?s ?p ?o }", 10, 20)
    'SELECT ?s WHERE { ?s ?p ?o }\nLIMIT 10 OFFSET 20\n'
    >>> print(with_limit_offset("PREFIX e: <http://e/>\nSELECT ?s FROM <http://g/> WHERE { ?s e:p ?o } ORDER BY ?s",
    ...                         10, 20, ["s"]))
    PREFIX e: <http://e/>
    SELECT ?s FROM <http://g/> WHERE { {
    SELECT ?s  WHERE { ?s e:p ?o } ORDER BY ?s
    } }
    LIMIT 10 OFFSET 20
    <BLANKLINE>
    """
    toks = _words(sparql)
    depth = 0
    form_at = None
    ordered = False
    datasets: list[tuple[int, int]] = []
    for i, tok in enumerate(toks):
        if tok.kind == "PUNCT" and tok.text in "{}":
            depth += 1 if tok.text == "{" else -1
            continue
        if depth or tok.kind != "WORD":
            continue
        word = tok.text.upper()
        if word == "SELECT" and form_at is None:
            form_at = tok.start
        elif word == "ORDER":
            ordered = True
        elif word == "FROM" and form_at is not None:
            j = i + 1
            if j < len(toks) and toks[j].kind == "WORD" and toks[j].text.upper() == "NAMED":
                j += 1
            if j < len(toks) and toks[j].kind in ("IRI", "PNAME"):
                datasets.append((tok.start, toks[j].start + len(toks[j].text)))
    if not ordered or form_at is None:
        return f"{sparql.rstrip()}\nLIMIT {int(limit)} OFFSET {int(offset)}\n"
    body, dataset_text, last = [], [], form_at
    for start, end in datasets:
        body.append(sparql[last:start])
        dataset_text.append(sparql[start:end])
        last = end
    body.append(sparql[last:])
    projection = " ".join(f"?{v}" for v in variables) if variables else "*"
    return (f"{sparql[:form_at]}SELECT {projection} {' '.join(dataset_text)} WHERE {{ {{\n{''.join(body).strip()}\n"
            f"}} }}\nLIMIT {int(limit)} OFFSET {int(offset)}\n")
