"""Saying in words what a SPARQL query that does not parse is missing: a term of a triple, a ``.``, a ``}``, a keyword.

The parser's own message lists the tokens it expected where it gave up ("expected one of LATERAL, SERVICE"),
often past the mistake. This reads the tokens once, in order, and stops at the first of the common mistakes:

>>> diagnose("SELECT * WHERE { ?s ?p }")[0]
'the triple pattern `?s ?p` has no object: a triple needs a subject, a predicate and an object'
>>> diagnose("SELCT * WHERE { ?s ?p ?o }")[0]
'`SELCT` is not a SPARQL keyword: did you mean SELECT?'
"""

from __future__ import annotations

import difflib

from .syntax import Token, line_col, tokenize

__all__ = ["diagnose", "KEYWORDS"]

#: SPARQL 1.1 keywords and built-in functions (the grammar is case-insensitive about them)
KEYWORDS = frozenset("""
BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC DESC GROUP HAVING
LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH SERVICE SILENT BIND MINUS UNION FILTER EXISTS NOT IN A TRUE FALSE
COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS
CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR
MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG
STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE LATERAL TRIPLE SUBJECT PREDICATE
OBJECT ISTRIPLE LANGDIR STRLANGDIR HASLANG HASLANGDIR ADJUST
INSERT DELETE DATA LOAD CLEAR DROP CREATE ADD MOVE COPY WITH USING DEFAULT ALL INTO TO
""".split())
#: the keywords a person mistypes at the start of a clause or pattern (suggested first)
_CLAUSES = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "PREFIX", "OPTIONAL", "FILTER", "BIND", "MINUS",
            "UNION", "GRAPH", "VALUES", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "DISTINCT")
_TERMS = frozenset({"VAR", "IRI", "PNAME", "STRING", "NUMBER", "BNODE"})
#: keywords that start a pattern inside a group (a triple before one needs no `.`)
_PATTERN_WORDS = frozenset({"OPTIONAL", "FILTER", "BIND", "MINUS", "UNION", "GRAPH", "SERVICE", "VALUES",
                            "LATERAL"})
_PAIRS = {"{": "}", "(": ")", "[": "]"}


def _where(text: str, offset: int) -> str:
    line, col = line_col(text, offset)
    return f"line {line}, column {col}"


def _typo(word: str) -> str:
    close = difflib.get_close_matches(word.upper(), _CLAUSES, n=1, cutoff=0.7) or \
        difflib.get_close_matches(word.upper(), sorted(KEYWORDS), n=1, cutoff=0.75)
    hint = f": did you mean {close[0]}?" if close else (": write a variable (?x), an IRI (<...>), a prefixed "
                                                        "name (schema:name) or a keyword")
    return f"`{word}` is not a SPARQL keyword{hint}"


def _skip_balanced(toks: list[Token], i: int) -> int:
    """Index just past the bracket that closes ``toks[i]`` (or the end)."""
    depth = 0
    while i < len(toks):
        if toks[i].kind == "PUNCT" and toks[i].text in _PAIRS:
            depth += 1
        elif toks[i].kind == "PUNCT" and toks[i].text in _PAIRS.values():
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def diagnose(sparql: str) -> tuple[str, int] | None:
    """(a sentence that says what is wrong, its offset in ``sparql``) for the first common mistake found, or
    None. Called only on a query the parser refused: a query it accepts may still get a sentence here."""
    toks = [t for t in tokenize(sparql) if t.kind not in ("WS", "COMMENT")]
    stack: list[tuple[Token, bool]] = []  # open brackets, and whether a `{` holds triple patterns
    count, path_op, semicolon, triple_start = 0, False, False, 0
    values_pending = False

    def missing(at: int) -> tuple[str, int] | None:
        if count in (1, 2) and not semicolon:
            shown = " ".join(t.text for t in toks[triple_start:i])
            what = "no predicate and no object" if count == 1 else "no object"
            return (f"the triple pattern `{shown}` has {what}: a triple needs a subject, a predicate and an "
                    "object", at)
        return None

    i = 0
    while i < len(toks):
        tok = toks[i]
        in_group = bool(stack) and stack[-1][0].text == "{" and stack[-1][1]
        if tok.kind == "WORD" and tok.text.upper() not in KEYWORDS:
            return _typo(tok.text), tok.start
        if tok.kind == "PUNCT" and tok.text in _PAIRS:
            if in_group and tok.text in "([" and count < 3:  # a blank node, a collection or a path group: one term
                j = _skip_balanced(toks, i)
                if j >= len(toks) and toks[-1].text != _PAIRS[tok.text]:
                    return (f"the `{tok.text}` opened at {_where(sparql, tok.start)} is never closed: add "
                            f"`{_PAIRS[tok.text]}`", len(sparql))
                count, path_op, semicolon = count + (0 if path_op else 1), False, False
                i = j
                continue
            if tok.text == "{":
                found = missing(tok.start) if in_group else None
                if found:
                    return found
                first = toks[i + 1].text.upper() if i + 1 < len(toks) else ""
                stack.append((tok, not values_pending and first != "SELECT"))
                values_pending, count, semicolon = False, 0, False
            else:
                stack.append((tok, False))
            i += 1
            continue
        if tok.kind == "PUNCT" and tok.text in _PAIRS.values():
            if in_group:
                found = missing(tok.start)
                if found:
                    return found
            if not stack:
                opener = next(k for k, v in _PAIRS.items() if v == tok.text)
                return f"this `{tok.text}` closes nothing: remove it, or open its `{opener}` before", tok.start
            opened = stack.pop()[0]
            if _PAIRS[opened.text] != tok.text:
                return (f"this `{tok.text}` does not close the `{opened.text}` opened at "
                        f"{_where(sparql, opened.start)}: close it with `{_PAIRS[opened.text]}` first", tok.start)
            count, semicolon, path_op = 0, False, False
            i += 1
            continue
        if not in_group:
            if tok.kind == "WORD" and tok.text.upper() == "VALUES":
                values_pending = True
            i += 1
            continue
        # inside a group of triple patterns
        word = tok.text.upper() if tok.kind == "WORD" else None
        if word in _PATTERN_WORDS or word in ("SELECT", "EXISTS", "NOT"):
            found = missing(tok.start)
            if found:
                return found
            count, semicolon, path_op = 0, False, False
            if word in ("FILTER", "BIND") and i + 1 < len(toks) and toks[i + 1].text == "(":
                i = _skip_balanced(toks, i + 1)
                continue
            if word == "FILTER" and i + 2 < len(toks) and toks[i + 1].kind == "WORD" and toks[i + 2].text == "(":
                i = _skip_balanced(toks, i + 2)
                continue
            if word == "VALUES":  # its data block holds values, not triples
                j = _skip_balanced(toks, i + 1) if i + 1 < len(toks) and toks[i + 1].text == "(" else i + 2
                i = _skip_balanced(toks, j) if j < len(toks) and toks[j].text == "{" else j
                continue
            if word == "GRAPH":
                i += 2
                continue
            i += 1
            continue
        if tok.kind == "PUNCT" and tok.text == ".":
            found = missing(tok.start)
            if found:
                return found
            count, semicolon, path_op = 0, False, False
        elif tok.kind == "PUNCT" and tok.text == ";":
            found = missing(tok.start)
            if found:
                return found
            count, semicolon = 1, True
        elif tok.kind == "PUNCT" and tok.text == ",":
            count = 2
        elif tok.kind == "PUNCT" and tok.text in ("/", "|", "^"):
            path_op = True
        elif tok.kind in ("LANGTAG",) or (tok.kind == "PUNCT" and tok.text in ("*", "+", "?")):
            pass
        elif tok.kind == "PUNCT" and tok.text == "^^":
            i += 2
            continue
        elif tok.kind in _TERMS or word in ("A", "TRUE", "FALSE"):
            if path_op:
                path_op = False
            elif count == 3:
                return ("a `.` is missing between two triple patterns (before this one): end each triple with "
                        "`.`, or with `;` to give the same subject another predicate", tok.start)
            else:
                if count == 0:
                    triple_start = i
                count += 1
                semicolon = False
        i += 1
    if stack:
        opened = stack[-1][0]
        return (f"the `{opened.text}` opened at {_where(sparql, opened.start)} is never closed: add "
                f"`{_PAIRS[opened.text]}`", len(sparql))
    return None
