"""``python -m topicgraph.synth``: generate a corpus from the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from .config import SynthConfig
from .corpus import generate
from .taxonomy import write_taxonomy


def _parser() -> argparse.ArgumentParser:
    d = SynthConfig(n=0)
    p = argparse.ArgumentParser(prog="python -m topicgraph.synth",
                                description="Write a deterministic synthetic corpus of records with planted topic "
                                            "groups, and .manifest.json with the ground truth.")
    p.add_argument("out", type=Path, help="output folder (must be empty unless --force)")
    p.add_argument("-n", type=int, required=True, help="number of records")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--plain-fraction", type=float, default=d.plain_fraction)
    p.add_argument("--groups", type=int, default=d.groups)
    p.add_argument("--topics-per-group", type=int, default=d.topics_per_group)
    p.add_argument("--in-group-share", type=float, default=d.in_group_share)
    p.add_argument("--topics-per-article", type=int, nargs=2, metavar=("LOW", "HIGH"), default=d.topics_per_article)
    p.add_argument("--authors", type=int, default=None, help="default: n/8")
    p.add_argument("--brands", type=int, default=None, help="default: max(50, n/200)")
    p.add_argument("--vendors", default=",".join(d.vendors), help="comma-separated (default %(default)s)")
    p.add_argument("--shard-size", type=int, default=d.shard_size)
    p.add_argument("--crosswalk-pairs", type=int, default=d.crosswalk_pairs,
                   help="plant this many cross-vendor pairs that curators co-tag")
    p.add_argument("--broader-pairs", type=int, default=d.broader_pairs,
                   help="plant this many narrower -> broader pairs inside one vendor")
    p.add_argument("--cotag-rate", type=float, default=d.cotag_rate)
    p.add_argument("--taxonomy", type=Path, default=None,
                   help="also write a taxonomy folder for the corpus here (see write_taxonomy)")
    p.add_argument("--force", action="store_true", help="replace a corpus already in OUT")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = SynthConfig(n=args.n, seed=args.seed, plain_fraction=args.plain_fraction, groups=args.groups,
                             topics_per_group=args.topics_per_group, in_group_share=args.in_group_share,
                             topics_per_article=tuple(args.topics_per_article), authors=args.authors,
                             brands=args.brands, vendors=tuple(v.strip() for v in args.vendors.split(",")),
                             shard_size=args.shard_size, crosswalk_pairs=args.crosswalk_pairs,
                             broader_pairs=args.broader_pairs, cotag_rate=args.cotag_rate)
        start = time.perf_counter()
        corpus = generate(args.out, config, overwrite=args.force)
    except (ValueError, FileExistsError, NotADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(corpus.files)} records ({len(corpus.plain_articles)} plain) and {corpus.manifest} "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.taxonomy is not None:
        print(f"wrote the corpus's taxonomy to {write_taxonomy(corpus, args.taxonomy)}", file=sys.stderr)
    return 0
