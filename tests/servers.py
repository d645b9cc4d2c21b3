"""Real SPARQL servers on 127.0.0.1 for the integration tests: Oxigraph (PyPI wheel) and Virtuoso (Debian).

Each fixture starts its own server process on a free loopback port, in a temporary folder, and stops that
process (by its id) afterwards. Import the fixtures into a test module to use them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import require_debian_package

UNION = "https://w3id.org/topicgraph/id/graph/union"


@dataclass
class RunningServer:
    """A started server: where to query, where to push (Graph Store Protocol), and its credentials."""

    name: str
    query_url: str
    store_url: str
    proc: subprocess.Popen
    folder: Path
    user: str | None = None
    password: str | None = None
    union_default_graph: bool = False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Poll ``url`` with an ASK query until it answers 200; fail with the server's log if it dies or hangs."""
    deadline = time.monotonic() + timeout
    query = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(query, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"the server did not answer within {timeout:g} s:\n{log.read_text(errors='replace')[-3000:]}")


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, *, union_default_graph: bool = True) -> RunningServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT [--union-default-graph]`` (pip package ``oxigraph``)."""
    binary = oxigraph_binary()
    if binary is None:
        message = "needs the Oxigraph server: pip install oxigraph (it is in topicgraph's test extra)"
        if _ci():
            pytest.fail(message)
        pytest.skip(message)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "server.log"
    args = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        args.append("--union-default-graph")
    with open(log, "wb") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    server = RunningServer("oxigraph", f"{base}/query", f"{base}/store", proc, folder,
                           union_default_graph=union_default_graph)
    try:
        wait_until_up(server.query_url, proc, log)
    except BaseException:
        server.stop()
        raise
    return server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
ServerThreads = 4
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def start_virtuoso(folder: Path) -> RunningServer:
    """Virtuoso (Debian package ``virtuoso-opensource``) with its own ini on loopback ports; user dba/dba."""
    binary = virtuoso_binary()
    require_debian_package("virtuoso-opensource", binary is not None)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "console.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=fh,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    server = RunningServer("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", proc, folder,
                           user="dba", password="dba")
    try:
        wait_until_up(server.query_url, proc, log)
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An empty Oxigraph server whose default graph is the union of its named graphs."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"), union_default_graph=True)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oxigraph_plain(tmp_path_factory):
    """An empty Oxigraph server with a plain default graph (queries need push --graph and query --graph)."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-plain"), union_default_graph=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso with its own database in a temporary folder."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
