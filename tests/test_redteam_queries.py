"""Red-team attacks on the query paths (issue 15): a dataset clause naming a graph that does not exist, query
texts that overflowed pyoxigraph's stack (exit 139 from the CLI, a dead worker behind the endpoint), and the
workers of a build killed with -9. Each failed on the code before the fix."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from topicgraph.queries import run_query
from topicgraph.server import ServerSettings, SparqlServer

from .test_server import http

pytestmark = pytest.mark.redteam
ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "http://nonexistent/g"
RECORD_GRAPH = "https://w3id.org/topicgraph/id/graph/record/4463"

#: query shapes that killed the process by SIGSEGV (exit 139) in pyoxigraph 0.5, measured in a child process
DEEP = {
    "not-chain": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 60_000 + "true) }",
    "path-60k-steps": "SELECT * WHERE { ?s " + "/".join(["schema:about"] * 60_000) + " ?o }",
    "path-alternatives": "SELECT * WHERE { ?s " + "|".join(["schema:about"] * 20_000) + " ?o }",
    "optionals-20k": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"OPTIONAL {{ ?s schema:about ?o{i} }}"
                                                                for i in range(20_000)) + " }",
    "or-chain": "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o = 1"] * 10_000) + ") }",
    "and-chain": "SELECT * WHERE { ?s ?p ?o FILTER(" + "&&".join(["?o = 1"] * 10_000) + ") }",
    "union-chain": "SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(10_000)) + " }",
    "binds": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?b{i})" for i in range(5_000)) + " }",
    "projections": "SELECT " + " ".join(f"(1 AS ?x{i})" for i in range(5_000)) + " WHERE { }",
}


@pytest.fixture(scope="module")
def server(seed_build):
    with SparqlServer(seed_build.out, port=0, settings=ServerSettings(timeout=20, workers=1)) as s:
        yield s


def _count(rows) -> int:
    return int(rows.rows[0]["n"].value)


# ----------------------------------------------------------------------------------- FROM an unknown graph
def test_from_an_unknown_graph_contributes_nothing_on_the_store(seed_build):
    # before the fix: the union default graph answered (1215 triples), as if FROM were not there
    store = seed_build.store
    assert _count(run_query(store, f"SELECT (COUNT(*) AS ?n) FROM <{NOWHERE}> WHERE {{ ?s ?p ?o }}")) == 0
    assert run_query(store, f"SELECT ?g FROM NAMED <{NOWHERE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}").rows == []
    one = _count(run_query(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{RECORD_GRAPH}> {{ ?s ?p ?o }} }}"))
    assert 0 < one < len(store)
    both = f"SELECT (COUNT(*) AS ?n) FROM <{RECORD_GRAPH}> FROM <{NOWHERE}> WHERE {{ ?s ?p ?o }}"
    assert _count(run_query(store, both)) == one  # the graphs listed that exist, merged
    named = run_query(store, f"SELECT DISTINCT ?g FROM NAMED <{RECORD_GRAPH}> FROM NAMED <{NOWHERE}> "
                             "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"].value for r in named.rows] == [RECORD_GRAPH]
    assert _count(run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == len(store)  # no clause: union


@pytest.mark.server
def test_from_an_unknown_graph_contributes_nothing_on_the_endpoint(server):
    status, _, body = http(server.url, query=f"SELECT (COUNT(*) AS ?n) FROM <{NOWHERE}> WHERE {{ ?s ?p ?o }}",
                           accept="application/sparql-results+json")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"


# ---------------------------------------------------------------------------------------- deep queries
@pytest.mark.slow
def test_deep_queries_exit_2_with_a_message_never_a_signal(seed_build, tmp_path):
    for name, sparql in DEEP.items():
        query = tmp_path / f"{name}.rq"
        query.write_text(sparql)
        proc = subprocess.run([sys.executable, "-m", "topicgraph", "query", "--store", str(seed_build.out), "-f",
                               str(query)], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert proc.returncode == 2, (name, proc.returncode, proc.stderr[-300:])  # before: -11 (exit 139)
        assert "more than the limit of" in proc.stderr, (name, proc.stderr[-300:])


@pytest.mark.server
def test_deep_queries_are_400_at_the_endpoint(server):
    for name in ("not-chain", "optionals-20k", "or-chain", "binds", "projections"):
        status, _, body = http(server.url, query=DEEP[name], method="POST")
        assert status == 400, (name, status, body[:300])  # before: 500, the worker killed by SIGSEGV
        assert b"more than the limit of" in body, (name, body[:300])


# --------------------------------------------------------------------------------- kill -9 of a build
def _group(pgid: int) -> list[int]:
    """Live processes of the process group ``pgid`` (from /proc; zombies are not counted)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            out.append(int(entry))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_a_build_leaves_no_worker_alive(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, "-m", "topicgraph", "generate", str(corpus), "-n", "3000"], check=True,
                   capture_output=True, cwd=ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "topicgraph", "build", str(corpus), "--out", str(tmp_path / "g"),
                             "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(_group(proc.pid)) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the main process, the fork server and two workers (and the resource tracker)
        assert proc.poll() is None and len(_group(proc.pid)) >= 4, "the build ended before its workers started"
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while _group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _group(proc.pid)
        assert not left, f"still running 5 s after kill -9 of the build: {left}"  # before: 15-30 s
    finally:
        for pid in _group(proc.pid):
            os.kill(pid, signal.SIGKILL)
