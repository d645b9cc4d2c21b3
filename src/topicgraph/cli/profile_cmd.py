"""``topicgraph profile``: infer a mapping profile from a corpus, with a drift report of its front matter."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import handle_errors, plural

__all__ = ["profile_group", "render_text", "render_markdown"]


@click.group("profile", context_settings={"help_option_names": ["-h", "--help"]})
def profile_group() -> None:
    """Mapping profiles for other sites' front matter (docs/profiles.md)."""


@profile_group.command("infer")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the inferred profile (TOML) to this file, for --profile.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="The drift report's format: text for people, json for tools, markdown for a PR comment.")
@click.option("--sample", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Read at most this many files, spread evenly in path order (the same files on every run).")
@click.option("--name", default=None, help="The profile's name (default: the corpus's folder name).")
@handle_errors
def infer_command(sources, output, fmt, sample, name):
    """Infer which front-matter field of SOURCES plays each role, and report the corpus's drift.

    Fields are matched to roles by name (title/headline, date/published/pubDate, link/url, categories/tags...),
    by value shape (URL, domain, date, list of short texts, mapping) and by presence; roles no field fits are
    switched off; topics mostly without a 'Vendor: ' prefix get a default vendor from the site's name. Each
    choice is explained with counts. Then: every field's presence, types and shapes, enum-like fields, spellings
    that differ only in case or spacing, fields that look like aliases, mixed date formats, and what each field
    becomes in RDF. Build with: topicgraph build SOURCES --profile FILE.
    """
    from ..records.infer import infer_profile, site_name, survey
    from ..sources import discover
    from ..store import atomic_write

    inference = infer_profile(survey(discover(sources), sample=sample, site=site_name(sources)), name=name)
    if output:
        text = inference.toml()
        atomic_write(Path(output), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    if fmt == "json":
        click.echo(json.dumps(inference.as_dict(), indent=2, ensure_ascii=False))
    else:
        render = render_markdown if fmt == "markdown" else render_text
        click.echo(render(inference, sources=sources, output=output), nl=False)



def _shapes(counter, limit: int = 3) -> str:
    return ", ".join(f"{s} {n}" for s, n in counter.most_common(limit))


def _next_steps(sources, output) -> list[str]:
    src = " ".join(sources)
    prof = output or "site.toml"
    return [f"topicgraph taxonomy extract {src} --profile {prof} -o new-vendors.ttl --taxonomy-out my-taxonomy",
            f"topicgraph build {src} --profile {prof} --taxonomy my-taxonomy",
            f"topicgraph validate {src} --profile {prof} --taxonomy my-taxonomy"]


def render_text(inf, *, sources=(), output=None) -> str:
    """The report for people."""
    s, d = inf.survey, inf.as_dict()
    out = [f"Read the front matter of {plural(s.records, 'record')} ({s.sampled} of {plural(s.files, 'file')} "
           f"sampled; {s.plain} without front matter, {len(s.unreadable)} unreadable) in {s.site!r}.", "",
           "Profile" + (f" (written to {output}):" if output else " (not written; pass -o site.toml):")]
    out += [f"  {r}" for r in inf.reasons] or ["  the default layout fits: no role changed"]
    for m in inf.misfits:
        out.append(f"  ! {m}")
    for f, p in s.unreadable[:5]:
        out.append(f"  ! {f}: {p}")
    w = max([len(f) for f in s.fields] + [5])
    out += ["", f"Fields ({len(s.fields)}):", f"  {'field':<{w}} {'present':>12}  {'becomes':<22} shapes"]
    for f in d["fields"]:
        stats = s.fields[f["path"]]
        out.append(f"  {f['path']:<{w}} {f['count']:>5} {f['percent']:>5.1f}%  {f['rdf']:<22} {_shapes(stats.shapes)}")
    out += ["", "Drift:"]
    out += _drift_lines(inf) or ["  none found"]
    out += ["", "Next:"] + [f"  {c}" for c in _next_steps(sources, output)]
    return "\n".join(out) + "\n"


def _drift_lines(inf, *, bullet: str = "  ") -> list[str]:
    out = []
    for a, b in inf.aliases:
        fa, fb = inf.survey.fields[a], inf.survey.fields[b]
        out.append(f"{bullet}aliases: {a} ({fa.count}) and {b} ({fb.count}) are never in the same record and hold "
                   f"the same kind of value ({fa.shapes.most_common(1)[0][0]})")
    for path, groups in inf.case_variants.items():
        shown = "; ".join(" / ".join(f"{v!r} {n}" for v, n in g) for g in groups[:6])
        more = f"; and {len(groups) - 6} more" if len(groups) > 6 else ""
        out.append(f"{bullet}case or spacing variants in {path} ({len(groups)}): {shown}{more}")
    for path, shapes in inf.mixed_dates.items():
        out.append(f"{bullet}mixed date formats in {path}: " + ", ".join(f"{s} {n}" for s, n in shapes.items()))
    for path, values in inf.enums.items():
        shown = ", ".join(f"{v!r} {n}" for v, n in values[:8])
        out.append(f"{bullet}enum-like: {path} has {len(values)} distinct value(s) in "
                   f"{inf.survey.fields[path].count} records: {shown}")
    return out


def render_markdown(inf, *, sources=(), output=None) -> str:
    """The report as a pull-request comment."""
    s, d = inf.survey, inf.as_dict()
    out = [f"### Front matter of `{s.site}`: {plural(s.records, 'record')}", "",
           f"{s.sampled} of {plural(s.files, 'file')} sampled; {s.plain} without front matter, "
           f"{len(s.unreadable)} unreadable.", "", "#### Profile", ""]
    out += [f"- {r}" for r in inf.reasons] or ["- the default layout fits: no role changed"]
    out += [f"- :warning: {m}" for m in inf.misfits]
    out += ["", "```toml", inf.toml().rstrip("\n"), "```", "", "#### Fields", "",
            "| field | present | becomes | types | shapes |", "|---|---:|---|---|---|"]
    for f in d["fields"]:
        stats = s.fields[f["path"]]
        out.append(f"| `{f['path']}` | {f['count']} ({f['percent']:.1f}%) | `{f['rdf']}` | "
                   f"{_shapes(stats.types)} | {_shapes(stats.shapes)} |")
    out += ["", "#### Drift", ""] + (_drift_lines(inf, bullet="- ") or ["- none found"])
    out += ["", "#### Next", "", "```sh", *_next_steps(sources, output), "```"]
    return "\n".join(out) + "\n"
