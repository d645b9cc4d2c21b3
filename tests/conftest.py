"""Shared fixtures: the repository root, the seeds, and one seed build per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True, scope="session")
def _run_from_repository_root():
    """Paths in reports are relative to the working directory; the tests run from the repository root."""
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory):
    """validate's default cache is the user's cache folder: the tests (and the processes they start) use one of
    their own instead of filling ~/.cache/topicgraph."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds built once (with every export format) for the tests that only read the result."""
    import topicgraph

    out = tmp_path_factory.mktemp("seed-graph")
    return topicgraph.build([SEEDS.relative_to(ROOT)], out=out, formats=["ttl", "nt", "nq", "trig", "jsonld"],
                            jobs=1)


def require_debian_package(package: str, found: bool) -> None:
    """Skip when a Debian package a test needs is absent, except under CI, where that is a failure."""
    if found:
        return
    message = f"needs the Debian package {package!r} (apt-get install {package})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message}: CI must install it in .ci/run")
    pytest.skip(message)


_CONNECTS: list = []
_WATCHING = [False]


def _audit(event, args):  # installed once; audit hooks cannot be removed
    if _WATCHING[0] and event in ("socket.connect", "socket.getaddrinfo"):
        _CONNECTS.append((event, args[1] if event == "socket.connect" else args[0]))


@pytest.fixture
def no_network():
    """Record every outbound connection Python code attempts during the test; the test asserts there were none.

    Rust code inside pyoxigraph does not pass through Python's audit hooks; tests of SERVICE/LOAD instead point
    them at a local listener and check that it was never contacted.
    """
    import sys

    if not getattr(sys, "_topicgraph_audit", False):
        sys.addaudithook(_audit)
        sys._topicgraph_audit = True
    _CONNECTS.clear()
    _WATCHING[0] = True
    try:
        yield _CONNECTS
    finally:
        _WATCHING[0] = False
