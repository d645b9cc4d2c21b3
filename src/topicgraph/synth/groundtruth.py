"""The ground truth beside the records: ``.manifest.json``, written and read."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from .config import SynthCorpus
from .records import RecordMaker

#: the ground truth, beside the records; a dot file, so that `build` and `validate` of the folder see records only
MANIFEST_NAME = ".manifest.json"
#: the manifest's name without the dot, which some existing corpora carry: still read, and removed by --force
LEGACY_MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


def write_manifest(corpus: SynthCorpus, gen: RecordMaker | None = None) -> Path:
    """Write ``corpus.manifest``: the config, counts and planted ground truth, as JSON."""
    config = corpus.config
    assert config is not None and corpus.manifest is not None
    gen = gen or RecordMaker(config)
    data = {
        "generator": "topicgraph.synth",
        "format_version": FORMAT_VERSION,
        "config": config.to_json(),
        "counts": {"records": len(corpus.files), "plain": len(corpus.plain_articles),
                   "front_matter": len(corpus.files) - len(corpus.plain_articles), "topics": len(corpus.topics),
                   "groups": config.groups, "authors": len(gen.authors), "brands": len(gen.brands)},
        "topics": [asdict(t) for t in corpus.topics],
        "group_of_topic": corpus.group_of_topic,
        "files": [p.relative_to(corpus.root).as_posix() for p in corpus.files],
        "plain_articles": corpus.plain_articles,
        "group_of_article": corpus.group_of_article,
        "topics_of_article": corpus.topics_of_article,
        "mentioned_of_article": corpus.mentioned_of_article,
    }
    if gen.crosswalk or gen.broader:
        # the truth `topicgraph crosswalk evaluate` scores against: "Vendor: Label" keys
        data["planted"] = {"crosswalk": [[gen.keys[a], gen.keys[b]] for a, b in gen.crosswalk],
                           "broader": [[gen.keys[n], gen.keys[b]] for n, b in gen.broader]}
    with open(corpus.manifest, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return corpus.manifest


def load_manifest(path: str | Path) -> dict:
    """The manifest written by ``generate`` (a directory means its ``.manifest.json``)."""
    p = Path(path)
    if p.is_dir():
        p = p / MANIFEST_NAME if (p / MANIFEST_NAME).exists() or not (p / LEGACY_MANIFEST_NAME).exists() \
            else p / LEGACY_MANIFEST_NAME
    with open(p, encoding="utf-8") as fh:
        return json.load(fh)
