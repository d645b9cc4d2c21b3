"""`topicgraph taxonomy`: browse the concept schemes, check their integrity, suggest topics for untagged records,
extract new vendors' schemes from a corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import (handle_errors, json_option, profile_option, report_format_option, shapes_option, strict_option,
                     taxonomy_option)


@click.group("taxonomy")
def taxonomy_group() -> None:
    """Browse the vendors' concept schemes, check them, and suggest topics for untagged records."""


def _load(taxonomy_dir):
    from ..taxonomy import load_taxonomy

    return load_taxonomy(taxonomy_dir, strict=False)  # browsing shows every scheme, twins included


def _scheme(tax, vendor: str) -> str:
    from ..errors import TopicgraphError

    scheme = tax.scheme_for(vendor)
    if scheme is None and vendor in tax.schemes:
        scheme = vendor
    if scheme is None:
        vendors = ", ".join(sorted(tax.schemes.values()))
        raise TopicgraphError(f"no concept scheme {vendor!r}: the vendors are {vendors}")
    return scheme


def _topic(tax, iri: str) -> str:
    info = tax.concepts.get(iri)
    if info is None:
        return f"<{iri}>"
    return f"{tax.schemes.get(info.scheme, info.scheme)}: {info.label}"


def _alt(info) -> list[str]:
    return [label for values in info.alt_labels.values() for label in values]


@taxonomy_group.command("list")
@click.argument("vendor", required=False)
@taxonomy_option("taxonomy_dir")
@json_option()
@handle_errors
def list_command(vendor, taxonomy_dir, as_json):
    """List the concept schemes, or the concepts of VENDOR's scheme."""
    tax = _load(taxonomy_dir)
    if vendor is None:
        rows = [{"vendor": label, "scheme": iri, "concepts": sum(1 for c in tax.concepts.values() if c.scheme == iri)}
                for iri, label in sorted(tax.schemes.items(), key=lambda kv: kv[1].casefold())]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for r in rows:
                click.echo(f"{r['vendor']}\t{r['concepts']} concepts\t{r['scheme']}")
        return
    scheme = _scheme(tax, vendor)
    concepts = sorted((c for c in tax.concepts.values() if c.scheme == scheme), key=lambda c: c.label.casefold())
    if as_json:
        click.echo(json.dumps([{"label": c.label, "concept": c.iri, "altLabels": _alt(c)} for c in concepts],
                              indent=2, ensure_ascii=False))
        return
    for c in concepts:
        alts = _alt(c)
        click.echo(f"{c.label}\t{c.iri}" + (f"\t(also: {', '.join(alts)})" if alts else ""))


@taxonomy_group.command("show")
@click.argument("topic")
@taxonomy_option("taxonomy_dir")
@json_option()
@handle_errors
def show_command(topic, taxonomy_dir, as_json):
    """Show one concept: TOPIC is 'Vendor: Label' (a prefLabel or altLabel), a tax: name or an IRI."""
    from ..errors import TopicgraphError
    from ..iris import label_key
    from ..taxonomy.checks import concept_links, find_concept, load_store
    from ..validation.topics import did_you_mean

    tax = _load(taxonomy_dir)
    iri = find_concept(tax, topic)
    if iri is None:
        labels = {}
        for scheme, vendor in tax.schemes.items():
            for lab, c in tax.labels_in(scheme).items():
                labels.setdefault(label_key(f"{vendor}: {lab}"), _topic(tax, c))
        guesses = did_you_mean(topic, labels)
        hint = f": did you mean {' or '.join(repr(g) for g in guesses)}?" if guesses else \
            " (write it as 'Vendor: Label'; `topicgraph taxonomy list VENDOR` lists them)"
        raise TopicgraphError(f"no concept {topic!r} in the taxonomy{hint}")
    info = tax.concepts[iri]
    links = concept_links(load_store(tax.files), iri)
    data = {"topic": _topic(tax, iri), "concept": iri, "scheme": info.scheme,
            "prefLabels": info.pref_labels, "altLabels": _alt(info), "definition": info.definition,
            **{name: [{"topic": _topic(tax, o), "concept": o} for o in values] for name, values in links.items()}}
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    rows = [("concept", iri), ("scheme", f"{tax.schemes.get(info.scheme, info.scheme)} <{info.scheme}>")]
    if data["altLabels"]:
        rows.append(("altLabels", "; ".join(data["altLabels"])))
    if info.definition:
        rows.append(("definition", info.definition))
    rows += [(name, "; ".join(_topic(tax, o) for o in values)) for name, values in links.items()]
    width = max(len(name) for name, _ in rows)  # one column for every row, whatever names the links have
    click.echo(data["topic"])
    for name, value in rows:
        click.echo(f"  {name:<{width}}  {value}")


@taxonomy_group.command("tree")
@click.argument("vendors", nargs=-1)
@taxonomy_option("taxonomy_dir")
@handle_errors
def tree_command(vendors, taxonomy_dir):
    """Print the skos:broader hierarchy of every scheme (or of VENDORS' schemes)."""
    from ..taxonomy.checks import concept_tree

    tax = _load(taxonomy_dir)
    schemes = [_scheme(tax, v) for v in vendors] or sorted(tax.schemes, key=lambda s: tax.schemes[s].casefold())
    for scheme in schemes:
        click.echo(tax.schemes[scheme])
        for depth, iri in concept_tree(tax, scheme):
            click.echo("  " * (depth + 1) + tax.concepts[iri].label)


@taxonomy_group.command("check")
@taxonomy_option("taxonomy_dir")
@shapes_option
@click.option("--no-shacl", is_flag=True, help="Run only the SPARQL integrity checks, not the SHACL shapes.")
@report_format_option("Output format (as for `topicgraph validate`).")
@strict_option()
@handle_errors
def check_command(taxonomy_dir, shapes, no_shacl, fmt, strict):
    """SKOS integrity checks: orphan and undocumented concepts, broader cycles, one prefLabel per language, a label
    both pref and alt, a prefLabel twice in a scheme, mapping clashes, dangling references; plus SHACL.

    Exit status 0 when clean, 1 when an error (or, with --strict, a warning) was found, 2 when it could not run.
    """
    import time

    from ..sources import display_path
    from ..taxonomy import taxonomy_files
    from ..taxonomy.checks import check_taxonomy
    from ..validation import ValidationReport
    from ..validation.formats import render

    started = time.perf_counter()
    findings = check_taxonomy(taxonomy_dir, shapes=shapes, shacl=not no_shacl)
    report = ValidationReport(findings, [display_path(p) for p in taxonomy_files(taxonomy_dir)], strict=strict,
                              seconds=time.perf_counter() - started)
    click.echo(render(report, fmt))
    sys.exit(report.exit_code)


@taxonomy_group.command("extract")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@profile_option
@taxonomy_option("taxonomy_dir")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="The Turtle file to write (FILE.ttl).")
@click.option("--taxonomy-out", "folder", type=click.Path(file_okay=False), default=None,
              help="Also make this folder a taxonomy to pass as --taxonomy to build and validate: the taxonomy in "
                   "use (the shipped one, or --taxonomy) and the new file.")
@handle_errors
def extract_command(sources, profile, taxonomy_dir, output, folder):
    """Write a SKOS concept scheme for each vendor of SOURCES' topics that the taxonomy lacks.

    One concept per topic, its spellings folded as the build folds them (case and spacing); the prefLabel keeps
    capitals when a spelling has them (AI, FDA), the other spellings become altLabels (hiddenLabels when they
    differ only in case or spacing), and skos:scopeNote says how many records use it. With --taxonomy-out DIR,
    DIR gets the taxonomy in use and the new file: pass it as --taxonomy to build and validate.
    """
    from pathlib import Path

    from ..errors import TopicgraphError
    from ..records import DEFAULT_PROFILE, load_profile
    from ..store import atomic_write
    from ..taxonomy.extract import corpus_topics, extract_schemes, schemes_turtle

    prof = load_profile(profile) if profile else DEFAULT_PROFILE
    tax = _load(taxonomy_dir)
    found = extract_schemes(corpus_topics(sources, profile=prof), tax)
    text = schemes_turtle(found, source=" ".join(sources))
    atomic_write(Path(output), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    concepts = sum(len(s.concepts) for s in found)
    names = ", ".join(f"{s.label} ({len(s.concepts)} concepts)" for s in found) or "no new vendor"
    click.echo(f"wrote {len(found)} scheme{'' if len(found) == 1 else 's'}, {concepts} concept"
               f"{'' if concepts == 1 else 's'} to {output}: {names}")
    if folder is not None:
        import shutil

        from ..taxonomy import taxonomy_files

        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        used = taxonomy_files(taxonomy_dir)
        if Path(output).name in {f.name for f in used}:
            raise TopicgraphError(f"{Path(output).name} is also the name of a file of the taxonomy in use: "
                                  "choose another -o name (the folder would hold one of them)")
        for tf in used:
            shutil.copyfile(tf, target / tf.name)
        shutil.copyfile(output, target / Path(output).name)
        click.echo(f"wrote the taxonomy folder {folder}/ ({len(used) + 1} files): pass --taxonomy {folder} to "
                   "build and validate")


@taxonomy_group.command("tag")
@click.argument("files", nargs=-1, type=click.Path(exists=False))
@click.option("--store", "store", type=click.Path(file_okay=False), default=None,
              help="A build folder. Without FILES: suggest for every article of this build that has no curated "
                   "topic. With FILES: count rarity over this build's untagged articles (default: graph/ when it "
                   "holds a build), so a file scores the same alone or with others.")
@click.option("--write", is_flag=True, help="With --store and no FILES: replace the build's suggestions graph with "
                                            "the result.")
@click.option("--top", "-k", type=click.IntRange(1, 100), default=5, show_default=True,
              help="At most this many suggestions per record.")
@click.option("--min-score", type=click.FloatRange(0), default=2.0, show_default=True,
              help="Leave out suggestions scoring below this.")
@click.option("--include-tagged", is_flag=True, help="FILES: suggest for records with curated topics too.")
@profile_option
@taxonomy_option("taxonomy_dir")
@json_option()
@handle_errors
def tag_command(files, store, write, top, min_score, include_tagged, profile, taxonomy_dir, as_json):
    """Suggest topics for records without curated topics, from the taxonomy's labels found in their text.

    Each suggestion has a score and its evidence (the phrases that matched). Suggestions are never curated
    topics: with --store --write they go to the build's graph .../graph/suggestions as tg:suggestedTopic, never
    schema:about. FILES are read with --profile (which fields hold the title, text and topics). docs/taxonomy.md
    explains the scoring.
    """
    from ..errors import TopicgraphError
    from ..records import DEFAULT_PROFILE, load_profile
    from ..store import MANIFEST
    from ..tagging import suggest_files, suggest_store, write_suggestions

    if not files and not store:
        raise TopicgraphError("give record FILES, or --store DIR for the articles of a build")
    if write and (files or not store):
        raise TopicgraphError("--write needs --store DIR and no FILES (suggestions are written into a build's store)")
    if not files:
        found = suggest_store(store, taxonomy=taxonomy_dir, top=top, min_score=min_score)
        if write:
            graph, triples = write_suggestions(store, found)
        if as_json:
            click.echo(json.dumps({a: [s.to_dict() for s in ss] for a, ss in found.items()}, indent=2,
                                  ensure_ascii=False))
        else:
            for article, ss in found.items():
                _print(article, ss)
        if write:
            click.echo(f"wrote {triples} triples for {len(found)} untagged articles into <{graph}>", err=True)
        return
    if store is None and (Path("graph") / MANIFEST).is_file():
        store = "graph"
    results = suggest_files(files, taxonomy=taxonomy_dir, include_tagged=include_tagged, top=top,
                            min_score=min_score, profile=load_profile(profile) if profile else DEFAULT_PROFILE,
                            store=store)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        return
    for r in results:
        if r.problem:
            click.echo(f"{r.file}: not tagged: {r.problem}")
        elif r.tagged and not include_tagged:
            click.echo(f"{r.file}: has curated topics; not tagged (--include-tagged to tag it anyway)")
        else:
            _print(r.file, r.suggestions)
    click.echo(f"scores count rarity over the untagged articles of the build in {store}/" if store else
               "scores count rarity over the FILES given (pass --store DIR, a build of the whole corpus, for "
               "scores that do not depend on which files are given)", err=True)


def _print(name: str, suggestions) -> None:
    click.echo(name if suggestions else f"{name}: no suggestion")
    for s in suggestions:
        evidence = ", ".join(f"{phrase!r} x{n}" for phrase, n in s.evidence)
        click.echo(f"  {s.rank}. {s.topic}  score {s.score:g}  ({evidence})")


@taxonomy_group.command("suggest-broader")
@click.option("--store", "store", default="graph", show_default=True, metavar="DIR",
              type=click.Path(file_okay=False), help="Build folder to read the co-tagging from.")
@click.option("--vendor", default=None, help="Only this vendor's scheme (default: every scheme).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="The SSSOM TSV to write (FILE.sssom.tsv).")
@click.option("--min-support", type=click.IntRange(1), default=3, show_default=True,
              help="Shared articles a pair needs before anything is suggested.")
@click.option("--top", type=click.IntRange(1), default=None, help="At most this many rows.")
@click.option("--taxonomy", "taxonomy_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Taxonomy folder (default: the taxonomy in the build's store, the one the build used).")
@handle_errors
def suggest_broader_command(store, vendor, output, min_support, top, taxonomy_dir):
    """Suggest skos:broader links inside a vendor's scheme from co-tagging: X is broader than Y when most articles
    about Y are about X (P(X|Y) >= 0.8, with its Wilson interval) and not the other way round (Sanderson & Croft).

    Links the scheme already has, or implies, are left out, and so is a link that would make a cycle. Review and
    accept the rows with `topicgraph crosswalk review` / `accept` (see docs/crosswalks.md).
    """
    from ..crosswalk import Settings, load_negatives, suggest_broader, write_sssom
    from .crosswalk_cmd import MAPPING_SET, default_negatives, load_inputs

    inc, tax, links = load_inputs(store, taxonomy_dir)
    if vendor is not None:
        _scheme(tax, vendor)
    found = suggest_broader(inc, taxonomy=tax, links=links, vendor=vendor, settings=Settings(min_support=min_support),
                            negatives=load_negatives(default_negatives(store, taxonomy_dir, None)), top=top)
    path = write_sssom(output, found, mapping_set_id=MAPPING_SET + "broader",
                       mapping_tool="topicgraph taxonomy suggest-broader",
                       comment=f"skos:broader links suggested from the co-tagging of {len(inc.articles)} articles.")
    click.echo(f"wrote {len(found)} suggestions to {path}")
