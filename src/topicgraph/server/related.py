"""Related articles for the article pages: the same index and scoring as ``topicgraph related``, built once per
state of the store in each worker process and kept while the build does not change."""

from __future__ import annotations

import threading

from ..errors import TopicgraphError

__all__ = ["related_items"]

_lock = threading.Lock()
_index: dict[tuple, object] = {}


def related_items(store, iri: str, k: int = 10) -> list:
    """The ``k`` articles most related to the article ``iri``, each with its score and reasons."""
    from ..analysis.related import RelatedIndex

    key = (str(store.folder), store.manifest.get("revision"), store.manifest.get("store"),
           tuple(store.manifest.get("derived") or ()))
    with _lock:
        index = _index.get(key)
        if index is None:
            _index.clear()  # one state of one build per worker: an older index is never asked again
            index = _index[key] = RelatedIndex(store)
    try:
        return index.related(iri, k)
    except (TopicgraphError, KeyError, ValueError):
        return []  # an article with no topic has no related articles
