"""Load test of ``topicgraph serve``: N keep-alive clients send the named queries for a fixed time, on 127.0.0.1.

    python bench/load.py --clients 50 --seconds 30                   # on a build of seeds/ made for the run
    python bench/load.py --store /tmp/x-graph --clients 50 --seconds 30 --markdown

The endpoint runs as its own process (``python -m topicgraph serve --port 0``). Every client is a thread with
one ``http.client`` keep-alive connection; it sends the named queries round-robin (each with its parameters
bound to values found in the graph: topics, vendors, article identifiers), as form POSTs asking for JSON.
Before the clock starts, each request is sent once and its answer kept; under load every answer must be a
``200`` with exactly those bytes, or it counts as an error. The run stops at ``--seconds`` or after
``--max-requests``, whichever comes first, and exits 1 if there was any error.

The server keeps the answers of identical requests (its answer cache), so a mix of a few dozen requests mostly
measures that cache once warm. ``--distinct`` ends every request's query with a comment of its own, so that
each one is parsed, checked and run afresh: what a server gets from clients that never repeat themselves.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TG = [sys.executable, "-m", "topicgraph"]
#: how many parameter values of each kind a named query is tried with
VARIANTS = 4


@dataclass
class Request:
    name: str
    body: bytes
    expected: bytes = b""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0


def start_server(store: Path, args) -> tuple[subprocess.Popen, str]:
    cmd = TG + ["serve", "--store", str(store), "--host", "127.0.0.1", "--port", "0", "--quiet",
                "--workers", str(args.workers), "--timeout", str(args.timeout)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"at (http://127\.0\.0\.1:\d+/sparql)", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep draining its stderr
            return proc, m.group(1)
        if not line and proc.poll() is not None:
            break
    stop_server(proc)
    raise SystemExit(f"the server did not start: {line}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def ask(conn: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def values(conn, path: str, sparql: str) -> list[str]:
    status, body = ask(conn, path, urllib.parse.urlencode({"query": sparql}).encode())
    if status != 200:
        raise SystemExit(f"cannot list parameter values ({status}): {body[:300]!r}")
    rows = json.loads(body)["results"]["bindings"]
    return [next(iter(r.values()))["value"] for r in rows]


def requests_for(conn, path: str) -> list[Request]:
    """Every named query, with each parameter bound in turn to a few values found in the graph."""
    from topicgraph.queries import list_queries, syntax

    pools = {
        "topic": values(conn, path, "SELECT DISTINCT ?t WHERE { ?a schema:about ?t } ORDER BY ?t LIMIT 50"),
        "vendor": values(conn, path, "SELECT DISTINCT ?v WHERE { ?a schema:about ?t . ?t skos:inScheme ?v } "
                                     "ORDER BY ?v"),
        "identifier": values(conn, path, "SELECT ?i WHERE { ?a a schema:Article ; schema:about ?t ; "
                                         "schema:identifier ?i } ORDER BY ?i LIMIT 50"),
    }
    out = []
    for q in list_queries():
        variants: list[dict] = [] if any(p.required for p in q.parameters) else [{}]
        for p in q.parameters:
            pool = pools.get(p.name, [])
            step = max(1, len(pool) // VARIANTS)
            variants += [{p.name: v} for v in pool[::step][:VARIANTS]]
        for chosen in variants:
            bindings = q.bindings(chosen)
            text = syntax.insert_values(q.sparql, {k: str(v) for k, v in bindings.items()}) if bindings else q.sparql
            label = q.name + "".join(f" {k}={v.rsplit('/', 1)[-1]}" for k, v in chosen.items())
            out.append(Request(label, urllib.parse.urlencode({"query": text}).encode()))
    return out


def client(index: int, url: str, reqs: list[Request], stats: Stats, stop_at: float, max_requests: int,
           distinct: bool = False) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    i = index  # clients start at different places of the round
    try:
        while time.monotonic() < stop_at:
            with stats.lock:
                if stats.count >= max_requests:
                    return
                stats.count += 1
            req = reqs[i % len(reqs)]
            i += 1
            payload = req.body + f"%0A%23+client+{index}+request+{i}".encode() if distinct else req.body
            started = time.perf_counter()
            try:
                status, body = ask(conn, parts.path, payload)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with stats.lock:
                    stats.errors.append(f"{req.name}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - started
            with stats.lock:
                if status != 200:
                    stats.errors.append(f"{req.name}: HTTP {status}: {body[:200]!r}")
                elif body != req.expected:
                    stats.errors.append(f"{req.name}: a different answer ({len(body)} bytes, expected "
                                        f"{len(req.expected)})")
                else:
                    stats.latencies.setdefault(req.name.split()[0], []).append(took)
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def machine() -> str:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({model or platform.machine()}), load average {load} at the start"


def run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="tg-load-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "graph"
            subprocess.run(TG + ["build", "seeds", "--out", str(store), "-q", "--jobs", "1"], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        note = machine()
        proc, url = start_server(Path(store), args)
        try:
            parts = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            reqs = requests_for(conn, parts.path)
            for req in reqs:  # the reference answers, one at a time
                status, body = ask(conn, parts.path, req.body)
                if status != 200:
                    raise SystemExit(f"{req.name} answered {status}: {body[:300]!r}")
                req.expected = body
            conn.close()
            stats = Stats()
            started = time.monotonic()
            stop_at = started + args.seconds
            threads = [threading.Thread(target=client, args=(i, url, reqs, stats, stop_at, args.max_requests,
                                                             args.distinct), daemon=True)
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.seconds + 120)
            elapsed = time.monotonic() - started
        finally:
            stop_server(proc)
    every = [x for xs in stats.latencies.values() for x in xs]
    ok = len(every)
    return {
        "store": str(args.store or "seeds (built for the run)"), "clients": args.clients, "seconds": args.seconds,
        "workers": args.workers, "distinct_requests": len(reqs), "every_request_new": args.distinct,
        "requests": ok + len(stats.errors),
        "errors": len(stats.errors), "error_samples": stats.errors[:10], "elapsed": elapsed,
        "throughput": ok / elapsed if elapsed else 0.0,
        "median_ms": 1000 * statistics.median(every) if every else None,
        "p99_ms": 1000 * percentile(every, 0.99) if every else None,
        "max_ms": 1000 * max(every) if every else None,
        "per_query": {name: {"n": len(xs), "median_ms": 1000 * statistics.median(xs),
                             "p99_ms": 1000 * percentile(xs, 0.99)} for name, xs in sorted(stats.latencies.items())},
        "machine": note,
    }


def markdown(r: dict) -> str:
    lines = [f"| clients | seconds | requests | errors | throughput | median | p99 | max |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|",
             f"| {r['clients']} | {r['elapsed']:.1f} | {r['requests']:,} | {r['errors']} | "
             f"{r['throughput']:.0f} req/s | {r['median_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['max_ms']:.1f} ms |",
             "", "| named query | answers | median | p99 |", "|---|---:|---:|---:|"]
    for name, q in r["per_query"].items():
        lines.append(f"| {name} | {q['n']:,} | {q['median_ms']:.1f} ms | {q['p99_ms']:.1f} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="a build folder (default: build seeds/ into a temporary folder)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests in all")
    ap.add_argument("--workers", type=int, default=2, help="the server's query processes (serve --workers)")
    ap.add_argument("--timeout", type=float, default=30.0, help="the server's time limit per query")
    ap.add_argument("--distinct", action="store_true",
                    help="make every query text unique (a comment), so that no answer comes from a cache")
    ap.add_argument("--markdown", action="store_true", help="print the result as Markdown tables")
    ap.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = ap.parse_args(argv)
    if not (1 <= args.clients <= 500 and 0 < args.seconds <= 600 and 1 <= args.max_requests <= 1_000_000):
        ap.error("keep the run bounded: 1-500 clients, at most 600 s, at most 1,000,000 requests")
    result = run(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.markdown:
        print(markdown(result))
    else:
        print(f"{result['requests']} requests in {result['elapsed']:.1f} s from {result['clients']} clients: "
              f"{result['errors']} errors, {result['throughput']:.0f} req/s, median {result['median_ms']:.1f} ms, "
              f"p99 {result['p99_ms']:.1f} ms")
    for sample in result["error_samples"]:
        print("error:", sample, file=sys.stderr)
    return 1 if result["errors"] or not result["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
