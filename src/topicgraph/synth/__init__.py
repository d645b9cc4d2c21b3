"""Deterministic synthetic corpus of curated-content records, for benchmarks and quality tests.

``generate(out_dir, SynthConfig(n=...))`` writes ``n`` records that look like the seeds: front-matter Markdown
records laid out exactly like ``seeds/000`` and ``seeds/001`` (same keys in the same order), and a
``plain_fraction`` of plain scraped articles like ``seeds/003`` (title line, date line, byline, body, boilerplate).
The corpus has planted structure, returned as ground truth and written to ``OUT/.manifest.json`` (a dot file, so
that ``build`` and ``validate`` of OUT see only records):

* ``groups`` topic groups of ``topics_per_group`` topics each (``"Vendor: Label"``, labels unique across vendors);
  topic popularity within a group is Zipf-like, and the four seed topics lead group 0;
* every article belongs to one group and draws about ``in_group_share`` of its topics from it (the rest uniformly
  from all topics); its title and body mention some of its topics' labels verbatim, in sentences, and no other
  label (filler text is checked against the vocabulary), so text tagging can be scored exactly;
* authors and brands are used with Zipf-distributed frequency; dates spread over 2015-2024.

Record 0 always carries the seed topics, so they appear in every corpus. Output is deterministic: the same config
gives byte-identical files (string-seeded ``random.Random`` per block of records, no clock, no ``hash()``).
Records are written as they are made (YAML by string templating), so a million records stream in bounded memory
apart from the ground-truth dicts. Files go to ``OUT/0000/``, ``OUT/0001/``, ... (``shard_size`` each), named
``{index:07d}_{mdName[:16]}.md`` (front matter) or ``.txt`` (plain).

Command line: ``python -m topicgraph.synth OUT -n 10000 --seed 1``.

Modules: ``config`` (what to generate), ``words`` (the word lists), ``vocabulary`` (topic labels), ``names``
(authors, brands, Zipf draws), ``text`` (sentences, titles), ``records`` (one record), ``writer`` (the output
folder), ``corpus`` (:func:`generate`), ``groundtruth`` (the manifest), ``taxonomy`` (a taxonomy for the corpus),
``cli`` (the command line).
"""

from __future__ import annotations

from .cli import main
from .config import SynthConfig, SynthCorpus, Topic
from .corpus import generate
from .groundtruth import FORMAT_VERSION, MANIFEST_NAME, load_manifest, write_manifest
from .taxonomy import topics_not_shipped, write_taxonomy
from .vocabulary import SEED_TOPICS, build_vocabulary, label_tokens, tokens

__all__ = ["SEED_TOPICS", "SynthConfig", "SynthCorpus", "Topic", "build_vocabulary", "generate", "label_tokens",
           "load_manifest", "main", "tokens", "write_manifest", "write_taxonomy", "topics_not_shipped",
           "MANIFEST_NAME", "FORMAT_VERSION"]
