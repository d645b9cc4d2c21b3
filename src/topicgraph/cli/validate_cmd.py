"""`topicgraph validate`: records, folders and RDF files checked, findings for people and for CI."""

from __future__ import annotations

import sys

import click

from .common import (handle_errors, mapping_options, progress_bar, quiet_option, report_format_option, shapes_option,
                     strict_option)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False))
@report_format_option("text for people; json; junit (CI test reports); sarif (code scanning); github (inline "
                      "annotations on pull requests).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output (the summary line still goes to "
                   "standard error).")
@strict_option()
@click.option("--cache-dir", "--cache", "cache_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Keep each file's result in DIR (a CI cache, say), keyed by its content, the shapes, the taxonomy "
                   "and the topicgraph version. Default: a folder of $XDG_CACHE_HOME/topicgraph (else "
                   "~/.cache/topicgraph) for the folder holding the PATHS. A folder inside the PATHS is not used, nor is a cache "
                   "found among them.")
@click.option("--no-cache", is_flag=True, help="Check every file again and keep nothing.")
@shapes_option
@mapping_options(base_iri_help="Base IRI the records are mapped under.",
                 jobs_help="Worker processes for large runs (default: the cores, at most 8).")
@quiet_option("Text format: print only the summary line.")
@handle_errors
def validate_command(paths, fmt, output, strict, cache_dir, no_cache, taxonomy, shapes, profile, base_iri, jobs,
                     max_bytes, quiet):
    """Check record files, folders of records and RDF files (.ttl, .nt, .nq, .trig, .jsonld).

    In order: can each record be read; do its fields make sense (topics against the taxonomy, with a
    did-you-mean); does its RDF conform to the SHACL shapes; is the taxonomy sound; are ids, files and URLs
    unique. Every finding names the file, line, field, severity, rule and fix.

    Exit status: 0 when nothing failed, 1 when an error was found (or a warning, with --strict), 2 when the
    check could not run (a bad option, a missing PATH, unreadable shapes or taxonomy).
    """
    from ..vocab import DEFAULT_BASE_IRI
    from ..records import DEFAULT_PROFILE, MAX_BYTES, load_profile
    from ..validation import validate
    from ..validation.formats import render

    if output:  # before the work, not after it
        import os

        from ..errors import TopicgraphError

        folder = os.path.dirname(os.path.abspath(output))
        if not os.path.isdir(folder):
            raise TopicgraphError(f"cannot write the report to {output}: the folder {folder} does not exist "
                                  "(create it first)")
    if not no_cache and cache_dir is None:
        from ..validation.cache import user_cache_dir

        cache_dir = user_cache_dir(paths)
        if cache_dir is None:
            click.echo("note: no home folder to keep the cache in: checked without a cache (give --cache-dir)",
                       err=True)
    with progress_bar("Validating", enabled=not quiet) as bar:
        report = validate(paths, strict=strict, cache_dir=None if no_cache else cache_dir, taxonomy=taxonomy,
                          shapes=shapes, profile=load_profile(profile) if profile else DEFAULT_PROFILE,
                          base_iri=base_iri or DEFAULT_BASE_IRI, max_bytes=max_bytes or MAX_BYTES, jobs=jobs,
                          progress=bar)
    text = report.summary_line() if quiet and fmt == "text" else render(report, fmt)
    if output:
        from pathlib import Path

        from ..store import atomic_write

        atomic_write(output, lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"))
        click.echo(report.summary_line(), err=True)
    else:
        click.echo(text)
    sys.exit(report.exit_code)
