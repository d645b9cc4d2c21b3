"""Benchmark of the analysts' workbench: the five summarised named queries and a topic and an article page, answered
by the plain SPARQL over the base data and from the build's summary, side by side in one run (medians).

    python bench/workbench.py --sizes 10000,100000 --repeat 3 --work /tmp/wb-bench

Each size is a generated corpus (``topicgraph.synth``, seed 0), built once in ``--work`` (kept, so a second run
reuses it). The pages are rendered as a query worker renders them (``server.pages.render``); "plain" opens the same
store with the summary switched off, so every count and timeline comes from SPARQL.
Prints a Markdown table (and writes it to ``--out`` when given).
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import contextmanager
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import topicgraph.store  # noqa: E402
from topicgraph import build  # noqa: E402
from topicgraph.queries import example_params, run_named  # noqa: E402
from topicgraph.server.pages import render  # noqa: E402
from topicgraph.store import GraphStore, write_summary  # noqa: E402
from topicgraph.synth import SynthConfig, generate  # noqa: E402

QUERIES = ["authors-by-topic", "brands-by-topic", "topic-cooccurrence", "topics-by-vendor", "topic-timeline"]


def timed(fn, repeat: int) -> tuple[tuple[float, float], object]:
    """(median wall seconds, median CPU seconds of this process) and the last result. Everything measured runs
    in this process on one thread, so CPU time is what an idle machine would take; wall time adds the wait for
    a core on a shared one."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


@contextmanager
def no_summary():
    """The store as if it had no summary (as after a build by an older version): every reader of it falls back."""
    real = topicgraph.store.open_summary
    topicgraph.store.open_summary = lambda *args, **kwargs: None
    try:
        yield
    finally:
        topicgraph.store.open_summary = real


def prepare(work: Path, n: int) -> tuple[Path, float | None, float]:
    corpus, out = work / f"corpus-{n}", work / f"graph-{n}"
    built = None
    if not (out / "topicgraph-store.json").is_file():
        if not corpus.is_dir():
            generate(corpus, SynthConfig(n=n, seed=0))
        start = time.perf_counter()
        build([corpus], out=out)
        built = time.perf_counter() - start
    start = time.perf_counter()
    write_summary(out)
    return out, built, time.perf_counter() - start


def measure(out: Path, repeat: int, plain_repeat: int) -> list[tuple[str, float, float, int]]:
    store = GraphStore.open(out)
    rows = []
    topic = example_params(store, "topic-timeline")["topic"]
    for name in QUERIES:
        params = {"topic": topic} if name == "topic-timeline" else {}
        fast, result = timed(lambda: run_named(store, name, params), repeat)
        plain, plain_result = timed(lambda: run_named(store, name, params, summary=False), plain_repeat)
        assert [dict(r) for r in result.rows] == [dict(r) for r in plain_result.rows], name
        rows.append((f"named query {name}" + (" (most used topic)" if params else ""), plain, fast, len(result.rows)))
    topic_iri = run_named(store, "topics-by-vendor").rows[0]["topic"].value
    article = store.query("SELECT ?a WHERE { ?a a schema:Article ; schema:about ?t } ORDER BY ?a LIMIT 1")[0]["a"]
    busiest = {kind: store.query(f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?a {pred} ?x }} GROUP BY ?x "
                                 "ORDER BY DESC(?n) ?x LIMIT 1")[0]["x"]
               for kind, pred in (("author", "schema:author"), ("brand", "schema:publisher"))}
    for label, iri in (("topic page", topic_iri), ("article page", article),
                       ("author page (the most prolific)", busiest["author"]),
                       ("brand page (the biggest)", busiest["brand"])):
        (first, _), _ = timed(lambda: render(store, "resource", {"iri": iri}, None), 1)  # builds the related index
        fast, reply = timed(lambda: render(store, "resource", {"iri": iri}, None), repeat)
        with no_summary():
            plain, plain_reply = timed(lambda: render(store, "resource", {"iri": iri}, None), plain_repeat)
        assert reply.status == plain_reply.status == 200
        rows.append((f"{label} (first in a worker: {first:.2f} s)", plain, fast, 0))
    fast, _ = timed(lambda: render(store, "home", {}, None), repeat)
    with no_summary():
        plain, _ = timed(lambda: render(store, "home", {}, None), plain_repeat)
    rows.append(("query page (values for the parameter fields)", plain, fast, 0))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--plain-repeat", type=int, default=None, help="repeats of the plain SPARQL (default --repeat)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/topicgraph-workbench-bench"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    lines = []
    for n in (int(s) for s in args.sizes.split(",")):
        out, built, summary_s = prepare(args.work, n)
        lines += [f"### {n:,} records", "",
                  f"Summary written in {summary_s:.2f} s" + (f" (build {built:.1f} s)" if built else "") + ".", "",
                  "| what | plain SPARQL: wall (CPU) | from the summary: wall (CPU) | plain / summary (CPU) | rows |",
                  "|---|---|---|---|---|"]
        for what, (plain, plain_cpu), (fast, fast_cpu), count in measure(out, args.repeat,
                                                                         args.plain_repeat or args.repeat):
            lines.append(f"| {what} | {plain:.3f} s ({plain_cpu:.3f} s) | {fast:.3f} s ({fast_cpu:.3f} s) | "
                         f"{plain_cpu / max(fast_cpu, 1e-6):.0f}× | {f'{count:,}' if count else ''} |")
        lines.append("")
        print("\n".join(lines[-14:]), flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
