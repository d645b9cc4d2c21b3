"""SHACL with pyshacl: the shapes parsed once and reused for every small graph, results as plain objects.

pyshacl harvests the shapes of a shapes graph every time ``pyshacl.validate`` is called; validating one record's
small graph at a time (so that results can be cached per file and work spread over processes) would pay that every
time. :class:`Shapes` parses the shapes once and keeps pyshacl's harvested shapes for every later graph; when
pyshacl's internals differ from what we expect it falls back to ``pyshacl.validate``.

Many record graphs at once: :meth:`Shapes.results_for` first asks the :mod:`.screen` (a SHACL Core evaluator
that only ever proves "no result") and sends the rest to pyshacl in conflict-free batches, one call per batch, so a
corpus costs pyshacl time only for the records that have something to report.

Any exception inside pyshacl becomes :class:`ShaclCrash` (a :class:`~topicgraph.errors.TopicgraphError`): the
command exits 2, "could not run", never 1, which would read as "the data does not conform".
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding, Severity, TopicgraphError
from ..resources import shapes_dir, turtle_files
from ..vocab import OWL_CLASS, RDF_FIRST, SH, TG_RECORD_FORMAT
from . import _compat
from .ntriples import Graph
from .screen import Screen

__all__ = ["Shapes", "ShaclResult", "ShaclCrash", "shapes_files", "nt_graph"]

_SEVERITY = {SH + "Violation": Severity.ERROR, SH + "Warning": Severity.WARNING, SH + "Info": Severity.INFO}
_CACHE: dict[tuple[str, str], "Shapes"] = {}
_LOCK = threading.Lock()


class ShaclCrash(TopicgraphError):
    """pyshacl failed (not: the data failed); the data's validity is unknown."""


@dataclass(frozen=True)
class ShaclResult:
    """One ``sh:ValidationResult``, with IRIs as strings (blank nodes as ``_:id``)."""

    focus: str
    path: str | None
    value: str | None
    shape: str | None
    component: str
    severity: Severity
    message: str

    def finding(self, file: str, *, line: int | None, field: str | None, short=lambda iri: f"<{iri}>") -> Finding:
        """This result as a :class:`Finding` at ``file:line field``; the shape's ``sh:message`` says what is wrong
        before its first ``": "`` and how to fix it after."""
        what, sep, fix = self.message.partition(": ")
        if not sep:
            what, fix = self.message, "see the shape in ontology/shapes/ and docs/data-model.md"
        what = what.rstrip(".")
        if self.value is not None and self.value != f"<{self.focus}>":
            what += f" (found {self.value})"
        rule = short(self.shape) if self.shape else short(self.component)
        return Finding(file, what, severity=self.severity, line=line, field=field, rule=rule,
                       fix=fix.rstrip(".") if sep else fix, node=self.focus)


def shapes_files(folder: str | Path | None = None) -> list[Path]:
    """The ``*.ttl`` files of the shapes folder (default: the shipped ``ontology/shapes/``)."""
    return turtle_files(folder, shapes_dir(), missing="shapes folder {root} does not exist: give a folder of SHACL "
                        ".ttl files", empty="shapes folder {root} has no .ttl files")


class Shapes:
    """A parsed shapes graph, ready to validate many small data graphs.

    >>> import rdflib
    >>> g = rdflib.Graph().parse(data='<https://e.org/a> a <http://schema.org/Person> .', format="turtle")
    >>> [(r.shape, r.severity.name) for r in Shapes.load().validate(g)]
    [('https://w3id.org/topicgraph/shapes#Person-name', 'ERROR')]
    """

    def __init__(self, files: list[Path]) -> None:
        import rdflib

        self.files = files
        digest = hashlib.sha256()
        self.graph = rdflib.Graph()
        for path in files:
            try:
                data = path.read_bytes()
                self.graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
            except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds for bad Turtle
                raise TopicgraphError(f"cannot read the SHACL shapes in {path}: {exc}") from None
            digest.update(path.name.encode() + b"\0" + data + b"\0")
        self.digest = digest.hexdigest()
        self._sg = None
        self._implied: dict[str, str | None] = {}
        self.screen = Screen.compile(self.graph)
        self.batchable = _batchable(self.graph)
        try:
            self._prepare()
        except TopicgraphError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise TopicgraphError(f"the SHACL shapes in {files[0].parent} cannot be used: {exc}") from None

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "Shapes":
        """Load (once per process and content) the shapes of ``folder``; TopicgraphError when unreadable."""
        files = shapes_files(folder)
        key = (str(files[0].parent.resolve()), hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest())
        with _LOCK:
            if key not in _CACHE:
                _CACHE[key] = cls(files)
            return _CACHE[key]

    def _prepare(self) -> None:
        self._sg = _compat.harvest_shapes(self.graph)  # a broken shapes graph fails here, not on the first record

    def validate(self, data) -> list[ShaclResult]:
        """Validate an ``rdflib.Graph``; every result, of every severity."""
        try:
            report = self._run(data)
        except Exception as exc:  # noqa: BLE001 - any pyshacl failure is a crash, never "does not conform"
            raise ShaclCrash(f"SHACL validation crashed ({type(exc).__name__}: {exc}); the data was not "
                             "validated") from None
        return _results(report)

    def results_for(self, graphs: list, *, ignore=frozenset(), batch: int = 2000) -> list[list[ShaclResult]]:
        """Each graph's results (N-Triples text or a :class:`~.screen.Graph`), exactly as validating it alone
        would give them, but fast.

        A graph the :mod:`.screen` proves conforming (apart from focus nodes in ``ignore``, IRIs whose results the
        caller drops) gets none without pyshacl. The others are merged into batches of up to ``batch`` graphs
        that cannot disturb each other (no node described differently by two graphs of a batch; see
        :func:`_batches`) and validated with one pyshacl call per batch; each result goes back to every graph of
        the batch that has its focus node. Shapes whose results could depend on other graphs' triples (inverse
        paths, SPARQL, targets by object or by node) are validated one graph at a time.
        """
        graphs = [g if isinstance(g, Graph) else Graph.from_text(g) for g in graphs]
        out: list[list[ShaclResult]] = [[] for _ in graphs]
        parsed = [g.triples for g in graphs]
        todo = [i for i, g in enumerate(parsed) if self.screen is None or not self.screen.conforms(g, ignore)]
        if not todo:
            return out
        if not self.batchable:
            for i in todo:
                out[i] = self.validate(nt_graph(graphs[i].text))
            return out
        for group, nodes in _batches(todo, parsed, batch):
            if len(group) == 1:
                out[group[0]] = self.validate(nt_graph(graphs[group[0]].text))
                continue
            found = self.validate(nt_graph("".join(graphs[i].text for i in group)))
            owners = [[i for i, ns in zip(group, nodes) if _bracket(r.focus) in ns] for r in found]
            if any(not o for o in owners):  # cannot happen with forward-only shapes; never lose a result
                for i in group:
                    out[i] = self.validate(nt_graph(graphs[i].text))
                continue
            for r, o in zip(found, owners):
                for i in o:
                    out[i].append(r)
        return out

    def _run(self, data):
        if self._sg is not None:
            report = _compat.run_prepared(data, self.graph, self._sg, {
                "inference": "none", "advanced": False, "allow_warnings": True, "allow_infos": True, "inplace": True})
            if report is not None:
                return report
            self._sg = None
        import pyshacl

        return pyshacl.validate(data, shacl_graph=self.graph, inference="none", advanced=False,
                                allow_warnings=True, allow_infos=True)[1]

    def implied_path(self, shape: str | None) -> str | None:
        """For a node shape whose results carry no path (``sh:or`` over properties), the one property it is
        about, leaving out ``tg:recordFormat`` (which only selects the case); else None."""
        if shape is None:
            return None
        if shape not in self._implied:
            from rdflib import URIRef

            sh_path = URIRef(SH + "path")
            seen, stack, paths = set(), [URIRef(shape)], set()
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                for p, o in self.graph.predicate_objects(node):
                    if p == sh_path and isinstance(o, URIRef):
                        paths.add(str(o))
                    elif not isinstance(o, URIRef) or str(p) == RDF_FIRST:
                        stack.append(o)
            paths.discard(TG_RECORD_FORMAT)
            self._implied[shape] = paths.pop() if len(paths) == 1 else None
        return self._implied[shape]


def nt_graph(nt: str):
    """An rdflib graph of N-Triples text."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=nt, format="nt")
    return graph


def _bracket(focus: str) -> str:
    return focus if focus.startswith("_:") else f"<{focus}>"


def _batchable(graph) -> bool:
    """Whether a focus node's results depend only on triples reachable from it along forward paths, and whether
    it is a focus node depends only on its own triples: then a graph's results do not change when graphs that
    describe every shared node identically are added (see :func:`_batches`)."""
    unsafe = {SH + name for name in ("inversePath", "targetNode", "targetObjectsOf", "target", "sparql", "rule",
                                      "select", "ask", "js", "jsFunctionName", "shapesGraph", "entailment")}
    if any(str(p) in unsafe for p in graph.predicates(None, None)):
        return False
    from rdflib import RDF, RDFS, URIRef

    shapes = set(graph.subjects(RDF.type, URIRef(SH + "NodeShape"))) | \
        set(graph.subjects(RDF.type, URIRef(SH + "PropertyShape")))
    classes = {RDFS.Class, URIRef(OWL_CLASS)}
    return not any(t in classes for s in shapes for t in graph.objects(s, RDF.type))  # implicit class targets


def _batches(todo: list[int], parsed: list, size: int):
    """Groups of graphs (indexes into ``parsed``) that can be validated together, each with its graphs' node
    sets: within a group, every node is described by the same triples in each graph that names it (a graph that
    names a node only as an object describes it with no triples). Graphs that cannot be read here, or that have
    blank nodes, go alone."""
    open_groups: list[tuple[list[int], list[set], dict]] = []
    for i in todo:
        g = parsed[i]
        if g is None or any(s.startswith("_:") for s in g) or any(
                isinstance(o, str) and o.startswith("_:") for preds in g.values() for objs in preds.values()
                for o in objs):
            yield [i], [set()]
            continue
        desc: dict[str, frozenset] = {s: frozenset((p, o) for p, objs in preds.items() for o in objs)
                                      for s, preds in g.items()}
        for preds in g.values():
            for objs in preds.values():
                for o in objs:
                    if isinstance(o, str) and o not in desc:
                        desc[o] = frozenset()
        for group, nodes, known in open_groups:
            if all(known.get(n, d) == d for n, d in desc.items()):
                break
        else:
            group, nodes, known = [], [], {}
            open_groups.append((group, nodes, known))
            if len(open_groups) > 8:  # a pathological corpus: flush the oldest group
                yield open_groups[0][0], open_groups[0][1]
                del open_groups[0]
        group.append(i)
        nodes.append(set(desc))
        known.update(desc)
        if len(group) >= size:
            yield group, nodes
            open_groups[:] = [o for o in open_groups if o[0] is not group]
    for group, nodes, _ in open_groups:
        if group:
            yield group, nodes


def _results(report) -> list[ShaclResult]:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    sh = {name: URIRef(SH + name) for name in ("ValidationResult", "focusNode", "resultPath", "value",
                                                 "sourceShape", "sourceConstraintComponent", "resultSeverity",
                                                 "resultMessage")}

    def text(term) -> str | None:
        if term is None:
            return None
        if isinstance(term, URIRef):
            return str(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        return str(term)

    out = []
    for r in report.subjects(RDF.type, sh["ValidationResult"]):
        messages = [m for m in report.objects(r, sh["resultMessage"]) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")] or messages
        value = report.value(r, sh["value"])
        path = report.value(r, sh["resultPath"])
        if isinstance(value, Literal):
            shown = repr(str(value)[:80]) + (f"@{value.language}" if value.language else "") + \
                (f"^^{value.datatype.rsplit('#', 1)[-1]}" if value.datatype else "")
        elif isinstance(value, URIRef):
            shown = f"<{value}>"
        else:
            shown = None
        out.append(ShaclResult(
            focus=text(report.value(r, sh["focusNode"])) or "",
            path=str(path) if isinstance(path, URIRef) else None,
            value=shown,
            shape=text(report.value(r, sh["sourceShape"])) if isinstance(report.value(r, sh["sourceShape"]), URIRef)
            else None,
            component=text(report.value(r, sh["sourceConstraintComponent"])) or "",
            severity=_SEVERITY.get(str(report.value(r, sh["resultSeverity"])), Severity.ERROR),
            message=str(sorted(english)[0]) if english else "does not conform to its shape",
        ))
    out.sort(key=lambda r: (r.focus, r.path or "", r.shape or "", r.component, r.value or ""))
    return out
