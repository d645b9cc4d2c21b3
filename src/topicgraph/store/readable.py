"""Turtle, TriG and compacted JSON-LD that every reader accepts and a person can read, in a stable order.

pyoxigraph writes valid but hard-to-read Turtle: triples in index order, and prefixed names with escaped local
parts (``tax:acme-inc\\.``, ``tax:medigy\\/x``) that rdflib cannot read. Here pyoxigraph still writes the
N-Triples (or N-Quads) lines, fast, and this module sorts them and groups them by subject (predicate-object lists,
``rdf:type`` first as ``a``, as rdflib's ``longturtle`` does), writing a prefixed name only when its local part
needs no escape, the full IRI otherwise. The same graph always gives the same bytes.

Memory stays bounded whatever the size of the graph: the lines are sorted by :func:`sorted_unique`, an external
merge sort (sorted runs of at most ``chunk_size`` lines in temporary files, merged), and the text is spooled to a
temporary file while the prefixes it uses are found, then copied after the ``@prefix`` lines.

>>> nt = ['<http://schema.org/b> <http://schema.org/name> "B" .', '<http://e.org/a.> <http://schema.org/x> 1 .',
...       '<http://schema.org/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Thing> .']
>>> print(turtle(nt, {"schema": "http://schema.org/"}).decode(), end="")
@prefix schema: <http://schema.org/> .
<BLANKLINE>
<http://e.org/a.> schema:x 1 .
<BLANKLINE>
schema:b
    a schema:Thing ;
    schema:name "B" .
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from .. import vocab

__all__ = ["turtle", "trig", "jsonld", "split_triple", "split_quad", "local_name_is_safe", "dumps", "sorted_unique",
           "CHUNK_LINES"]

#: lines sorted in memory at once (about 100 MB of Python strings and sort keys); more go to sorted runs on disk
CHUNK_LINES = 100_000
#: sorted runs merged at once: fewer open files than any system's limit
_MERGE_WIDTH = 128
#: output text kept in memory before it spills to a temporary file
_SPOOL_BYTES = 16 << 20

_TYPE = f"<{vocab.RDF_TYPE}>"
_XSD_INTEGER = f"<{vocab.XSD}integer>"
_XSD_BOOLEAN = f"<{vocab.XSD}boolean>"

#: a local part every Turtle reader takes unescaped: letters, digits, ``_`` and ``-``, with inner dots
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?\Z', re.DOTALL)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_INDENT = "    "


def local_name_is_safe(local: str) -> bool:
    """True when ``prefix:local`` is a prefixed name that rdflib, pyoxigraph and rapper all read as written.

    >>> local_name_is_safe("acme-inc"), local_name_is_safe("acme-inc."), local_name_is_safe("medigy/x")
    (True, False, False)
    """
    return _SAFE_LOCAL.match(local) is not None


def split_triple(line: str) -> tuple[str, str, str]:
    """``(subject, predicate, object)`` of one N-Triples line as pyoxigraph writes it (``S P O .``)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2]


@contextlib.contextmanager
def sorted_unique(lines: Iterable[str], *, key: Callable[[str], object] | None = None,
                  chunk_size: int = CHUNK_LINES, tmpdir: str | os.PathLike | None = None) -> Iterator[Iterator[str]]:
    """The non-empty ``lines`` sorted by ``key`` with repeats dropped, as an iterator valid inside the ``with``.

    ``lines`` is read to its end on entering. Up to ``chunk_size`` lines are sorted in memory; more are written
    as sorted runs to a temporary folder in ``tmpdir`` and merged (:func:`heapq.merge`), so the order is the one
    ``sorted(lines, key=key)`` gives. Lines must not contain ``\\n``.

    >>> with sorted_unique(["b", "a", "", "c", "a", "b"], chunk_size=2) as it:
    ...     list(it)
    ['a', 'b', 'c']
    """
    with contextlib.ExitStack() as stack:
        runs: list[str] = []
        numbers = itertools.count()
        folder = ""

        def new_run(sorted_lines: Iterable[str]) -> None:
            nonlocal folder
            if not folder:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix=".sort-", dir=tmpdir))
            runs.append(_write_run(sorted_lines, os.path.join(folder, f"run-{next(numbers)}")))

        chunk: list[str] = []
        for line in lines:
            if not line:
                continue
            if len(chunk) == chunk_size:
                chunk.sort(key=key)
                new_run(chunk)
                chunk.clear()
            chunk.append(line)
        chunk.sort(key=key)
        if not runs:
            yield _unique(chunk)
            return
        new_run(chunk)
        del chunk
        while len(runs) > _MERGE_WIDTH:  # merge the oldest runs into one until the rest can be opened at once
            group = runs[:_MERGE_WIDTH]
            del runs[:_MERGE_WIDTH]
            with contextlib.ExitStack() as files:
                new_run(heapq.merge(*(_read_run(files, run) for run in group), key=key))
            for run in group:
                os.unlink(run)
        yield _unique(heapq.merge(*(_read_run(stack, run) for run in runs), key=key))


def _write_run(lines: Iterable[str], path: str) -> str:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(line + "\n" for line in lines)
    return path


def _read_run(stack: contextlib.ExitStack, path: str) -> Iterator[str]:
    fh = stack.enter_context(open(path, encoding="utf-8", newline="\n", buffering=1 << 16))
    return (line[:-1] for line in fh)


def _unique(lines: Iterable[str]) -> Iterator[str]:
    """Sorted lines without repeats (equal lines are next to each other)."""
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


def split_quad(line: str) -> tuple[str, str, str, str]:
    """``(graph, subject, predicate, object)`` of one N-Quads line with a graph name (``S P O G .``)."""
    s, p, rest = line.split(" ", 2)
    obj, g, _ = rest.rsplit(" ", 2)
    return g, s, p, obj


def _namer(prefixes: dict[str, str], used: set[str]) -> Callable[[str], str]:
    """A function from an N-Triples term to its Turtle form (prefixed names where safe, short numbers); the
    prefixes it writes are added to ``used``."""
    spaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))

    @functools.lru_cache(maxsize=1 << 16)
    def iri(term: str) -> str:
        value = term[1:-1]
        for ns, prefix in spaces:
            if value.startswith(ns) and local_name_is_safe(value[len(ns):]):
                used.add(prefix)
                return f"{prefix}:{value[len(ns):]}"
        return term

    def name(term: str) -> str:
        if term[0] == "<":
            return iri(term)
        if term[0] != '"' or not term.endswith(">"):
            return term
        lexical, _, datatype = term.rpartition("^^")
        if datatype == _XSD_INTEGER and _INTEGER.match(lexical[1:-1]):
            return lexical[1:-1]
        if datatype == _XSD_BOOLEAN and lexical in ('"true"', '"false"'):
            return lexical[1:-1]
        return f"{lexical}^^{iri(datatype)}"

    return name


def _document(prefixes: dict[str, str], used: set[str], blocks: Iterable[str], out: BinaryIO | None) -> bytes:
    """The ``@prefix`` lines of the prefixes used (in a fixed order), then the blocks: written to ``out`` when
    given, else returned. The blocks are spooled first: naming their terms finds the prefixes used."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as body:
        first = True
        for block in blocks:
            body.write((("" if first else "\n") + block).encode("utf-8"))
            first = False
        head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()) if p in used)
        head_bytes = (head + ("\n" if head and not first else "")).encode("utf-8")
        body.seek(0)
        if out is None:
            return head_bytes + body.read()
        out.write(head_bytes)
        shutil.copyfileobj(body, out, 1 << 20)
    return b""


def _subject_blocks(triples: Iterable[tuple[str, str, str]], name: Callable[[str], str], indent: str) -> Iterator[str]:
    """Sorted ``(s, p, o)`` in, one text block per subject out: predicate-object lists, ``a`` first."""
    subject = None
    pairs: list[tuple[str, str]] = []

    def block() -> str:
        pairs.sort(key=lambda po: (po[0] != _TYPE, po[0], po[1]))
        by_pred: list[tuple[str, list[str]]] = []
        for p, o in pairs:
            if by_pred and by_pred[-1][0] == p:
                by_pred[-1][1].append(name(o))
            else:
                by_pred.append((p, [name(o)]))
        head = indent + name(subject)
        if len(by_pred) == 1 and len(by_pred[0][1]) == 1:
            p, (o,) = by_pred[0]
            return f"{head} {'a' if p == _TYPE else name(p)} {o} .\n"
        out = [head]
        for i, (p, objs) in enumerate(by_pred):
            end = " ." if i == len(by_pred) - 1 else " ;"
            pred = "a" if p == _TYPE else name(p)
            if len(objs) == 1:
                out.append(f"{indent}{_INDENT}{pred} {objs[0]}{end}")
            else:
                out.append(f"{indent}{_INDENT}{pred}")
                out.extend(f"{indent}{_INDENT * 2}{o}{' ,' if j < len(objs) - 1 else end}"
                           for j, o in enumerate(objs))
        return "\n".join(out) + "\n"

    last = None
    for s, p, o in triples:
        if (s, p, o) == last:
            continue
        last = (s, p, o)
        if s != subject and subject is not None:
            yield block()
            pairs.clear()
        subject = s
        pairs.append((p, o))
    if subject is not None:
        yield block()


def turtle(lines: Iterable[str], prefixes: dict[str, str], out: BinaryIO | None = None, *,
           chunk_size: int = CHUNK_LINES, tmpdir: str | os.PathLike | None = None) -> bytes:
    """Readable Turtle from N-Triples ``lines`` (any order, repeats dropped), as bytes or written to ``out``.
    ``chunk_size`` and ``tmpdir`` are :func:`sorted_unique`'s."""
    used: set[str] = set()
    with sorted_unique(lines, chunk_size=chunk_size, tmpdir=tmpdir) as ordered:
        triples = map(split_triple, ordered)
        return _document(prefixes, used, _subject_blocks(triples, _namer(prefixes, used), ""), out)


def _graph_key(quad: tuple[str, str, str, str]) -> str:
    return quad[0]


def trig(lines: Iterable[str], prefixes: dict[str, str], default_lines: Iterable[str] = (),
         out: BinaryIO | None = None, *, chunk_size: int = CHUNK_LINES, tmpdir: str | os.PathLike | None = None
         ) -> bytes:
    """Readable TriG from N-Quads ``lines`` that all name a graph, plus the default graph's N-Triples lines."""
    used: set[str] = set()
    name = _namer(prefixes, used)
    sort = functools.partial(sorted_unique, chunk_size=chunk_size, tmpdir=tmpdir)
    with sort(default_lines) as default, sort(lines, key=split_quad) as named:

        def blocks() -> Iterator[str]:
            yield from _subject_blocks(map(split_triple, default), name, "")
            for g, quads in itertools.groupby(map(split_quad, named), key=_graph_key):
                yield f"{name(g)} {{\n" + "\n".join(_subject_blocks((q[1:] for q in quads), name, _INDENT)) + "}\n"

        return _document(prefixes, used, blocks(), out)


# ------------------------------------------------------------------------------------------------ JSON-LD
def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def sub(m: re.Match) -> str:
        if m.group(3) is not None:
            return _ECHAR.get(m.group(3), m.group(0))
        return chr(int(m.group(1) or m.group(2), 16))

    return _ESCAPE.sub(sub, text)


def _context(prefixes: dict[str, str], predicates: Iterable[str], classes: Iterable[str]) -> dict[str, str]:
    """Prefixes plus a short term (``headline``) for each predicate and class whose local name is unambiguous."""
    ctx: dict[str, str] = dict(sorted(prefixes.items()))
    taken = set(ctx)
    short: dict[str, list[str]] = {}
    for iri in sorted(set(predicates) | set(classes)):
        for prefix, ns in sorted(prefixes.items(), key=lambda x: -len(x[1])):
            local = iri[len(ns):]
            if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", local):
                short.setdefault(local, []).append(f"{prefix}:{local}")
                break
    for local, curies in sorted(short.items()):
        if len(curies) == 1 and local not in taken:
            ctx[local] = curies[0]
    return ctx


def jsonld(lines: Iterable[str], prefixes: dict[str, str], default_lines: Iterable[str] = (),
           out: BinaryIO | None = None, *, chunk_size: int = CHUNK_LINES, tmpdir: str | os.PathLike | None = None
           ) -> bytes:
    """Compacted JSON-LD (``@context`` with our prefixes and a short term per property) from N-Quads ``lines``
    that all name a graph plus the default graph's N-Triples lines: one ``@graph`` entry per named graph."""
    predicates: set[str] = set()
    classes: set[str] = set()

    def noting(terms: Callable[[str], tuple[str, ...]], lines: Iterable[str]) -> Iterator[str]:
        """The lines, noting the predicates and classes (few) that the ``@context`` needs while they are sorted."""
        for line in lines:
            if line:
                *_, p, o = terms(line)
                predicates.add(p[1:-1])
                if p == _TYPE and o[0] == "<":
                    classes.add(o[1:-1])
            yield line

    sort = functools.partial(sorted_unique, chunk_size=chunk_size, tmpdir=tmpdir)
    with sort(noting(split_triple, default_lines), key=split_triple) as default, \
            sort(noting(split_quad, lines), key=split_quad) as named:
        return _jsonld(prefixes, _context(prefixes, predicates, classes), map(split_triple, default),
                       map(split_quad, named), out)


def _jsonld(prefixes: dict[str, str], ctx: dict[str, str], default: Iterator[tuple[str, str, str]],
            quads: Iterator[tuple[str, str, str, str]], out: BinaryIO | None) -> bytes:
    """:func:`jsonld` from the sorted triples of the default graph and quads of the named graphs."""
    spaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
    terms = {v: k for k, v in ctx.items() if k not in prefixes}

    @functools.lru_cache(maxsize=1 << 16)
    def curie(iri: str) -> str:
        for ns, prefix in spaces:
            local = iri[len(ns):]
            if iri.startswith(ns) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return iri

    def key(iri: str) -> str:
        c = curie(iri)
        return terms.get(c, c)

    def node_id(term: str) -> str:
        return curie(term[1:-1]) if term[0] == "<" else term

    def value(term: str):
        if term[0] != '"':
            return {"@id": node_id(term)}
        m = _LITERAL.match(term)
        lexical, lang, datatype = _unescape(m.group(1)), m.group(2), m.group(3)
        if lang:
            return {"@value": lexical, "@language": lang}
        if datatype:
            return {"@value": lexical, "@type": curie(datatype)}
        return lexical

    def nodes(triples: Iterable[tuple[str, str, str]]) -> Iterator[dict]:
        for sid, group in itertools.groupby(triples, key=lambda t: node_id(t[0])):
            node: dict = {"@id": sid}
            for _, p, o in group:
                if p == _TYPE and o[0] == "<":
                    node.setdefault("@type", []).append(key(o[1:-1]))
                else:
                    node.setdefault(key(p[1:-1]), []).append(value(o))
            for k, v in node.items():  # one value stands alone, as a JSON-LD compactor writes it
                if isinstance(v, list) and len(v) == 1:
                    node[k] = v[0]
            yield node

    def entries() -> Iterator[str]:
        """One line per node (JSON's C encoder, fast), each named graph's nodes under its ``@graph``."""
        first = True
        for node in nodes(default):
            yield ("" if first else ",\n") + "  " + dumps(node)
            first = False
        for g, group in itertools.groupby(quads, key=_graph_key):
            inner = ",\n".join("    " + dumps(n) for n in nodes(q[1:] for q in group))
            yield ("" if first else ",\n") + f'  {{"@id": {dumps(node_id(g))}, "@graph": [\n{inner}\n  ]}}'
            first = False

    head = '{"@context": ' + json.dumps(ctx, ensure_ascii=False, indent=1).replace("\n", "\n ") + ',\n "@graph": [\n'
    if out is None:
        return (head + "".join(entries()) + "\n ]}\n").encode("utf-8")
    out.write(head.encode("utf-8"))
    for chunk in entries():
        out.write(chunk.encode("utf-8"))
    out.write(b"\n ]}\n")
    return b""


def dumps(value) -> str:
    """Compact JSON on one line, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False)
