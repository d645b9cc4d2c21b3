"""Write a whole corpus: the records, shard by shard, then the ground truth."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from random import Random

from .config import SynthConfig, SynthCorpus
from .groundtruth import MANIFEST_NAME, write_manifest
from .records import RecordMaker
from .writer import BackgroundWriter, prepare_root

_BLOCK = 1024  # records per RNG block: record i only depends on the config and on block i // _BLOCK


def generate(out_dir: str | Path, config: SynthConfig, *, overwrite: bool = False) -> SynthCorpus:
    """Write the corpus and ``.manifest.json`` under ``out_dir`` (which must be empty unless ``overwrite``)."""
    root = Path(out_dir)
    prepare_root(root, overwrite)
    gen = RecordMaker(config)
    files: list[Path] = []
    group_of_article: dict[str, int] = {}
    topics_of: dict[str, tuple[str, ...]] = {}
    mentioned_of: dict[str, tuple[str, ...]] = {}
    plain_ids: list[str] = []
    keys = gen.keys

    @lru_cache(maxsize=200_000)  # records with the same topics share one tuple of names: memory, on large corpora
    def names_of(idx: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(keys[i] for i in idx)

    shard_dir: Path | None = None
    rng = Random(0)
    writer = BackgroundWriter()
    try:
        for index in range(config.n):
            if index % _BLOCK == 0:
                rng = Random(f"topicgraph.synth/records/{config.seed}/{index // _BLOCK}")
            if index % config.shard_size == 0:
                writer.flush()
                shard_dir = root / f"{index // config.shard_size:04d}"
                shard_dir.mkdir(exist_ok=True)
            text, plain, group, topics, mentioned, md, rid = gen.record(rng, index)
            stem = f"{index:07d}_{md[:16]}"
            path = shard_dir / (stem + (".txt" if plain else ".md"))  # type: ignore[operator]
            writer.write(path, text.encode("utf-8"))
            if rid is None:
                rid = stem
                plain_ids.append(rid)
            files.append(path)
            group_of_article[rid] = group
            topics_of[rid] = names_of(tuple(topics))
            mentioned_of[rid] = names_of(tuple(mentioned))
    finally:
        writer.close()
    corpus = SynthCorpus(root=root, files=files, group_of_article=group_of_article,
                         group_of_topic={t.key: t.group for t in gen.vocab}, topics_of_article=topics_of,
                         mentioned_of_article=mentioned_of, plain_articles=plain_ids, topics=list(gen.vocab),
                         config=config, manifest=root / MANIFEST_NAME,
                         planted={"crosswalk": [[keys[a], keys[b]] for a, b in gen.crosswalk],
                                  "broader": [[keys[n], keys[b]] for n, b in gen.broader]})
    write_manifest(corpus, gen)
    return corpus
