"""`topicgraph build`: records in, graph out."""

from __future__ import annotations

import json
import sys

import click

from .common import (console, handle_errors, json_option, mapping_options, plural, progress_bar, quiet_option,
                     strict_option)


@click.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=False))
@click.option("--out", "-o", default="graph", show_default=True, type=click.Path(file_okay=False),
              help="Build folder: the store, build-report.json and exports go here.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
              help="Also write DIR/graph.<ext> (repeatable).")
@mapping_options()
@click.option("--update", is_flag=True,
              help="Re-map only these changed or deleted files into the existing build, in place.")
@strict_option("Exit 1 when any file was skipped.")
@json_option("Print the summary as JSON on stdout.")
@quiet_option("Print only the summary line (no skipped files, no written exports, no progress bar).")
@handle_errors
def build_command(sources, out, formats, profile, base_iri, taxonomy, jobs, max_bytes, update, strict, as_json,
                  quiet):
    """Map every record under SOURCES (files or folders) into a knowledge graph in --out.

    Files are recognised by their content: YAML front matter (whatever the extension), or a plain scraped
    article (a .txt, .md or .html file without front matter); RDF, JSON, binary, source and configuration
    files are skipped as not records. Every file is accounted for in DIR/build-report.json: mapped, or
    skipped with the reason. The previous graph in DIR stays usable until the new one is complete.
    """
    from ..builder import build
    from ..vocab import DEFAULT_BASE_IRI
    from ..records import DEFAULT_PROFILE, MAX_BYTES, load_profile

    if update:
        import os

        clash = [name for name, given in (("--format", formats), ("--base-iri", base_iri), ("--jobs", jobs)) if given]
        if clash:
            raise click.UsageError(f"{', '.join(clash)} cannot be used with --update: an update re-maps files in place, "
                             "under the build's own base IRI, and rewrites no export; run a full build for those")
        folders = [s for s in sources if os.path.isdir(s)]
        if folders:
            raise click.UsageError(f"--update takes the changed (or deleted) files, not folders ({', '.join(folders)}): "
                             "name the files, e.g. from `git diff --name-only`, or run a full build of the folder")
    prof = load_profile(profile) if profile else DEFAULT_PROFILE
    if update:
        from ..builder import update as update_files

        outcomes = update_files(sources, out=out, profile=prof, taxonomy=taxonomy, max_bytes=max_bytes or MAX_BYTES)
        if as_json:
            click.echo(json.dumps([o.to_dict() for o in outcomes], indent=2))
        else:
            from ..errors import visible

            for o in outcomes:
                click.echo(visible(f"{o.status}: {o.file}" + (f" ({o.reason})" if o.reason else "")))
        if getattr(outcomes, "warning", None):
            click.echo(f"warning: {outcomes.warning}", err=True)
        if strict and any(o.status == "skipped" for o in outcomes):
            sys.exit(1)
        return
    with PhasedProgress("Reading and mapping records", enabled=not quiet) as bar:
        result = build(sources, out=out, formats=formats, profile=prof, base_iri=base_iri or DEFAULT_BASE_IRI,
                       taxonomy=taxonomy, jobs=jobs, max_bytes=max_bytes or MAX_BYTES, progress=bar,
                       phase=bar.phase)
    report = result.report
    c = report.counts
    if as_json:
        click.echo(json.dumps({"out": str(result.out), "counts": c, "errors": report.errors,
                               "seconds": round(report.seconds, 3),
                               "exports": {k: str(v) for k, v in result.exports.items()},
                               "removed_exports": [str(p) for p in result.removed_exports],
                               "skipped": [{"file": f.file, "reason": f.reason,
                                            "findings": [x.to_dict() for x in f.findings]}
                                           for f in report.skipped]}, indent=2))
    else:
        con = console(err=False)
        if not quiet:
            from rich.markup import escape

            from ..errors import visible

            for f in report.skipped:
                con.print(f"[yellow]skipped[/] {escape(visible(f.reason))}", markup=True, highlight=False)
                for line in _more_errors(f):
                    con.print(f"  {escape(visible(line))}", markup=True, highlight=False)
        con.print(
            f"Mapped {c['mapped']} of {plural(c['files'], 'file')} ({c['skipped']} skipped) into {result.out}/ in "
            f"{report.seconds:.2f}s: {plural(c['triples'], 'triple')}, {plural(c['articles'], 'article')}, "
            f"{plural(c['people'], 'person', 'people')}, {plural(c['brands'], 'brand')}, "
            f"{plural(c['topics'], 'topic')} ({c['unknown_topics']} not in the taxonomy), "
            f"{plural(report.errors, 'error')}, {plural(c['warnings'], 'warning')}. "
            f"Report: {result.out}/build-report.json", markup=False)
        if not quiet:
            for fmt, path in result.exports.items():
                con.print(f"wrote {path}", markup=False)
        for path in result.removed_exports:
            con.print(f"removed {path}: the earlier build's export, which this build did not write (give --format "
                      f"{path.suffix[1:]} to keep one)", markup=False)
        if c["files"] and not c["mapped"]:
            con.print(f"nothing was mapped: every file was skipped (see the errors above, or {result.out}/build-report"
                      ".json); if the records come from another site's layout, describe it in a --profile "
                      "(docs/profiles.md)", markup=False)
    status = report.exit_status(strict=strict)
    if status:
        sys.exit(status)


#: a skipped file's errors shown after its first one; the rest are counted (the report lists them all)
SHOWN_ERRORS = 3


def _more_errors(outcome) -> list[str]:
    """The errors of a skipped file after the first (its reason), the first few and how many more."""
    from ..errors import Severity

    errors = [f for f in outcome.findings if f.severity >= Severity.ERROR]
    rest = [str(f) for f in errors if str(f) != outcome.reason]
    if len(rest) == len(errors):  # the reason was not one of them (a duplicate, say): nothing to add
        return []
    lines = [f"also: {text}" for text in rest[:SHOWN_ERRORS - 1]]
    if len(rest) > SHOWN_ERRORS - 1:
        lines.append(f"and {len(rest) - (SHOWN_ERRORS - 1)} more (all in the build report)")
    return lines



class PhasedProgress(progress_bar):
    """The build's progress bar, labelled with the phase the build is in: the files counted while they are read and
    mapped, then a bar without a count, named for what follows (loading the store, exporting each format), instead
    of a full bar that says nothing."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, **kwargs)
        self.phases: list[str] = []

    def phase(self, name: str) -> None:
        self.phases.append(name)
        self.label = name[:1].upper() + name[1:]
        if self.progress is not None and self.task is not None:
            counted = name == "reading and mapping records"
            self.progress.update(self.task, description=self.label, **({} if counted else {"total": None}))
            self.progress.refresh()  # show the new phase now, not at the next tick
