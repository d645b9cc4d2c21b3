"""SHACL with pyshacl: the shapes parsed once and reused for every small graph, results as plain objects.

pyshacl harvests the shapes of a shapes graph every time ``pyshacl.validate`` is called; validating one record's
small graph at a time (so that results can be cached per file and work spread over processes) would pay that every
time. :class:`Shapes` parses the shapes once and keeps pyshacl's harvested shapes for every later graph; when
pyshacl's internals differ from what we expect it falls back to ``pyshacl.validate``.

Any exception inside pyshacl becomes :class:`ShaclCrash` (a :class:`~topicgraph.errors.TopicgraphError`): the
command exits 2, "could not run", never 1, which would read as "the data does not conform".
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import Finding, Severity, TopicgraphError

__all__ = ["Shapes", "ShaclResult", "ShaclCrash", "shapes_files"]

_SH = "http://www.w3.org/ns/shacl#"
_SEVERITY = {_SH + "Violation": Severity.ERROR, _SH + "Warning": Severity.WARNING, _SH + "Info": Severity.INFO}
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
    from ..resources import shapes_dir

    root = Path(folder) if folder is not None else shapes_dir()
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise TopicgraphError(f"shapes folder {root} does not exist: give a folder of SHACL .ttl files")
    files = sorted(root.glob("*.ttl"))
    if not files:
        raise TopicgraphError(f"shapes folder {root} has no .ttl files")
    return files


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
        try:
            from pyshacl.shapes_graph import ShapesGraph
        except ImportError:  # pragma: no cover - pyshacl moved things; fall back to pyshacl.validate
            return
        sg = ShapesGraph(self.graph)
        _ = sg.shapes  # harvest now: a broken shapes graph fails here, at load time, not on the first record
        self._sg = sg

    def validate(self, data) -> list[ShaclResult]:
        """Validate an ``rdflib.Graph``; every result, of every severity."""
        try:
            report = self._run(data)
        except Exception as exc:  # noqa: BLE001 - any pyshacl failure is a crash, never "does not conform"
            raise ShaclCrash(f"SHACL validation crashed ({type(exc).__name__}: {exc}); the data was not "
                             "validated") from None
        return _results(report)

    def _run(self, data):
        if self._sg is not None:
            try:
                from pyshacl import Validator
                from pyshacl.graph_abstraction import DataGraph
            except ImportError:  # pragma: no cover
                self._sg = None
            else:
                v = Validator(DataGraph.from_rdflib(data), shacl_graph=self.graph,
                              options={"inference": "none", "advanced": False, "allow_warnings": True,
                                       "allow_infos": True, "inplace": True})
                v.shacl_graph = self._sg  # reuse the harvested shapes
                return v.run()[1]
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

            sh_path = URIRef(_SH + "path")
            seen, stack, paths = set(), [URIRef(shape)], set()
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                for p, o in self.graph.predicate_objects(node):
                    if p == sh_path and isinstance(o, URIRef):
                        paths.add(str(o))
                    elif not isinstance(o, URIRef) or str(p) in ("http://www.w3.org/1999/02/22-rdf-syntax-ns#first",):
                        stack.append(o)
            paths.discard("https://w3id.org/topicgraph/ns#recordFormat")
            self._implied[shape] = paths.pop() if len(paths) == 1 else None
        return self._implied[shape]


def _results(report) -> list[ShaclResult]:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    sh = {name: URIRef(_SH + name) for name in ("ValidationResult", "focusNode", "resultPath", "value",
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
