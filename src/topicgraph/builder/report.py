"""What a build did: one outcome per input file, the report (counts, timings) and the result to query; the
report's file kept in the build folder and merged with what an update changed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, Severity
from ..iris import IriMinter
from ..store import REPORT, GraphStore, atomic_write

__all__ = ["FileOutcome", "BuildReport", "BuildResult", "UpdateOutcomes", "read_report", "write_report",
           "merge_report", "fold_unknown", "unknown_entries"]


@dataclass
class FileOutcome:
    """What happened to one input file."""

    file: str
    status: str  # "mapped" | "skipped" | "removed" (build --update of a deleted file)
    reason: str = ""
    record_id: str | None = None
    article: str | None = None
    triples: int = 0
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {"file": self.file, "status": self.status}
        if self.reason:
            d["reason"] = self.reason
        if self.record_id is not None:
            d.update(record_id=self.record_id, article=self.article, triples=self.triples)
        if self.findings:
            d["findings"] = [f.to_dict() for f in self.findings]
        return d


@dataclass
class BuildReport:
    """Every input file accounted for: mapped, or skipped with the reason."""

    files: list[FileOutcome]
    counts: dict[str, int]
    seconds: float
    out: str
    #: one entry per concept not in the taxonomy: its preferred "Vendor: Label" -> records using it
    unknown_topics: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    #: entries discovery passed over without a word, as documented, by kind ("hidden files", "build folders", ...)
    ignored: dict[str, int] = field(default_factory=dict)
    #: the spellings of each unknown concept that came in more than one (preferred -> every spelling)
    unknown_spellings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def mapped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "mapped"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "skipped"]

    @property
    def errors(self) -> int:
        """The errors found in every file (a skipped file may have several)."""
        return sum(1 for o in self.files for f in o.findings if f.severity >= Severity.ERROR)

    def exit_status(self, *, strict: bool = False) -> int:
        """1 when files were given and none could be mapped (with ``strict``: when any was skipped), else 0."""
        if self.counts.get("files") and not self.counts.get("mapped"):
            return 1
        return 1 if strict and self.counts.get("skipped") else 0

    def to_dict(self) -> dict:
        return {"counts": self.counts, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()},
                **unknown_entries(self.unknown_topics, self.unknown_spellings),
                "ignored": self.ignored, "files": [f.to_dict() for f in self.files]}


@dataclass
class BuildResult:
    """The outcome of :func:`build`: the report, and the store to query (rdflib users: ``.graph``/``.dataset``)."""

    out: Path
    report: BuildReport
    exports: dict[str, Path]
    _store: GraphStore | None = None
    #: exports of an earlier build (``graph.<ext>``) that this one did not write, removed so none is left stale
    removed_exports: list[Path] = field(default_factory=list)

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = GraphStore.open(self.out)
        return self._store

    def query(self, sparql: str, **kwargs) -> list[dict]:
        return self.store.query(sparql, **kwargs)

    @property
    def graph(self):
        """The union graph as an ``rdflib.Graph`` (loaded on first use)."""
        return self.store.to_rdflib_graph()

    @property
    def dataset(self):
        """Every named graph as an ``rdflib.Dataset``."""
        return self.store.to_rdflib()

    def __len__(self) -> int:
        return self.report.counts["triples"]


class UpdateOutcomes(list):
    """What :func:`update` did: one :class:`FileOutcome` per file named (it is a list of them), the build's
    ``counts`` after it, and the exports of the last full build it left ``stale_exports`` (file names in ``out``)."""

    def __init__(self, outcomes: Iterable[FileOutcome] = (), *, out: Path | None = None, counts: dict | None = None,
                 stale_exports: Sequence[str] = (), sources: Sequence[str] = ()) -> None:
        super().__init__(outcomes)
        self.out = out
        self.counts = dict(counts or {})
        self.stale_exports = list(stale_exports)
        self.sources = list(sources)

    @property
    def warning(self) -> str | None:
        """What to tell the user about the exports an update does not rewrite, or None."""
        if not self.stale_exports:
            return None
        out = self.out if self.out is not None else Path("graph")
        names = ", ".join(str(out / name) for name in self.stale_exports)
        formats = " ".join(f"--format {name.rsplit('.', 1)[-1]}" for name in self.stale_exports)
        sources = " ".join(self.sources) or "SOURCES"
        one = len(self.stale_exports) == 1
        return (f"{names} no longer {'matches' if one else 'match'} the graph: an update rewrites no export (the "
                f"build's manifest lists {'it' if one else 'them'} under stale_exports); to refresh "
                f"{'it' if one else 'them'}, rebuild: topicgraph build {sources} --out {out} {formats}")


def read_report(out: Path) -> dict | None:
    """The build report in ``out``, or None when there is none to update (or it cannot be read as one)."""
    try:
        report = json.loads((out / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and isinstance(report.get("files"), list) else None


def merge_report(report: dict, changes: list[tuple[FileOutcome, bool]]) -> dict[str, int]:
    """Put ``changes`` into the report's list of files (a deleted file leaves it; a file it did not list joins at
    the end) and return the counts that follow from the list."""
    files = report["files"]
    where = {entry.get("file"): n for n, entry in enumerate(files)}
    for outcome, deleted in changes:
        n = where.get(outcome.file)
        entry = None if deleted else outcome.to_dict()
        if n is not None:
            files[n] = entry
        elif entry is not None:
            where[outcome.file] = len(files)
            files.append(entry)
    files[:] = [entry for entry in files if entry is not None]
    mapped = sum(1 for entry in files if entry.get("status") == "mapped")
    return {"files": len(files), "mapped": mapped, "skipped": len(files) - mapped, "articles": mapped,
            "warnings": sum(1 for entry in files for f in entry.get("findings", ()) if f.get("severity") == "warning")}


def write_report(out: Path, report: dict) -> None:
    """Write the report (a :meth:`BuildReport.to_dict`) into the build folder ``out``, atomically."""
    atomic_write(out / REPORT, lambda tmp: Path(tmp).write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))


def fold_unknown(counted: Mapping[str, int], known_spellings: Mapping[str, Sequence[str]] | None = None) \
        -> tuple[dict[str, int], dict[str, list[str]]]:
    """Spellings of topics not in the taxonomy (``"Vendor: Label"`` -> records) folded by concept, the way the build
    mints one concept for them (case, spacing and punctuation folded): ``(preferred spelling -> records of all its
    spellings, most used first; preferred spelling -> every spelling, for concepts with more than one)``. The
    preferred spelling keeps capitals, then is the most used; ``known_spellings`` (an earlier report's) join in.

    >>> fold_unknown({"Blog: ai": 3, "Blog: AI": 1, "Blog:  ai": 1, "Acme: X": 2})
    ({'Blog: AI': 5, 'Acme: X': 2}, {'Blog: AI': ['Blog:  ai', 'Blog: AI', 'Blog: ai']})
    """
    by_concept: dict[str, Counter] = {}
    for spelling, n in counted.items():
        vendor, _, label = spelling.partition(": ")
        by_concept.setdefault(IriMinter.concept(vendor, label), Counter())[spelling] += n
    records: dict[str, int] = {}
    spellings: dict[str, list[str]] = {}
    for counter in by_concept.values():
        capital = [s for s in counter if any(ch.isupper() for ch in s.partition(": ")[2])]
        pref = min(capital or counter, key=lambda s: (-counter[s], s))
        records[pref] = sum(counter.values())
        every = set(counter)
        for s in counter:
            every.update((known_spellings or {}).get(s, ()))
        if len(every) > 1:
            spellings[pref] = sorted(every)
    return dict(sorted(records.items(), key=lambda kv: (-kv[1], kv[0]))), dict(sorted(spellings.items()))


def unknown_entries(records: Mapping[str, int], spellings: Mapping[str, list[str]]) -> dict:
    """The report's ``unknown_topics`` (one per concept, as ``counts["unknown_topics"]`` counts them) and, when a
    concept came in more than one spelling, ``unknown_topic_spellings`` listing them."""
    return {"unknown_topics": dict(records), **({"unknown_topic_spellings": dict(spellings)} if spellings else {})}
