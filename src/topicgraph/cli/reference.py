"""Render the CLI reference (``docs/cli.md``) from the commands themselves, so it can never drift.

``python -m topicgraph.cli.reference > docs/cli.md``; ``tests/test_docs.py`` checks the file is current.
"""

from __future__ import annotations

import click

__all__ = ["render"]


def _walk(cmd: click.Command, path: list[str]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd, info_name=path[-1])
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name])


def render() -> str:
    """The whole reference as Markdown."""
    from . import cli

    out = ["# CLI reference", "",
           "Generated from the commands' own help by `python -m topicgraph.cli.reference > docs/cli.md`; "
           "`make test` fails when this file is out of date.", "",
           "Exit codes: 0 success; 1 the command ran and found a problem (`validate` findings at or above the "
           "failing severity, `build --strict` skipped files); 2 the command could not run (bad option, missing "
           "path, unreadable input, or an internal error, which is reported as a message, never a traceback); 130 "
           "interrupted (Ctrl-C); 141 the reader of standard output went away (`topicgraph taxonomy tree | head`), "
           "as for any Unix tool stopped by SIGPIPE: nothing more is written.", ""]
    for path, cmd in _walk(cli, ["topicgraph"]):
        # the options every real invocation has (the root group's context_settings are inherited by subcommands)
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
        out += [f"## `{' '.join(path)}`", "", "```text", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    click.echo(render(), nl=False)
