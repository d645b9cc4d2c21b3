"""A taxonomy folder that suits a generated corpus: the shipped schemes plus the corpus's own topics."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from random import Random

from ..resources import taxonomy_dir
from ..vocab import SKOS
from .config import SynthCorpus


def write_taxonomy(corpus: SynthCorpus, folder: str | Path, *, unknown_share: float = 0.05) -> Path:
    """A taxonomy folder for the corpus: the shipped taxonomy plus ``synthetic.ttl``, one SKOS concept per topic of
    the vocabulary that the shipped taxonomy lacks, except about ``unknown_share`` of them (never a seed topic),
    left out on purpose so that ``validate`` still has unknown topics to report, as a real corpus would (never a
    topic of a planted crosswalk or broader pair either).

    A real corpus comes with the taxonomy its curators use; benchmarking against the shipped starting set instead
    would make every record carry unknown-topic warnings, and measure the writing of warnings rather than the
    validation. Deterministic for the corpus's seed. Returns ``folder``.
    """
    # rdflib comes with these two: imported here so that generating a corpus does not load it
    from ..iris import IriMinter
    from ..taxonomy import load_taxonomy

    if not 0 <= unknown_share <= 1:
        raise ValueError("unknown_share must be between 0 and 1")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shipped = sorted(Path(taxonomy_dir()).glob("*.ttl"))
    for tf in shipped:
        shutil.copyfile(tf, folder / tf.name)
    known = load_taxonomy(taxonomy_dir())
    seed = corpus.config.seed if corpus.config is not None else 0
    rng = Random(f"topicgraph.synth/taxonomy/{seed}")
    # a vendor the shipped taxonomy lacks keeps its topics unknown (no scheme to put them in)
    missing = [t for t in sorted(corpus.topics, key=lambda t: t.key) if known.scheme_for(t.vendor) is not None
               if not known.resolve(t.vendor, t.label)[1]]
    # a planted pair must be acceptable into this taxonomy, so its topics are never left out
    planted = {key for pairs in corpus.planted.values() for pair in pairs for key in pair}
    candidates = [t for t in missing if t.key not in planted] if planted else missing
    leave_out = {t.key for t in rng.sample(candidates, round(len(missing) * unknown_share))}
    lines = ["# Synthetic concepts for a topicgraph.synth corpus (generated: do not edit).",
             f"@prefix skos: <{SKOS}> .", ""]
    for t in missing:
        if t.key in leave_out:
            continue
        scheme, concept = IriMinter.scheme(t.vendor), IriMinter.concept(t.vendor, t.label)
        lines += [f"<{concept}> a skos:Concept ;",
                  f"    skos:prefLabel {json.dumps(t.label, ensure_ascii=False)}@en ;",
                  f"    skos:definition \"A synthetic topic of planted group {t.group}.\"@en ;",
                  f"    skos:inScheme <{scheme}> ;",
                  f"    skos:topConceptOf <{scheme}> .",
                  f"<{scheme}> skos:hasTopConcept <{concept}> .", ""]
    (folder / "synthetic.ttl").write_text("\n".join(lines), encoding="utf-8")
    return folder


def topics_not_shipped(corpus: SynthCorpus) -> tuple[int, int]:
    """``(topics the records use, how many of them the shipped taxonomy lacks)``: what ``validate`` would call
    unknown without the taxonomy :func:`write_taxonomy` writes."""
    from ..taxonomy import load_taxonomy

    known = load_taxonomy(taxonomy_dir())
    plain = set(corpus.plain_articles)  # their topics are planted truth, not written in the file
    used = {key for rid, keys in corpus.topics_of_article.items() if rid not in plain for key in keys}
    missing = 0
    for key in used:
        vendor, _, label = key.partition(": ")
        missing += not known.resolve(vendor, label)[1]
    return len(used), missing
