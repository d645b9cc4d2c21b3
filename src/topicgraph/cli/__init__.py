"""The ``topicgraph`` command: a thin layer over the library, one small module per command."""

from __future__ import annotations

import importlib
import importlib.util
import os
import signal
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
    "crosswalk": "topicgraph.cli.crosswalk_cmd:crosswalk_group",
    "profile": "topicgraph.cli.profile_cmd:profile_group",
    "diff": "topicgraph.cli.diff_cmd:diff_command",
}


#: commands that check or map files in worker processes (validation and build, ``--jobs``)
_WORKER_COMMANDS = frozenset({"build", "validate"})


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def resolve_command(self, ctx, args):
        name, cmd, rest = super().resolve_command(ctx, args)
        if name in _WORKER_COMMANDS and _QUIET_TRACKER not in sys.warnoptions:
            # after a second Ctrl-C (_interrupted) multiprocessing's resource tracker unlinks the pools'
            # semaphores, as it should, and warns that they "leaked", which is no news then: its -W options are
            # taken from sys.warnoptions (the workers ignore Ctrl-C: parallel.quiet_worker)
            sys.warnoptions.append(_QUIET_TRACKER)
        return name, cmd, rest

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
        # each command's short help comes from its docstring, so listing them imports every command module:
        # those import no heavy library at module level (tests/test_cli_build.py checks that --help stays light)
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
    """Console entry point: user errors exit 2 with a message, Ctrl-C exits 130 with "Interrupted."; an unexpected
    crash also never shows a traceback (set TOPICGRAPH_DEBUG=1 to see it). Always ends in ``sys.exit``."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.default_int_handler:  # not when started with Ctrl-C ignored
        _INTERRUPTED.clear()
        _TOLD.clear()
        signal.signal(signal.SIGINT, _interrupted)
    try:
        # not click's standalone mode: it turns Ctrl-C into "Aborted!" and exit 1, which reads as "found problems"
        try:
            code = cli.main(args=argv, prog_name="topicgraph", standalone_mode=False)
        except click.exceptions.Abort as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        # the commands end in sys.exit or return None (exit 0); click returns the code of --help, --version, ctx.exit
        sys.exit(code if isinstance(code, int) else 0)
    except SystemExit:
        raise
    except BrokenPipeError:
        from .common import reader_went_away

        reader_went_away()
    except KeyboardInterrupt:
        _say_interrupted()
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("TOPICGRAPH_DEBUG"):
            raise
        click.echo(f"Error: topicgraph crashed: {type(exc).__name__}: {exc}\n"
                   "This is a bug; please report it with TOPICGRAPH_DEBUG=1 set to include the traceback.", err=True)
        sys.exit(2)
    finally:
        if previous is signal.default_int_handler:
            _wait_for_workers()
            if argv is None and _TOLD:
                # the process ends now with 130, its workers gone. Python's finalisation puts SIGINT's default
                # action back before the process ends, and a second Ctrl-C then killed it by the signal instead
                _INTERRUPTED.append(signal.SIGINT)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            elif argv is None:  # a Ctrl-C while the interpreter exits (joining threads) ends it with 130 at once
                _INTERRUPTED.append(signal.SIGINT)
            else:  # called in-process (tests, embedders): leave it as it was
                signal.signal(signal.SIGINT, previous)


def _interrupted(signum, frame) -> None:
    """Ctrl-C: unwind as usual, so that temporary files are removed and worker processes finish their chunk and
    stop (killed, one could be cut off halfway through writing its answer, and the pool would wait for the rest
    for ever); a second Ctrl-C meanwhile ends the process at once."""
    if _INTERRUPTED:
        mp = sys.modules.get("multiprocessing")
        for child in mp.active_children() if mp is not None else ():
            child.kill()
        _say_interrupted()
        os._exit(130)
    _INTERRUPTED.append(signum)
    raise KeyboardInterrupt


def _say_interrupted() -> None:
    if not _TOLD:
        _TOLD.append(True)
        click.echo("Interrupted.", err=True)


def _wait_for_workers() -> None:
    """Wait for the worker processes still finishing a chunk while Ctrl-C is still ours. A pool closed without
    waiting (validate stops its pool so) is otherwise joined by ``concurrent.futures`` as the interpreter exits,
    after the handler went back to Python's: a second Ctrl-C then raised KeyboardInterrupt in that exit hook,
    and the process died by SIGINT instead of exiting 130."""
    mp = sys.modules.get("multiprocessing")
    for child in mp.active_children() if mp is not None else ():
        child.join()


_INTERRUPTED: list[int] = []  # the Ctrl-C main() has seen
_TOLD: list[bool] = []  # "Interrupted." was written
_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
