"""`topicgraph generate`: a synthetic corpus in the seed format, for benchmarks and quality checks."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command("generate")
@click.argument("out", type=click.Path(file_okay=False))
@click.option("-n", "n", type=click.IntRange(0), required=True, help="Number of records.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option("--plain-fraction", type=click.FloatRange(0, 1), default=0.03, show_default=True,
              help="Share of plain scraped articles (no front matter).")
@click.option("--groups", type=click.IntRange(1), default=20, show_default=True, help="Planted topic groups.")
@click.option("--in-group-share", type=click.FloatRange(0, 1), default=0.85, show_default=True,
              help="Share of an article's topics drawn from its own group.")
@click.option("--taxonomy", "taxonomy_out", type=click.Path(file_okay=False), default=None,
              help="Also write a taxonomy folder for the corpus here: the shipped taxonomy plus a concept for "
                   "most generated topics (5% stay unknown), to pass to build and validate as --taxonomy.")
@click.option("--crosswalk-pairs", type=click.IntRange(0), default=0, show_default=True,
              help="Plant this many cross-vendor topic pairs that curators co-tag (truth in .manifest.json; "
                   "see docs/crosswalks.md).")
@click.option("--broader-pairs", type=click.IntRange(0), default=0, show_default=True,
              help="Plant this many narrower -> broader topic pairs inside one vendor.")
@click.option("--cotag-rate", type=click.FloatRange(0, 1), default=0.9, show_default=True,
              help="Chance that a planted partner is added to an article that has the other topic.")
@click.option("--force", is_flag=True, help="Replace a corpus already in OUT.")
@handle_errors
def generate_command(out, n, seed, plain_fraction, groups, in_group_share, taxonomy_out, crosswalk_pairs,
                     broader_pairs, cotag_rate, force):
    """Write N synthetic records to OUT, with OUT/.manifest.json holding the planted ground truth.

    Topics, authors and brands follow Zipf-like popularity; each article draws most of its topics from one
    planted group, so clustering and related-items quality can be measured (see docs/benchmarks.md).
    """
    from ..errors import TopicgraphError
    from ..synth import SynthConfig, generate, topics_not_shipped, write_taxonomy

    try:
        config = SynthConfig(n=n, seed=seed, plain_fraction=plain_fraction, groups=groups,
                             in_group_share=in_group_share, crosswalk_pairs=crosswalk_pairs,
                             broader_pairs=broader_pairs, cotag_rate=cotag_rate)
        corpus = generate(out, config, overwrite=force)
    except (ValueError, FileExistsError) as exc:
        raise TopicgraphError(str(exc)) from None
    click.echo(f"wrote {len(corpus.files)} records ({len(corpus.plain_articles)} plain) to {corpus.root}/, the "
               f"ground truth to {corpus.manifest}")
    if taxonomy_out is not None:
        click.echo(f"wrote the corpus's taxonomy to {write_taxonomy(corpus, taxonomy_out)}/")
        return
    used, missing = topics_not_shipped(corpus)
    if missing:
        # the shipped taxonomy is a starting set: most generated topics are not in it, so without a taxonomy of
        # its own every build and validate of this corpus would warn about them
        one = missing == 1
        click.echo(f"note: {missing} of the {used} topics the records use {'is' if one else 'are'} not in "
                   f"the shipped taxonomy, so build and validate will report {'it' if one else 'them'} as unknown "
                   "topics; for a taxonomy that holds them, run this command again with --force --taxonomy DIR "
                   "(the same corpus, byte for byte, and a taxonomy folder in DIR) and pass --taxonomy DIR to "
                   "build and validate", err=True)
