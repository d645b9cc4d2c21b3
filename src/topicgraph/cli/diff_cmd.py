"""`topicgraph diff`: what a change does to the knowledge graph, for a pull-request comment or a terminal."""

from __future__ import annotations

import sys

import click

from .common import handle_errors, jobs_option, profile_option, shapes_option, strict_option, taxonomy_option


@click.command("diff")
@click.argument("args", nargs=-1, required=True, metavar="BASE [HEAD] [PATH]...")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "sarif", "text"]), default="text",
              show_default=True, help="markdown: a pull-request comment (< 60,000 characters); json: the whole "
              "report (schema in docs/diff.md); sarif: the findings introduced; text: for a terminal.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--json-output", type=click.Path(dir_okay=False), default=None,
              help="Also write the whole report as JSON here (the artifact a shortened comment points to).")
@profile_option
@taxonomy_option()
@shapes_option
@click.option("--query", "queries", multiple=True, metavar="NAME",
              help="Also compare the rows of this named query (repeatable; see `topicgraph query --list`).")
@click.option("--base-build", type=click.Path(file_okay=False), default=None,
              help="A build of BASE (a build folder): HEAD is made from it by re-mapping only the changed files.")
@jobs_option()
@strict_option("An introduced warning fails too (exit 1).")
@handle_errors
def diff_command(args, fmt, output, json_output, profile, taxonomy, shapes, queries, base_build, jobs, strict):
    """Compare BASE with HEAD: records, statements, taxonomy, findings and impact on the graph.

    BASE and HEAD are git revisions of the repository you are in (HEAD defaults to the working tree), checked
    out by git into temporary folders, so a CI checkout with fetch-depth 0 is enough; PATHs (default: the
    current folder) say where the records are. BASE and HEAD may also be two folders, or two build folders.
    Reformatting a file (key order, quoting, list style, line endings) shows as no change.

    Exit status: 0 when nothing breaks and no error is introduced, 1 when a removed or relabelled concept is still
    used by a record or an error (with --strict, a warning) is introduced, 2 when the diff could not run (a bad
    revision, not a git repository, a path outside it).
    """
    import os
    from pathlib import Path

    from ..diff import diff, render
    from ..errors import TopicgraphError
    from ..records import DEFAULT_PROFILE, load_profile
    from ..store import atomic_write

    for target in (output, json_output):
        folder = os.path.dirname(os.path.abspath(target)) if target else None
        if folder and not os.path.isdir(folder):
            raise TopicgraphError(f"cannot write the report to {target}: the folder {folder} does not exist "
                                  "(create it first)")
    report = diff(args, profile=load_profile(profile) if profile else DEFAULT_PROFILE, taxonomy=taxonomy,
                  shapes=shapes, queries=queries, base_build=base_build, jobs=jobs, strict=strict)
    text = render(report, fmt)
    if json_output:
        data = render(report, "json")
        atomic_write(json_output, lambda tmp: Path(tmp).write_text(data, encoding="utf-8"))
    if output:
        atomic_write(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        click.echo(render(report, "text").splitlines()[0], err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    sys.exit(report.exit_code)
