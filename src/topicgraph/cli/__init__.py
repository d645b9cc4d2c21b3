"""The ``topicgraph`` command: a thin layer over the library, one small module per command."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

__all__ = ["cli", "main", "COMMANDS"]

#: command name -> "module:function"; modules are imported only when their command runs, so --help is instant.
COMMANDS: dict[str, str] = {
    "build": "topicgraph.cli.build_cmd:build_command",
    "validate": "topicgraph.cli.validate_cmd:validate_command",
    "taxonomy": "topicgraph.cli.taxonomy_cmd:taxonomy_group",
    "query": "topicgraph.cli.query_cmd:query_command",
    "serve": "topicgraph.cli.serve_cmd:serve_command",
    "push": "topicgraph.cli.push_cmd:push_command",
    "related": "topicgraph.cli.related_cmd:related_command",
    "clusters": "topicgraph.cli.clusters_cmd:clusters_command",
    "stats": "topicgraph.cli.stats_cmd:stats_command",
    "export": "topicgraph.cli.export_cmd:export_command",
    "generate": "topicgraph.cli.generate_cmd:generate_command",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx))
        for name, target in self.lazy.items():
            if importlib.util.find_spec(target.split(":")[0]) is not None:
                names.add(name)
        return sorted(names)

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        # short help without importing every command module: each module keeps a one-line HELP beside it
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="topicgraph", prog_name="topicgraph")
def cli() -> None:
    """Curated-content records in, a validated knowledge graph out.

    Build the graph with `topicgraph build SRC...`; every other command reads it from --store (default graph/).
    """


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors exit 2 with a message; an unexpected crash also never shows a traceback
    (set TOPICGRAPH_DEBUG=1 to see it)."""
    try:
        cli.main(args=argv, prog_name="topicgraph", standalone_mode=True)
    except SystemExit:
        raise
    except BrokenPipeError:
        from .common import reader_went_away

        reader_went_away()
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("TOPICGRAPH_DEBUG"):
            raise
        click.echo(f"Error: topicgraph crashed: {type(exc).__name__}: {exc}\n"
                   "This is a bug; please report it with TOPICGRAPH_DEBUG=1 set to include the traceback.", err=True)
        sys.exit(2)
