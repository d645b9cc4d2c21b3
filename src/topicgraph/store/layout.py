"""The build folder's layout, known once: its names, the manifest, the lock, the cache and what a killed writer
leaves behind.

A build folder holds ``topicgraph-store.json`` (the manifest: which ``store-*`` folder is live, its ``base-*``
checkpoint, the base IRI, the counts, the revision), the live store folder, ``build-report.json``, any
``graph.<ext>`` exports, ``.build.lock`` and the analyses' ``.cache/``. Writers work in ``.tmp-build-*`` folders
and write files through :func:`atomic_write`; anything else in the folder is the user's and is never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from ..errors import TopicgraphError
from ..sources import BUILD_MANIFEST

__all__ = ["MANIFEST", "REPORT", "LOCK", "CACHE_DIR", "EXPORT_FORMATS", "export_name", "atomic_write",
           "read_manifest", "write_manifest", "BuildLock", "new_store_name", "base_name", "work_folder",
           "clean_leftovers", "clear_cache", "read_cached_result", "write_cached_result"]

#: the manifest; its name is what tells the walk of the inputs (``topicgraph.sources``) that a folder is a build
MANIFEST = BUILD_MANIFEST
REPORT = "build-report.json"
LOCK = ".build.lock"
#: the analyses' cached inputs (``analysis.graphs``); emptied whenever the store changes in place
CACHE_DIR = ".cache"

#: ``--format`` name -> (file extension, pyoxigraph format name, holds named graphs)
EXPORT_FORMATS: dict[str, tuple[str, str, bool]] = {
    "ttl": ("ttl", "TURTLE", False),
    "nt": ("nt", "N_TRIPLES", False),
    "nq": ("nq", "N_QUADS", True),
    "trig": ("trig", "TRIG", True),
    "jsonld": ("jsonld", "JSON_LD", True),
}


def export_name(fmt: str) -> str:
    """The file a build writes its ``fmt`` export to, in the build folder.

    >>> export_name("nq")
    'graph.nq'
    """
    return f"graph.{EXPORT_FORMATS[fmt][0]}"


def atomic_write(path: str | Path, writer) -> None:
    """Call ``writer(tmp_path)`` then rename the result over ``path``: readers see the old file or the new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: what json.loads gives, other than an object
_JSON_KINDS = {list: "an array,", str: "a string,", int: "a number,", float: "a number,", bool: "true or false,",
               type(None): "null,"}


def read_manifest(folder: str | Path) -> dict:
    """The manifest of the build in ``folder``, checked to name a store and a base IRI; a
    :class:`TopicgraphError` saying what to do when it is missing or damaged."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError(f"{_JSON_KINDS[type(manifest)]} not an object")
        if not isinstance(manifest.get("store"), str) or not isinstance(manifest.get("base_iri"), str):
            raise ValueError("no \"store\" and \"base_iri\" names")
    except FileNotFoundError:
        raise TopicgraphError(f"no graph in {folder}/: run `topicgraph build SRC --out {folder}` first, "
                              "or point --store at a build folder") from None
    except ValueError as exc:  # UnicodeDecodeError and json's errors too
        raise TopicgraphError(f"{path}, the build folder's manifest, is damaged ({exc}): rebuild "
                              f"with `topicgraph build SRC --out {folder}`") from None
    return manifest


def write_manifest(folder: str | Path, manifest: dict) -> None:
    """Write the build folder's manifest in one atomic rename (readers see the old one or the new one)."""
    atomic_write(Path(folder) / MANIFEST, lambda tmp: Path(tmp).write_text(json.dumps(manifest, indent=2) + "\n"))


class BuildLock:
    """The build folder's lock: one writer (build, update, derived graphs) at a time; a second one waits up to a
    minute, then says so."""

    def __init__(self, out: Path) -> None:
        self.path = Path(out) / LOCK

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "w")
        deadline = time.monotonic() + 60
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.fh.close()
                    raise TopicgraphError(f"another build is writing {self.path.parent}/: wait for it to finish")
                time.sleep(0.2)

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def new_store_name() -> str:
    """A fresh name for a store folder."""
    return f"store-{uuid.uuid4().hex[:12]}"


def base_name(store_name: str) -> str:
    """The name of the checkpoint a build leaves of the store ``store_name`` as it built it.

    >>> base_name("store-0123456789ab")
    'base-0123456789ab'
    """
    return "base-" + store_name.removeprefix("store-")


def work_folder(out: Path, *, derived: bool = False) -> Path:
    """A new, empty work folder in the build folder ``out``: a build's, or a derived-graph write's."""
    work = out / (f".tmp-build-derived-{uuid.uuid4().hex[:8]}" if derived else f".tmp-build-{uuid.uuid4().hex[:12]}")
    work.mkdir()
    return work


#: the folders :func:`new_store_name`, :func:`base_name` and :func:`work_folder` make; a user's own
#: ``store-notes/`` is none of them
_OUR_FOLDER = re.compile(r"(?:store|base)-[0-9a-f]{12}|\.tmp-build-(?:[0-9a-f]{12}|derived-[0-9a-f]{8})")
#: the temporary files :func:`atomic_write` makes (``mkstemp``: 8 characters of [a-z0-9_]) while writing the
#: manifest, the report or an export
_OUR_TMP_FILE = re.compile(r"\.(?:%s)\.[a-z0-9_]{8}\.tmp" % "|".join(
    re.escape(name) for name in [MANIFEST, REPORT] + [export_name(fmt) for fmt in EXPORT_FORMATS]))


def clean_leftovers(out: Path) -> None:
    """Remove what a killed writer left behind: its work folders and temporary files, and the store folders it
    made that the manifest does not name. Only names a writer makes are touched."""
    live: set = set()
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        live = {manifest["store"], manifest.get("base")}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with os.scandir(out) as it:
        for child in it:
            if _OUR_FOLDER.fullmatch(child.name):
                if child.name not in live and child.is_dir(follow_symlinks=False):
                    shutil.rmtree(child.path, ignore_errors=True)
            elif _OUR_TMP_FILE.fullmatch(child.name) and child.is_file(follow_symlinks=False):
                Path(child.path).unlink(missing_ok=True)


def clear_cache(out: str | Path) -> None:
    """Forget the analyses' cached inputs (after the store changed)."""
    shutil.rmtree(Path(out) / CACHE_DIR, ignore_errors=True)


def _result_path(folder: str | Path, name: str) -> Path | None:
    try:
        revision = read_manifest(folder).get("revision")
    except (OSError, ValueError, TopicgraphError):
        return None
    if not revision or not re.fullmatch(r"[A-Za-z0-9_.-]+", f"{name}-{revision}"):
        return None
    return Path(folder) / CACHE_DIR / f"{name}-{revision}.json"


def read_cached_result(folder: str | Path, name: str) -> dict | None:
    """A command's answer kept by :func:`write_cached_result` for the build in ``folder`` as it is now (keyed by the
    manifest's revision, which every build and update changes), or None: none kept, another revision's, damaged."""
    path = _result_path(folder, name)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_cached_result(folder: str | Path, name: str, data: dict) -> None:
    """Keep ``data`` (JSON) as the answer ``name`` for the build in ``folder`` at its current revision; a read-only
    build folder keeps nothing, which is only slower."""
    path = _result_path(folder, name)
    if path is None:
        return
    try:
        path.parent.mkdir(exist_ok=True)
        for old in path.parent.glob(f"{name}-*.json"):
            old.unlink(missing_ok=True)
        atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8"))
    except OSError:
        pass
